package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func dropViewRule() *Rule {
	return &Rule{
		ID:        finding.DropView,
		Severity:  finding.Error,
		Summary:   "a deployed view is dropped before the application stopped using it",
		Statement: checkDropView,
		Doc: `Catches: a pending statement after which a view the deployed application knows is gone
(DROP VIEW, or a statement that drops it by other means), unless the view is listed under
deprecated: in .schema-guard.yaml at the base ref. Views created in the same change are free
to drop; CREATE OR REPLACE VIEW keeps the view.

Why it breaks the old application: every query of the running release that reads the view
fails with 1146 (table doesn't exist) once the drop commits.

How to do it safely (three releases):
  1. release the application that no longer reads the view;
  2. list it under deprecated: in .schema-guard.yaml and merge that;
  3. drop it in a later migration.

Example:
  bad:  DROP VIEW active_users;   -- not deprecated at the base ref
  good: # .schema-guard.yaml, merged and deployed first
        deprecated:
          - active_users
        -- then:
        DROP VIEW active_users;`,
	}
}

func checkDropView(ctx *Context) []finding.Finding {
	if ctx.Before == nil || ctx.After == nil || ctx.Deployed == nil {
		return nil
	}
	var out []finding.Finding
	for _, v := range ctx.Before.Views {
		if ctx.Deployed.View(v.Name) == nil || ctx.After.View(v.Name) != nil || ctx.Deprecated.Table(v.Name) {
			continue
		}
		out = append(out, finding.Finding{
			Rule:     finding.DropView,
			Severity: finding.Error,
			Message: fmt.Sprintf("Dropping view %s breaks the deployed application, which still reads it (it is not listed under deprecated: at the base ref).",
				schema.QuoteIdent(v.Name)),
			Fix: Plan{
				Summary: fmt.Sprintf("Drop %s only after the application stopped reading it:", schema.QuoteIdent(v.Name)),
				Phases: []Phase{
					{Title: "Release the application that no longer reads the view"},
					deprecate(v.Name),
					{Title: "Contract: a later migration, once the deprecation is deployed", SQL: []string{"DROP VIEW " + schema.QuoteIdent(v.Name)}},
				},
			}.Text(ctx.Script),
			Table: v.Name,
		})
	}
	return out
}
