package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func addUniqueRule() *Rule {
	return &Rule{
		ID:        finding.AddUnique,
		Severity:  finding.Warning,
		Summary:   "a unique or primary key is added over columns that already hold data",
		Statement: checkAddUnique,
		Doc: `Catches: ALTER TABLE … ADD UNIQUE / ADD PRIMARY KEY, CREATE UNIQUE INDEX, or a column
made UNIQUE, on a deployed table, over columns that all exist in the deployed state. A key
implied by an existing one (its columns include all of a unique key's) is fine, and so is a
key over a column added in the same change.

Why it matters: whether it works depends on the data. Rows that already share a value make
the ALTER fail (1062, duplicate entry) — in production, even when it passed on test data.
Afterwards, the running release's INSERTs and UPDATEs that write a duplicate fail with 1062
where they used to succeed.

How to do it safely:
  1. find the duplicates with the fix's query and merge or fix them;
  2. release the application that never writes a duplicate (and handles 1062);
  3. add the key, online (ALGORITHM=INPLACE, LOCK=NONE, or an online schema change tool).

Example:
  risky: ALTER TABLE users ADD UNIQUE KEY uq_users_email (email);
  first: SELECT email, COUNT(*) FROM users WHERE email IS NOT NULL
         GROUP BY email HAVING COUNT(*) > 1;`,
	}
}

func checkAddUnique(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.deployedChanges() {
		if tc.After == nil {
			continue
		}
		table := tc.Name
		for _, x := range tc.After.Indexes {
			// A key the table had before, or had when deployed (dropped and added again in
			// this change, over the same columns), enforces nothing new.
			if x == nil || !x.Unique || impliedUnique(tc.Before, x) || impliedUnique(tc.Deployed, x) || !allDeployed(tc.Deployed, x) {
				continue
			}
			kind := "unique key " + schema.QuoteIdent(x.Name)
			if x.Primary {
				kind = "primary key"
			}
			out = append(out, finding.Finding{
				Rule:     finding.AddUnique,
				Severity: finding.Warning,
				Message: fmt.Sprintf("A %s over %s.(%s) is added to a table that holds data: the ALTER fails if rows already share a value, and the deployed application's writes of a duplicate start failing with error 1062.",
					kind, schema.QuoteIdent(table), qis(x.Columns())),
				Fix:        PlanAddUnique(table, x).Text(ctx.Script),
				Table:      table,
				ColumnName: strings.Join(x.Columns(), ","),
			})
		}
	}
	return out
}

// impliedUnique reports whether t already has a unique key whose whole-column parts are all in
// x: then no two rows can share x's values either, and nothing new is enforced.
func impliedUnique(t *schema.Table, x *schema.Index) bool {
	if t == nil {
		return false
	}
	have := map[string]bool{}
	for _, p := range x.Parts {
		if p.Column != "" && p.SubPart == 0 {
			have[strings.ToLower(p.Column)] = true
		}
	}
	for _, old := range t.Indexes {
		if old == nil || !old.Unique || len(old.Parts) == 0 {
			continue
		}
		implied := true
		for _, p := range old.Parts {
			if p.Column == "" || p.SubPart != 0 || !have[strings.ToLower(p.Column)] {
				implied = false
				break
			}
		}
		if implied {
			return true
		}
	}
	return false
}

// allDeployed reports whether every column part of x is a column of the deployed table: a key
// over a column added in the same change enforces nothing on old data.
func allDeployed(t *schema.Table, x *schema.Index) bool {
	cols := x.Columns()
	for _, c := range cols {
		if t.Column(c) == nil {
			return false
		}
	}
	return len(cols) > 0
}

// PlanAddUnique is the safe addition of the unique (or primary) key x to the table: find the
// duplicates, release an application that writes none, then add the key.
func PlanAddUnique(table string, x *schema.Index) Plan {
	if x == nil {
		return Plan{}
	}
	var exprs, notNull []string
	functional := false
	for _, p := range x.Parts {
		if p.Column == "" {
			functional = true
			continue
		}
		e := schema.QuoteIdent(p.Column)
		if p.SubPart > 0 {
			e = fmt.Sprintf("LEFT(%s, %d)", e, p.SubPart)
		}
		exprs = append(exprs, e)
		notNull = append(notNull, schema.QuoteIdent(p.Column)+" IS NOT NULL")
	}
	check := Phase{Title: "Find the rows that share a value, and merge or fix them"}
	if len(exprs) > 0 && !functional {
		where := ""
		if !x.Primary {
			// A unique key allows any number of rows with a NULL part; a primary key allows none.
			where = " WHERE " + strings.Join(notNull, " AND ")
		}
		cols := strings.Join(exprs, ", ")
		check.SQL = []string{fmt.Sprintf("SELECT %s, COUNT(*) AS copies FROM %s%s GROUP BY %s HAVING COUNT(*) > 1 LIMIT 100", cols, schema.QuoteIdent(table), where, cols)}
		if x.Primary {
			check.SQL = append(check.SQL, fmt.Sprintf("SELECT COUNT(*) AS null_keys FROM %s WHERE %s", schema.QuoteIdent(table), strings.Join(notNullToNull(x), " OR ")))
		}
	} else {
		check.Notes = []string{"The key has expression parts: group the rows by the same expressions to find duplicates."}
	}
	return Plan{
		Summary: "Add the key only once the data and the deployed application respect it:",
		Phases: []Phase{
			check,
			{Title: "Release the application that never writes a duplicate (and handles error 1062)"},
			{Title: "Add the key in a later migration, online: ALGORITHM=INPLACE, LOCK=NONE, or with gh-ost / pt-online-schema-change on a large table"},
		},
	}
}

func notNullToNull(x *schema.Index) []string {
	var out []string
	for _, c := range x.Columns() {
		out = append(out, schema.QuoteIdent(c)+" IS NULL")
	}
	return out
}
