package testenv

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// The other accounts scripts/test-account.sql makes on every test server, beside the test
// account: root-like (ALL ON *.* WITH GRANT OPTION, what a CI service container's root looks
// like to schema-guard) and the documented least-privilege one (CREATE USER, and ALL ON
// `schema\_guard\_%`.* WITH GRANT OPTION, so each run replays as an account of its own).
const (
	rootUser, rootPassword   = "schema_guard_root", "schema_guard_root"
	adminUser, adminPassword = "schema_guard_admin", "schema_guard_admin"
)

// RootDSN is the DSN of the root-like account of the server the test runs on (CurrentServer),
// after checking that it answers.
func RootDSN(t testing.TB) string { return account(t, rootUser, rootPassword) }

// AdminDSN is the DSN of the least-privilege account that may create users, on the server the
// test runs on, after checking that it answers.
func AdminDSN(t testing.TB) string { return account(t, adminUser, adminPassword) }

func account(t testing.TB, user, password string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.User, cfg.Passwd = user, password
	dsn := cfg.FormatDSN()
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		Unavailable(t, "test account %s does not answer: %v (scripts/test-account.sql makes it)", redact(dsn), err)
	}
	return dsn
}
