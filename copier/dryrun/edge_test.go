package dryrun

import (
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

const edgeBase = `CREATE TABLE t (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(50) NOT NULL,
  name VARCHAR(50),
  note VARCHAR(100),
  qty INT NOT NULL DEFAULT 0,
  price DECIMAL(10,2),
  flags BIT(8),
  ratio DOUBLE,
  title VARCHAR(50),
  at DATETIME(6),
  day DATE,
  status ENUM('new','paid','void') NOT NULL DEFAULT 'new',
  ref VARCHAR(10)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`

// edgeCases pair a deployed table and an ALTER with the edge rows it must get, as
// "kind|object".
var edgeCases = []struct {
	name, ddl, alter string
	want             []string
}{
	{"new unique key", edgeBase, "ALTER TABLE t ADD UNIQUE KEY uk_email (email)",
		[]string{"duplicate|unique key uk_email", "duplicate|unique key uk_email, letter case"}},
	{"new primary key", "CREATE TABLE t (code VARCHAR(10), v INT, UNIQUE KEY (v))", "ALTER TABLE t ADD PRIMARY KEY (code)",
		[]string{"duplicate|the primary key", "NULL|code"}},
	{"shorter varchar", edgeBase, "ALTER TABLE t MODIFY name VARCHAR(10)",
		[]string{"too long|name", "at the limit|name"}},
	{"varchar to tinytext", edgeBase, "ALTER TABLE t MODIFY note TINYTEXT",
		[]string{"too long|note"}},
	{"not null", edgeBase, "ALTER TABLE t MODIFY name VARCHAR(50) NOT NULL",
		[]string{"NULL|name"}},
	{"smaller integer", edgeBase, "ALTER TABLE t MODIFY qty TINYINT NOT NULL DEFAULT 0",
		[]string{"out of range|qty", "at the limit|qty"}},
	{"unsigned", edgeBase, "ALTER TABLE t MODIFY qty INT UNSIGNED NOT NULL DEFAULT 0",
		[]string{"out of range|qty", "at the limit|qty"}},
	{"smaller decimal", edgeBase, "ALTER TABLE t MODIFY price DECIMAL(6,1)",
		[]string{"out of range|price", "at the limit|price", edgeScale + "|price"}},
	{"fewer bits", edgeBase, "ALTER TABLE t MODIFY flags BIT(4)",
		[]string{"out of range|flags", "at the limit|flags"}},
	{"double to float", edgeBase, "ALTER TABLE t MODIFY ratio FLOAT",
		[]string{"out of range|ratio", "at the limit|ratio"}},
	{"utf8mb3", edgeBase, "ALTER TABLE t MODIFY title VARCHAR(50) CHARACTER SET utf8mb3",
		[]string{edgeCharset + "|title", "at the limit|title"}},
	{"latin1 table", edgeBase, "ALTER TABLE t CONVERT TO CHARACTER SET latin1",
		[]string{edgeCharset + "|title", edgeCharset + "|email"}},
	{"fewer fractional digits", edgeBase, "ALTER TABLE t MODIFY at DATETIME",
		[]string{edgeScale + "|at"}},
	{"timestamp", edgeBase, "ALTER TABLE t MODIFY at TIMESTAMP(6) NULL",
		[]string{"out of range|at", "at the limit|at"}},
	{"date", edgeBase, "ALTER TABLE t MODIFY at DATE",
		[]string{edgeScale + "|at", "at the limit|at"}},
	{"zero date", edgeBase, "ALTER TABLE t MODIFY day DATETIME",
		[]string{"zero date|day"}},
	{"enum member removed", edgeBase, "ALTER TABLE t MODIFY status ENUM('new','paid') NOT NULL DEFAULT 'new'",
		[]string{"removed member|status", "at the limit|status"}},
	{"text to number", edgeBase, "ALTER TABLE t MODIFY ref INT",
		[]string{"not a number|ref", "at the limit|ref"}},
	{"widening", edgeBase, "ALTER TABLE t MODIFY name VARCHAR(100), MODIFY qty BIGINT NOT NULL DEFAULT 0", nil},
}

// strictFailure are the kinds whose rows make a plain ALTER fail in strict mode; the others
// (rounding, zero dates) it takes, changing the value or not.
var strictFailure = []string{edgeDuplicate, edgeTooLong, edgeNull, edgeOutOfRange, edgeCharset, edgeRemoved, edgeNotNumber}

func TestEdgeRows(t *testing.T) { testenv.EachServer(t, testEdgeRows) }

func testEdgeRows(t *testing.T, _ testenv.Server) {
	for _, tc := range edgeCases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			m := modelOf(t, tc.ddl, tc.alter)
			_, conn, mode := sampleTable(t, m)
			g, err := newGenerator(m.before, m.flavor, 11)
			if err != nil {
				t.Fatal(err)
			}
			base := g.sample(200)
			edges := g.edgeRows(m.after, zeroDatesAllowed(mode))
			var got []string
			for _, e := range edges {
				got = append(got, e.kind+"|"+e.object)
			}
			for _, w := range tc.want {
				// A zero date is an edge only where the server's sql_mode lets the table hold
				// one: MariaDB's default does, MySQL's (NO_ZERO_DATE) does not, and then no row
				// may hold one.
				if strings.HasPrefix(w, edgeZeroDate+"|") && !zeroDatesAllowed(mode) {
					if slices.Contains(got, w) {
						t.Errorf("a %q edge row under sql_mode %s", w, mode)
					}
					continue
				}
				if !slices.Contains(got, w) {
					t.Errorf("no %q edge row; got %q", w, got)
				}
			}
			if tc.want == nil && len(edges) > 0 {
				t.Errorf("a widening got edge rows %q", got)
			}
			// Valid before the ALTER: the deployed table takes every row.
			all := append([]sampleRow(nil), base...)
			for _, e := range edges {
				all = append(all, e.sampleRow)
			}
			if _, _, err := g.load(ctx, conn, all, false); err != nil {
				t.Fatalf("the deployed table refuses an edge row: %v", err)
			}
			// The rows that pass, alone, let the ALTER through; each strictly failing row, added
			// to them, stops it.
			var passing, failing []sampleRow
			var failKinds []string
			for _, e := range edges {
				switch {
				case e.passes:
					passing = append(passing, e.sampleRow)
				case slices.Contains(strictFailure, e.kind):
					failing = append(failing, e.sampleRow)
					failKinds = append(failKinds, e.kind+"|"+e.object)
				}
			}
			try := func(rows []sampleRow) error {
				t.Helper()
				for _, q := range []string{"DROP TABLE t", m.create} {
					if _, err := conn.ExecContext(ctx, q); err != nil {
						t.Fatal(err)
					}
				}
				if _, _, err := g.load(ctx, conn, rows, false); err != nil {
					t.Fatal(err)
				}
				_, err := conn.ExecContext(ctx, tc.alter)
				return err
			}
			if err := try(passing); err != nil {
				t.Errorf("the ALTER refuses the rows that should pass: %v", err)
			}
			for i, f := range failing {
				if err := try(append(passing[:len(passing):len(passing)], f)); err == nil {
					t.Errorf("the ALTER takes the %s row", failKinds[i])
				}
			}
			if needs := edgeNeeds(edges); len(edges) > 0 && len(needs) == 0 {
				t.Error("edge rows without a need")
			}
		})
	}
}

func TestEdgeSummary(t *testing.T) {
	rows := []edgeRow{{kind: edgeDuplicate, object: "unique key uk"}, {kind: edgeDuplicate, object: "unique key uk"},
		{kind: edgeNull, object: "email", need: "no NULL in email"}}
	if got := edgeSummary(rows); got != "2 duplicate (unique key uk), 1 NULL (email)" {
		t.Errorf("summary %q", got)
	}
	if got := strings.Join(edgeNeeds(rows), ";"); got != "no NULL in email" {
		t.Errorf("needs %q", got)
	}
}
