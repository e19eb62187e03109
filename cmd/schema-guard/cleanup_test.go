package main

import (
	"bufio"
	"database/sql"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// waitForStatement polls the server's process list (through an account that sees every
// session) until a session of the database runs a statement starting with prefix.
func waitForStatement(t *testing.T, root *sql.DB, database, prefix string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var n int
		err := root.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE CONCAT(?, '%')", database, prefix).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond) // polling the server's state, not waiting for it
	}
	t.Fatalf("no session of %s ran %q within a minute", database, prefix)
}

// TestKilledRunIsCleanedUp kills a check with SIGKILL mid-replay, so it cleans up nothing: its
// database and its account stay on the server, and schema-guard cleanup removes exactly them.
func TestKilledRunIsCleanedUp(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) { testKilledRunIsCleanedUp(t) })
}

func testKilledRunIsCleanedUp(t *testing.T) {
	admin := testenv.AdminDSN(t)
	root, err := sql.Open("mysql", testenv.RootDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	// Closed after the cleanups below, which drop with it (cleanups run last first).
	t.Cleanup(func() { root.Close() })
	bin := buildBinary(t)
	dir := migrationsDir(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id INT PRIMARY KEY);\nDO SLEEP(60);\n"})
	cmd := exec.Command(bin, "check", "--dsn", admin, "--copier=false")
	cmd.Dir = dir
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			if m := replayingLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	var database string
	select {
	case database = <-found:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("the replay did not start")
	}
	waitForStatement(t, root, database, "DO SLEEP")
	cmd.Process.Kill() // SIGKILL: no cleanup
	cmd.Wait()

	run := strings.TrimPrefix(database[:strings.LastIndexByte(database, '_')], "schema_guard_")
	account := "sg_" + run
	exists := func(query, name string) bool {
		var n int
		if err := root.QueryRow(query, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	dbExists := func() bool {
		return exists("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", database)
	}
	accountExists := func() bool { return exists("SELECT COUNT(*) FROM mysql.user WHERE User = ?", account) }
	if !dbExists() || !accountExists() {
		t.Fatalf("the killed run left nothing (database %v, account %v): nothing to test", dbExists(), accountExists())
	}
	// A database of another name, one of a run that is recent and, with --run, one of another
	// old run stay.
	for _, s := range []string{"CREATE DATABASE IF NOT EXISTS schema_guard_t_keep", "CREATE DATABASE IF NOT EXISTS schema_guard_209901010000_cafecafe_1",
		"CREATE DATABASE IF NOT EXISTS schema_guard_202001010000_feedf00d_1"} {
		if _, err := root.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		root.Exec("DROP DATABASE IF EXISTS schema_guard_t_keep")
		root.Exec("DROP DATABASE IF EXISTS schema_guard_209901010000_cafecafe_1")
		root.Exec("DROP DATABASE IF EXISTS schema_guard_202001010000_feedf00d_1")
		root.Exec("DROP USER IF EXISTS '" + account + "'@'127.0.0.1'")
	})

	code, stdout, stderr := runCLI(t, "", "cleanup", "--dsn", admin, "--older-than", "0s", "--dry-run")
	if code != exitOK || !strings.Contains(stdout, "would remove database "+database) || !dbExists() {
		t.Fatalf("dry run: exit %d\n%s%s", code, stdout, stderr)
	}
	// --run: other checks run on this server at the same time (go test runs packages in
	// parallel), and --older-than 0s alone would take their databases too.
	code, stdout, stderr = runCLI(t, "", "cleanup", "--dsn", admin, "--older-than", "0s", "--run", run[strings.IndexByte(run, '_')+1:])
	if code != exitOK || !strings.Contains(stdout, "removed database "+database) || !strings.Contains(stdout, "removed account '"+account+"'") {
		t.Errorf("cleanup: exit %d\n%s%s", code, stdout, stderr)
	}
	if dbExists() || accountExists() {
		t.Errorf("left after cleanup: database %v, account %v", dbExists(), accountExists())
	}
	if !exists("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", "schema_guard_t_keep") ||
		!exists("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", "schema_guard_209901010000_cafecafe_1") ||
		!exists("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", "schema_guard_202001010000_feedf00d_1") {
		t.Error("cleanup removed a database that is not a finished run's")
	}
}
