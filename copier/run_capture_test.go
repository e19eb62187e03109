package copier

import (
	"context"
	"database/sql"
	"errors"
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
// triggers of its own, which the cut-over re-creates on the new table while the writes go on.
func TestRunCaptureStoredAndPrepared(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, s testenv.Server) {
		t.Run("plain", func(t *testing.T) { testRunCaptureStoredAndPrepared(t, false) })
		t.Run("own triggers", func(t *testing.T) {
			if s.MySQL() {
				testRunCaptureStoredAndPrepared(t, true)
				return
			}
			// MariaDB fails such a write once around the cut-over (MDEV-26048), so the copier
			// refuses the table unless AllowTriggers.
			db := scratch(t)
			fillTable(t, db, "t", 10)
			mustExec(t, db, "CREATE TABLE audit (id INT)", "CREATE TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW INSERT INTO audit VALUES (NEW.id)")
			_, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD COLUMN f INT", Execute: true})
			var ref *Refusal
			if !errors.As(err, &ref) || !strings.Contains(ref.Reason, "MDEV-26048") {
				t.Errorf("Run on MariaDB with the table's own triggers: %v, want the MDEV-26048 refusal", err)
			}
			assertClean(t, db)
		})
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
