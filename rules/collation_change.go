package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func collationChangeRule() *Rule {
	return &Rule{
		ID:        finding.CollationChange,
		Severity:  finding.Warning,
		Summary:   "the collation of an indexed or unique column changes",
		Statement: checkCollationChange,
		Doc: `Catches: a pending statement after which a deployed character column that is part of an
index has another collation (MODIFY … COLLATE, a charset change, CONVERT TO CHARACTER SET),
however the statement says it.

Why it matters: the collation decides which values are equal. Lookups change: from a
case-insensitive collation (_ci) to a binary or case-sensitive one, WHERE email = 'Ann@x.org'
stops finding 'ann@x.org', and accents or trailing spaces may count where they did not. A
unique key changes what it allows: towards _ci, values that differ only by case or accent
become duplicates, so the ALTER fails (1062) on such rows and the deployed application's
writes of them start failing; towards _bin, duplicates it used to refuse are accepted. The
index is rebuilt, and the table copied.

How to do it safely: find the rows the new collation would merge (the fix's query), decide
what the application means by equal, and change the collation in a release of its own,
knowing the application's lookups follow it.

Example:
  risky: ALTER TABLE users MODIFY email varchar(255) COLLATE utf8mb4_bin;
  first: SELECT LOWER(email), COUNT(*) FROM users GROUP BY 1 HAVING COUNT(*) > 1;`,
	}
}

func checkCollationChange(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, p := range ctx.alteredColumns() {
		b, a := p.Before, p.After
		if b.Collation == "" || a.Collation == "" || strings.EqualFold(b.Collation, a.Collation) {
			continue
		}
		x := indexOver(p.BeforeTable, b.Name)
		if x == nil {
			continue
		}
		what := "lookups on it (WHERE, JOIN, the index " + schema.QuoteIdent(x.Name) + ") match other values than they did"
		if x.Unique {
			what = "unique key " + schema.QuoteIdent(x.Name) + " now treats other values as duplicates: the ALTER fails on rows that collide under the new collation, and the deployed application's writes that collide start failing with 1062, or duplicates it used to refuse are accepted"
		}
		out = append(out, finding.Finding{
			Rule:     finding.CollationChange,
			Severity: finding.Warning,
			Message: fmt.Sprintf("Column %s.%s changes collation from %s to %s: %s.",
				schema.QuoteIdent(p.Table), schema.QuoteIdent(b.Name), b.Collation, a.Collation, what),
			Fix: fmt.Sprintf("Find the values the new collation treats as equal: SELECT CONVERT(%s USING %s) COLLATE %s AS v, COUNT(*) FROM %s GROUP BY v HAVING COUNT(*) > 1 LIMIT 100; then decide what the application means by equal and change the collation in a release of its own.",
				schema.QuoteIdent(b.Name), charsetOf(a), a.Collation, schema.QuoteIdent(p.Table)),
			Table:      p.Table,
			ColumnName: b.Name,
		})
	}
	return out
}

// indexOver returns an index with a part over the column, a unique one first; nil when none.
func indexOver(t *schema.Table, column string) *schema.Index {
	var found *schema.Index
	for _, x := range t.Indexes {
		for _, part := range x.Parts {
			if strings.EqualFold(part.Column, column) && (found == nil || (x.Unique && !found.Unique)) {
				found = x
			}
		}
	}
	return found
}

// charsetOf is a character column's charset, from its collation when the model lacks it.
func charsetOf(c *schema.Column) string {
	if c.Charset != "" {
		return c.Charset
	}
	cs, _, _ := strings.Cut(c.Collation, "_")
	return cs
}
