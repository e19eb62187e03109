// Package probe runs the deployed application's statements against a replayed database: the
// old-app probes. Derive writes them from the deployed schema (an INSERT naming only the
// columns the application must supply, an UPDATE and a SELECT of every deployed column by
// name, with values at the edges of each type); Calibrate keeps those the deployed state
// accepts; Run runs them after a pending statement and returns those the server now rejects,
// which the checker hands to the rules as evidence (old-app-break). Every probe runs in a
// transaction that is rolled back, on a session of its own that is never pooled.
package probe

import (
	"context"
	"database/sql"

	"github.com/schema-guard/schema-guard/schema"
)

// DB is the database probes run on; runner.Database is one.
type DB interface {
	// Session opens a fresh session on the database. end closes it; clean says the session
	// ended without trouble (the engine may then forget it rather than kill it later). The
	// probes change the session's settings, so its connection must never return to a pool.
	Session(ctx context.Context) (conn *sql.Conn, end func(clean bool), err error)
	// Flavor is the server's flavour and version.
	Flavor() schema.Flavor
	// SchemaName is the database's name on the server.
	SchemaName() string
}

// Probe is one statement the deployed application may run against a table, derived from the
// deployed schema: an INSERT naming only the columns it must supply, an UPDATE and a SELECT of
// every deployed column by name.
//
// See derive.go for how they are derived and run.go for how they run.
type Probe struct {
	Table string
	Kind  string // insert, update, select (Insert, Update, Select)
	SQL   string
	// Setup, for an update, inserts the row SQL changes; it runs first, in the same transaction,
	// and SQL finds the row by its primary key (LAST_INSERT_ID() for an AUTO_INCREMENT key). It
	// is empty when no INSERT can be written for the table (a column the application must supply
	// has a type no value is known for); SQL then updates any one row (LIMIT 1), as it also does
	// when the table has no primary key to find the row by.
	Setup string
	// Fallback is what Run runs instead of SQL when Setup fails after a pending change
	// (the insert probe reports why): SQL on any one existing row, LIMIT 1, so that what the
	// change does to the application's UPDATEs still shows when a row exists. Empty without Setup.
	Fallback string
	// MildColumns are the columns Calibrate gave mild values (1, 'a', '2000-01-01', the
	// first member) because their full-range values fail already in the deployed state (a CHECK,
	// a trigger, a unique key): narrowing these columns is not probed.
	MildColumns []string
	// OmittedColumns are the columns Calibrate left out of an UPDATE because no value of
	// theirs passes in the deployed state, not even a mild one.
	OmittedColumns []string

	// plan is what SQL was written from, for Calibrate to write it again with other
	// values; nil for a Probe built by hand, which is run as it is.
	plan *probePlan
}

// Failure is a probe the server rejected.
type Failure struct {
	Probe   Probe
	Number  uint16 // the server's error number: 1364, 1054, 1048, 1406, 1265…
	Message string
	// Statement is the SQL the server rejected: the probe's SQL, its Setup (Calibrate
	// only) or its Fallback.
	Statement string
}
