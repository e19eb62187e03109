// Package dryrun is the online copier's dry run in CI: for a pending ALTER of a deployed table
// it loads sampled rows and edge rows (the values the change's constraints are about) into two
// scratch databases, runs copier.Run on one while a synthetic writer writes to the table, runs
// the plain ALTER on the other after the same writes, and compares the two tables. The verdict
// says whether the copier loses, adds or changes rows compared with the ALTER, refuses, or
// fails. It drives the copier only through its exported API.
package dryrun

import "github.com/schema-guard/schema-guard/schema"

// Verdicts of a dry run.
const (
	Lossless = "lossless" // the copy gives exactly what the ALTER gives
	Lossy    = "lossy"    // rows lost, added or changed compared with the ALTER
	Refused  = "refused"  // the copier stopped safely, with the reason
	Failed   = "failed"   // the copier failed for another reason
)

// Options configure a dry run.
type Options struct {
	// Before is the table as deployed; After is the same table after the ALTER (from the replay),
	// which tells the sample which edge rows to hold.
	Before, After *schema.Table
	// CreateTable is the deployed table's SHOW CREATE TABLE.
	CreateTable string
	// Alter is the pending statement: ALTER TABLE on the table, or CREATE INDEX on it.
	Alter string
	// Rows is the number of generated sample rows; 0 means 10,000.
	Rows int
	// SampleCSV, when not empty, is the user's own sample for this table: a CSV file whose
	// header row names the columns; it replaces the generated rows (edge rows are still added).
	SampleCSV string
	// ReferencedBy names the foreign keys of other tables that reference this one, in the
	// database the statement runs in ("orders.fk_orders_user"). The dry run copies the table
	// alone, without them, so it is told: a referenced table is refused as the copier would.
	ReferencedBy []string
	// Seed makes the sample and the writes reproducible.
	Seed   int64
	Flavor schema.Flavor
}

// Verdict is what a dry run found.
type Verdict struct {
	Verdict     string // Lossless, Lossy, Refused or Failed
	SampleRows  int64
	RowsLost    int64
	RowsAdded   int64
	RowsChanged int64
	// Examples are up to five keys of rows lost, added or changed ("id=42"; "a=1 b='x'" for
	// a key of several columns), lost rows first.
	Examples      []string
	RowsPerSecond float64
	// EdgeRows is how many of SampleRows are edge rows, chosen for this ALTER's constraints.
	EdgeRows int64
	// Writes is how many writes the synthetic writer made on the copier's table while it ran
	// (and then on the reference): inserts, updates and deletes, refused ones included.
	Writes int64
	// WritesBlocked counts writes the table takes that failed while the copier ran: its
	// triggers or locks made the application's write fail. Not a lost row — the application
	// saw the error — but an outage of writes the verdict alone does not show.
	WritesBlocked int64
	// BeforeCopy is set on a refusal that came before any row was copied: the table's shape
	// (its keys, the foreign keys that reference it, its triggers) or the ALTER itself, not the
	// data. Such a refusal matters only when the ALTER cannot run online in place.
	BeforeCopy bool
	// Detail explains the verdict: the refusal's reason and what the data must look like, the
	// failure, or what the sample and the writer did.
	Detail string
}
