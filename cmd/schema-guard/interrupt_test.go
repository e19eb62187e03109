package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

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

// running is what a test has seen of a check before interrupting it: the scratch database and,
// on the container engine, the run's id ("" on the dsn engine).
type running struct{ database, runID string }

// interruptMidReplay starts a check whose first migration sleeps, waits with whenRunning until
// that statement runs on the server, sends SIGINT and returns the scratch database's name and the
// process's stderr.
func interruptMidReplay(t *testing.T, bin string, whenRunning func(*testing.T, running), args ...string) (database, stderr string) {
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
	found := make(chan running, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		var runID string
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if m := containerLine.FindStringSubmatch(sc.Text()); m != nil {
				runID = m[1]
			}
			if m := replayingLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- running{database: m[1], runID: runID}
			}
		}
	}()
	var run running
	select {
	case run = <-found:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("replay did not start within 2 minutes")
	}
	database = run.database
	t.Cleanup(func() { cmd.Process.Kill() }) // should whenRunning fail the test; a no-op after Wait
	whenRunning(t, run)
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
	root, err := sql.Open("mysql", testenv.RootDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	bin := buildBinary(t)
	database, _ := interruptMidReplay(t, bin, func(t *testing.T, run running) {
		waitForStatement(t, root, run.database, "DO SLEEP")
	}, "--dsn", dsn)
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
	var runID string
	interruptMidReplay(t, bin, func(t *testing.T, run running) {
		if runID = run.runID; runID == "" {
			t.Fatal("no run id in stderr before the replay started")
		}
		// The run's container exists and its server runs the sleeping statement, so the
		// interrupt lands mid-replay and the check below is about a container that was there.
		root := containerRoot(t, runContainer(t, runID))
		defer root.Close()
		waitForStatement(t, root, run.database, "DO SLEEP")
	}, "--engine", "container", "--image", image)
	if left := runContainers(t, runID); len(left) != 0 {
		t.Errorf("containers %v of the interrupted run are left", left)
	}
}

// runContainers lists the containers labelled with a run's id. Other packages' tests start
// containers meanwhile: only this run's count.
func runContainers(t *testing.T, runID string) []string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-aq", "--filter", "label=org.schema-guard.run="+runID).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.Fields(string(out))
}

// runContainer returns the id of the run's one container.
func runContainer(t *testing.T, runID string) string {
	t.Helper()
	ids := runContainers(t, runID)
	if len(ids) != 1 {
		t.Fatalf("run %s has containers %v, want one", runID, ids)
	}
	return ids[0]
}

// containerRoot connects as root to the server in a container schema-guard started, through
// its published port, with the root password schema-guard gave it.
func containerRoot(t *testing.T, id string) *sql.DB {
	t.Helper()
	env, err := exec.Command("docker", "inspect", "-f", `{{range .Config.Env}}{{println .}}{{end}}`, id).Output()
	if err != nil {
		t.Fatalf("docker inspect: %v", err)
	}
	var password string
	for _, kv := range strings.Fields(string(env)) {
		if v, ok := strings.CutPrefix(kv, "MYSQL_ROOT_PASSWORD="); ok {
			password = v
		}
	}
	ports, err := exec.Command("docker", "port", id, "3306/tcp").Output()
	if err != nil || len(strings.Fields(string(ports))) == 0 {
		t.Fatalf("docker port: %v %q", err, ports)
	}
	addr := strings.Fields(string(ports))[0]
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net = "root", password, "tcp"
	cfg.Addr = net.JoinHostPort("127.0.0.1", addr[strings.LastIndexByte(addr, ':')+1:])
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	return db
}
