package testenv

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"
)

// DefaultRootDSN is the account scripts/test-env.sh creates with ALL ON *.* WITH GRANT OPTION:
// what a CI service container's root looks like to schema-guard.
const DefaultRootDSN = "schema_guard_root:schema_guard_root@tcp(127.0.0.1:3306)/"

// DefaultAdminDSN is the documented least-privilege account: CREATE USER, and ALL ON
// `schema\_guard\_%`.* WITH GRANT OPTION, so each run replays as an account of its own.
const DefaultAdminDSN = "schema_guard_admin:schema_guard_admin@tcp(127.0.0.1:3306)/"

// RootDSN returns the DSN of the test server's all-powerful account (SCHEMA_GUARD_TEST_ROOT_DSN,
// else DefaultRootDSN), after checking that it answers.
func RootDSN(t testing.TB) string { return answering(t, "SCHEMA_GUARD_TEST_ROOT_DSN", DefaultRootDSN) }

// AdminDSN returns the DSN of the least-privilege account that may create users
// (SCHEMA_GUARD_TEST_ADMIN_DSN, else DefaultAdminDSN), after checking that it answers.
func AdminDSN(t testing.TB) string {
	return answering(t, "SCHEMA_GUARD_TEST_ADMIN_DSN", DefaultAdminDSN)
}

func answering(t testing.TB, env, def string) string {
	t.Helper()
	dsn := os.Getenv(env)
	if dsn == "" {
		dsn = def
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatalf("%s %q: %v", env, redact(dsn), err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		Unavailable(t, "test account %s does not answer: %v", redact(dsn), err)
	}
	return dsn
}
