package rules

import (
	"strings"

	"github.com/schema-guard/schema-guard/facts"
	"github.com/schema-guard/schema-guard/schema"
)

// This file derives what a statement did from the models just before and just after it: the
// server is the oracle, so a rule asks the delta which tables and columns were dropped, added
// or changed, whatever the statement's text looks like — a PREPARE'd ALTER run by EXECUTE, a
// CALL of a procedure that alters tables, or syntax the parser cannot read are judged like a
// plain ALTER TABLE. The text only adds what the models cannot tell: renames (a renamed column
// looks like a dropped one and an added one), and columns dropped and added again in one
// statement (their values are gone although a column of that name remains).

// TableChange is what one statement did to one table.
type TableChange struct {
	// Name is the table's name before the statement (for a created table, its name after it),
	// NewName its name after it: the same unless the statement renamed it, "" when the table
	// no longer exists.
	Name, NewName string
	// Before and After are the table just before and just after the statement; nil where it
	// did not or no longer exists.
	Before, After *schema.Table
	// Deployed is the table as the deployed application knows it; nil for a table the pending
	// change created (also when it dropped and created it again).
	Deployed *schema.Table

	renames map[string]string // the text's column renames: lower-case old name → new name
	drops   []string          // the text's DROP COLUMN names
}

// Created reports whether the statement created the table.
func (c *TableChange) Created() bool { return c.Before == nil && c.After != nil }

// Dropped reports whether the table is gone after the statement (and was not renamed).
func (c *TableChange) Dropped() bool { return c.Before != nil && c.After == nil }

// Renamed reports whether the statement renamed the table (the same spelling is no rename:
// table names are case-sensitive on most servers).
func (c *TableChange) Renamed() bool {
	return c.Before != nil && c.After != nil && c.Name != c.NewName
}

// ColumnRenames returns the columns the statement's text renames, as old and new names.
func (c *TableChange) ColumnRenames() [][2]string {
	var out [][2]string
	if c.Before == nil {
		return nil
	}
	for _, bc := range c.Before.Columns {
		if to, ok := c.renames[strings.ToLower(bc.Name)]; ok && !strings.EqualFold(to, bc.Name) {
			out = append(out, [2]string{bc.Name, to})
		}
	}
	return out
}

// newColumnName is the name column `name` of Before has after the statement.
func (c *TableChange) newColumnName(name string) string {
	if to, ok := c.renames[strings.ToLower(name)]; ok {
		return to
	}
	return name
}

// DroppedColumns returns the columns of Before that are gone after the statement (a renamed
// column is not dropped), and the columns the text drops even where it adds a column of the
// same name again: their values are gone either way.
func (c *TableChange) DroppedColumns() []*schema.Column {
	if c.Before == nil || c.After == nil {
		return nil
	}
	var out []*schema.Column
	for _, bc := range c.Before.Columns {
		gone := columnIn(c.After, c.newColumnName(bc.Name)) == nil
		for _, d := range c.drops {
			if strings.EqualFold(d, bc.Name) {
				gone = true
			}
		}
		if gone {
			out = append(out, bc)
		}
	}
	return out
}

// AddedColumns returns the columns of After that Before lacks (a rename's new name is no added
// column).
func (c *TableChange) AddedColumns() []*schema.Column {
	if c.After == nil {
		return nil
	}
	var out []*schema.Column
	for _, ac := range c.After.Columns {
		if c.Before == nil || !c.hadColumn(ac.Name) {
			out = append(out, ac)
		}
	}
	return out
}

// hadColumn reports whether some column of Before is named name after the statement.
func (c *TableChange) hadColumn(name string) bool {
	for _, bc := range c.Before.Columns {
		if strings.EqualFold(c.newColumnName(bc.Name), name) {
			return true
		}
	}
	return false
}

// columnPairs pairs the deployed columns of the table before and after the statement, following
// the text's renames. Columns it drops, and columns the deployed application does not know,
// are left out.
func (c *TableChange) columnPairs() []columnPair {
	if c.Before == nil || c.After == nil || c.Deployed == nil {
		return nil
	}
	var out []columnPair
	for _, bc := range c.Before.Columns {
		if columnIn(c.Deployed, bc.Name) == nil {
			continue
		}
		ac := columnIn(c.After, c.newColumnName(bc.Name))
		if ac == nil {
			continue
		}
		out = append(out, columnPair{Table: c.Name, BeforeTable: c.Before, AfterTable: c.After, Before: bc, After: ac})
	}
	return out
}

// TableChanges returns what the statement did to each table of the models, deployed or not,
// in the order of the models: tables before the statement first, then those it created.
// Tables no model holds are not there; tables the statement left as they were are, and the
// rules find nothing to say about them.
func (ctx *Context) TableChanges() []*TableChange {
	if ctx.changes == nil {
		ctx.changes = ctx.tableChanges()
	}
	return ctx.changes
}

func (ctx *Context) tableChanges() []*TableChange {
	out := []*TableChange{}
	st := statementFacts(ctx)
	moved := tableMoves(st)
	renames, drops := columnEdits(st)
	var before, after []*schema.Table
	if ctx.Before != nil {
		before = ctx.Before.Tables
	}
	if ctx.After != nil {
		after = ctx.After.Tables
	}
	paired := map[*schema.Table]bool{}
	for _, bt := range before {
		newName := bt.Name
		if to, ok := moved[strings.ToLower(bt.Name)]; ok {
			newName = to
		}
		tc := &TableChange{Name: bt.Name, Before: bt, Deployed: ctx.deployedTable(bt.Name),
			renames: renames[strings.ToLower(bt.Name)], drops: drops[strings.ToLower(bt.Name)]}
		if at := tableIn(ctx.After, newName); at != nil && !paired[at] {
			tc.NewName, tc.After = at.Name, at
			paired[at] = true
		}
		out = append(out, tc)
	}
	for _, at := range after {
		if !paired[at] && tableIn(ctx.Before, at.Name) == nil {
			out = append(out, &TableChange{Name: at.Name, NewName: at.Name, After: at, Deployed: ctx.deployedTable(at.Name)})
		}
	}
	return out
}

// tableMoves maps the lower-case name of each table the statement's text renames (RENAME
// TABLE, ALTER TABLE … RENAME TO) to its name afterwards, following chains (a TO b, b TO c)
// and swaps (a TO tmp, b TO a, tmp TO b).
func tableMoves(st *facts.Statement) map[string]string {
	type pair struct{ from, to string }
	var pairs []pair
	if st != nil {
		for _, r := range st.TableRenames {
			pairs = append(pairs, pair{r[0], r[1]})
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	current := map[string]string{} // original lower-case name → current name
	for _, p := range pairs {
		moved := false
		for orig, cur := range current {
			if strings.EqualFold(cur, p.from) {
				current[orig], moved = p.to, true
			}
		}
		if _, seen := current[strings.ToLower(p.from)]; !moved && !seen {
			current[strings.ToLower(p.from)] = p.to
		}
	}
	return current
}

// columnEdits returns, per lower-case table name, the column renames and the DROP COLUMN names
// of an ALTER TABLE's text.
func columnEdits(st *facts.Statement) (renames map[string]map[string]string, drops map[string][]string) {
	if st == nil || st.Alter == nil || st.Alter.Table == "" {
		return nil, nil
	}
	table := strings.ToLower(st.Alter.Table)
	renames = map[string]map[string]string{table: columnRenames(st.Alter)}
	drops = map[string][]string{}
	if len(st.Alter.DropColumns) > 0 {
		drops[table] = st.Alter.DropColumns
	}
	return renames, drops
}

// deployedChanges returns the changes to tables the deployed application knows, as they were
// before the statement.
func (ctx *Context) deployedChanges() []*TableChange {
	var out []*TableChange
	for _, c := range ctx.TableChanges() {
		if c.Deployed != nil && c.Before != nil {
			out = append(out, c)
		}
	}
	return out
}
