package introspect

import (
	"database/sql"
	"reflect"
	"testing"

	"github.com/schema-guard/schema-guard/schema"
)

// The raw MariaDB inputs below were read from MariaDB 10.11's information_schema; the MySQL ones
// follow the MySQL 8.0/8.4 Reference Manual ("The INFORMATION_SCHEMA COLUMNS Table", "Data Type
// Default Values") and the behaviour of tools that read MySQL 8 (see introspect_normalize.go).
var (
	flavorMariaDB1011 = schema.Flavor{Kind: schema.MariaDB, Major: 10, Minor: 11, Patch: 6}
	flavorMariaDB114  = schema.Flavor{Kind: schema.MariaDB, Major: 11, Minor: 4, Patch: 2}
	flavorMySQL80     = schema.Flavor{Kind: schema.MySQL, Major: 8, Minor: 0, Patch: 36}
	flavorMySQL84     = schema.Flavor{Kind: schema.MySQL, Major: 8, Minor: 4, Patch: 3}
	flavorMySQL57     = schema.Flavor{Kind: schema.MySQL, Major: 5, Minor: 7, Patch: 44}
	flavorPercona80   = schema.Flavor{Kind: schema.Percona, Major: 8, Minor: 0, Patch: 36}
)

func rawNull() sql.NullString        { return sql.NullString{} }
func rawStr(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }
func defPtr(s string) *string        { return &s }

// showDefault prints an optional default for a test message.
func showDefault(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return "`" + *p + "`"
}

func TestNormalizeDefault(t *testing.T) {
	tests := []struct {
		name     string
		flavor   schema.Flavor
		value    sql.NullString
		nullable bool
		dataType string
		extra    string
		want     *string
	}{
		// MariaDB 10.2.7+: COLUMN_DEFAULT is SQL text.
		{"mariadb no default", flavorMariaDB1011, rawNull(), false, "int", "", nil},
		{"mariadb nullable without default", flavorMariaDB1011, rawStr("NULL"), true, "int", "", defPtr("NULL")},
		{"mariadb DEFAULT NULL", flavorMariaDB1011, rawStr("NULL"), true, "varchar", "", defPtr("NULL")},
		{"mariadb string 'NULL'", flavorMariaDB1011, rawStr("'NULL'"), true, "varchar", "", defPtr("'NULL'")},
		{"mariadb empty string", flavorMariaDB1011, rawStr("''"), true, "char", "", defPtr("''")},
		{"mariadb quotes and backslash", flavorMariaDB1011, rawStr(`'it''s a \\ "test"'`), false, "varchar", "", defPtr(`'it''s a \\ "test"'`)},
		{"mariadb newline", flavorMariaDB1011, rawStr(`'a\nb'`), true, "varchar", "", defPtr(`'a\nb'`)},
		{"mariadb binary padding", flavorMariaDB1011, rawStr(`'ab\0\0'`), true, "binary", "", defPtr(`'ab\0\0'`)},
		{"mariadb integer", flavorMariaDB1011, rawStr("-5"), true, "mediumint", "", defPtr("-5")},
		{"mariadb decimal", flavorMariaDB1011, rawStr("1.50"), false, "decimal", "", defPtr("1.50")},
		{"mariadb double exponent", flavorMariaDB1011, rawStr("-0.00001"), true, "double", "", defPtr("-0.00001")},
		{"mariadb year", flavorMariaDB1011, rawStr("2024"), true, "year", "", defPtr("2024")},
		{"mariadb bit", flavorMariaDB1011, rawStr("b'101'"), true, "bit", "", defPtr("b'101'")},
		{"mariadb bit zero", flavorMariaDB1011, rawStr("b'0'"), true, "bit", "", defPtr("b'0'")},
		{"mariadb enum with quote", flavorMariaDB1011, rawStr("'b''c'"), false, "enum", "", defPtr("'b''c'")},
		{"mariadb current_timestamp()", flavorMariaDB1011, rawStr("current_timestamp()"), true, "timestamp", "on update current_timestamp()", defPtr("CURRENT_TIMESTAMP")},
		{"mariadb current_timestamp(6)", flavorMariaDB1011, rawStr("current_timestamp(6)"), false, "datetime", "on update current_timestamp(6)", defPtr("CURRENT_TIMESTAMP(6)")},
		{"mariadb wrapped expression", flavorMariaDB1011, rawStr("(1 + 2)"), true, "int", "", defPtr("(1 + 2)")},
		{"mariadb bare function", flavorMariaDB1011, rawStr("uuid()"), true, "char", "", defPtr("(uuid())")},
		{"mariadb expression with literal", flavorMariaDB1011, rawStr("concat('a','b')"), true, "varchar", "", defPtr("(concat('a','b'))")},
		{"mariadb two literals", flavorMariaDB1011, rawStr("'a' + 'b'"), true, "varchar", "", defPtr("('a' + 'b')")},
		{"mariadb temporal expression", flavorMariaDB1011, rawStr("(current_timestamp() + interval 1 day)"), true, "datetime", "", defPtr("(current_timestamp() + interval 1 day)")},
		{"mariadb auto_increment", flavorMariaDB1011, rawNull(), false, "bigint", "auto_increment", nil},
		{"mariadb generated reports NULL", flavorMariaDB1011, rawStr("NULL"), true, "int", "VIRTUAL GENERATED", nil},
		{"mariadb 11.4", flavorMariaDB114, rawStr("'x'"), true, "text", "", defPtr("'x'")},
		{"mariadb 11.8 binary as hex", flavorMariaDB114, rawStr("x'61620000'"), true, "binary", "", defPtr(`'ab\0\0'`)},

		// MySQL: bare values, SQL NULL for "no default" and for DEFAULT NULL.
		{"mysql no default", flavorMySQL84, rawNull(), false, "int", "", nil},
		{"mysql DEFAULT NULL", flavorMySQL84, rawNull(), true, "varchar", "", defPtr("NULL")},
		{"mysql string 'NULL'", flavorMySQL84, rawStr("NULL"), true, "varchar", "", defPtr("'NULL'")},
		{"mysql empty string", flavorMySQL84, rawStr(""), true, "char", "", defPtr("''")},
		{"mysql quotes and backslash", flavorMySQL84, rawStr(`it's a \ "test"`), false, "varchar", "", defPtr(`'it''s a \\ "test"'`)},
		{"mysql newline", flavorMySQL84, rawStr("a\nb"), true, "varchar", "", defPtr(`'a\nb'`)},
		{"mysql integer", flavorMySQL84, rawStr("-5"), true, "mediumint", "", defPtr("-5")},
		{"mysql decimal", flavorMySQL84, rawStr("1.50"), false, "decimal", "", defPtr("1.50")},
		{"mysql year", flavorMySQL84, rawStr("2024"), true, "year", "", defPtr("2024")},
		{"mysql date", flavorMySQL84, rawStr("2020-01-01"), true, "date", "", defPtr("'2020-01-01'")},
		{"mysql enum with quote", flavorMySQL84, rawStr("b'c"), false, "enum", "", defPtr("'b''c'")},
		{"mysql set", flavorMySQL84, rawStr("x,z"), true, "set", "", defPtr("'x,z'")},
		{"mysql bit", flavorMySQL84, rawStr("b'101'"), true, "bit", "", defPtr("b'101'")},
		{"mysql bit as hex", flavorMySQL84, rawStr("0x05"), true, "bit", "", defPtr("b'101'")},
		{"mysql binary as hex", flavorMySQL84, rawStr("0x61620000"), true, "binary", "", defPtr(`'ab\0\0'`)},
		{"mysql varbinary text", flavorMySQL84, rawStr("ab"), true, "varbinary", "", defPtr("'ab'")},
		{"mysql CURRENT_TIMESTAMP", flavorMySQL84, rawStr("CURRENT_TIMESTAMP"), true, "timestamp", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP", defPtr("CURRENT_TIMESTAMP")},
		{"mysql CURRENT_TIMESTAMP(6)", flavorMySQL80, rawStr("CURRENT_TIMESTAMP(6)"), false, "datetime", "DEFAULT_GENERATED", defPtr("CURRENT_TIMESTAMP(6)")},
		{"mysql 5.7 CURRENT_TIMESTAMP", flavorMySQL57, rawStr("CURRENT_TIMESTAMP"), false, "timestamp", "on update CURRENT_TIMESTAMP", defPtr("CURRENT_TIMESTAMP")},
		{"mysql literal 'CURRENT_TIMESTAMP' string", flavorMySQL84, rawStr("CURRENT_TIMESTAMP"), true, "varchar", "", defPtr("'CURRENT_TIMESTAMP'")},
		{"mysql wrapped expression", flavorMySQL84, rawStr("(1 + 2)"), true, "int", "DEFAULT_GENERATED", defPtr("(1 + 2)")},
		{"mysql bare function", flavorMySQL84, rawStr("uuid()"), true, "char", "DEFAULT_GENERATED", defPtr("(uuid())")},
		{"mysql json expression", flavorMySQL84, rawStr("json_array()"), true, "json", "DEFAULT_GENERATED", defPtr("(json_array())")},
		{"mysql escaped literal in expression", flavorMySQL84, rawStr(`concat(_utf8mb4\'a\',_utf8mb4\'b\')`), true, "varchar", "DEFAULT_GENERATED", defPtr("(concat(_utf8mb4'a',_utf8mb4'b'))")},
		// DEFAULT ('x') on TEXT, as MySQL 9.7 reports it: a string in an expression is the string.
		{"mysql text literal default", flavorMySQL84, rawStr(`_utf8mb4\'x\'`), true, "text", "DEFAULT_GENERATED", defPtr("'x'")},
		{"mysql text literal with escapes", flavorMySQL84, rawStr(`_utf8mb3\'it\\\'s \\\\ x\'`), true, "text", "DEFAULT_GENERATED", defPtr(`'it''s \\ x'`)},
		{"mysql backslash in expression", flavorMySQL84, rawStr(`concat(_utf8mb3\'a\\\\b\',_utf8mb3\'c\\\'d\')`), true, "varchar", "DEFAULT_GENERATED", defPtr(`(concat(_utf8mb3'a\\b',_utf8mb3'c\'d'))`)},
		{"mysql json literal default", flavorMySQL84, rawStr(`_utf8mb4\'{}\'`), false, "json", "DEFAULT_GENERATED", defPtr("'{}'")},
		{"mysql blob literal default", flavorMySQL84, rawStr(`_binary\'ab\'`), true, "blob", "DEFAULT_GENERATED", defPtr("'ab'")},
		{"mysql two literals stay an expression", flavorMySQL84, rawStr(`concat(_utf8mb4\'a\',_utf8mb4\'b\')`), true, "text", "DEFAULT_GENERATED", defPtr("(concat(_utf8mb4'a',_utf8mb4'b'))")},
		{"mysql auto_increment", flavorMySQL84, rawNull(), false, "bigint", "auto_increment", nil},
		{"mysql generated nullable", flavorMySQL84, rawNull(), true, "int", "VIRTUAL GENERATED", nil},
		{"mysql invisible", flavorMySQL84, rawStr("7"), true, "int", "INVISIBLE", defPtr("7")},
		{"percona follows mysql", flavorPercona80, rawNull(), true, "int", "", defPtr("NULL")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := normalizeDefault(tt.flavor, rawDefault{
				value: tt.value, nullable: tt.nullable, dataType: tt.dataType, extra: parseExtra(tt.extra),
			})
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Errorf("got %s, want %s", showDefault(got), showDefault(tt.want))
			}
		})
	}
}

func TestNormalizeParseExtra(t *testing.T) {
	tests := []struct {
		extra string
		want  columnExtra
	}{
		{"", columnExtra{}},
		{"auto_increment", columnExtra{autoIncrement: true}},
		{"AUTO_INCREMENT INVISIBLE", columnExtra{autoIncrement: true, invisible: true}},
		{"on update current_timestamp(6)", columnExtra{onUpdate: "current_timestamp(6)"}},
		{"DEFAULT_GENERATED on update CURRENT_TIMESTAMP", columnExtra{defaultGenerated: true, onUpdate: "CURRENT_TIMESTAMP"}},
		{"DEFAULT_GENERATED", columnExtra{defaultGenerated: true}},
		{"VIRTUAL GENERATED", columnExtra{generated: "VIRTUAL"}},
		{"STORED GENERATED", columnExtra{generated: "STORED"}},
		{"PERSISTENT GENERATED", columnExtra{generated: "STORED"}},
		{"VIRTUAL GENERATED INVISIBLE", columnExtra{generated: "VIRTUAL", invisible: true}},
		// MariaDB 10.11 joins them with a comma.
		{"VIRTUAL GENERATED, INVISIBLE", columnExtra{generated: "VIRTUAL", invisible: true}},
		{"STORED GENERATED,INVISIBLE", columnExtra{generated: "STORED", invisible: true}},
		{"DEFAULT_GENERATED INVISIBLE", columnExtra{defaultGenerated: true, invisible: true}},
		{"INVISIBLE", columnExtra{invisible: true}},
		{"on update", columnExtra{}}, // truncated: nothing to take
	}
	for _, tt := range tests {
		if got := parseExtra(tt.extra); got != tt.want {
			t.Errorf("parseExtra(%q) = %+v, want %+v", tt.extra, got, tt.want)
		}
	}
}

func TestNormalizeOnUpdate(t *testing.T) {
	tests := []struct{ raw, typ, want string }{
		{"", "timestamp", ""},
		{"current_timestamp()", "timestamp", "CURRENT_TIMESTAMP"},        // MariaDB
		{"current_timestamp(6)", "datetime(6)", "CURRENT_TIMESTAMP(6)"},  // MariaDB
		{"CURRENT_TIMESTAMP", "timestamp", "CURRENT_TIMESTAMP"},          // MySQL
		{"CURRENT_TIMESTAMP(3)", "timestamp(3)", "CURRENT_TIMESTAMP(3)"}, // MySQL
		{"CURRENT_TIMESTAMP", "datetime(6)", "CURRENT_TIMESTAMP(6)"},     // precision left out
		{"CURRENT_TIMESTAMP", "timestamp(0)", "CURRENT_TIMESTAMP"},       // (0) is no precision
		{"something_else()", "datetime", "something_else()"},             // kept as is
	}
	for _, tt := range tests {
		if got := normalizeOnUpdate(tt.raw, tt.typ); got != tt.want {
			t.Errorf("normalizeOnUpdate(%q, %q) = %q, want %q", tt.raw, tt.typ, got, tt.want)
		}
	}
}

func TestNormalizeCurrentTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", true},
		{"current_timestamp()", "CURRENT_TIMESTAMP", true},
		{"current_timestamp(0)", "CURRENT_TIMESTAMP", true},
		{"CURRENT_TIMESTAMP(6)", "CURRENT_TIMESTAMP(6)", true},
		{"now()", "CURRENT_TIMESTAMP", true},
		{"now(3)", "CURRENT_TIMESTAMP(3)", true},
		{"localtimestamp", "CURRENT_TIMESTAMP", true},
		{"now", "", false},
		{"current_timestamp(x)", "", false},
		{"current_timestamp() + interval 1 day", "", false},
		{"'CURRENT_TIMESTAMP'", "", false},
	}
	for _, tt := range tests {
		got, ok := normalizeCurrentTimestamp(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("normalizeCurrentTimestamp(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalizeTypeAndOptions(t *testing.T) {
	types := []struct{ in, want string }{
		{"int(10) unsigned", "int(10) unsigned"},
		{"INT UNSIGNED ZEROFILL", "int unsigned zerofill"},
		{"enum('A','b''C','D\\'E')", "enum('A','b''C','D\\'E')"},
		{"SET('Ä','x')", "set('Ä','x')"},
		{"enum('unterminated", "enum('unterminated"},
	}
	for _, tt := range types {
		if got := lowerType(tt.in); got != tt.want {
			t.Errorf("lowerType(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	opts := []struct {
		in, rowFormat, rest string
		partitioned         bool
	}{
		{"", "", "", false},
		{"stats_persistent=0 row_format=DYNAMIC", "DYNAMIC", "stats_persistent=0", false},   // MariaDB
		{"row_format=COMPRESSED KEY_BLOCK_SIZE=8", "COMPRESSED", "KEY_BLOCK_SIZE=8", false}, // MySQL
		{"partitioned", "", "", true},
		{"row_format=dynamic partitioned checksum=1", "DYNAMIC", "checksum=1", true},
		{"stats_persistent=0 checksum=1 max_rows=10", "", "checksum=1 max_rows=10 stats_persistent=0", false}, // sorted
		{"`page_compressed`=1", "", "`page_compressed`=1", false},
	}
	for _, tt := range opts {
		rf, rest, p := splitCreateOptions(tt.in)
		if rf != tt.rowFormat || rest != tt.rest || p != tt.partitioned {
			t.Errorf("splitCreateOptions(%q) = %q, %q, %v; want %q, %q, %v", tt.in, rf, rest, p, tt.rowFormat, tt.rest, tt.partitioned)
		}
	}
	charsets := []struct{ in, want string }{
		{"utf8mb4_0900_ai_ci", "utf8mb4"},    // MySQL 8 default
		{"utf8mb4_uca1400_ai_ci", "utf8mb4"}, // MariaDB 11.x full name
		{"utf8mb3_general_ci", "utf8mb3"},
		{"latin1_swedish_ci", "latin1"},
		{"binary", "binary"},
		{"", ""},
	}
	for _, tt := range charsets {
		if got := charsetOfCollation(tt.in); got != tt.want {
			t.Errorf("charsetOfCollation(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeIndexInvisible(t *testing.T) {
	tests := []struct {
		flavor schema.Flavor
		raw    sql.NullString
		want   bool
	}{
		{flavorMySQL80, rawStr("YES"), false}, // IS_VISIBLE
		{flavorMySQL80, rawStr("NO"), true},
		{flavorMySQL57, rawNull(), false},        // no such column
		{flavorMariaDB1011, rawStr("NO"), false}, // IGNORED
		{flavorMariaDB1011, rawStr("YES"), true},
		{flavorMariaDB1011, rawNull(), false},
	}
	for _, tt := range tests {
		if got := indexInvisible(tt.flavor, tt.raw); got != tt.want {
			t.Errorf("indexInvisible(%s, %v) = %v, want %v", tt.flavor, tt.raw, got, tt.want)
		}
	}
}

func TestNormalizeRoutineParams(t *testing.T) {
	tests := []struct {
		routine, mode, name, dtd, charset, want string
	}{
		{"PROCEDURE", "IN", "p_id", "int(11)", "", "IN p_id int(11)"}, // MariaDB
		{"PROCEDURE", "OUT", "p_name", "varchar(50)", "utf8mb4", "OUT p_name varchar(50)"},
		{"PROCEDURE", "INOUT", "p", "INT UNSIGNED", "", "INOUT p int unsigned"}, // MySQL 8 style
		{"FUNCTION", "IN", "b", "varchar(10)", "latin1", "b varchar(10) CHARSET latin1"},
		{"FUNCTION", "", "a", "int", "", "a int"}, // MySQL: no mode for function parameters
		{"PROCEDURE", "IN", "select", "int", "", "IN select int"},
		{"PROCEDURE", "IN", "my param", "int", "", "IN `my param` int"},
		{"PROCEDURE", "IN", "123", "int", "", "IN `123` int"},
		{"FUNCTION", "", "v", "varchar(10) CHARSET latin1", "latin1", "v varchar(10) charset latin1"},
	}
	for _, tt := range tests {
		got := routineParam(tt.routine, tt.mode, tt.name, typeWithCharset(tt.dtd, tt.charset, "utf8mb4"))
		if got != tt.want {
			t.Errorf("param %+v = %q, want %q", tt, got, tt.want)
		}
	}
}

func TestNormalizeBuildColumn(t *testing.T) {
	tests := []struct {
		name   string
		flavor schema.Flavor
		raw    rawColumn
		want   schema.Column
	}{
		{
			name:   "mysql generated with escaped literal",
			flavor: flavorMySQL84,
			raw: rawColumn{name: "g", position: 3, nullable: true, dataType: "varchar", columnType: "varchar(50)",
				charset: "utf8mb4", collation: "utf8mb4_0900_ai_ci", extra: "STORED GENERATED",
				generation: `concat(\'x\',` + "`a`)"},
			want: schema.Column{Name: "g", Position: 3, Type: "varchar(50)", DataType: "varchar", Nullable: true,
				Charset: "utf8mb4", Collation: "utf8mb4_0900_ai_ci",
				Generated: &schema.Generated{Expr: "concat('x',`a`)", Stored: true}},
		},
		{
			name:   "mariadb generated keeps backslash",
			flavor: flavorMariaDB1011,
			raw: rawColumn{name: "g", position: 1, nullable: true, dataType: "varchar", columnType: "varchar(5)",
				def: rawStr("NULL"), extra: "VIRTUAL GENERATED", generation: `concat('\'',` + "`a`)"},
			want: schema.Column{Name: "g", Position: 1, Type: "varchar(5)", DataType: "varchar", Nullable: true,
				Generated: &schema.Generated{Expr: `concat('\'',` + "`a`)"}},
		},
		{
			name:   "mysql timestamp with on update, invisible, unsigned ignored for temporal",
			flavor: flavorMySQL80,
			raw: rawColumn{name: "ts", position: 2, dataType: "timestamp", columnType: "timestamp(3)",
				def: rawStr("CURRENT_TIMESTAMP(3)"), extra: "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3) INVISIBLE",
				comment: "when"},
			want: schema.Column{Name: "ts", Position: 2, Type: "timestamp(3)", DataType: "timestamp",
				Default: defPtr("CURRENT_TIMESTAMP(3)"), OnUpdate: "CURRENT_TIMESTAMP(3)", Invisible: true, Comment: "when"},
		},
		{
			name:   "mysql unsigned auto_increment",
			flavor: flavorMySQL84,
			raw: rawColumn{name: "id", position: 1, dataType: "BIGINT", columnType: "bigint unsigned",
				extra: "auto_increment"},
			want: schema.Column{Name: "id", Position: 1, Type: "bigint unsigned", DataType: "bigint", Unsigned: true,
				AutoIncrement: true},
		},
		{
			name:   "binary string has no charset",
			flavor: flavorMySQL84,
			raw: rawColumn{name: "b", position: 1, nullable: true, dataType: "varbinary", columnType: "varbinary(8)",
				charset: "binary", collation: "binary", def: rawStr("0x6162")},
			want: schema.Column{Name: "b", Position: 1, Type: "varbinary(8)", DataType: "varbinary", Nullable: true,
				Default: defPtr("'ab'")},
		},
		{
			name:   "charset from collation when missing",
			flavor: flavorMariaDB114,
			raw: rawColumn{name: "c", position: 1, nullable: true, dataType: "varchar", columnType: "varchar(5)",
				collation: "utf8mb4_uca1400_ai_ci", def: rawStr("NULL")},
			want: schema.Column{Name: "c", Position: 1, Type: "varchar(5)", DataType: "varchar", Nullable: true,
				Default: defPtr("NULL"), Charset: "utf8mb4", Collation: "utf8mb4_uca1400_ai_ci"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := buildColumn(tt.flavor, tt.raw)
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("\n got %+v (default %s, generated %+v)\nwant %+v (default %s, generated %+v)",
					*got, showDefault(got.Default), got.Generated, tt.want, showDefault(tt.want.Default), tt.want.Generated)
			}
		})
	}
}

func TestNormalizeCheckIsColumnLevel(t *testing.T) {
	tbl := &schema.Table{Columns: []*schema.Column{{Name: "price"}}}
	tests := []struct {
		level sql.NullString
		name  string
		want  bool
	}{
		{rawStr("Column"), "price", true},
		{rawStr("Table"), "price", false}, // a table check that happens to be named like a column
		{rawStr("Table"), "chk", false},
		{rawNull(), "PRICE", true}, // before LEVEL existed: guessed from the name
		{rawNull(), "chk", false},
	}
	for _, tt := range tests {
		if got := checkIsColumnLevel(tt.level, tt.name, tbl); got != tt.want {
			t.Errorf("checkIsColumnLevel(%v, %q) = %v, want %v", tt.level, tt.name, got, tt.want)
		}
	}
}

// FuzzNormalizeDefault checks that no server string makes normalisation panic, and that a MySQL
// string default always becomes one well-formed quoted literal.
func FuzzNormalizeDefault(f *testing.F) {
	for _, s := range []string{"", "NULL", "'a'", "it's", `a\b`, "0x00", "b'1'", "(1", "current_timestamp(", "'", "`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fl := range []schema.Flavor{flavorMariaDB1011, flavorMySQL84} {
			for _, dt := range []string{"varchar", "int", "bit", "binary", "datetime"} {
				for _, extra := range []string{"", "DEFAULT_GENERATED"} {
					_ = normalizeDefault(fl, rawDefault{value: rawStr(s), nullable: true, dataType: dt, extra: parseExtra(extra)})
				}
			}
		}
		got := normalizeDefault(flavorMySQL84, rawDefault{value: rawStr(s), nullable: true, dataType: "varchar"})
		if got == nil || !isQuotedLiteral(*got) {
			t.Errorf("mysql varchar default %q became %s, not a quoted literal", s, showDefault(got))
		}
		_ = lowerType(s)
		_ = wrapExpr(s)
	})
}

func TestSoleColumn(t *testing.T) {
	table := &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "qty"}, {Name: "price"}, {Name: "we`ird"}}}
	for expr, want := range map[string]string{
		"`qty` > 0":                       "qty",
		"`qty` > 0 and `qty` < 10":        "qty",
		"`qty` > `price`":                 "",
		"`gone` > 0":                      "",
		"'`price`' = `qty`":               "qty", // a backquote inside a string is not a name
		"`we``ird` is not null":           "we`ird",
		"json_valid(`QTY`)":               "qty",
		"`qty` > 0 and \"`price`\" <> ''": "qty",
	} {
		if got := soleColumn(expr, table); got != want {
			t.Errorf("soleColumn(%q) = %q, want %q", expr, got, want)
		}
	}
}
