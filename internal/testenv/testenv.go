// Package testenv gives tests the real servers they run against: MariaDB 10.11, MySQL 9.7 and
// MariaDB 11.8 on 127.0.0.1 (dsn engine) and a locally built image of each (container engine).
// EachServer and EachImage run a test once per server or image, in subtests named by flavour and
// version; DSN, ScratchDB and Image inside them use that subtest's server. Without a server a
// test skips when run by hand, and fails when CI=true, so a green CI run always means the tests
// ran.
package testenv

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"

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

// DSN returns the DSN of the server the test runs on (see CurrentServer): inside an EachServer
// subtest that subtest's server, else the first configured one (SCHEMA_GUARD_TEST_DSNS,
// SCHEMA_GUARD_TEST_DSN, else DefaultDSN), after checking that it answers.
func DSN(t testing.TB) string {
	t.Helper()
	return CurrentServer(t).DSN
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

// Image returns the container image for container-engine tests: inside an EachImage subtest that
// subtest's image, else the first configured one (SCHEMA_GUARD_TEST_IMAGES,
// SCHEMA_GUARD_TEST_IMAGE, else DefaultImage), after checking that Docker answers and holds it
// locally. It also sets the testcontainers settings these machines need: connect through
// 127.0.0.1, no reaper container.
func Image(t testing.TB) string {
	t.Helper()
	img, ok := boundTo[ServerImage](t)
	if !ok {
		img = ServerImage{Name: ImageName(Images()[0]), Ref: Images()[0]}
	}
	requireImage(t, img.Ref)
	return img.Ref
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

// Seq is a derived table of the integers 1 to n in column seq, for generating test data in SQL
// that every server runs: MariaDB's seq_1_to_N tables do not exist on MySQL, and MySQL stops a
// recursive CTE at cte_max_recursion_depth (1000). It cross-joins tables of digits, so its
// size grows with the number of digits of n, not with n.
func Seq(n int) string {
	const digit = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4" +
		" UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
	var from, sum []string
	for i, scale := 0, 1; scale < n || i == 0; i, scale = i+1, scale*10 {
		from = append(from, fmt.Sprintf("%s AS d%d", digit, i))
		sum = append(sum, fmt.Sprintf("%d * d%d.d", scale, i))
	}
	return fmt.Sprintf("(SELECT 1 + %s AS seq FROM %s HAVING seq <= %d) AS seq_1_to_%d",
		strings.Join(sum, " + "), strings.Join(from, " CROSS JOIN "), n, n)
}
