package runner

import (
	"context"

	"github.com/schema-guard/schema-guard/migrations"
)

// Hooks are told about a replay as it goes. Every field may be nil.
type Hooks struct {
	// Progress is told about each unit just before it runs; i counts from 0.
	Progress func(i int, u *Unit)
	// Statement is called just before each statement is sent. The function it returns (nil
	// for none) is called just after the statement succeeded, not after a failure: what the
	// hook learnt before the statement reaches it as a value, never through shared fields. An
	// error from either stops the replay and is returned by Replay.
	Statement func(ctx context.Context, st *migrations.Statement) (after func(context.Context) error, err error)
}

// Probe is one statement the deployed application may run against a table, derived from the
// deployed schema: an INSERT naming only the columns it must supply, an UPDATE and a SELECT of
// every deployed column by name.
//
// See probe.go for how they are derived and probe_run.go for how they run.
type Probe struct {
	Table string
	Kind  string // insert, update, select (ProbeInsert, ProbeUpdate, ProbeSelect)
	SQL   string
	// Setup, for an update, inserts the row SQL changes; it runs first, in the same transaction,
	// and SQL finds the row by its primary key (LAST_INSERT_ID() for an AUTO_INCREMENT key). It
	// is empty when no INSERT can be written for the table (a column the application must supply
	// has a type no value is known for); SQL then updates any one row (LIMIT 1), as it also does
	// when the table has no primary key to find the row by.
	Setup string
	// Fallback is what RunProbes runs instead of SQL when Setup fails after a pending change
	// (the insert probe reports why): SQL on any one existing row, LIMIT 1, so that what the
	// change does to the application's UPDATEs still shows when a row exists. Empty without Setup.
	Fallback string
	// MildColumns are the columns CalibrateProbes gave mild values (1, 'a', '2000-01-01', the
	// first member) because their full-range values fail already in the deployed state (a CHECK,
	// a trigger, a unique key): narrowing these columns is not probed.
	MildColumns []string
	// OmittedColumns are the columns CalibrateProbes left out of an UPDATE because no value of
	// theirs passes in the deployed state, not even a mild one.
	OmittedColumns []string

	// plan is what SQL was written from, for CalibrateProbes to write it again with other
	// values; nil for a Probe built by hand, which is run as it is.
	plan *probePlan
}

// ProbeFailure is a probe the server rejected.
type ProbeFailure struct {
	Probe   Probe
	Number  uint16 // the server's error number: 1364, 1054, 1048, 1406, 1265…
	Message string
	// Statement is the SQL the server rejected: the probe's SQL, its Setup (CalibrateProbes
	// only) or its Fallback.
	Statement string
}
