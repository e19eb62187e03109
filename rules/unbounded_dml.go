package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func unboundedDMLRule() *Rule {
	return &Rule{
		ID:        finding.UnboundedDML,
		Severity:  finding.Error,
		Summary:   "an UPDATE or DELETE goes through a big table in one statement",
		Statement: checkUnboundedDML,
		Doc: `Catches: an UPDATE or DELETE of a deployed table configured with at least 1,000,000 rows in
production (tables: {<table>: {rows: N}}) that has no LIMIT and no WHERE condition an index
can bound: no WHERE at all, a constant one (WHERE 1 = 1), or one on columns that lead no
index of the table.

Why it matters: the statement is one transaction over the whole table. It locks every row it
reads (InnoDB locks what it scans, not only what it changes), so the running application's
writes to the table wait or time out (1205) for as long as it runs; the undo log grows with
every row; and replicas apply it as one event after the primary finished it, so they lag by
its whole duration. A failure or a kill part way rolls everything back, which takes as long
again.

How to do it safely: change the rows in batches of a few thousand by primary key, each its own
transaction, outside the migration or in a loop that commits between batches:
  UPDATE events SET archived = 1 WHERE id BETWEEN 1 AND 5000 AND archived = 0;   -- and so on
or with a LIMIT repeated until it changes no row. Tables without a configured row count are
not judged.

Example:
  bad:  UPDATE events SET archived = 1;                 -- 40,000,000 rows
  good: UPDATE events SET archived = 1 WHERE id BETWEEN ? AND ? ;   -- batches of 5,000`,
	}
}

func checkUnboundedDML(ctx *Context) []finding.Finding {
	st := statementFacts(ctx)
	if st == nil || st.Rows == nil || st.Rows.Limited {
		return nil
	}
	verb := st.Rows.Verb
	var out []finding.Finding
	for _, table := range st.Rows.Tables {
		t := ctx.deployedTable(table)
		rows, known := ctx.rows(table)
		if t == nil || !known || rows < bigTable || boundedBy(st.Rows.Compared, t) {
			continue
		}
		pk := "id"
		if k := t.PrimaryKey(); k != nil && len(k.Columns()) > 0 {
			pk = k.Columns()[0]
		}
		out = append(out, finding.Finding{
			Rule:     finding.UnboundedDML,
			Severity: finding.Error,
			Message: fmt.Sprintf("This %s goes through %s (%d rows in production) in one statement, with no LIMIT and no WHERE an index can bound: one transaction that locks the rows it scans while the application writes to them, and that replicas apply only after it finished.",
				verb, schema.QuoteIdent(t.Name), rows),
			Fix: fmt.Sprintf("Change the rows in batches, each its own transaction: add a range of the primary key (WHERE %s BETWEEN <from> AND <from + 4999> AND …) and repeat it over the table, or add LIMIT 5000 and repeat until no row changes — from a script or job rather than one migration statement.",
				schema.QuoteIdent(pk)),
			Table: t.Name,
		})
	}
	return out
}

// boundedBy reports whether a WHERE condition can be bounded by an index of t: one of the
// columns its top-level AND terms compare with something other than a column (=, IN, BETWEEN,
// <, <=, >, >=, IS NULL; facts.RowChange.Compared) leads an index of t.
func boundedBy(compared []string, t *schema.Table) bool {
	for _, col := range compared {
		if leadsIndex(t, col) {
			return true
		}
	}
	return false
}

func leadsIndex(t *schema.Table, column string) bool {
	for _, x := range t.Indexes {
		if len(x.Parts) > 0 && strings.EqualFold(x.Parts[0].Column, column) {
			return true
		}
	}
	return false
}
