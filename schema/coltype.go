package schema

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// This file reads column types: one parser for every package that needs to know what a type
// holds (the rules judging a type change, the probes choosing values, the copier's dry run
// sampling them).

// Family groups column types by the kind of value they hold. Values move freely between the
// types of one family when the new type is at least as large; between families only a few
// moves keep every value (see Narrowing).
type Family int

// The type families.
const (
	FamilyUnknown  Family = iota
	FamilyInteger         // tinyint … bigint, bool
	FamilyDecimal         // decimal, numeric
	FamilyFloat           // float, double, real
	FamilyBit             // bit(n)
	FamilyString          // char, varchar, tinytext … longtext
	FamilyBinary          // binary, varbinary, tinyblob … longblob
	FamilyEnum            // enum(…)
	FamilySet             // set(…)
	FamilyTemporal        // date, time, datetime, timestamp, year
	FamilyJSON            // json (MySQL; MariaDB's JSON is a longtext)
	FamilySpatial         // geometry, point, linestring, polygon and their collections
	FamilyOther           // a type known only by name: MariaDB's uuid, inet4, inet6, MySQL's vector
)

var familyNames = map[Family]string{
	FamilyUnknown: "unknown", FamilyInteger: "integer", FamilyDecimal: "decimal", FamilyFloat: "floating-point",
	FamilyBit: "bit", FamilyString: "character string", FamilyBinary: "binary string", FamilyEnum: "enum",
	FamilySet: "set", FamilyTemporal: "date and time", FamilyJSON: "JSON", FamilySpatial: "spatial",
	FamilyOther: "other",
}

func (f Family) String() string { return familyNames[f] }

// ColumnType is a column type read from the model's Column.Type ("varchar(255)", "decimal(10,2)
// unsigned", "enum('a','b')"), with the column's character set where it has one.
type ColumnType struct {
	Base   string // the type's name, lower case: "varchar", "int", "datetime"
	Family Family
	// Length is the declared length, HasLength whether one was given: characters for char and
	// varchar, bytes for binary and varbinary, bits for bit, the precision (M) for decimal and
	// float(M,D), the fractional-seconds precision for time, datetime and timestamp, the
	// display width for integers (which changes nothing stored), the dimension for vector.
	Length    int
	HasLength bool
	// Scale is D of decimal(M,D) and float(M,D); HasScale whether one was given.
	Scale    int
	HasScale bool
	Unsigned bool
	Zerofill bool
	Members  []string // the values of an enum or set, in order, unquoted
	// Charset is the column's character set (string, enum and set columns), "" when unknown.
	Charset string
}

// LOBBytes returns the byte capacity of a TEXT or BLOB type by its base name ("mediumtext"),
// and false for every other type.
func LOBBytes(base string) (int64, bool) {
	n, ok := lobBytes[base]
	return n, ok
}

// The byte capacities of the TEXT and BLOB types.
var lobBytes = map[string]int64{
	"tinytext": 255, "text": 65535, "mediumtext": 16777215, "longtext": 4294967295,
	"tinyblob": 255, "blob": 65535, "mediumblob": 16777215, "longblob": 4294967295,
}

// familyOf maps a base type name, after aliases are resolved, to its family.
var familyOf = map[string]Family{
	"tinyint": FamilyInteger, "smallint": FamilyInteger, "mediumint": FamilyInteger, "int": FamilyInteger, "bigint": FamilyInteger,
	"decimal": FamilyDecimal,
	"float":   FamilyFloat, "double": FamilyFloat,
	"bit":  FamilyBit,
	"char": FamilyString, "varchar": FamilyString, "tinytext": FamilyString, "text": FamilyString, "mediumtext": FamilyString, "longtext": FamilyString,
	"binary": FamilyBinary, "varbinary": FamilyBinary, "tinyblob": FamilyBinary, "blob": FamilyBinary, "mediumblob": FamilyBinary, "longblob": FamilyBinary,
	"enum": FamilyEnum, "set": FamilySet,
	"date": FamilyTemporal, "time": FamilyTemporal, "datetime": FamilyTemporal, "timestamp": FamilyTemporal, "year": FamilyTemporal,
	"json":     FamilyJSON,
	"geometry": FamilySpatial, "point": FamilySpatial, "linestring": FamilySpatial, "polygon": FamilySpatial, "multipoint": FamilySpatial,
	"multilinestring": FamilySpatial, "multipolygon": FamilySpatial, "geometrycollection": FamilySpatial,
}

// aliases are the other spellings of a base type; the servers print the canonical one, but a
// model built by hand or from a declared schema may not.
var aliases = map[string]string{
	"integer": "int", "int4": "int", "int1": "tinyint", "int2": "smallint", "int3": "mediumint", "int8": "bigint",
	"middleint": "mediumint", "bool": "tinyint", "boolean": "tinyint",
	"dec": "decimal", "numeric": "decimal", "fixed": "decimal",
	"real": "double", "float8": "double", "float4": "float",
	"geomcollection": "geometrycollection",
}

// maxTypeNumber bounds the numbers of a type (lengths, precisions): real ones stay far below
// it, and keeping them small keeps the capacity arithmetic free of overflow.
const maxTypeNumber = 1 << 32

// ParseColumnType reads a type as the model holds it: a base name, optional arguments in
// parentheses (numbers, or quoted values for enum and set), then unsigned, signed or zerofill.
// The base name is compared case-insensitively; enum and set values keep their case.
func ParseColumnType(s string) (ColumnType, error) {
	var t ColumnType
	rest := strings.TrimSpace(s)
	i := strings.IndexFunc(rest, func(r rune) bool { return !isTypeNameRune(r) })
	if i < 0 {
		i = len(rest)
	}
	t.Base = strings.ToLower(rest[:i])
	rest = strings.TrimSpace(rest[i:])
	if t.Base == "" {
		return t, fmt.Errorf("type %q: no type name", s)
	}
	// "double precision", the one two-word name.
	if t.Base == "double" && strings.HasPrefix(strings.ToLower(rest), "precision") {
		rest = strings.TrimSpace(rest[len("precision"):])
	}
	if a, ok := aliases[t.Base]; ok {
		if t.Base == "bool" || t.Base == "boolean" {
			t.Length, t.HasLength = 1, true
		}
		t.Base = a
	}
	t.Family = familyOf[t.Base]
	if t.Family == FamilyUnknown {
		t.Family = FamilyOther
	}
	if strings.HasPrefix(rest, "(") {
		var err error
		if rest, err = t.parseArgs(rest); err != nil {
			return t, fmt.Errorf("type %q: %w", s, err)
		}
	}
	for _, w := range strings.Fields(strings.ToLower(rest)) {
		switch w {
		case "unsigned":
			t.Unsigned = true
		case "signed":
		case "zerofill":
			// ZEROFILL implies UNSIGNED on every server.
			t.Zerofill, t.Unsigned = true, true
		default:
			return t, fmt.Errorf("type %q: unexpected %q", s, w)
		}
	}
	return t, t.normalize(s)
}

func isTypeNameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
}

// parseArgs reads "(…)" at the start of rest and returns what follows it.
func (t *ColumnType) parseArgs(rest string) (string, error) {
	if t.Family == FamilyEnum || t.Family == FamilySet {
		members, after, err := parseMembers(rest)
		t.Members = members
		return after, err
	}
	end := strings.IndexByte(rest, ')')
	if end < 0 {
		return "", errors.New("unclosed parenthesis")
	}
	args := strings.Split(rest[1:end], ",")
	if len(args) > 2 {
		return "", errors.New("more than two numbers in parentheses")
	}
	nums := make([]int, len(args))
	for i, a := range args {
		n, err := strconv.Atoi(strings.TrimSpace(a))
		if err != nil || n < 0 || n >= maxTypeNumber {
			return "", fmt.Errorf("bad number %q", strings.TrimSpace(a))
		}
		nums[i] = n
	}
	t.Length, t.HasLength = nums[0], true
	if len(nums) == 2 {
		t.Scale, t.HasScale = nums[1], true
	}
	return rest[end+1:], nil
}

// parseMembers reads a parenthesised list of quoted values and returns the values and what
// follows the parenthesis. A quote inside a value is doubled or escaped with a backslash, as
// the servers print them.
func parseMembers(s string) ([]string, string, error) {
	var members []string
	i := 1 // past "("
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			return members, "", errors.New("unclosed value list")
		}
		if s[i] == ')' {
			return members, s[i+1:], nil
		}
		if s[i] != '\'' && s[i] != '"' {
			return members, "", fmt.Errorf("value list: unexpected %q", s[i])
		}
		v, n, err := UnquoteString(s[i:])
		if err != nil {
			return members, "", err
		}
		members = append(members, v)
		i += n
	}
}

// normalize fills in the servers' implied lengths and checks the arguments fit the type.
func (t *ColumnType) normalize(s string) error {
	switch t.Base {
	case "char", "binary", "bit":
		if !t.HasLength {
			t.Length, t.HasLength = 1, true
		}
	case "varchar", "varbinary":
		if !t.HasLength {
			return fmt.Errorf("type %q: %s needs a length", s, t.Base)
		}
	case "decimal":
		if !t.HasLength {
			t.Length, t.HasLength = 10, true
		}
		if t.Scale > t.Length {
			return fmt.Errorf("type %q: scale above precision", s)
		}
	case "float":
		// FLOAT(p) without a scale picks FLOAT or DOUBLE by the precision in bits.
		if t.HasLength && !t.HasScale {
			if t.Length > 24 {
				t.Base = "double"
			}
			t.Length, t.HasLength = 0, false
		}
	case "time", "datetime", "timestamp":
		if t.Length > 6 {
			return fmt.Errorf("type %q: fractional precision above 6", s)
		}
	}
	if t.HasScale && t.Family != FamilyDecimal && t.Family != FamilyFloat {
		return fmt.Errorf("type %q: %s takes no scale", s, t.Base)
	}
	return nil
}

// TypeOf reads a model column's type, with its character set (derived from the collation when
// the model has only that).
func TypeOf(c *Column) (ColumnType, error) {
	if c == nil {
		return ColumnType{}, errors.New("no column")
	}
	typ := c.Type
	if typ == "" {
		typ = c.DataType
	}
	t, err := ParseColumnType(typ)
	if err != nil {
		return t, err
	}
	if c.Unsigned {
		t.Unsigned = true
	}
	t.Charset = strings.ToLower(c.Charset)
	if t.Charset == "" && c.Collation != "" {
		t.Charset, _, _ = strings.Cut(strings.ToLower(c.Collation), "_")
	}
	return t, nil
}

// String writes the type back, as the model would hold it.
func (t ColumnType) String() string {
	var b strings.Builder
	b.WriteString(t.Base)
	switch {
	case len(t.Members) > 0:
		q := make([]string, len(t.Members))
		for i, m := range t.Members {
			q[i] = QuoteString(m)
		}
		b.WriteString("(" + strings.Join(q, ",") + ")")
	case t.HasScale:
		fmt.Fprintf(&b, "(%d,%d)", t.Length, t.Scale)
	case t.HasLength:
		fmt.Fprintf(&b, "(%d)", t.Length)
	}
	if t.Unsigned && !t.Zerofill {
		b.WriteString(" unsigned")
	}
	if t.Zerofill {
		b.WriteString(" unsigned zerofill")
	}
	return b.String()
}
