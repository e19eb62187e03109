package dryrun

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// This file generates sample rows for a table as deployed: values that fit every column's
// type, length and nullability, unique under every unique key, generated columns left to the
// server and auto_increment columns filled explicitly. Everything is drawn from one seeded
// generator, so a seed gives the same rows, edge rows and writes every time.
//
// Unique keys hold by construction where they can: for each key one column with enough
// distinct values takes a sequence number (seqValue) instead of a random value. The generator
// still remembers every key it handed out, for keys built from narrow columns and for the
// values of edge rows and CSV files; the server, loading the rows, has the last word.

// defaultSampleRows is the sample size when Options.Rows is 0.
const defaultSampleRows = 10000

// sampleRow is one row to insert: a value for each of the generator's columns.
type sampleRow struct {
	vals []cell
	line int // the CSV line it came from, 0 when generated
}

// generator makes rows for one table.
type generator struct {
	table *schema.Table
	cols  []*colGen // the columns rows write: all but the generated ones
	keys  []*sampleKey
	rng   *rand.Rand
	seq   uint64 // the next sequence number
}

// sampleKey is one of the table's unique keys, with the values it holds so far.
type sampleKey struct {
	index *schema.Index
	parts []samplePart
	seen  map[string]bool
}

type samplePart struct {
	col    int // index into generator.cols
	prefix int // prefix length, 0 for the whole value
}

// newGenerator prepares a generator for t.
func newGenerator(t *schema.Table, f schema.Flavor, seed int64) (*generator, error) {
	if t == nil || len(t.Columns) == 0 {
		return nil, fmt.Errorf("sample: no table definition")
	}
	g := &generator{table: t, rng: rand.New(rand.NewPCG(uint64(seed), 0x5ca1ab1e))}
	byName := map[string]int{}
	for _, c := range t.Columns {
		if c == nil || c.Generated != nil {
			continue
		}
		typ, err := schema.TypeOf(c)
		if err != nil {
			return nil, fmt.Errorf("sample: column %s: %w", c.Name, err)
		}
		cg := &colGen{col: c, typ: typ, json: isJSONText(t, c), flavor: f}
		if !cg.supported() {
			if !c.Nullable && c.Default == nil {
				return nil, fmt.Errorf("sample: column %s: cannot write values of type %s", c.Name, c.Type)
			}
			continue // left out of every INSERT: the server writes its default
		}
		byName[strings.ToLower(c.Name)] = len(g.cols)
		g.cols = append(g.cols, cg)
	}
	for _, x := range t.Indexes {
		if x == nil || !x.Unique {
			continue
		}
		k := &sampleKey{index: x, seen: map[string]bool{}}
		for _, p := range x.Parts {
			i, ok := byName[strings.ToLower(p.Column)]
			if !ok {
				k = nil // a functional part, or a column the generator leaves out: the server judges
				break
			}
			k.parts = append(k.parts, samplePart{col: i, prefix: p.SubPart})
		}
		if k != nil && len(k.parts) > 0 {
			g.keys = append(g.keys, k)
		}
	}
	g.chooseInjective()
	for _, cg := range g.cols {
		if cg.col.AutoIncrement {
			cg.injective = cg.injective || cg.capacity() > 0
		}
	}
	return g, nil
}

// isJSONText recognises MariaDB's JSON: a LONGTEXT with a json_valid() check on the column.
func isJSONText(t *schema.Table, c *schema.Column) bool {
	want := "json_valid(`" + strings.ToLower(c.Name) + "`)"
	for _, ch := range t.Checks {
		if ch != nil && strings.ToLower(strings.Join(strings.Fields(ch.Expr), "")) == want {
			return true
		}
	}
	return false
}

// chooseInjective gives every unique key a column that makes it unique alone: the one with the
// most distinct sequential values. A narrow one (a TINYINT key) runs out; the rows after that
// are random, and the generator's memory of keys sorts out the duplicates.
func (g *generator) chooseInjective() {
	for _, k := range g.keys {
		best, room := -1, uint64(0)
		for _, p := range k.parts {
			cg := g.cols[p.col]
			if cg.injective {
				best = -1
				break
			}
			cg.width = g.codeWidth(cg)
			if c := cg.capacity(); c > room {
				best, room = p.col, c
			}
		}
		if best >= 0 && room > 0 {
			g.cols[best].injective = true
		}
	}
}

// codeWidth is how long the sequence code at the start of an injective string can be: at most
// eight characters (36^8 codes), and within every unique prefix the column is part of.
func (g *generator) codeWidth(cg *colGen) int {
	w := 8
	if cg.typ.Family == schema.FamilyString {
		w = min(w, cg.maxChars())
	} else {
		w = min(w, cg.maxBinary())
	}
	for _, k := range g.keys {
		for _, p := range k.parts {
			if g.cols[p.col] == cg && p.prefix > 0 {
				w = min(w, p.prefix)
			}
		}
	}
	return max(w, 0)
}

// capacity is how many distinct values seqValue writes; 0 when it writes none.
func (c *colGen) capacity() uint64 {
	const huge = 1 << 62
	t := c.typ
	switch t.Family {
	case schema.FamilyInteger:
		_, hi := intBounds(t)
		if !hi.IsUint64() || hi.Uint64() > huge {
			return huge
		}
		return hi.Uint64()
	case schema.FamilyDecimal:
		return uint64(min(pow10f(t.Length), huge)) - 1
	case schema.FamilyFloat:
		if t.HasScale {
			return uint64(min(pow10f(t.Length-t.Scale)-1, 1<<22))
		}
		return 1 << 22
	case schema.FamilyBit:
		return min(bitMask(t.Length), huge-1) + 1
	case schema.FamilyString:
		if c.json {
			return 0
		}
		return powCap(36, c.width)
	case schema.FamilyBinary:
		return powCap(256, c.width)
	case schema.FamilyEnum:
		return uint64(len(t.Members))
	case schema.FamilySet:
		return powCap(2, min(len(t.Members), 62))
	case schema.FamilyTemporal:
		switch t.Base {
		case "year":
			return 255
		case "time":
			return uint64(maxTimeSecs)
		case "date":
			return uint64((maxDate - epoch2000) / 86400)
		case "timestamp":
			return uint64(maxTS - epoch2000)
		}
		return uint64(maxDate - epoch2000)
	case schema.FamilyOther:
		switch t.Base {
		case "uuid", "inet6":
			return huge
		case "inet4":
			return 1<<32 - 2
		}
	}
	return 0
}

func powCap(base uint64, n int) uint64 {
	v := uint64(1)
	for range n {
		if v > (1<<62)/base {
			return 1 << 62
		}
		v *= base
	}
	if n == 0 {
		return 0
	}
	return v
}

// seqValue writes the k-th of the column's distinct values (k < capacity), in the form the
// server prints it. Strings and binary strings start with k's code and go on at random.
func (c *colGen) seqValue(k uint64, r *rand.Rand) cell {
	t := c.typ
	switch t.Family {
	case schema.FamilyInteger, schema.FamilyFloat:
		return plain(strconv.FormatUint(k+1, 10))
	case schema.FamilyDecimal:
		u := new(big.Int).SetUint64(k + 1).String()
		if len(u) <= t.Scale {
			u = strings.Repeat("0", t.Scale-len(u)+1) + u
		}
		return plain(decimalText(false, u[:len(u)-t.Scale], u[len(u)-t.Scale:]))
	case schema.FamilyBit:
		return cell{lit: "b'" + strconv.FormatUint(k, 2) + "'", key: strconv.FormatUint(k, 10)}
	case schema.FamilyString:
		code := c.code(k)
		return c.text(code + randomAlnum(r, r.IntN(max(min(c.maxChars()-len(code), 24), 0)+1)))
	case schema.FamilyBinary:
		n := r.IntN(max(min(c.maxBinary()-c.width, 16), 0) + 1)
		if t.Base == "binary" {
			n = t.Length - c.width
		}
		return c.text(c.code(k) + string(randomBytes(r, n)))
	case schema.FamilyEnum:
		return c.text(t.Members[k])
	case schema.FamilySet:
		return c.setValue(k)
	case schema.FamilyTemporal:
		switch t.Base {
		case "year":
			return plain(strconv.FormatUint(1901+k, 10))
		case "time":
			return c.text(timeText(int64(k)) + fracText(nil, t.Length))
		case "date":
			return c.text(unixText(epoch2000+int64(k)*86400, "2006-01-02"))
		}
		return c.text(unixText(epoch2000+int64(k), "2006-01-02 15:04:05") + fracText(nil, t.Length))
	case schema.FamilyOther:
		switch t.Base {
		case "uuid":
			var b [16]byte
			binary.BigEndian.PutUint64(b[8:], k)
			b[0] = 0x5a
			return c.text(uuidText(b[:]))
		case "inet4":
			k++
			return c.text(fmt.Sprintf("%d.%d.%d.%d", k>>24&255, k>>16&255, k>>8&255, k&255))
		case "inet6":
			return c.text(fmt.Sprintf("2001:db8:%x:%x:%x:%x::", k>>48&0xffff, k>>32&0xffff, k>>16&0xffff, k&0xffff))
		}
	}
	return nullValue
}

// code is the k-th sequence code of an injective string or binary-string column: k in base 36
// (lower case, so that no collation folds two codes together) or in bytes, width long.
func (c *colGen) code(k uint64) string {
	if c.typ.Family == schema.FamilyBinary {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], k)
		return string(b[8-c.width:])
	}
	code := strconv.FormatUint(k, 36)
	return strings.Repeat("0", max(c.width-len(code), 0)) + code
}

// fresh makes a row without checking or remembering its keys. Injective columns take the next
// sequence number; nullable columns are NULL one time in ten.
func (g *generator) fresh() sampleRow {
	k := g.seq
	g.seq++
	vals := make([]cell, len(g.cols))
	for i, cg := range g.cols {
		switch {
		case cg.injective && k < cg.capacity():
			vals[i] = cg.seqValue(k, g.rng)
		case cg.col.Nullable && g.rng.IntN(10) == 0:
			vals[i] = nullValue
		default:
			vals[i] = cg.random(g.rng)
		}
	}
	return sampleRow{vals: vals}
}

// next makes a row whose keys no earlier row holds and remembers them; false when none was
// found in many tries (the keys' columns are too narrow for more rows).
func (g *generator) next() (sampleRow, bool) {
	for range 100 {
		r := g.fresh()
		if g.fits(r) {
			g.remember(r)
			return r, true
		}
	}
	return sampleRow{}, false
}

// keyOf is the row's value under key k, and false when the key does not hold it (a NULL, or a
// value the generator does not know).
func (g *generator) keyOf(k *sampleKey, r sampleRow) (string, bool) {
	var b strings.Builder
	for _, p := range k.parts {
		v := r.vals[p.col]
		if v.null || v.omit || (v.key == "" && g.cols[p.col].typ.Family != schema.FamilyString && g.cols[p.col].typ.Family != schema.FamilyBinary) {
			return "", false
		}
		s := v.key
		if p.prefix > 0 {
			s = prefixOf(s, p.prefix, g.cols[p.col].typ.Family == schema.FamilyBinary)
		}
		fmt.Fprintf(&b, "%d:%s|", len(s), s)
	}
	return b.String(), true
}

func prefixOf(s string, n int, bytes bool) string {
	if bytes {
		return s[:min(n, len(s))]
	}
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// inUniqueKey reports whether column i is part of a unique key.
func (g *generator) inUniqueKey(i int) bool {
	for _, k := range g.keys {
		for _, p := range k.parts {
			if p.col == i {
				return true
			}
		}
	}
	return false
}

// fits reports whether no earlier row holds any of r's keys.
func (g *generator) fits(r sampleRow) bool {
	for _, k := range g.keys {
		if s, ok := g.keyOf(k, r); ok && k.seen[s] {
			return false
		}
	}
	return true
}

// remember records r's keys as taken.
func (g *generator) remember(r sampleRow) {
	for _, k := range g.keys {
		if s, ok := g.keyOf(k, r); ok {
			k.seen[s] = true
		}
	}
}

// sample makes n rows; fewer when the unique keys have no room for more.
func (g *generator) sample(n int) []sampleRow {
	rows := make([]sampleRow, 0, n)
	for len(rows) < n {
		r, ok := g.next()
		if !ok {
			break
		}
		rows = append(rows, r)
	}
	return rows
}

// intStorageBits is the storage size of each integer type.
// What a type holds: integer ranges, string lengths, character repertoires.

// intStorageBits is the storage size of each integer type.
var intStorageBits = map[string]uint{"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "bigint": 64}

// intBounds is an integer type's range.
func intBounds(t schema.ColumnType) (lo, hi *big.Int) {
	bits := intStorageBits[t.Base]
	if bits == 0 {
		bits = 32
	}
	one := big.NewInt(1)
	if t.Unsigned {
		return new(big.Int), new(big.Int).Sub(new(big.Int).Lsh(one, bits), one)
	}
	hi = new(big.Int).Sub(new(big.Int).Lsh(one, bits-1), one)
	return new(big.Int).Neg(new(big.Int).Lsh(one, bits-1)), hi
}

// maxChars is the most characters a value of a character-string type may have, counting each
// character at its widest in the column's character set for the types limited in bytes.
func (c *colGen) maxChars() int {
	if n, ok := schema.LOBBytes(c.typ.Base); ok {
		return int(min(n, 1<<20) / int64(schema.CharsetMaxLen(c.typ.Charset)))
	}
	return c.typ.Length
}

// maxBinary is the most bytes a binary-string value may have (capped for the BLOB types).
func (c *colGen) maxBinary() int {
	if n, ok := schema.LOBBytes(c.typ.Base); ok {
		return int(min(n, 1<<20))
	}
	return c.typ.Length
}

// holdsRune reports whether a character set surely holds r; for sets this code does not know,
// only ASCII.
func holdsRune(cs string, r rune) bool {
	switch strings.ToLower(cs) {
	case "utf8mb4", "utf16", "utf16le", "utf32", "gb18030":
		return true
	case "utf8mb3", "utf8", "ucs2":
		return r <= 0xFFFF
	case "latin1":
		return r < 0x80 || strings.ContainsRune("éñüßàç", r)
	}
	return r < 0x80
}

// asciiChars is how many ASCII characters a character-string type holds.
func asciiChars(t schema.ColumnType) int {
	if n, ok := schema.LOBBytes(t.Base); ok {
		return int(min(n, 1<<30) / int64(schema.CharBytes(t.Charset, 'a')))
	}
	return t.Length
}
