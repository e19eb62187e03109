// Package finding defines what every stage of schema-guard reports: a rule id, a severity and the
// exact place in a file, so that reports, suppression comments and pull-request annotations all
// line up.
package finding

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity says whether a finding fails the check.
type Severity string

// The severities, strongest first. Only Error fails a check (exit code 1).
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Notice  Severity = "notice"
)

// Rank orders severities: 0 for error, 1 for warning, 2 for notice.
func (s Severity) Rank() int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	default:
		return 2
	}
}

// Finding is one problem at one place. Field names and JSON keys are part of the stable report
// format (version 1).
type Finding struct {
	Rule     RuleID   `json:"rule"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column,omitempty"`
	EndLine  int      `json:"end_line,omitempty"`
	// Message is one sentence a reviewer understands without the docs.
	Message string `json:"message"`
	// Fix says what to do instead, with SQL where possible.
	Fix        string `json:"fix,omitempty"`
	Table      string `json:"table,omitempty"`
	ColumnName string `json:"column_name,omitempty"`
	// Evidence is what the server did when the deployed application's statements were run after
	// the change (the old-app probe): proof, not a guess.
	Evidence []Evidence `json:"evidence,omitempty"`
	// Allowed is set when a suppression comment with a reason covers the finding: it stays in
	// the report but does not fail the check.
	Allowed bool   `json:"allowed,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// Evidence is one statement of the deployed application and the server's answer to it.
type Evidence struct {
	SQL   string `json:"sql"`
	Error string `json:"error"`
}

// Fails reports whether the finding fails the check: an error that no suppression allows.
func (f Finding) Fails() bool { return f.Severity == Error && !f.Allowed }

// Pos is "file:line:column", leaving out what is unknown.
func (f Finding) Pos() string {
	switch {
	case f.Line == 0:
		return f.File
	case f.Column == 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
	}
}

// Sort orders findings by file, line, column, then severity and rule, so reports are stable.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Severity.Rank(), b.Severity.Rank()),
			cmp.Compare(a.Rule, b.Rule),
		)
	})
}
