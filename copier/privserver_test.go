package copier

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// The tests of --replica and of load-driven pauses need servers whose global state they may
// change (a stopped replication, a lock on the replica, sessions that raise Threads_running):
// private MariaDB servers from the host's packages (scripts/test-env.sh installs them in CI),
// on 127.0.0.1 ports of this test's own range, with their own data directories, stopped by
// PID when the test ends.

const (
	mariadbd      = "/usr/sbin/mariadbd"
	primaryPort   = 3315
	replicaPort   = 3316
	privateRootPW = "" // mariadb-install-db --auth-root-authentication-method=normal: root@127.0.0.1 without a password
)

// privateServer is a mariadbd this test started.
type privateServer struct {
	port int
	dir  string
	cmd  *exec.Cmd
	db   *sql.DB // root, no database
}

// dsn is the server's DSN for root with database db.
func (s *privateServer) dsn(db string) string {
	return fmt.Sprintf("root:%s@tcp(127.0.0.1:%d)/%s", privateRootPW, s.port, db)
}

// startPrivateServer initialises a data directory and starts mariadbd on port; extra are
// more server options. The server is stopped, by its PID, and its directory removed when the
// test ends.
func startPrivateServer(t *testing.T, port, serverID int, extra ...string) *privateServer {
	t.Helper()
	install, err := exec.LookPath("mariadb-install-db")
	if _, serr := os.Stat(mariadbd); serr != nil || err != nil {
		testenv.Unavailable(t, "private MariaDB servers need %s and mariadb-install-db (apt-get install mariadb-server)", mariadbd)
	}
	if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
		c.Close()
		t.Fatalf("port %d is in use: a private server of an earlier run may still be there; stop it by its PID (its data directory holds mysqld.pid)", port)
	}
	dir, err := os.MkdirTemp("", "sg-copier-controls-")
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	user := []string{}
	if os.Geteuid() == 0 {
		user = []string{"--user=root"}
	}
	args := append([]string{"--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"}, user...)
	if out, err := exec.Command(install, args...).CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		t.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	args = append([]string{"--no-defaults", "--datadir=" + data, "--bind-address=127.0.0.1", "--port=" + strconv.Itoa(port),
		"--socket=" + filepath.Join(dir, "mysqld.sock"), "--pid-file=" + filepath.Join(dir, "mysqld.pid"),
		"--log-error=" + filepath.Join(dir, "error.log"), "--server-id=" + strconv.Itoa(serverID),
		"--innodb-buffer-pool-size=64M", "--skip-performance-schema", "--innodb-flush-log-at-trx-commit=2", "--sync-binlog=0",
		"--skip-name-resolve"}, user...)
	cmd := exec.Command(mariadbd, append(args, extra...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		t.Fatalf("start %s: %v", mariadbd, err)
	}
	s := &privateServer{port: port, dir: dir, cmd: cmd}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { s.stop(t, exited) })
	s.db, err = sql.Open("mysql", s.dsn(""))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = s.db.PingContext(ctx)
		cancel()
		if err == nil {
			break
		}
		select {
		case werr := <-exited:
			exited <- werr
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("mariadbd on port %d exited: %v\n%s", port, werr, log)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("mariadbd on port %d does not answer after a minute: %v", port, err)
		}
	}
	return s
}

// stop ends the server by its PID (SIGTERM, then SIGKILL after a minute) and removes its data.
func (s *privateServer) stop(t *testing.T, exited chan error) {
	if s.db != nil {
		s.db.Close()
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(time.Minute):
		t.Errorf("mariadbd (pid %d) did not stop within a minute of SIGTERM; killing it", s.cmd.Process.Pid)
		_ = s.cmd.Process.Kill()
		<-exited
	}
	os.RemoveAll(s.dir)
}

// startReplicaPair starts a primary (with a binary log) and a replica that replicates from it
// with MariaDB's GTIDs, and waits until the replica's threads run.
func startReplicaPair(t *testing.T) (primary, secondary *privateServer) {
	t.Helper()
	primary = startPrivateServer(t, primaryPort, 1, "--log-bin=binlog", "--binlog-format=ROW")
	secondary = startPrivateServer(t, replicaPort, 2, "--relay-log=relay")
	mustExec(t, primary.db,
		"CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'repl'",
		"GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'")
	mustExec(t, secondary.db,
		fmt.Sprintf("CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = %d, MASTER_USER = 'repl', MASTER_PASSWORD = 'repl', MASTER_USE_GTID = slave_pos", primaryPort),
		"START SLAVE")
	waitFor(t, time.Minute, "the replica's threads to run", func() bool {
		st, err := (&replica{db: secondary.db}).status(context.Background())
		return err == nil && st != nil && st.io == "Yes" && st.sql == "Yes"
	})
	return primary, secondary
}

// caughtUp waits until the replica has applied everything the primary logged so far.
func caughtUp(t *testing.T, primary, rep *privateServer) {
	t.Helper()
	var pos string
	if err := primary.db.QueryRow("SELECT @@gtid_binlog_pos").Scan(&pos); err != nil {
		t.Fatal(err)
	}
	var r sql.NullInt64
	if err := rep.db.QueryRow("SELECT MASTER_GTID_WAIT(?, 60)", pos).Scan(&r); err != nil || r.Int64 != 0 {
		t.Fatalf("the replica did not reach %s within a minute: %v %v", pos, r, err)
	}
}

// waitFor polls cond every few milliseconds until it holds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", limit, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
