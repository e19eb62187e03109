package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func renameTableRule() *Rule {
	return &Rule{
		ID:        finding.RenameTable,
		Severity:  finding.Error,
		Summary:   "a deployed table is renamed (RENAME TABLE, ALTER TABLE … RENAME)",
		Statement: checkRenameTable,
		Doc: `Catches: RENAME TABLE a TO b (each pair whose old table is deployed) and ALTER TABLE a
RENAME [TO|AS] b. A table created in the same change is free to rename; so is a table listed
under deprecated: at the base ref (that is the contract step of a rename done right).

Why it breaks the old application: every query of the running release names the old table and
fails with 1146 (table doesn't exist) the moment the rename commits; during a rolling deploy
old and new releases run together, so neither name alone serves both.

How to do it safely (three releases):
  1. expand: CREATE VIEW new AS SELECT * FROM old — a view over one table is updatable, so the
     new name reads and writes the same rows;
  2. switch: release the application that uses the new name; then list the old table under
     deprecated: in .schema-guard.yaml;
  3. contract: RENAME TABLE new TO tmp, old TO new; DROP VIEW tmp — one atomic statement puts
     the table under the new name, so no query ever finds it missing.
Make no column change to the table between steps 1 and 3: the view lists the columns it had.

Example:
  bad:  RENAME TABLE orders TO purchases;
  good: CREATE VIEW purchases AS SELECT * FROM orders;
        -- release, deprecate orders, then later:
        RENAME TABLE purchases TO purchases_sg_view, orders TO purchases;
        DROP VIEW purchases_sg_view;`,
	}
}

func checkRenameTable(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.deployedChanges() {
		if !tc.Renamed() || ctx.Deprecated.Table(tc.Name) {
			continue
		}
		out = append(out, finding.Finding{
			Rule:     finding.RenameTable,
			Severity: finding.Error,
			Message: fmt.Sprintf("Renaming table %s to %s breaks the deployed application, whose queries still name %s (error 1146, table doesn't exist).",
				schema.QuoteIdent(tc.Name), schema.QuoteIdent(tc.NewName), schema.QuoteIdent(tc.Name)),
			Fix:   PlanRenameTable(tc.Deployed, tc.NewName).Text(ctx.Script),
			Table: tc.Name,
		})
	}
	return out
}
