package rules

import (
	"fmt"
	"math"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// Narrowing decides whether a column type change can lose or alter values: whether some value
// the old type holds cannot be stored unchanged in the new one. It returns a reason a reviewer
// reads ("varchar(255) holds 255 characters, varchar(100) only 100") when it narrows.
//
// What widens (everything else narrows):
//
//	integer   → integer with a range that contains the old one (tinyint < smallint < mediumint
//	            < int < bigint; unsigned → signed needs the next larger type; signed → unsigned
//	            never, it loses the negatives); the display width changes nothing
//	integer   → decimal(M,D) with M-D at least the old range's digits; → float when the range
//	            fits 24 bits, → double when it fits 53 (exact integers)
//	decimal   → decimal with at least as many integer digits (M-D) and decimals (D)
//	float     → double; float(M,D)/double(M,D) → the same with at least as many integer digits
//	            and decimals, or without (M,D)
//	bit(M)    → bit(N), N ≥ M
//	char, varchar, text family → any of them holding as many characters and, for the TEXT
//	            types (limited in bytes), as many bytes in the new character set: varchar(255)
//	            utf8mb4 may need 1020 bytes, so tinytext (255 bytes) narrows it
//	binary, varbinary, blob family → varbinary or blob of at least the old byte length;
//	            → binary(N) narrows except binary(M) → binary(M): BINARY pads with 0x00 bytes,
//	            so the stored values change
//	enum, set → the same family (the enum-change rule judges the members); → a character
//	            string that holds the longest value (set: all members joined by commas)
//	date      → date, datetime; datetime(M) → datetime(N ≥ M); timestamp(M) → timestamp(N ≥ M)
//	            or datetime(N ≥ M); time(M) → time(N ≥ M); year → year. A lower fractional
//	            precision rounds; timestamp only spans 1970–2038
//	json      → json, longtext
//	spatial   → the same type, or geometry
//	other     → the same type (uuid, inet6…); vector(N) → vector(N)
//
// Character sets (string, enum and set columns): the new set must hold every character of the
// old: anything → utf8mb4 (or utf16, utf32, gb18030); anything but those → utf8mb3/ucs2; ascii
// → anything; between two other sets, or from a Unicode set to a legacy one, it narrows.
func Narrowing(from, to schema.ColumnType) (string, bool) {
	if why, narrows := typeNarrowing(from, to); narrows {
		return why, true
	}
	if hasCharset(from.Family) && hasCharset(to.Family) && from.Charset != "" && to.Charset != "" && !charsetHolds(to.Charset, from.Charset) {
		return fmt.Sprintf("character set %s cannot hold every character %s can%s", to.Charset, from.Charset, charsetExample(from.Charset, to.Charset)), true
	}
	return "", false
}

func hasCharset(f schema.Family) bool {
	return f == schema.FamilyString || f == schema.FamilyEnum || f == schema.FamilySet
}

func typeNarrowing(from, to schema.ColumnType) (string, bool) {
	switch {
	case from.Family == schema.FamilyUnknown || to.Family == schema.FamilyUnknown:
		return "", false
	case from.Family == schema.FamilyInteger && to.Family == schema.FamilyInteger:
		return integerNarrowing(from, to)
	case from.Family == schema.FamilyInteger && to.Family == schema.FamilyDecimal:
		lo, hi := intRange(from)
		if digits := magnitudeDigits(lo, hi); to.Length-to.Scale < digits || (lo < 0 && to.Unsigned) {
			return fmt.Sprintf("%s holds %.0f..%.0f, %s only %s", from, lo, hi, to, decimalRange(to)), true
		}
		return "", false
	case from.Family == schema.FamilyInteger && to.Family == schema.FamilyFloat:
		lo, hi := intRange(from)
		bits := mantissaBits(to)
		exact := math.Max(-lo, hi) <= math.Exp2(float64(bits))
		if !exact || to.HasScale || (lo < 0 && to.Unsigned) {
			return fmt.Sprintf("%s holds %.0f..%.0f, which %s does not store exactly", from, lo, hi, to), true
		}
		return "", false
	case from.Family == schema.FamilyDecimal && to.Family == schema.FamilyDecimal:
		return decimalNarrowing(from, to)
	case from.Family == schema.FamilyFloat && to.Family == schema.FamilyFloat:
		return floatNarrowing(from, to)
	case from.Family == schema.FamilyBit && to.Family == schema.FamilyBit:
		if to.Length < from.Length {
			return fmt.Sprintf("%s holds %d bits, %s only %d", from, from.Length, to, to.Length), true
		}
		return "", false
	case from.Family == schema.FamilyString && to.Family == schema.FamilyString:
		return stringNarrowing(from, to, stringChars(from), stringBytesIn(from, to.Charset), from.String())
	case (from.Family == schema.FamilyEnum || from.Family == schema.FamilySet) && to.Family == schema.FamilyString:
		longest := longestValue(from)
		return stringNarrowing(from, to, longest, longest*int64(schema.CharsetMaxLen(to.Charset)), "its longest value")
	case from.Family == to.Family && (from.Family == schema.FamilyEnum || from.Family == schema.FamilySet):
		return "", false
	case from.Family == schema.FamilyBinary && to.Family == schema.FamilyBinary:
		return binaryNarrowing(from, to)
	case from.Family == schema.FamilyTemporal && to.Family == schema.FamilyTemporal:
		return temporalNarrowing(from, to)
	case from.Family == schema.FamilyJSON && (to.Family == schema.FamilyJSON || to.Base == "longtext"):
		return "", false
	case from.Family == schema.FamilySpatial && to.Family == schema.FamilySpatial:
		if to.Base != from.Base && to.Base != "geometry" {
			return fmt.Sprintf("%s holds values that are not a %s", from.Base, to.Base), true
		}
		return "", false
	case from.Family == schema.FamilyOther && to.Family == schema.FamilyOther:
		if to.Base != from.Base || to.Length != from.Length {
			return fmt.Sprintf("%s and %s are different types", from, to), true
		}
		return "", false
	}
	return fmt.Sprintf("it changes the type family from %s (%s) to %s (%s)", from.Family, from, to.Family, to), true
}

// intBits is the storage size of each integer type.
var intBits = map[string]uint{"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "bigint": 64}

// intRange is the range of an integer type. The upper bound of bigint unsigned does not fit an
// int64, so the bounds are float64: every bound is a power of two, minus one, which float64
// compares exactly enough (only the order of ranges matters here).
func intRange(t schema.ColumnType) (float64, float64) {
	bits := intBits[t.Base]
	if t.Unsigned {
		return 0, math.Exp2(float64(bits)) - 1
	}
	return -math.Exp2(float64(bits - 1)), math.Exp2(float64(bits-1)) - 1
}

func integerNarrowing(from, to schema.ColumnType) (string, bool) {
	flo, fhi := intRange(from)
	tlo, thi := intRange(to)
	if tlo <= flo && thi >= fhi {
		return "", false
	}
	if flo < 0 && tlo == 0 {
		return fmt.Sprintf("%s holds negative values, %s does not", from, to), true
	}
	return fmt.Sprintf("%s holds %.0f..%.0f, %s only %.0f..%.0f", from, flo, fhi, to, tlo, thi), true
}

// magnitudeDigits is the number of decimal digits of the largest magnitude in [lo, hi].
func magnitudeDigits(lo, hi float64) int {
	m := math.Max(-lo, hi)
	return len(fmt.Sprintf("%.0f", m))
}

func decimalRange(t schema.ColumnType) string {
	if t.Length-t.Scale <= 0 {
		return "values below 1"
	}
	return fmt.Sprintf("%d integer digits", t.Length-t.Scale)
}

func decimalNarrowing(from, to schema.ColumnType) (string, bool) {
	switch {
	case to.Length-to.Scale < from.Length-from.Scale:
		return fmt.Sprintf("%s holds %d integer digits, %s only %d", from, from.Length-from.Scale, to, to.Length-to.Scale), true
	case to.Scale < from.Scale:
		return fmt.Sprintf("%s keeps %d decimals, %s rounds to %d", from, from.Scale, to, to.Scale), true
	case to.Unsigned && !from.Unsigned:
		return fmt.Sprintf("%s holds negative values, %s does not", from, to), true
	}
	return "", false
}

// mantissaBits is the precision of a floating-point type: the integers it stores exactly.
func mantissaBits(t schema.ColumnType) uint {
	if t.Base == "double" {
		return 53
	}
	return 24
}

func floatNarrowing(from, to schema.ColumnType) (string, bool) {
	switch {
	case mantissaBits(to) < mantissaBits(from):
		return fmt.Sprintf("%s keeps about 15 significant digits, %s about 7", from, to), true
	case to.HasScale && !from.HasScale:
		return fmt.Sprintf("%s rounds every value to %d decimals and %d digits", to, to.Scale, to.Length), true
	case to.HasScale && (to.Length-to.Scale < from.Length-from.Scale || to.Scale < from.Scale):
		return fmt.Sprintf("%s holds more digits than %s", from, to), true
	case to.Unsigned && !from.Unsigned:
		return fmt.Sprintf("%s holds negative values, %s does not", from, to), true
	}
	return "", false
}

// stringChars is the most characters a value of a character string type can have: the declared
// length of char and varchar; for the TEXT types, limited in bytes, one character per byte.
func stringChars(t schema.ColumnType) int64 {
	if n, ok := schema.LOBBytes(t.Base); ok {
		return n
	}
	return int64(t.Length)
}

// stringBytesIn is the most bytes a value of t can need once converted to the character set
// cs: its own byte limit when the set stays, else each character at cs's widest.
func stringBytesIn(t schema.ColumnType, cs string) int64 {
	own := stringChars(t) * int64(schema.CharsetMaxLen(t.Charset))
	if n, ok := schema.LOBBytes(t.Base); ok && n < own {
		own = n
	}
	if cs == "" || t.Charset == "" || strings.EqualFold(cs, t.Charset) {
		return own
	}
	return stringChars(t) * int64(schema.CharsetMaxLen(cs))
}

// stringNarrowing compares a value of at most chars characters and bytes bytes (in to's
// character set) with what the character string type to holds.
func stringNarrowing(from, to schema.ColumnType, chars, bytes int64, what string) (string, bool) {
	toChars := stringChars(to)
	if toChars < chars {
		return fmt.Sprintf("%s holds %d characters, %s only %d", what, chars, to, toChars), true
	}
	if n, ok := schema.LOBBytes(to.Base); ok && n < bytes {
		return fmt.Sprintf("%s may need %d bytes%s, %s holds %d", what, bytes, inCharset(to.Charset), to, n), true
	}
	return "", false
}

func inCharset(cs string) string {
	if cs == "" {
		return ""
	}
	return " in " + cs
}

// longestValue is the most characters an enum or set value has.
func longestValue(t schema.ColumnType) int64 {
	var longest, all int64
	for _, m := range t.Members {
		n := int64(len([]rune(m)))
		longest = max(longest, n)
		all += n
	}
	if t.Family == schema.FamilySet && len(t.Members) > 0 {
		return all + int64(len(t.Members)-1)
	}
	return longest
}

func binaryNarrowing(from, to schema.ColumnType) (string, bool) {
	fromBytes, toBytes := int64(from.Length), int64(to.Length)
	if n, ok := schema.LOBBytes(from.Base); ok {
		fromBytes = n
	}
	if n, ok := schema.LOBBytes(to.Base); ok {
		toBytes = n
	}
	switch {
	case toBytes < fromBytes:
		return fmt.Sprintf("%s holds %d bytes, %s only %d", from, fromBytes, to, toBytes), true
	case to.Base == "binary" && (from.Base != "binary" || to.Length != from.Length):
		return fmt.Sprintf("%s pads every shorter value with 0x00 bytes to %d bytes, so stored values change", to, to.Length), true
	}
	return "", false
}

func temporalNarrowing(from, to schema.ColumnType) (string, bool) {
	fsp := func() (string, bool) {
		if to.Length < from.Length {
			return fmt.Sprintf("%s keeps %d fractional digits of a second, %s only %d", from, from.Length, to, to.Length), true
		}
		return "", false
	}
	switch {
	case from.Base == to.Base && from.Base != "date" && from.Base != "year":
		return fsp()
	case from.Base == to.Base:
		return "", false
	case from.Base == "date" && to.Base == "datetime":
		return "", false
	case from.Base == "timestamp" && to.Base == "datetime":
		return fsp()
	case to.Base == "timestamp" && (from.Base == "date" || from.Base == "datetime"):
		return fmt.Sprintf("%s holds dates from year 1000, timestamp only 1970-01-01 to 2038-01-19", from), true
	}
	return fmt.Sprintf("%s values do not convert to %s without loss", from, to), true
}

// The character sets by repertoire: the Unicode ones, with or without characters beyond the
// Basic Multilingual Plane (emoji, many CJK ideographs).
var (
	fullUnicode = map[string]bool{"utf8mb4": true, "utf16": true, "utf16le": true, "utf32": true, "gb18030": true}
	bmpUnicode  = map[string]bool{"utf8mb3": true, "utf8": true, "ucs2": true}
)

// charsetHolds reports whether the character set to holds every character of from.
func charsetHolds(to, from string) bool {
	to, from = canonicalCharset(to), canonicalCharset(from)
	switch {
	case to == from, fullUnicode[to], from == "ascii":
		return true
	case bmpUnicode[to]:
		return !fullUnicode[from]
	}
	return false
}

func canonicalCharset(cs string) string {
	cs = strings.ToLower(cs)
	if cs == "utf8" {
		return "utf8mb3"
	}
	return cs
}

func charsetExample(from, to string) string {
	if fullUnicode[canonicalCharset(from)] && bmpUnicode[canonicalCharset(to)] {
		return " (emoji and other 4-byte characters)"
	}
	return ""
}
