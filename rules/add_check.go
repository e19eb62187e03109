package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func addCheckRule() *Rule {
	return &Rule{
		ID:        finding.AddCheck,
		Severity:  finding.Warning,
		Summary:   "a CHECK constraint is added to a table that holds data",
		Statement: checkAddCheck,
		Doc: `Catches: an ALTER TABLE after which a deployed table has an enforced CHECK constraint it did
not have: ADD CONSTRAINT … CHECK, a column-level CHECK on an existing column, or MariaDB's
JSON type given to an existing column (a json_valid check). Checks on columns added in the
same change, and MySQL's NOT ENFORCED checks, are fine.

Why it matters: the server checks every existing row, so one violating row makes the ALTER
fail (MySQL 3819, MariaDB 4025) — in production, even when it passed on test data — and the
check is added by copying the table. Afterwards the running release's INSERTs and UPDATEs
that violate it fail where they used to succeed.

How to do it safely:
  1. find the violating rows with the fix's query (a row whose expression is NULL passes);
     fix them;
  2. release the application that never writes such rows;
  3. add the constraint in a later migration.

Example:
  risky: ALTER TABLE order_items ADD CONSTRAINT chk_qty CHECK (qty > 0);
  first: SELECT COUNT(*) FROM order_items WHERE NOT (qty > 0);`,
	}
}

func checkAddCheck(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.deployedChanges() {
		if tc.After == nil {
			continue
		}
		for _, c := range tc.After.Checks {
			// A check the table had when deployed, dropped and added again, is nothing new.
			if c == nil || !c.Enforced || hasCheck(tc.Before, c) || hasCheck(tc.Deployed, c) || (c.Column != "" && tc.Deployed.Column(c.Column) == nil) {
				continue
			}
			out = append(out, finding.Finding{
				Rule:     finding.AddCheck,
				Severity: finding.Warning,
				Message: fmt.Sprintf("CHECK constraint %s (%s) is added to table %s, which holds data: a violating row makes the ALTER fail, and the deployed application's writes that violate it start failing.",
					schema.QuoteIdent(c.Name), c.Expr, schema.QuoteIdent(tc.Name)),
				Fix:        PlanAddCheck(tc.Name, c).Text(ctx.Script),
				Table:      tc.Name,
				ColumnName: c.Column,
			})
		}
	}
	return out
}

// hasCheck reports whether t has an enforced check of the same name (MariaDB names a column's
// check after the column) and expression.
func hasCheck(t *schema.Table, c *schema.Check) bool {
	if t == nil {
		return false
	}
	// By expression: a check dropped and added again under another name (or the server's
	// generated one) enforces nothing new.
	for _, old := range t.Checks {
		if old != nil && old.Enforced && old.Expr == c.Expr {
			return true
		}
	}
	return false
}

// PlanAddCheck is the safe addition of check c to table: find the violating rows, release an
// application that writes none, then add the check.
func PlanAddCheck(table string, c *schema.Check) Plan {
	if c == nil {
		return Plan{}
	}
	return Plan{
		Summary: "Add the constraint only once the data and the deployed application respect it:",
		Phases: []Phase{
			{
				Title: "Find the violating rows, and fix them (a row whose expression is NULL passes)",
				SQL:   []string{fmt.Sprintf("SELECT COUNT(*) AS violations FROM %s WHERE NOT (%s)", schema.QuoteIdent(table), c.Expr)},
			},
			{Title: "Release the application that never writes a row the constraint rejects"},
			{
				Title: "Add the constraint in a later migration",
				SQL:   []string{fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s)", schema.QuoteIdent(table), schema.QuoteIdent(c.Name), c.Expr)},
			},
		},
	}
}
