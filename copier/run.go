package copier

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// Progress phases.
const (
	phaseCopy    = "copy"
	phaseCutover = "cut-over"
	phaseIndex   = "index" // the deferred secondary indexes are built (lateindex.go)
)

// chunkLockWait is the copy session's innodb_lock_wait_timeout, in seconds: a chunk that waits
// longer for an application's transaction is rolled back and tried again, rather than holding
// the locks it has while it waits.
const chunkLockWait = 5

// run is one Run.
type run struct {
	db    *sql.DB
	opts  Options
	log   *slog.Logger
	f     schema.Flavor
	n     names
	guard *sql.Conn // holds the named lock; reads metadata; watches the cut-over
	conn  *sql.Conn // the copy session: strict, UTC, raw result bytes
	// sessions are the server ids of the copy session and the workers', which finish stops.
	sessions []int64

	orig, shadow *tableInfo
	keys         []*chunkKey // the chunk keys the original offers that the ALTER does not drop
	key          *chunkKey   // the chosen chunk key (kc.key)
	kc           *keyChoice  // the chunk key, the shadow's range index and row key (keychoice.go)
	cols         *copyColumns
	plan         *alterPlan
	fks          []foreignKey    // the table's own foreign keys
	children     []childKey      // other tables' foreign keys that reference it (parents.go)
	appTriggers  []appTrigger    // the table's own triggers, carried over at the cut-over (apptriggers.go)
	deferred     []deferredIndex // the shadow's indexes built after the copy (lateindex.go)
	childErr     error           // moving them, or the triggers, at the cut-over failed
	co           *coordinator

	began, copyBegan  time.Time
	copyTook          time.Duration
	lastReport        time.Time
	locked            bool // the guard session holds the named lock
	created           bool // the run may have created objects
	cutDone           bool
	verbosity         bool // the server has note_verbosity (hasNoteVerbosity)
	noPerfProcesslist bool // MySQL: performance_schema.processlist is off or not granted (sessionState)
	perfChecked       bool // whether performance_schema is on was asked (sessionState)
	ctl               controls
	res               Result

	// server are the settings a plain ALTER would run in, copySet the chunks' and triggers'
	// (session.go); zoned says the copy converts in the server's time zone.
	server, copySet settings
	zoned           bool
}

// Run changes opts.Table online in the database db is bound to. A safe stop is a *Refusal —
// the change cannot be made without losing or changing data, or a precondition does not hold —
// and anything else is a failure. Whatever happens (an error, a refusal, ctx cancelled, a panic)
// nothing the run created is left behind, unless the cleanup itself fails, which the error says.
// The Result is returned with the error too, and says how far the run got.
func Run(ctx context.Context, db *sql.DB, opts Options) (res *Result, err error) {
	r := &run{db: db, opts: withDefaults(opts), began: time.Now()}
	r.log = r.opts.Log
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("copier: internal error", "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("copier: internal error: %v", p)
		}
		if ferr := r.finish(ctx, err); ferr != nil {
			if err == nil {
				err = ferr
			} else {
				err = fmt.Errorf("%v; and then: %w", err, ferr)
			}
		}
		r.res.Duration = time.Since(r.began)
		res = &r.res
	}()
	return nil, r.run(ctx)
}

func withDefaults(o Options) Options {
	if o.ChunkTime <= 0 {
		o.ChunkTime = 500 * time.Millisecond
	}
	if o.LockWaitTimeout <= 0 {
		o.LockWaitTimeout = 2 * time.Second
	}
	if o.CutoverAttempts <= 0 {
		o.CutoverAttempts = 5
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// lockWaitSeconds is LockWaitTimeout as lock_wait_timeout takes it: whole seconds, at least one.
func (r *run) lockWaitSeconds() int64 {
	return max(1, int64(math.Ceil(r.opts.LockWaitTimeout.Seconds())))
}

// run makes the change: setup, the shadow table and its triggers (or the killed run's, when
// resuming), the copy, the checks before the cut-over, and the cut-over when Execute is set.
func (r *run) run(ctx context.Context) error {
	if err := r.setup(ctx); err != nil {
		return err
	}
	conn, id, err := r.openSession(ctx)
	if err != nil {
		return fmt.Errorf("copier: open the copy session: %w", err)
	}
	r.conn, r.sessions = conn, append(r.sessions, id)
	// A resume that is refused leaves the killed run's objects for another try (created unset).
	resumed, err := r.loadResume(ctx)
	if err != nil {
		return err
	}
	r.created = true
	if !resumed {
		// The new definition is made, and so validated, as the plain ALTER would make it.
		err = r.asServer(ctx, r.conn, func() (err error) {
			r.shadow, r.cols, err = createShadow(ctx, r.conn, r.f, r.n, r.plan, r.orig, r.opts.Renames)
			return err
		})
		if err != nil {
			return err
		}
		if err := r.chooseKey(ctx); err != nil {
			return err
		}
		if err := r.tryAppTriggers(ctx); err != nil {
			return err
		}
		if err := addShadowForeignKeys(ctx, r.conn, r.n, r.fks); err != nil {
			return err
		}
		if err := r.deferIndexes(ctx); err != nil {
			return err
		}
	}
	// A resumed copy converts in the zone the killed one chose: the same server, the same shadow.
	if err := r.chooseZone(ctx); err != nil {
		return err
	}
	if !resumed {
		if err := r.createTriggers(ctx); err != nil {
			return fmt.Errorf("copier: %w", err)
		}
		if err := r.createCheckpoint(ctx); err != nil {
			return err
		}
	}
	if err := r.copy(ctx); err != nil {
		return err
	}
	if te, err := readTriggerError(ctx, r.conn, r.n); err != nil || te != nil {
		if err != nil {
			return fmt.Errorf("copier: %w", err)
		}
		return te.refusal(r.n.table)
	}
	if err := r.buildDeferred(ctx); err != nil {
		return err
	}
	if err := r.beforeCutover(ctx); err != nil {
		return err
	}
	if err := r.checkChildren(ctx); err != nil {
		return err
	}
	if r.opts.BeforeCutover != nil {
		if err := r.opts.BeforeCutover(ctx); err != nil {
			return fmt.Errorf("copier: before the cut-over: %w", err)
		}
	}
	if !r.opts.Execute {
		return nil
	}
	if err := r.cutOver(ctx); err != nil {
		return err
	}
	r.opts.KeepOld = r.opts.KeepOld || r.childErr != nil
	return errors.Join(r.afterCutover(ctx), r.childErr)
}

// setup connects the run's guard session, reads the server, takes the table's lock (refusing
// when another copy holds it), and checks the table, the ALTER and the load: everything before
// the copier makes anything.
func (r *run) setup(ctx context.Context) error {
	if r.opts.Table == "" {
		return errors.New("copier: no table given")
	}
	var err error
	if r.guard, err = r.db.Conn(ctx); err != nil {
		return fmt.Errorf("copier: connect: %w", err)
	}
	if r.f, err = introspect.ReadFlavor(ctx, r.guard); err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	database, err := currentDatabase(ctx, r.guard)
	if err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	r.n = namesFor(database, r.opts.Table)
	if err := r.readServerSettings(ctx); err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	if r.f.MinMySQL(8, 0, 0) {
		// MySQL 8 caches information_schema.TABLES; the cut-over reads AUTO_INCREMENT from it.
		if _, err := r.guard.ExecContext(ctx, "SET SESSION information_schema_stats_expiry = 0"); err != nil {
			return fmt.Errorf("copier: %w", err)
		}
	}
	if r.locked, err = r.takeLock(ctx); err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	if !r.locked {
		return &Refusal{Reason: fmt.Sprintf("another copy of %s is running", r.n.table)}
	}
	if err := r.preflight(ctx); err != nil {
		return err
	}
	if err := r.checkControls(ctx); err != nil {
		return err
	}
	return nil
}

// preflight refuses, before anything is created, what the copier cannot do safely.
func (r *run) preflight(ctx context.Context) error {
	t := r.n.table
	var err error
	if r.orig, err = readTable(ctx, r.guard, r.f, t); err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	if r.orig == nil {
		return &Refusal{Reason: fmt.Sprintf("table %s does not exist (or is not a base table) in this database", t)}
	}
	if !strings.EqualFold(r.orig.Engine, "InnoDB") {
		return &Refusal{Reason: fmt.Sprintf("table %s uses the %s engine; the copier needs InnoDB's transactions and row locks", t, r.orig.Engine)}
	}
	left, err := leftovers(ctx, r.guard, r.n)
	if err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	if len(left) > 0 && !r.opts.Resume {
		return &Refusal{Reason: fmt.Sprintf("an earlier copy of %s left %s behind (it crashed, or kept the old table); drop them with `schema-guard copy --cleanup` (copier.Cleanup), then run again", t, joinNames(left))}
	}
	if r.plan, err = parseAlterOn(ctx, r.guard, t, r.opts.Alter, r.opts.Renames); err != nil {
		return err
	}
	keys, err := findKeys(ctx, r.guard, r.f, r.orig, t)
	if err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	if len(keys) == 0 {
		return &Refusal{Reason: fmt.Sprintf("table %s has no primary key and no NOT NULL unique key (over integer, decimal, string, temporal or ENUM columns, without prefix parts) for the copy to walk; add one first", t)}
	}
	var first error
	for _, k := range keys {
		if err := r.plan.checkKey(k); err != nil {
			first = cmp.Or(first, err)
			continue
		}
		r.keys = append(r.keys, k)
	}
	if len(r.keys) == 0 {
		return first
	}
	incoming, own, err := foreignKeys(ctx, r.guard, t)
	if err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	if len(incoming) > 0 {
		if err := r.parentPreflight(ctx); err != nil {
			return err
		}
	}
	if len(own) > 0 {
		if r.fks, err = readForeignKeys(ctx, r.guard, t); err != nil {
			return fmt.Errorf("copier: %w", err)
		}
		if err := checkForeignKeys(t, r.plan, r.fks); err != nil {
			return err
		}
	}
	if r.appTriggers, err = readAppTriggers(ctx, r.guard, r.n, r.n.table); err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	if len(r.appTriggers) > 0 && !multipleTriggers(r.f) {
		return &Refusal{Reason: fmt.Sprintf("table %s has triggers, and %s takes only one trigger per event and timing", t, r.f)}
	}
	for _, a := range r.appTriggers {
		if err := a.checkCarry(t); err != nil {
			return err
		}
	}
	return nil
}

// openSession opens the copy session: the copy's sql_mode (strict; the triggers created in it
// keep it) and time zone (session.go), results in each column's own character set
// (keys.go), notes counted as warnings, REPEATABLE READ for the chunks' next-key locks.
func (r *run) openSession(ctx context.Context) (*sql.Conn, int64, error) {
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return nil, 0, err
	}
	var id int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		discard(conn)
		return nil, 0, err
	}
	stmts := []string{
		"SET SESSION sql_mode = " + sqlString(r.copySet.mode) + ", time_zone = " + sqlString(r.copySet.zone) + ", sql_notes = 1, character_set_results = NULL, " +
			fmt.Sprintf("foreign_key_checks = %d, unique_checks = 1, autocommit = 1, ", fkChecks(r.opts.NoForeignKeyChecks)) +
			fmt.Sprintf("innodb_lock_wait_timeout = %d, lock_wait_timeout = %d", chunkLockWait, r.lockWaitSeconds()),
		"SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
	}
	if r.verbosity, err = hasNoteVerbosity(ctx, conn); err != nil {
		discard(conn)
		return nil, 0, err
	}
	if r.verbosity {
		// Notes count only where note_verbosity also has "basic".
		stmts = append(stmts, "SET SESSION note_verbosity = 'basic'")
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			discard(conn)
			return nil, 0, err
		}
	}
	return conn, id, nil
}

// fkChecks is the copy session's foreign_key_checks.
func fkChecks(off bool) int {
	if off {
		return 0
	}
	return 1
}

// record copies the copy's counters into the result.
func (r *run) record() {
	if r.co == nil {
		return
	}
	r.res.Rows, r.res.Chunks, r.res.Recopied = r.co.copied, r.co.chunks, r.co.recopied
	took := r.copyTook
	if took == 0 {
		took = time.Since(r.copyBegan)
	}
	if took > 0 {
		r.res.RowsPerSecond = float64(r.res.Rows) / took.Seconds()
	}
}

// progress tells opts.Progress how the copy goes, at most once a second within a phase.
func (r *run) progress(phase string) {
	if r.opts.Progress == nil || r.co == nil {
		return
	}
	if phase == phaseCopy && time.Since(r.lastReport) < time.Second {
		return
	}
	r.lastReport = time.Now()
	p := Progress{Phase: phase, Copied: r.co.copied, Total: r.estimate()}
	if s := time.Since(r.copyBegan).Seconds(); s > 0 {
		p.Rate = float64(p.Copied) / s
	}
	if p.Rate > 0 && p.Total > p.Copied {
		p.ETA = time.Duration(float64(p.Total-p.Copied) / p.Rate * float64(time.Second))
	}
	r.opts.Progress(p)
}

// estimate is the number of rows to copy: information_schema's estimate at first; with a single
// integer key, refined by how far through the key range the copy is.
func (r *run) estimate() int64 {
	co := r.co
	total := max(r.orig.Rows, co.copied)
	if co.intKey && co.copied > 0 && co.hiInt > co.minInt {
		// The key range dispatched so far holds the rows copied and those in flight.
		done := float64(co.hiInt-co.minInt) / float64(co.maxInt-co.minInt)
		if done > 0.05 {
			total = max(int64(float64(co.copied+co.inflight)/done), co.copied)
		}
	}
	return total
}

func joinNames(names []string) string { return strings.Join(names, ", ") }
