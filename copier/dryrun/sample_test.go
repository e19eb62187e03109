package dryrun

import (
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/schema"
)

// everyFamily is a table with a column of every type family the generator writes, several
// unique keys (a narrow pair, a prefix, a ci string), a foreign key to a table that is not
// there, a generated column and an invisible one.
const everyFamily = `CREATE TABLE t (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  ti TINYINT, si SMALLINT UNSIGNED NOT NULL, mi MEDIUMINT, bi BIGINT UNSIGNED, flag BOOL NOT NULL DEFAULT 0,
  price DECIMAL(10,2) NOT NULL, frac DECIMAL(4,4) UNSIGNED, fl FLOAT, db DOUBLE, fm FLOAT(7,2),
  b1 BIT(1), b64 BIT(64),
  code CHAR(3) NOT NULL, email VARCHAR(100) NOT NULL, latin VARCHAR(20) CHARACTER SET latin1,
  asc_only VARCHAR(10) CHARACTER SET ascii, tt TINYTEXT, body TEXT, mt MEDIUMTEXT CHARACTER SET utf8mb3,
  bin BINARY(4), vb VARBINARY(20), bl BLOB,
  status ENUM('new','paid','shipped') NOT NULL, tags SET('a','b','c'),
  d DATE, tm TIME(3), dt DATETIME(6), ts TIMESTAMP NULL, y YEAR,
  doc JSON, pt POINT, u UUID, ip4 INET4, ip6 INET6,
  parent_id INT,
  total DECIMAL(12,2) AS (price * 2) VIRTUAL,
  secret VARCHAR(10) INVISIBLE,
  PRIMARY KEY (id),
  UNIQUE KEY uk_email (email),
  UNIQUE KEY uk_code (code),
  UNIQUE KEY uk_pair (ti, si),
  UNIQUE KEY uk_body (body(8)),
  KEY k_parent (parent_id),
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`

// everyFamilyFor is everyFamily on the server the test runs on: MySQL has none of MariaDB's UUID,
// INET4 and INET6 types.
func everyFamilyFor(srv testenv.Server) string {
	if srv.MySQL() {
		return strings.Replace(everyFamily, " u UUID, ip4 INET4, ip6 INET6,", "", 1)
	}
	return everyFamily
}

func TestSampleEveryTypeFamilyLoads(t *testing.T) {
	testenv.EachServer(t, testSampleEveryTypeFamilyLoads)
}

func testSampleEveryTypeFamilyLoads(t *testing.T, srv testenv.Server) {
	m := modelOf(t, everyFamilyFor(srv), "")
	_, conn, _ := sampleTable(t, m)
	g, err := newGenerator(m.before, m.flavor, 7)
	if err != nil {
		t.Fatal(err)
	}
	rows := g.sample(2000)
	if len(rows) != 2000 {
		t.Fatalf("made %d rows, want 2000", len(rows))
	}
	took, rejected, err := g.load(testCtx(t), conn, rows, false)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if len(took) != 2000 || len(rejected) != 0 {
		t.Fatalf("took %d, rejected %d", len(took), len(rejected))
	}
	if n := count(t, conn, "SELECT COUNT(*) FROM t"); n != 2000 {
		t.Fatalf("table holds %d rows", n)
	}
	// Every nullable column got some NULLs and some values; the uniques held (the load would
	// have failed otherwise), and the narrow pair key is spread over many values.
	nullable := []string{"ti", "latin", "tt", "d", "doc", "pt"}
	if !srv.MySQL() {
		nullable = append(nullable, "u")
	}
	for _, c := range nullable {
		nulls := count(t, conn, "SELECT COUNT(*) FROM t WHERE "+c+" IS NULL")
		if nulls == 0 || nulls > 400 {
			t.Errorf("column %s: %d NULLs in 2000 rows", c, nulls)
		}
	}
	if n := count(t, conn, "SELECT COUNT(DISTINCT email) FROM t"); n != 2000 {
		t.Errorf("%d distinct emails", n)
	}
	if n := count(t, conn, "SELECT COUNT(*) FROM t WHERE id BETWEEN 1 AND 2000"); n != 2000 {
		t.Errorf("auto_increment ids not filled explicitly 1..2000: %d", n)
	}
	if n := count(t, conn, "SELECT COUNT(*) FROM t WHERE tm < '00:00:00' OR price < 0 OR mi < 0"); n == 0 {
		t.Error("no negative values at all")
	}
}

func TestSampleIsDeterministic(t *testing.T) {
	tab := &schema.Table{Name: "t", Columns: []*schema.Column{
		{Name: "id", Type: "bigint(20)", DataType: "bigint", AutoIncrement: true},
		{Name: "name", Type: "varchar(40)", DataType: "varchar", Nullable: true, Charset: "utf8mb4"},
		{Name: "k", Type: "tinyint(4)", DataType: "tinyint"},
		{Name: "at", Type: "datetime(3)", DataType: "datetime", Nullable: true},
	}, Indexes: []*schema.Index{
		{Name: "PRIMARY", Primary: true, Unique: true, Parts: []schema.IndexPart{{Column: "id"}}},
		{Name: "uk", Unique: true, Parts: []schema.IndexPart{{Column: "k"}}},
	}}
	lits := func(seed int64) []string {
		g, err := newGenerator(tab, schema.Flavor{Kind: schema.MariaDB}, seed)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range g.sample(300) {
			for _, v := range r.vals {
				out = append(out, v.lit)
			}
		}
		return out
	}
	a, b := lits(42), lits(42)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed gave different rows")
	}
	if slices.Equal(a, lits(43)) {
		t.Fatal("another seed gave the same rows")
	}
	// The TINYINT key holds at most 256 rows: the sample stops short rather than repeat.
	if n := len(a) / 4; n > 256 || n < 200 {
		t.Fatalf("%d rows for a TINYINT unique key", n)
	}
	seen := map[string]bool{}
	for i := 2; i < len(a); i += 4 {
		if seen[a[i]] {
			t.Fatalf("unique column k repeats %s", a[i])
		}
		seen[a[i]] = true
	}
}

func TestStringLit(t *testing.T) {
	for in, want := range map[string]string{
		"abc":      "'abc'",
		"it's":     "'it''s'",
		`a\b`:      "_utf8mb4 X'615c62'",
		"a\nb":     "_utf8mb4 X'610a62'",
		"😀":        "'😀'",
		"\xff\xfe": "_utf8mb4 X'fffe'",
	} {
		if got := stringLit(in); got != want {
			t.Errorf("stringLit(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestUnsupportedTypeNeedsDefault(t *testing.T) {
	tab := &schema.Table{Name: "t", Columns: []*schema.Column{
		{Name: "v", Type: "mystery", DataType: "mystery"},
	}}
	_, err := newGenerator(tab, schema.Flavor{}, 1)
	if err == nil || !strings.Contains(err.Error(), "cannot write values of type mystery") {
		t.Fatalf("err = %v", err)
	}
	tab.Columns[0].Nullable = true
	tab.Columns = append(tab.Columns, &schema.Column{Name: "id", Type: "int", DataType: "int"})
	g, err := newGenerator(tab, schema.Flavor{}, 1)
	if err != nil || len(g.cols) != 1 {
		t.Fatalf("a nullable column of an unknown type is left to its default: %v, %d columns", err, len(g.cols))
	}
}
