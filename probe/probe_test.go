package probe

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/runner"
	"github.com/schema-guard/schema-guard/schema"
)

// probeTable is the deployed table the change tests start from: a column of each kind the
// changes below touch, and a row, so that the UPDATE's fallback has something to work on.
var probeTable = []string{
	`CREATE TABLE items (
	  id INT AUTO_INCREMENT PRIMARY KEY,
	  name VARCHAR(50) NOT NULL,
	  qty INT NOT NULL,
	  status ENUM('new','paid','void') NOT NULL DEFAULT 'new',
	  price DECIMAL(8,2) NOT NULL DEFAULT 0,
	  note VARCHAR(20) NULL,
	  created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
	) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
	"INSERT INTO items (name, qty) VALUES ('first', 1)",
	// A trigger that writes elsewhere: its rows and its table's AUTO_INCREMENT must be undone too.
	"CREATE TABLE audit (id BIGINT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(20) NOT NULL)",
	"CREATE TRIGGER items_audit AFTER INSERT ON items FOR EACH ROW INSERT INTO audit (what) VALUES ('insert')",
}

// probeDatabase creates the deployed state from stmts in a fresh database of the dsn engine,
// and returns it with probes derived and calibrated for the given tables.
func probeDatabase(t *testing.T, srv *runner.Server, stmts []string, tables ...string) (*runner.Database, []Probe) {
	t.Helper()
	ctx := context.Background()
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, db.DB, stmts)
	deployed, err := introspect.IntrospectTables(ctx, db.DB, db.Name, srv.Flavor, tables)
	if err != nil {
		t.Fatal(err)
	}
	probes, dropped, err := Calibrate(ctx, db, Derive(deployed, tables))
	if err != nil {
		t.Fatal(err)
	}
	if len(dropped) != 0 {
		t.Fatalf("calibration dropped %+v", dropped)
	}
	return db, probes
}

func execAll(t *testing.T, db *sql.DB, stmts []string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%v in:\n%s", err, s)
		}
	}
}

// fingerprint describes every table of the database as far as probes could change it: rows
// (CHECKSUM TABLE), row count and AUTO_INCREMENT counter. MySQL caches the counters that
// information_schema.TABLES shows (information_schema_stats_expiry), and reports NULL for a table
// nobody opened since it was created, so the counters are read after the tables were read, on a
// session that asks for current values.
func fingerprint(t *testing.T, db *runner.Database) string {
	t.Helper()
	ctx := context.Background()
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET SESSION information_schema_stats_expiry = 0"); err != nil && !isUnknownVariable(err) {
		t.Fatal(err)
	}
	var names []string
	err = introspect.QueryRows(ctx, conn, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME",
		[]any{db.Name}, func(rows *sql.Rows) error {
			var n string
			err := rows.Scan(&n)
			names = append(names, n)
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	lines := make([]string, len(names))
	for i, n := range names {
		var table string
		var sum sql.NullInt64
		var count int
		if err := conn.QueryRowContext(ctx, "CHECKSUM TABLE "+schema.QuoteIdent(n)).Scan(&table, &sum); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+schema.QuoteIdent(n)).Scan(&count); err != nil {
			t.Fatal(err)
		}
		var counter sql.NullString
		if err := conn.QueryRowContext(ctx, "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
			db.Name, n).Scan(&counter); err != nil {
			t.Fatal(err)
		}
		lines[i] = fmt.Sprintf("%s: checksum %d, %d rows, auto_increment %s\n", n, sum.Int64, count, counter.String)
	}
	return strings.Join(lines, "")
}

func failureNumbers(fs []Failure) []uint16 {
	var out []uint16
	for _, f := range fs {
		out = append(out, f.Number)
	}
	return out
}

func TestProbesCatchBreakingChanges(t *testing.T) {
	testenv.EachServer(t, testProbesCatchBreakingChanges)
}

func testProbesCatchBreakingChanges(t *testing.T, s testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	cases := []struct {
		name   string
		change []string
		want   uint16 // 0: no probe may fail
	}{
		{"column renamed", []string{"ALTER TABLE items RENAME COLUMN note TO remark"}, 1054},
		{"column dropped", []string{"ALTER TABLE items DROP COLUMN note"}, 1054},
		{"NOT NULL column without default added", []string{"ALTER TABLE items ADD COLUMN sku VARCHAR(10) NOT NULL"}, 1364},
		{"default of a NOT NULL column dropped", []string{"ALTER TABLE items ALTER COLUMN price DROP DEFAULT"}, 1364},
		{"nullable column made NOT NULL", []string{"UPDATE items SET note = ''", "ALTER TABLE items MODIFY note VARCHAR(20) NOT NULL"}, 1364},
		{"varchar narrowed", []string{"ALTER TABLE items MODIFY name VARCHAR(49) NOT NULL"}, 1406},
		{"nullable varchar narrowed", []string{"ALTER TABLE items MODIFY note VARCHAR(19)"}, 1406},
		{"int narrowed", []string{"ALTER TABLE items MODIFY qty MEDIUMINT NOT NULL"}, 1264},
		{"decimal narrowed", []string{"ALTER TABLE items MODIFY price DECIMAL(7,2) NOT NULL DEFAULT 0"}, 1264},
		{"utf8mb4 to latin1", []string{"ALTER TABLE items MODIFY name VARCHAR(50) CHARACTER SET latin1 NOT NULL"}, 1366},
		{"last enum member removed", []string{"ALTER TABLE items MODIFY status ENUM('new','paid') NOT NULL DEFAULT 'new'"}, 1265},
		{"middle enum member removed", []string{"ALTER TABLE items MODIFY status ENUM('new','void') NOT NULL DEFAULT 'new'"}, 1265},
		// MariaDB's ER_CONSTRAINT_FAILED; MySQL says ER_CHECK_CONSTRAINT_VIOLATED (3819).
		{"check rejecting old values", []string{"ALTER TABLE items ADD CONSTRAINT qty_small CHECK (qty < 1000)"}, 4025},
		{"before insert trigger that signals", []string{
			"CREATE TRIGGER items_no BEFORE INSERT ON items FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no inserts'"}, 1644},
		{"table renamed", []string{"RENAME TABLE items TO goods"}, 1146},

		{"nullable column added", []string{"ALTER TABLE items ADD COLUMN extra INT NULL"}, 0},
		{"column with default added", []string{"ALTER TABLE items ADD COLUMN flag INT NOT NULL DEFAULT 5"}, 0},
		{"varchar widened", []string{"ALTER TABLE items MODIFY name VARCHAR(100) NOT NULL"}, 0},
		{"index added", []string{"ALTER TABLE items ADD INDEX idx_qty (qty, name)"}, 0},
		{"enum member appended", []string{"ALTER TABLE items MODIFY status ENUM('new','paid','void','lost') NOT NULL DEFAULT 'new'"}, 0},
		{"int widened", []string{"ALTER TABLE items MODIFY qty BIGINT NOT NULL"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, probes := probeDatabase(t, srv, probeTable, "items")
			if kinds := probeKinds(probes); kinds != "select insert update" {
				t.Fatalf("probes: %s", kinds)
			}
			for _, p := range probes {
				if len(p.MildColumns) != 0 {
					t.Errorf("%s probe calibrated to mild values for %v", p.Kind, p.MildColumns)
				}
			}
			initial := fingerprint(t, db)
			before, err := Run(ctx, db, probes)
			if err != nil {
				t.Fatal(err)
			}
			if len(before) != 0 {
				t.Fatalf("probes fail on the deployed state: %+v", before)
			}
			if got := fingerprint(t, db); got != initial {
				t.Fatalf("probes changed the database:\n%s\nwas:\n%s", got, initial)
			}

			execAll(t, db.DB, c.change)
			changed := fingerprint(t, db)
			after, err := Run(ctx, db, probes)
			if err != nil {
				t.Fatal(err)
			}
			if got := fingerprint(t, db); got != changed {
				t.Errorf("probes changed the database:\n%s\nwas:\n%s", got, changed)
			}
			for _, f := range after {
				t.Logf("%s probe: %d %s", f.Probe.Kind, f.Number, f.Message)
			}
			nums := failureNumbers(after)
			if c.want == 4025 && s.MySQL() {
				c.want = 3819
			}
			switch {
			case c.want == 0 && len(after) != 0:
				t.Errorf("harmless change failed probes: %v", nums)
			case c.want != 0 && !slices.Contains(nums, c.want):
				t.Errorf("failures %v, want one with %d", nums, c.want)
			}
		})
	}
}

func probeKinds(probes []Probe) string {
	var kinds []string
	for _, p := range probes {
		kinds = append(kinds, p.Kind)
	}
	return strings.Join(kinds, " ")
}

// TestProbesUpdateFallsBack checks that when a change breaks the update's setup INSERT, the
// UPDATE still runs on an existing row, and still shows what the change does to it.
func TestProbesUpdateFallsBack(t *testing.T) { testenv.EachServer(t, testProbesUpdateFallsBack) }

func testProbesUpdateFallsBack(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	db, probes := probeDatabase(t, srv, probeTable, "items")
	execAll(t, db.DB, []string{
		"ALTER TABLE items ADD COLUMN sku VARCHAR(10) NOT NULL", // breaks every INSERT of the old application
		"ALTER TABLE items MODIFY note VARCHAR(5)",              // breaks its UPDATEs of note
	})
	changed := fingerprint(t, db)
	failures, err := Run(ctx, db, probes)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range failures {
		got = append(got, fmt.Sprintf("%s %d", f.Probe.Kind, f.Number))
		if f.Probe.Kind == Update && f.Statement != f.Probe.Fallback {
			t.Errorf("update failure from %q, want the fallback", f.Statement)
		}
	}
	if strings.Join(got, ", ") != "insert 1364, update 1406" {
		t.Errorf("failures: %v", got)
	}
	if fp := fingerprint(t, db); fp != changed {
		t.Errorf("database changed:\n%s\nwas:\n%s", fp, changed)
	}
	// Sessions that ended cleanly are not left for Drop to kill: every one ends clean.
	counted := &countingDB{Database: db}
	if _, err := Run(ctx, counted, probes); err != nil {
		t.Fatal(err)
	}
	if counted.opened == 0 || counted.clean != counted.opened {
		t.Errorf("probe sessions: %d opened, %d ended clean", counted.opened, counted.clean)
	}
}

// countingDB counts the probe sessions opened on a database and those that ended clean.
type countingDB struct {
	*runner.Database
	opened, clean int
}

func (c *countingDB) Session(ctx context.Context) (*sql.Conn, func(bool), error) {
	conn, end, err := c.Database.Session(ctx)
	if err != nil {
		return nil, nil, err
	}
	c.opened++
	return conn, func(clean bool) {
		if clean {
			c.clean++
		}
		end(clean)
	}, nil
}

// startDSNServer starts the dsn engine on the test server.
func startDSNServer(t *testing.T) *runner.Server {
	t.Helper()
	srv, err := runner.Start(context.Background(), runner.Options{Kind: runner.DSN, DSN: testenv.DSN(t)})
	if err != nil {
		t.Fatalf("start dsn engine: %v", err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return srv
}

func TestCalibrateProbes(t *testing.T) { testenv.EachServer(t, testCalibrateProbes) }

func testCalibrateProbes(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, db.DB, []string{
		// qty's extremes break the CHECK, and so does 1, its mild value: the update is tried
		// column by column, and the insert cannot pass at all.
		`CREATE TABLE strict_t (
		  id INT AUTO_INCREMENT PRIMARY KEY,
		  code VARCHAR(8) NOT NULL,
		  qty INT NOT NULL DEFAULT 5 CHECK (qty BETWEEN 2 AND 100),
		  amount INT NOT NULL CHECK (amount > 0 AND amount < 1000),
		  note VARCHAR(10)
		)`,
		// Every insert is refused: the update cannot get its own row and takes any row.
		"CREATE TABLE closed_t (id INT PRIMARY KEY, v VARCHAR(5))",
		"INSERT INTO closed_t VALUES (1, 'x')",
		"CREATE TRIGGER closed_no BEFORE INSERT ON closed_t FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'closed'",
		// Not transactional: only the select.
		"CREATE TABLE flat_t (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=MyISAM",
	})
	tables := []string{"strict_t", "closed_t", "flat_t", "nope"}
	deployed, err := introspect.IntrospectTables(ctx, db.DB, db.Name, srv.Flavor, tables)
	if err != nil {
		t.Fatal(err)
	}
	derived := Derive(deployed, tables)
	if got := len(derived); got != 7 {
		t.Errorf("%d probes derived: %s", got, probeKinds(derived))
	}
	initial := fingerprint(t, db)
	kept, dropped, err := Calibrate(ctx, db, derived)
	if err != nil {
		t.Fatal(err)
	}
	if fp := fingerprint(t, db); fp != initial {
		t.Errorf("calibration changed the database:\n%s\nwas:\n%s", fp, initial)
	}
	var got []string
	for _, p := range kept {
		got = append(got, fmt.Sprintf("%s %s mild=%v omitted=%v setup=%v", p.Table, p.Kind, p.MildColumns, p.OmittedColumns, p.Setup != ""))
	}
	for _, f := range dropped {
		got = append(got, fmt.Sprintf("dropped %s %s: %d", f.Probe.Table, f.Probe.Kind, f.Number))
	}
	want := []string{
		"strict_t select mild=[] omitted=[] setup=false",
		"strict_t insert mild=[amount] omitted=[] setup=false",
		// code keeps its full range; qty takes neither extreme nor 1; amount's 1 passes.
		"strict_t update mild=[amount] omitted=[qty] setup=true",
		"closed_t select mild=[] omitted=[] setup=false",
		"closed_t update mild=[] omitted=[] setup=false",
		"flat_t select mild=[] omitted=[] setup=false",
		"dropped closed_t insert: 1644",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("calibrated:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if failures, err := Run(ctx, db, kept); err != nil || len(failures) != 0 {
		t.Errorf("calibrated probes fail on the deployed state: %+v, %v", failures, err)
	}
}

// TestProbesEveryType calibrates probes for the introspection fixture's tables, which have a
// column of every type family: every value the generator writes must be one the type takes.
func TestProbesEveryType(t *testing.T) { testenv.EachServer(t, testProbesEveryType) }

func testProbesEveryType(t *testing.T, s testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	tables := []string{"kitchen", "parent", "child", "parted"}
	db, probes := probeDatabase(t, srv, testenv.Fixture(s), tables...)
	var got []string
	for _, p := range probes {
		if len(p.MildColumns) > 0 {
			got = append(got, fmt.Sprintf("%s %s %v", p.Table, p.Kind, p.MildColumns))
		}
	}
	// t_chk > 0 rejects the UPDATE's minimum; t_stored, concat(t_vc, 'x') in 50 characters,
	// cannot hold t_vc's 100. On MySQL the functional key part t_int + 1 cannot take t_int's
	// maximum either.
	want := "kitchen update [t_vc t_chk]"
	if s.MySQL() {
		want = "kitchen update [t_int t_vc t_chk]"
	}
	if strings.Join(got, "; ") != want {
		t.Errorf("mild columns: %s, want %s", strings.Join(got, "; "), want)
	}
	if n := len(probes); n != 11 {
		t.Errorf("%d probes: %s", n, probeKinds(probes))
	}
	initial := fingerprint(t, db)
	if failures, err := Run(ctx, db, probes); err != nil || len(failures) != 0 {
		t.Errorf("failures %+v, %v", failures, err)
	}
	if fp := fingerprint(t, db); fp != initial {
		t.Errorf("probes changed the database:\n%s\nwas:\n%s", fp, initial)
	}
}

func TestDeriveProbes(t *testing.T) {
	d := func(s string) *string { return &s }
	tbl := &schema.Table{
		Name:    "t",
		Options: schema.TableOptions{Engine: "InnoDB"},
		Columns: []*schema.Column{
			{Name: "tenant", Type: "smallint(5) unsigned", DataType: "smallint", Unsigned: true, Default: d("0")},
			{Name: "code", Type: "char(2)", DataType: "char", Charset: "utf8mb4"},
			{Name: "n", Type: "tinyint(4)", DataType: "tinyint", Nullable: true, Default: d("NULL")},
			{Name: "g", Type: "int(11)", DataType: "int", Nullable: true, Generated: &schema.Generated{Expr: "`n` + 1"}},
			{Name: "v", Type: "vector(3)", DataType: "vector", Nullable: true, Default: d("NULL")},
		},
		Indexes: []*schema.Index{{Name: "PRIMARY", Primary: true, Unique: true, Parts: []schema.IndexPart{{Column: "tenant"}, {Column: "code"}}}},
	}
	s := &schema.Schema{Tables: []*schema.Table{tbl}}
	probes := Derive(s, []string{"T", "t", "missing"})
	got := ""
	for _, p := range probes {
		got += fmt.Sprintf("%s: %s | %s | %s\n", p.Kind, p.SQL, p.Setup, p.Fallback)
	}
	want := "select: SELECT `tenant`, `code`, `n`, `g`, `v` FROM `t` LIMIT 1 |  | \n" +
		"insert: INSERT INTO `t` (`code`) VALUES ('\U0001F600\U0001F600') |  | \n" +
		// The key's defaulted column joins the setup so the UPDATE can find the row.
		"update: UPDATE `t` SET `n` = -128 WHERE `tenant` = 65535 AND `code` = '\U0001F600\U0001F600' | " +
		"INSERT INTO `t` (`code`, `tenant`) VALUES ('\U0001F600\U0001F600', 65535) | UPDATE `t` SET `n` = -128 LIMIT 1\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	// A required column of a type without known values: no INSERT, and the UPDATE takes any row.
	tbl.Columns[4].Nullable, tbl.Columns[4].Default = false, nil
	probes = Derive(s, []string{"t"})
	if kinds := probeKinds(probes); kinds != "select update" || probes[1].Setup != "" || !strings.HasSuffix(probes[1].SQL, " LIMIT 1") {
		t.Errorf("without an insert: %s %+v", kinds, probes)
	}
}

func TestProbeValues(t *testing.T) {
	mariadb := schema.Flavor{Kind: schema.MariaDB, Major: 10, Minor: 11, Patch: 6}
	cases := []struct {
		col       schema.Column
		high, low string
	}{
		{schema.Column{Type: "bigint(20) unsigned", DataType: "bigint", Unsigned: true}, "18446744073709551615", "0"},
		{schema.Column{Type: "mediumint(9)", DataType: "mediumint"}, "8388607", "-8388608"},
		{schema.Column{Type: "decimal(5,2)", DataType: "decimal"}, "999.99", "-999.99"},
		{schema.Column{Type: "decimal(3,3)", DataType: "decimal"}, "0.999", "-0.999"},
		{schema.Column{Type: "float(7,2)", DataType: "float"}, "90000", "-90000"},
		{schema.Column{Type: "double", DataType: "double"}, "1.7e308", "-1.7e308"},
		{schema.Column{Type: "bit(3)", DataType: "bit"}, "b'111'", "b'0'"},
		{schema.Column{Type: "varchar(3)", DataType: "varchar", Charset: "latin1"}, "'ééé'", "'zzz'"},
		{schema.Column{Type: "char(2)", DataType: "char", Charset: "utf8mb3"}, "'€€'", "'zz'"},
		{schema.Column{Type: "varbinary(2)", DataType: "varbinary"}, "X'FFFF'", "'zz'"},
		{schema.Column{Type: "tinytext", DataType: "tinytext", Charset: "utf8mb4"},
			"'" + strings.Repeat("\U0001F600", 63) + "'", "'" + strings.Repeat("z", 255) + "'"},
		{schema.Column{Type: "enum('a','it''s','x\\\\y')", DataType: "enum"}, `'x\\y'`, `'a' 'it''s' 'x\\y'`},
		{schema.Column{Type: "set('a','B')", DataType: "set"}, "'a,B'", "'a'"},
		{schema.Column{Type: "datetime(3)", DataType: "datetime"}, "'9999-12-31 23:59:59.999'", "'1000-01-01 00:00:00'"},
		{schema.Column{Type: "timestamp", DataType: "timestamp"}, "'2038-01-19 03:14:07'", "'1970-01-01 00:00:01'"},
		{schema.Column{Type: "year(4)", DataType: "year"}, "2155", "1901"},
		{schema.Column{Type: "point", DataType: "point"}, "ST_GeomFromText('POINT(0 0)')", "ST_GeomFromText('POINT(0 0)')"},
	}
	for _, c := range cases {
		v, ok := valuesFor(mariadb, &schema.Table{}, &c.col)
		if !ok || v.high != c.high || strings.Join(v.low, " ") != c.low {
			t.Errorf("%s: %v %q %q, want %q %q", c.col.Type, ok, v.high, strings.Join(v.low, " "), c.high, c.low)
		}
	}
	json := &schema.Table{Checks: []*schema.Check{{Name: "j", Column: "j", Expr: "json_valid(`j`)"}}}
	v, ok := valuesFor(mariadb, json, &schema.Column{Name: "j", Type: "longtext", DataType: "longtext", Charset: "utf8mb4"})
	if !ok || !strings.HasPrefix(v.high, `'["`) || len(v.high)-2 != textCap || v.mild != "'{}'" {
		t.Errorf("json: %d bytes %q", len(v.high)-2, v.mild)
	}
	if _, ok := valuesFor(mariadb, &schema.Table{}, &schema.Column{Type: "vector(3)", DataType: "vector"}); ok {
		t.Error("vector: values for an unknown type")
	}
	if got := probeSQLMode("STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES,ANSI_QUOTES"); got != "STRICT_TRANS_TABLES,ANSI_QUOTES" {
		t.Errorf("sql_mode %q", got)
	}
	if got := probeSQLMode(""); got != "STRICT_TRANS_TABLES" {
		t.Errorf("sql_mode %q", got)
	}
}

// isUnknownVariable reports ER_UNKNOWN_SYSTEM_VARIABLE: MariaDB has no information_schema_stats_expiry.
func isUnknownVariable(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == 1193
}
