package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestPrivateServers runs the controls that need a server of their own — a real replica, and
// a Threads_running that only the test moves — on a MariaDB primary (port 3315) and its
// replica (3316) that it starts and stops itself.
func TestPrivateServers(t *testing.T) {
	primary, secondary := startReplicaPair(t)
	mustExec(t, primary.db, "CREATE DATABASE ctl")
	db, err := sql.Open("mysql", primary.dsn("ctl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	t.Run("replica SQL thread stopped", func(t *testing.T) { testReplicaStopped(t, primary, secondary, db) })
	t.Run("replica lags", func(t *testing.T) { testReplicaLags(t, primary, secondary, db) })
	t.Run("max-load pauses and resumes", func(t *testing.T) { testMaxLoadResumes(t, db) })
	t.Run("critical-load mid-copy", func(t *testing.T) { testCriticalLoadMidCopy(t, db) })
}

// fresh drops and fills table t of the private primary's database.
func fresh(t *testing.T, db *sql.DB, rows int) {
	t.Helper()
	mustExec(t, db, "DROP TABLE IF EXISTS t")
	fillTable(t, db, "t", rows)
}

// sameOnReplica waits for the replica to catch up and compares t on both servers.
func sameOnReplica(t *testing.T, primary, secondary *privateServer, db *sql.DB) {
	t.Helper()
	caughtUp(t, primary, secondary)
	rdb, err := sql.Open("mysql", secondary.dsn("ctl"))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	n1, h1 := tableDigest(t, db, "t", "*")
	n2, h2 := tableDigest(t, rdb, "t", "*")
	if n1 != n2 || h1 != h2 {
		t.Errorf("t on the replica differs: %d rows (%s) against %d (%s)", n2, h2, n1, h1)
	}
}

func testReplicaStopped(t *testing.T, primary, secondary *privateServer, db *sql.DB) {
	fresh(t, db, 5000)
	caughtUp(t, primary, secondary)
	mustExec(t, secondary.db, "STOP SLAVE SQL_THREAD")
	a := startRun(t, db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL", Execute: true, ChunkTime: 20 * time.Millisecond,
		Controls: Controls{Replicas: []string{secondary.dsn("")}, MaxLag: time.Second}})
	why := fmt.Sprintf("replica 127.0.0.1:%d: replication is not running (IO thread Yes, SQL thread No)", replicaPort)
	a.paused(t, phaseCopy, why)
	a.holdsStill(t, db, "SELECT COUNT(*) FROM `_t_sg_new`", phaseCopy, why, 2)
	mustExec(t, secondary.db, "START SLAVE SQL_THREAD")
	res, err := a.wait(t)
	if err != nil || !res.CutOver || res.Rows != 5000 {
		t.Fatalf("after replication started again: %+v, %v", res, err)
	}
	sameOnReplica(t, primary, secondary, db)
	assertClean(t, db)
}

// testReplicaLags holds the replica's SQL thread on a table lock, so that its lag grows while
// its threads run: the copy pauses while the lag is above --max-lag and goes on once the
// replica has caught up.
func testReplicaLags(t *testing.T, primary, secondary *privateServer, db *sql.DB) {
	fresh(t, db, 5000)
	mustExec(t, db, "CREATE TABLE IF NOT EXISTS lagger (id INT PRIMARY KEY)", "DELETE FROM lagger")
	caughtUp(t, primary, secondary)
	ctx := context.Background()
	lock, err := secondary.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, "LOCK TABLES ctl.lagger WRITE"); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "INSERT INTO lagger VALUES (1)")
	rep := &replica{name: "replica", db: secondary.db}
	waitFor(t, time.Minute, "the replica to lag 2s", func() bool {
		st, err := rep.status(ctx)
		return err == nil && st != nil && st.lag != nil && *st.lag >= 2
	})
	a := startRun(t, db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL", Execute: true, ChunkTime: 20 * time.Millisecond,
		Controls: Controls{Replicas: []string{secondary.dsn("")}, MaxLag: time.Second}})
	why := fmt.Sprintf("replica 127.0.0.1:%d lags", replicaPort)
	p := a.paused(t, phaseCopy, why)
	if p.Copied != 0 {
		t.Errorf("copied %d rows while the replica lagged", p.Copied)
	}
	a.holdsStill(t, db, "SELECT COUNT(*) FROM `_t_sg_new`", phaseCopy, "above --max-lag 1s", 2)
	if _, err := lock.ExecContext(ctx, "UNLOCK TABLES"); err != nil {
		t.Fatal(err)
	}
	res, err := a.wait(t)
	if err != nil || !res.CutOver || res.Rows != 5000 {
		t.Fatalf("after the replica caught up: %+v, %v", res, err)
	}
	sameOnReplica(t, primary, secondary, db)
	assertClean(t, db)
}

// sleepers runs n sessions that sleep on the server (each raises Threads_running by one) and
// returns a function that ends them, by their ids.
func sleepers(t *testing.T, db *sql.DB, n int) (stop func()) {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	done := make(chan struct{}, n)
	for range n {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		go func() {
			_, _ = conn.ExecContext(ctx, "DO SLEEP(600)")
			conn.Close()
			done <- struct{}{}
		}()
	}
	waitFor(t, time.Minute, "the sleepers to run", func() bool {
		return count(t, db, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = 'DO SLEEP(600)'") == int64(n)
	})
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		for _, id := range ids {
			mustExec(t, db, fmt.Sprintf("KILL QUERY %d", id))
		}
		for range n {
			<-done
		}
	}
	t.Cleanup(stop)
	return stop
}

// threadsRunning is the private server's Threads_running now, this session included.
func threadsRunning(t *testing.T, db *sql.DB) float64 {
	t.Helper()
	v, err := readStatus(context.Background(), db, []StatusLimit{{Name: "Threads_running"}})
	if err != nil {
		t.Fatal(err)
	}
	return v["threads_running"]
}

// loadLimit is a Threads_running limit that the copy's own sessions (two workers, the
// coordinator and this test's queries) stay under, and that six sleepers pass.
func loadLimit(t *testing.T, db *sql.DB) []StatusLimit {
	return []StatusLimit{{Name: "Threads_running", Limit: threadsRunning(t, db) + 3}}
}

func testMaxLoadResumes(t *testing.T, db *sql.DB) {
	fresh(t, db, 5000)
	limit := loadLimit(t, db)
	stop := sleepers(t, db, 6)
	a := startRun(t, db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL", Execute: true, ChunkTime: 20 * time.Millisecond,
		Controls: Controls{MaxLoad: limit}})
	a.paused(t, phaseCopy, "above --max-load "+limit[0].String())
	a.holdsStill(t, db, "SELECT COUNT(*) FROM `_t_sg_new`", phaseCopy, "Threads_running=", 2)
	stop()
	res, err := a.wait(t)
	if err != nil || !res.CutOver || res.Rows != 5000 {
		t.Fatalf("after the load went: %+v, %v", res, err)
	}
	assertClean(t, db)
}

// testCriticalLoadMidCopy pauses the copy after its first chunk (the flag file), then raises
// the load past the critical limit: the run stops with the reason and removes everything.
func testCriticalLoadMidCopy(t *testing.T, db *sql.DB) {
	fresh(t, db, 20000)
	limit := loadLimit(t, db)
	flag := filepath.Join(t.TempDir(), "throttle")
	a := startRunWith(t, db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL", Execute: true, ChunkTime: 20 * time.Millisecond,
		Controls: Controls{ThrottleFlagFile: flag, CriticalLoad: limit}}, func(p Progress) {
		if p.Copied > 0 && p.Paused == "" {
			testenv.WriteFile(t, flag, "")
		}
	})
	p := a.paused(t, phaseCopy, "throttle flag file")
	if p.Copied == 0 || p.Copied >= 20000 {
		t.Fatalf("paused after %d rows", p.Copied)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM `_t_sg_new`"); n == 0 {
		t.Fatal("the shadow is empty: the copy did not start")
	}
	sleepers(t, db, 6)
	_, err := a.wait(t)
	var ce *CriticalLoadError
	if !errors.As(err, &ce) || ce.Status != limit[0] {
		t.Fatalf("want a critical load error above %s, got %v", limit[0], err)
	}
	assertClean(t, db)
	if n := count(t, db, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'f'"); n != 0 {
		t.Error("the table was changed")
	}
	_ = os.Remove(flag)
}
