package schema

import (
	"maps"
	"slices"
	"testing"
)

func TestStripQualifier(t *testing.T) {
	tests := []struct{ name, def, db, want string }{
		{"table and column qualifiers", "select `db1`.`t`.`id` AS `id` from `db1`.`t`", "db1",
			"select `t`.`id` AS `id` from `t`"},
		{"other databases stay", "select `x`.`id` AS `id` from `other`.`x` join `db1`.`y`", "db1",
			"select `x`.`id` AS `id` from `other`.`x` join `y`"},
		{"alias named like the database", "select `v1`.`db1` AS `db1` from `v1`", "db1",
			"select `v1`.`db1` AS `db1` from `v1`"},
		{"inside a string", "select 'db1.x' AS `s`, '`db1`.`t`' AS `q` from `db1`.`t`", "db1",
			"select 'db1.x' AS `s`, '`db1`.`t`' AS `q` from `t`"},
		{"backquote in the name", "select 1 from `a``b`.`t`", "a`b", "select 1 from `t`"},
		{"case-insensitive", "select 1 from `DB1`.`t`", "db1", "select 1 from `t`"},
		{"no database", "select 1 from `db1`.`t`", "", "select 1 from `db1`.`t`"},
		{"unterminated", "select '`db1`.", "db1", "select '`db1`."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripQualifier(tt.def, tt.db); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestCollapseSpace(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"re-indented", "BEGIN\n\tSET x = 1;\n\tSET y = 2;\nEND", "BEGIN SET x = 1;   SET y = 2; END"},
		{"trimmed", "  SET x = 1\n", "SET x = 1"},
		{"spaces in strings kept", "SELECT 'a  b'", "SELECT 'a  b'"},
		{"escaped quote in string", `SELECT 'it\'s  x',  1`, `SELECT 'it\'s  x', 1`},
		{"line comment ends at newline", "SELECT 1; -- note\n  SELECT 2", "SELECT 1; -- note\nSELECT 2"},
		{"hash comment", "SELECT 1; # note\n\n SELECT 2", "SELECT 1; # note\nSELECT 2"},
		{"block comment", "SELECT /* a   b */  1", "SELECT /* a   b */ 1"},
		{"dashes without space are arithmetic", "SET x = a--1", "SET x = a--1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ca, cb := collapseSpace(tt.a), collapseSpace(tt.b); ca != cb {
				t.Errorf("%q and %q normalise differently:\n%q\n%q", tt.a, tt.b, ca, cb)
			}
		})
	}
	different := [][2]string{
		{"SELECT 'a  b'", "SELECT 'a b'"},
		{"SELECT 1; -- c\nSELECT 2", "SELECT 1; -- c SELECT 2"},
		{"SET x=1", "SET x = 1"},
		{"SET x = 1", "set x = 1"},
	}
	for _, p := range different {
		if collapseSpace(p[0]) == collapseSpace(p[1]) {
			t.Errorf("%q and %q must differ", p[0], p[1])
		}
	}
}

func TestRenameIdents(t *testing.T) {
	renames := map[string]string{"a": "alpha", "b`c": "bc"}
	tests := []struct{ in, want string }{
		{"`a` + `b` > 0", "`alpha` + `b` > 0"},
		{"`A` = 'a' and `b``c` is null", "`alpha` = 'a' and `bc` is null"},
		{"concat(`a`,'`a`')", "concat(`alpha`,'`a`')"},
		{"a + 1", "a + 1"},
	}
	for _, tt := range tests {
		if got := renameIdents(tt.in, renames); got != tt.want {
			t.Errorf("renameIdents(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBackquotedNames(t *testing.T) {
	got := backquotedNames("select `V1`.`id` AS `id`, '`not`' from (`v1` join `t`)")
	want := []string{"id", "t", "v1"}
	if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, want) {
		t.Errorf("got %v, want %v", keys, want)
	}
}

func TestQuoting(t *testing.T) {
	if got := quoteIdent("a`b"); got != "`a``b`" {
		t.Errorf("quoteIdent = %s", got)
	}
	if got := QuoteString("it's \\ a\nb\r\x00"); got != `'it''s \\ a\nb\r\0'` {
		t.Errorf("quoteString = %s", got)
	}
	if got := quoteIdents([]string{"a", "b"}); got != "`a`,`b`" {
		t.Errorf("quoteIdents = %s", got)
	}
}

func TestNormalizeIntWidths(t *testing.T) {
	tests := []struct{ in, want string }{
		{"int(11)", "int"},
		{"int(10) unsigned", "int unsigned"},
		{"bigint(20) unsigned", "bigint unsigned"},
		{"tinyint(1)", "tinyint(1)"},
		{"tinyint(4)", "tinyint"},
		{"smallint(5) unsigned zerofill", "smallint(5) unsigned zerofill"},
		{"varchar(10)", "varchar(10)"},
		{"decimal(10,2)", "decimal(10,2)"},
		{"enum('int(1)','b')", "enum('int(1)','b')"},
		{"IN p_id int(11), OUT p_n int(5) zerofill, INOUT pint(3) varchar(9)", "IN p_id int, OUT p_n int(5) zerofill, INOUT pint(3) varchar(9)"},
		{"point", "point"},
	}
	for _, tt := range tests {
		if got := normalizeIntWidths(tt.in); got != tt.want {
			t.Errorf("normalizeIntWidths(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnquoteString(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		n        int
		err      bool
	}{
		{in: `'it''s' rest`, want: "it's", n: 7},
		{in: `"a""b"`, want: `a"b`, n: 6},
		{in: `'a\0\b\n\r\t\Z\%\_\q\\\''`, want: "a\x00\b\n\r\t\x1a\\%\\_q\\'", n: 25},
		{in: `'open`, err: true},
		{in: `'a\'`, err: true},
		{in: `x`, err: true},
	} {
		got, n, err := UnquoteString(tc.in)
		if (err != nil) != tc.err || got != tc.want || n != tc.n {
			t.Errorf("UnquoteString(%q) = %q, %d, %v; want %q, %d, error %v", tc.in, got, n, err, tc.want, tc.n, tc.err)
		}
	}
}
