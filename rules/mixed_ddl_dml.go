package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/facts"
	"github.com/schema-guard/schema-guard/finding"
)

func mixedDDLDMLRule() *Rule {
	return &Rule{
		ID:       finding.MixedDDLDML,
		Severity: finding.Warning,
		Summary:  "one migration mixes schema changes (DDL) with data changes (DML)",
		File:     checkMixedDDLDML,
		Doc: `Catches: a pending migration file that holds both schema changes (CREATE, ALTER, DROP,
RENAME, TRUNCATE …) and data changes (INSERT, UPDATE, DELETE, REPLACE, LOAD DATA). The finding
points at the first statement of the rarer kind that follows a statement of the other kind.
Statements the parser cannot read are not counted.

Why it matters: MySQL and MariaDB commit every DDL statement implicitly, so a migration tool
cannot run such a file as one transaction. When a statement fails half way, the statements
before it stay applied while the tool records the migration as failed: re-running it fails
on what already exists (or inserts the data twice), and the database is in a state no
migration describes. Long data changes next to DDL also hold metadata locks longer.

How to do it safely: one kind per migration. Put the schema change in one migration and the
data change in the next one, so each either applies completely or can be re-run; write data
changes so that re-running them is harmless (INSERT … ON DUPLICATE KEY UPDATE, WHERE clauses
that skip done rows).

Example:
  bad:  V7__countries.sql:  CREATE TABLE countries (…);  INSERT INTO countries VALUES (…);
  good: V7__create_countries.sql:  CREATE TABLE countries (…);
        V8__seed_countries.sql:    INSERT INTO countries VALUES (…) ON DUPLICATE KEY UPDATE …;`,
	}
}

func checkMixedDDLDML(ctx *FileContext) []finding.Finding {
	if ctx == nil {
		return nil
	}
	counts := map[facts.Kind]int{}
	for i := range ctx.Statements {
		if st := &ctx.Statements[i]; st.Parsed {
			counts[st.Kind]++
		}
	}
	if counts[facts.DDL] == 0 || counts[facts.DML] == 0 {
		return nil
	}
	// The rarer kind is the odd one out: a data fix appended to schema changes, or a schema
	// change slipped into a data migration. On a tie the data change is.
	minority := facts.DML
	if counts[facts.DDL] < counts[facts.DML] {
		minority = facts.DDL
	}
	at, firstSwitch := -1, -1
	prev := facts.Other // the kind of the last DDL or DML statement
	for i := range ctx.Statements {
		st := &ctx.Statements[i]
		if !st.Parsed || st.Kind == facts.Other {
			continue
		}
		k := st.Kind
		if prev != facts.Other && k != prev {
			if firstSwitch < 0 {
				firstSwitch = i
			}
			if k == minority {
				at = i
				break
			}
		}
		prev = k
	}
	if at < 0 {
		// Every statement of the rarer kind comes first: point at where the other kind starts.
		at = firstSwitch
	}
	if at < 0 {
		return nil
	}
	st := ctx.Statements[at]
	file := st.File
	if file == "" {
		file = ctx.Path
	}
	return []finding.Finding{{
		Rule:     finding.MixedDDLDML,
		Severity: finding.Warning,
		File:     file, Line: st.Line, Column: st.Column, EndLine: st.EndLine,
		Message: fmt.Sprintf("This migration mixes %d schema changes (DDL) with %d data changes (DML): DDL commits implicitly, so a failure part way leaves it half applied and it cannot simply be re-run; this %s follows a %s.",
			counts[facts.DDL], counts[facts.DML], st.Kind, otherOf(st.Kind)),
		Fix: "Split the file: keep the schema changes in this migration and move the data changes to a migration of their own (or the reverse), and write the data changes so that re-running them is harmless (INSERT … ON DUPLICATE KEY UPDATE, WHERE clauses that skip rows already done).",
	}}
}

func otherOf(k facts.Kind) facts.Kind {
	if k == facts.DDL {
		return facts.DML
	}
	return facts.DDL
}
