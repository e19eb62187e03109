package finding

// RuleID names a rule: the kebab-case id that configuration, suppression comments, reports and
// `schema-guard explain` use. Every id a report can hold is declared here, whichever stage
// produces the finding, so one list is the truth; text from outside (the configuration, a
// suppression comment, a flag) becomes a RuleID where it is read.
type RuleID string

// The compatibility rules of the registry (rules/), in the order the registry lists them.
const (
	RenameColumn          RuleID = "rename-column"
	RenameTable           RuleID = "rename-table"
	DropColumn            RuleID = "drop-column"
	DropTable             RuleID = "drop-table"
	DropView              RuleID = "drop-view"
	DependentObject       RuleID = "dependent-object"
	NotNullWithoutDefault RuleID = "not-null-without-default"
	TightenNotNull        RuleID = "tighten-not-null"
	DropDefault           RuleID = "drop-default"
	NarrowType            RuleID = "narrow-type"
	EnumChange            RuleID = "enum-change"
	CollationChange       RuleID = "collation-change"
	DropPrimaryKey        RuleID = "drop-primary-key"
	EngineChange          RuleID = "engine-change"
	TruncateTable         RuleID = "truncate-table"
	AddUnique             RuleID = "add-unique"
	AddForeignKey         RuleID = "add-foreign-key"
	AddCheck              RuleID = "add-check"
	BlockingDDL           RuleID = "blocking-ddl"
	UnboundedDML          RuleID = "unbounded-dml"
	MixedDDLDML           RuleID = "mixed-ddl-dml"
	MissingPrimaryKey     RuleID = "missing-primary-key"

	// What the old-app probes measure, statements the parser cannot read, and suppression
	// comments that cannot count.
	OldAppBreak     RuleID = "old-app-break"
	OpaqueStatement RuleID = "opaque-statement"
	BadSuppression  RuleID = "bad-suppression"

	// The copier's dry run.
	CopierDataLoss RuleID = "copier-data-loss"
	CopierFailed   RuleID = "copier-failed"
	CopierRefused  RuleID = "copier-refused"
)

// The stage ids: findings the configuration cannot turn off, because each says the check itself
// could not be trusted or that production and the repository disagree.
const (
	// Replay (runner/).
	ReplayFailed     RuleID = "replay-failed"
	SkippedStatement RuleID = "skipped-statement"
	ForeignDatabase  RuleID = "foreign-database"

	// The migration history, discovery and splitting (migrations/).
	EditedMigration  RuleID = "edited-migration"
	DeletedMigration RuleID = "deleted-migration"
	OutOfOrder       RuleID = "out-of-order"
	DuplicateVersion RuleID = "duplicate-version"
	ClientCommand    RuleID = "client-command"
	IgnoredFile      RuleID = "ignored-file"
	ChecksumMismatch RuleID = "checksum-mismatch"

	// The declared state (checker/).
	Drift           RuleID = "drift"
	SeedDrift       RuleID = "seed-drift"
	DeclaredSQLMode RuleID = "declared-sql-mode"
)
