package rules

import (
	"strings"

	"github.com/schema-guard/schema-guard/facts"
)

// This file reads what a statement's text says (package facts, read off the parser's AST by
// the migrations package): which tables it renames, which columns an ALTER renames or drops.

// statementFacts returns the statement's facts, or nil.
func statementFacts(ctx *Context) *facts.Statement {
	if ctx == nil {
		return nil
	}
	return ctx.Statement
}

// columnRenames maps the lower-case old name of each column the ALTER renames (CHANGE to
// another name, RENAME COLUMN) to its new name.
func columnRenames(alt *facts.Alter) map[string]string {
	out := map[string]string{}
	for _, r := range alt.ColumnRenames {
		out[strings.ToLower(r[0])] = r[1]
	}
	return out
}
