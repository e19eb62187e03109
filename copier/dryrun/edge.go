package dryrun

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/schema-guard/schema-guard/schema"
)

// This file chooses edge rows: rows the deployed table holds but the change may not, picked
// by comparing the table before and after the ALTER, one kind per constraint the ALTER adds
// or tightens. Each comes with its neighbour that the changed table does hold (a value exactly
// at the new limit), so that a copier that refuses too much shows as well as one that loses
// rows. Every edge row is a generated row with one column (or one key) changed, checked
// against the deployed table's unique keys, so it is valid before the ALTER.

// The kinds of edge rows.
const (
	edgeDuplicate  = "duplicate"     // two rows agree on a new unique key
	edgeTooLong    = "too long"      // longer than a narrowed string column
	edgeAtLimit    = "at the limit"  // exactly as long, or as large, as the new type allows
	edgeNull       = "NULL"          // NULL in a column becoming NOT NULL
	edgeOutOfRange = "out of range"  // a number outside a narrowed numeric type
	edgeScale      = "more decimals" // or fractional seconds: the new type rounds
	edgeCharset    = "a character the new character set lacks"
	edgeZeroDate   = "zero date"
	edgeRemoved    = "removed member" // an ENUM or SET member the new list lacks
	edgeNotNumber  = "not a number"   // text in a column becoming numeric
)

// edgeRow is one edge row and what it tests.
type edgeRow struct {
	sampleRow
	kind   string
	object string // the column, or the key
	// passes says the changed table holds the row unchanged; false means a correct copy
	// refuses it, or rounds it where the plain ALTER rounds too.
	passes bool
	// need says what the data must look like for the change to pass ("no NULL in email").
	need string
}

// edgeRows makes the edge rows for the change from the generator's table to after.
// zeroDates says whether the server's sql_mode lets the table hold '0000-00-00'.
func (g *generator) edgeRows(after *schema.Table, zeroDates bool) []edgeRow {
	if after == nil {
		return nil
	}
	e := &edges{g: g, after: after, changed: map[int]schema.ColumnType{}}
	types := map[int]schema.ColumnType{}
	for i, cg := range g.cols {
		ac := after.Column(cg.col.Name)
		if ac == nil || ac.Generated != nil {
			continue
		}
		if at, err := schema.TypeOf(ac); err == nil {
			types[i] = at
			if at.String() != cg.typ.String() || at.Charset != cg.typ.Charset || ac.Nullable != cg.col.Nullable {
				e.changed[i] = at
			}
		}
	}
	e.uniqueKeys()
	for i, cg := range g.cols {
		at, ok := types[i]
		if !ok {
			continue
		}
		if cg.col.Nullable && !after.Column(cg.col.Name).Nullable {
			e.add1(edgeNull, cg.col.Name, false, "no NULL in "+cg.col.Name, i, nullValue)
		}
		_, changed := e.changed[i]
		e.lengths(i, at)
		e.numbers(i, at)
		e.charsets(i, at)
		e.temporals(i, at, zeroDates && changed)
		e.members(i, at)
	}
	return e.rows
}

type edges struct {
	g       *generator
	after   *schema.Table
	changed map[int]schema.ColumnType // the columns the ALTER changes, with their new types
	rows    []edgeRow
}

// base makes a generated row for an edge row. The columns the ALTER changes take plain values
// every version of them holds, so that an edge row tests one column: a row meant to pass must
// not fail on another column's random value.
func (e *edges) base() sampleRow {
	k := e.g.seq
	r := e.g.fresh()
	for i, cg := range e.g.cols { // in column order: mild may draw from the generator
		if at, ok := e.changed[i]; ok {
			r.vals[i] = cg.mild(k, at, e.g.rng)
		}
	}
	return r
}

// add makes an edge row with the given columns set and keeps it when the deployed table's
// unique keys allow it.
func (e *edges) add(kind, object string, passes bool, need string, set map[int]cell) {
	r := e.base()
	for i, v := range set {
		r.vals[i] = v
	}
	if !e.g.fits(r) {
		return
	}
	e.g.remember(r)
	e.rows = append(e.rows, edgeRow{sampleRow: r, kind: kind, object: object, passes: passes, need: need})
}

// add1 is add with one column set.
func (e *edges) add1(kind, object string, passes bool, need string, i int, v cell) {
	e.add(kind, object, passes, need, map[int]cell{i: v})
}

// uniqueKeys adds, for every unique key the ALTER adds, two rows that agree on its columns,
// and, where a column compares case-insensitively, a third that differs only in case.
func (e *edges) uniqueKeys() {
	g := e.g
	for _, x := range e.after.Indexes {
		if x == nil || !x.Unique || impliedUnique(g.table, x) {
			continue
		}
		cols, ok := g.colIndices(x.Columns())
		if !ok || len(cols) != len(x.Parts) {
			continue // a column the ALTER adds, or a functional part: not the sample's to test
		}
		first := e.base()
		for _, c := range cols {
			for tries := 0; first.vals[c].null && tries < 10; tries++ {
				first.vals[c] = g.cols[c].random(g.rng)
			}
		}
		if !g.fits(first) {
			continue
		}
		g.remember(first)
		name := keyName(x)
		need := fmt.Sprintf("no two rows share (%s), for %s", strings.Join(x.Columns(), ", "), name)
		e.rows = append(e.rows, edgeRow{sampleRow: first, kind: edgeDuplicate, object: name, passes: true, need: need})
		same, folded := map[int]cell{}, map[int]cell{}
		caseless := false
		for _, c := range cols {
			v := first.vals[c]
			same[c], folded[c] = v, v
			cg := g.cols[c]
			other := strings.ToUpper(v.text)
			if other == v.text {
				other = strings.ToLower(v.text)
			}
			if cg.typ.Family == schema.FamilyString && other != v.text && strings.Contains(strings.ToLower(cg.col.Collation), "_ci") {
				folded[c], caseless = cg.text(other), true
			}
		}
		e.add(edgeDuplicate, name, false, need, same)
		if caseless {
			e.add(edgeDuplicate, name+", letter case", false, need, folded)
		}
	}
}

// impliedUnique reports whether the table already has a unique key that x implies: one on
// some of x's columns, with prefixes no longer than x's. Then no two rows can agree on x.
func impliedUnique(t *schema.Table, x *schema.Index) bool {
	prefix := map[string]int{} // x's columns, with their prefix lengths (0: whole)
	for _, p := range x.Parts {
		if p.Column != "" {
			prefix[strings.ToLower(p.Column)] = p.SubPart
		}
	}
	for _, y := range t.Indexes {
		if y == nil || !y.Unique || len(y.Parts) == 0 {
			continue
		}
		covered := true
		for _, p := range y.Parts {
			px, ok := prefix[strings.ToLower(p.Column)]
			covered = covered && p.Column != "" && ok && (px == 0 || p.SubPart != 0 && p.SubPart <= px)
		}
		if covered {
			return true
		}
	}
	return false
}

func keyName(x *schema.Index) string {
	if x.Primary {
		return "the primary key"
	}
	return "unique key " + x.Name
}

func (g *generator) colIndices(names []string) ([]int, bool) {
	var out []int
	for _, n := range names {
		i := slices.IndexFunc(g.cols, func(c *colGen) bool { return strings.EqualFold(c.col.Name, n) })
		if i < 0 {
			return nil, false
		}
		out = append(out, i)
	}
	return out, true
}

// token is what keeps an edge value unique where the column holds a key alone: the sequence
// code at the start of the row's value.
func (e *edges) token(i int) string {
	cg := e.g.cols[i]
	if !cg.injective || (cg.typ.Family != schema.FamilyString && cg.typ.Family != schema.FamilyBinary) {
		return ""
	}
	if e.g.seq >= cg.capacity() {
		return ""
	}
	// The next fresh row takes sequence number g.seq: the code add's row would hold.
	return cg.code(e.g.seq)
}

// filled is token followed by fill up to n characters (bytes for binary strings); a token
// longer than n is cut (the generator's key memory then judges the value).
func filled(token string, fill string, n int) string {
	if r := []rune(token); len(r) > n {
		token = string(r[:max(n, 0)])
	}
	var b strings.Builder
	b.WriteString(token)
	for k := utf8.RuneCountInString(token); k < n; k++ {
		b.WriteString(fill)
	}
	return b.String()
}

// lengths adds values longer than a narrowed string or binary column, and values exactly at
// the new limit.
func (e *edges) lengths(i int, at schema.ColumnType) {
	cg := e.g.cols[i]
	bt, name := cg.typ, cg.col.Name
	const most = 1 << 20 // longer values would not fit a statement
	switch {
	case bt.Family == schema.FamilyString && at.Family == schema.FamilyString:
		before, after := asciiChars(bt), asciiChars(at)
		need := fmt.Sprintf("every value of %s fits %d characters", name, after)
		if after < before && after < most {
			e.add1(edgeTooLong, name, false, need, i, cg.text(filled(e.token(i), "x", after+1)))
			e.add1(edgeAtLimit, name, true, need, i, cg.text(filled(e.token(i), "x", after)))
		}
		// A TEXT type holds bytes: wide characters overflow it before the character count does.
		limit, ok := schema.LOBBytes(at.Base)
		if !ok || limit >= most {
			return
		}
		for _, r := range "😀中é" {
			n := int(limit)/schema.CharBytes(at.Charset, r) + 1 // characters, one byte too many
			fits := n <= before
			if lb, ok := schema.LOBBytes(bt.Base); ok {
				fits = int64(n*schema.CharBytes(bt.Charset, r)) <= min(lb, most)
			}
			if holdsRune(bt.Charset, r) && holdsRune(at.Charset, r) && fits && n <= after {
				e.add1(edgeTooLong, name, false, fmt.Sprintf("every value of %s fits %d bytes", name, limit), i,
					cg.text(filled(e.token(i), string(r), n)))
				return
			}
		}
	case bt.Family == schema.FamilyBinary && at.Family == schema.FamilyBinary:
		before, after := int64(bt.Length), int64(at.Length)
		if n, ok := schema.LOBBytes(bt.Base); ok {
			before = n
		}
		if n, ok := schema.LOBBytes(at.Base); ok {
			after = n
		}
		if after < before && after < most {
			need := fmt.Sprintf("every value of %s fits %d bytes", name, after)
			e.add1(edgeTooLong, name, false, need, i, cg.text(filled(e.token(i), "x", int(after)+1)))
			if bt.Base != "binary" { // BINARY pads every value to its whole length
				e.add1(edgeAtLimit, name, true, need, i, cg.text(filled(e.token(i), "x", int(after))))
			}
		}
	case (bt.Family == schema.FamilyEnum || bt.Family == schema.FamilySet) && at.Family == schema.FamilyString:
		for _, m := range bt.Members {
			if utf8.RuneCountInString(m) > asciiChars(at) {
				e.add1(edgeTooLong, name, false, fmt.Sprintf("every value of %s fits %d characters", name, asciiChars(at)), i, cg.text(m))
				return
			}
		}
	}
}

// charsets adds a character the column's new character set cannot hold, and one it can.
func (e *edges) charsets(i int, at schema.ColumnType) {
	cg := e.g.cols[i]
	bt, name := cg.typ, cg.col.Name
	if bt.Charset == "" || at.Charset == "" || strings.EqualFold(bt.Charset, at.Charset) {
		return
	}
	for _, r := range "😀жé" {
		if !holdsRune(bt.Charset, r) || holdsRune(at.Charset, r) {
			continue
		}
		need := fmt.Sprintf("%s holds only characters %s has (not %c)", name, at.Charset, r)
		switch {
		case bt.Family == schema.FamilyString && at.Family == schema.FamilyString:
			tok := e.token(i)
			if utf8.RuneCountInString(tok) >= asciiChars(bt) || asciiChars(at) < 1 {
				return
			}
			e.add1(edgeCharset, name, false, need, i, cg.text(tok+string(r)))
			for _, ok := range "éa" {
				if holdsRune(at.Charset, ok) && holdsRune(bt.Charset, ok) {
					e.add1(edgeAtLimit, name, true, need, i, cg.text(tok+string(ok)))
					return
				}
			}
		case bt.Family == schema.FamilyEnum || bt.Family == schema.FamilySet:
			for _, m := range bt.Members {
				if strings.ContainsRune(m, r) {
					e.add1(edgeCharset, name, false, need, i, cg.text(m))
				}
			}
		}
		return
	}
}

// members adds an ENUM or SET member the new list lacks, and one it keeps.
func (e *edges) members(i int, at schema.ColumnType) {
	cg := e.g.cols[i]
	bt, name := cg.typ, cg.col.Name
	if bt.Family != at.Family || (bt.Family != schema.FamilyEnum && bt.Family != schema.FamilySet) {
		return
	}
	kept := ""
	for _, m := range bt.Members {
		if !slices.Contains(at.Members, m) {
			e.add1(edgeRemoved, name, false, fmt.Sprintf("no row holds %s in %s", stringLit(m), name), i, cg.text(m))
		} else if kept == "" {
			kept = m
		}
	}
	if kept != "" && len(at.Members) < len(bt.Members) {
		e.add1(edgeAtLimit, name, true, "", i, cg.text(kept))
	}
}

// temporals adds zero dates (where the server allows them and the column changes), dates a
// TIMESTAMP cannot hold, and fractional seconds a lower precision rounds.
func (e *edges) temporals(i int, at schema.ColumnType, zero bool) {
	cg := e.g.cols[i]
	bt, name := cg.typ, cg.col.Name
	if bt.Family != schema.FamilyTemporal {
		return
	}
	isDate := func(t schema.ColumnType) bool {
		return t.Base == "date" || t.Base == "datetime" || t.Base == "timestamp"
	}
	if zero && isDate(bt) {
		z := "0000-00-00"
		if bt.Base != "date" {
			z += " 00:00:00"
		}
		e.add1(edgeZeroDate, name, isDate(at), "no zero dates in "+name, i, cg.text(z))
	}
	if at.Family != schema.FamilyTemporal {
		return
	}
	day := "2001-02-03"
	if bt.Base == "time" {
		day = ""
	}
	clock := func(s string) string { return strings.TrimSpace(day + " " + s) }
	switch {
	case at.Base == "timestamp" && (bt.Base == "date" || bt.Base == "datetime"):
		need := fmt.Sprintf("every value of %s lies within the TIMESTAMP range", name)
		last := "2038-01-20"
		if e.g.cols[i].flavor.MinMariaDB(11, 5, 0) {
			last = "2106-02-08"
		}
		e.add1(edgeOutOfRange, name, false, need, i, cg.text(last))
		e.add1(edgeOutOfRange, name, false, need, i, cg.text("1969-12-31"))
		e.add1(edgeAtLimit, name, true, need, i, cg.text("2000-01-01"))
	case at.Base == "date" && (bt.Base == "datetime" || bt.Base == "timestamp"):
		need := fmt.Sprintf("every value of %s is midnight", name)
		e.add1(edgeScale, name, false, need, i, cg.text(clock("04:05:06")))
		e.add1(edgeAtLimit, name, true, need, i, cg.text(clock("00:00:00")))
	case bt.Base != "date" && bt.Base != "year" && at.Base != "date" && at.Length < bt.Length:
		need := fmt.Sprintf("values of %s have at most %d fractional digits", name, at.Length)
		e.add1(edgeScale, name, false, need, i, cg.text(clock("04:05:06."+strings.Repeat("0", at.Length)+"5")))
		if at.Length > 0 {
			e.add1(edgeAtLimit, name, true, need, i, cg.text(clock("04:05:06."+strings.Repeat("1", at.Length))))
		}
	}
}

// numbers adds values outside a narrowed numeric range with their neighbours inside it,
// values with more decimals than a reduced scale, and text where a column becomes numeric.
func (e *edges) numbers(i int, at schema.ColumnType) {
	cg := e.g.cols[i]
	bt, name := cg.typ, cg.col.Name
	numeric := func(f schema.Family) bool { return f == schema.FamilyInteger || f == schema.FamilyDecimal }
	switch {
	case numeric(bt.Family) && numeric(at.Family):
		blo, bhi, bs := numBounds(bt)
		alo, ahi, as := numBounds(at)
		need := fmt.Sprintf("every value of %s lies within %s..%s", name, alo.FloatString(as), ahi.FloatString(as))
		one := big.NewRat(1, 1)
		if ahi.Cmp(bhi) < 0 {
			if over := new(big.Rat).Add(floorRat(ahi), one); over.Cmp(bhi) <= 0 {
				e.add1(edgeOutOfRange, name, false, need, i, plain(over.FloatString(bs)))
			}
			e.add1(edgeAtLimit, name, true, need, i, plain(truncRat(ahi, bs).FloatString(bs)))
		}
		if alo.Cmp(blo) > 0 {
			if under := new(big.Rat).Sub(truncRat(alo, 0), one); under.Cmp(blo) >= 0 {
				e.add1(edgeOutOfRange, name, false, need, i, plain(under.FloatString(bs)))
			}
			e.add1(edgeAtLimit, name, true, need, i, plain(truncRat(alo, bs).FloatString(bs)))
		}
		if bs > as {
			need := fmt.Sprintf("values of %s have at most %d decimals", name, as)
			e.add1(edgeScale, name, false, need, i, plain(new(big.Rat).Inv(ratPow10(as+1)).FloatString(bs)))
			e.add1(edgeAtLimit, name, true, need, i, plain(new(big.Rat).Inv(ratPow10(as)).FloatString(bs)))
		}
	case bt.Family == schema.FamilyFloat && at.Family == schema.FamilyFloat:
		need := fmt.Sprintf("every value of %s fits %s", name, at)
		if bt.Base == "double" && at.Base == "float" && !bt.HasScale {
			e.add1(edgeOutOfRange, name, false, need, i, plain("1e39"))
			e.add1(edgeAtLimit, name, true, need, i, plain("1e38"))
		}
		if at.Unsigned && !bt.Unsigned {
			e.add1(edgeOutOfRange, name, false, need, i, plain("-1"))
			e.add1(edgeAtLimit, name, true, need, i, plain("0"))
		}
	case bt.Family == schema.FamilyBit && at.Family == schema.FamilyBit && at.Length < bt.Length:
		need := fmt.Sprintf("every value of %s fits %d bits", name, at.Length)
		top := uint64(1) << uint(at.Length)
		e.add1(edgeOutOfRange, name, false, need, i, cell{lit: fmt.Sprintf("b'%b'", top), key: fmt.Sprint(top)})
		e.add1(edgeAtLimit, name, true, need, i, cell{lit: fmt.Sprintf("b'%b'", top-1), key: fmt.Sprint(top - 1)})
	case bt.Family == schema.FamilyString && (numeric(at.Family) || at.Family == schema.FamilyFloat) && asciiChars(bt) > 0:
		need := fmt.Sprintf("every value of %s is a number", name)
		e.add1(edgeNotNumber, name, false, need, i, cg.text("x"))
		e.add1(edgeAtLimit, name, true, need, i, cg.text("1"))
	}
}

// numBounds is an integer or decimal type's range and scale.
func numBounds(t schema.ColumnType) (lo, hi *big.Rat, scale int) {
	if t.Family == schema.FamilyInteger {
		l, h := intBounds(t)
		return new(big.Rat).SetInt(l), new(big.Rat).SetInt(h), 0
	}
	hi = ratPow10(t.Length - t.Scale)
	hi.Sub(hi, new(big.Rat).Inv(ratPow10(t.Scale)))
	lo = new(big.Rat).Neg(hi)
	if t.Unsigned {
		lo = new(big.Rat)
	}
	return lo, hi, t.Scale
}

func ratPow10(n int) *big.Rat {
	return new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(n, 0))), nil))
}

// truncRat cuts x to scale decimals, toward zero.
func truncRat(x *big.Rat, scale int) *big.Rat {
	p := ratPow10(scale).Num()
	n := new(big.Int).Mul(x.Num(), p)
	n.Quo(n, x.Denom())
	return new(big.Rat).SetFrac(n, p)
}

// floorRat is the largest integer at most x, for x ≥ 0 (an upper bound).
func floorRat(x *big.Rat) *big.Rat {
	return truncRat(x, 0)
}
