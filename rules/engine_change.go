package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func engineChangeRule() *Rule {
	return &Rule{
		ID:        finding.EngineChange,
		Severity:  finding.Error,
		Summary:   "a deployed table moves from InnoDB to another storage engine",
		Statement: checkEngineChange,
		Doc: `Catches: a pending statement after which a deployed InnoDB table has another engine
(ENGINE=MyISAM, Aria, MEMORY, ARCHIVE…), however the statement says it.

Why it matters: the other engines give up what the application relies on without knowing it:
transactions (a rollback no longer undoes writes to the table), crash safety (MyISAM tables
need repair after a crash, MEMORY tables come back empty after a restart), row locks (MyISAM
and Aria lock the whole table for every write), and foreign keys (the server drops or refuses
them). The change also copies the whole table.

How to do it safely: keep the table on InnoDB. For an archive of old rows, copy them to a new
table of the other engine and delete them from this one in batches; for a cache, use a new
table.

Example:
  bad:  ALTER TABLE events ENGINE=MyISAM;
  good: CREATE TABLE events_archive LIKE events;  ALTER TABLE events_archive ENGINE=ARCHIVE;`,
	}
}

func checkEngineChange(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.deployedChanges() {
		if tc.After == nil || !strings.EqualFold(tc.Before.Options.Engine, "InnoDB") || tc.After.Options.Engine == "" ||
			strings.EqualFold(tc.After.Options.Engine, "InnoDB") {
			continue
		}
		out = append(out, finding.Finding{
			Rule:     finding.EngineChange,
			Severity: finding.Error,
			Message: fmt.Sprintf("Table %s moves from InnoDB to %s: writes to it are no longer transactional or crash safe (a rollback does not undo them), %s, and foreign keys are not enforced.",
				schema.QuoteIdent(tc.Name), tc.After.Options.Engine, lockingOf(tc.After.Options.Engine)),
			Fix:   fmt.Sprintf("Keep %s on InnoDB (ALTER TABLE %s ENGINE=InnoDB). For archived or cached rows, use a new table of the other engine and move the rows in batches.", schema.QuoteIdent(tc.Name), schema.QuoteIdent(tc.Name)),
			Table: tc.Name,
		})
	}
	return out
}

func lockingOf(engine string) string {
	switch strings.ToUpper(engine) {
	case "MEMORY", "HEAP":
		return "its rows are lost at every server restart, and every write locks the whole table"
	case "MYISAM", "ARIA":
		return "every write locks the whole table"
	}
	return "its locking and durability are the new engine's"
}
