package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func narrowTypeRule() *Rule {
	return &Rule{
		ID:        finding.NarrowType,
		Severity:  finding.Error,
		Summary:   "a deployed column's type is changed to one that cannot hold every old value",
		Statement: checkNarrowType,
		Doc: `Catches: an ALTER TABLE (MODIFY, CHANGE, CONVERT TO CHARACTER SET, …) after which a
deployed column holds less than before: a shorter length, a lower precision or scale, a
smaller integer range, signed to unsigned, another type family, a character set lacking
characters of the old one (utf8mb4 to utf8mb3 or latin1), a smaller TEXT or BLOB type, fewer
fractional digits of a second, datetime to timestamp. Widening is fine: varchar(50) to
varchar(255), int to bigint, float to double, decimal(10,2) to decimal(12,2), date to
datetime, latin1 to utf8mb4. ENUM and SET members are enum-change's.

Why it breaks the old application and the data: rows the new type cannot hold make the ALTER
fail in strict mode, or are truncated or rounded without it; afterwards the running release's
writes of such values fail with 1406 (data too long) or 1264 (out of range), or lose data.

How to do it safely:
  1. count the rows that do not fit (the fix has the query) and fix them;
  2. if the deployed application cannot write wider values, the change is safe: keep it with
     -- schema-guard:allow narrow-type <why>;
  3. otherwise replace the column as a rename does: a new column of the narrow type, sync
     triggers, a batched backfill, the application switch, then drop the old column.

Example:
  bad:  ALTER TABLE users MODIFY COLUMN email varchar(100) NOT NULL;   -- was varchar(255)
  good: SELECT COUNT(*) FROM users WHERE CHAR_LENGTH(email) > 100;    -- 0, app validates
        -- schema-guard:allow narrow-type app rejects longer emails since 41
        ALTER TABLE users MODIFY COLUMN email varchar(100) NOT NULL;`,
	}
}

func checkNarrowType(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, p := range ctx.alteredColumns() {
		from, err1 := schema.TypeOf(p.Before)
		to, err2 := schema.TypeOf(p.After)
		if err1 != nil || err2 != nil {
			continue
		}
		why, narrows := Narrowing(from, to)
		if !narrows {
			continue
		}
		out = append(out, finding.Finding{
			Rule:     finding.NarrowType,
			Severity: finding.Error,
			Message: fmt.Sprintf("Column %s.%s changes from %s to %s, which cannot hold every value the old type could (%s): rows may be truncated or make the ALTER fail, and the deployed application's writes of such values fail.",
				schema.QuoteIdent(p.Table), schema.QuoteIdent(p.Before.Name), typeWithCharset(from), typeWithCharset(to), why),
			Fix:        PlanNarrowColumn(ctx.planSchema(), p.BeforeTable, p.Before, p.After, "").Text(ctx.Script),
			Table:      p.Table,
			ColumnName: p.Before.Name,
		})
	}
	return out
}

// typeWithCharset writes a type for a message, with its character set where it has one.
func typeWithCharset(t schema.ColumnType) string {
	if t.Charset != "" && hasCharset(t.Family) {
		return t.String() + " " + t.Charset
	}
	return t.String()
}
