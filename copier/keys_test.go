package copier

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSgName(t *testing.T) {
	if got := sgName("orders", "new"); got != "_orders_sg_new" {
		t.Errorf("sgName = %q", got)
	}
	long := strings.Repeat("é", 60)
	a, b := sgName(long, "new"), sgName(long+"x", "new")
	if utf8.RuneCountInString(a) > maxIdent || utf8.RuneCountInString(b) > maxIdent {
		t.Errorf("too long: %q (%d), %q", a, utf8.RuneCountInString(a), b)
	}
	if a == b || !strings.HasSuffix(a, "_sg_new") || !strings.HasPrefix(a, "_éé") {
		t.Errorf("shortened names %q and %q", a, b)
	}
	n := namesFor("db", long)
	seen := map[string]bool{}
	for _, x := range append(n.tables(), n.triggers()...) {
		if seen[x] {
			t.Errorf("duplicate name %q", x)
		}
		seen[x] = true
	}
}

func TestKeyLiteral(t *testing.T) {
	tests := []struct {
		col  column
		raw  string
		want string
		err  bool
	}{
		{col: column{DataType: "int"}, raw: "-42", want: "-42"},
		{col: column{DataType: "decimal"}, raw: "12.50", want: "12.50"},
		{col: column{DataType: "bigint"}, raw: "1; DROP TABLE t", err: true},
		{col: column{DataType: "varchar", Charset: "utf8mb4", Collation: "utf8mb4_general_ci"}, raw: "a'b",
			want: "_utf8mb4 X'612762' COLLATE utf8mb4_general_ci"},
		{col: column{DataType: "varbinary"}, raw: "\x00\xff", want: "X'00ff'"},
		{col: column{DataType: "datetime"}, raw: "2024-01-02 03:04:05.5", want: "'2024-01-02 03:04:05.5'"},
		{col: column{DataType: "date"}, raw: "2024'", err: true},
		{col: column{DataType: "enum"}, raw: "a", err: true},
		{col: column{DataType: "enum"}, raw: "2", want: "2"},
	}
	for _, tt := range tests {
		got, err := keyLiteral(tt.col, []byte(tt.raw))
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("keyLiteral(%s, %q) = %q, %v", tt.col.DataType, tt.raw, got, err)
		}
	}
}

func TestKeyRange(t *testing.T) {
	id := column{Name: "id", DataType: "int"}
	if got := keyRange([]column{id}, nil, []string{"9"}); got != "`id` <= 9" {
		t.Errorf("got %s", got)
	}
	a, b := column{Name: "a", DataType: "int"}, column{Name: "b", DataType: "varchar"}
	got := keyRange([]column{a, b}, []string{"1", "'x'"}, []string{"3", "'y'"})
	want := "(`a` > 1 OR (`a` = 1 AND `b` > 'x')) AND (`a` < 3 OR (`a` = 3 AND `b` <= 'y'))"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// An ENUM's range is the list of its members' numbers: 0 is the empty value.
	e := column{Name: "e", DataType: "enum", Type: "enum('x','y','z')"}
	got = keyRange([]column{e, id}, []string{"1", "5"}, []string{"3", "7"})
	want = "(`e` IN (2, 3) OR (`e` = 1 AND `id` > 5)) AND (`e` IN (0, 1, 2) OR (`e` = 3 AND `id` <= 7))"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := keyRange([]column{e}, []string{"3"}, []string{"3"}); got != "FALSE AND `e` IN (0, 1, 2, 3)" {
		t.Errorf("got %s", got)
	}
}

func TestRowHash(t *testing.T) {
	got := rowHash([]hashCol{{name: "id"}, {name: "b", nullable: true}}, false)
	if got != "CRC32(CONCAT_WS('#', `id`, `b`, ISNULL(`b`)))" {
		t.Errorf("got %s", got)
	}
	got = rowHash([]hashCol{{name: "a", nullable: true}, {name: "b", nullable: true}}, true)
	if !strings.Contains(got, "CAST(`a` AS BINARY)") || !strings.Contains(got, "CONCAT(ISNULL(`a`), ISNULL(`b`))") {
		t.Errorf("got %s", got)
	}
	got = rowHash([]hashCol{{name: "f", float: true}}, true)
	if !strings.Contains(got, "CAST(CAST(`f` AS DOUBLE) AS BINARY)") {
		t.Errorf("got %s", got)
	}
}

func TestKeepsValues(t *testing.T) {
	col := func(dt, typ, cs, coll string) *column {
		return &column{DataType: dt, Type: typ, Charset: cs, Collation: coll}
	}
	tests := []struct {
		a, b *column
		want bool
	}{
		{col("int", "int(11)", "", ""), col("bigint", "bigint(20)", "", ""), true},
		{col("varchar", "varchar(10)", "utf8mb4", "utf8mb4_general_ci"), col("varchar", "varchar(20)", "utf8mb4", "utf8mb4_bin"), true},
		{col("varchar", "varchar(10)", "latin1", "latin1_swedish_ci"), col("varchar", "varchar(10)", "utf8mb4", "utf8mb4_general_ci"), false},
		{col("decimal", "decimal(10,2)", "", ""), col("decimal", "decimal(10,1)", "", ""), false},
		{col("char", "char(3)", "utf8mb4", "x"), col("varchar", "varchar(3)", "utf8mb4", "x"), false},
		{col("varbinary", "varbinary(3)", "", ""), col("blob", "blob", "", ""), true},
	}
	for _, tt := range tests {
		if got := keepsValues(tt.a, tt.b); got != tt.want {
			t.Errorf("keepsValues(%s, %s) = %v", tt.a.Type, tt.b.Type, got)
		}
	}
}
