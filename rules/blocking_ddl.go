package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

// bigTable is the row count from which a blocking ALTER is an error: copying a million rows
// takes minutes, and writes wait all along.
const bigTable = 1_000_000

func blockingDDLRule() *Rule {
	return &Rule{
		ID:        finding.BlockingDDL,
		Severity:  finding.Error,
		Summary:   "an ALTER of a deployed table blocks writes while it runs",
		Statement: checkBlockingDDL,
		Doc: `Catches: an ALTER TABLE, CREATE INDEX or DROP INDEX on a deployed table that this server
cannot run online, as written. schema-guard measures it on an empty copy of the table: a
statement that names its own ALGORITHM or LOCK is run as written (production honours them:
ALGORITHM=COPY blocks writes even where INSTANT would do); otherwise it tries
ALGORITHM=INSTANT, then ALGORITHM=INPLACE (MariaDB: also NOCOPY) with LOCK=NONE, then weaker
combinations, and reports the first the server accepts. ENGINE=, FORCE, ORDER BY and
partitioning rebuild a table with rows whatever an empty copy answers, so they count as a
copy. Blocking means neither INSTANT nor an in-place form with LOCK=NONE: an error when the
table has at least 1,000,000 rows in production (tables: {<table>: {rows: N}}), a notice
otherwise. A change of a deployed table that could not be measured (EXECUTE, CALL, SQL the
parser cannot read) says so and why: a notice, a warning on a big table.

Why it matters: with LOCK=SHARED or EXCLUSIVE (or ALGORITHM=COPY) the running application's
writes to the table wait for the whole rebuild, minutes to hours on a large table; requests
pile up and time out, replicas lag behind by as long.

How to do it safely:
  - run it with an online schema change tool, which copies the table in the background and
    swaps it in: gh-ost (binlog based, needs a primary key, no foreign keys) or
    pt-online-schema-change (trigger based); the fix has the command for the table;
  - or split the ALTER: the parts the server can do online (ALGORITHM=INSTANT or INPLACE,
    LOCK=NONE) in statements of their own, only the rest through the tool;
  - or run it in a maintenance window, and say so with -- schema-guard:allow blocking-ddl.

Example:
  bad:  ALTER TABLE orders MODIFY COLUMN total decimal(12,2) NOT NULL;   -- COPY, 5M rows
  good: gh-ost --database=shop --table=orders \
          --alter="MODIFY COLUMN total decimal(12,2) NOT NULL" --execute`,
	}
}

func checkBlockingDDL(ctx *Context) []finding.Finding {
	if ctx.Online == nil {
		return notMeasured(ctx)
	}
	if !ctx.Online.Blocking() {
		return nil
	}
	table, alter := blockingClause(ctx)
	if table == "" || ctx.deployedTable(table) == nil {
		return nil
	}
	form := "ALGORITHM=" + ctx.Online.Algorithm
	if ctx.Online.Lock != "" {
		form += ", LOCK=" + ctx.Online.Lock
	}
	how := "it takes " + form
	switch {
	case ctx.Online.Rebuild != "":
		how = "it rebuilds the whole table (" + ctx.Online.Rebuild + "), copying every row, which an empty copy of the table cannot show"
	case ctx.Online.Named:
		how = "it asks for " + form + " itself, and the server runs it so"
	}
	refused := ""
	if r := strings.TrimSpace(ctx.Online.Refusal); r != "" {
		refused = fmt.Sprintf("; it refused the online forms: %s", r)
	}
	f, size := sized(ctx, table, finding.Error)
	f.Message = fmt.Sprintf("This change of %s cannot run online on this server: %s, so the application's writes to %s wait until it has gone through the whole table (%s%s).",
		schema.QuoteIdent(table), how, schema.QuoteIdent(table), size, refused)
	f.Fix = onlinePlan(table, alter).Text(ctx.Script)
	return []finding.Finding{f}
}

// notMeasured says that a change of a deployed table was not measured, and why: a notice, a
// warning on a table configured as big. Silence would read as "online".
func notMeasured(ctx *Context) []finding.Finding {
	if ctx.NotMeasured == "" {
		return nil
	}
	table, _ := blockingClause(ctx)
	if table == "" || ctx.deployedTable(table) == nil {
		for _, tc := range ctx.deployedChanges() {
			if tc.After != nil {
				table = tc.Name
				break
			}
		}
	}
	if table == "" {
		return nil
	}
	f, size := sized(ctx, table, finding.Warning)
	f.Message = fmt.Sprintf("Whether this change of %s blocks writes is not known: %s; review it as if it copied the table (%s).", schema.QuoteIdent(table), ctx.NotMeasured, size)
	f.Fix = "Write the change as a plain ALTER TABLE the server can be asked about, with its own ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE (the server then refuses rather than blocks), or run it with an online schema change tool on a large table."
	return []finding.Finding{f}
}

// sized starts a blocking-ddl finding on table: a notice, or big on a table configured with at
// least bigTable rows; size says what is known of its size.
func sized(ctx *Context, table string, big finding.Severity) (finding.Finding, string) {
	f := finding.Finding{Rule: finding.BlockingDDL, Table: table, Severity: finding.Notice}
	rows, known := ctx.rows(table)
	if !known {
		return f, fmt.Sprintf("its row count in production is not configured (tables: {%s: {rows: N}}), so this is a notice", table)
	}
	if rows >= bigTable {
		f.Severity = big
	}
	return f, fmt.Sprintf("%d rows in production", rows)
}

// blockingClause returns the table an ALTER TABLE, CREATE INDEX or DROP INDEX changes and the
// change as an ALTER TABLE clause, for the fix.
func blockingClause(ctx *Context) (table, alter string) {
	st := statementFacts(ctx)
	switch {
	case st == nil:
	case st.Alter != nil:
		return st.Alter.Table, strings.Join(st.Alter.Clauses, ", ")
	case st.CreateIndex != nil:
		n := st.CreateIndex
		return n.Table, fmt.Sprintf("ADD %s %s (%s)", n.Kind, schema.QuoteIdent(n.Name), strings.Join(n.Parts, ", "))
	case st.DropIndex != nil:
		return st.DropIndex.Table, "DROP INDEX " + schema.QuoteIdent(st.DropIndex.Name)
	}
	return "", ""
}

// onlinePlan is how to run the ALTER clause alter of table without blocking writes.
func onlinePlan(table, alter string) Plan {
	shell := strings.ReplaceAll(alter, `"`, `\"`)
	return Plan{
		Summary: fmt.Sprintf("Run the change of %s online instead of as a plain ALTER (replace <database>):", schema.QuoteIdent(table)),
		Phases: []Phase{
			{
				Title: "With gh-ost (binlog based; needs row-based binlogs and a primary or unique key, no foreign keys):",
				Notes: []string{fmt.Sprintf("gh-ost --database=<database> --table=%s --alter=\"%s\" --chunk-size=1000 --execute", table, shell)},
			},
			{
				Title: "Or with pt-online-schema-change (trigger based; handles foreign keys with --alter-foreign-keys-method=auto):",
				Notes: []string{fmt.Sprintf("pt-online-schema-change --alter \"%s\" --chunk-size=1000 D=<database>,t=%s --execute", shell, table)},
			},
			{
				Title: "Or split the ALTER: put the parts the server runs online in statements of their own, with ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE (the server then refuses rather than blocks), and only the rest through a tool.",
			},
			{
				Title: "Run by a tool, the change must not run again from the migration: keep the statement idempotent or mark it with -- schema-guard:allow blocking-ddl <how it ran>.",
			},
		},
	}
}
