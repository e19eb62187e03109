package dryrun

import (
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

func TestCompareTables(t *testing.T) { testenv.EachServer(t, testCompareTables) }

func testCompareTables(t *testing.T, _ testenv.Server) {
	ctx := testCtx(t)
	m := modelOf(t, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, name VARCHAR(20), amount DECIMAL(8,2), b VARBINARY(4))", "")
	ref, refConn, _ := sampleTable(t, m)
	cp, cpConn, _ := sampleTable(t, m)
	fill := "INSERT INTO t VALUES (1,'a',1.00,X'00'),(2,'b',2.00,NULL),(3,NULL,3.00,X'ff'),(4,'d',4.00,''),(5,'',5.00,X'01')"
	for _, c := range []*sql.Conn{refConn, cpConn} {
		if _, err := c.ExecContext(ctx, fill); err != nil {
			t.Fatal(err)
		}
	}
	d, err := compareTables(ctx, ref, cp, "t")
	if err != nil {
		t.Fatal(err)
	}
	if !d.same() || d.refRows != 5 || d.copyRows != 5 {
		t.Fatalf("identical tables: %+v", d)
	}
	// Lost row 2, changed rows 3 (NULL to '') and 5 ('' to NULL), added row 9.
	for _, q := range []string{"DELETE FROM t WHERE id = 2", "UPDATE t SET name = '' WHERE id = 3",
		"UPDATE t SET name = NULL WHERE id = 5", "INSERT INTO t VALUES (9,'z',9.00,NULL)"} {
		if _, err := cpConn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if d, err = compareTables(ctx, ref, cp, "t"); err != nil {
		t.Fatal(err)
	}
	if d.lost != 1 || d.added != 1 || d.changed != 2 || len(d.schema) != 0 {
		t.Fatalf("got %+v", d)
	}
	if want := []string{"id=2", "id=3", "id=5", "id=9"}; !slices.Equal(d.examples, want) {
		t.Errorf("examples %q, want %q (lost first)", d.examples, want)
	}
	// A definition difference shows even with equal rows.
	if _, err := cpConn.ExecContext(ctx, "ALTER TABLE t MODIFY name VARCHAR(30), ADD INDEX k_amount (amount)"); err != nil {
		t.Fatal(err)
	}
	if d, err = compareTables(ctx, ref, cp, "t"); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(d.schema, "\n")
	if !strings.Contains(got, "column name: the copy has varchar(30)") || !strings.Contains(got, "index k_amount: only in the copy") {
		t.Errorf("schema differences:\n%s", got)
	}
}

func TestCompareWithoutKey(t *testing.T) { testenv.EachServer(t, testCompareWithoutKey) }

func testCompareWithoutKey(t *testing.T, _ testenv.Server) {
	ctx := testCtx(t)
	m := modelOf(t, "CREATE TABLE t (a INT, b VARCHAR(5))", "")
	ref, refConn, _ := sampleTable(t, m)
	cp, cpConn, _ := sampleTable(t, m)
	if _, err := refConn.ExecContext(ctx, "INSERT INTO t VALUES (1,'x'),(1,'x'),(2,'y')"); err != nil {
		t.Fatal(err)
	}
	if _, err := cpConn.ExecContext(ctx, "INSERT INTO t VALUES (1,'x'),(2,'y'),(2,'y')"); err != nil {
		t.Fatal(err)
	}
	d, err := compareTables(ctx, ref, cp, "t")
	if err != nil {
		t.Fatal(err)
	}
	if d.lost != 1 || d.added != 1 || d.changed != 0 {
		t.Fatalf("as multisets: %+v", d)
	}
	if !slices.Equal(d.examples, []string{"a=1 b='x'", "a=2 b='y'"}) {
		t.Errorf("examples %q", d.examples)
	}
}
