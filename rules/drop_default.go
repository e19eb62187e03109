package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func dropDefaultRule() *Rule {
	return &Rule{
		ID:        finding.DropDefault,
		Severity:  finding.Error,
		Summary:   "the DEFAULT of a deployed NOT NULL column is removed",
		Statement: checkDropDefault,
		Doc: `Catches: an ALTER TABLE after which a deployed column that was NOT NULL with a DEFAULT is
still NOT NULL but has no DEFAULT: ALTER COLUMN … DROP DEFAULT, or a MODIFY/CHANGE that
restates the column without its DEFAULT (a common slip: MODIFY rewrites the whole column).
A column that also becomes NOT NULL is tighten-not-null's.

Why it breaks the old application: the running release may rely on the default and leave the
column out of its INSERTs; without a default each such INSERT fails with 1364 (field doesn't
have a default value).

How to do it safely: keep the DEFAULT (restate it in MODIFY); when the goal is to make the
application supply the value, release the application that names the column in every INSERT
first, then drop the default in a later migration.

Example:
  bad:  ALTER TABLE orders MODIFY COLUMN status varchar(20) NOT NULL;   -- had DEFAULT 'new'
  good: ALTER TABLE orders MODIFY COLUMN status varchar(32) NOT NULL DEFAULT 'new';`,
	}
}

func checkDropDefault(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, p := range ctx.alteredColumns() {
		b, a := p.Before, p.After
		if b.Nullable || a.Nullable || b.Default == nil || a.Default != nil || a.AutoIncrement || a.Generated != nil {
			continue
		}
		out = append(out, finding.Finding{
			Rule:     finding.DropDefault,
			Severity: finding.Error,
			Message: fmt.Sprintf("Column %s.%s loses its DEFAULT %s while it stays NOT NULL, so the deployed application's INSERTs that omit it fail with error 1364.",
				schema.QuoteIdent(p.Table), schema.QuoteIdent(b.Name), *b.Default),
			Fix:        PlanKeepDefault(ctx.planSchema(), p.BeforeTable, b, a).Text(ctx.Script),
			Table:      p.Table,
			ColumnName: b.Name,
		})
	}
	return out
}
