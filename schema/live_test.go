package schema_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// These tests run against the real MariaDB test server: every state is real DDL, introspected by
// the runner, and every generated statement is executed. The corpus is in live_corpus_test.go.

// liveDB is a scratch database loaded with a state.
type liveDB struct {
	db   *sql.DB
	name string
	f    schema.Flavor
}

// loadState creates a scratch database and runs stmts in it; the database is dropped when the
// test ends.
func loadState(t *testing.T, stmts []string) liveDB {
	t.Helper()
	db, name := testenv.ScratchDB(t)
	ctx := context.Background()
	// One connection: a statement that fails leaves no half-open session behind, and session
	// settings never leak between states.
	db.SetMaxOpenConns(1)
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("load state: %v in:\n%s", err, s)
		}
	}
	f, err := introspect.ReadFlavor(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return liveDB{db, name, f}
}

func (l liveDB) introspect(t *testing.T) *schema.Schema {
	t.Helper()
	s, err := introspect.Introspect(context.Background(), l.db, l.name, l.f)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// flavorOf reads the flavour of the server the test runs on.
func flavorOf(t *testing.T) schema.Flavor {
	t.Helper()
	return loadState(t, nil).f
}

// apply runs statements one by one and reports the first that fails.
func (l liveDB) apply(stmts []string) error {
	for i, s := range stmts {
		if _, err := l.db.ExecContext(context.Background(), s); err != nil {
			return fmt.Errorf("statement %d: %w\n%s", i+1, err, s)
		}
	}
	return nil
}

// describe lists changes one per line for failure messages: "column different t.a".
func describe(changes []schema.Change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = fmt.Sprintf("%s %s %s", c.Kind, c.Change, c.Object())
		if c.Change == schema.Renamed {
			out[i] += " (was " + c.OldName + ")"
		}
	}
	return out
}

func dump(changes []schema.Change) string {
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "  %s %s %s\n    from: %s\n    to:   %s\n", c.Kind, c.Change, c.Object(), c.From, c.To)
	}
	return b.String()
}

// reconcile checks one direction: Diff(from, to) applied to from's database yields to.
func reconcile(t *testing.T, label string, db liveDB, from, to *schema.Schema, hints map[string]string) *schema.Delta {
	t.Helper()
	d := schema.Diff(from, to, schema.DiffOptions{Renamed: hints})
	if again := schema.Diff(from, to, schema.DiffOptions{Renamed: hints}); !reflect.DeepEqual(d, again) {
		t.Errorf("%s: Diff is not deterministic", label)
	}
	if d.Empty() {
		t.Errorf("%s: no differences found", label)
		return d
	}
	for _, c := range d.Changes {
		if len(c.Fix) == 0 {
			t.Errorf("%s: %s %s %s has no fix", label, c.Kind, c.Change, c.Object())
		}
	}
	script := strings.Join(d.Statements, ";\n") + ";"
	t.Logf("%s changes:\n%s\nscript:\n%s", label, dump(d.Changes), script)
	if err := db.apply(d.Statements); err != nil {
		t.Fatalf("%s: apply: %v\nchanges:\n%s\nscript:\n%s", label, err, dump(d.Changes), script)
	}
	after := db.introspect(t)
	if rest := schema.Diff(after, to, schema.DiffOptions{}); !rest.Empty() {
		t.Errorf("%s: differences remain after the script:\n%s\nscript:\n%s\nremaining statements:\n%s",
			label, dump(rest.Changes), script, strings.Join(rest.Statements, ";\n"))
	}
	return d
}

// renderRoundTrip writes s with the exported render functions into a fresh database and checks
// that it introspects back to s.
func renderRoundTrip(t *testing.T, label string, s *schema.Schema) {
	t.Helper()
	stmts := s.CreateStatements()
	db := loadState(t, nil)
	if err := db.apply(stmts); err != nil {
		t.Fatalf("%s: render: %v", label, err)
	}
	back := db.introspect(t)
	if d := schema.Diff(s, back, schema.DiffOptions{}); !d.Empty() {
		t.Errorf("%s: rendered schema differs from the original:\n%s\nrendered:\n%s", label, dump(d.Changes),
			strings.Join(stmts, ";\n"))
	}

	// CreateTable on its own, each table with all its foreign keys, in name order: the
	// session (one connection) turns foreign key checks off, as a dump loader would.
	tables := loadState(t, nil)
	stmts = []string{"SET FOREIGN_KEY_CHECKS = 0"}
	for _, tbl := range s.Tables {
		stmts = append(stmts, s.CreateTable(tbl))
	}
	if err := tables.apply(stmts); err != nil {
		t.Fatalf("%s: CreateTable: %v", label, err)
	}
	onlyTables := *s
	onlyTables.Views, onlyTables.Triggers, onlyTables.Routines = nil, nil, nil
	if d := schema.Diff(&onlyTables, tables.introspect(t), schema.DiffOptions{}); !d.Empty() {
		t.Errorf("%s: tables written by CreateTable differ from the original:\n%s", label, dump(d.Changes))
	}
}

func TestLiveReconcile(t *testing.T) { testenv.EachServer(t, testLiveReconcile) }

func testLiveReconcile(t *testing.T, _ testenv.Server) {
	f := flavorOf(t)
	for _, c := range corpus {
		c := c.on(f)
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a, b := loadState(t, c.a), loadState(t, c.b)
			sa, sb := a.introspect(t), b.introspect(t)
			if c.flavor != nil {
				c.flavor(sa)
				c.flavor(sb)
			}
			d := reconcile(t, "A→B", a, sa, sb, c.hints)
			if c.want != nil {
				got := describe(d.Changes)
				slices.Sort(got)
				want := slices.Clone(c.want)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("A→B changes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
				}
			}
			reconcile(t, "B→A", b, sb, sa, c.hints)
			if c.hints != nil {
				// The way back with the hints inverted, as a caller may write them: same result.
				b2 := loadState(t, c.b)
				reconcile(t, "B→A, inverted hints", b2, sb, sa, invertHints(c.hints))
			}
			renderRoundTrip(t, "render A", sa)
			renderRoundTrip(t, "render B", sb)
		})
	}
}

func TestLiveEquivalent(t *testing.T) { testenv.EachServer(t, testLiveEquivalent) }

func testLiveEquivalent(t *testing.T, _ testenv.Server) {
	for _, c := range equivalent {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sa, sb := loadState(t, c.a).introspect(t), loadState(t, c.b).introspect(t)
			for _, d := range []*schema.Delta{schema.Diff(sa, sb, schema.DiffOptions{}), schema.Diff(sb, sa, schema.DiffOptions{})} {
				if !d.Empty() {
					t.Errorf("expected no difference, got:\n%s", dump(d.Changes))
				}
			}
		})
	}
}

// TestLiveColumnOrder checks the FIRST/AFTER sequencing on the server itself: random column
// lists (some dropped, some added, some changed, the rest shuffled) are reconciled and the
// resulting order must be the target's.
func TestLiveColumnOrder(t *testing.T) { testenv.EachServer(t, testLiveColumnOrder) }

func testLiveColumnOrder(t *testing.T, _ testenv.Server) {
	db := loadState(t, nil)
	r := rand.New(rand.NewPCG(7, 11))
	const cases = 40
	targets := map[string][]string{}
	var stmts []string
	for i := range cases {
		n := 2 + r.IntN(9)
		var from, to []string
		for j := range n {
			from = append(from, fmt.Sprintf("c%d INT", j))
		}
		for j := range n {
			switch k := r.IntN(6); {
			case k == 0: // dropped
			case k == 1:
				to = append(to, fmt.Sprintf("c%d BIGINT", j))
			default:
				to = append(to, fmt.Sprintf("c%d INT", j))
			}
		}
		for j := range r.IntN(3) {
			to = append(to, fmt.Sprintf("n%d INT", j))
		}
		if len(to) == 0 {
			to = append(to, "n9 INT")
		}
		r.Shuffle(len(to), func(a, b int) { to[a], to[b] = to[b], to[a] })
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE f%02d (%s)", i, strings.Join(from, ", ")),
			fmt.Sprintf("CREATE TABLE t%02d (%s)", i, strings.Join(to, ", ")))
		targets[fmt.Sprintf("f%02d", i)] = to
	}
	if err := db.apply(stmts); err != nil {
		t.Fatal(err)
	}
	s := db.introspect(t)
	var script []string
	for i := range cases {
		from, to := s.Table(fmt.Sprintf("f%02d", i)), *s.Table(fmt.Sprintf("t%02d", i))
		to.Name = from.Name
		d := schema.Diff(&schema.Schema{Name: s.Name, Flavor: s.Flavor, Tables: []*schema.Table{from}},
			&schema.Schema{Name: s.Name, Flavor: s.Flavor, Tables: []*schema.Table{&to}}, schema.DiffOptions{})
		script = append(script, d.Statements...)
	}
	if err := db.apply(script); err != nil {
		t.Fatal(err)
	}
	after := db.introspect(t)
	for name, to := range targets {
		var got, want []string
		for _, c := range after.Table(name).Columns {
			got = append(got, c.Name+" "+c.DataType)
		}
		for _, c := range to {
			want = append(want, strings.ToLower(c))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
}

// invertHints turns new → old hints into old → new ones, a column hint keeping its table's new
// name: {"t2": "t1", "t2.b": "a"} becomes {"t1": "t2", "t2.a": "b"}.
func invertHints(hints map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range hints {
		if table, col, ok := strings.Cut(k, "."); ok {
			out[table+"."+v] = col
		} else {
			out[v] = k
		}
	}
	return out
}
