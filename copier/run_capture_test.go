package copier

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestRunCaptureStoredAndPrepared writes to the table through a stored procedure, through
// prepared statements of the binary protocol and through SQL PREPARE/EXECUTE, in loops that run
// through the whole copy and the cut-over, and checks that not one write failed and that the
// new table holds what the mirror (written by the same calls) holds. On MariaDB 10.11 such
// writes failed with 1146 on the error table while the copy ran. It runs again on a table with
// triggers of its own, which the cut-over re-creates on the new table while the writes go on:
// there, before the triggers were primed (createTriggers), the stored procedure's write that
// waited for the triggers' lock failed with 1146 on every copy on MariaDB 10.11.
func TestRunCaptureStoredAndPrepared(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) {
		t.Run("plain", func(t *testing.T) { testRunCaptureStoredAndPrepared(t, false) })
		t.Run("own triggers", func(t *testing.T) { testRunCaptureStoredAndPrepared(t, true) })
	})
}

func testRunCaptureStoredAndPrepared(t *testing.T, ownTriggers bool) {
	db := scratch(t)
	const rows = 6000
	fillTable(t, db, "t", rows)
	if ownTriggers {
		mustExec(t, db, "CREATE TABLE audit (op CHAR(1) NOT NULL, id INT NOT NULL)",
			"CREATE TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW INSERT INTO audit VALUES ('i', NEW.id)",
			"CREATE TRIGGER t_au AFTER UPDATE ON t FOR EACH ROW INSERT INTO audit VALUES ('u', NEW.id)",
			"CREATE TRIGGER t_ad AFTER DELETE ON t FOR EACH ROW INSERT INTO audit VALUES ('d', OLD.id)")
	}
	mustExec(t, db, "CREATE TABLE m LIKE t", "INSERT INTO m SELECT * FROM t",
		`CREATE PROCEDURE app_write(IN op INT, IN k INT)
		BEGIN
		  IF op = 0 THEN
		    INSERT INTO t (id, a, b, c, d, e) VALUES (k, k % 500, CONCAT('sp ', k), 1.25, '2025-01-01 00:00:00', 'sp');
		    INSERT INTO m (id, a, b, c, d, e) VALUES (k, k % 500, CONCAT('sp ', k), 1.25, '2025-01-01 00:00:00', 'sp');
		  ELSEIF op = 1 THEN
		    UPDATE t SET a = a + 1, b = CONCAT(LEFT(b, 30), '+') WHERE id = k;
		    UPDATE m SET a = a + 1, b = CONCAT(LEFT(b, 30), '+') WHERE id = k;
		  ELSE
		    DELETE FROM t WHERE id = k;
		    DELETE FROM m WHERE id = k;
		  END IF;
		END`)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var wg sync.WaitGroup
	var ops, failures atomic.Int64
	var firstErr atomic.Value
	fail := func(err error) {
		failures.Add(1)
		firstErr.CompareAndSwap(nil, err.Error())
	}
	// Three writers on disjoint keys (k % 3), so that their pairs of writes to t and m commute.
	for lane, kind := range []string{"procedure", "binary prepared", "sql prepared"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := captureWriter(ctx, db, kind, lane, rows, &ops); err != nil {
				fail(fmt.Errorf("%s: %w", kind, err))
			}
		}()
	}
	// Wait until each kind of write has run, so the copy starts with the statements cached.
	if !waitForCount(func() int64 { return ops.Load() }, 60, time.Minute) {
		t.Fatalf("the writers made %d writes in a minute", ops.Load())
	}
	before := ops.Load()
	res, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD COLUMN f INT NOT NULL DEFAULT 7, ADD INDEX ix_b (b)",
		Execute: true, ChunkTime: 5 * time.Millisecond})
	during := ops.Load() - before
	// Some writes after the cut-over reach the new table through the cached statements.
	after := ops.Load()
	waitForCount(func() int64 { return ops.Load() - after }, 30, 30*time.Second)
	stop()
	wg.Wait()
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d application writes failed; first: %v", n, firstErr.Load())
	}
	if !res.CutOver || during < 30 {
		t.Fatalf("result %+v, %d writes during the copy", res, during)
	}
	n1, h1 := tableDigest(t, db, "t", "id, a, b, c, d, e")
	n2, h2 := tableDigest(t, db, "m", "id, a, b, c, d, e")
	if n1 != n2 || h1 != h2 {
		diffRows(t, db, "t", "m")
		t.Fatalf("t differs from its mirror after the copy: %d rows against %d, %d writes during the copy", n1, n2, during)
	}
	if ownTriggers {
		var n int
		mustScan(t, db, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 't'", &n)
		if n != 3 {
			t.Errorf("the new table has %d triggers, want its own 3", n)
		}
	}
	t.Logf("%d writes during the copy, %d chunks", during, res.Chunks)
	assertClean(t, db)
}

// waitForCount polls n until it reaches want, up to within; it reports whether it did.
func waitForCount(n func() int64, want int64, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for n() < want {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

// captureWriter writes until ctx ends, on keys k with k % 3 == lane, each write to t and to m in
// the same call: inserts above the table's keys, updates and deletes of existing rows.
func captureWriter(ctx context.Context, db *sql.DB, kind string, lane, rows int, ops *atomic.Int64) error {
	conn, err := db.Conn(context.Background())
	if err != nil {
		return err
	}
	defer discard(conn) // it holds prepared statements
	bg := context.Background()
	rng := rand.New(rand.NewPCG(uint64(lane), 7))
	var live []int
	for k := 1; k <= rows; k++ {
		if k%3 == lane {
			live = append(live, k)
		}
	}
	next := rows + 3 + lane - (rows+3)%3
	var write func(op, k int) error
	switch kind {
	case "procedure":
		write = func(op, k int) error {
			_, err := conn.ExecContext(bg, "CALL app_write(?, ?)", op, k)
			return err
		}
	case "binary prepared":
		stmts := map[int][]*sql.Stmt{}
		texts := map[int]string{
			0: "INSERT INTO %s (id, a, b, c, d, e) VALUES (?, 1, 'ps', 2.5, '2025-02-02 00:00:00', 'ps')",
			1: "UPDATE %s SET a = a + 2, c = c + 1 WHERE id = ?",
			2: "DELETE FROM %s WHERE id = ?",
		}
		for op, text := range texts {
			for _, table := range []string{"t", "m"} {
				s, err := conn.PrepareContext(bg, fmt.Sprintf(text, table))
				if err != nil {
					return err
				}
				defer s.Close()
				stmts[op] = append(stmts[op], s)
			}
		}
		write = func(op, k int) error {
			for _, s := range stmts[op] {
				if _, err := s.ExecContext(bg, k); err != nil {
					return err
				}
			}
			return nil
		}
	default:
		texts := []string{
			"INSERT INTO %s (id, a, b, c, d, e) VALUES (?, 2, ''sql'', NULL, NULL, NULL)",
			"UPDATE %s SET a = a + 3, e = CONCAT(COALESCE(e, ''''), ''s'') WHERE id = ?",
			"DELETE FROM %s WHERE id = ?",
		}
		for op, text := range texts {
			for _, table := range []string{"t", "m"} {
				if _, err := conn.ExecContext(bg, fmt.Sprintf("PREPARE s%d_%s FROM '%s'", op, table, fmt.Sprintf(text, table))); err != nil {
					return err
				}
			}
		}
		write = func(op, k int) error {
			if _, err := conn.ExecContext(bg, fmt.Sprintf("SET @k = %d", k)); err != nil {
				return err
			}
			for _, table := range []string{"t", "m"} {
				if _, err := conn.ExecContext(bg, fmt.Sprintf("EXECUTE s%d_%s USING @k", op, table)); err != nil {
					return err
				}
			}
			return nil
		}
	}
	for ctx.Err() == nil {
		op, k := rng.IntN(3), 0
		switch {
		case op == 0 || len(live) < 10:
			op, k = 0, next
			next += 3
			live = append(live, k)
		default:
			i := rng.IntN(len(live))
			k = live[i]
			if op == 2 {
				live = append(live[:i], live[i+1:]...)
			}
		}
		if err := write(op, k); err != nil {
			return fmt.Errorf("op %d on key %d: %w", op, k, err)
		}
		ops.Add(1)
	}
	return nil
}

// TestRunCaptureWaitingWrites makes the application's writes wait for the lock under which the
// copier creates its triggers, and checks that none fails when it runs on. A stored procedure
// and prepared statements (both protocols) update rows of the table a few times once the
// shadow and the error table exist, so that the server keeps their table lists (the table has
// a trigger of its own, the update calls a stored function, or another table's trigger makes
// it); then each sends one more while the copier holds the table locked to create its first
// triggers, and waits for it. On MariaDB 10.11, before the copier primed its triggers
// (createTriggers), the procedure's write failed here with 1146 on the error table every
// time, in each of the three cases.
func TestRunCaptureWaitingWrites(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) {
		t.Run("own trigger", func(t *testing.T) {
			testRunCaptureWaitingWrites(t, "UPDATE t SET a = a + %d WHERE id = ?", "CREATE TRIGGER t_au AFTER UPDATE ON t FOR EACH ROW INSERT INTO audit VALUES (NEW.id)")
		})
		// A statement that calls a stored function is prelocked too, on a table without
		// triggers of its own.
		t.Run("stored function", func(t *testing.T) {
			testRunCaptureWaitingWrites(t, "UPDATE t SET a = plus(a, %d) WHERE id = ?",
				"CREATE FUNCTION plus(x INT, d INT) RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO audit VALUES (x); RETURN x + d; END")
		})
		// The table is written by the trigger of another table, on which the statements are.
		t.Run("another table's trigger", func(t *testing.T) {
			testRunCaptureWaitingWrites(t, "INSERT INTO x (k, d) VALUES (?, %d)",
				"CREATE TABLE x (k INT NOT NULL, d INT NOT NULL)",
				"CREATE TRIGGER x_ai AFTER INSERT ON x FOR EACH ROW BEGIN UPDATE t SET a = a + NEW.d WHERE id = NEW.k; INSERT INTO audit VALUES (NEW.k); END")
		})
	})
}

// testRunCaptureWaitingWrites is TestRunCaptureWaitingWrites with the write write (%d for the
// increment of t's column a, ? for the key), which writes one row to audit, on the schema setup.
func testRunCaptureWaitingWrites(t *testing.T, write string, setup ...string) {
	{
		db := scratch(t)
		fillTable(t, db, "t", 100)
		mustExec(t, db, "CREATE TABLE audit (id INT NOT NULL)")
		mustExec(t, db, setup...)
		mustExec(t, db, "CREATE PROCEDURE app_update(IN k INT) BEGIN "+strings.Replace(fmt.Sprintf(write, 1), "?", "k", 1)+"; END")
		ctx := context.Background()
		writers := []string{"procedure", "binary prepared", "sql prepared"}
		writes := make([]func(k int) error, len(writers))
		ids := make([]int64, len(writers))
		for i, kind := range writers {
			var conn *sql.Conn
			conn, ids[i] = session(t, db)
			writes[i] = waitingWriter(t, conn, kind, write)
		}
		// Each window the copier holds the lock in (MariaDB: the primed triggers', then the
		// real ones'), the writes of writer i update row 10 + 3*window + i.
		const windows = 2
		before := map[int]int{}
		for k := 10; k < 10+windows*len(writers); k++ {
			var a int
			mustScan(t, db, fmt.Sprintf("SELECT a FROM t WHERE id = %d", k), &a)
			before[k] = a
		}
		results := make(chan error, windows*len(writers))
		window := 0
		hook := func(stage string) {
			switch {
			case stage == "primed":
				// A write that runs between the windows.
				for i, kind := range writers {
					if err := writes[i](20*i + 4); err != nil {
						t.Errorf("%s, between the lock windows: %v", kind, err)
					}
				}
			case stage == "ready":
				// The shadow and the error table exist now, as they do when the application's
				// writes run before the copier locks the table.
				for i, kind := range writers {
					for k := 1; k <= 3; k++ {
						if err := writes[i](20*i + k); err != nil {
							t.Errorf("%s: %v", kind, err)
						}
					}
				}
			case stage == "locked" && window < windows:
				// On the copy session, holding the lock: the writes start and wait for it.
				for i, kind := range writers {
					w := window
					k := 10 + 3*w + i
					go func() {
						err := writes[i](k)
						if err != nil {
							err = fmt.Errorf("%s, in lock window %d: %w", kind, w+1, err)
						}
						results <- err
					}()
					waitFor(t, time.Minute, kind+" to wait for the lock", func() bool {
						return count(t, db, fmt.Sprintf("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %d AND STATE LIKE '%%metadata lock%%'", ids[i])) > 0
					})
				}
				window++
			}
		}
		_, err := Run(ctx, db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL", Execute: true, testHook: hook})
		if window == 0 {
			t.Fatalf("Run: %v; the copier never locked the table to create triggers", err)
		}
		for range window * len(writers) {
			if werr := <-results; werr != nil {
				t.Errorf("a write that waited for the copier's triggers failed: %v", werr)
			}
		}
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		for w := range window {
			for i, kind := range writers {
				k := 10 + 3*w + i
				var a int
				mustScan(t, db, fmt.Sprintf("SELECT a FROM t WHERE id = %d", k), &a)
				if a != before[k]+i+1 {
					t.Errorf("row %d, which the %s updated, has a = %d after the cut-over, want %d", k, kind, a, before[k]+i+1)
				}
			}
		}
		if n, want := count(t, db, "SELECT COUNT(*) FROM audit"), int64(9+3*window); n != want && n != want+3 {
			t.Errorf("audit has %d rows (one per update), want %d", n, want)
		}
		assertClean(t, db)
	}
}

// waitingWriter is an update of t's column a by key through kind: "procedure" adds 1,
// "binary prepared" 2, "sql prepared" 3, with the expression update.
func waitingWriter(t *testing.T, conn *sql.Conn, kind, write string) func(k int) error {
	ctx := context.Background()
	switch kind {
	case "binary prepared":
		stmt, err := conn.PrepareContext(ctx, fmt.Sprintf(write, 2))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stmt.Close() })
		return func(k int) error { _, err := stmt.ExecContext(ctx, k); return err }
	case "sql prepared":
		if _, err := conn.ExecContext(ctx, "PREPARE s FROM '"+fmt.Sprintf(write, 3)+"'"); err != nil {
			t.Fatal(err)
		}
		return func(k int) error {
			if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET @k = %d", k)); err != nil {
				return err
			}
			_, err := conn.ExecContext(ctx, "EXECUTE s USING @k")
			return err
		}
	}
	return func(k int) error { _, err := conn.ExecContext(ctx, "CALL app_update(?)", k); return err }
}
