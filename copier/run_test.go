package copier

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

func TestRunCutsOver(t *testing.T) { testenv.EachServer(t, testRunCutsOver) }

func testRunCutsOver(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 20000)
	mustExec(t, db, "DELETE FROM t WHERE id > 19990") // the counter stays at 20001
	n1, h1 := tableDigest(t, db, "t", "id, a, b, c, d, e")
	var reports []Progress
	res, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD COLUMN f INT NOT NULL DEFAULT 7, ALGORITHM=INSTANT", Execute: true,
		Progress: func(p Progress) { reports = append(reports, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.CutOver || res.Rows != 19990 || res.Chunks == 0 || res.RowsPerSecond <= 0 || res.OldTable != "" {
		t.Errorf("result %+v", res)
	}
	if n2, h2 := tableDigest(t, db, "t", "id, a, b, c, d, e"); n1 != n2 || h1 != h2 {
		t.Errorf("content changed: %d %s -> %d %s", n1, h1, n2, h2)
	}
	var bad int
	if err := db.QueryRow("SELECT COUNT(*) FROM t WHERE f <> 7").Scan(&bad); err != nil || bad != 0 {
		t.Errorf("new column: %d rows without the default, %v", bad, err)
	}
	// The ids of the deleted rows are not handed out again.
	mustExec(t, db, "INSERT INTO t (a, b) VALUES (1, 'new')")
	var id int64
	if err := db.QueryRow("SELECT id FROM t WHERE b = 'new'").Scan(&id); err != nil || id != 20001 {
		t.Errorf("next id %d, %v; want 20001", id, err)
	}
	if len(reports) == 0 || reports[0].Phase != phaseCopy || reports[len(reports)-1].Phase != phaseCutover {
		t.Errorf("progress reports %+v", reports)
	}
	for _, p := range reports {
		if p.Total < p.Copied || p.Copied < 0 {
			t.Errorf("progress %+v", p)
		}
	}
	assertClean(t, db)
}

func TestRunDryRun(t *testing.T) { testenv.EachServer(t, testRunDryRun) }

func testRunDryRun(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 5000)
	before := createTable(t, db, "t")
	n1, h1 := tableDigest(t, db, "t", "id, a, b, c, d, e")
	res, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD INDEX (b), MODIFY a BIGINT NOT NULL"})
	if err != nil {
		t.Fatal(err)
	}
	if res.CutOver || res.Rows != 5000 {
		t.Errorf("result %+v", res)
	}
	if after := createTable(t, db, "t"); after != before {
		t.Errorf("the table changed:\n%s\n%s", before, after)
	}
	if n2, h2 := tableDigest(t, db, "t", "id, a, b, c, d, e"); n1 != n2 || h1 != h2 {
		t.Errorf("content changed")
	}
	assertClean(t, db)
}

func TestRunKeepOld(t *testing.T) { testenv.EachServer(t, testRunKeepOld) }

func testRunKeepOld(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 3000)
	n1, h1 := tableDigest(t, db, "t", "id, a, b, c, d, e")
	res, err := Run(context.Background(), db, Options{Table: "t", Alter: "DROP COLUMN e", Execute: true, KeepOld: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.CutOver || res.OldTable != "_t_sg_old" {
		t.Fatalf("result %+v", res)
	}
	if n2, h2 := tableDigest(t, db, "_t_sg_old", "id, a, b, c, d, e"); n1 != n2 || h1 != h2 {
		t.Errorf("the old table is not the original")
	}
	if left, err := Leftovers(context.Background(), db, "t"); err != nil || strings.Join(left, ",") != "_t_sg_old" {
		t.Errorf("Leftovers = %v, %v", left, err)
	}
	if _, err := Cleanup(context.Background(), db, "t"); err != nil {
		t.Fatal(err)
	}
	assertClean(t, db)
}

// TestRunCancelled cancels the context in the middle of the copy: the run fails (it is not a
// refusal) and leaves no table and no trigger behind.
func TestRunCancelled(t *testing.T) { testenv.EachServer(t, testRunCancelled) }

func testRunCancelled(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 20000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := Run(ctx, db, Options{Table: "t", Alter: "ADD COLUMN f INT", Execute: true, ChunkTime: time.Millisecond,
		Progress: func(Progress) { cancel() }})
	var ref *Refusal
	if err == nil || errors.As(err, &ref) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v, want a cancellation", err)
	}
	if res == nil || res.CutOver || res.Rows >= 20000 {
		t.Errorf("result %+v", res)
	}
	assertClean(t, db)
	if cols := createTable(t, db, "t"); strings.Contains(cols, "`f`") {
		t.Errorf("the table changed: %s", cols)
	}
}

// TestRunRecoversPanic: a panic inside the run (here in the caller's progress callback) is an
// error, and the cleanup still happens.
func TestRunRecoversPanic(t *testing.T) { testenv.EachServer(t, testRunRecoversPanic) }

func testRunRecoversPanic(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 3000)
	_, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD COLUMN f INT", Execute: true,
		Progress: func(Progress) { panic("boom") }})
	if err == nil || !strings.Contains(err.Error(), "internal error: boom") {
		t.Fatalf("Run: %v", err)
	}
	assertClean(t, db)
}

// TestRunCompositeStringKey copies a table whose primary key is (string, int) under a
// case-insensitive collation, in small chunks, and renames a column with its values.
func TestRunCompositeStringKey(t *testing.T) { testenv.EachServer(t, testRunCompositeStringKey) }

func testRunCompositeStringKey(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	mustExec(t, db, `CREATE TABLE t (k VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL, n INT NOT NULL,
		v VARCHAR(20) NULL, PRIMARY KEY (k, n)) ENGINE=InnoDB`,
		`INSERT INTO t SELECT CONCAT(ELT(1 + seq % 5, 'a', 'B', 'é', 'c''q', 'Ä'), seq DIV 100), seq % 100, CONCAT('v', seq) FROM `+testenv.Seq(3000))
	sum1 := queryDigest(t, db, "SELECT k, n, v FROM t ORDER BY k, n")
	res, err := Run(context.Background(), db, Options{Table: "t", Alter: "CHANGE COLUMN v w VARCHAR(30) NULL", Renames: map[string]string{"w": "v"},
		Execute: true, ChunkTime: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	sum2 := queryDigest(t, db, "SELECT k, n, w FROM t ORDER BY k, n")
	if sum1 != sum2 || res.Rows != 3000 || res.Chunks < 3 {
		t.Errorf("content %s -> %s, result %+v", sum1, sum2, res)
	}
	assertClean(t, db)
}

// TestRunReaddedColumn: a column the ALTER drops and adds again is a new column: it gets its
// default, not the old values.
func TestRunReaddedColumn(t *testing.T) { testenv.EachServer(t, testRunReaddedColumn) }

func testRunReaddedColumn(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 500)
	if _, err := Run(context.Background(), db, Options{Table: "t", Alter: "DROP COLUMN a, ADD COLUMN a INT NOT NULL DEFAULT 5", Execute: true}); err != nil {
		t.Fatal(err)
	}
	var bad int
	if err := db.QueryRow("SELECT COUNT(*) FROM t WHERE a <> 5").Scan(&bad); err != nil || bad != 0 {
		t.Errorf("%d rows kept their old value, %v", bad, err)
	}
	assertClean(t, db)
}

func TestRunEmptyTable(t *testing.T) { testenv.EachServer(t, testRunEmptyTable) }

func testRunEmptyTable(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 0)
	res, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD COLUMN f INT", Execute: true})
	if err != nil || !res.CutOver || res.Rows != 0 {
		t.Fatalf("Run: %+v, %v", res, err)
	}
	assertClean(t, db)
}
