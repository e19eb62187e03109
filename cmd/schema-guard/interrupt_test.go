package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// buildBinary builds schema-guard once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "schema-guard")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var (
	replayingLine = regexp.MustCompile(`replaying .*database=(schema_guard_[0-9a-f_]+)`)
	containerLine = regexp.MustCompile(`starting container .*run=([0-9a-f]+)`)
)

// interruptMidReplay starts a check whose second statement sleeps, sends SIGINT while that
// statement runs, and returns the scratch database's name and the process's stderr.
func interruptMidReplay(t *testing.T, bin string, args ...string) (database, stderr string) {
	t.Helper()
	dir := migrationsDir(t, map[string]string{
		"V1__a.sql": "CREATE TABLE a (id INT PRIMARY KEY);\nDO SLEEP(60);\n",
		"V2__b.sql": "CREATE TABLE b (id INT);\n",
	})
	cmd := exec.Command(bin, append([]string{"check"}, args...)...)
	cmd.Dir = dir
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	found := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if m := replayingLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case database = <-found:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("replay did not start within 2 minutes")
	}
	time.Sleep(700 * time.Millisecond) // let the SLEEP statement start on the server
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { <-done; exited <- cmd.Wait() }()
	select {
	case err = <-exited:
	case <-time.After(45 * time.Second):
		cmd.Process.Kill()
		t.Fatal("schema-guard did not exit within 45s of SIGINT")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailure {
		t.Errorf("exit: %v, want code 2", err)
	}
	stderr = strings.Join(lines, "\n")
	if !strings.Contains(stderr, "interrupted") {
		t.Errorf("stderr does not say it was interrupted:\n%s", stderr)
	}
	return database, stderr
}

func TestInterruptDSNLeavesNoDatabase(t *testing.T) {
	testenv.EachServer(t, testInterruptDSNLeavesNoDatabase)
}

func testInterruptDSNLeavesNoDatabase(t *testing.T, _ testenv.Server) {
	dsn := testenv.DSN(t)
	bin := buildBinary(t)
	database, _ := interruptMidReplay(t, bin, "--dsn", dsn)
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", database).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s is left behind", database)
	}
	// The interrupted statement must not keep running on the server either.
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ?", database).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d sessions still use %s", n, database)
	}
}

func TestInterruptContainerLeavesNoContainer(t *testing.T) {
	testenv.EachImage(t, testInterruptContainerLeavesNoContainer)
}

func testInterruptContainerLeavesNoContainer(t *testing.T, _ testenv.ServerImage) {
	image := testenv.Image(t)
	bin := buildBinary(t)
	_, stderr := interruptMidReplay(t, bin, "--engine", "container", "--image", image)
	m := containerLine.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no run id in stderr:\n%s", stderr)
	}
	// Other packages' tests start containers meanwhile: look at this run's only.
	out, err := exec.Command("docker", "ps", "-aq", "--filter", "label=org.schema-guard.run="+m[1]).Output()
	if err != nil {
		t.Fatal(err)
	}
	if left := strings.Fields(string(out)); len(left) != 0 {
		t.Errorf("containers %v of the interrupted run are left", left)
	}
}
