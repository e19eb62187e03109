package schema

import (
	"slices"
	"testing"
)

func TestParseColumnType(t *testing.T) {
	cases := []struct {
		in   string
		want ColumnType
	}{
		{"varchar(255)", ColumnType{Base: "varchar", Family: FamilyString, Length: 255, HasLength: true}},
		{"VARCHAR(10)", ColumnType{Base: "varchar", Family: FamilyString, Length: 10, HasLength: true}},
		{"char(2)", ColumnType{Base: "char", Family: FamilyString, Length: 2, HasLength: true}},
		{"char", ColumnType{Base: "char", Family: FamilyString, Length: 1, HasLength: true}},
		{"text", ColumnType{Base: "text", Family: FamilyString}},
		{"tinytext", ColumnType{Base: "tinytext", Family: FamilyString}},
		{"longtext", ColumnType{Base: "longtext", Family: FamilyString}},
		{"decimal(10,2)", ColumnType{Base: "decimal", Family: FamilyDecimal, Length: 10, HasLength: true, Scale: 2, HasScale: true}},
		{"decimal(10,2) unsigned", ColumnType{Base: "decimal", Family: FamilyDecimal, Length: 10, HasLength: true, Scale: 2, HasScale: true, Unsigned: true}},
		{"decimal", ColumnType{Base: "decimal", Family: FamilyDecimal, Length: 10, HasLength: true}},
		{"numeric(5)", ColumnType{Base: "decimal", Family: FamilyDecimal, Length: 5, HasLength: true}},
		{"int(10) unsigned", ColumnType{Base: "int", Family: FamilyInteger, Length: 10, HasLength: true, Unsigned: true}},
		{"int(11)", ColumnType{Base: "int", Family: FamilyInteger, Length: 11, HasLength: true}},
		{"int", ColumnType{Base: "int", Family: FamilyInteger}},
		{"integer signed", ColumnType{Base: "int", Family: FamilyInteger}},
		{"bigint unsigned zerofill", ColumnType{Base: "bigint", Family: FamilyInteger, Unsigned: true, Zerofill: true}},
		{"bigint(20) unsigned zerofill", ColumnType{Base: "bigint", Family: FamilyInteger, Length: 20, HasLength: true, Unsigned: true, Zerofill: true}},
		{"int zerofill", ColumnType{Base: "int", Family: FamilyInteger, Unsigned: true, Zerofill: true}},
		{"tinyint(1)", ColumnType{Base: "tinyint", Family: FamilyInteger, Length: 1, HasLength: true}},
		{"bool", ColumnType{Base: "tinyint", Family: FamilyInteger, Length: 1, HasLength: true}},
		{"mediumint(8) unsigned", ColumnType{Base: "mediumint", Family: FamilyInteger, Length: 8, HasLength: true, Unsigned: true}},
		{"enum('a','b')", ColumnType{Base: "enum", Family: FamilyEnum, Members: []string{"a", "b"}}},
		{"enum('it''s','x,y','b\\\\s')", ColumnType{Base: "enum", Family: FamilyEnum, Members: []string{"it's", "x,y", `b\s`}}},
		{"enum('A', 'b')", ColumnType{Base: "enum", Family: FamilyEnum, Members: []string{"A", "b"}}},
		{"set('read','write')", ColumnType{Base: "set", Family: FamilySet, Members: []string{"read", "write"}}},
		{"enum('')", ColumnType{Base: "enum", Family: FamilyEnum, Members: []string{""}}},
		{"datetime(3)", ColumnType{Base: "datetime", Family: FamilyTemporal, Length: 3, HasLength: true}},
		{"datetime", ColumnType{Base: "datetime", Family: FamilyTemporal}},
		{"timestamp(6)", ColumnType{Base: "timestamp", Family: FamilyTemporal, Length: 6, HasLength: true}},
		{"time", ColumnType{Base: "time", Family: FamilyTemporal}},
		{"date", ColumnType{Base: "date", Family: FamilyTemporal}},
		{"year", ColumnType{Base: "year", Family: FamilyTemporal}},
		{"year(4)", ColumnType{Base: "year", Family: FamilyTemporal, Length: 4, HasLength: true}},
		{"varbinary(16)", ColumnType{Base: "varbinary", Family: FamilyBinary, Length: 16, HasLength: true}},
		{"binary(16)", ColumnType{Base: "binary", Family: FamilyBinary, Length: 16, HasLength: true}},
		{"binary", ColumnType{Base: "binary", Family: FamilyBinary, Length: 1, HasLength: true}},
		{"mediumblob", ColumnType{Base: "mediumblob", Family: FamilyBinary}},
		{"double", ColumnType{Base: "double", Family: FamilyFloat}},
		{"double precision", ColumnType{Base: "double", Family: FamilyFloat}},
		{"real", ColumnType{Base: "double", Family: FamilyFloat}},
		{"float", ColumnType{Base: "float", Family: FamilyFloat}},
		{"float(7,3)", ColumnType{Base: "float", Family: FamilyFloat, Length: 7, HasLength: true, Scale: 3, HasScale: true}},
		{"float(30)", ColumnType{Base: "double", Family: FamilyFloat}},
		{"float(10)", ColumnType{Base: "float", Family: FamilyFloat}},
		{"double(10,2) unsigned", ColumnType{Base: "double", Family: FamilyFloat, Length: 10, HasLength: true, Scale: 2, HasScale: true, Unsigned: true}},
		{"bit(8)", ColumnType{Base: "bit", Family: FamilyBit, Length: 8, HasLength: true}},
		{"bit", ColumnType{Base: "bit", Family: FamilyBit, Length: 1, HasLength: true}},
		{"json", ColumnType{Base: "json", Family: FamilyJSON}},
		{"point", ColumnType{Base: "point", Family: FamilySpatial}},
		{"geomcollection", ColumnType{Base: "geometrycollection", Family: FamilySpatial}},
		{"uuid", ColumnType{Base: "uuid", Family: FamilyOther}},
		{"inet6", ColumnType{Base: "inet6", Family: FamilyOther}},
		{"vector(3)", ColumnType{Base: "vector", Family: FamilyOther, Length: 3, HasLength: true}},
		{"  int  ", ColumnType{Base: "int", Family: FamilyInteger}},
	}
	for _, tc := range cases {
		got, err := ParseColumnType(tc.in)
		if err != nil {
			t.Errorf("ParseColumnType(%q): %v", tc.in, err)
			continue
		}
		if !sameColumnType(got, tc.want) {
			t.Errorf("ParseColumnType(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		// What String writes parses back to the same type.
		again, err := ParseColumnType(got.String())
		if err != nil || !sameColumnType(again, got) {
			t.Errorf("%q: String %q parses to %+v, %v", tc.in, got.String(), again, err)
		}
	}
}

func sameColumnType(a, b ColumnType) bool {
	return a.Base == b.Base && a.Family == b.Family && a.Length == b.Length && a.HasLength == b.HasLength &&
		a.Scale == b.Scale && a.HasScale == b.HasScale && a.Unsigned == b.Unsigned && a.Zerofill == b.Zerofill &&
		slices.Equal(a.Members, b.Members)
}

func TestParseColumnTypeErrors(t *testing.T) {
	for _, in := range []string{
		"", "   ", "(10)", "varchar", "varchar(abc)", "varchar(-1)", "varchar(10", "decimal(1,2,3)",
		"decimal(2,5)", "enum('a'", "enum('a',b)", "enum('a", "int sideways", "datetime(7)",
		"varchar(99999999999)", "int(10,2)", "char(1,1)",
	} {
		if got, err := ParseColumnType(in); err == nil {
			t.Errorf("ParseColumnType(%q) = %+v, want an error", in, got)
		}
	}
}
