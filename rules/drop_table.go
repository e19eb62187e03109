package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func dropTableRule() *Rule {
	return &Rule{
		ID:        finding.DropTable,
		Severity:  finding.Error,
		Summary:   "a deployed table is dropped before the application stopped using it",
		Statement: checkDropTable,
		Doc: `Catches: DROP TABLE [IF EXISTS] naming a table the deployed application knows, unless it
is listed under deprecated: in .schema-guard.yaml at the base ref. Each table of the statement
is judged; tables created in the same change and temporary tables are free to drop.

Why it breaks the old application: every query of the running release that names the table
fails with 1146 (table doesn't exist) once the drop commits, and its rows are gone for good.

How to do it safely (three releases):
  1. release the application that no longer uses the table (drop the foreign keys of other
     tables that reference it);
  2. list it under deprecated: in .schema-guard.yaml and merge that;
  3. drop it in a later migration (or rename it aside first, and drop that later still).
Listing it in the same pull request that drops it does not count.

Example:
  bad:  DROP TABLE legacy_orders;   -- not deprecated at the base ref
  good: # .schema-guard.yaml, merged and deployed first
        deprecated:
          - legacy_orders
        -- then:
        DROP TABLE legacy_orders;`,
	}
}

func checkDropTable(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.deployedChanges() {
		if !tc.Dropped() || ctx.Deprecated.Table(tc.Name) {
			continue
		}
		out = append(out, finding.Finding{
			Rule:     finding.DropTable,
			Severity: finding.Error,
			Message: fmt.Sprintf("Dropping table %s breaks the deployed application, which still queries it (it is not listed under deprecated: at the base ref).",
				schema.QuoteIdent(tc.Deployed.Name)),
			Fix:   PlanDropTable(ctx.Deployed, tc.Deployed).Text(ctx.Script),
			Table: tc.Deployed.Name,
		})
	}
	return out
}
