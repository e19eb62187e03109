// Package testenv gives tests the real servers they run against: the MariaDB server on
// 127.0.0.1 (dsn engine) and the locally built image (container engine). Without a server a test
// skips when run by hand, and fails when CI=true, so a green CI run always means the tests ran.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// DefaultDSN is the account scripts/test-env.sh creates on the local MariaDB server.
const DefaultDSN = "schema_guard:schema_guard@tcp(127.0.0.1:3306)/"

// DefaultImage is the image scripts/test-image.sh builds.
const DefaultImage = "schema-guard-test/mariadb:10.11"

// CI reports whether the tests run under CI, where a missing server is a failure.
func CI() bool { return os.Getenv("CI") == "true" }

// Unavailable skips the test, or fails it under CI, because something it needs is missing.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if CI() {
		t.Fatalf("%s (CI=true: a missing server is a failure; run scripts/test-env.sh)", msg)
	}
	t.Skipf("%s (run scripts/test-env.sh to provide it)", msg)
}

// DSN returns the DSN of the test server (SCHEMA_GUARD_TEST_DSN, else DefaultDSN), after checking
// that it answers.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("SCHEMA_GUARD_TEST_DSN")
	if dsn == "" {
		dsn = DefaultDSN
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatalf("test DSN %q: %v", dsn, err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		Unavailable(t, "test MariaDB server at %s does not answer: %v", redact(dsn), err)
	}
	return dsn
}

// ScratchDB creates a database named schema_guard_t_<random> on the test server and drops it when
// the test ends. The returned pool is bound to that database.
func ScratchDB(t testing.TB) (*sql.DB, string) {
	t.Helper()
	cfg, err := mysql.ParseDSN(DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := "schema_guard_t_" + RandomHex(6)
	if _, err := admin.Exec("CREATE DATABASE `" + name + "`"); err != nil {
		t.Fatalf("create scratch database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS `" + name + "`"); err != nil {
			t.Errorf("drop scratch database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, name
}

// Image returns the container image for container-engine tests (SCHEMA_GUARD_TEST_IMAGE, else
// DefaultImage) after checking that Docker answers and holds it locally. It also sets the
// testcontainers settings these machines need: connect through 127.0.0.1, no reaper container.
func Image(t testing.TB) string {
	t.Helper()
	SetContainerEnv(t)
	image := os.Getenv("SCHEMA_GUARD_TEST_IMAGE")
	if image == "" {
		image = DefaultImage
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", "image", "inspect", "--format", "{{.Id}}", image).CombinedOutput()
	if err != nil {
		Unavailable(t, "docker image %s is not available: %v: %s", image, err, out)
	}
	return image
}

// SetContainerEnv sets the testcontainers settings for this test (see ../shared/ENVIRONMENT.md).
func SetContainerEnv(t testing.TB) {
	t.Helper()
	if os.Getenv("TESTCONTAINERS_HOST_OVERRIDE") == "" {
		t.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1")
	}
	if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
		t.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
}

// RandomHex returns n random bytes in hex.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func redact(dsn string) string {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "(unparseable DSN)"
	}
	if cfg.Passwd != "" {
		cfg.Passwd = "***"
	}
	return cfg.FormatDSN()
}
