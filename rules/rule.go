// Package rules holds the compatibility rules: each judges one pending statement (or one pending
// migration file) by its parsed AST and the schema model just before and just after it ran, and
// says how to make the change safely. The application version on the base branch keeps serving
// while pending migrations run, and must keep working afterwards until it is replaced; every rule
// protects that old version, the data, or the database's availability.
//
// Rules judge models, never SQL text, and are pure: the checker takes the models and
// measurements from the live engine and hands them over. One file per rule.
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
	// Script writes a fix's SQL as a migration holds it (migrations.Script).
	Script Script
	// NotMeasured says why the online behaviour of a statement that changed a deployed table
	// was not measured (a dynamic statement, a form the measurement does not support); "" when
	// it was, or when there was nothing to measure.
	NotMeasured string

	changes []*TableChange // TableChanges, once derived
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
