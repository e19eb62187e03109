package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func tightenNotNullRule() *Rule {
	return &Rule{
		ID:        finding.TightenNotNull,
		Severity:  finding.Error,
		Summary:   "a deployed nullable column is made NOT NULL",
		Statement: checkTightenNotNull,
		Doc: `Catches: an ALTER TABLE (MODIFY, CHANGE, …) after which a deployed nullable column is NOT
NULL. An error when the column has no DEFAULT after the change, a warning when it has one.

Why it breaks the old application: the running release may write NULL to the column (an
INSERT or UPDATE with an explicit NULL, which now fails with 1048), and may omit it from its
INSERTs (which, without a default, now fail with 1364). Rows already holding NULL make the
ALTER itself fail in strict mode, or get '' / 0 silently without it. With a DEFAULT only the
explicit NULLs break, hence a warning.

How to do it safely:
  1. expand: give the column a DEFAULT (still nullable) and backfill the NULLs in batches;
  2. release the application that never writes NULL to it;
  3. tighten in a later migration: backfill once more (rows the old release wrote meanwhile),
     then MODIFY … NOT NULL, keeping the DEFAULT.

Example:
  bad:  ALTER TABLE users MODIFY COLUMN phone varchar(20) NOT NULL;
  good: ALTER TABLE users MODIFY COLUMN phone varchar(20) NULL DEFAULT '';
        UPDATE users SET phone = '' WHERE phone IS NULL LIMIT 1000;   -- repeated until done
        -- release, then later:
        ALTER TABLE users MODIFY COLUMN phone varchar(20) NOT NULL DEFAULT '';`,
	}
}

func checkTightenNotNull(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, p := range ctx.alteredColumns() {
		if !p.Before.Nullable || p.After.Nullable || p.After.Generated != nil {
			continue
		}
		f := finding.Finding{
			Rule:       finding.TightenNotNull,
			Table:      p.Table,
			ColumnName: p.Before.Name,
			Fix:        PlanTightenNotNull(ctx.planSchema(), p.BeforeTable, p.Before, p.After).Text(ctx.Script),
		}
		if p.After.Default == nil {
			f.Severity = finding.Error
			f.Message = fmt.Sprintf("Column %s.%s becomes NOT NULL without a DEFAULT: the deployed application's INSERTs that omit it fail (1364), its writes of NULL fail (1048), and rows holding NULL make the ALTER fail.",
				schema.QuoteIdent(p.Table), schema.QuoteIdent(p.Before.Name))
		} else {
			f.Severity = finding.Warning
			f.Message = fmt.Sprintf("Column %s.%s becomes NOT NULL (DEFAULT %s): the deployed application's writes of NULL to it fail with error 1048, and rows holding NULL make the ALTER fail.",
				schema.QuoteIdent(p.Table), schema.QuoteIdent(p.Before.Name), *p.After.Default)
		}
		out = append(out, f)
	}
	return out
}
