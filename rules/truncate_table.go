package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func truncateTableRule() *Rule {
	return &Rule{
		ID:        finding.TruncateTable,
		Severity:  finding.Error,
		Summary:   "TRUNCATE empties a deployed table",
		Statement: checkTruncateTable,
		Doc: `Catches: TRUNCATE [TABLE] of a table the deployed application knows, unless the table is a
seed table (seed_tables: in .schema-guard.yaml, whose rows the migrations reset on purpose) or
listed under deprecated: at the base ref.

Why it matters: every row is gone, at once and for good: TRUNCATE is DDL, it commits
implicitly and cannot be rolled back, and it does not fire DELETE triggers, so audit or sync
triggers miss it. The running release keeps reading the table and finds it empty. On a
replica it is one statement, so what it removed cannot be recovered from the binary log's
row images either.

How to do it safely: if the rows are really disposable (a cache, a queue drained elsewhere),
say so with -- schema-guard:allow truncate-table <why>. Otherwise delete what must go in
batches (DELETE … WHERE … LIMIT 1000, repeated), keep a copy first (CREATE TABLE t_backup AS
SELECT * FROM t), or make the table a seed table when its rows come from the migrations.

Example:
  bad:  TRUNCATE TABLE sessions;
  good: -- schema-guard:allow truncate-table sessions are recreated at the next login
        TRUNCATE TABLE sessions;`,
	}
}

func checkTruncateTable(ctx *Context) []finding.Finding {
	st := statementFacts(ctx)
	if st == nil || st.Truncate == "" {
		return nil
	}
	table := st.Truncate
	t := ctx.deployedTable(table)
	if t == nil || ctx.Deprecated.Table(table) || slices.ContainsFunc(ctx.SeedTables, func(s string) bool { return strings.EqualFold(s, table) }) {
		return nil
	}
	return []finding.Finding{{
		Rule:     finding.TruncateTable,
		Severity: finding.Error,
		Message: fmt.Sprintf("TRUNCATE empties %s, which the deployed application reads: every row is gone for good (it commits at once, cannot be rolled back and fires no DELETE trigger).",
			schema.QuoteIdent(t.Name)),
		Fix: fmt.Sprintf("Keep a copy first (CREATE TABLE %s AS SELECT * FROM %s), delete what must go in batches (DELETE FROM %s WHERE … LIMIT 1000, repeated), or, if the rows are disposable, say why: -- schema-guard:allow truncate-table <why>.",
			schema.QuoteIdent(fitName(t.Name, "backup")), schema.QuoteIdent(t.Name), schema.QuoteIdent(t.Name)),
		Table: t.Name,
	}}
}
