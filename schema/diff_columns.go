package schema

import (
	"strings"
)

// Column order. ALTER TABLE applies FIRST/AFTER clauses one after another, in the order they are
// written: the server starts from the existing columns in their order (dropped ones removed,
// modified ones still in place), then for each clause with a position takes the column out and
// puts it after the named column as the list stands at that moment; a new column without a
// position goes to the end of the list at that moment. So:
//
//   - the columns of `to` that exist in `from` and keep their relative order (a longest
//     increasing subsequence of their `from` positions, taken in `to` order) stay where they are;
//   - every other column (new, or moved) gets a position, and the clauses are written in `to`
//     order, each AFTER the column that precedes it in `to` (FIRST for the first), which is by
//     then in its final place: either one that stays or one placed by an earlier clause;
//   - a new column that no staying column follows is simply added, to the end.
//
// A column whose only difference is its position is a Different change whose From and To end in
// "AFTER `x`" (or "FIRST"): where it is in each state.

// compareColumns compares the columns of a table present in both states.
func (d *differ) compareColumns(td *tableDiff, ft, tt *Table, fctx, tctx colContext, checks *checkPlan) {
	p := placeColumns(td, ft, tt)
	// A column's clause carries the column-level check it keeps or gains (checks.inline); its
	// Change's From and To show the column alone, checks being changes of their own.
	for j, tc := range tt.Columns {
		d.compareColumn(td, p, j, tc, fctx, tctx, checks)
	}

	inTo := make(map[string]bool, len(tt.Columns))
	for _, tc := range tt.Columns {
		inTo[strings.ToLower(tc.Name)] = true
	}
	for _, fc := range ft.Columns {
		if inTo[strings.ToLower(fc.Name)] {
			continue
		}
		drop := "DROP COLUMN " + quoteIdent(fc.Name)
		td.dropColumns = append(td.dropColumns, drop)
		d.add(Change{Kind: KindColumn, Change: Extra, Table: tt.Name, Name: fc.Name, From: fctx.columnDef(fc, ""),
			Fix: alterFix(tt.Name, drop)})
	}
}

// columnPlaces says which columns of `to` stay where they are in `from`.
type columnPlaces struct {
	ft, tt  *Table
	fromIdx map[string]int // lower-case name → position in ft (the first, should two share it)
	stays   []bool         // by position in tt
	// stayAfter[j]: a staying column follows column j of tt.
	stayAfter []bool
}

// placeColumns finds the columns that stay in place: the longest run of `to` columns whose
// `from` positions increase. Recreated columns are added again and cannot stay.
func placeColumns(td *tableDiff, ft, tt *Table) *columnPlaces {
	p := &columnPlaces{ft: ft, tt: tt, fromIdx: make(map[string]int, len(ft.Columns))}
	for i, c := range ft.Columns {
		if _, dup := p.fromIdx[strings.ToLower(c.Name)]; !dup {
			p.fromIdx[strings.ToLower(c.Name)] = i
		}
	}
	var seq []int
	var seqTo []int
	for j, tc := range tt.Columns {
		if fc := p.counterpart(tc); fc != nil && !td.recreate[strings.ToLower(tc.Name)] {
			seq = append(seq, p.fromIdx[strings.ToLower(tc.Name)])
			seqTo = append(seqTo, j)
		}
	}
	p.stays = make([]bool, len(tt.Columns))
	for _, k := range longestIncreasing(seq) {
		p.stays[seqTo[k]] = true
	}
	p.stayAfter = make([]bool, len(tt.Columns)+1)
	for j := len(tt.Columns) - 1; j >= 0; j-- {
		p.stayAfter[j] = p.stayAfter[j+1] || (j+1 < len(tt.Columns) && p.stays[j+1])
	}
	return p
}

// counterpart is the column of `from` that tc is, or nil.
func (p *columnPlaces) counterpart(tc *Column) *Column {
	if i, ok := p.fromIdx[strings.ToLower(tc.Name)]; ok {
		return p.ft.Columns[i]
	}
	return nil
}

// toPos writes where column j of `to` goes: " FIRST" or " AFTER `prev`".
func (p *columnPlaces) toPos(j int) string {
	if j == 0 {
		return " FIRST"
	}
	return " AFTER " + quoteIdent(p.tt.Columns[j-1].Name)
}

// compareColumn compares column j of `to`, tc, with its counterpart in `from`, if any.
func (d *differ) compareColumn(td *tableDiff, p *columnPlaces, j int, tc *Column, fctx, tctx colContext, checks *checkPlan) {
	ft, tt, stays, stayAfter, toPos := p.ft, p.tt, p.stays, p.stayAfter, p.toPos
	fc := p.counterpart(tc)
	lower := strings.ToLower(tc.Name)
	if fc != nil && stays[j] && sameColumn(fc, tc) {
		if checks.needClause[lower] && !td.recreate[lower] {
			td.columns = append(td.columns, "MODIFY COLUMN "+tctx.columnDef(tc, checks.inline[lower]))
		}
		return
	}
	def, to := tctx.columnDef(tc, checks.inline[lower]), tctx.columnDef(tc, "")
	switch {
	case fc == nil:
		clause := "ADD COLUMN " + def
		if stayAfter[j] || j == 0 {
			clause += toPos(j)
		}
		td.columns = append(td.columns, clause)
		d.add(Change{Kind: KindColumn, Change: Missing, Table: tt.Name, Name: tc.Name, To: to,
			Fix: alterFix(tt.Name, clause)})
	case td.recreate[lower]:
		// The server cannot turn a column into or out of a virtual one, or switch a generated
		// column between VIRTUAL and STORED, in place: the column is dropped and added.
		drop, add := "DROP COLUMN "+quoteIdent(fc.Name), "ADD COLUMN "+def
		if stayAfter[j] || j == 0 {
			add += toPos(j)
		}
		td.dropColumns = append(td.dropColumns, drop)
		td.columns = append(td.columns, add)
		td.typeChanged[lower] = true
		d.add(Change{Kind: KindColumn, Change: Different, Table: tt.Name, Name: tc.Name,
			From: fctx.columnDef(fc, ""), To: to, Fix: alterFix(tt.Name, drop, add)})
	default:
		if typeChanges(fc, tc) {
			td.typeChanged[lower] = true
		}
		clause := "MODIFY COLUMN " + def
		from := fctx.columnDef(fc, "")
		if !stays[j] {
			clause += toPos(j)
			from += fromPos(ft, p.fromIdx[strings.ToLower(tc.Name)])
			to += toPos(j)
		}
		td.columns = append(td.columns, clause)
		d.add(Change{Kind: KindColumn, Change: Different, Table: tt.Name, Name: tc.Name,
			From: from, To: to, Fix: alterFix(tt.Name, clause)})
	}
}

// fromPos writes where column i of t is: " FIRST" or " AFTER `prev`".
func fromPos(t *Table, i int) string {
	if i == 0 {
		return " FIRST"
	}
	return " AFTER " + quoteIdent(t.Columns[i-1].Name)
}

// sameColumn compares two columns' definitions, position and checks aside. DataType and
// Unsigned are part of Type.
func sameColumn(a, b *Column) bool {
	if !sameType(a.Type, b.Type) || a.Nullable != b.Nullable || a.OnUpdate != b.OnUpdate ||
		a.AutoIncrement != b.AutoIncrement || a.Comment != b.Comment || a.Invisible != b.Invisible ||
		!sameCharset(a, b) || !strings.EqualFold(a.Collation, b.Collation) {
		return false
	}
	if (a.Default == nil) != (b.Default == nil) || (a.Default != nil && *a.Default != *b.Default) {
		return false
	}
	return (a.Generated == nil) == (b.Generated == nil) &&
		(a.Generated == nil || *a.Generated == *b.Generated)
}

// sameType compares column types with integer display widths left out.
func sameType(a, b string) bool {
	return a == b || normalizeIntWidths(a) == normalizeIntWidths(b)
}

func sameCharset(a, b *Column) bool {
	ac, bc := a.Charset, b.Charset
	if ac == "" {
		ac = charsetOf(a.Collation)
	}
	if bc == "" {
		bc = charsetOf(b.Collation)
	}
	return strings.EqualFold(ac, bc)
}

// typeChanges reports the changes InnoDB refuses on a column a foreign key uses.
func typeChanges(a, b *Column) bool {
	return !sameType(a.Type, b.Type) || a.Nullable != b.Nullable || !sameCharset(a, b) ||
		!strings.EqualFold(a.Collation, b.Collation)
}

// mustRecreate reports whether b can only be reached from a by dropping and adding the column.
// MariaDB refuses MODIFY into or out of a virtual column and into a stored generated one ("This
// is not yet supported for generated columns"); MySQL refuses to switch a generated column
// between VIRTUAL and STORED. What both accept in place: a new expression of the same kind, and
// a stored generated column becoming an ordinary one (keeping its values).
func mustRecreate(a, b *Column) bool {
	virtual := func(c *Column) bool { return c.Generated != nil && !c.Generated.Stored }
	stored := func(c *Column) bool { return c.Generated != nil && c.Generated.Stored }
	return virtual(a) != virtual(b) || (stored(b) && !stored(a))
}

// longestIncreasing returns the indexes into seq of a longest strictly increasing subsequence,
// in order (patience sorting, O(n log n)). Ties resolve the same way every time.
func longestIncreasing(seq []int) []int {
	if len(seq) == 0 {
		return nil
	}
	tails := []int{} // tails[k]: index into seq of the smallest tail of a run of length k+1
	prev := make([]int, len(seq))
	for i, v := range seq {
		lo, hi := 0, len(tails)
		for lo < hi {
			mid := (lo + hi) / 2
			if seq[tails[mid]] < v {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		prev[i] = -1
		if lo > 0 {
			prev[i] = tails[lo-1]
		}
		if lo == len(tails) {
			tails = append(tails, i)
		} else {
			tails[lo] = i
		}
	}
	out := make([]int, len(tails))
	for k, i := len(tails)-1, tails[len(tails)-1]; k >= 0; k, i = k-1, prev[i] {
		out[k] = i
	}
	return out
}
