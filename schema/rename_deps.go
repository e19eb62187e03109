package schema

import (
	"strconv"
	"strings"
)

// MySQL refuses RENAME COLUMN on a column that a check (error 3959), a generated column (3108)
// or a functional key part (3837) uses, where MariaDB rewrites them. The dependents are then
// rebuilt in the same ALTER TABLE: the check dropped and added again, the generated column
// modified, the index dropped and added, each with the renamed expression. MySQL runs such a
// statement as one change.

// renameDeps is what of a table may use its columns by name, before the columns are renamed.
type renameDeps struct {
	checks   map[*Check]string
	columns  map[*Column]string // generation or default expression
	indexes  map[*Index]string  // functional key parts
	checkOld map[*Check]string  // a check's name before (dropped by it)
}

func snapshotDeps(t *Table) renameDeps {
	d := renameDeps{checks: map[*Check]string{}, columns: map[*Column]string{}, indexes: map[*Index]string{},
		checkOld: map[*Check]string{}}
	for _, c := range nonNil(t.Checks) {
		d.checks[c], d.checkOld[c] = c.Expr, c.Name
	}
	for _, c := range nonNil(t.Columns) {
		d.columns[c] = columnExprs(c)
	}
	for _, x := range nonNil(t.Indexes) {
		d.indexes[x] = partExprs(x)
	}
	return d
}

func columnExprs(c *Column) string {
	s := ""
	if c.Generated != nil {
		s = c.Generated.Expr
	}
	if c.Default != nil && strings.HasPrefix(*c.Default, "(") {
		s += "\x00" + *c.Default
	}
	return s
}

func partExprs(x *Index) string {
	var parts []string
	for _, p := range x.Parts {
		parts = append(parts, p.Expr)
	}
	return strings.Join(parts, "\x00")
}

// rebuild returns the clauses that go with the renames of t (already applied to t) on MySQL:
// drops before the RENAME COLUMN clauses, modifications and additions after them.
func (d renameDeps) rebuild(f Flavor, t *Table, ctx colContext) (before, after []string) {
	if !f.IsMySQL() {
		return nil, nil
	}
	for _, c := range nonNil(t.Columns) {
		if old, ok := d.columns[c]; ok && old != columnExprs(c) {
			after = append(after, "MODIFY COLUMN "+ctx.column(c))
		}
	}
	for _, x := range nonNil(t.Indexes) {
		if old, ok := d.indexes[x]; ok && old != partExprs(x) {
			before = append(before, dropIndex(x))
			after = append(after, "ADD "+indexDef(f, x, t.Options.Engine))
		}
	}
	for _, c := range nonNil(t.Checks) {
		if old, ok := d.checks[c]; ok && old != c.Expr {
			before = append(before, "DROP CHECK "+quoteIdent(d.checkOld[c]))
			after = append(after, "ADD "+checkDef(f, c))
		}
	}
	return before, after
}

// renamedGenerated is name with a table's old name replaced by its new one, when name is one the
// server generated from the table's name and renames with it: InnoDB's foreign key names
// <table>_ibfk_<n> (both flavours) and MySQL's check names <table>_chk_<n>.
func renamedGenerated(name, oldTable, newTable, infix string) (string, bool) {
	prefix := oldTable + infix
	if len(name) <= len(prefix) || !strings.EqualFold(name[:len(prefix)], prefix) {
		return name, false
	}
	if _, err := strconv.Atoi(name[len(prefix):]); err != nil {
		return name, false
	}
	return newTable + infix + name[len(prefix):], true
}
