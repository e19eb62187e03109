package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func addForeignKeyRule() *Rule {
	return &Rule{
		ID:        finding.AddForeignKey,
		Severity:  finding.Warning,
		Summary:   "a foreign key is added to a table that holds data",
		Statement: checkAddForeignKey,
		Doc: `Catches: ALTER TABLE … ADD [CONSTRAINT] FOREIGN KEY on a deployed table, over columns that
exist in the deployed state. Foreign keys of tables created in the same change are fine.

Why it matters: the server validates every existing row against the parent table, so
orphans make the ALTER fail (1452) — in production, even when it passed on test data. With
foreign_key_checks on, MySQL adds a foreign key only by copying the table (ALGORITHM=COPY):
writes wait for the whole copy, and the parent table is locked against DDL meanwhile.
Afterwards the running release's writes that used to work fail: an INSERT of an orphan (1452),
a DELETE of a parent that still has children (1451), unless the key cascades.

How to do it safely:
  1. find the orphans with the fix's query; fix or delete them;
  2. release the application that writes no orphans and deletes children first;
  3. add the key in place without the copy: SET foreign_key_checks = 0 skips the validation
     (step 1 did it), so ALGORITHM=INPLACE, LOCK=NONE is accepted; set it back after.
     gh-ost does not support foreign keys; pt-online-schema-change needs
     --alter-foreign-keys-method.

Example:
  risky: ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id)
           REFERENCES users (id);
  first: SELECT o.* FROM orders AS o LEFT JOIN users AS p ON p.id = o.user_id
         WHERE o.user_id IS NOT NULL AND p.id IS NULL LIMIT 100;`,
	}
}

func checkAddForeignKey(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.deployedChanges() {
		if tc.After == nil {
			continue
		}
		table := tc.Name
		for _, fk := range tc.After.ForeignKeys {
			// A key the table had before, or when deployed (dropped and added again over the
			// same columns), is nothing new.
			if fk == nil || sameForeignKeyIn(tc.Before, fk) || sameForeignKeyIn(tc.Deployed, fk) {
				continue
			}
			f := finding.Finding{
				Rule:       finding.AddForeignKey,
				Severity:   finding.Warning,
				Fix:        PlanAddForeignKey(table, fk).Text(ctx.Script),
				Table:      table,
				ColumnName: strings.Join(fk.Columns, ","),
			}
			switch {
			case allColumnsIn(tc.Deployed, fk.Columns):
				f.Message = fmt.Sprintf("Foreign key %s from %s.(%s) to %s.(%s) is added to a table that holds data: orphan rows make the ALTER fail, it copies the table while blocking writes unless run in place, and the deployed application's writes of orphans or deletes of referenced rows start failing (1452, 1451).",
					schema.QuoteIdent(fk.Name), schema.QuoteIdent(table), qis(fk.Columns), schema.QuoteIdent(fk.RefTable), qis(fk.RefColumns))
			case parentDeletesFail(ctx, fk):
				// Over a column the change adds: no existing row is checked, but once the new
				// application writes rows that reference a parent, the deployed application's
				// DELETE of that parent fails.
				f.Message = fmt.Sprintf("Foreign key %s from %s.(%s) to %s.(%s) is added over a new column: once rows reference a parent, the deployed application's DELETE of that %s row fails with error 1451 (ON DELETE %s), where it used to succeed.",
					schema.QuoteIdent(fk.Name), schema.QuoteIdent(table), qis(fk.Columns), schema.QuoteIdent(fk.RefTable), qis(fk.RefColumns), schema.QuoteIdent(fk.RefTable), onDelete(fk))
				f.Fix = planNewColumnForeignKey(table, fk).Text(ctx.Script)
			default:
				continue
			}
			out = append(out, f)
		}
	}
	return out
}

// sameForeignKeyIn reports whether t has a foreign key over the same columns to the same
// columns of the same table, whatever its name (the server names unnamed keys itself).
func sameForeignKeyIn(t *schema.Table, fk *schema.ForeignKey) bool {
	if t == nil {
		return false
	}
	for _, old := range t.ForeignKeys {
		if old != nil && strings.EqualFold(old.RefTable, fk.RefTable) && strings.EqualFold(old.RefSchema, fk.RefSchema) &&
			equalFoldAll(old.Columns, fk.Columns) && equalFoldAll(old.RefColumns, fk.RefColumns) {
			return true
		}
	}
	return false
}

func equalFoldAll(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// parentDeletesFail reports whether the deployed application deletes rows of fk's parent table
// (it is deployed, in this database) and the key makes such a DELETE fail rather than cascade.
func parentDeletesFail(ctx *Context, fk *schema.ForeignKey) bool {
	if fk.RefSchema != "" || ctx.deployedTable(fk.RefTable) == nil || ctx.Deprecated.Table(fk.RefTable) {
		return false
	}
	switch strings.ToUpper(fk.OnDelete) {
	case "CASCADE", "SET NULL", "SET DEFAULT":
		return false
	}
	return true
}

func onDelete(fk *schema.ForeignKey) string {
	if fk.OnDelete == "" {
		return "RESTRICT"
	}
	return strings.ToUpper(fk.OnDelete)
}

// planNewColumnForeignKey is how to add a foreign key over a new column without breaking the
// deployed application's deletes of parent rows.
func planNewColumnForeignKey(table string, fk *schema.ForeignKey) Plan {
	return Plan{
		Summary: "Add the foreign key only once the deployed application deletes child rows before their parent:",
		Phases: []Phase{
			{Title: fmt.Sprintf("Add the column without the foreign key, and release the application that deletes (or re-points) the %s rows referencing a %s row before deleting it", schema.QuoteIdent(table), schema.QuoteIdent(fk.RefTable))},
			{Title: "Add the foreign key in a later migration (its plan: find orphans, then add it in place)"},
			{Title: fmt.Sprintf("Or declare what a parent's deletion does: ON DELETE CASCADE or ON DELETE SET NULL, if that is what %s rows should do", schema.QuoteIdent(table))},
		},
	}
}

func allColumnsIn(t *schema.Table, cols []string) bool {
	for _, c := range cols {
		if t.Column(c) == nil {
			return false
		}
	}
	return len(cols) > 0
}

// PlanAddForeignKey is the safe addition of foreign key fk to table: find the orphans, release
// an application that respects the key, then add it in place with the validation already done.
func PlanAddForeignKey(table string, fk *schema.ForeignKey) Plan {
	if fk == nil || len(fk.Columns) == 0 || len(fk.Columns) != len(fk.RefColumns) {
		return Plan{}
	}
	parent := schema.QuoteIdent(fk.RefTable)
	if fk.RefSchema != "" {
		parent = schema.QuoteIdent(fk.RefSchema) + "." + parent
	}
	var on, given []string
	for i, c := range fk.Columns {
		on = append(on, fmt.Sprintf("p.%s = c.%s", schema.QuoteIdent(fk.RefColumns[i]), schema.QuoteIdent(c)))
		// A foreign key is not checked for a row with a NULL in any of its columns (MATCH SIMPLE).
		given = append(given, fmt.Sprintf("c.%s IS NOT NULL", schema.QuoteIdent(c)))
	}
	orphans := fmt.Sprintf("SELECT c.* FROM %s AS c LEFT JOIN %s AS p ON %s WHERE %s AND p.%s IS NULL LIMIT 100",
		schema.QuoteIdent(table), parent, strings.Join(on, " AND "), strings.Join(given, " AND "), schema.QuoteIdent(fk.RefColumns[0]))
	return Plan{
		Summary: "Add the foreign key only once the data and the deployed application respect it, and without copying the table:",
		Phases: []Phase{
			{Title: "Find the orphan rows, and fix or delete them", SQL: []string{orphans}},
			{Title: "Release the application that writes no orphans and deletes child rows before their parent"},
			{
				Title: "Add the key in place: a later migration",
				Notes: []string{"With foreign_key_checks off the server skips validating the existing rows (step 1 did) and can add the key in place, without blocking writes; with it on, MySQL copies the whole table."},
				SQL: []string{
					"SET SESSION foreign_key_checks = 0",
					fmt.Sprintf("ALTER TABLE %s ADD %s, ALGORITHM=INPLACE, LOCK=NONE", schema.QuoteIdent(table), fkConstraint(fk.Name, fk.Columns, fk)),
					"SET SESSION foreign_key_checks = 1",
				},
			},
		},
	}
}
