package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/internal/testenv/imageserver"
)

// TestRunOnZonedServer runs the value tests that need a server whose global time zone is not
// UTC and whose sql_mode refuses zero dates: a private server of each image (imageserver.ZoneArgs).
func TestRunOnZonedServer(t *testing.T) {
	testenv.EachImage(t, func(t *testing.T, img testenv.ServerImage) {
		newDB := imageserver.Start(t, img.Ref, imageserver.ZoneArgs)
		t.Run("timestamp conversions", func(t *testing.T) { testZoneConversions(t, newDB) })
		t.Run("default current_timestamp", func(t *testing.T) { testZoneDefault(t, newDB) })
		t.Run("sql_mode", func(t *testing.T) { testServerSQLMode(t, newDB) })
	})
}

// zoneTable holds DATETIME and TIMESTAMP values an hour and a half apart, some NULL.
const zoneTable = `CREATE TABLE %s (
	id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	dt DATETIME NULL,
	ts TIMESTAMP NULL DEFAULT NULL,
	note VARCHAR(20) NOT NULL
) ENGINE=InnoDB`

// testZoneConversions changes a DATETIME column to TIMESTAMP and a TIMESTAMP column to DATETIME
// while two sessions write, one in the server's zone (+02:00) and one in -05:00, and checks that
// every row of the new table, those the chunks copied and those the triggers wrote, equals what
// a plain ALTER run in the server's default session makes of the same rows.
func testZoneConversions(t *testing.T, newDB func(*testing.T) (*sql.DB, string)) {
	db, _ := newDB(t)
	const rows = 4000
	for _, table := range []string{"t", "ref"} {
		mustExec(t, db, fmt.Sprintf(zoneTable, table))
	}
	mustExec(t, db, "INSERT INTO t (id, dt, ts, note) SELECT seq, '2024-03-30 20:00:00' + INTERVAL seq * 37 MINUTE, "+
		"IF(seq % 11 = 0, NULL, '2024-10-26 22:00:00' + INTERVAL seq * 53 MINUTE), CONCAT('row ', seq) FROM "+testenv.Seq(rows),
		"INSERT INTO ref SELECT * FROM t")
	w := &zoneWriters{db: db, next: rows + 1}
	if err := w.start(); err != nil {
		t.Fatal(err)
	}
	defer w.stop()
	const alter = "MODIFY dt TIMESTAMP NULL DEFAULT NULL, MODIFY ts DATETIME NULL"
	var during int64
	res, err := Run(context.Background(), db, Options{Table: "t", Alter: alter, Execute: true, ChunkTime: 2 * time.Millisecond,
		BeforeCutover: func(ctx context.Context) error {
			// The triggers exist since before the first chunk: these writes reach the shadow
			// through them.
			if !waitForCount(func() int64 { return w.ops.Load() }, 100, time.Minute) {
				return errors.New("the writers made fewer than 100 writes")
			}
			during = w.stop()
			return w.err()
		}})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !res.CutOver || res.Rows < rows/2 {
		t.Fatalf("result %+v", res)
	}
	mustExec(t, db, "ALTER TABLE ref "+alter)
	compareZoned(t, db, "t", "ref", "id, dt, ts, note")
	t.Logf("%d rows copied, %d writes by the triggers", res.Rows, during)
}

// compareZoned compares two tables row by row, read in the server's zone and in UTC.
func compareZoned(t *testing.T, db *sql.DB, a, b, cols string) {
	t.Helper()
	for _, zone := range []string{"", "+00:00"} {
		conn, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer discard(conn)
		if zone != "" {
			if _, err := conn.ExecContext(context.Background(), "SET time_zone = '"+zone+"'"); err != nil {
				t.Fatal(err)
			}
		}
		var bad int64
		q := fmt.Sprintf("SELECT (SELECT COUNT(*) FROM %[1]s x LEFT JOIN %[2]s y ON x.id = y.id AND x.dt <=> y.dt AND x.ts <=> y.ts WHERE y.id IS NULL) + "+
			"(SELECT COUNT(*) FROM %[2]s y LEFT JOIN %[1]s x ON x.id = y.id AND x.dt <=> y.dt AND x.ts <=> y.ts WHERE x.id IS NULL)", a, b)
		if err := conn.QueryRowContext(context.Background(), q).Scan(&bad); err != nil {
			t.Fatal(err)
		}
		if bad > 0 {
			var ex string
			_ = conn.QueryRowContext(context.Background(), fmt.Sprintf("SELECT CONCAT_WS(' ', x.id, x.dt, x.ts, 'against', y.dt, y.ts) FROM %s x JOIN %s y ON x.id = y.id WHERE NOT (x.dt <=> y.dt AND x.ts <=> y.ts) LIMIT 1", a, b)).Scan(&ex)
			t.Errorf("session zone %q: %d rows differ from the plain ALTER's; for example id %s", zone, bad, ex)
		}
	}
	n1, h1 := digestRows(t, db, fmt.Sprintf("SELECT %s FROM %s ORDER BY id", cols, a))
	n2, h2 := digestRows(t, db, fmt.Sprintf("SELECT %s FROM %s ORDER BY id", cols, b))
	if n1 != n2 || h1 != h2 {
		t.Errorf("%s: %d rows (%s), %s: %d rows (%s)", a, n1, h1, b, n2, h2)
	}
}

// zoneWriters are two application sessions, one in the server's zone and one in -05:00, each
// making every change to t and to ref. They write on disjoint keys (odd, even).
type zoneWriters struct {
	db      *sql.DB
	next    int
	ops     atomic.Int64
	done    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
	mu      sync.Mutex
	failure error
}

func (w *zoneWriters) start() error {
	w.done = make(chan struct{})
	for lane, zone := range []string{"", "-05:00"} {
		conn, err := w.db.Conn(context.Background())
		if err != nil {
			return err
		}
		if zone != "" {
			if _, err := conn.ExecContext(context.Background(), "SET time_zone = '"+zone+"'"); err != nil {
				return err
			}
		}
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			// Never back to the pool: the next user would get the session's time zone.
			defer discard(conn)
			if err := w.write(conn, lane); err != nil {
				w.mu.Lock()
				w.failure = err
				w.mu.Unlock()
			}
		}()
	}
	return nil
}

func (w *zoneWriters) write(conn *sql.Conn, lane int) error {
	ctx := context.Background()
	next := w.next + lane
	for i := 0; ; i++ {
		select {
		case <-w.done:
			return nil
		default:
		}
		var q string
		k := 1 + lane + 2*((i*7919)%1900)
		switch i % 4 {
		case 0:
			q = fmt.Sprintf("INSERT INTO %%s (id, dt, ts, note) VALUES (%d, '2024-06-01 12:00:00' + INTERVAL %d MINUTE, '2024-07-01 00:30:00' + INTERVAL %d MINUTE, 'new')", next, i, 3*i)
			next += 2
		case 1:
			q = fmt.Sprintf("UPDATE %%s SET dt = '2025-01-01 01:02:03' + INTERVAL %d SECOND, ts = '2025-02-02 02:03:04' - INTERVAL %d MINUTE, note = 'upd' WHERE id = %d", i, i, k)
		case 2:
			q = fmt.Sprintf("UPDATE %%s SET ts = NULL, dt = '2023-12-31 23:30:00' WHERE id = %d", k+2)
		default:
			q = fmt.Sprintf("DELETE FROM %%s WHERE id = %d", k+4)
		}
		for _, table := range []string{"t", "ref"} {
			if _, err := conn.ExecContext(ctx, fmt.Sprintf(q, table)); err != nil {
				return fmt.Errorf("%s: %w", fmt.Sprintf(q, table), err)
			}
		}
		w.ops.Add(1)
	}
}

// stop stops the writers, waits for them and returns how many writes they made.
func (w *zoneWriters) stop() int64 {
	w.once.Do(func() { close(w.done) })
	w.wg.Wait()
	return w.ops.Load()
}

func (w *zoneWriters) err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.failure
}

// testZoneDefault adds a DATETIME column whose default is CURRENT_TIMESTAMP: the copied rows
// get the current time in the server's zone, as a plain ALTER gives them, not in UTC.
func testZoneDefault(t *testing.T, newDB func(*testing.T) (*sql.DB, string)) {
	db, _ := newDB(t)
	mustExec(t, db, fmt.Sprintf(zoneTable, "t"), "INSERT INTO t (id, dt, note) SELECT seq, NOW(), 'x' FROM "+testenv.Seq(500))
	if _, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD COLUMN created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP", Execute: true}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	var off int64
	if err := db.QueryRow("SELECT MAX(ABS(TIMESTAMPDIFF(MINUTE, created, NOW()))) FROM t").Scan(&off); err != nil {
		t.Fatal(err)
	}
	if off > 30 {
		t.Errorf("the copied rows' created is %d minutes away from NOW() in the server's zone", off)
	}
}

// testServerSQLMode adds a column whose default has a zero month: the server's sql_mode
// (NO_ZERO_IN_DATE, strict) refuses it in a plain ALTER, so the copier refuses it with the
// server's reason, before copying a row, though its own copy session's mode would take it.
func testServerSQLMode(t *testing.T, newDB func(*testing.T) (*sql.DB, string)) {
	db, _ := newDB(t)
	fillTable(t, db, "t", 100)
	mustExec(t, db, "CREATE TABLE ref LIKE t")
	const alter = "ADD COLUMN dt DATETIME NOT NULL DEFAULT '1970-00-00'"
	_, plain := db.Exec("ALTER TABLE ref " + alter)
	me := mysqlError(plain)
	if me == nil {
		t.Fatalf("the plain ALTER: %v, want the server to refuse it", plain)
	}
	res, err := Run(context.Background(), db, Options{Table: "t", Alter: alter, Execute: true})
	var ref *Refusal
	if !errors.As(err, &ref) {
		t.Fatalf("Run: %v, want a refusal", err)
	}
	if !strings.Contains(ref.Reason, me.Message) || res.Rows != 0 {
		t.Errorf("refusal %q (%d rows copied), want the server's reason %q before any row", ref.Reason, res.Rows, me.Message)
	}
	assertClean(t, db)
}
