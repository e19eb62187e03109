package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func addForeignKeyRule() *Rule {
	return &Rule{
		ID:        AddForeignKey,
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
	alt := alterOf(ctx)
	if alt == nil {
		return nil
	}
	table := tableName(alt.Table)
	dt := ctx.deployedTable(table)
	bt, at := tableIn(ctx.Before, table), tableIn(ctx.After, alterTarget(alt))
	if dt == nil || bt == nil || at == nil {
		return nil
	}
	var out []finding.Finding
	for _, fk := range at.ForeignKeys {
		if fk == nil || hasForeignKey(bt, fk.Name) || !allColumnsIn(dt, fk.Columns) {
			continue
		}
		out = append(out, finding.Finding{
			Rule:     AddForeignKey,
			Severity: finding.Warning,
			Message: fmt.Sprintf("Foreign key %s from %s.(%s) to %s.(%s) is added to a table that holds data: orphan rows make the ALTER fail, it copies the table while blocking writes unless run in place, and the deployed application's writes of orphans or deletes of referenced rows start failing (1452, 1451).",
				qi(fk.Name), qi(table), qis(fk.Columns), qi(fk.RefTable), qis(fk.RefColumns)),
			Fix:        PlanAddForeignKey(table, fk).Text(),
			Table:      table,
			ColumnName: strings.Join(fk.Columns, ","),
		})
	}
	return out
}

func hasForeignKey(t *schema.Table, name string) bool {
	for _, fk := range t.ForeignKeys {
		if fk != nil && strings.EqualFold(fk.Name, name) {
			return true
		}
	}
	return false
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
	parent := qi(fk.RefTable)
	if fk.RefSchema != "" {
		parent = qi(fk.RefSchema) + "." + parent
	}
	var on, given []string
	for i, c := range fk.Columns {
		on = append(on, fmt.Sprintf("p.%s = c.%s", qi(fk.RefColumns[i]), qi(c)))
		// A foreign key is not checked for a row with a NULL in any of its columns (MATCH SIMPLE).
		given = append(given, fmt.Sprintf("c.%s IS NOT NULL", qi(c)))
	}
	orphans := fmt.Sprintf("SELECT c.* FROM %s AS c LEFT JOIN %s AS p ON %s WHERE %s AND p.%s IS NULL LIMIT 100",
		qi(table), parent, strings.Join(on, " AND "), strings.Join(given, " AND "), qi(fk.RefColumns[0]))
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
					fmt.Sprintf("ALTER TABLE %s ADD %s, ALGORITHM=INPLACE, LOCK=NONE", qi(table), fkConstraint(fk.Name, fk.Columns, fk)),
					"SET SESSION foreign_key_checks = 1",
				},
			},
		},
	}
}
