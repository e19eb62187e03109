package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
)

// The checker runs the deployed application's statements (the old-app probes) after every
// pending statement and hands the new failures over in Context.ProbeFailures; this rule turns
// them into evidence. It runs after every other rule of the statement (Registry.CheckStatement),
// because the evidence joins the finding of a rule that already names the break.

func oldAppBreakRule() *Rule {
	return &Rule{
		ID:       finding.OldAppBreak,
		Severity: finding.Error,
		Summary:  "the deployed application's own statements fail after the change (measured, not guessed)",
		Doc: `Catches: a pending statement after which statements of the deployed application fail on
the replayed database. After every pending statement schema-guard runs probes derived from the
deployed schema of each touched table: an INSERT naming only the columns the application must
supply, an UPDATE and a SELECT naming every deployed column. A probe that worked before the
statement and fails after it is evidence; the finding lists each probe and the server's error.

Why it matters: the deployed application keeps serving while the migration runs and until the
new release replaces it. A probe failure is what its own queries will do in production: 1054
(unknown column), 1364 (no default), 1048 (NULL), 1406 (data too long), 1146 (no such table).

When a compatibility rule has already flagged the same statement and table, the evidence is
attached to that rule's finding instead (one problem, one finding; a suppression of it covers the
evidence), and that rule's severity stands: the probe writes the extremes of each deployed type,
which the application may or may not write. Evidence never joins an availability finding
(blocking-ddl), where a break would hide behind a notice. A rule turned off does not hide what the
probe sees: the break is then reported here; turn this rule off, or suppress it, to silence it.

How to do it safely: follow the fix of the rule that names the change (expand first, switch the
application, contract in a later release), or make the change accept what the application does.

Example:
  bad:  ALTER TABLE users ADD COLUMN email varchar(255) NOT NULL;
        -- probe: INSERT INTO users (name) VALUES (...) -> Error 1364
  good: ALTER TABLE users ADD COLUMN email varchar(255) NOT NULL DEFAULT '';`,
	}
}

// notCompatibility are the rules whose findings are about something else than the deployed
// application's compatibility (availability, hygiene): a broken application is never folded
// into one of them, where it would hide behind their severity.
var notCompatibility = map[finding.RuleID]bool{
	finding.BlockingDDL: true, finding.OpaqueStatement: true, finding.MixedDDLDML: true,
	finding.MissingPrimaryKey: true, finding.BadSuppression: true,
}

// probed adds the probe failures of the statement to found, the statement's findings with their
// configured levels: one problem, one finding. A rule that fired on this statement about the
// same table gets the evidence (and a suppression of it covers the evidence); its severity
// stands, since the probe writes the extremes of each deployed type, which the application may
// or may not write. Otherwise the evidence is an old-app-break finding of its own.
func (r *Registry) probed(ctx *Context, found []finding.Finding) []finding.Finding {
	var evidence []finding.Evidence
	var tables []string
	for _, f := range ctx.ProbeFailures {
		evidence = append(evidence, finding.Evidence{SQL: f.SQL, Error: fmt.Sprintf("Error %d: %s", f.Number, f.Message)})
		if !slices.Contains(tables, f.Table) {
			tables = append(tables, f.Table)
		}
	}
	if len(evidence) == 0 {
		return found
	}
	for i := range found {
		if !notCompatibility[found[i].Rule] && slices.ContainsFunc(tables, func(t string) bool { return strings.EqualFold(t, found[i].Table) }) {
			found[i].Evidence = append(found[i].Evidence, evidence...)
			return found
		}
	}
	f := ctx.place(finding.Finding{
		Rule: finding.OldAppBreak, Severity: r.byID[finding.OldAppBreak].Severity, Table: tables[0], Evidence: evidence,
		Message: fmt.Sprintf("after this statement the deployed application's own statements on %s fail (%s): it breaks while and after this migration runs",
			quoteList(tables), evidence[0].Error),
		Fix: "Make the change accept what the deployed application does (the evidence lists its statements and the server's answer), or ship the application change first and make this change in a later release.",
	})
	if f, ok := r.Apply(f); ok {
		found = append(found, f)
	}
	return found
}

// quoteList writes table names for a message: each in backquotes, comma separated.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, ", ")
}
