package probe

import (
	"math/big"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// This file chooses the values probes write: for every column type, values at the edges of what
// the deployed type accepts, so that a pending change that narrows the type (a shorter VARCHAR,
// a smaller integer, a charset with fewer characters, an ENUM without a member) or adds a rule
// the old values break (a CHECK, a trigger) makes the probe fail; and a mild value that nearly
// every column accepts, for when the deployed schema itself rejects the extremes.

// columnValues are the literals a probe may write into one column.
type columnValues struct {
	// high is the INSERT's value: the top of the range, with the widest characters of the
	// column's charset (four-byte characters for utf8mb4, so that a narrower charset shows).
	high string
	// low are the UPDATE's values, the other end of the range: the minimum, or as many
	// single-byte characters as fit, so that a type limited in bytes is filled with the most
	// characters. An ENUM lists every member: the UPDATE assigns them in turn, and the server
	// checks each assignment, so a member removed anywhere in the list shows.
	low []string
	// mild is what Calibrate falls back to: 1, 'a', '2000-01-01', the first member.
	mild string
}

// textCap limits the bytes of a value for the TEXT and BLOB types: 65536 bytes is one more
// than TEXT holds, so a MEDIUMTEXT or LONGTEXT narrowed to TEXT shows, while a statement stays
// well under the server's max_allowed_packet. Narrowing LONGTEXT to MEDIUMTEXT is not probed.
const textCap = 65536

// charsetWidth is, for a character set, its widest character and the bytes that character and
// 'z' take in it.
type charsetWidth struct {
	wide            string
	wideBytes, zLen int
}

// wideChars are a widest character of the character sets that have one known here; the others
// get 'z'. How many bytes a character takes is schema's (CharsetMaxLen, CharBytes).
var wideChars = map[string]string{
	"utf8mb4": "\U0001F600",
	"utf8mb3": "€",
	"utf8":    "€",
	"utf16":   "\U0001F600",
	"utf16le": "\U0001F600",
	"utf32":   "\U0001F600",
	"ucs2":    "€",
	"latin1":  "é",
}

// valuesFor returns the values for column c of t, or false when no value is known for its type
// (a type this code does not know, such as MariaDB 11.7's VECTOR).
func valuesFor(f schema.Flavor, t *schema.Table, c *schema.Column) (columnValues, bool) {
	// The server's DATA_TYPE decides the kind of value; the parsed type gives its lengths,
	// precision and members. A type the parser cannot read has none of them.
	ct, err := schema.TypeOf(c)
	if err != nil {
		ct = schema.ColumnType{}
	}
	switch dt := c.DataType; dt {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "bool", "boolean":
		return integerValues(dt, c.Unsigned), true
	case "decimal", "numeric", "dec", "fixed":
		return decimalValues(ct, c.Unsigned)
	case "float", "double", "real", "double precision":
		return floatValues(dt, ct, c.Unsigned), true
	case "bit":
		n := ct.Length
		if !ct.HasLength {
			n = 1
		}
		if n < 1 || n > 64 {
			return columnValues{}, false
		}
		return columnValues{high: "b'" + strings.Repeat("1", n) + "'", low: []string{"b'0'"}, mild: "b'1'"}, true
	case "char", "varchar", "binary", "varbinary", "tinytext", "text", "mediumtext", "longtext",
		"tinyblob", "blob", "mediumblob", "longblob", "json":
		return stringValues(t, c, ct)
	case "enum":
		members := quoted(ct.Members)
		if len(members) == 0 {
			return columnValues{}, false
		}
		return columnValues{high: members[len(members)-1], low: members, mild: members[0]}, true
	case "set":
		members := quoted(ct.Members)
		if len(members) == 0 {
			return columnValues{}, false
		}
		return columnValues{high: schema.QuoteString(strings.Join(ct.Members, ",")), low: []string{members[0]}, mild: members[0]}, true
	}
	if v, ok := literalValues(f, c.DataType, ct); ok {
		return v, true
	}
	if wkt, ok := geometryWKT[c.DataType]; ok {
		// Geometries have no range to probe; any value of the right kind will do.
		v := "ST_GeomFromText('" + wkt + "')"
		return columnValues{high: v, low: []string{v}, mild: v}, true
	}
	return columnValues{}, false
}

// decimalValues are a DECIMAL(M,D)'s largest magnitudes: M-D nines, D decimals of nines.
func decimalValues(ct schema.ColumnType, unsigned bool) (columnValues, bool) {
	p, s := ct.Length, ct.Scale
	if !ct.HasLength {
		p = 10
	}
	if p <= 0 || s < 0 || s > p {
		return columnValues{}, false
	}
	high := strings.Repeat("9", p-s)
	if high == "" {
		high = "0"
	}
	if s > 0 {
		high += "." + strings.Repeat("9", s)
	}
	return signed(high, unsigned), true
}

// stringValues fill the character and binary string types and JSON up to what they hold (the
// TEXT and BLOB types up to textCap bytes).
func stringValues(t *schema.Table, c *schema.Column, ct schema.ColumnType) (columnValues, bool) {
	switch dt := c.DataType; dt {
	case "char", "varchar":
		n := ct.Length
		if !ct.HasLength {
			return columnValues{}, false
		}
		if isJSONColumn(t, c) {
			return jsonValues(c.Charset, 0, n), true
		}
		if c.Charset == "" {
			return bytesValues(n), true
		}
		return charValues(c.Charset, n, n), true
	case "binary", "varbinary":
		if !ct.HasLength {
			return columnValues{}, false
		}
		return bytesValues(ct.Length), true
	case "tinytext", "text", "mediumtext", "longtext":
		capBytes := min(textCapacity(dt), textCap)
		if isJSONColumn(t, c) {
			return jsonValues(c.Charset, capBytes, 0), true
		}
		cs := charsetInfo(c.Charset)
		return charValues(c.Charset, capBytes/cs.wideBytes, capBytes/cs.zLen), true
	case "tinyblob", "blob", "mediumblob", "longblob":
		return bytesValues(min(textCapacity(dt), textCap)), true
	case "json":
		return jsonValues("utf8mb4", textCap, 0), true
	}
	return columnValues{}, false
}

// literalValues are the limits of the types written as quoted literals of a fixed form: dates
// and times, MariaDB's UUID and INET types.
func literalValues(f schema.Flavor, dataType string, ct schema.ColumnType) (columnValues, bool) {
	switch dataType {
	case "date":
		return columnValues{high: "'9999-12-31'", low: []string{"'1000-01-01'"}, mild: "'2000-01-01'"}, true
	case "datetime":
		return columnValues{high: "'9999-12-31 23:59:59" + fraction(ct) + "'", low: []string{"'1000-01-01 00:00:00'"},
			mild: "'2000-01-01 00:00:00'"}, true
	case "timestamp":
		// Probe sessions run with time_zone '+00:00', so these are the type's UTC limits.
		// MariaDB 11.5 stores timestamps as unsigned 32-bit numbers on 64-bit systems.
		high := "'2038-01-19 03:14:07"
		if f.MinMariaDB(11, 5, 0) {
			high = "'2106-02-07 06:28:15"
		}
		return columnValues{high: high + fraction(ct) + "'", low: []string{"'1970-01-01 00:00:01'"},
			mild: "'2000-01-01 00:00:00'"}, true
	case "time":
		return columnValues{high: "'838:59:59'", low: []string{"'-838:59:59'"}, mild: "'01:00:00'"}, true
	case "year":
		return columnValues{high: "2155", low: []string{"1901"}, mild: "2000"}, true
	case "uuid":
		return columnValues{high: "'ffffffff-ffff-ffff-ffff-ffffffffffff'", low: []string{"'00000000-0000-0000-0000-000000000000'"},
			mild: "'00000000-0000-0000-0000-000000000001'"}, true
	case "inet4":
		return columnValues{high: "'255.255.255.255'", low: []string{"'0.0.0.0'"}, mild: "'10.0.0.1'"}, true
	case "inet6":
		return columnValues{high: "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'", low: []string{"'::'"}, mild: "'::1'"}, true
	}
	return columnValues{}, false
}

var geometryWKT = map[string]string{
	"geometry":           "POINT(0 0)",
	"point":              "POINT(0 0)",
	"linestring":         "LINESTRING(0 0,1 1)",
	"polygon":            "POLYGON((0 0,1 0,1 1,0 0))",
	"multipoint":         "MULTIPOINT(0 0,1 1)",
	"multilinestring":    "MULTILINESTRING((0 0,1 1))",
	"multipolygon":       "MULTIPOLYGON(((0 0,1 0,1 1,0 0)))",
	"geometrycollection": "GEOMETRYCOLLECTION(POINT(0 0))",
	"geomcollection":     "GEOMETRYCOLLECTION(POINT(0 0))",
}

// integerValues are an integer type's maximum and minimum.
func integerValues(dataType string, unsigned bool) columnValues {
	bits := map[string]uint{"tinyint": 8, "bool": 8, "boolean": 8, "smallint": 16, "mediumint": 24,
		"int": 32, "integer": 32, "bigint": 64}[dataType]
	one := big.NewInt(1)
	if unsigned {
		high := new(big.Int).Sub(new(big.Int).Lsh(one, bits), one)
		return columnValues{high: high.String(), low: []string{"0"}, mild: "1"}
	}
	high := new(big.Int).Sub(new(big.Int).Lsh(one, bits-1), one)
	low := new(big.Int).Neg(new(big.Int).Lsh(one, bits-1))
	return columnValues{high: high.String(), low: []string{low.String()}, mild: "1"}
}

// floatValues are the largest magnitudes a FLOAT or DOUBLE takes. With (M,D) the server
// limits the value to M digits, D of them decimals; the value is then a 9 followed by zeros
// rather than all nines, which a FLOAT could round past the limit.
func floatValues(dataType string, ct schema.ColumnType, unsigned bool) columnValues {
	high := "1.7e308"
	if dataType == "float" {
		high = "3.4e38"
	}
	if ct.HasScale {
		if m, d := ct.Length, ct.Scale; m > d {
			high = "9" + strings.Repeat("0", m-d-1)
		} else {
			high = "0.5"
		}
	}
	return signed(high, unsigned)
}

// signed returns high and its negation, or 0 as the low end of an unsigned type.
func signed(high string, unsigned bool) columnValues {
	low := "-" + high
	if unsigned {
		low = "0"
	}
	return columnValues{high: high, low: []string{low}, mild: "1"}
}

// charValues fill a character column: wide characters up to its length in characters (or, for
// a type limited in bytes, as many as fit), and as many 'z' as fit.
func charValues(charset string, wide, narrow int) columnValues {
	cs := charsetInfo(charset)
	return columnValues{
		high: "'" + strings.Repeat(cs.wide, wide) + "'",
		low:  []string{"'" + strings.Repeat("z", narrow) + "'"},
		mild: "'a'",
	}
}

func charsetInfo(charset string) charsetWidth {
	if wide, ok := wideChars[strings.ToLower(charset)]; ok {
		return charsetWidth{wide, schema.CharsetMaxLen(charset), schema.CharBytes(charset, 'z')}
	}
	return charsetWidth{"z", 1, 1}
}

// bytesValues fill a binary column with n bytes: 0xFF, and 'z'.
func bytesValues(n int) columnValues {
	high := "''"
	if n > 0 {
		high = "X'" + strings.Repeat("FF", n) + "'"
	}
	return columnValues{high: high, low: []string{"'" + strings.Repeat("z", n) + "'"}, mild: "'a'"}
}

// jsonValues are JSON documents: a one-string array of wide characters and one of 'z', each
// filling the given number of bytes (capBytes) or characters (capChars, for a VARCHAR), and {}.
func jsonValues(charset string, capBytes, capChars int) columnValues {
	const frame = 4 // ["…"]
	cs := charsetInfo(charset)
	wide, narrow := (capBytes-frame)/cs.wideBytes, (capBytes-frame)/cs.zLen
	if capChars > 0 {
		wide, narrow = capChars-frame, capChars-frame
	}
	if wide < 0 || narrow < 0 {
		return columnValues{high: "'{}'", low: []string{"'{}'"}, mild: "'{}'"}
	}
	return columnValues{
		high: `'["` + strings.Repeat(cs.wide, wide) + `"]'`,
		low:  []string{`'["` + strings.Repeat("z", narrow) + `"]'`},
		mild: "'{}'",
	}
}

// isJSONColumn recognises JSON columns: MySQL's JSON type, and MariaDB's JSON alias, a
// LONGTEXT with a json_valid() check on the column that the server adds.
func isJSONColumn(t *schema.Table, c *schema.Column) bool {
	want := "json_valid(" + schema.QuoteIdent(c.Name) + ")"
	for _, ch := range t.Checks {
		if strings.EqualFold(strings.Join(strings.Fields(ch.Expr), ""), want) {
			return true
		}
	}
	return false
}

// textCapacity is the capacity in bytes of a TEXT or BLOB type.
func textCapacity(dataType string) int {
	n, _ := schema.LOBBytes(dataType)
	return int(n)
}

// fraction is the fractional part, all nines, for a temporal type with fractional seconds.
func fraction(ct schema.ColumnType) string {
	if n := ct.Length; ct.HasLength && n > 0 && n <= 6 {
		return "." + strings.Repeat("9", n)
	}
	return ""
}

// quoted writes ENUM or SET members as string literals, escaped as the server prints them; the
// probe session runs without NO_BACKSLASH_ESCAPES, so they read back as the members.
func quoted(members []string) []string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = schema.QuoteString(m)
	}
	return out
}
