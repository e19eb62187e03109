package schema

import (
	"slices"
	"strings"
)

// tableDiff is what changes in a table present in both states: the clauses of its one ALTER
// TABLE, by section, and what the foreign key pass needs.
type tableDiff struct {
	name string // the table's name in `to` (and, after renames, in `from`)

	// The clauses of the ALTER TABLE, by section, in the order they are written.
	dropChecks, dropIndexes, dropColumns []string
	columns                              []string // ADD and MODIFY COLUMN, in `to` order
	addIndexes, addChecks, options       []string

	// followUp holds statements that must run after the ALTER TABLE.
	followUp []string
	// fkPairs are the foreign keys present and equal in both states.
	fkPairs []pair[*ForeignKey]
	// recreate holds the columns (lower case) that are dropped and added again.
	recreate map[string]bool
	// typeChanged holds the columns (lower case) whose type, character set, collation or
	// nullability changes, which InnoDB refuses while a foreign key uses them.
	typeChanged map[string]bool
}

// alterStatement joins the clauses: what is dropped (checks, indexes, columns), then the
// columns added or modified, then indexes and checks added, then options. The server applies an
// ALTER TABLE as a whole, so this order is for the reader; the column clauses alone are order
// sensitive (see diff_columns.go).
func (td *tableDiff) alterStatement() string {
	clauses := slices.Concat(td.dropChecks, td.dropIndexes, td.dropColumns, td.columns, td.addIndexes,
		td.addChecks, td.options)
	if len(clauses) == 0 {
		return ""
	}
	return alterTable(td.name, clauses)
}

// compareTable compares a table present in both states.
func (d *differ) compareTable(ft, tt *Table) *tableDiff {
	td := &tableDiff{name: tt.Name, recreate: map[string]bool{}, typeChanged: map[string]bool{}}
	fctx, tctx := tableContext(d.f, ft), tableContext(d.f, tt)
	if !strings.EqualFold(fctx.charset, tctx.charset) || !strings.EqualFold(fctx.collation, tctx.collation) {
		// The table's default changes in the same ALTER: write every column's character set,
		// so that neither the fragments nor the statement depend on which default applies.
		fctx.charset, fctx.collation, tctx.charset, tctx.collation = "", "", "", ""
	}
	for _, tc := range tt.Columns {
		if fc := ft.Column(tc.Name); fc != nil && mustRecreate(fc, tc) {
			td.recreate[strings.ToLower(tc.Name)] = true
		}
	}
	// Checks decide first what the column clauses must carry; their changes are reported
	// after the indexes' and foreign keys'.
	checks := d.compareChecks(td, ft, tt, fctx, tctx)
	d.compareColumns(td, ft, tt, fctx, tctx, checks)
	d.deferUnsafeDefaults(td, tt, tctx, checks)
	d.compareIndexes(td, ft, tt)
	d.compareForeignKeys(td, ft, tt)
	d.changes = append(d.changes, checks.changes...)
	d.compareOptions(td, ft, tt)
	return td
}

// alterFix is a Change's Fix: one ALTER TABLE on the table.
func alterFix(table string, clauses ...string) []string {
	return []string{alterTable(table, clauses)}
}

func (d *differ) compareIndexes(td *tableDiff, ft, tt *Table) {
	m := indexMatcher(ft, tt)
	pairs, extra, missing := matchObjects(ft.Indexes, tt.Indexes, m)
	engine := tt.Options.Engine
	added := map[string]bool{}
	for _, x := range missing {
		added[strings.ToLower(x.Name)] = true
	}
	renamed := renamedInPlace(pairs, m, added)
	// An index on a column that is dropped and added again loses that column: rebuild it.
	touchesRecreated := func(x *Index) bool {
		return slices.ContainsFunc(x.Parts, func(p IndexPart) bool { return td.recreate[strings.ToLower(p.Column)] })
	}
	for i, p := range pairs {
		rebuild := touchesRecreated(p.to)
		if sameIndex(p.from, p.to) {
			if rebuild || renamed[i] {
				td.dropIndexes = append(td.dropIndexes, dropIndex(p.from))
				td.addIndexes = append(td.addIndexes, "ADD "+indexDef(d.f, p.to, engine))
			}
			continue
		}
		from, to := indexDef(d.f, p.from, ft.Options.Engine), indexDef(d.f, p.to, engine)
		if sameIndexButVisibility(p.from, p.to) && !rebuild {
			clause := "ALTER INDEX " + quoteIdent(p.from.Name) + " " + visibleKeyword(d.f)
			if p.to.Invisible {
				clause = "ALTER INDEX " + quoteIdent(p.from.Name) + " " + invisibleKeyword(d.f)
			}
			td.addIndexes = append(td.addIndexes, clause)
			d.add(Change{Kind: KindIndex, Change: Different, Table: tt.Name, Name: p.to.Name, From: from, To: to,
				Fix: alterFix(tt.Name, clause)})
			continue
		}
		drop, add := dropIndex(p.from), "ADD "+to
		td.dropIndexes = append(td.dropIndexes, drop)
		td.addIndexes = append(td.addIndexes, add)
		d.add(Change{Kind: KindIndex, Change: Different, Table: tt.Name, Name: p.to.Name, From: from, To: to,
			Fix: alterFix(tt.Name, drop, add)})
	}
	for _, x := range extra {
		drop := dropIndex(x)
		td.dropIndexes = append(td.dropIndexes, drop)
		d.add(Change{Kind: KindIndex, Change: Extra, Table: tt.Name, Name: x.Name, From: indexDef(d.f, x, ft.Options.Engine),
			Fix: alterFix(tt.Name, drop)})
	}
	for _, x := range missing {
		def := indexDef(d.f, x, engine)
		td.addIndexes = append(td.addIndexes, "ADD "+def)
		d.add(Change{Kind: KindIndex, Change: Missing, Table: tt.Name, Name: x.Name, To: def,
			Fix: alterFix(tt.Name, "ADD "+def)})
	}
}

func dropIndex(x *Index) string {
	if x.Primary {
		return "DROP PRIMARY KEY"
	}
	return "DROP INDEX " + quoteIdent(x.Name)
}

func (d *differ) compareForeignKeys(td *tableDiff, ft, tt *Table) {
	pairs, extra, missing := matchObjects(ft.ForeignKeys, tt.ForeignKeys, fkMatcher())
	drop := func(fk *ForeignKey) string {
		return alterTable(tt.Name, []string{"DROP FOREIGN KEY " + quoteIdent(fk.Name)})
	}
	add := func(fk *ForeignKey) string { return alterTable(tt.Name, []string{"ADD " + fkDef(fk)}) }
	for _, p := range pairs {
		if sameFK(p.from, p.to) {
			td.fkPairs = append(td.fkPairs, p)
			continue
		}
		// Two statements: MySQL refuses to drop and add a foreign key of the same name in one.
		d.script.dropFK(d.origName(ft.Name), p.from)
		d.script.addFK(tt.Name, p.to)
		d.add(Change{Kind: KindForeignKey, Change: Different, Table: tt.Name, Name: p.to.Name,
			From: fkDef(p.from), To: fkDef(p.to), Fix: []string{drop(p.from), add(p.to)}})
	}
	for _, fk := range extra {
		d.script.dropFK(d.origName(ft.Name), fk)
		d.add(Change{Kind: KindForeignKey, Change: Extra, Table: tt.Name, Name: fk.Name, From: fkDef(fk),
			Fix: []string{drop(fk)}})
	}
	for _, fk := range missing {
		d.script.addFK(tt.Name, fk)
		d.add(Change{Kind: KindForeignKey, Change: Missing, Table: tt.Name, Name: fk.Name, To: fkDef(fk),
			Fix: []string{add(fk)}})
	}
}

// compareOptions compares the table options; the AUTO_INCREMENT counter never counts.
// Partitioning is not modelled: a table partitioned in one state only is reported, with no
// statement to fix it.
func (d *differ) compareOptions(td *tableDiff, ft, tt *Table) {
	fo, to := ft.Options, tt.Options
	var clauses []string
	if !strings.EqualFold(fo.Engine, to.Engine) && to.Engine != "" {
		clauses = append(clauses, "ENGINE="+to.Engine)
	}
	fcs, tcs := fo.Charset, to.Charset
	if fcs == "" {
		fcs = charsetOf(fo.Collation)
	}
	if tcs == "" {
		tcs = charsetOf(to.Collation)
	}
	if (!strings.EqualFold(fcs, tcs) || !strings.EqualFold(fo.Collation, to.Collation)) && tcs != "" {
		c := "DEFAULT CHARSET=" + tcs
		if to.Collation != "" {
			c += " COLLATE=" + to.Collation
		}
		clauses = append(clauses, c)
	}
	if !strings.EqualFold(fo.RowFormat, to.RowFormat) {
		rf := to.RowFormat
		if rf == "" {
			rf = "DEFAULT"
		}
		clauses = append(clauses, "ROW_FORMAT="+rf)
	}
	if fo.Comment != to.Comment {
		clauses = append(clauses, "COMMENT="+QuoteString(to.Comment))
	}
	clauses = append(clauses, createOptionChanges(fo.CreateOptions, to.CreateOptions)...)
	if len(clauses) == 0 && fo.Partitioned == to.Partitioned {
		return
	}
	td.options = clauses
	var fix []string
	if len(clauses) > 0 {
		fix = alterFix(tt.Name, strings.Join(clauses, " "))
	}
	if d.f.IsMariaDB() && strings.EqualFold(fo.Engine, "Aria") && !strings.EqualFold(to.Engine, "Aria") {
		// A table leaving Aria keeps Aria's implicit PAGE_CHECKSUM=1 as an explicit option, and
		// resetting it in the same ALTER has no effect: it takes a second statement.
		if _, ok := parseCreateOptions(to.CreateOptions)["page_checksum"]; !ok {
			td.followUp = append(td.followUp, alterTable(tt.Name, []string{"PAGE_CHECKSUM=DEFAULT"}))
			fix = append(fix, td.followUp...)
		}
	}
	d.add(Change{Kind: KindTableOptions, Change: Different, Table: tt.Name,
		From: optionsFragment(fo), To: optionsFragment(to), Fix: fix})
}

// optionsFragment writes the options for a Change, marking a partitioned table.
func optionsFragment(o TableOptions) string {
	s := strings.Join(optionClauses(o), " ")
	if o.Partitioned {
		s += " /* partitioned; partitioning is not compared */"
	}
	return strings.TrimSpace(s)
}

// createOptionChanges writes the clauses that turn one CREATE_OPTIONS list into another: the
// options to set as they are, the ones to remove reset to their default.
func createOptionChanges(from, to string) []string {
	fromOpts, toOpts := parseCreateOptions(from), parseCreateOptions(to)
	var clauses []string
	for _, name := range sortedKeys(toOpts) {
		if fromOpts[name] != toOpts[name] {
			clauses = append(clauses, toOpts[name])
		}
	}
	for _, name := range sortedKeys(fromOpts) {
		if _, ok := toOpts[name]; !ok {
			clauses = append(clauses, resetCreateOption(fromOpts[name]))
		}
	}
	return clauses
}

// parseCreateOptions splits CREATE_OPTIONS into options keyed by lower-case name.
func parseCreateOptions(s string) map[string]string {
	m := map[string]string{}
	for _, opt := range strings.Fields(s) {
		name, _, _ := strings.Cut(opt, "=")
		m[strings.ToLower(strings.Trim(name, "`"))] = opt
	}
	return m
}

// resetCreateOption writes the clause that removes an option from CREATE_OPTIONS: numeric
// options that mean "unset" at 0, DEFAULT for the rest (STATS_*, PACK_KEYS, MariaDB's
// engine-defined options such as page_compressed).
func resetCreateOption(opt string) string {
	name, _, _ := strings.Cut(opt, "=")
	switch strings.ToLower(strings.Trim(name, "`")) {
	case "min_rows", "max_rows", "avg_row_length", "checksum", "delay_key_write", "key_block_size":
		return name + "=0"
	}
	return name + "=DEFAULT"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
