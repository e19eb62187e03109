package dryrun

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/schema"
)

// This file writes the random values of one column: values that fit the column's type, mostly
// ordinary, now and then at the edge of the type's range (the sequential values that keep
// unique keys unique are in sample.go). Every value is written as SQL that means the same under
// any sql_mode (no backslash escapes, no double quotes), in a session whose character set is
// utf8mb4.

// cell is one column's value in a row.
type cell struct {
	lit string // the SQL that writes it: a literal, an expression, or NULL
	// key is the value as a unique key compares it, for the generator's bookkeeping: strings in
	// lower case without trailing spaces (most collations ignore both), numbers and dates in the
	// form the server prints. "" for NULL and for values no key holds.
	key  string
	text string // the value as text, for the values text makes ("" for the others)
	null bool
	omit bool // not written at all: the column takes its default (a CSV file without it)
}

var nullValue = cell{lit: "NULL", null: true}

// colGen writes the values of one column.
type colGen struct {
	col  *schema.Column
	typ  schema.ColumnType
	json bool // a text column with a json_valid() check: MariaDB's JSON
	// injective columns take seqValue in every generated row: distinct rows, distinct values.
	injective bool
	// width is how many characters (bytes for binary strings) the sequence code takes at the
	// start of an injective string value; the rest is random.
	width  int
	flavor schema.Flavor
}

// extraRunes season random strings with characters beyond ASCII, each used only where the
// column's character set holds it.
var extraRunes = []rune("éñüß中€")

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// text makes a value from a column's text as the server prints it (or a CSV file holds it).
func (c *colGen) text(s string) cell {
	switch c.typ.Family {
	case schema.FamilyBinary:
		return cell{lit: bytesLit([]byte(s)), key: s, text: s}
	case schema.FamilySpatial:
		return cell{lit: "ST_GeomFromText(" + stringLit(s) + ")", text: s}
	case schema.FamilyString, schema.FamilyJSON:
		return cell{lit: stringLit(s), key: stringKey(s), text: s}
	case schema.FamilyOther:
		if c.typ.Base == "vector" {
			return cell{lit: c.vectorFunc() + "(" + stringLit(s) + ")", text: s}
		}
	}
	return cell{lit: stringLit(s), key: s, text: s}
}

func (c *colGen) vectorFunc() string {
	if c.flavor.IsMySQL() {
		return "STRING_TO_VECTOR"
	}
	return "VEC_FromText"
}

// supported reports whether values of the column's type can be written.
func (c *colGen) supported() bool {
	switch c.typ.Family {
	case schema.FamilyUnknown:
		return false
	case schema.FamilyOther:
		switch c.typ.Base {
		case "uuid", "inet4", "inet6", "vector":
			return true
		}
		return false
	case schema.FamilyBit:
		return c.typ.Length >= 1 && c.typ.Length <= 64
	}
	return true
}

// random writes a value that fits the column's type: mostly ordinary values, now and then one
// at the edge of the type's range, since those are the ones a change of type trips on.
func (c *colGen) random(r *rand.Rand) cell {
	t := c.typ
	switch t.Family {
	case schema.FamilyInteger:
		return c.randomInt(r)
	case schema.FamilyDecimal:
		return c.randomDecimal(r)
	case schema.FamilyFloat:
		return plain(strconv.FormatFloat(c.randomFloat(r), 'f', -1, 64))
	case schema.FamilyBit:
		v := r.Uint64() & bitMask(t.Length)
		return cell{lit: "b'" + strconv.FormatUint(v, 2) + "'", key: strconv.FormatUint(v, 10)}
	case schema.FamilyString:
		if c.json {
			return c.text(randomJSON(r))
		}
		return c.text(randomString(r, t.Charset, pickLen(r, c.maxChars())))
	case schema.FamilyBinary:
		n := pickLen(r, c.maxBinary())
		if t.Base == "binary" {
			n = t.Length // BINARY pads to its length: write it whole, so keys read back the same
		}
		return c.text(string(randomBytes(r, n)))
	case schema.FamilyEnum:
		if len(t.Members) == 0 {
			return nullValue
		}
		return c.text(t.Members[r.IntN(len(t.Members))])
	case schema.FamilySet:
		return c.setValue(r.Uint64())
	case schema.FamilyTemporal:
		return c.randomTemporal(r)
	case schema.FamilyJSON:
		return c.text(randomJSON(r))
	case schema.FamilySpatial:
		return c.text(randomWKT(r, t.Base))
	}
	return c.randomOther(r)
}

func plain(s string) cell { return cell{lit: s, key: s} }

func bitMask(n int) uint64 {
	if n >= 64 {
		return ^uint64(0)
	}
	return 1<<uint(n) - 1
}

// pickLen picks a string length up to limit: mostly short, sometimes the whole length (capped,
// so that a LONGTEXT does not take megabytes per row).
func pickLen(r *rand.Rand, limit int) int {
	if limit <= 0 {
		return 0
	}
	switch p := r.IntN(100); {
	case p < 3:
		return min(limit, 300)
	case p < 60:
		return r.IntN(min(limit, 12) + 1)
	}
	return r.IntN(min(limit, 60) + 1)
}

func (c *colGen) randomInt(r *rand.Rand) cell {
	lo, hi := intBounds(c.typ)
	var v *big.Int
	switch p := r.IntN(100); {
	case c.typ.Base == "tinyint" && c.typ.Length == 1 && p < 90: // a boolean
		v = big.NewInt(int64(r.IntN(2)))
	case p < 3:
		v = hi
	case p < 6:
		v = lo
	case p < 30:
		span := new(big.Int).Sub(hi, lo)
		off := r.Uint64() // the span of bigint is 2^64: any uint64 will do
		if span.IsUint64() && span.Uint64() < ^uint64(0) {
			off = r.Uint64N(span.Uint64() + 1)
		}
		v = new(big.Int).Add(lo, new(big.Int).SetUint64(off))
	default:
		n := int64(r.IntN(1001))
		if !c.typ.Unsigned {
			n -= 500
		}
		v = big.NewInt(n)
		if v.Cmp(lo) < 0 || v.Cmp(hi) > 0 {
			v = big.NewInt(n % 100)
		}
	}
	return plain(v.String())
}

func (c *colGen) randomDecimal(r *rand.Rand) cell {
	intDigits, scale := c.typ.Length-c.typ.Scale, c.typ.Scale
	var ip string
	if r.IntN(100) < 4 {
		ip = strings.Repeat("9", intDigits)
	} else if intDigits > 0 {
		ip = randomDigits(r, r.IntN(min(intDigits, 9)+1))
	}
	return plain(decimalText(!c.typ.Unsigned && r.IntN(4) == 0, ip, randomDigits(r, scale)))
}

// decimalText writes a decimal with its integer digits and exactly its scale's decimals, as
// the server prints it.
func decimalText(neg bool, intPart, frac string) string {
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	s := intPart
	if frac != "" {
		s += "." + frac
	}
	if neg && strings.Trim(s, "0.") != "" {
		s = "-" + s
	}
	return s
}

func randomDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// randomFloat is a multiple of 1/4 that FLOAT and DOUBLE both store exactly, so that a key or a
// WHERE clause finds it again, within the integer digits that FLOAT(M,D) allows.
func (c *colGen) randomFloat(r *rand.Rand) float64 {
	limit, denom := float64(1<<19), 4.0
	if c.typ.HasScale {
		limit = min(limit, pow10f(c.typ.Length-c.typ.Scale)-1)
		denom = [3]float64{1, 2, 4}[min(c.typ.Scale, 2)]
	}
	v := float64(r.IntN(int(limit*denom)+1)) / denom
	if !c.typ.Unsigned && r.IntN(3) == 0 {
		v = -v
	}
	return v
}

func pow10f(n int) float64 {
	v := 1.0
	for range min(n, 18) {
		v *= 10
	}
	return v
}

func randomString(r *rand.Rand, cs string, n int) string {
	var b strings.Builder
	for i := range n {
		switch p := r.IntN(200); {
		case p < 6 && i > 0 && i < n-1:
			b.WriteByte(' ')
		case p == 6:
			b.WriteByte('\'') // quotes and backslashes test the writing of literals
		case p == 7:
			b.WriteByte('\\')
		case p < 12:
			if x := extraRunes[r.IntN(len(extraRunes))]; holdsRune(cs, x) {
				b.WriteRune(x)
				continue
			}
			fallthrough
		default:
			b.WriteByte(alnum[r.IntN(len(alnum))])
		}
	}
	return b.String()
}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return b
}

func randomJSON(r *rand.Rand) string {
	return fmt.Sprintf(`{"id": %d, "name": "%s", "tags": ["%s", "%s"], "ok": %t}`, r.IntN(100000),
		randomAlnum(r, r.IntN(12)), randomAlnum(r, 3), randomAlnum(r, 5), r.IntN(2) == 0)
}

func randomAlnum(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[r.IntN(len(alnum))]
	}
	return string(b)
}

func randomWKT(r *rand.Rand, base string) string {
	x, y := float64(r.IntN(4000))/4, float64(r.IntN(4000))/4
	p := func(dx, dy float64) string {
		return strconv.FormatFloat(x+dx, 'f', -1, 64) + " " + strconv.FormatFloat(y+dy, 'f', -1, 64)
	}
	switch base {
	case "linestring":
		return "LINESTRING(" + p(0, 0) + "," + p(1, 1) + ")"
	case "polygon":
		return "POLYGON((" + p(0, 0) + "," + p(1, 0) + "," + p(1, 1) + "," + p(0, 0) + "))"
	case "multipoint":
		return "MULTIPOINT(" + p(0, 0) + "," + p(1, 1) + ")"
	case "multilinestring":
		return "MULTILINESTRING((" + p(0, 0) + "," + p(1, 1) + "))"
	case "multipolygon":
		return "MULTIPOLYGON(((" + p(0, 0) + "," + p(1, 0) + "," + p(1, 1) + "," + p(0, 0) + ")))"
	case "geometrycollection":
		return "GEOMETRYCOLLECTION(POINT(" + p(0, 0) + "))"
	}
	return "POINT(" + p(0, 0) + ")"
}

// setValue writes the SET members whose bits are set in mask, in member order, as the server
// prints them.
func (c *colGen) setValue(mask uint64) cell {
	var in []string
	for i, m := range c.typ.Members {
		if i < 64 && mask&(1<<uint(i)) != 0 {
			in = append(in, m)
		}
	}
	return c.text(strings.Join(in, ","))
}

// The temporal types' ranges, in Unix seconds (UTC: sample sessions run with time_zone +00:00).
var (
	minDate     = time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxDate     = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
	epoch2000   = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxTS       = int64(1<<31 - 2)
	maxTimeSecs = int64(838*3600 + 59*60 + 58)
)

func (c *colGen) randomTemporal(r *rand.Rand) cell {
	fsp := c.typ.Length
	switch c.typ.Base {
	case "year":
		return plain(strconv.Itoa(1901 + r.IntN(255)))
	case "time":
		secs := r.Int64N(86400)
		if r.IntN(10) == 0 {
			secs = r.Int64N(2*maxTimeSecs+1) - maxTimeSecs
		}
		return c.text(timeText(secs) + fracText(r, fsp))
	case "timestamp":
		return c.text(unixText(1+r.Int64N(maxTS), "2006-01-02 15:04:05") + fracText(r, fsp))
	}
	secs := r.Int64N(2145916800) // 1970 to 2037
	if r.IntN(30) == 0 {
		secs = minDate + r.Int64N(maxDate-minDate)
	}
	if c.typ.Base == "date" {
		return c.text(unixText(secs, "2006-01-02"))
	}
	return c.text(unixText(secs, "2006-01-02 15:04:05") + fracText(r, fsp))
}

func unixText(secs int64, layout string) string { return time.Unix(secs, 0).UTC().Format(layout) }

// timeText writes a TIME value of secs seconds as the server prints it: "-01:02:03", "838:59:59".
func timeText(secs int64) string {
	sign := ""
	if secs < 0 {
		sign, secs = "-", -secs
	}
	return fmt.Sprintf("%s%02d:%02d:%02d", sign, secs/3600, secs/60%60, secs%60)
}

// fraction writes fsp random fractional digits ("" for fsp 0); with r nil, zeros, as the
// server prints a whole second.
func fracText(r *rand.Rand, fsp int) string {
	if fsp <= 0 || fsp > 6 {
		return ""
	}
	if r == nil {
		return "." + strings.Repeat("0", fsp)
	}
	return "." + randomDigits(r, fsp)
}

func (c *colGen) randomOther(r *rand.Rand) cell {
	switch c.typ.Base {
	case "uuid":
		b := randomBytes(r, 16)
		b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80 // version 4: MariaDB refuses unknown versions
		return c.text(uuidText(b))
	case "inet4":
		return c.text(fmt.Sprintf("%d.%d.%d.%d", 1+r.IntN(223), r.IntN(256), r.IntN(256), 1+r.IntN(254)))
	case "inet6":
		return c.text(fmt.Sprintf("2001:db8::%x:%x", 1+r.IntN(0xffff), 1+r.IntN(0xffff)))
	case "vector":
		dims := make([]string, max(c.typ.Length, 1))
		for i := range dims {
			dims[i] = strconv.FormatFloat(float64(r.IntN(2000)-1000)/8, 'f', -1, 64)
		}
		return c.text("[" + strings.Join(dims, ",") + "]")
	}
	return nullValue
}

// mild writes a value that the column's type before and after a change (at) both hold: the
// sequence code alone for an injective column, else a zero, an "a", a date in 2001, the first
// ENUM member the new list keeps.
func (c *colGen) mild(k uint64, at schema.ColumnType, r *rand.Rand) cell {
	if c.injective && k < c.capacity() {
		if c.typ.Family == schema.FamilyString || c.typ.Family == schema.FamilyBinary {
			return c.text(c.code(k))
		}
		return c.seqValue(k, r)
	}
	switch c.typ.Family {
	case schema.FamilyInteger, schema.FamilyDecimal, schema.FamilyFloat:
		return plain("0")
	case schema.FamilyBit:
		return cell{lit: "b'0'", key: "0"}
	case schema.FamilyString, schema.FamilyBinary:
		if c.json {
			return c.text("{}")
		}
		return c.text("a")
	case schema.FamilyEnum:
		for _, m := range c.typ.Members {
			if slices.Contains(at.Members, m) || len(at.Members) == 0 {
				return c.text(m)
			}
		}
	case schema.FamilySet:
		return c.text("")
	case schema.FamilyTemporal:
		switch c.typ.Base {
		case "year":
			return plain("2001")
		case "time":
			return c.text("04:05:06")
		case "date":
			return c.text("2001-02-03")
		}
		return c.text("2001-02-03 04:05:06")
	case schema.FamilyJSON:
		return c.text("{}")
	}
	return c.random(r)
}

func uuidText(b []byte) string {
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
