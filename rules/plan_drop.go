package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// This file holds the plans that retire an object: a table's rename (its old name retires) and
// the drop of a column or a table. Each runs in three steps: make the application stop using
// the object, record that in `deprecated:`, then remove it.

// PlanRenameTable is the safe rename of table t (as deployed) to newName: an updatable view
// under the new name first, the application switch, then one atomic RENAME that puts the table
// under the new name and the view out of the way.
func PlanRenameTable(t *schema.Table, newName string) Plan {
	if t == nil || newName == "" {
		return Plan{}
	}
	old, nw := schema.QuoteIdent(t.Name), schema.QuoteIdent(newName)
	tmp := fitName(newName, "sg_view")
	return Plan{
		Summary: fmt.Sprintf("Rename %s to %s in three releases, so that every running release finds the name it uses:", old, nw),
		Phases: []Phase{
			{
				Title: "Expand: a migration of its own, deployed while the current application runs",
				Notes: []string{
					fmt.Sprintf("A view that selects every column of one table is updatable: INSERT, UPDATE and DELETE through %s reach %s, and both names see the same rows.", nw, old),
					fmt.Sprintf("The view lists the columns %s has now: change no column of %s until the contract step.", old, old),
				},
				SQL: []string{fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM %s", nw, old)},
			},
			{
				Title: "Switch: release the application, then deprecate the old name",
				Notes: []string{
					fmt.Sprintf("Release the application that uses %s only. Once no instance of the old release runs, list the old name in .schema-guard.yaml and merge that; the contract migration is allowed only once this is on the base branch:\n\ndeprecated:\n  - %s", nw, t.Name),
				},
			},
			{
				Title: "Contract: a later migration, once the deprecation is deployed",
				Notes: []string{
					fmt.Sprintf("One RENAME TABLE swaps both names atomically: no query ever finds %s missing. Triggers and foreign keys follow the table.", nw),
				},
				SQL: []string{
					fmt.Sprintf("RENAME TABLE %s TO %s, %s TO %s", nw, schema.QuoteIdent(tmp), old, nw),
					"DROP VIEW " + schema.QuoteIdent(tmp),
				},
			},
		},
	}
}

// PlanDropColumn is the safe drop of column c of table t (as deployed).
func PlanDropColumn(s *schema.Schema, t *schema.Table, c *schema.Column) Plan {
	if t == nil || c == nil {
		return Plan{}
	}
	tn, cn := schema.QuoteIdent(t.Name), schema.QuoteIdent(c.Name)
	release := Phase{
		Title: "Release the application that no longer reads or writes the column",
		Notes: []string{fmt.Sprintf("Remove every use of %s.%s from the application (queries, ORM mappings, SELECT *) and release it.", tn, cn)},
	}
	if !c.Nullable && c.Default == nil && !c.AutoIncrement && c.Generated == nil {
		// Without this the new release cannot INSERT at all: the column is NOT NULL, has no
		// default, and the release no longer names it.
		relaxed := *c
		relaxed.Nullable = true
		release.Title = "Relax the column, then release the application that no longer uses it"
		release.Notes = append([]string{fmt.Sprintf("%s is NOT NULL without a default, so an application that stops writing it cannot insert: make it nullable first (the deployed application is not affected).", cn)}, release.Notes...)
		release.SQL = []string{fmt.Sprintf("ALTER TABLE %s MODIFY COLUMN %s", tn, s.ColumnDefinition(t, &relaxed))}
	}
	drop := Phase{
		Title: "Contract: a later migration, once the deprecation is deployed",
		SQL:   []string{fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", tn, cn)},
	}
	for _, x := range t.Indexes {
		if x == nil || len(x.Parts) < 2 || !x.Unique || !containsFold(x.Columns(), c.Name) {
			continue
		}
		// MySQL shrinks such a key to its other columns, which may then hold duplicates;
		// MariaDB refuses the drop (1072).
		drop.Notes = append(drop.Notes, fmt.Sprintf("Unique key %s also covers other columns: MariaDB refuses the drop (error 1072) and MySQL shrinks the key to the other columns, which may then hold duplicates. Drop or redefine the key in the same ALTER (DROP INDEX %s, …).", schema.QuoteIdent(x.Name), schema.QuoteIdent(x.Name)))
	}
	return Plan{
		Summary: fmt.Sprintf("Drop %s.%s only after the application stopped using it:", tn, cn),
		Phases:  []Phase{release, deprecate(t.Name + "." + c.Name), drop},
	}
}

// PlanDropTable is the safe drop of table t (as deployed); s, when given, is searched for the
// foreign keys that reference it.
func PlanDropTable(s *schema.Schema, t *schema.Table) Plan {
	if t == nil {
		return Plan{}
	}
	tn := schema.QuoteIdent(t.Name)
	release := Phase{
		Title: "Release the application that no longer uses the table",
		Notes: []string{fmt.Sprintf("Remove every query of %s from the application and release it.", tn)},
	}
	if s != nil {
		for _, other := range s.Tables {
			if other == nil || strings.EqualFold(other.Name, t.Name) {
				continue
			}
			for _, fk := range other.ForeignKeys {
				if fk != nil && fk.RefSchema == "" && strings.EqualFold(fk.RefTable, t.Name) {
					release.SQL = append(release.SQL, fmt.Sprintf("ALTER TABLE %s DROP FOREIGN KEY %s", schema.QuoteIdent(other.Name), schema.QuoteIdent(fk.Name)))
				}
			}
		}
		if len(release.SQL) > 0 {
			release.Notes = append(release.Notes, fmt.Sprintf("Foreign keys of other tables reference %s; a migration drops them first:", tn))
		}
	}
	return Plan{
		Summary: fmt.Sprintf("Drop %s only after the application stopped using it:", tn),
		Phases: []Phase{release, deprecate(t.Name), {
			Title: "Contract: a later migration, once the deprecation is deployed",
			Notes: []string{fmt.Sprintf("To keep a way back for a while, rename it first (RENAME TABLE %s TO %s) and drop that in a later release.", tn, schema.QuoteIdent(fitName(t.Name, "retired")))},
			SQL:   []string{"DROP TABLE " + tn},
		}},
	}
}

// deprecate is the phase that lists an object under `deprecated:`.
func deprecate(object string) Phase {
	return Phase{
		Title: "Deprecate: list it in .schema-guard.yaml and merge that",
		Notes: []string{fmt.Sprintf("The drop is allowed only once this is on the base branch, i.e. deployed with a release that no longer uses it:\n\ndeprecated:\n  - %s", object)},
	}
}
