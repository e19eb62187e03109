package rules

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/schema-guard/schema-guard/finding"
)

// bigTable is the row count from which a blocking ALTER is an error: copying a million rows
// takes minutes, and writes wait all along.
const bigTable = 1_000_000

func blockingDDLRule() *Rule {
	return &Rule{
		ID:        BlockingDDL,
		Severity:  finding.Error,
		Summary:   "an ALTER of a deployed table blocks writes while it runs",
		Statement: checkBlockingDDL,
		Doc: `Catches: an ALTER TABLE, CREATE INDEX or DROP INDEX on a deployed table that this server
cannot run online. schema-guard measures it on an empty copy of the table: it tries
ALGORITHM=INSTANT, then ALGORITHM=INPLACE (MariaDB: also NOCOPY) with LOCK=NONE, then weaker
combinations, and reports the first the server accepts. Blocking means neither INSTANT nor an
in-place form with LOCK=NONE was accepted. An error when the table has at least 1,000,000 rows
in production (tables: {<table>: {rows: N}} in .schema-guard.yaml), a notice otherwise or
when the row count is not configured.

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
	if ctx.Online == nil || !ctx.Online.Blocking() {
		return nil
	}
	var table, alter string
	switch n := node(ctx).(type) {
	case *ast.AlterTableStmt:
		table = tableName(n.Table)
		var parts []string
		for _, s := range specs(n) {
			if s.Tp != ast.AlterTableAlgorithm && s.Tp != ast.AlterTableLock {
				parts = append(parts, restore(s))
			}
		}
		alter = strings.Join(parts, ", ")
	case *ast.CreateIndexStmt:
		table = tableName(n.Table)
		kind := "INDEX"
		switch n.KeyType {
		case ast.IndexKeyTypeUnique:
			kind = "UNIQUE INDEX"
		case ast.IndexKeyTypeFulltext:
			kind = "FULLTEXT INDEX"
		case ast.IndexKeyTypeSpatial:
			kind = "SPATIAL INDEX"
		}
		var parts []string
		for _, p := range n.IndexPartSpecifications {
			parts = append(parts, restore(p))
		}
		alter = fmt.Sprintf("ADD %s %s (%s)", kind, qi(n.IndexName), strings.Join(parts, ", "))
	case *ast.DropIndexStmt:
		table = tableName(n.Table)
		alter = "DROP INDEX " + qi(n.IndexName)
	default:
		return nil
	}
	if ctx.deployedTable(table) == nil {
		return nil
	}
	form := "ALGORITHM=" + ctx.Online.Algorithm
	if ctx.Online.Lock != "" {
		form += ", LOCK=" + ctx.Online.Lock
	}
	refused := ""
	if r := strings.TrimSpace(ctx.Online.Refusal); r != "" {
		refused = fmt.Sprintf("; it refused the online forms: %s", r)
	}
	rows, known := ctx.rows(table)
	f := finding.Finding{Rule: BlockingDDL, Table: table, Severity: finding.Notice}
	size := fmt.Sprintf("its row count in production is not configured (tables: {%s: {rows: N}}), so this is a notice", table)
	if known {
		size = fmt.Sprintf("%d rows in production", rows)
		if rows >= bigTable {
			f.Severity = finding.Error
		}
	}
	f.Message = fmt.Sprintf("This change of %s cannot run online on this server: it takes %s, so the application's writes to %s wait until it has gone through the whole table (%s%s).",
		qi(table), form, qi(table), size, refused)
	f.Fix = onlinePlan(table, alter).Text()
	return []finding.Finding{f}
}

// onlinePlan is how to run the ALTER clause alter of table without blocking writes.
func onlinePlan(table, alter string) Plan {
	shell := strings.ReplaceAll(alter, `"`, `\"`)
	return Plan{
		Summary: fmt.Sprintf("Run the change of %s online instead of as a plain ALTER (replace <database>):", qi(table)),
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
