package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/schema"
)

// TestNarrowing is the table of what widens and what narrows.
func TestNarrowing(t *testing.T) {
	type pair struct {
		from, to     string
		fromCS, toCS string
		narrows      bool
		reason       string
	}
	cases := []pair{
		// integers
		{from: "int(11)", to: "bigint(20)"},
		{from: "int", to: "int(5)"}, // display width changes nothing
		{from: "tinyint", to: "smallint"},
		{from: "smallint", to: "mediumint"},
		{from: "mediumint", to: "int"},
		{from: "int unsigned", to: "bigint"},
		{from: "tinyint unsigned", to: "smallint"},
		{from: "tinyint unsigned", to: "tinyint unsigned"},
		{from: "bigint", to: "int", narrows: true, reason: "only -2147483648..2147483647"},
		{from: "int", to: "smallint", narrows: true},
		{from: "int", to: "int unsigned", narrows: true, reason: "negative"},
		{from: "int unsigned", to: "int", narrows: true},
		{from: "bigint unsigned", to: "bigint", narrows: true},
		{from: "tinyint(1)", to: "bit(1)", narrows: true, reason: "type family"},
		{from: "int zerofill", to: "bigint unsigned"},
		// integer to other numbers
		{from: "int", to: "decimal(10,0)"},
		{from: "int", to: "decimal(12,2)"},
		{from: "int", to: "decimal(9,0)", narrows: true},
		{from: "int unsigned", to: "decimal(10,0) unsigned"},
		{from: "int", to: "decimal(10,0) unsigned", narrows: true},
		{from: "bigint", to: "decimal(19,0)"},
		{from: "bigint unsigned", to: "decimal(19,0)", narrows: true},
		{from: "smallint", to: "float"},
		{from: "mediumint unsigned", to: "float"},
		{from: "int", to: "float", narrows: true},
		{from: "int", to: "double"},
		{from: "bigint", to: "double", narrows: true},
		{from: "int", to: "double(10,2)", narrows: true},
		{from: "int", to: "varchar(20)", narrows: true, reason: "type family"},
		// decimals
		{from: "decimal(10,2)", to: "decimal(12,2)"},
		{from: "decimal(10,2)", to: "decimal(11,3)"},
		{from: "decimal(10,2)", to: "decimal(10,3)", narrows: true, reason: "integer digits"},
		{from: "decimal(10,2)", to: "decimal(10,1)", narrows: true, reason: "rounds"},
		{from: "decimal(10,2)", to: "decimal(9,2)", narrows: true},
		{from: "decimal(10,2) unsigned", to: "decimal(10,2)"},
		{from: "decimal(10,2)", to: "decimal(10,2) unsigned", narrows: true},
		{from: "decimal(10,2)", to: "double", narrows: true},
		{from: "decimal(10,0)", to: "bigint", narrows: true},
		// floating point
		{from: "float", to: "double"},
		{from: "double", to: "float", narrows: true},
		{from: "float(7,3)", to: "float(9,3)"},
		{from: "float(7,3)", to: "float"},
		{from: "float(7,3)", to: "double"},
		{from: "float(7,3)", to: "float(7,2)", narrows: true},
		{from: "float", to: "float(7,3)", narrows: true},
		{from: "double", to: "double unsigned", narrows: true},
		{from: "double", to: "decimal(30,10)", narrows: true},
		// bit
		{from: "bit(8)", to: "bit(16)"},
		{from: "bit(8)", to: "bit(4)", narrows: true},
		// character strings
		{from: "varchar(50)", to: "varchar(255)"},
		{from: "varchar(255)", to: "varchar(100)", narrows: true, reason: "255 characters, varchar(100) only 100"},
		{from: "char(2)", to: "char(3)"},
		{from: "char(2)", to: "varchar(2)"},
		{from: "varchar(2)", to: "char(2)"},
		{from: "char(10)", to: "char(5)", narrows: true},
		{from: "varchar(255)", to: "text", fromCS: "utf8mb4", toCS: "utf8mb4"},
		{from: "varchar(255)", to: "tinytext", fromCS: "utf8mb4", toCS: "utf8mb4", narrows: true, reason: "1020 bytes"},
		{from: "varchar(255)", to: "tinytext", fromCS: "latin1", toCS: "latin1"},
		{from: "tinytext", to: "varchar(255)", fromCS: "utf8mb4", toCS: "utf8mb4"},
		{from: "text", to: "varchar(1000)", narrows: true},
		{from: "text", to: "mediumtext"},
		{from: "mediumtext", to: "longtext"},
		{from: "mediumtext", to: "text", narrows: true},
		{from: "longtext", to: "tinytext", narrows: true},
		{from: "text", to: "text", fromCS: "latin1", toCS: "utf8mb4", narrows: true, reason: "bytes in utf8mb4"},
		{from: "text", to: "mediumtext", fromCS: "latin1", toCS: "utf8mb4"},
		{from: "varchar(20)", to: "varbinary(80)", narrows: true, reason: "type family"},
		{from: "varchar(20)", to: "int", narrows: true},
		// character sets
		{from: "varchar(20)", to: "varchar(20)", fromCS: "latin1", toCS: "utf8mb4"},
		{from: "varchar(20)", to: "varchar(20)", fromCS: "utf8mb3", toCS: "utf8mb4"},
		{from: "varchar(20)", to: "varchar(20)", fromCS: "utf8", toCS: "utf8mb3"},
		{from: "varchar(20)", to: "varchar(20)", fromCS: "ascii", toCS: "latin1"},
		{from: "varchar(20)", to: "varchar(20)", fromCS: "latin1", toCS: "utf8mb3"},
		{from: "varchar(20)", to: "varchar(20)", fromCS: "utf8mb4", toCS: "utf8mb3", narrows: true, reason: "emoji"},
		{from: "varchar(20)", to: "varchar(20)", fromCS: "utf8mb4", toCS: "latin1", narrows: true},
		{from: "varchar(20)", to: "varchar(20)", fromCS: "utf8mb3", toCS: "latin1", narrows: true},
		{from: "varchar(20)", to: "varchar(20)", fromCS: "latin1", toCS: "latin2", narrows: true},
		{from: "varchar(20)", to: "varchar(20)", fromCS: "gbk", toCS: "utf8mb4"},
		{from: "enum('a','b')", to: "enum('a','b')", fromCS: "utf8mb4", toCS: "latin1", narrows: true},
		// binary strings
		{from: "varbinary(16)", to: "varbinary(32)"},
		{from: "binary(16)", to: "varbinary(16)"},
		{from: "varbinary(16)", to: "blob"},
		{from: "blob", to: "mediumblob"},
		{from: "tinyblob", to: "varbinary(255)"},
		{from: "varbinary(32)", to: "varbinary(16)", narrows: true},
		{from: "varbinary(16)", to: "binary(16)", narrows: true, reason: "pads"},
		{from: "binary(16)", to: "binary(32)", narrows: true, reason: "pads"},
		{from: "blob", to: "tinyblob", narrows: true},
		{from: "blob", to: "text", narrows: true},
		// enum and set
		{from: "enum('a','b')", to: "enum('a')"}, // enum-change's
		{from: "enum('small','large')", to: "varchar(5)"},
		{from: "enum('small','large')", to: "varchar(4)", narrows: true, reason: "longest value"},
		{from: "set('a','bb')", to: "varchar(4)"},
		{from: "set('a','bb')", to: "varchar(3)", narrows: true},
		{from: "enum('a')", to: "set('a')", narrows: true},
		{from: "enum('a')", to: "int", narrows: true},
		// date and time
		{from: "date", to: "datetime"},
		{from: "date", to: "datetime(6)"},
		{from: "datetime", to: "datetime(3)"},
		{from: "datetime(6)", to: "datetime(3)", narrows: true, reason: "fractional"},
		{from: "datetime(3)", to: "datetime", narrows: true},
		{from: "timestamp", to: "datetime"},
		{from: "timestamp(6)", to: "datetime(6)"},
		{from: "timestamp(6)", to: "datetime(3)", narrows: true},
		{from: "timestamp(3)", to: "timestamp(6)"},
		{from: "timestamp(3)", to: "timestamp", narrows: true},
		{from: "datetime", to: "timestamp", narrows: true, reason: "1970"},
		{from: "date", to: "timestamp", narrows: true},
		{from: "datetime", to: "date", narrows: true},
		{from: "time", to: "time(3)"},
		{from: "time(3)", to: "time", narrows: true},
		{from: "time", to: "datetime", narrows: true},
		{from: "year", to: "year(4)"},
		{from: "year", to: "smallint", narrows: true},
		{from: "date", to: "varchar(10)", narrows: true},
		// json, spatial, other
		{from: "json", to: "json"},
		{from: "json", to: "longtext"},
		{from: "json", to: "mediumtext", narrows: true},
		{from: "longtext", to: "json", narrows: true},
		{from: "point", to: "geometry"},
		{from: "point", to: "point"},
		{from: "geometry", to: "point", narrows: true},
		{from: "point", to: "polygon", narrows: true},
		{from: "uuid", to: "uuid"},
		{from: "uuid", to: "char(36)", narrows: true},
		{from: "inet6", to: "inet4", narrows: true},
		{from: "vector(3)", to: "vector(4)", narrows: true},
	}
	for _, tc := range cases {
		from, err := schema.ParseColumnType(tc.from)
		if err != nil {
			t.Fatalf("%s: %v", tc.from, err)
		}
		to, err := schema.ParseColumnType(tc.to)
		if err != nil {
			t.Fatalf("%s: %v", tc.to, err)
		}
		from.Charset, to.Charset = tc.fromCS, tc.toCS
		why, narrows := Narrowing(from, to)
		if narrows != tc.narrows {
			t.Errorf("%s %s → %s %s: narrows %v (%s), want %v", tc.from, tc.fromCS, tc.to, tc.toCS, narrows, why, tc.narrows)
			continue
		}
		if narrows && why == "" {
			t.Errorf("%s → %s: no reason", tc.from, tc.to)
		}
		if !strings.Contains(why, tc.reason) {
			t.Errorf("%s → %s: reason %q lacks %q", tc.from, tc.to, why, tc.reason)
		}
	}
}

func FuzzParseColumnType(f *testing.F) {
	for _, s := range []string{
		"varchar(255)", "decimal(10,2)", "int(10) unsigned", "bigint unsigned zerofill", "enum('a','b')",
		"datetime(3)", "text", "varbinary(16)", "char(2)", "double", "float(7,3)", "bit(8)", "year", "json",
		"enum('it''s','b\\\\')", "set(", "enum('", "(", ")", "int(", "decimal(65,30)", "double precision",
	} {
		f.Add(s, "float(7,3)")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ta, errA := schema.ParseColumnType(a)
		tb, errB := schema.ParseColumnType(b)
		if errA == nil {
			_ = ta.String()
			again, err := schema.ParseColumnType(ta.String())
			if err != nil {
				t.Fatalf("%q parses, but its String %q does not: %v", a, ta.String(), err)
			}
			if !sameColumnType(again, ta) {
				t.Fatalf("%q: String %q parses to %+v, not %+v", a, ta.String(), again, ta)
			}
		}
		if errA == nil && errB == nil {
			ta.Charset, tb.Charset = "utf8mb4", "latin1"
			Narrowing(ta, tb)
			Narrowing(tb, ta)
			misfits("`c`", ta, tb)
			if why, narrows := Narrowing(ta, ta); narrows && ta.Family != schema.FamilyUnknown {
				t.Fatalf("%q narrows to itself: %s", a, why)
			}
		}
	})
}

func sameColumnType(a, b schema.ColumnType) bool {
	return a.Base == b.Base && a.Family == b.Family && a.Length == b.Length && a.HasLength == b.HasLength &&
		a.Scale == b.Scale && a.HasScale == b.HasScale && a.Unsigned == b.Unsigned && a.Zerofill == b.Zerofill &&
		slices.Equal(a.Members, b.Members)
}
