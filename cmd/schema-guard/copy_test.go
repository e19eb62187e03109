package main

import (
	"bytes"
	"database/sql"
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// copyDB is a scratch database with a table t of n rows, and its DSN for --dsn.
func copyDB(t *testing.T, n int) (*sql.DB, string) {
	t.Helper()
	db, name := testenv.ScratchDB(t)
	cfg, err := mysql.ParseDSN(testenv.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.DBName = name
	for _, q := range []string{
		"CREATE TABLE t (id INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL, qty INT NULL) ENGINE=InnoDB",
		"INSERT INTO t SELECT seq, CONCAT('name ', seq), seq % 7 FROM " + testenv.Seq(n),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return db, cfg.FormatDSN()
}

// copierObjects names what a copier left in the database: tables and triggers named _…_sg_….
func copierObjects(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\_%\_sg\_%'
		UNION ALL SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func hasColumn(t *testing.T, db *sql.DB, column string) bool {
	t.Helper()
	var n int
	err := db.QueryRow("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = ?", column).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func TestCopyCLI(t *testing.T) { testenv.EachServer(t, testCopyCLI) }

func testCopyCLI(t *testing.T, _ testenv.Server) {
	db, dsn := copyDB(t, 3000)

	code, stdout, stderr := runCLI(t, "", "copy", "-q", "--dsn", dsn, "--table", "t", "--alter", "ADD COLUMN note VARCHAR(10) NULL")
	if code != exitOK || !strings.Contains(stdout, "copied 3000 rows of t") || !strings.Contains(stdout, "rehearsed") {
		t.Errorf("rehearsal: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if hasColumn(t, db, "note") {
		t.Error("the rehearsal changed the table")
	}

	code, stdout, stderr = runCLI(t, "", "copy", "-q", "--dsn", dsn, "--table", "t", "--alter", "ALTER TABLE t ADD COLUMN note VARCHAR(10) NULL", "--execute")
	if code != exitOK || !strings.Contains(stdout, ": done") {
		t.Errorf("execute: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if !hasColumn(t, db, "note") {
		t.Error("--execute did not change the table")
	}

	// Every name is longer than 5 characters: the narrowing stops at the first row.
	code, _, stderr = runCLI(t, "", "copy", "-q", "--dsn", dsn, "--table", "t", "--alter", "MODIFY name VARCHAR(5) NOT NULL", "--execute")
	if code != exitFindings || !strings.Contains(stderr, "copy refused") || !strings.Contains(stderr, "id=1") {
		t.Errorf("narrowing: exit %d, stderr %q; want 1 and a refusal naming id=1", code, stderr)
	}
	if left := copierObjects(t, db); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no table", []string{"--dsn", dsn, "--alter", "ADD COLUMN x INT"}, "copy needs --table"},
		{"no database in the DSN", []string{"--dsn", "u:p@tcp(127.0.0.1:3306)/", "--table", "t", "--alter", "ADD COLUMN x INT"}, "names no database"},
		{"unreachable server", []string{"--dsn", "u:p@tcp(127.0.0.1:1)/x", "--table", "t", "--alter", "ADD COLUMN x INT"}, "cannot use the server at 127.0.0.1:1"},
		{"not an alter", []string{"--dsn", dsn, "--table", "t", "--alter", "DROP TABLE t"}, "copy"},
		{"bad rename", []string{"--dsn", dsn, "--table", "t", "--alter", "ADD COLUMN x INT", "--rename", "a"}, "NEW=OLD"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", append([]string{"copy", "-q"}, c.args...)...)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != exitFailure || len(lines) != 1 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line with %q", code, stderr, c.want)
			}
		})
	}
	if !hasColumn(t, db, "note") || hasColumn(t, db, "x") {
		t.Error("a failed copy changed the table")
	}
}

// TestCopyInterruptLeavesNothing sends SIGINT to a copy in the middle of its chunks: the
// process exits 2 saying so, and no shadow table and no trigger is left.
func TestCopyInterruptLeavesNothing(t *testing.T) {
	testenv.EachServer(t, testCopyInterruptLeavesNothing)
}

func testCopyInterruptLeavesNothing(t *testing.T, _ testenv.Server) {
	db, dsn := copyDB(t, 300000)
	bin := buildBinary(t)
	cmd := exec.Command(bin, "copy", "-q", "--dsn", dsn, "--table", "t", "--alter", "ADD COLUMN note VARCHAR(10) NULL",
		"--execute", "--workers", "1", "--chunk-time", "10ms")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for len(copierObjects(t, db)) < 4 { // the shadow table, the error table, the triggers
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the copy did not start within a minute; stderr %q", stderr.String())
		}
		time.Sleep(20 * time.Millisecond) // polling the server's state, not waiting for it
	}
	// Into the chunks: the first rows are in the shadow table.
	for {
		var copied bool
		if err := db.QueryRow("SELECT EXISTS (SELECT 1 FROM _t_sg_new)").Scan(&copied); err != nil {
			cmd.Process.Kill()
			t.Fatalf("shadow table: %v; stderr %q", err, stderr.String())
		}
		if copied {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no row was copied within a minute; stderr %q", stderr.String())
		}
		time.Sleep(20 * time.Millisecond) // polling the table, not waiting for the copy
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-time.After(45 * time.Second):
		cmd.Process.Kill()
		t.Fatal("schema-guard copy did not exit within 45s of SIGINT")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailure || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %v, stderr %q; want exit 2 saying it was interrupted", err, stderr.String())
	}
	if left := copierObjects(t, db); len(left) > 0 {
		t.Errorf("left behind after SIGINT: %v", left)
	}
	if hasColumn(t, db, "note") {
		t.Error("the interrupted copy cut over")
	}
}
