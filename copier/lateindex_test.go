package copier

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestRunBuildsIndexesAfterCopy copies a table with indexes of every kind the deferral must
// tell apart, while the application writes, and compares the result with the same ALTER run on
// a twin table given the same writes: the same definition (SHOW CREATE TABLE, index order,
// prefixes, comments, DESC and invisible/ignored included) and the same rows. The plain indexes
// after the last one that cannot wait (on a generated column; MySQL lists it last, so there
// it holds none back) are built after the copy, and only they; with NoDeferIndexes, none is.
func TestRunBuildsIndexesAfterCopy(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, srv testenv.Server) {
		t.Run("deferred", func(t *testing.T) { testRunBuildsIndexesAfterCopy(t, srv, false) })
		t.Run("no deferral", func(t *testing.T) { testRunBuildsIndexesAfterCopy(t, srv, true) })
	})
}

func testRunBuildsIndexesAfterCopy(t *testing.T, srv testenv.Server, noDefer bool) {
	db := scratch(t)
	hidden := "IGNORED"
	if srv.MySQL() {
		hidden = "INVISIBLE"
	}
	const rows = 20000
	for _, table := range []string{"t", "twin"} {
		mustExec(t, db, "CREATE TABLE "+table+` (
			id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
			a INT NOT NULL, b VARCHAR(40) NOT NULL, c DECIMAL(10,2) NULL, d DATETIME NULL,
			g INT AS (a * 2) VIRTUAL,
			UNIQUE KEY ub (b),
			KEY ka (a),
			KEY kg (g),
			KEY kbd (b(10), d) COMMENT 'prefix, then a second column',
			KEY kc (c DESC) `+hidden+`
		) ENGINE=InnoDB`,
			"INSERT INTO "+table+" (id, a, b, c, d) SELECT seq + 1, seq % 300, CONCAT('row ', seq), seq % 1000 / 4, '2024-05-06 07:08:09' - INTERVAL seq MINUTE FROM "+testenv.Seq(rows))
	}
	alter := "ADD COLUMN f INT NULL, ADD INDEX kf (f, a)"
	mustExec(t, db, "ALTER TABLE twin "+alter)

	// The application writes to both tables until the copy is complete, the deferred indexes
	// built included (BeforeCutover comes after them).
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var wg sync.WaitGroup
	var writes atomic.Int64
	var writeErr atomic.Value
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; i++ {
			k := i*7919%rows + 1
			var stmts []string
			switch i % 3 {
			case 0:
				stmts = []string{fmt.Sprintf("UPDATE %%s SET a = a + 1, c = NULL WHERE id = %d", k)}
			case 1:
				stmts = []string{fmt.Sprintf("INSERT INTO %%s (id, a, b, d) VALUES (%d, %d, 'new %d', '2025-01-01 00:00:00')", rows+1+i, i%300, i)}
			default:
				stmts = []string{fmt.Sprintf("DELETE FROM %%s WHERE id = %d", k)}
			}
			for _, s := range stmts {
				for _, table := range []string{"t", "twin"} {
					if _, err := db.ExecContext(context.Background(), fmt.Sprintf(s, table)); err != nil {
						writeErr.CompareAndSwap(nil, fmt.Errorf("%s: %w", fmt.Sprintf(s, table), err))
						return
					}
				}
			}
			writes.Add(1)
		}
	})
	var phases []string
	res, err := Run(context.Background(), db, Options{Table: "t", Alter: alter, Execute: true, NoDeferIndexes: noDefer,
		ChunkTime: 20 * time.Millisecond, // several chunks
		Progress: func(p Progress) {
			if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
				phases = append(phases, p.Phase)
			}
		},
		BeforeCutover: func(context.Context) error { stop(); wg.Wait(); return nil }})
	stop()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if e := writeErr.Load(); e != nil {
		t.Fatalf("an application write failed: %v", e)
	}
	want := []string{"kbd", "kc", "kf"}
	if srv.MySQL() {
		want = []string{"ka", "kbd", "kc", "kf"} // MySQL lists kg, over a virtual column, last
	}
	if noDefer {
		want = nil
	}
	if !slices.Equal(res.IndexesBuilt, want) {
		t.Errorf("built after the copy: %v, want %v", res.IndexesBuilt, want)
	}
	if got := slices.Contains(phases, phaseIndex); got != !noDefer {
		t.Errorf("progress phases %v", phases)
	}
	counter := regexp.MustCompile(` AUTO_INCREMENT=\d+`)
	name := regexp.MustCompile("^CREATE TABLE `[a-z]+`")
	def := func(table string) string {
		return name.ReplaceAllString(counter.ReplaceAllString(createTable(t, db, table), ""), "CREATE TABLE")
	}
	if got, ref := def("t"), def("twin"); got != ref {
		t.Errorf("the copied table's definition differs from the plain ALTER's:\n%s\nwant\n%s", got, ref)
	}
	cols := "id, a, b, c, d, g, f"
	n1, h1 := tableDigest(t, db, "t", cols)
	n2, h2 := tableDigest(t, db, "twin", cols)
	if n1 != n2 || h1 != h2 {
		t.Errorf("the copied table holds %d rows (%s), the twin %d (%s)", n1, h1, n2, h2)
	}
	// The indexes answer as the twin's do: each one read on its own.
	// (kc is invisible or ignored: FORCE INDEX cannot name it.)
	for _, ix := range []string{"ka", "kbd", "kf"} {
		q := "SELECT COUNT(*), COALESCE(SUM(a), 0) FROM %s FORCE INDEX (" + ix + ") WHERE a >= 0"
		if a, b := queryDigest(t, db, fmt.Sprintf(q, "t")), queryDigest(t, db, fmt.Sprintf(q, "twin")); a != b {
			t.Errorf("index %s reads differently in the copy", ix)
		}
	}
	t.Logf("%d application writes during the copy; built after it: %v in %s", writes.Load(), res.IndexesBuilt, res.IndexTime)
	assertClean(t, db)
}
