package schema

import (
	"cmp"
	"slices"
	"strings"
)

// Diff compares two states of a database and returns what turns `from` into `to`: one Change
// per difference, with its own Fix, and the whole reconciling script in Delta.Statements.
//
// Both states are expected to come from the same server, introspected by the same code, so the
// server has already normalised what it normalises (default spellings, implicit charsets and
// defaults). Diff normalises what remains: the database name inside view definitions,
// whitespace in trigger and routine bodies, names the server generates for unnamed checks,
// foreign keys and indexes (and the index it adds for a foreign key), RESTRICT versus NO
// ACTION, integer display widths (MariaDB keeps explicit ones: INT(11) UNSIGNED is int(11)
// unsigned, INT UNSIGNED int(10) unsigned) and whether a check is written in a column or in the
// table. It never compares AUTO_INCREMENT counters, definers or the database's own name.
//
// Changes come in a fixed order: renames; then tables by name, each with its columns (in `to`
// order, then the extra ones), indexes, foreign keys, checks and options; then views, triggers
// and routines by name. Statements follow the order described at script.statements.
//
// Diff is pure and deterministic, never modifies its arguments, and treats both arguments alike:
// Diff(to, from) is the way back. Rename hints apply in either direction (see rename.go). A nil
// schema is an empty one.
func Diff(from, to *Schema, opts DiffOptions) *Delta {
	from, to = sanitize(from), sanitize(to)
	f := from.Flavor
	if f.Kind == "" {
		f = to.Flavor
	}
	rn := applyRenames(from, to, opts.Renamed, f)
	d := &differ{f: f, from: rn.from, to: to, origTable: rn.origTable, changes: rn.changes}
	d.script.renames = rn.stmts
	d.diffTables()
	d.diffViews()
	d.diffTriggers()
	d.diffRoutines()
	return &Delta{Changes: d.changes, Statements: d.script.statements()}
}

// differ holds one comparison in progress.
type differ struct {
	f       Flavor
	from    *Schema // with rename hints applied
	to      *Schema
	changes []Change
	script  script
	// origTable maps a renamed table's new name (lower case) to its name before the renames.
	origTable map[string]string
}

// origName is a table's name in the real `from` database, for statements that run before the
// renames.
func (d *differ) origName(table string) string {
	if o, ok := d.origTable[strings.ToLower(table)]; ok {
		return o
	}
	return table
}

func (d *differ) add(c Change) { d.changes = append(d.changes, c) }

// sanitize returns s without nil entries in any list (a shallow copy where needed), so that no
// model input makes the diff dereference nil; a nil schema becomes an empty one.
func sanitize(s *Schema) *Schema {
	if s == nil {
		return &Schema{}
	}
	c := *s
	c.Tables = nonNil(s.Tables)
	for i, t := range c.Tables {
		c.Tables[i] = sanitizeTable(t)
	}
	c.Views, c.Triggers, c.Routines = nonNil(s.Views), nonNil(s.Triggers), nonNil(s.Routines)
	return &c
}

// sanitizeTable returns t, or a shallow copy of it without nil entries in its lists.
func sanitizeTable(t *Table) *Table {
	if !slices.Contains(t.Columns, nil) && !slices.Contains(t.Indexes, nil) &&
		!slices.Contains(t.ForeignKeys, nil) && !slices.Contains(t.Checks, nil) {
		return t
	}
	cp := *t
	cp.Columns, cp.Indexes = nonNil(t.Columns), nonNil(t.Indexes)
	cp.ForeignKeys, cp.Checks = nonNil(t.ForeignKeys), nonNil(t.Checks)
	return &cp
}

// diffTables compares the tables present in either state, in name order.
func (d *differ) diffTables() {
	fromBy, toBy := tablesByName(d.from), tablesByName(d.to)
	names := unionKeys(fromBy, toBy)
	var both []*tableDiff
	var dropped []*Table
	for _, n := range names {
		ft, tt := fromBy[n], toBy[n]
		switch {
		case ft == nil:
			create := createTableFKs(d.f, tt, tt.ForeignKeys)
			d.add(Change{Kind: KindTable, Change: Missing, Table: tt.Name, To: create, Fix: []string{create}})
			d.script.creates = append(d.script.creates, createTableFKs(d.f, tt, nil))
			for _, fk := range tt.ForeignKeys {
				d.script.addFK(tt.Name, fk)
			}
		case tt == nil:
			d.add(Change{Kind: KindTable, Change: Extra, Table: ft.Name, From: createTableFKs(d.f, ft, ft.ForeignKeys),
				Fix: []string{"DROP TABLE " + quoteIdent(ft.Name)}})
			d.script.tableDrops = append(d.script.tableDrops, "DROP TABLE "+quoteIdent(ft.Name))
			dropped = append(dropped, ft)
		default:
			both = append(both, d.compareTable(ft, tt))
		}
	}
	d.rebuildForeignKeys(both, dropped)
	for _, td := range both {
		if stmt := td.alterStatement(); stmt != "" {
			d.script.alters = append(d.script.alters, stmt)
		}
		d.script.alters = append(d.script.alters, td.followUp...)
	}
}

// rebuildForeignKeys drops and adds again foreign keys that are the same in both states but in
// the way of another change: their columns, on either end, change type, character set,
// collation or nullability, which InnoDB refuses while a foreign key uses them ("Cannot change
// column used in a foreign key constraint"); or they carry, under a generated name, a name that
// a foreign key being added needs (constraint names are unique per database).
//
// Foreign keys of tables that are dropped go first too where they would be in the way until
// step 6: when they reference another dropped table (the server refuses to drop a referenced
// table, and dropped tables may reference each other in a cycle), or a column that changes.
func (d *differ) rebuildForeignKeys(tables []*tableDiff, dropped []*Table) {
	changed := map[string]map[string]bool{}
	for _, td := range tables {
		if len(td.typeChanged) > 0 {
			changed[strings.ToLower(td.name)] = td.typeChanged
		}
	}
	hit := func(table string, cols []string) bool {
		set := changed[strings.ToLower(table)]
		return slices.ContainsFunc(cols, func(c string) bool { return set[strings.ToLower(c)] })
	}
	var pairs []pair[*ForeignKey]
	var owners []string
	for _, td := range tables {
		for _, p := range td.fkPairs {
			pairs = append(pairs, p)
			owners = append(owners, td.name)
		}
	}
	added := map[string]bool{}
	for _, op := range d.script.fkAdds {
		added[strings.ToLower(op.fk.Name)] = true
	}
	rebuild := renamedInPlace(pairs, fkMatcher(), added)
	for i, p := range pairs {
		if rebuild[i] || hit(owners[i], p.from.Columns) || (p.from.RefSchema == "" && hit(p.from.RefTable, p.from.RefColumns)) {
			d.script.dropFK(d.origName(owners[i]), p.from)
			d.script.addFK(owners[i], p.to)
		}
	}

	droppedNames := map[string]bool{}
	for _, t := range dropped {
		droppedNames[strings.ToLower(t.Name)] = true
	}
	for _, t := range dropped {
		for _, fk := range t.ForeignKeys {
			if fk.RefSchema == "" && !strings.EqualFold(fk.RefTable, t.Name) &&
				(droppedNames[strings.ToLower(fk.RefTable)] || hit(fk.RefTable, fk.RefColumns)) {
				d.script.dropFK(t.Name, fk)
			}
		}
	}
}

func tablesByName(s *Schema) map[string]*Table {
	m := make(map[string]*Table, len(s.Tables))
	for _, t := range s.Tables {
		if _, dup := m[strings.ToLower(t.Name)]; !dup {
			m[strings.ToLower(t.Name)] = t
		}
	}
	return m
}

// unionKeys returns the keys of both maps, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// script collects the reconciling statements by step; statements() puts them in order.
type script struct {
	fkDrops    []fkOp   // 1
	objDrops   []string // 2: triggers, views, routines
	renames    []string // 3
	creates    []string // 4: tables without foreign keys
	alters     []string // 5
	tableDrops []string // 6
	fkAdds     []fkOp   // 7
	routines   []string // 8, in this order: routines, views, triggers
	views      []*View
	viewDB     string
	triggers   []string
}

// fkOp is a foreign key to drop from or add to a table.
type fkOp struct {
	table string
	fk    *ForeignKey
}

func (s *script) dropFK(table string, fk *ForeignKey) {
	s.fkDrops = append(s.fkDrops, fkOp{table, fk})
}

func (s *script) addFK(table string, fk *ForeignKey) {
	s.fkAdds = append(s.fkAdds, fkOp{table, fk})
}

// statements orders the script:
//
//  1. drop foreign keys that are extra or different, or in the way of a column change, before
//     anything drops the indexes, columns and tables they use;
//  2. drop triggers, views and routines that are extra or different;
//  3. rename tables, then columns;
//  4. create missing tables without their foreign keys, so that neither the order of creation
//     nor cycles between new tables matter;
//  5. one ALTER TABLE per changed table: checks, indexes and columns dropped, columns added and
//     modified (positioned so the final order is `to`'s), indexes and checks added, options;
//  6. drop extra tables;
//  7. add foreign keys, now that every table, column and index they need exists;
//  8. create routines (they bind the objects they use only when they run, while a view that
//     calls a function needs it to exist), views after the views they read, then triggers in
//     their order of execution.
func (s *script) statements() []string {
	var out []string
	out = append(out, groupFKs(s.fkDrops, func(fk *ForeignKey) string { return "DROP FOREIGN KEY " + quoteIdent(fk.Name) })...)
	out = append(out, s.objDrops...)
	out = append(out, s.renames...)
	out = append(out, s.creates...)
	out = append(out, s.alters...)
	out = append(out, s.tableDrops...)
	out = append(out, groupFKs(s.fkAdds, func(fk *ForeignKey) string { return "ADD " + fkDef(fk) })...)
	out = append(out, s.routines...)
	for _, v := range viewsInOrder(s.views, s.viewDB) {
		out = append(out, createView(v, s.viewDB))
	}
	out = append(out, s.triggers...)
	return out
}

// groupFKs writes one ALTER TABLE per table for the foreign key operations, tables and keys in
// name order, each key once.
func groupFKs(ops []fkOp, clause func(*ForeignKey) string) []string {
	ops = slices.Clone(ops)
	slices.SortStableFunc(ops, func(a, b fkOp) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.table), strings.ToLower(b.table)),
			cmp.Compare(strings.ToLower(a.fk.Name), strings.ToLower(b.fk.Name)))
	})
	var out []string
	for i := 0; i < len(ops); {
		j := i
		var clauses []string
		for ; j < len(ops) && strings.EqualFold(ops[j].table, ops[i].table); j++ {
			if j > i && strings.EqualFold(ops[j].fk.Name, ops[j-1].fk.Name) {
				continue
			}
			clauses = append(clauses, clause(ops[j].fk))
		}
		out = append(out, alterTable(ops[i].table, clauses))
		i = j
	}
	return out
}

// alterTable writes ALTER TABLE with its clauses, one per line when there are several.
func alterTable(table string, clauses []string) string {
	if len(clauses) == 1 {
		return "ALTER TABLE " + quoteIdent(table) + " " + clauses[0]
	}
	return "ALTER TABLE " + quoteIdent(table) + "\n  " + strings.Join(clauses, ",\n  ")
}
