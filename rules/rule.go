// Package rules holds the compatibility rules, and every finding about a pending statement is
// made by one of them: each judges one pending statement (or one pending migration file) by what
// its text says (package facts) and the schema model just before and just after it ran, and
// says how to make the change safely. The application version on the base branch keeps serving
// while pending migrations run, and must keep working afterwards until it is replaced; every rule
// protects that old version, the data, or the database's availability.
//
// Rules judge models, never SQL text, and are pure: the checker takes the models and
// measurements from the live engine (online DDL, the copier's dry run, the old-app probes) and
// hands them over as plain data in Context; the package imports neither the SQL parser nor
// the runner. One file per rule; to add one, write its file with a constructor returning a
// *Rule, list it in allRules (registry.go), declare its id in finding, and test it with a
// Context built from small models (helpers_test.go).
package rules

import (
	"github.com/schema-guard/schema-guard/facts"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

// Context is what a statement rule sees of one pending statement.
type Context struct {
	// Statement is what the pending statement's text says. It is not Parsed when the parser
	// cannot read it: rules then judge what the models say it did, and what only the text would
	// say is unknown.
	Statement *facts.Statement
	// Before and After hold the tables the statement touches, as they are just before and just
	// after it ran, introspected from the replay. A table absent from Before did not exist yet;
	// absent from After, it no longer exists (or was renamed).
	Before, After *schema.Schema
	// Deployed is the state the deployed migrations produce: what the running application knows.
	// Rules judge only changes to objects that exist here; a table created in the same change
	// has no old readers.
	Deployed *schema.Schema
	// Deprecated are the objects the deployed application no longer uses, read at the base ref.
	Deprecated *Deprecated
	// Tables is the configuration's knowledge of production tables (row counts).
	Tables map[string]TableConfig
	// SeedTables are the tables whose rows the migrations own (seed_tables:).
	SeedTables []string
	// Online is the measured online-DDL behaviour of the statement on this server, nil when the
	// statement is not an ALTER of a deployed table (or could not be measured).
	Online *schema.Online
	// DryRun is the verdict of the online copier's dry run of the statement, nil when it did
	// not run (not an ALTER of a deployed table on the copier's path, or --no-copier).
	DryRun *DryRun
	// ProbeFailures are the deployed application's statements (the old-app probes) that fail
	// after this statement and did not before it, in the order they ran.
	ProbeFailures []ProbeFailure
	// Script writes a fix's SQL as a migration holds it (migrations.Script).
	Script Script
	// NotMeasured says why the online behaviour of a statement that changed a deployed table
	// was not measured (a dynamic statement, a form the measurement does not support); "" when
	// it was, or when there was nothing to measure.
	NotMeasured string

	changes []*TableChange // TableChanges, once derived
}

// DryRunVerdict is the outcome of the online copier's dry run.
type DryRunVerdict int

// The verdicts of a dry run (dryrun.Lossless, Lossy, Refused, Failed).
const (
	Lossless DryRunVerdict = iota // the copy gives exactly what the plain ALTER gives
	Lossy                         // rows lost, added or changed compared with the plain ALTER
	Refused                       // the copier stopped safely, with the reason
	Failed                        // the copier failed for another reason
)

// DryRun is what the online copier's dry run of a statement found, as plain data.
type DryRun struct {
	Table                            string
	Verdict                          DryRunVerdict
	SampleRows                       int64
	RowsLost, RowsAdded, RowsChanged int64
	// Examples are up to five keys of rows lost, added or changed ("id=42").
	Examples []string
	// BeforeCopy is set on a refusal that came before any row was copied: the table's shape or
	// the ALTER itself, not the data.
	BeforeCopy bool
	// Detail explains the verdict: the refusal's reason, the failure.
	Detail string
}

// ProbeFailure is one of the deployed application's statements (an old-app probe) that the
// server rejected after a statement, with the server's answer.
type ProbeFailure struct {
	Table   string
	SQL     string
	Number  uint16
	Message string
}

// FileContext is what a file rule sees: one pending migration file.
type FileContext struct {
	// Path is the migration file's path, for findings about it as a whole.
	Path       string
	Statements []facts.Statement
	Deployed   *schema.Schema
}

// TableConfig is the configuration of one production table (`tables: {orders: {rows: 5000000}}`).
type TableConfig struct {
	Rows int64 `yaml:"rows"`
}

// Rule is one compatibility rule.
type Rule struct {
	// ID is stable and public: configuration, suppression comments and reports use it.
	ID finding.RuleID
	// Severity is the default severity; a rule may return findings of another severity where
	// its documentation says so (tighten-not-null, blocking-ddl), and the configuration
	// overrides both.
	Severity finding.Severity
	// Summary is one line for listings.
	Summary string
	// Doc is what `schema-guard explain <id>` prints: what the rule catches, why it breaks the
	// old application, how to make the change safely, and an example.
	Doc string
	// Statement judges one pending statement; nil for rules that do not.
	Statement func(*Context) []finding.Finding
	// File judges one pending migration file; nil for rules that do not.
	File func(*FileContext) []finding.Finding
}
