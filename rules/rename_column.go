package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func renameColumnRule() *Rule {
	return &Rule{
		ID:        finding.RenameColumn,
		Severity:  finding.Error,
		Summary:   "a deployed column is renamed (RENAME COLUMN, CHANGE to another name)",
		Statement: checkRenameColumn,
		Doc: `Catches: ALTER TABLE … RENAME COLUMN a TO b, and CHANGE COLUMN a b … (CHANGE to another
name), on a column the deployed application knows. A column added in the same change is
free to rename; so is a column listed under deprecated: at the base ref.

Why it breaks the old application: the running release names the old column in its SELECTs,
INSERTs and UPDATEs. The moment the rename commits, each of them fails with 1054 (unknown
column), and during a rolling deploy the old and the new release run at the same time, so no
single name can serve both.

How to do it safely (expand/contract, three releases):
  1. expand: add the new column (nullable), triggers that copy writes from either column into
     the other, a batched backfill, copies of the old column's indexes;
  2. switch: release the application that uses the new column; then list table.old under
     deprecated: in .schema-guard.yaml;
  3. contract: drop the triggers and the old column, give the new column its final definition.
The finding's fix has the SQL of every step for the table and column.

Example:
  bad:  ALTER TABLE users RENAME COLUMN surname TO last_name;
  good: ALTER TABLE users ADD COLUMN last_name varchar(50) NULL AFTER surname;
        -- + sync triggers and backfill (see the fix), release, deprecate users.surname,
        -- then later: DROP TRIGGER …; ALTER TABLE users DROP COLUMN surname, MODIFY last_name …;`,
	}
}

func checkRenameColumn(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.deployedChanges() {
		table := tc.Name
		for _, r := range tc.ColumnRenames() {
			from, to := r[0], r[1]
			if columnIn(tc.Deployed, from) == nil || ctx.Deprecated.Column(table, from) {
				continue
			}
			fromCol := columnIn(tc.Before, from)
			toCol := columnIn(tc.After, to)
			if toCol == nil {
				c := *fromCol
				c.Name = to
				toCol = &c
			}
			out = append(out, finding.Finding{
				Rule:     finding.RenameColumn,
				Severity: finding.Error,
				Message: fmt.Sprintf("Renaming column %s.%s to %s breaks the deployed application, which still reads and writes %s (error 1054, unknown column).",
					schema.QuoteIdent(table), schema.QuoteIdent(from), schema.QuoteIdent(to), schema.QuoteIdent(from)),
				Fix:        PlanRenameColumn(ctx.planSchema(), tc.Before, fromCol, toCol).Text(ctx.Script),
				Table:      table,
				ColumnName: from,
			})
		}
	}
	return out
}
