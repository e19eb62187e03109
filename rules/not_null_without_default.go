package rules

import (
	"fmt"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func notNullWithoutDefaultRule() *Rule {
	return &Rule{
		ID:        finding.NotNullWithoutDefault,
		Severity:  finding.Error,
		Summary:   "a column is added NOT NULL without a DEFAULT to a deployed table",
		Statement: checkNotNullWithoutDefault,
		Doc: `Catches: ALTER TABLE … ADD COLUMN on a deployed table where the added column ends up NOT
NULL without a DEFAULT (as the server reports it after the statement: a TIMESTAMP the server
gives a default is fine). AUTO_INCREMENT and generated columns fill themselves and are fine.

Why it breaks the old application: the running release does not know the column, so its
INSERTs do not name it; with no default to fall back on, each fails with 1364 (field doesn't
have a default value) in strict mode, or silently stores '' / 0 without it.

How to do it safely:
  - give the column a DEFAULT, so the old release's rows get that value; or
  - add it nullable, release the application that writes it in every INSERT, then backfill
    the NULLs and make it NOT NULL in a later migration.

Example:
  bad:  ALTER TABLE users ADD COLUMN email varchar(255) NOT NULL;
  good: ALTER TABLE users ADD COLUMN email varchar(255) NOT NULL DEFAULT '';
  or:   ALTER TABLE users ADD COLUMN email varchar(255) NULL;
        -- release writing email, then later: backfill, and
        ALTER TABLE users MODIFY COLUMN email varchar(255) NOT NULL;`,
	}
}

func checkNotNullWithoutDefault(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.deployedChanges() {
		for _, c := range tc.AddedColumns() {
			if c.Nullable || c.Default != nil || c.AutoIncrement || c.Generated != nil {
				continue
			}
			out = append(out, finding.Finding{
				Rule:     finding.NotNullWithoutDefault,
				Severity: finding.Error,
				Message: fmt.Sprintf("Column %s.%s is added NOT NULL without a DEFAULT, so the deployed application's INSERTs into %s, which do not name it, fail with error 1364.",
					schema.QuoteIdent(tc.Name), schema.QuoteIdent(c.Name), schema.QuoteIdent(tc.Name)),
				Fix:        PlanAddNotNull(ctx.planSchema(), tc.After, c).Text(ctx.Script),
				Table:      tc.Name,
				ColumnName: c.Name,
			})
		}
	}
	return out
}
