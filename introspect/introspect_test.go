package introspect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/schema"
)

// introspectScratch creates a scratch database with a known default charset, runs stmts in it
// and returns it with the server's flavour.
func introspectScratch(tb testing.TB, stmts []string) (*sql.DB, string, schema.Flavor) {
	tb.Helper()
	db, name := testenv.ScratchDB(tb)
	ctx := context.Background()
	stmts = append([]string{"ALTER DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"}, stmts...)
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			tb.Fatalf("%v in:\n%s", err, s)
		}
	}
	f, err := ReadFlavor(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	return db, name, f
}

// fieldDiff compares two structs field by field and reports each field that differs, so a
// failure names the field rather than dumping two structs.
func fieldDiff(t *testing.T, label string, want, got any) {
	t.Helper()
	wv, gv := reflect.ValueOf(want), reflect.ValueOf(got)
	if wv.Kind() == reflect.Pointer {
		if wv.IsNil() || gv.IsNil() {
			if wv.IsNil() != gv.IsNil() {
				t.Errorf("%s: got %v, want %v", label, got, want)
			}
			return
		}
		wv, gv = wv.Elem(), gv.Elem()
	}
	for i := range wv.NumField() {
		w, g := wv.Field(i).Interface(), gv.Field(i).Interface()
		if !reflect.DeepEqual(w, g) {
			t.Errorf("%s.%s: got %s, want %s", label, wv.Type().Field(i).Name, printable(g), printable(w))
		}
	}
}

func printable(v any) string {
	switch x := v.(type) {
	case *string:
		return showDefault(x)
	case *schema.Generated:
		if x == nil {
			return "<nil>"
		}
		return fmt.Sprintf("%+v", *x)
	}
	return fmt.Sprintf("%#v", v)
}

// sameList checks the lengths of two lists and compares their elements with fieldDiff.
func sameList[T any](t *testing.T, label string, want, got []T) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: got %d elements, want %d", label, len(got), len(want))
		return
	}
	for i := range want {
		fieldDiff(t, fmt.Sprintf("%s[%d]", label, i), want[i], got[i])
	}
}

func TestIntrospectFixture(t *testing.T) { testenv.EachServer(t, testIntrospectFixture) }

// The expectations are MariaDB 10.11's; where MySQL 9.7 reports the same DDL otherwise, the
// difference is written next to it (if mysql). MariaDB 11.8 reports what 10.11 does.
func testIntrospectFixture(t *testing.T, srv testenv.Server) {
	db, name, f := introspectScratch(t, testenv.Fixture(srv))
	mysql := f.IsMySQL()
	ctx := context.Background()
	var definer string
	if err := db.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&definer); err != nil {
		t.Fatal(err)
	}
	s, err := Introspect(ctx, db, name, f)
	if err != nil {
		t.Fatal(err)
	}

	if s.Name != name || s.Flavor != f || s.Charset != "utf8mb4" || s.Collation != "utf8mb4_general_ci" {
		t.Errorf("schema = %q %v %q %q", s.Name, s.Flavor, s.Charset, s.Collation)
	}
	var names []string
	for _, tbl := range s.Tables {
		names = append(names, tbl.Name)
	}
	if got := strings.Join(names, " "); got != "child kitchen parent parted" {
		t.Errorf("tables = %s (views must not be tables; sorted by name)", got)
	}

	t.Run("options", func(t *testing.T) {
		want := map[string]schema.TableOptions{
			"parent": {Engine: "InnoDB", Charset: "utf8mb4", Collation: "utf8mb4_unicode_ci", RowFormat: "DYNAMIC",
				Comment: `parent's table \ with backslash`, AutoIncrement: 100, CreateOptions: "stats_persistent=0"},
			"kitchen": {Engine: "InnoDB", Charset: "utf8mb4", Collation: "utf8mb4_general_ci", AutoIncrement: 1},
			"child":   {Engine: "InnoDB", Charset: "latin1", Collation: "latin1_swedish_ci"},
			"parted":  {Engine: "InnoDB", Charset: "utf8mb4", Collation: "utf8mb4_general_ci", Partitioned: true},
		}
		if mysql {
			// information_schema.TABLES.AUTO_INCREMENT is cached (information_schema_stats_expiry):
			// a table that never had a row reads NULL.
			k := want["kitchen"]
			k.AutoIncrement = 0
			want["kitchen"] = k
		}
		for tbl, w := range want {
			fieldDiff(t, tbl+".Options", w, s.Table(tbl).Options)
		}
	})

	t.Run("columns", func(t *testing.T) {
		d := defPtr
		utf := func(c schema.Column) schema.Column {
			c.Charset, c.Collation = "utf8mb4", "utf8mb4_general_ci"
			return c
		}
		kitchen := []schema.Column{
			{Name: "id", Type: "bigint(20)", DataType: "bigint", AutoIncrement: true},
			{Name: "t_tiny", Type: "tinyint(1)", DataType: "tinyint", Default: d("1")},
			{Name: "t_small", Type: "smallint(5) unsigned zerofill", DataType: "smallint", Unsigned: true, Nullable: true, Default: d("NULL")},
			{Name: "t_med", Type: "mediumint(9)", DataType: "mediumint", Nullable: true, Default: d("-5")},
			{Name: "t_int", Type: "int(11)", DataType: "int", Nullable: true, Default: d("NULL")},
			{Name: "t_dec", Type: "decimal(10,2)", DataType: "decimal", Default: d("1.50")},
			{Name: "t_float", Type: "float", DataType: "float", Nullable: true, Default: d("0.5")},
			{Name: "t_double", Type: "double", DataType: "double", Default: d("0")},
			{Name: "t_bit", Type: "bit(3)", DataType: "bit", Nullable: true, Default: d("b'101'")},
			{Name: "t_char", Type: "char(10)", DataType: "char", Nullable: true, Default: d("''"), Charset: "latin1", Collation: "latin1_bin"},
			utf(schema.Column{Name: "t_vc", Type: "varchar(100)", DataType: "varchar", Default: d(`'it''s a \\ "test"'`)}),
			utf(schema.Column{Name: "t_vc_null", Type: "varchar(20)", DataType: "varchar", Nullable: true, Default: d("NULL")}),
			utf(schema.Column{Name: "t_vc_nulltext", Type: "varchar(20)", DataType: "varchar", Nullable: true, Default: d("'NULL'")}),
			utf(schema.Column{Name: "t_vc_nl", Type: "varchar(20)", DataType: "varchar", Nullable: true, Default: d(`'a\nb'`)}),
			utf(schema.Column{Name: "t_text", Type: "text", DataType: "text", Nullable: true, Default: d("NULL")}),
			utf(schema.Column{Name: "t_text_def", Type: "text", DataType: "text", Nullable: true, Default: d("'x'")}),
			{Name: "t_blob", Type: "blob", DataType: "blob", Nullable: true, Default: d("NULL")},
			{Name: "t_bin", Type: "binary(4)", DataType: "binary", Nullable: true, Default: d(`'ab\0\0'`)},
			{Name: "t_varbin", Type: "varbinary(8)", DataType: "varbinary"},
			utf(schema.Column{Name: "t_enum", Type: "enum('a','B''c','d e')", DataType: "enum", Default: d("'B''c'")}),
			utf(schema.Column{Name: "t_set", Type: "set('x','y','z')", DataType: "set", Nullable: true, Default: d("'x,z'")}),
			{Name: "t_date", Type: "date", DataType: "date", Nullable: true, Default: d("'2020-01-01'")},
			{Name: "t_time", Type: "time(3)", DataType: "time", Nullable: true, Default: d("'12:34:56.789'")},
			{Name: "t_dt", Type: "datetime(6)", DataType: "datetime", Default: d("CURRENT_TIMESTAMP(6)"), OnUpdate: "CURRENT_TIMESTAMP(6)"},
			{Name: "t_ts", Type: "timestamp", DataType: "timestamp", Nullable: true, Default: d("CURRENT_TIMESTAMP"), OnUpdate: "CURRENT_TIMESTAMP"},
			{Name: "t_ts2", Type: "timestamp", DataType: "timestamp", Default: d("'2000-01-01 00:00:00'")},
			{Name: "t_year", Type: "year(4)", DataType: "year", Nullable: true, Default: d("2024")},
			// MariaDB's JSON is an alias: LONGTEXT utf8mb4_bin with a json_valid() check.
			{Name: "t_json", Type: "longtext", DataType: "longtext", Nullable: true, Default: d("NULL"), Charset: "utf8mb4", Collation: "utf8mb4_bin"},
			{Name: "t_geo", Type: "point", DataType: "point"},
			{Name: "t_expr", Type: "int(11)", DataType: "int", Nullable: true, Default: d("(1 + 2)")},
			utf(schema.Column{Name: "t_uuid", Type: "char(36)", DataType: "char", Nullable: true, Default: d("(uuid())")}),
			{Name: "t_virt", Type: "int(11)", DataType: "int", Nullable: true, Generated: &schema.Generated{Expr: "`t_int` * 2"}},
			utf(schema.Column{Name: "t_stored", Type: "varchar(50)", DataType: "varchar", Nullable: true,
				Generated: &schema.Generated{Expr: "concat(`t_vc`,'x')", Stored: true}}),
			{Name: "t_inv", Type: "int(11)", DataType: "int", Nullable: true, Default: d("7"), Comment: "hidden column", Invisible: true},
			{Name: "t_comment", Type: "int(11)", DataType: "int", Comment: `it's \ commented`},
			{Name: "t_chk", Type: "int(11)", DataType: "int", Nullable: true, Default: d("NULL")},
		}
		parent := []schema.Column{
			{Name: "id", Type: "int(10) unsigned", DataType: "int", Unsigned: true, AutoIncrement: true},
			{Name: "code", Type: "char(3)", DataType: "char", Charset: "utf8mb4", Collation: "utf8mb4_unicode_ci"},
			{Name: "region", Type: "smallint(6)", DataType: "smallint", Default: d("0")},
		}
		child := []schema.Column{
			{Name: "id", Type: "int(11)", DataType: "int"},
			{Name: "parent_id", Type: "int(10) unsigned", DataType: "int", Unsigned: true, Nullable: true, Default: d("NULL")},
			{Name: "p_code", Type: "char(3)", DataType: "char", Nullable: true, Default: d("NULL"), Charset: "utf8mb4", Collation: "utf8mb4_unicode_ci"},
			{Name: "p_region", Type: "smallint(6)", DataType: "smallint", Nullable: true, Default: d("NULL")},
			{Name: "self_id", Type: "int(11)", DataType: "int", Nullable: true, Default: d("NULL")},
		}
		parted := []schema.Column{
			{Name: "id", Type: "int(11)", DataType: "int"},
			{Name: "created", Type: "date", DataType: "date"},
		}
		kitchen = append(kitchen, utf(schema.Column{Name: "t_bs", Type: "varchar(20)", DataType: "varchar", Nullable: true,
			Generated: &schema.Generated{Expr: "concat('a\\\\b',`t_vc`)"}}))
		if mysql {
			// MySQL 8.0.19+ writes no integer display widths (nor year(4)); JSON is a type of its
			// own; a generation expression keeps its parentheses and the string introducers; a
			// BINARY default reads without its padding.
			for _, cols := range [][]schema.Column{kitchen, parent, child, parted} {
				for i := range cols {
					cols[i].Type = mysqlType(cols[i].Type)
				}
			}
			set := func(name string, edit func(*schema.Column)) {
				for i := range kitchen {
					if kitchen[i].Name == name {
						edit(&kitchen[i])
						return
					}
				}
				t.Fatalf("no column %s", name)
			}
			set("t_bin", func(c *schema.Column) { c.Default = d("'ab'") })
			set("t_json", func(c *schema.Column) { c.Type, c.DataType, c.Charset, c.Collation = "json", "json", "", "" })
			set("t_virt", func(c *schema.Column) { c.Generated.Expr = "(`t_int` * 2)" })
			set("t_stored", func(c *schema.Column) { c.Generated.Expr = "concat(`t_vc`,_utf8mb4'x')" })
			set("t_bs", func(c *schema.Column) { c.Generated.Expr = "concat(_utf8mb4'a\\\\b',`t_vc`)" })
		}
		for tbl, cols := range map[string][]schema.Column{"kitchen": kitchen, "parent": parent, "child": child, "parted": parted} {
			want := make([]*schema.Column, len(cols))
			for i := range cols {
				cols[i].Position = i + 1
				want[i] = &cols[i]
			}
			sameList(t, tbl+".Columns", want, s.Table(tbl).Columns)
		}
	})

	t.Run("indexes", func(t *testing.T) {
		col := func(c string) schema.IndexPart { return schema.IndexPart{Column: c} }
		want := map[string][]*schema.Index{
			"kitchen": {
				{Name: "PRIMARY", Primary: true, Unique: true, Type: "BTREE", Parts: []schema.IndexPart{col("id")}},
				{Name: "ft_text", Type: "FULLTEXT", Parts: []schema.IndexPart{col("t_text")}},
				{Name: "idx_ignored", Type: "BTREE", Parts: []schema.IndexPart{col("t_med")}, Invisible: true, Comment: "ignored index"},
				{Name: "idx_prefix", Type: "BTREE", Parts: []schema.IndexPart{{Column: "t_vc", SubPart: 10}, {Column: "t_int", Descending: true}}},
				{Name: "sp_geo", Type: "SPATIAL", Parts: []schema.IndexPart{col("t_geo")}},
				{Name: "uq_dt", Unique: true, Type: "BTREE", Parts: []schema.IndexPart{col("t_dt")}},
			},
			"parent": {
				{Name: "PRIMARY", Primary: true, Unique: true, Type: "BTREE", Parts: []schema.IndexPart{col("id")}},
				{Name: "uq_code_region", Unique: true, Type: "BTREE", Parts: []schema.IndexPart{col("code"), col("region")}},
			},
			"child": {
				{Name: "PRIMARY", Primary: true, Unique: true, Type: "BTREE", Parts: []schema.IndexPart{col("id")}},
				{Name: "fk_multi", Type: "BTREE", Parts: []schema.IndexPart{col("p_code"), col("p_region")}},
				{Name: "fk_parent", Type: "BTREE", Parts: []schema.IndexPart{col("parent_id")}},
				{Name: "fk_self", Type: "BTREE", Parts: []schema.IndexPart{col("self_id")}},
			},
			"parted": {
				{Name: "PRIMARY", Primary: true, Unique: true, Type: "BTREE", Parts: []schema.IndexPart{col("id"), col("created")}},
			},
		}
		if mysql {
			// The functional key part, first by name (MySQL sorts indexes by name, as MariaDB).
			k := want["kitchen"]
			want["kitchen"] = append(k[:2:2], append([]*schema.Index{{Name: "idx_func", Type: "BTREE",
				Parts: []schema.IndexPart{{Expr: "(`t_int` + 1)"}, {Column: "t_vc", SubPart: 5, Descending: true}}}}, k[2:]...)...)
		}
		for tbl, w := range want {
			sameList(t, tbl+".Indexes", w, s.Table(tbl).Indexes)
		}
		if pk := s.Table("parted").PrimaryKey(); pk == nil || !reflect.DeepEqual(pk.Columns(), []string{"id", "created"}) {
			t.Errorf("parted primary key = %+v", pk)
		}
	})

	t.Run("foreign keys", func(t *testing.T) {
		want := []*schema.ForeignKey{
			{Name: "fk_multi", Columns: []string{"p_code", "p_region"}, RefTable: "parent", RefColumns: []string{"code", "region"},
				OnUpdate: "CASCADE", OnDelete: "SET NULL"},
			{Name: "fk_parent", Columns: []string{"parent_id"}, RefTable: "parent", RefColumns: []string{"id"},
				OnUpdate: "RESTRICT", OnDelete: "CASCADE"},
			{Name: "fk_self", Columns: []string{"self_id"}, RefTable: "child", RefColumns: []string{"id"},
				OnUpdate: "RESTRICT", OnDelete: "RESTRICT"},
		}
		if mysql {
			// MySQL says NO ACTION for an action not given; MariaDB RESTRICT (the same).
			want[1].OnUpdate, want[2].OnUpdate, want[2].OnDelete = "NO ACTION", "NO ACTION", "NO ACTION"
		}
		sameList(t, "child.ForeignKeys", want, s.Table("child").ForeignKeys)
		for _, tbl := range []string{"kitchen", "parent", "parted"} {
			if fks := s.Table(tbl).ForeignKeys; len(fks) != 0 {
				t.Errorf("%s has foreign keys %+v", tbl, fks)
			}
		}
	})

	t.Run("checks", func(t *testing.T) {
		want := []*schema.Check{
			{Name: "chk_tbl", Expr: "`t_int` is null or `t_int` < 1000", Enforced: true},
			{Name: "t_chk", Column: "t_chk", Expr: "`t_chk` > 0", Enforced: true},
			{Name: "t_json", Column: "t_json", Expr: "json_valid(`t_json`)", Enforced: true},
		}
		if mysql {
			// MySQL keeps no check's level and names an unnamed one <table>_chk_<n>; its JSON needs
			// no json_valid() check; expressions keep their parentheses.
			want = []*schema.Check{
				{Name: "chk_tbl", Expr: "((`t_int` is null) or (`t_int` < 1000))", Enforced: true},
				{Name: "kitchen_chk_1", Expr: "(`t_chk` > 0)", Enforced: true},
			}
		}
		sameList(t, "kitchen.Checks", want, s.Table("kitchen").Checks)
	})

	t.Run("views", func(t *testing.T) {
		q := "`" + name + "`.`parent`."
		want := []*schema.View{
			{Name: "v_merge", Definition: "select " + q + "`id` AS `id` from `" + name + "`.`parent`",
				CheckOption: "LOCAL", SecurityType: "INVOKER", Definer: definer, Algorithm: "MERGE"},
			{Name: "v_parent", Definition: "select " + q + "`id` AS `id`," + q + "`code` AS `code` from `" + name +
				"`.`parent` where " + q + "`region` > 0",
				CheckOption: "CASCADED", SecurityType: "DEFINER", Definer: definer, Algorithm: "UNDEFINED"},
		}
		if mysql {
			// MySQL's information_schema.VIEWS has no ALGORITHM column, and MySQL parenthesises the
			// WHERE condition.
			want[0].Algorithm, want[1].Algorithm = "", ""
			want[1].Definition = strings.Replace(want[1].Definition, "where "+q+"`region` > 0", "where ("+q+"`region` > 0)", 1)
		}
		sameList(t, "Views", want, s.Views)
	})

	t.Run("triggers", func(t *testing.T) {
		want := []*schema.Trigger{
			// trg_a was created second but FOLLOWS trg_b: Order says which runs first.
			{Name: "trg_a", Table: "child", Timing: "BEFORE", Event: "INSERT", Order: 2,
				Statement: "BEGIN\n\t  SET NEW.self_id = NULL;\n\tEND", Definer: definer},
			{Name: "trg_b", Table: "child", Timing: "BEFORE", Event: "INSERT", Order: 1,
				Statement: "SET NEW.p_region = COALESCE(NEW.p_region, 0)", Definer: definer},
			{Name: "trg_upd", Table: "child", Timing: "AFTER", Event: "UPDATE", Order: 1,
				Statement: "SET @touched = 1", Definer: definer},
		}
		sameList(t, "Triggers", want, s.Triggers)
	})

	t.Run("routines", func(t *testing.T) {
		want := []*schema.Routine{
			{Name: "fn_y", Type: "FUNCTION", Params: "a int(11), b varchar(10) CHARSET latin1", Returns: "varchar(20)",
				Body: "RETURN CONCAT(a, b)", Deterministic: true, DataAccess: "NO SQL", Security: "DEFINER", Definer: definer},
			{Name: "proc_empty", Type: "PROCEDURE", Body: "SELECT 1", DataAccess: "CONTAINS SQL", Security: "DEFINER", Definer: definer},
			{Name: "proc_x", Type: "PROCEDURE", Params: "IN p_id int(11), OUT p_name varchar(50), INOUT p_n decimal(10,2)",
				Body: "BEGIN\n\t  SELECT code INTO p_name FROM parent WHERE id = p_id;\n\tEND", DataAccess: "READS SQL DATA",
				Security: "INVOKER", Comment: "proc comment", Definer: definer},
		}
		if mysql {
			for _, r := range want {
				r.Params = strings.ReplaceAll(r.Params, "int(11)", "int")
			}
		}
		sameList(t, "Routines", want, s.Routines)
	})
}

// countingQuerier counts the queries introspection sends.
type countingQuerier struct {
	Querier
	n atomic.Int64
}

func (c *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.Querier.QueryContext(ctx, query, args...)
}

// manyTables returns DDL for n tables that each have columns, indexes, a foreign key to the
// previous table and a check: every per-table kind of object.
func manyTables(n int) []string {
	var stmts []string
	for i := range n {
		fk := ""
		if i > 0 {
			fk = fmt.Sprintf(", CONSTRAINT fk_t%03d FOREIGN KEY (prev_id) REFERENCES t%03d (id)", i, i-1)
		}
		stmts = append(stmts, fmt.Sprintf(`CREATE TABLE t%03d (
			id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
			prev_id INT UNSIGNED NULL,
			name VARCHAR(100) NOT NULL DEFAULT '',
			amount DECIMAL(10,2) NOT NULL DEFAULT 0,
			status ENUM('new','done') NOT NULL DEFAULT 'new',
			created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
			updated TIMESTAMP NULL ON UPDATE CURRENT_TIMESTAMP,
			note TEXT,
			KEY idx_name (name),
			KEY idx_status_created (status, created),
			CONSTRAINT chk_t%03d CHECK (amount >= 0)%s
		)`, i, i, fk))
	}
	return stmts
}

func TestIntrospectQueryCountIsFixed(t *testing.T) {
	testenv.EachServer(t, testIntrospectQueryCountIsFixed)
}

func testIntrospectQueryCountIsFixed(t *testing.T, srv testenv.Server) {
	ctx := context.Background()
	count := func(stmts []string) int64 {
		db, name, f := introspectScratch(t, stmts)
		q := &countingQuerier{Querier: db}
		s, err := Introspect(ctx, q, name, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Tables) == 0 {
			t.Fatal("no tables introspected")
		}
		return q.n.Load()
	}
	few, many := count(manyTables(2)), count(manyTables(8))
	if few != many {
		t.Errorf("2 tables took %d queries, 8 tables %d: introspection must not query per table", few, many)
	}
	// Queries for parts of objects that do not exist (foreign key columns, routine parameters)
	// are skipped, so the count varies with what the schema holds, never with how much of it.
	if all := count(testenv.Fixture(srv)); all > 11 || few > 11 {
		t.Errorf("queries: %d (2 tables), %d (fixture with views, triggers, routines); want at most 11", few, all)
	}
}

func TestIntrospectCharsetOfEveryCollation(t *testing.T) {
	testenv.EachServer(t, testIntrospectCharsetOfEveryCollation)
}

func testIntrospectCharsetOfEveryCollation(t *testing.T, _ testenv.Server) {
	db, _, f := introspectScratch(t, nil)
	// MariaDB 10.10+ lists short names (uca1400_ai_ci) that apply to several charsets; the full
	// name, which tables and columns report, is in FULL_COLLATION_NAME.
	column := "COLLATION_NAME"
	if f.MinMariaDB(10, 10, 0) {
		column = "FULL_COLLATION_NAME"
	}
	rows, err := db.Query("SELECT " + column + ", CHARACTER_SET_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var collation, charset string
		if err := rows.Scan(&collation, &charset); err != nil {
			t.Fatal(err)
		}
		n++
		if got := charsetOfCollation(collation); got != charset {
			t.Errorf("charsetOfCollation(%q) = %q, want %q", collation, got, charset)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("only %d collations checked", n)
	}
}

func TestIntrospectSharedCollationNames(t *testing.T) {
	testenv.EachServer(t, testIntrospectSharedCollationNames)
}

func testIntrospectSharedCollationNames(t *testing.T, _ testenv.Server) {
	db, name, f := introspectScratch(t, nil)
	// MariaDB 10.10+'s uca1400 collations apply to several character sets; MySQL has none such,
	// and its counterpart is the utf8mb4_0900 family, its default since 8.0.
	a, b, table := "utf8mb3_uca1400_ai_ci", "utf8mb4_uca1400_ai_ci", "utf8mb4_uca1400_ai_ci"
	acs := "utf8mb3"
	if f.IsMySQL() {
		a, b, table, acs = "utf8mb4_0900_as_cs", "utf8mb4_0900_ai_ci", "utf8mb4_0900_ai_ci", "utf8mb4"
	}
	if _, err := db.Exec("CREATE TABLE uca (a VARCHAR(5) COLLATE " + a + ", b VARCHAR(5)) COLLATE " + table); err != nil {
		t.Fatal(err)
	}
	s, err := Introspect(context.Background(), db, name, f)
	if err != nil {
		t.Fatal(err)
	}
	tbl := s.Table("uca")
	fieldDiff(t, "uca.Options", schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collation: table}, tbl.Options)
	if c := tbl.Column("a"); c.Charset != acs || c.Collation != a {
		t.Errorf("a: %s %s", c.Charset, c.Collation)
	}
	if c := tbl.Column("b"); c.Charset != "utf8mb4" || c.Collation != b {
		t.Errorf("b: %s %s", c.Charset, c.Collation)
	}
}

func TestIntrospectEmptyAndMissingDatabase(t *testing.T) {
	testenv.EachServer(t, testIntrospectEmptyAndMissingDatabase)
}

func testIntrospectEmptyAndMissingDatabase(t *testing.T, _ testenv.Server) {
	db, name, f := introspectScratch(t, nil)
	ctx := context.Background()
	s, err := Introspect(ctx, db, name, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tables)+len(s.Views)+len(s.Triggers)+len(s.Routines) != 0 || s.Charset != "utf8mb4" {
		t.Errorf("empty database introspected as %+v", s)
	}
	_, err = Introspect(ctx, db, name+"_missing", f)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing database: err = %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Introspect(cancelled, db, name, f); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want context.Canceled", err)
	}
}

func TestIntrospectReadFlavor(t *testing.T) { testenv.EachServer(t, testIntrospectReadFlavor) }

func testIntrospectReadFlavor(t *testing.T, srv testenv.Server) {
	db, _ := testenv.ScratchDB(t)
	f, err := ReadFlavor(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	want := schema.MariaDB
	if srv.MySQL() {
		want = schema.MySQL
	}
	if f.Version != srv.Version || f.Kind != want || fmt.Sprintf("%s-%d.%d", f.Kind, f.Major, f.Minor) != srv.Name {
		t.Errorf("flavor = %+v, want %s (%s)", f, srv.Name, srv.Version)
	}
}

// BenchmarkIntrospect introspects a 200-table database (columns of several kinds, two secondary
// indexes, a foreign key and a check per table).
func BenchmarkIntrospect(b *testing.B) {
	db, name, f := introspectScratch(b, manyTables(200))
	ctx := context.Background()
	q := &countingQuerier{Querier: db}
	b.ResetTimer()
	for b.Loop() {
		s, err := Introspect(ctx, q, name, f)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Tables) != 200 {
			b.Fatalf("%d tables", len(s.Tables))
		}
	}
	b.ReportMetric(float64(q.n.Load())/float64(b.N), "queries/op")
}

// mysqlType is a MariaDB column type as MySQL 8.0.19+ writes it: without integer display widths
// (tinyint(1) and ZEROFILL types keep theirs) and year(4) as year.
func mysqlType(t string) string {
	if t == "year(4)" {
		return "year"
	}
	if strings.HasPrefix(t, "tinyint(1)") || strings.Contains(t, "zerofill") {
		return t
	}
	for _, it := range []string{"tinyint", "smallint", "mediumint", "int", "bigint"} {
		if rest, ok := strings.CutPrefix(t, it+"("); ok {
			if i := strings.IndexByte(rest, ')'); i >= 0 {
				return it + rest[i+1:]
			}
		}
	}
	return t
}
