package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

// This file holds the plans for changes to what a column accepts: NOT NULL, defaults and enum
// members. Each keeps the deployed application's writes valid until a release that no longer
// needs them is deployed.

// placeholder stands where only the author knows the value; the server rejects it, so a plan run
// without filling it in fails instead of writing it.
const placeholder = "'<value>'"

// zeroDefault proposes a DEFAULT for column c of table t: the value an INSERT that does not name
// the column should store, as the model writes defaults. false when no value makes sense
// without the author (spatial and unknown types).
func zeroDefault(t *schema.Table, c *schema.Column) (string, bool) {
	ct, err := schema.TypeOf(c)
	if err != nil {
		return "", false
	}
	switch ct.Family {
	case schema.FamilyInteger, schema.FamilyDecimal, schema.FamilyFloat:
		return "0", true
	case schema.FamilyBit:
		return "b'0'", true
	case schema.FamilyEnum:
		if len(ct.Members) > 0 {
			return schema.QuoteString(ct.Members[0]), true
		}
	case schema.FamilySet, schema.FamilyBinary:
		return "''", true
	case schema.FamilyJSON:
		return "'{}'", true
	case schema.FamilyString:
		if isJSONText(t, c) {
			return "'{}'", true
		}
		return "''", true
	case schema.FamilyTemporal:
		switch ct.Base {
		case "datetime", "timestamp":
			if ct.Length > 0 {
				return fmt.Sprintf("CURRENT_TIMESTAMP(%d)", ct.Length), true
			}
			return "CURRENT_TIMESTAMP", true
		case "date":
			return "(CURRENT_DATE)", true
		case "time":
			return "'00:00:00'", true
		}
	}
	return "", false
}

// isJSONText reports whether a text column is MariaDB's JSON: a longtext with a json_valid
// check, which an empty string would fail. Only the rendering of a fix depends on it.
func isJSONText(t *schema.Table, c *schema.Column) bool {
	if t == nil {
		return false
	}
	for _, chk := range t.Checks {
		if chk != nil && strings.EqualFold(chk.Column, c.Name) && strings.Contains(strings.ToLower(chk.Expr), "json_valid") {
			return true
		}
	}
	return false
}

// withDefault returns a copy of c with the given default.
func withDefault(c *schema.Column, def string) *schema.Column {
	out := *c
	out.Default = &def
	return &out
}

// PlanAddNotNull is the safe addition of column c (its definition as the change wanted it:
// NOT NULL, no default) to table t: either with a DEFAULT, or nullable first and tightened once
// an application that writes it is deployed.
func PlanAddNotNull(s *schema.Schema, t *schema.Table, c *schema.Column) Plan {
	if t == nil || c == nil {
		return Plan{}
	}
	tn, cn := schema.QuoteIdent(t.Name), schema.QuoteIdent(c.Name)
	p := Plan{Summary: fmt.Sprintf("Add %s.%s so that the deployed application's INSERTs, which do not name it, keep working:", tn, cn)}
	v, ok := zeroDefault(t, c)
	if ok {
		p.Phases = append(p.Phases, Phase{
			Title: "Either: add it with a DEFAULT, in place of this statement",
			Notes: []string{fmt.Sprintf("Rows the deployed application inserts get %s; pick the value such rows should have.", v)},
			SQL:   []string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", tn, s.ColumnDefinition(t, withDefault(c, v)))},
		})
	} else {
		v = placeholder
	}
	nullable := *c
	nullable.Nullable = true
	p.Phases = append(p.Phases,
		Phase{
			Title: "Or, when no default makes sense: add it nullable, in place of this statement",
			SQL:   []string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", tn, s.ColumnDefinition(t, &nullable))},
		},
		Phase{
			Title: "Release the application that writes it in every INSERT",
		},
		Phase{
			Title: "Tighten: a later migration, once that release is deployed",
			Notes: []string{fmt.Sprintf("Fill the rows inserted before that release (replace %s with their value), then make the column NOT NULL.", v)},
			SQL: append(backfill(fitName("sg_backfill", t.Name, c.Name), tn, fmt.Sprintf("%s = %s", cn, v), cn+" IS NULL", 1000, false),
				fmt.Sprintf("-- %s %s the release deployed before this writes %s in every INSERT\nALTER TABLE %s MODIFY COLUMN %s",
					AllowPrefix, finding.TightenNotNull, c.Name, tn, s.ColumnDefinition(t, c))),
		},
	)
	return p
}

// PlanTightenNotNull is the safe change of the nullable column before of table t to the NOT
// NULL column after: a default and a backfill first, the NOT NULL once the deployed
// application no longer writes NULL.
func PlanTightenNotNull(s *schema.Schema, t *schema.Table, before, after *schema.Column) Plan {
	if t == nil || before == nil || after == nil {
		return Plan{}
	}
	tn, cn := schema.QuoteIdent(t.Name), schema.QuoteIdent(before.Name)
	v := ""
	switch {
	case after.Default != nil:
		v = *after.Default
	case before.Default != nil && *before.Default != "NULL":
		v = *before.Default
	default:
		var ok bool
		if v, ok = zeroDefault(t, after); !ok {
			v = placeholder
		}
	}
	proc := fitName("sg_backfill", t.Name, before.Name)
	expand := Phase{
		Title: "Expand: a migration of its own, deployed while the current application runs",
		Notes: []string{fmt.Sprintf("Give %s the default %s, so that INSERTs that omit it store a value, and fill the existing NULLs %d rows at a time. The column stays nullable: the deployed application may still write NULL.", cn, v, 1000)},
	}
	if before.Default == nil || *before.Default != v {
		expand.SQL = append(expand.SQL, fmt.Sprintf("ALTER TABLE %s MODIFY COLUMN %s", tn, s.ColumnDefinition(t, withDefault(before, v))))
	}
	for _, x := range t.Indexes {
		if x != nil && x.Unique && containsFold(x.Columns(), before.Name) {
			// Rows with a NULL never collide in a unique key; rows with the same default do.
			expand.Notes = append(expand.Notes, fmt.Sprintf("%s is part of unique key %s: rows that share the other key columns collide once their NULLs become %s; give them distinct values instead.", cn, schema.QuoteIdent(x.Name), v))
		}
	}
	set := fmt.Sprintf("%s = %s", cn, v)
	expand.SQL = append(expand.SQL, backfill(proc, tn, set, cn+" IS NULL", 1000, false)...)
	final := after
	if final.Default == nil {
		final = withDefault(after, v)
	}
	return Plan{
		Summary: fmt.Sprintf("Make %s.%s NOT NULL once nothing writes NULL to it:", tn, cn),
		Phases: []Phase{
			expand,
			{Title: "Release the application that never writes NULL to it (and names it in every INSERT)"},
			{
				Title: "Tighten: a later migration, once that release is deployed",
				Notes: []string{"Fill the NULLs the old release wrote since the expand step, then tighten; the DEFAULT stays for INSERTs that omit the column."},
				SQL: append(backfill(proc, tn, set, cn+" IS NULL", 1000, false),
					fmt.Sprintf("-- %s %s the release deployed before this never writes NULL to %s\nALTER TABLE %s MODIFY COLUMN %s",
						AllowPrefix, finding.TightenNotNull, before.Name, tn, s.ColumnDefinition(t, final))),
			},
		},
	}
}

// PlanKeepDefault is the safe removal of the DEFAULT of the NOT NULL column before of table t:
// keep it until an application that names the column in every INSERT is deployed.
func PlanKeepDefault(s *schema.Schema, t *schema.Table, before, after *schema.Column) Plan {
	if t == nil || before == nil || after == nil || before.Default == nil {
		return Plan{}
	}
	tn, cn := schema.QuoteIdent(t.Name), schema.QuoteIdent(before.Name)
	kept := withDefault(after, *before.Default)
	return Plan{
		Summary: fmt.Sprintf("Remove the DEFAULT of %s.%s only once nothing relies on it:", tn, cn),
		Phases: []Phase{
			{
				Title: "Keep the default in this migration",
				SQL:   []string{fmt.Sprintf("ALTER TABLE %s MODIFY COLUMN %s", tn, s.ColumnDefinition(t, kept))},
			},
			{Title: "Release the application that names the column in every INSERT"},
			{
				Title: "Drop the default: a later migration, once that release is deployed",
				SQL: []string{fmt.Sprintf("-- %s %s the release deployed before this names %s in every INSERT\nALTER TABLE %s ALTER COLUMN %s DROP DEFAULT",
					AllowPrefix, finding.DropDefault, before.Name, tn, cn)},
			},
		},
	}
}

// PlanEnumChange is the safe form of changing the members of the enum or set column before of
// table t to those of after: new members are appended; a removed (or renamed) member goes only
// after the application stopped writing it and the rows holding it were migrated.
func PlanEnumChange(s *schema.Schema, t *schema.Table, before, after *schema.Column) Plan {
	bt, err1 := schema.TypeOf(before)
	at, err2 := schema.TypeOf(after)
	if t == nil || err1 != nil || err2 != nil {
		return Plan{}
	}
	tn, cn := schema.QuoteIdent(t.Name), schema.QuoteIdent(before.Name)
	appended := bt
	appended.Members = append([]string(nil), bt.Members...)
	for _, m := range at.Members {
		if !contains(appended.Members, m) {
			appended.Members = append(appended.Members, m)
		}
	}
	widened := *after
	widened.Type = appended.String()
	p := Plan{Summary: fmt.Sprintf("Change the members of %s.%s without breaking the deployed application's writes:", tn, cn)}
	p.Phases = append(p.Phases, Phase{
		Title: "Append: keep every existing member in place and add new ones at the end (this migration)",
		SQL:   []string{fmt.Sprintf("ALTER TABLE %s MODIFY COLUMN %s", tn, s.ColumnDefinition(t, &widened))},
	})
	var removed []string
	for _, m := range bt.Members {
		if !contains(at.Members, m) {
			removed = append(removed, m)
		}
	}
	if len(removed) > 0 {
		p.Phases = append(p.Phases, Phase{
			Title: "Release the application that no longer writes " + quotedList(removed),
		})
		migrate := Phase{
			Title: "Migrate the rows that hold them: a later migration",
			SQL:   []string{fmt.Sprintf("SELECT %s, COUNT(*) FROM %s WHERE %s IN (%s) GROUP BY %s", cn, tn, cn, quotedList(removed), cn)},
		}
		for _, m := range removed {
			to := placeholder
			if i := indexOf(bt.Members, m); i < len(at.Members) && !contains(bt.Members, at.Members[i]) {
				to = schema.QuoteString(at.Members[i]) // the member at the same place is new: a rename
			}
			migrate.SQL = append(migrate.SQL, backfill(fitName("sg_migrate", t.Name, before.Name), tn,
				fmt.Sprintf("%s = %s", cn, to), fmt.Sprintf("%s = %s", cn, schema.QuoteString(m)), 1000, false)...)
		}
		p.Phases = append(p.Phases, migrate)
	}
	p.Phases = append(p.Phases, Phase{
		Title: "Remove or reorder members: a later migration, once no release writes them",
		Notes: []string{"Reordering changes ORDER BY on the column and the numbers behind the values: do it only if the application relies on neither."},
		SQL: []string{fmt.Sprintf("-- %s %s no deployed release writes the removed members\nALTER TABLE %s MODIFY COLUMN %s",
			AllowPrefix, finding.EnumChange, tn, s.ColumnDefinition(t, after))},
	})
	return p
}

func contains(list []string, s string) bool { return indexOf(list, s) >= 0 }

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func quotedList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = schema.QuoteString(v)
	}
	return strings.Join(q, ", ")
}
