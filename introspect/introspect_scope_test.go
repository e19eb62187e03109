package introspect

import (
	"context"
	"reflect"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

func TestScopeFilter(t *testing.T) {
	cases := []struct {
		sc   scope
		cond string
		args int
	}{
		{allTables("d"), "", 0},
		{someTables("d", nil), " AND 1 = 0", 0},
		{someTables("d", []string{"a"}), " AND TABLE_NAME IN (?)", 1},
		{someTables("d", []string{"a", "b", "c"}), " AND TABLE_NAME IN (?, ?, ?)", 3},
	}
	for _, c := range cases {
		cond, args := c.sc.filter("TABLE_NAME")
		if cond != c.cond || len(args) != c.args {
			t.Errorf("%+v: %q %v", c.sc, cond, args)
		}
	}
	if sc := someTables("d", []string{"Users"}); sc.keep("users") || !sc.keep("Users") || !allTables("d").keep("x") {
		t.Error("keep must match names exactly")
	}
}

// TestIntrospectTablesMatchesIntrospect reads a subset of the fixture's tables and compares each
// with what full introspection reads: the filter must change what is read, never how.
func TestIntrospectTablesMatchesIntrospect(t *testing.T) {
	testenv.EachServer(t, testIntrospectTablesMatchesIntrospect)
}

func testIntrospectTablesMatchesIntrospect(t *testing.T, srv testenv.Server) {
	db, name, f := introspectScratch(t, testenv.Fixture(srv))
	ctx := context.Background()
	full, err := Introspect(ctx, db, name, f)
	if err != nil {
		t.Fatal(err)
	}
	// "CHILD" differs from a stored name only in case and "missing" does not exist: both absent.
	part, err := IntrospectTables(ctx, db, name, f, []string{"kitchen", "child", "CHILD", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	if part.Name != full.Name || part.Charset != full.Charset || part.Collation != full.Collation || part.Flavor != full.Flavor {
		t.Errorf("schema header %q %q %q, want %q %q %q", part.Name, part.Charset, part.Collation, full.Name, full.Charset, full.Collation)
	}
	if len(part.Tables) != 2 || part.Tables[0].Name != "child" || part.Tables[1].Name != "kitchen" {
		t.Fatalf("tables = %d %v", len(part.Tables), part.Tables)
	}
	for _, tbl := range part.Tables {
		if !reflect.DeepEqual(tbl, full.Table(tbl.Name)) {
			t.Errorf("%s differs from full introspection:\n%+v\n%+v", tbl.Name, tbl, full.Table(tbl.Name))
		}
	}
	// child's three triggers, none of another table; no views or routines.
	var want []string
	for _, tr := range full.Triggers {
		if tr.Table == "child" || tr.Table == "kitchen" {
			want = append(want, tr.Name)
		}
	}
	var got []string
	for i, tr := range part.Triggers {
		got = append(got, tr.Name)
		if !reflect.DeepEqual(tr, full.Triggers[i]) {
			t.Errorf("trigger %s = %+v, want %+v", tr.Name, tr, full.Triggers[i])
		}
	}
	if len(want) != 3 || !reflect.DeepEqual(got, want) {
		t.Errorf("triggers = %v, want %v", got, want)
	}
	if len(part.Views) != 0 || len(part.Routines) != 0 {
		t.Errorf("views %d, routines %d: IntrospectTables reads neither", len(part.Views), len(part.Routines))
	}

	none, err := IntrospectTables(ctx, db, name, f, nil)
	if err != nil || len(none.Tables)+len(none.Triggers) != 0 {
		t.Errorf("no tables asked: %+v, %v", none, err)
	}
}

func TestIntrospectTablesQueryCountIsFixed(t *testing.T) {
	testenv.EachServer(t, testIntrospectTablesQueryCountIsFixed)
}

func testIntrospectTablesQueryCountIsFixed(t *testing.T, _ testenv.Server) {
	db, name, f := introspectScratch(t, manyTables(8))
	ctx := context.Background()
	count := func(tables []string) int64 {
		q := &countingQuerier{Querier: db}
		s, err := IntrospectTables(ctx, q, name, f, tables)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Tables) != len(tables) {
			t.Fatalf("%d tables read, %d asked", len(s.Tables), len(tables))
		}
		return q.n.Load()
	}
	// Every table has a foreign key but t000, so both reads need the foreign key columns.
	one, six := count([]string{"t001"}), count([]string{"t001", "t002", "t003", "t004", "t005", "t006"})
	if one != six || one > 8 {
		t.Errorf("1 table took %d queries, 6 tables %d: want the same, at most 8", one, six)
	}
}
