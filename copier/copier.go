// Package copier changes a big table online, the way gh-ost and pt-online-schema-change do —
// a shadow table with the change, change capture, a chunked copy, an atomic cut-over — but safe
// by construction: no INSERT IGNORE and no REPLACE anywhere, strict sql_mode, every warning an
// error, a checksum of every chunk, so a change the data cannot survive stops the copy with the
// row's key instead of losing rows silently. Package copier/dryrun runs it on sampled data
// against a reference ALTER, so a pull request learns what the copy would do to its rows.
//
// It needs no binlog access: changes are captured by triggers on the original table.
package copier

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Options configure one online change.
type Options struct {
	// Table is the table to change, in the database the *sql.DB given to Run is bound to.
	Table string
	// Alter is the change: an ALTER TABLE statement on Table, or only its clauses
	// ("ADD COLUMN c INT, ADD INDEX (c)").
	Alter string
	// Execute cuts over; without it the copier stops before the cut-over and drops what it made.
	Execute bool
	// ChunkTime is the time one chunk of the copy should take; 0 means 500 ms.
	ChunkTime time.Duration
	// KeepOld keeps the original table, renamed _<table>_sg_old, after the cut-over.
	KeepOld bool
	// Renames maps new column names to old ones, for an ALTER that renames columns: without it
	// such an ALTER is refused, since the copy cannot know which values go where.
	Renames map[string]string
	// LockWaitTimeout bounds how long the cut-over's RENAME waits for the table and, on
	// MariaDB, how long the copier waits for running statements before it swaps in its
	// triggers (createTriggers); 0 means 2 s.
	LockWaitTimeout time.Duration
	// CutoverAttempts is how often the cut-over is tried; 0 means 5.
	CutoverAttempts int
	// Workers is how many chunks are copied at once, each in its own session; 0 means 2.
	// Chunks are disjoint key ranges, so workers never lock each other's rows.
	Workers int
	// NoForeignKeyChecks copies with foreign_key_checks off: for a table whose parent tables are
	// not there (the dry run's scratch copy). Without it, every row copied is checked against
	// its parents, so a foreign key the ALTER adds stops the copy at the first row that breaks it.
	NoForeignKeyChecks bool
	// NoDeferIndexes copies into a shadow that has all its indexes from the start. Without it,
	// the plain secondary indexes the copy does not need are built once the rows are in, online
	// (lateindex.go), which is faster than writing them row by row.
	NoDeferIndexes bool
	// TimeZone and SQLMode are the time zone and sql_mode the change is judged in, as a plain
	// ALTER run in a session with them would be: the new definition is validated under SQLMode,
	// and values are converted between TIMESTAMP and other types in TimeZone. "" means the
	// server's global value, which is what the application's sessions start with.
	TimeZone, SQLMode string
	// Progress, when set, is told how the copy goes, about once a second.
	Progress func(Progress)
	Log      *slog.Logger
	// BeforeCutover, when set, is called once, after the copy is complete and checked and
	// before the first cut-over attempt (before any lock or RENAME), with Run's context. The
	// dry run stops its synthetic writer here: every write it made has then reached the shadow
	// table through the triggers, and none can race the RENAME or land on the renamed table.
	// An error from it stops the run, which cleans up and returns that error (wrapped).
	BeforeCutover func(ctx context.Context) error
	// Controls pause, stop, postpone and resume the copy (throttle.go, resume.go).
	Controls

	// testHook, for tests, is called at these stages: "ready", in createTriggers before any
	// lock, the shadow and the error table made; "locked", each time the copy session holds the
	// table locked to create triggers, before it creates them; "primed", once the primed
	// triggers exist and the statements older than them have ended; "held", at the cut-over
	// once the RENAME has run and the hold has the new table locked (or failed to), before the
	// foreign keys that reference the table are moved.
	testHook func(stage string)
}

// Progress is a progress report.
type Progress struct {
	Phase  string // "verify", "copy", "index", "cut-over"
	Copied int64
	Total  int64 // estimated rows
	Rate   float64
	ETA    time.Duration
	Paused string // why the copy is paused or the cut-over postponed; "" while it runs
}

// Result is what a finished run did.
type Result struct {
	Rows     int64 // rows copied by the chunks (the triggers' rows are not counted)
	Chunks   int
	Recopied int // chunks copied again after a checksum divergence
	// Workers is how many chunks were copied at once (Options.Workers). When the new table has
	// an AUTO_INCREMENT column and the server's innodb_autoinc_lock_mode is not 2, every INSERT
	// … SELECT holds the table's AUTO-INC lock to its end, so the workers take turns to insert
	// and only the rest of their work (locks, checksums, commits) overlaps.
	Workers       int
	Duration      time.Duration
	RowsPerSecond float64
	CutOver       bool
	// Resumed is set when the run took up a killed run's copy (Controls.Resume); Verified is
	// how many rows of the earlier runs' chunks it found equal in both tables, and Rows
	// counts only what this run copied.
	Resumed  bool
	Verified int64
	// IndexesBuilt are the secondary indexes built after the copy (Options.NoDeferIndexes),
	// in IndexTime.
	IndexesBuilt []string
	IndexTime    time.Duration
	// OldTable is the original table kept after the cut-over ("" when dropped or not cut over).
	OldTable string
	// Notes are what the user should know about a finished run: the foreign keys that keep
	// their temporary names, and how to rename them.
	Notes []string
}

// Refusal is the copier declining to start, or stopping safely, because the change cannot be
// made online without losing or changing data. Nothing it created is left behind.
type Refusal struct {
	// Reason says what is wrong and what the data (or the options) must look like to pass.
	Reason string
	// Key is the key of the row that stopped the copy, when a row did ("id=42").
	Key string
	// BadInput is set when the ALTER itself cannot be read, changes nothing or is on another
	// table: a mistake in what was asked, not in the table or its data.
	BadInput bool
}

func (r *Refusal) Error() string {
	if r.Key != "" {
		return fmt.Sprintf("%s (row %s)", r.Reason, r.Key)
	}
	return r.Reason
}
