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
	"github.com/schema-guard/schema-guard/schema"
)

// appWriter plays the application during a copy: it inserts, updates (also the key), and
// deletes rows of table, and makes each change to mirror too, so that the copy's result can be
// compared with what the table must hold.
type appWriter struct {
	db            *sql.DB
	table, mirror string
	rng           *rand.Rand
	live          []int64 // keys of rows that exist
	deleted       []int64 // keys of rows deleted, to be inserted again (gaps in the copied range)
	next          int64   // a key above every key so far
	ops           atomic.Int64
}

func newAppWriter(db *sql.DB, table, mirror string, rows int, seed uint64) *appWriter {
	w := &appWriter{db: db, table: table, mirror: mirror, rng: rand.New(rand.NewPCG(seed, 1)), next: int64(rows) + 1}
	for i := 1; i <= rows; i++ {
		w.live = append(w.live, int64(i))
	}
	return w
}

// step makes one random change to both tables.
func (w *appWriter) step(ctx context.Context) error {
	pick := func() (int, int64) {
		i := w.rng.IntN(len(w.live))
		return i, w.live[i]
	}
	var q string
	switch op := w.rng.IntN(100); {
	case op < 25 || len(w.live) < 10:
		id := w.next
		if len(w.deleted) > 0 && w.rng.IntN(2) == 0 {
			id, w.deleted = w.deleted[len(w.deleted)-1], w.deleted[:len(w.deleted)-1]
		} else {
			w.next++
		}
		q = fmt.Sprintf("INSERT INTO %%s (id, a, b, c, d, e) VALUES (%d, %d, 'w %d', %s, '2025-05-05 05:05:05', REPEAT('w', %d))",
			id, w.rng.IntN(500), id, w.decimal(), w.rng.IntN(40))
		w.live = append(w.live, id)
	case op < 60:
		_, id := pick()
		q = fmt.Sprintf("UPDATE %%s SET a = a + 1, b = CONCAT(LEFT(b, 30), '+'), c = %s, e = NULL WHERE id = %d", w.decimal(), id)
	case op < 70:
		_, id := pick()
		q = fmt.Sprintf("UPDATE %%s SET a = a - 1 WHERE id BETWEEN %d AND %d", id, id+20)
	case op < 85:
		i, id := pick()
		q = fmt.Sprintf("DELETE FROM %%s WHERE id = %d", id)
		w.live = append(w.live[:i], w.live[i+1:]...)
		w.deleted = append(w.deleted, id)
	default:
		// The key changes: to a new key at the end, or to a gap behind the copy.
		i, id := pick()
		to := w.next
		if len(w.deleted) > 0 && w.rng.IntN(2) == 0 {
			to, w.deleted = w.deleted[len(w.deleted)-1], w.deleted[:len(w.deleted)-1]
		} else {
			w.next++
		}
		q = fmt.Sprintf("UPDATE %%s SET id = %d, b = 'moved' WHERE id = %d", to, id)
		w.live[i] = to
		w.deleted = append(w.deleted, id)
	}
	for _, table := range []string{w.table, w.mirror} {
		if _, err := w.db.ExecContext(ctx, fmt.Sprintf(q, schema.QuoteIdent(table))); err != nil {
			return fmt.Errorf("the application's write %q failed: %w", fmt.Sprintf(q, table), err)
		}
	}
	w.ops.Add(1)
	return nil
}

func (w *appWriter) decimal() string {
	if w.rng.IntN(5) == 0 {
		return "NULL"
	}
	return fmt.Sprintf("%d.%02d", w.rng.IntN(10000), w.rng.IntN(100))
}

// runWithWriter runs the copy of table while a writer changes it, and checks that afterwards the
// table holds exactly what the mirror holds. Without autoInc the key has no AUTO_INCREMENT, and
// the copy runs with several workers (Result.Workers).
func runWithWriter(t *testing.T, db *sql.DB, table string, rows int, autoInc bool, opts Options, seed uint64) *Result {
	t.Helper()
	mirror := table + "_mirror"
	fillTable(t, db, table, rows)
	if !autoInc {
		mustExec(t, db, "ALTER TABLE "+schema.QuoteIdent(table)+" MODIFY id INT NOT NULL")
	}
	mustExec(t, db, "CREATE TABLE "+schema.QuoteIdent(mirror)+" LIKE "+schema.QuoteIdent(table), "INSERT INTO "+schema.QuoteIdent(mirror)+" SELECT * FROM "+schema.QuoteIdent(table))
	w := newAppWriter(db, table, mirror, rows, seed)
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var writeErr error
	started, failed := make(chan struct{}), make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			// Each change goes to both tables whatever happens meanwhile.
			if err := w.step(context.Background()); err != nil {
				writeErr = err
				close(failed)
				return
			}
			if w.ops.Load() == 20 {
				close(started)
			}
		}
	}()
	// A bound, not a sleep: the writer's first 20 changes are fsynced transactions, which take
	// seconds on a loaded disk.
	select {
	case <-started:
	case <-failed:
		t.Fatalf("the writer failed before the copy: %v", writeErr)
	case <-time.After(time.Minute):
		stop()
		wg.Wait()
		t.Fatalf("the writer made %d changes in a minute", w.ops.Load())
	}
	opts.Table = table
	before := w.ops.Load()
	res, err := Run(context.Background(), db, opts)
	during := w.ops.Load() - before
	// A few more writes after the cut-over land on the new table.
	after, deadline := w.ops.Load(), time.Now().Add(time.Minute)
	for w.ops.Load() < after+3 {
		select {
		case <-failed: // writeErr, reported below
		case <-time.After(time.Until(deadline)):
			t.Errorf("the writer made %d changes in the minute after the copy, want 3", w.ops.Load()-after)
		case <-time.After(time.Millisecond): // polling the writer's count, not waiting for it
			continue
		}
		break
	}
	stop()
	wg.Wait()
	if writeErr != nil {
		t.Fatal(writeErr)
	}
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !res.CutOver || res.Rows == 0 || res.Workers != 2 {
		t.Fatalf("result %+v", res)
	}
	if during < 5 {
		t.Errorf("only %d writes happened during the copy", during)
	}
	n1, h1 := tableDigest(t, db, table, "id, a, b, c, d, e")
	n2, h2 := tableDigest(t, db, mirror, "id, a, b, c, d, e")
	if n1 != n2 || h1 != h2 {
		t.Errorf("%s after the copy differs from its mirror: %d rows (%s) against %d (%s), %d writes during the copy", table, n1, h1, n2, h2, during)
		diffRows(t, db, table, mirror)
	}
	return res
}

// loadAlters are the changes the concurrency tests make under writes.
var loadAlters = []struct {
	name, alter, check string
}{
	{"add column", "ADD COLUMN f INT NOT NULL DEFAULT 7", "SELECT COUNT(*) FROM %s WHERE f <> 7"},
	{"add index", "ADD INDEX ix_b (b)", "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%s' AND INDEX_NAME = 'ix_b' HAVING COUNT(*) <> 1"},
	{"widen varchar", "MODIFY b VARCHAR(80) NOT NULL", "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%s' AND COLUMN_NAME = 'b' AND COLUMN_TYPE <> 'varchar(80)'"},
	{"int to bigint", "MODIFY a BIGINT NOT NULL", "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%s' AND COLUMN_NAME = 'a' AND DATA_TYPE <> 'bigint'"},
}

func checkAltered(t *testing.T, db *sql.DB, table, check string) {
	t.Helper()
	var bad int
	err := db.QueryRow(fmt.Sprintf(check, strings.ReplaceAll(table, "`", ""))).Scan(&bad)
	if err != nil && err != sql.ErrNoRows {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Errorf("%s does not have the change (%s): %d", table, check, bad)
	}
}

// TestRunUnderWrites copies a 20,000-row table for each change while the application writes,
// with an AUTO_INCREMENT key (one worker on MariaDB) and without (two workers).
func TestRunUnderWrites(t *testing.T) { testenv.EachServer(t, testRunUnderWrites) }

func testRunUnderWrites(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	for i, a := range loadAlters {
		for _, autoInc := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/auto_increment=%v", a.name, autoInc), func(t *testing.T) {
				table := fmt.Sprintf("w%d_%v", i, autoInc)
				res := runWithWriter(t, db, table, 20000, autoInc, Options{Alter: a.alter, Execute: true, ChunkTime: 20 * time.Millisecond}, uint64(i))
				checkAltered(t, db, table, a.check)
				t.Logf("%+v", *res)
				assertClean(t, db)
			})
		}
	}
}

// TestRunUnderWritesRepeated runs each change 20 times on small tables with small chunks, so
// that the writer's changes meet the chunks' edges, the cut-over and the checksum often.
func TestRunUnderWritesRepeated(t *testing.T) { testenv.EachServer(t, testRunUnderWritesRepeated) }

func testRunUnderWritesRepeated(t *testing.T, _ testenv.Server) {
	if testing.Short() {
		t.Skip("the 20-run loop is skipped in -short mode")
	}
	db := scratch(t)
	for i, a := range loadAlters {
		t.Run(a.name, func(t *testing.T) {
			for run := range 20 {
				table := fmt.Sprintf("r%d_%d", i, run)
				runWithWriter(t, db, table, 1500, run%2 == 0, Options{Alter: a.alter, Execute: true, ChunkTime: 2 * time.Millisecond}, uint64(100*i+run))
				checkAltered(t, db, table, a.check)
				mustExec(t, db, "DROP TABLE "+schema.QuoteIdent(table), "DROP TABLE "+schema.QuoteIdent(table+"_mirror"))
			}
			assertClean(t, db)
		})
	}
}

// diffRows logs the rows that differ between a table and its mirror.
func diffRows(t *testing.T, db *sql.DB, table, mirror string) {
	t.Helper()
	q := fmt.Sprintf(`SELECT 'table' AS side, x.id, x.a, x.b, x.c FROM %[1]s x LEFT JOIN %[2]s y ON x.id = y.id AND x.a <=> y.a AND x.b <=> y.b AND x.c <=> y.c AND x.d <=> y.d AND x.e <=> y.e WHERE y.id IS NULL
		UNION ALL SELECT 'mirror', y.id, y.a, y.b, y.c FROM %[2]s y LEFT JOIN %[1]s x ON x.id = y.id AND x.a <=> y.a AND x.b <=> y.b AND x.c <=> y.c AND x.d <=> y.d AND x.e <=> y.e WHERE x.id IS NULL LIMIT 20`, schema.QuoteIdent(table), schema.QuoteIdent(mirror))
	rows, err := db.Query(q)
	if err != nil {
		t.Error(err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var side, b string
		var id, a int64
		var c sql.NullString
		if err := rows.Scan(&side, &id, &a, &b, &c); err != nil {
			t.Error(err)
			return
		}
		t.Logf("%s: id=%d a=%d b=%q c=%v", side, id, a, b, c)
	}
}
