package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/rules"
)

const explainUsage = `Usage: schema-guard explain [RULE]

Without a rule, lists every rule with its default severity. With one, prints its documentation:
what it catches, why it breaks the deployed application, how to make the change safely, and an
example. Rule levels are set in .schema-guard.yaml:

  rules:
    add-foreign-key: error
    blocking-ddl: off

and a finding is allowed, with a reason, by a comment on the lines right before its statement:

  -- schema-guard:allow drop-column the reporting job stopped reading it in 4.2
`

func runExplain(args []string, stdout, stderr io.Writer) int {
	reg, err := rules.NewRegistry(nil)
	if err != nil {
		return fail(stderr, err)
	}
	switch {
	case len(args) == 0:
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		for _, r := range reg.Rules() {
			fmt.Fprintf(w, "%s\t%s\t%s\n", r.ID, r.Severity, r.Summary)
		}
		fmt.Fprintln(w, "\nReported by the replay, the history and drift checks (not configurable):")
		for _, r := range rules.Builtin() {
			fmt.Fprintf(w, "%s\t%s\t%s\n", r.ID, r.Severity, r.Summary)
		}
		w.Flush()
		return exitOK
	case args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(stdout, explainUsage)
		return exitOK
	case len(args) > 1:
		return fail(stderr, usageError("explain", fmt.Errorf("explain takes one rule, not %d arguments", len(args))))
	}
	r := rules.Describe(finding.RuleID(args[0]))
	if r == nil {
		return fail(stderr, fmt.Errorf("no rule %q; schema-guard explain lists them", args[0]))
	}
	fmt.Fprintf(stdout, "%s (default: %s)\n\n%s\n", r.ID, r.Severity, r.Doc)
	return exitOK
}
