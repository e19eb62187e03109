package schema

import (
	"slices"
	"strings"
)

// This file pairs the indexes, foreign keys and checks of two versions of a table. Names the
// server generates for unnamed objects depend on the order and the way they were created
// (CONSTRAINT_1 or t_chk_1 for checks, t_ibfk_1 for foreign keys, the first column's name with
// _2, _3 suffixes for indexes), so the same object can carry another generated name in each
// state. Objects are therefore paired by name first, then the rest by definition, but only where
// at least one of the two names is a generated one: two names somebody chose are different
// objects, because later migrations address them by name.

// pair is an object of `from` and its counterpart in `to`.
type pair[T any] struct{ from, to T }

// matcher describes one kind of object for matchObjects.
type matcher[T any] struct {
	name func(T) string
	same func(a, b T) bool // equal definitions, names aside
	// generatedFrom and generatedTo report whether an object's name is one the server made up.
	generatedFrom, generatedTo func(T) bool
}

// matchObjects pairs from's objects with to's in three passes: same name and same definition;
// then same definition where one of the names is generated (so that two unnamed indexes whose
// generated names came out swapped pair crosswise, with no difference); then same name, a
// different definition. Pairs follow from's order; extra (only in from) and missing (only in to)
// keep their lists' order, so the result is deterministic.
func matchObjects[T any](from, to []T, m matcher[T]) (pairs []pair[T], extra, missing []T) {
	toByName := make(map[string]int, len(to))
	for j := len(to) - 1; j >= 0; j-- {
		toByName[strings.ToLower(m.name(to[j]))] = j
	}
	usedTo := make([]bool, len(to))
	pairedFrom := make([]int, len(from)) // index+1 into to, 0 when unpaired
	byName := func(sameDef bool) {
		for i, f := range from {
			j, ok := toByName[strings.ToLower(m.name(f))]
			if pairedFrom[i] == 0 && ok && !usedTo[j] && (!sameDef || m.same(f, to[j])) {
				usedTo[j] = true
				pairedFrom[i] = j + 1
			}
		}
	}
	byName(true)
	for i, f := range from {
		if pairedFrom[i] != 0 {
			continue
		}
		for j, t := range to {
			if !usedTo[j] && (m.generatedFrom(f) || m.generatedTo(t)) && m.same(f, t) {
				usedTo[j] = true
				pairedFrom[i] = j + 1
				break
			}
		}
	}
	byName(false)
	for i, f := range from {
		if pairedFrom[i] == 0 {
			extra = append(extra, f)
		} else {
			pairs = append(pairs, pair[T]{f, to[pairedFrom[i]-1]})
		}
	}
	for j, t := range to {
		if !usedTo[j] {
			missing = append(missing, t)
		}
	}
	return pairs, extra, missing
}

// renamedInPlace returns the pairs that are equal but carry different names in the two states
// and whose `from` name is needed for an object being added: such an object must be dropped and
// added again under its `to` name, or the addition would collide with it. Adding it again frees
// its `from` name and takes its `to` name, so the search repeats until nothing changes. added
// holds the lower-case names that the other changes add.
func renamedInPlace[T any](pairs []pair[T], m matcher[T], added map[string]bool) map[int]bool {
	rebuild := map[int]bool{}
	for changed := true; changed; {
		changed = false
		for i, p := range pairs {
			fn, tn := strings.ToLower(m.name(p.from)), strings.ToLower(m.name(p.to))
			if rebuild[i] || fn == tn || !m.same(p.from, p.to) || !added[fn] {
				continue
			}
			rebuild[i], changed = true, true
			added[tn] = true
		}
	}
	return rebuild
}

// indexMatcher pairs the indexes of ft and tt.
func indexMatcher(ft, tt *Table) matcher[*Index] {
	return matcher[*Index]{
		name:          func(x *Index) string { return x.Name },
		same:          sameIndex,
		generatedFrom: func(x *Index) bool { return generatedIndexName(ft, x) },
		generatedTo:   func(x *Index) bool { return generatedIndexName(tt, x) },
	}
}

// generatedIndexName reports whether x carries a name the server chose: an unnamed index is
// named after its first column (first_col, then first_col_2, first_col_3…), and the index the
// server adds for a foreign key that no index supports takes the constraint's name (or, for an
// unnamed constraint, its first column's). That index is also dropped silently as soon as another
// index can support the key, so one state may have it where the other has an index of the same
// columns under another name.
func generatedIndexName(t *Table, x *Index) bool {
	if x.Primary {
		return false
	}
	cols := x.Columns()
	if len(cols) > 0 && generatedSuffix(x.Name, cols[0]) {
		return true
	}
	for _, fk := range t.ForeignKeys {
		if fk != nil && strings.EqualFold(fk.Name, x.Name) && equalFoldSlices(fk.Columns, cols) {
			return true
		}
	}
	return false
}

// generatedSuffix reports whether name is base or base_<n>.
func generatedSuffix(name, base string) bool {
	if len(name) < len(base) || !strings.EqualFold(name[:len(base)], base) {
		return false
	}
	rest := name[len(base):]
	if rest == "" {
		return true
	}
	n, ok := strings.CutPrefix(rest, "_")
	return ok && allDigits(n)
}

// sameIndex compares two indexes' definitions, names aside.
func sameIndex(a, b *Index) bool {
	return a.Primary == b.Primary && a.Unique == b.Unique && strings.EqualFold(a.Type, b.Type) &&
		a.Invisible == b.Invisible && a.Comment == b.Comment && sameParts(a.Parts, b.Parts)
}

// sameIndexButVisibility reports whether two indexes differ in visibility alone, which ALTER
// INDEX changes without rebuilding.
func sameIndexButVisibility(a, b *Index) bool {
	bb := *b
	bb.Invisible = a.Invisible
	return a.Invisible != b.Invisible && sameIndex(a, &bb)
}

func sameParts(a, b []IndexPart) bool {
	return slices.EqualFunc(a, b, func(p, q IndexPart) bool {
		return strings.EqualFold(p.Column, q.Column) && p.Expr == q.Expr && p.SubPart == q.SubPart &&
			p.Descending == q.Descending
	})
}

// fkMatcher pairs foreign keys; InnoDB names unnamed ones <table>_ibfk_<n>.
func fkMatcher() matcher[*ForeignKey] {
	generated := func(fk *ForeignKey) bool { return generatedCounterName(fk.Name, "_ibfk_") }
	return matcher[*ForeignKey]{
		name:          func(fk *ForeignKey) string { return fk.Name },
		same:          sameFK,
		generatedFrom: generated,
		generatedTo:   generated,
	}
}

// sameFK compares two foreign keys' definitions, names aside; NO ACTION and RESTRICT are the
// same in InnoDB.
func sameFK(a, b *ForeignKey) bool {
	return equalFoldSlices(a.Columns, b.Columns) && strings.EqualFold(a.RefSchema, b.RefSchema) &&
		strings.EqualFold(a.RefTable, b.RefTable) && equalFoldSlices(a.RefColumns, b.RefColumns) &&
		fkAction(a.OnDelete) == fkAction(b.OnDelete) && fkAction(a.OnUpdate) == fkAction(b.OnUpdate)
}

// checkMatcher pairs checks. MariaDB names unnamed ones CONSTRAINT_<n>, MySQL <table>_chk_<n>;
// a MariaDB column-level check is named after its column by the server too (and keeps the old
// name when the column is renamed).
func checkMatcher() matcher[*Check] {
	generated := func(c *Check) bool {
		n, ok := cutPrefixFold(c.Name, "CONSTRAINT_")
		return (ok && allDigits(n)) || generatedCounterName(c.Name, "_chk_") || c.Column != ""
	}
	return matcher[*Check]{
		name:          func(c *Check) string { return c.Name },
		same:          sameCheck,
		generatedFrom: generated,
		generatedTo:   generated,
	}
}

// sameCheck compares two checks' definitions, names and levels aside (see diff_checks.go).
func sameCheck(a, b *Check) bool {
	return a.Expr == b.Expr && a.Enforced == b.Enforced
}

// generatedCounterName reports whether name ends in infix<n>, as in t_ibfk_1 and t_chk_2. The
// table part is not compared: MySQL renames it along with the table, other servers may not.
func generatedCounterName(name, infix string) bool {
	i := strings.LastIndex(strings.ToLower(name), infix)
	return i > 0 && allDigits(name[i+len(infix):])
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func equalFoldSlices(a, b []string) bool {
	return slices.EqualFunc(a, b, strings.EqualFold)
}
