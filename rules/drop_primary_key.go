package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func dropPrimaryKeyRule() *Rule {
	return &Rule{
		ID:        finding.DropPrimaryKey,
		Severity:  finding.Error,
		Summary:   "a deployed table is left without a primary key",
		Statement: checkDropPrimaryKey,
		Doc: `Catches: a pending statement after which a deployed table that had a primary key has none
(DROP PRIMARY KEY without adding another in the same statement).

Why it matters: with row-based replication every UPDATE and DELETE on the table is applied on
the replicas by scanning for the row (a full table scan per row, unless a unique key is
usable), so replicas fall behind; InnoDB clusters the rows on a hidden row id; online schema
change tools (gh-ost, pt-online-schema-change, schema-guard copy) cannot copy the table any
more; and the deployed application's INSERT … ON DUPLICATE KEY UPDATE and REPLACE no longer
find the row they used to, so they add duplicates.

How to do it safely: change the key in one statement, so the table is never without one:
ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (…).

Example:
  bad:  ALTER TABLE memberships DROP PRIMARY KEY;
  good: ALTER TABLE memberships DROP PRIMARY KEY, ADD PRIMARY KEY (user_id, group_id);`,
	}
}

func checkDropPrimaryKey(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.deployedChanges() {
		if tc.After == nil || tc.Before.PrimaryKey() == nil || tc.After.PrimaryKey() != nil {
			continue
		}
		pk := tc.Before.PrimaryKey()
		still := ""
		if u := notNullUnique(tc.After); u != nil {
			still = fmt.Sprintf(" (InnoDB now clusters on unique key %s, but replicas and the copiers still want a primary key)", schema.QuoteIdent(u.Name))
		}
		out = append(out, finding.Finding{
			Rule:     finding.DropPrimaryKey,
			Severity: finding.Error,
			Message: fmt.Sprintf("Table %s is left without a primary key%s: replicas apply its updates and deletes with table scans, online schema change tools cannot copy it, and the deployed application's INSERT … ON DUPLICATE KEY UPDATE and REPLACE add rows where they used to update one.",
				schema.QuoteIdent(tc.Name), still),
			Fix: fmt.Sprintf("Replace the key in the same statement, so the table always has one: ALTER TABLE %s DROP PRIMARY KEY, ADD PRIMARY KEY (<the new key's columns>); the key was (%s).",
				schema.QuoteIdent(tc.Name), qis(pk.Columns())),
			Table:      tc.Name,
			ColumnName: strings.Join(pk.Columns(), ","),
		})
	}
	return out
}

// notNullUnique returns a unique key of t over NOT NULL columns only, or nil.
func notNullUnique(t *schema.Table) *schema.Index {
	for _, x := range t.Indexes {
		if !x.Unique || len(x.Parts) == 0 {
			continue
		}
		ok := true
		for _, p := range x.Parts {
			if c := t.Column(p.Column); c == nil || c.Nullable {
				ok = false
			}
		}
		if ok {
			return x
		}
	}
	return nil
}
