package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func enumChangeRule() *Rule {
	return &Rule{
		ID:        finding.EnumChange,
		Severity:  finding.Error,
		Summary:   "an ENUM or SET member of a deployed column is removed or renamed (error), or the members are renumbered (warning)",
		Statement: checkEnumChange,
		Doc: `Catches: an ALTER TABLE after which the members of a deployed ENUM or SET column are not
the old members, in the old order, followed by new ones: a member removed, renamed (spelt
differently, including its case) or moved, or a new member inserted before existing ones.
Appending at the end is fine.

Why it breaks the old application and the data: the running release still writes the old
members; a removed or renamed one is rejected with 1265 (data truncated) in strict mode, or
stored as '' without it. Rows holding it make the ALTER fail, or become ''. That is an error.
Reordering, or inserting a member before existing ones, keeps every old member: old writes
work and the server copies the rows by their values, but the numbers behind the values
change, so ORDER BY on the column and any numeric use change meaning, and the change is a
full table copy where an append is instant. That is a warning.

How to do it safely:
  - new values: append them at the end of the list;
  - removing or renaming: append the new spelling, release the application that no longer
    writes the old one, migrate the rows in batches, then remove the old member in a later
    migration.

Example:
  bad:  ALTER TABLE orders MODIFY COLUMN status enum('new','paid','shipped') NOT NULL;
        -- was enum('new','paid','cancelled')
  good: ALTER TABLE orders MODIFY COLUMN status
          enum('new','paid','cancelled','shipped') NOT NULL;`,
	}
}

func checkEnumChange(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, p := range ctx.alteredColumns() {
		from, err1 := schema.TypeOf(p.Before)
		to, err2 := schema.TypeOf(p.After)
		if err1 != nil || err2 != nil || from.Family != to.Family || (from.Family != schema.FamilyEnum && from.Family != schema.FamilySet) {
			continue
		}
		what := memberChange(from.Members, to.Members)
		if what == "" {
			continue
		}
		sev := finding.Error
		msg := fmt.Sprintf("Column %s.%s %s (%s to %s): the deployed application's writes of the old members fail, and rows holding them make the ALTER fail or become ''.",
			schema.QuoteIdent(p.Table), schema.QuoteIdent(p.Before.Name), what, from, to)
		if what == renumbered {
			// Every old member is still there: old writes work, and the server copies rows by
			// their values. What changes is the numbers behind them.
			sev = finding.Warning
			msg = fmt.Sprintf("Column %s.%s %s (%s to %s): the deployed application's writes still work and rows keep their values, but the members are renumbered, so ORDER BY on the column and its numeric value change meaning, and the server copies the whole table.",
				schema.QuoteIdent(p.Table), schema.QuoteIdent(p.Before.Name), what, from, to)
		}
		out = append(out, finding.Finding{
			Rule:       finding.EnumChange,
			Severity:   sev,
			Message:    msg,
			Fix:        PlanEnumChange(ctx.planSchema(), p.BeforeTable, p.Before, p.After).Text(ctx.Script),
			Table:      p.Table,
			ColumnName: p.Before.Name,
		})
	}
	return out
}

// renumbered is memberChange's answer when every old member is kept but not as a prefix.
const renumbered = "reorders its members or inserts new ones before existing ones"

// memberChange says how the members changed, or "" when the old ones are a prefix of the new
// ones (an append, which is safe).
func memberChange(old, new []string) string {
	if len(new) >= len(old) {
		prefix := true
		for i := range old {
			if old[i] != new[i] {
				prefix = false
				break
			}
		}
		if prefix {
			return ""
		}
	}
	var removed, renamed []string
	for i, m := range old {
		if contains(new, m) {
			continue
		}
		if i < len(new) && !contains(old, new[i]) {
			renamed = append(renamed, fmt.Sprintf("%s to %s", schema.QuoteString(m), schema.QuoteString(new[i])))
		} else {
			removed = append(removed, schema.QuoteString(m))
		}
	}
	var parts []string
	if len(removed) > 0 {
		parts = append(parts, "loses "+strings.Join(removed, ", "))
	}
	if len(renamed) > 0 {
		parts = append(parts, "renames "+strings.Join(renamed, ", "))
	}
	if len(parts) == 0 {
		return renumbered
	}
	return strings.Join(parts, " and ")
}
