package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func dropColumnRule() *Rule {
	return &Rule{
		ID:        finding.DropColumn,
		Severity:  finding.Error,
		Summary:   "a deployed column is dropped before the application stopped using it",
		Statement: checkDropColumn,
		Doc: `Catches: ALTER TABLE … DROP COLUMN on a column the deployed application knows, unless the
column (or its table) is listed under deprecated: in .schema-guard.yaml at the base ref. A
column added in the same change is free to drop.

Why it breaks the old application: the running release still names the column, and every
statement that does fails with 1054 (unknown column) once the drop commits, including
SELECTs of an ORM that lists every mapped column. The data is gone for good, so a rollback of
the application does not help either.

How to do it safely (three releases):
  1. release the application that no longer reads or writes the column (if the column is
     NOT NULL without a default, make it nullable first, or that release cannot INSERT);
  2. list it under deprecated: in .schema-guard.yaml and merge that: the listing at the base
     ref is the proof that the deployed release no longer uses it;
  3. drop it in a later migration.
Listing it in the same pull request that drops it does not count.

Example:
  bad:  ALTER TABLE users DROP COLUMN surname;   -- surname not deprecated at the base ref
  good: # .schema-guard.yaml, merged and deployed first
        deprecated:
          - users.surname
        -- then:
        ALTER TABLE users DROP COLUMN surname;`,
	}
}

func checkDropColumn(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.deployedChanges() {
		table := tc.Name
		for _, bc := range tc.DroppedColumns() {
			c := columnIn(tc.Deployed, bc.Name)
			if c == nil || ctx.Deprecated.Column(table, bc.Name) {
				continue
			}
			out = append(out, finding.Finding{
				Rule:     finding.DropColumn,
				Severity: finding.Error,
				Message: fmt.Sprintf("Dropping column %s.%s breaks the deployed application, which still uses it (it is not listed under deprecated: at the base ref).",
					schema.QuoteIdent(table), schema.QuoteIdent(bc.Name)),
				Fix:        PlanDropColumn(ctx.planSchema(), tc.Before, bc).Text(ctx.Script),
				Table:      table,
				ColumnName: bc.Name,
			})
		}
	}
	return out
}
