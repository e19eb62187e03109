package dryrun

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/schema"
)

func writerTable() *schema.Table {
	return &schema.Table{Name: "t", Columns: []*schema.Column{
		{Name: "id", Type: "int(11)", DataType: "int", AutoIncrement: true},
		{Name: "email", Type: "varchar(60)", DataType: "varchar", Charset: "utf8mb4", Collation: "utf8mb4_general_ci"},
		{Name: "n", Type: "int(11)", DataType: "int", Nullable: true},
		{Name: "at", Type: "datetime", DataType: "datetime", Nullable: true},
	}, Indexes: []*schema.Index{
		{Name: "PRIMARY", Primary: true, Unique: true, Parts: []schema.IndexPart{{Column: "id"}}},
		{Name: "uk_email", Unique: true, Parts: []schema.IndexPart{{Column: "email"}}},
	}}
}

func TestWriterIsDeterministic(t *testing.T) {
	ops := func(seed int64) []string {
		g, err := newGenerator(writerTable(), schema.Flavor{Kind: schema.MariaDB}, seed)
		if err != nil {
			t.Fatal(err)
		}
		g.sample(100)
		w := newWriter(g, seed, 0)
		for i := range 100 {
			w.live = append(w.live, []cell{plain(string(rune('1' + i%9)))})
		}
		var out []string
		for range 400 {
			op, ok := w.next()
			if !ok {
				t.Fatal("the writer ran out of writes")
			}
			w.record(op, nil)
			out = append(out, op.sql)
		}
		return out
	}
	a := ops(9)
	if !slices.Equal(a, ops(9)) {
		t.Fatal("the same seed gave different writes")
	}
	if slices.Equal(a, ops(10)) {
		t.Fatal("another seed gave the same writes")
	}
	kinds := map[string]int{}
	deleted := map[string]bool{}
	for _, s := range a {
		kinds[strings.Fields(s)[0]]++
		if strings.HasPrefix(s, "UPDATE") && strings.Contains(s, "SET `id` =") || strings.Contains(s, ", `id` =") {
			kinds["key change"]++
		}
		if strings.HasSuffix(s, "ORDER BY `id` LIMIT 20") {
			kinds["range update"]++
		}
		if id, ok := strings.CutPrefix(s, "DELETE FROM `t` WHERE `id` = "); ok {
			deleted[id] = true
		}
		if rest, ok := strings.CutPrefix(s, "INSERT INTO `t` (`id`, `email`, `n`, `at`) VALUES ("); ok {
			if id, _, _ := strings.Cut(rest, ","); deleted[id] {
				kinds["reused key"]++
			}
		}
	}
	for _, k := range []string{"INSERT", "UPDATE", "DELETE", "key change", "range update", "reused key"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in 400 writes: %v", k, kinds)
		}
	}
}

func TestWriterAppliesIdenticallyToTwoTables(t *testing.T) {
	testenv.EachServer(t, testWriterAppliesIdenticallyToTwoTables)
}

func testWriterAppliesIdenticallyToTwoTables(t *testing.T, srv testenv.Server) {
	ctx := testCtx(t)
	m := modelOf(t, everyFamilyFor(srv), "")
	dbA, connA, _ := sampleTable(t, m)
	dbB, connB, _ := sampleTable(t, m)
	g, err := newGenerator(m.before, m.flavor, 5)
	if err != nil {
		t.Fatal(err)
	}
	rows := g.sample(500)
	if _, _, err := g.load(ctx, connA, rows, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := g.load(ctx, connB, rows, false); err != nil {
		t.Fatal(err)
	}
	w := newWriter(g, 5, 600)
	if err := w.readLive(ctx, connA); err != nil {
		t.Fatal(err)
	}
	if len(w.live) != 500 {
		t.Fatalf("%d live rows", len(w.live))
	}
	go w.run(ctx, connA)
	w.waitFor(ctx, 600, time.Minute)
	if err := w.stop(); err != nil {
		t.Fatal(err)
	}
	if err := w.stop(); err != nil { // stop again: a no-op
		t.Fatal(err)
	}
	if len(w.ops) != 600 {
		t.Fatalf("%d writes, want 600", len(w.ops))
	}
	rep, err := w.replay(ctx, connB)
	if err != nil {
		t.Fatal(err)
	}
	if rep.rejected == 0 || rep.blocked != 0 || rep.diverged != 0 || rep.applied+rep.rejected != 600 {
		t.Errorf("replay: %+v", rep)
	}
	d, err := compareTables(ctx, dbA, dbB, "t")
	if err != nil {
		t.Fatal(err)
	}
	if !d.same() || d.refRows == 500 {
		t.Errorf("the tables differ after the same writes, or nothing was written: %+v", d)
	}
}

func TestWriterStopsEarly(t *testing.T) { testenv.EachServer(t, testWriterStopsEarly) }

func testWriterStopsEarly(t *testing.T, _ testenv.Server) {
	ctx := testCtx(t)
	m := modelOf(t, "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(10))", "")
	_, conn, _ := sampleTable(t, m)
	g, err := newGenerator(m.before, m.flavor, 3)
	if err != nil {
		t.Fatal(err)
	}
	w := newWriter(g, 3, 1_000_000)
	w.pause = time.Millisecond
	go w.run(ctx, conn)
	w.waitFor(ctx, 20, time.Minute)
	if err := w.stop(); err != nil {
		t.Fatal(err)
	}
	n := len(w.ops)
	if n < 20 || n > 10000 {
		t.Fatalf("%d writes before stop", n)
	}
	if got := count(t, conn, "SELECT COUNT(*) FROM t"); got == 0 {
		t.Fatal("nothing written")
	}
}
