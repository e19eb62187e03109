package schema

import (
	"cmp"
	"slices"
	"strings"
)

// Rename hints say that an object of `to` is an object of `from` under another name. Diff
// applies them to a copy of `from` (the server's own RENAME semantics: foreign keys, triggers,
// indexes, checks and generated columns follow the renamed table or column), reports one
// Renamed change each, and then compares the renamed copy with `to` as usual, so a renamed
// column whose type changed also gets its MODIFY.
//
// A hint is written new → old, in the declared state's terms. It applies in whichever direction
// the two states call for: forward when `to` has the new name and `from` the old one (the
// declared state renamed something), backward when `to` has the old name and `from` the new one
// (Diff(declared, actual), used to write down migrations). It is ignored when both names exist
// on one side, or neither.

// renamed is `from` with the rename hints applied.
type renamed struct {
	f       Flavor
	from    *Schema
	changes []Change
	stmts   []string
	// origTable maps a renamed table's new name (lower case) to its name in the real `from`
	// database, for statements that run before the renames.
	origTable map[string]string
}

// tableRename is one resolved table rename.
type tableRename struct{ old, new string }

// colRename is one resolved column rename.
type colRename struct{ old, new string }

// applyRenames resolves the hints and applies them to a deep copy of from; without hints from
// is returned as it is.
func applyRenames(from, to *Schema, hints map[string]string, f Flavor) renamed {
	r := renamed{f: f, from: from, origTable: map[string]string{}}
	if len(hints) == 0 {
		return r
	}
	keys := make([]string, 0, len(hints))
	for k := range hints {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	// Tables first. A column hint names its table by its new name as the hint's author saw
	// it, which may be its name in `to`, in `from`, or (a backward rename) neither: aliases
	// maps the other names of a renamed table to its name in `to`.
	tables := tableRenames(from, to, hints, keys)
	aliases := map[string]string{}
	for _, tr := range tables {
		aliases[strings.ToLower(tr.old)] = tr.new
	}
	r.from = cloneSchema(from)
	for _, tr := range tables {
		r.renameTable(tr)
	}
	cols, tableOrder := r.columnRenames(to, hints, keys, aliases)
	for _, tname := range tableOrder {
		r.applyColumnRenames(r.from.Table(tname), cols[tname])
	}
	slices.SortStableFunc(r.from.Tables, func(a, b *Table) int { return cmp.Compare(a.Name, b.Name) })
	return r
}

// tableRenames resolves the table hints (keys in order), in whichever direction applies.
func tableRenames(from, to *Schema, hints map[string]string, keys []string) []tableRename {
	var tables []tableRename
	used := map[string]bool{}
	for _, k := range keys {
		if strings.Contains(k, ".") {
			continue
		}
		newName, oldName := k, hints[k]
		switch {
		case to.Table(newName) != nil && from.Table(oldName) != nil && from.Table(newName) == nil:
			tables = addTableRename(tables, used, from.Table(oldName).Name, to.Table(newName).Name)
		case to.Table(oldName) != nil && from.Table(newName) != nil && from.Table(oldName) == nil &&
			to.Table(newName) == nil:
			tables = addTableRename(tables, used, from.Table(newName).Name, to.Table(oldName).Name)
		}
	}
	return tables
}

// columnRenames resolves the column hints (keys in order) against r.from with its tables
// renamed. It returns the renames by the table's name in to, and those names sorted.
func (r *renamed) columnRenames(to *Schema, hints map[string]string, keys []string, aliases map[string]string) (map[string][]colRename, []string) {
	cols := map[string][]colRename{} // by the table's name in to
	var tableOrder []string
	for _, k := range keys {
		tname, newCol, ok := strings.Cut(k, ".")
		if !ok {
			continue
		}
		oldCol := hints[k]
		tt := to.Table(tname)
		if tt == nil {
			tt = to.Table(aliases[strings.ToLower(tname)])
		}
		if tt == nil {
			continue
		}
		ft := r.from.Table(tt.Name)
		if ft == nil {
			continue
		}
		var cr colRename
		switch {
		case tt.Column(newCol) != nil && ft.Column(oldCol) != nil && ft.Column(newCol) == nil:
			cr = colRename{ft.Column(oldCol).Name, tt.Column(newCol).Name}
		case tt.Column(oldCol) != nil && ft.Column(newCol) != nil && ft.Column(oldCol) == nil &&
			tt.Column(newCol) == nil:
			cr = colRename{ft.Column(newCol).Name, tt.Column(oldCol).Name}
		default:
			continue
		}
		if _, seen := cols[tt.Name]; !seen {
			tableOrder = append(tableOrder, tt.Name)
		}
		cols[tt.Name] = append(cols[tt.Name], cr)
	}
	slices.Sort(tableOrder)
	return cols, tableOrder
}

// applyColumnRenames renames the columns of ft (a table of r.from), records a Renamed change
// for each and the one ALTER TABLE that does them all, with the dependents it must rebuild.
func (r *renamed) applyColumnRenames(ft *Table, crs []colRename) {
	f := r.f
	renames, targets := map[string]string{}, map[string]bool{}
	var clauses []string
	for _, cr := range crs {
		if _, dup := renames[strings.ToLower(cr.old)]; dup || targets[strings.ToLower(cr.new)] {
			continue
		}
		renames[strings.ToLower(cr.old)] = cr.new
		targets[strings.ToLower(cr.new)] = true
	}
	before := tableContext(f, ft)
	olds := map[string]string{}
	for _, c := range ft.Columns {
		olds[strings.ToLower(c.Name)] = before.columnDef(c, "")
	}
	deps := snapshotDeps(ft)
	r.renameColumns(ft, renames)
	after := tableContext(f, ft)
	depsBefore, depsAfter := deps.rebuild(f, ft, after)
	var fixes []int // the renames' changes, by index in r.changes
	for _, cr := range crs {
		c := ft.Column(cr.new)
		if c == nil || olds[strings.ToLower(cr.old)] == "" || !strings.EqualFold(renames[strings.ToLower(cr.old)], cr.new) {
			continue
		}
		clause := "RENAME COLUMN " + quoteIdent(cr.old) + " TO " + quoteIdent(cr.new)
		if !f.MinMySQL(8, 0, 0) && !f.MinMariaDB(10, 5, 2) {
			// Older servers rename only through CHANGE COLUMN, which restates the whole
			// definition: the `from` one (with its column-level check, which CHANGE drops
			// otherwise), so that this change does nothing but rename.
			clause = "CHANGE COLUMN " + quoteIdent(cr.old) + " " + after.column(c)
		}
		clauses = append(clauses, clause)
		r.changes = append(r.changes, Change{
			Kind: KindColumn, Change: Renamed, Table: ft.Name, Name: cr.new, OldName: cr.old,
			From: olds[strings.ToLower(cr.old)], To: after.columnDef(c, ""),
			Fix: []string{"ALTER TABLE " + quoteIdent(ft.Name) + " " + clause},
		})
		fixes = append(fixes, len(r.changes)-1)
		delete(olds, strings.ToLower(cr.old))
	}
	if len(clauses) > 0 {
		stmt := "ALTER TABLE " + quoteIdent(ft.Name) + " " + strings.Join(append(append(depsBefore, clauses...), depsAfter...), ", ")
		if len(depsBefore)+len(depsAfter) > 0 {
			// The dependents may use several of the renamed columns: each rename's fix is the
			// table's whole statement.
			for _, i := range fixes {
				r.changes[i].Fix = []string{stmt}
			}
		}
		r.stmts = append(r.stmts, stmt)
	}
}

// addTableRename records a rename unless its source or target is taken by another hint.
func addTableRename(tables []tableRename, used map[string]bool, old, new string) []tableRename {
	if used["o"+strings.ToLower(old)] || used["n"+strings.ToLower(new)] {
		return tables
	}
	used["o"+strings.ToLower(old)], used["n"+strings.ToLower(new)] = true, true
	return append(tables, tableRename{old, new})
}

// renameTable renames a table of the copy, and what follows a table on RENAME TABLE: foreign
// keys that reference it and its triggers.
func (r *renamed) renameTable(tr tableRename) {
	t := r.from.Table(tr.old)
	if t == nil {
		return
	}
	t.Name = tr.new
	r.origTable[strings.ToLower(tr.new)] = tr.old
	// Names the server generated from the table's name follow it.
	for _, fk := range nonNil(t.ForeignKeys) {
		fk.Name, _ = renamedGenerated(fk.Name, tr.old, tr.new, "_ibfk_")
	}
	if r.f.IsMySQL() {
		for _, c := range nonNil(t.Checks) {
			c.Name, _ = renamedGenerated(c.Name, tr.old, tr.new, "_chk_")
		}
	}
	for _, other := range r.from.Tables {
		for _, fk := range other.ForeignKeys {
			if fk.RefSchema == "" && strings.EqualFold(fk.RefTable, tr.old) {
				fk.RefTable = tr.new
			}
		}
	}
	for _, trg := range r.from.Triggers {
		if strings.EqualFold(trg.Table, tr.old) {
			trg.Table = tr.new
		}
	}
	stmt := "RENAME TABLE " + quoteIdent(tr.old) + " TO " + quoteIdent(tr.new)
	r.stmts = append(r.stmts, stmt)
	r.changes = append(r.changes, Change{
		Kind: KindTable, Change: Renamed, Table: tr.new, OldName: tr.old,
		From: quoteIdent(tr.old), To: quoteIdent(tr.new), Fix: []string{stmt},
	})
}

// renameColumns renames columns of t (renames: lower old name → new name) and, as the server
// does on RENAME COLUMN, every reference to them: index parts, foreign keys on both ends, checks
// and generated or default expressions.
func (r *renamed) renameColumns(t *Table, renames map[string]string) {
	ren := func(name string) string {
		if n, ok := renames[strings.ToLower(name)]; ok {
			return n
		}
		return name
	}
	for _, c := range t.Columns {
		c.Name = ren(c.Name)
		if c.Generated != nil {
			c.Generated.Expr = renameIdents(c.Generated.Expr, renames)
		}
		if c.Default != nil && strings.HasPrefix(*c.Default, "(") {
			d := renameIdents(*c.Default, renames)
			c.Default = &d
		}
	}
	for _, x := range t.Indexes {
		for i := range x.Parts {
			x.Parts[i].Column = ren(x.Parts[i].Column)
			x.Parts[i].Expr = renameIdents(x.Parts[i].Expr, renames)
		}
	}
	for _, fk := range t.ForeignKeys {
		for i := range fk.Columns {
			fk.Columns[i] = ren(fk.Columns[i])
		}
	}
	for _, other := range r.from.Tables {
		for _, fk := range other.ForeignKeys {
			if fk.RefSchema == "" && strings.EqualFold(fk.RefTable, t.Name) {
				for i := range fk.RefColumns {
					fk.RefColumns[i] = ren(fk.RefColumns[i])
				}
			}
		}
	}
	for _, c := range t.Checks {
		c.Expr = renameIdents(c.Expr, renames)
		// A MariaDB column-level check follows its column (keeping its old name, as the server
		// does; names of column-level checks are not compared).
		c.Column = ren(c.Column)
	}
}

// cloneSchema copies s deeply enough that renaming the copy leaves s alone: tables with all
// their parts, and triggers. Views and routines are shared; renames do not touch them.
func cloneSchema(s *Schema) *Schema {
	c := *s
	c.Tables = make([]*Table, 0, len(s.Tables))
	for _, t := range nonNil(s.Tables) {
		c.Tables = append(c.Tables, cloneTable(t))
	}
	c.Triggers = make([]*Trigger, 0, len(s.Triggers))
	for _, tr := range nonNil(s.Triggers) {
		cp := *tr
		c.Triggers = append(c.Triggers, &cp)
	}
	return &c
}

func cloneTable(t *Table) *Table {
	c := *t
	c.Columns = make([]*Column, 0, len(t.Columns))
	for _, col := range nonNil(t.Columns) {
		cp := *col
		if col.Generated != nil {
			g := *col.Generated
			cp.Generated = &g
		}
		c.Columns = append(c.Columns, &cp)
	}
	c.Indexes = make([]*Index, 0, len(t.Indexes))
	for _, x := range nonNil(t.Indexes) {
		cp := *x
		cp.Parts = slices.Clone(x.Parts)
		c.Indexes = append(c.Indexes, &cp)
	}
	c.ForeignKeys = make([]*ForeignKey, 0, len(t.ForeignKeys))
	for _, fk := range nonNil(t.ForeignKeys) {
		cp := *fk
		cp.Columns, cp.RefColumns = slices.Clone(fk.Columns), slices.Clone(fk.RefColumns)
		c.ForeignKeys = append(c.ForeignKeys, &cp)
	}
	c.Checks = make([]*Check, 0, len(t.Checks))
	for _, chk := range nonNil(t.Checks) {
		cp := *chk
		c.Checks = append(c.Checks, &cp)
	}
	return &c
}
