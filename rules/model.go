package rules

import (
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// This file reads the models a Context carries. Every model may be nil or lack a table (the
// checker could not introspect it, a test built a small context), and the rules must then find
// nothing rather than panic.

// tableIn returns the named table of s, or nil.
func tableIn(s *schema.Schema, name string) *schema.Table {
	if s == nil || name == "" {
		return nil
	}
	return s.Table(name)
}

// columnIn returns the named column of t, or nil.
func columnIn(t *schema.Table, name string) *schema.Column {
	if t == nil || name == "" {
		return nil
	}
	return t.Column(name)
}

// deployedTable returns the table as the deployed application knows it, or nil when it does not
// exist there: then it was created by the change and has no old readers.
func (ctx *Context) deployedTable(name string) *schema.Table {
	return tableIn(ctx.Deployed, name)
}

// rows returns the configured production row count of a table, and whether it is configured.
// The configuration's table names are matched case-insensitively, like the models' names.
func (ctx *Context) rows(table string) (int64, bool) {
	if tc, ok := ctx.Tables[table]; ok {
		return tc.Rows, true
	}
	for name, tc := range ctx.Tables {
		if strings.EqualFold(name, table) {
			return tc.Rows, true
		}
	}
	return 0, false
}

// planSchema is the schema a fix is written against: the deployed one, which has every table
// (a plan looks for foreign keys that reference the table it changes), else the state before
// the statement. Its flavour decides the SQL's dialect; rendering accepts a nil schema.
func (ctx *Context) planSchema() *schema.Schema {
	if ctx.Deployed != nil {
		return ctx.Deployed
	}
	return ctx.Before
}

// columnPair is one deployed column as it was before a statement and as it is after it.
type columnPair struct {
	Table         string // the table's name before the statement
	BeforeTable   *schema.Table
	AfterTable    *schema.Table
	Before, After *schema.Column
}

// alteredColumns pairs the deployed columns of each deployed table the statement changed, as
// they were before and after it (TableChanges: the models decide what changed, the text only
// adds renames). Columns the statement drops, and columns the deployed application does not
// know, are left out.
func (ctx *Context) alteredColumns() []columnPair {
	var out []columnPair
	for _, c := range ctx.deployedChanges() {
		out = append(out, c.columnPairs()...)
	}
	return out
}
