package probe

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// Lock waits that end a probe say nothing about the old application: the probe could not run.
const (
	errLockWaitTimeout = 1205
	errDeadlock        = 1213
)

// Calibrate runs probes on the database in its deployed state and keeps those that pass.
// An INSERT or UPDATE whose full-range values the deployed schema already rejects (a CHECK or a
// trigger they violate, a unique key they collide with) is retried with mild values in every
// column; if that passes, columns get their full-range values back one at a time, each kept
// only if the probe still passes, so one strict column does not blunt the probe for the others.
// Columns left mild are listed in the kept probe's MildColumns; an UPDATE leaves out a column
// for which not even the mild value passes (OmittedColumns). An UPDATE whose setup INSERT cannot
// be made to pass is tried on any row instead (LIMIT 1, no setup). A probe that fails even so is
// dropped and returned among the failures, with the server's reason.
//
// The error return is for infrastructure trouble only.
func Calibrate(ctx context.Context, d DB, probes []Probe) ([]Probe, []Failure, error) {
	s, err := openSession(ctx, d)
	if err != nil {
		return nil, nil, err
	}
	var kept []Probe
	var dropped []Failure
	for _, p := range probes {
		k, f, err := s.calibrate(ctx, p)
		if err != nil {
			return nil, nil, errors.Join(err, s.close(ctx))
		}
		if f != nil {
			dropped = append(dropped, *f)
			continue
		}
		kept = append(kept, k)
	}
	if err := s.close(ctx); err != nil {
		return nil, nil, err
	}
	return kept, dropped, nil
}

// Run runs every probe on a session of the database, each in its own transaction that is
// rolled back, and returns those the server rejected with its error number and message. An
// UPDATE whose Setup fails runs its Fallback instead (the INSERT probe reports the Setup's
// reason). INSERT and UPDATE probes on a table whose engine cannot roll back (the change made it
// MyISAM, say) are skipped rather than run.
//
// The database is left as it was: every probe is rolled back, and AUTO_INCREMENT counters,
// which a rollback does not restore, are set back to their values before the probes (with
// ALTER TABLE … AUTO_INCREMENT, only for the tables whose counter moved). The one thing that is
// not undone is what a trigger writes into a table whose engine cannot roll back.
// Foreign key checks are off in the probe session: what the old application does about foreign
// keys is its own business and not what the probes test.
//
// The error return is for infrastructure trouble only: a lost connection, a cancelled context, a
// lock the probe waited for in vain.
func Run(ctx context.Context, d DB, probes []Probe) ([]Failure, error) {
	s, err := openSession(ctx, d)
	if err != nil {
		return nil, err
	}
	var failures []Failure
	for _, p := range probes {
		if p.Kind != Select && !s.canWrite(p.Table) {
			continue
		}
		f, err := s.run(ctx, p, false)
		if err != nil {
			return nil, errors.Join(err, s.close(ctx))
		}
		if f != nil {
			failures = append(failures, *f)
		}
	}
	if err := s.close(ctx); err != nil {
		return nil, err
	}
	return failures, nil
}

// probeSession is a session prepared for probes, with what it must restore when it closes.
type probeSession struct {
	d    DB
	conn *sql.Conn
	end  func(clean bool)
	// before are the database's tables as the session found them.
	before map[string]tableState
}

// tableState is what probes may change about a table outside its rows.
type tableState struct {
	engine        string
	autoIncrement sql.NullString // a string scan survives BIGINT UNSIGNED counters
}

func openSession(ctx context.Context, d DB) (*probeSession, error) {
	conn, end, err := d.Session(ctx)
	if err != nil {
		return nil, fmt.Errorf("probe session: %w", err)
	}
	s := &probeSession{d: d, conn: conn, end: end}
	if err := s.prepare(ctx); err != nil {
		end(false)
		return nil, fmt.Errorf("probe session: %w", err)
	}
	return s, nil
}

// prepare sets the session up. Strict mode makes a value the changed column cannot hold an error
// rather than a silent truncation, which is what the probes look for; NO_BACKSLASH_ESCAPES is
// dropped because the ENUM literals are copied as the server printed them, with backslash
// escapes. UTC makes the TIMESTAMP limits exact. Lock waits are short: the replay session holds
// nothing when probes run, so a wait means something is wrong.
func (s *probeSession) prepare(ctx context.Context) error {
	var mode string
	if err := s.conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		return err
	}
	set := "SET SESSION foreign_key_checks = 0, time_zone = '+00:00', sql_mode = ?, " +
		"innodb_lock_wait_timeout = 10, lock_wait_timeout = 10"
	if f := s.d.Flavor(); f.MinMySQL(8, 0, 3) {
		// MySQL 8 caches information_schema.TABLES.AUTO_INCREMENT for a day by default.
		set += ", information_schema_stats_expiry = 0"
	}
	if _, err := s.conn.ExecContext(ctx, set, probeSQLMode(mode)); err != nil {
		return err
	}
	var err error
	s.before, err = s.tables(ctx)
	return err
}

// probeSQLMode is the session's sql_mode made strict and without NO_BACKSLASH_ESCAPES.
func probeSQLMode(mode string) string {
	var keep []string
	strict := false
	for _, m := range strings.Split(mode, ",") {
		m = strings.ToUpper(strings.TrimSpace(m))
		switch m {
		case "", "NO_BACKSLASH_ESCAPES":
			continue
		case "STRICT_TRANS_TABLES", "STRICT_ALL_TABLES":
			strict = true
		}
		keep = append(keep, m)
	}
	if !strict {
		keep = append(keep, "STRICT_TRANS_TABLES")
	}
	return strings.Join(keep, ",")
}

// tables reads the engine and AUTO_INCREMENT counter of every base table of the database, in
// one query: a trigger may insert into tables the probes do not name.
func (s *probeSession) tables(ctx context.Context) (map[string]tableState, error) {
	const query = `SELECT TABLE_NAME, ENGINE, AUTO_INCREMENT FROM information_schema.TABLES
		WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')`
	out := map[string]tableState{}
	err := introspect.QueryRows(ctx, s.conn, query, []any{s.d.SchemaName()}, func(rows *sql.Rows) error {
		var name string
		var engine sql.NullString
		var st tableState
		if err := rows.Scan(&name, &engine, &st.autoIncrement); err != nil {
			return err
		}
		st.engine = engine.String
		out[name] = st
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read table states: %w", err)
	}
	return out, nil
}

// canWrite reports whether write probes may run on a table: it rolls back, or it does not exist
// (the probe then fails with 1146, which is what it is for).
func (s *probeSession) canWrite(table string) bool {
	st, ok := s.before[table]
	return !ok || transactional(st.engine)
}

// close sets back the AUTO_INCREMENT counters the probes moved and ends the session. The
// session's settings are the probes' own, so its connection is discarded, never pooled.
func (s *probeSession) close(ctx context.Context) error {
	err := s.restore(ctx)
	s.end(err == nil)
	return err
}

// restore sets back the AUTO_INCREMENT counters the probes moved.
func (s *probeSession) restore(ctx context.Context) error {
	after, err := s.tables(ctx)
	if err != nil {
		return err
	}
	for name, st := range after {
		old, ok := s.before[name]
		if !ok || !old.autoIncrement.Valid || old.autoIncrement == st.autoIncrement {
			continue
		}
		// The old value is above every remaining key (the probes' rows are gone), so InnoDB
		// takes it as it is. The value comes from the server as digits; it is checked anyway
		// because it is spliced into DDL.
		if strings.Trim(old.autoIncrement.String, "0123456789") != "" {
			return fmt.Errorf("restore AUTO_INCREMENT of %s: unexpected value %q", name, old.autoIncrement.String)
		}
		stmt := "ALTER TABLE " + schema.QuoteIdent(name) + " AUTO_INCREMENT = " + old.autoIncrement.String
		if _, err := s.conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("restore AUTO_INCREMENT of %s: %w", name, err)
		}
	}
	return nil
}

// run runs one probe in a transaction it rolls back. A statement the server rejects is returned
// as a failure; other errors are returned as errors. When calibrating, a failing Setup is the
// probe's failure; otherwise the Fallback runs instead of SQL.
func (s *probeSession) run(ctx context.Context, p Probe, calibrating bool) (f *Failure, err error) {
	tx, err := s.conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("probe %s %s: begin: %w", p.Kind, p.Table, err)
	}
	defer func() {
		if rerr := tx.Rollback(); rerr != nil && err == nil {
			f, err = nil, fmt.Errorf("probe %s %s: roll back: %w", p.Kind, p.Table, rerr)
		}
	}()
	stmt := p.SQL
	if p.Setup != "" {
		_, err = tx.ExecContext(ctx, p.Setup)
		setupFailure, err := probeError(p, p.Setup, err)
		switch {
		case err != nil || (setupFailure != nil && calibrating):
			return setupFailure, err
		case setupFailure != nil:
			stmt = p.Fallback
		}
	}
	if p.Kind == Select {
		err = drain(tx.QueryContext(ctx, stmt))
	} else {
		_, err = tx.ExecContext(ctx, stmt)
	}
	return probeError(p, stmt, err)
}

// drain reads and closes a probe's result.
func drain(rows *sql.Rows, err error) error {
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	return errors.Join(rows.Err(), rows.Close())
}

// probeError sorts a probe statement's error: nil, a failure (the server rejected it), or an
// infrastructure error.
func probeError(p Probe, stmt string, err error) (*Failure, error) {
	if err == nil {
		return nil, nil
	}
	var me *mysql.MySQLError
	if !errors.As(err, &me) || me.Number == errLockWaitTimeout || me.Number == errDeadlock {
		return nil, fmt.Errorf("probe %s %s: %w", p.Kind, p.Table, err)
	}
	return &Failure{Probe: p, Number: me.Number, Message: me.Message, Statement: stmt}, nil
}

// calibrate finds the strongest form of p that passes on the deployed state, or the reason none
// does. See Calibrate.
func (s *probeSession) calibrate(ctx context.Context, p Probe) (Probe, *Failure, error) {
	if p.Kind != Select && !s.canWrite(p.Table) {
		return p, nil, nil
	}
	if p.plan == nil || p.Kind == Select {
		f, err := s.run(ctx, p, true)
		return p, f, err
	}
	candidates := []*probePlan{p.plan.clone()}
	if p.plan.canInsert && p.Kind == Update {
		alone := p.plan.clone()
		alone.insert, alone.canInsert, alone.key = nil, false, nil
		candidates = append(candidates, alone)
	}
	var first *Failure
	for _, plan := range candidates {
		kept, f, err := s.calibratePlan(ctx, plan)
		if err != nil || f == nil {
			return kept, nil, err
		}
		if first == nil {
			f.Probe = p
			first = f
		}
	}
	return Probe{}, first, nil
}

// calibratePlan finds values for plan that pass, strongest first. Its INSERT (the insert
// probe, or an update's setup) is tried with full-range values, then mild ones, and if mild
// ones pass, columns get their full-range values back one at a time. An UPDATE's assignments
// are then tried all full-range at once and, if that fails, added one at a time: full-range,
// else mild, else left out. The failure returned is the reason the plan cannot pass at all.
func (s *probeSession) calibratePlan(ctx context.Context, plan *probePlan) (Probe, *Failure, error) {
	try := func(p Probe) (*Failure, error) { return s.run(ctx, p, true) }
	if plan.canInsert {
		// The INSERT alone, so that a failing assignment of the UPDATE does not count against it.
		insertOnly := func() Probe { return Probe{Table: plan.table, Kind: Insert, SQL: plan.insertSQL()} }
		if f, err := strengthen(slotPointers(plan.insert), insertOnly, try); err != nil || f != nil {
			return Probe{}, f, err
		}
	}
	if plan.kind != Update {
		return plan.render(), nil, nil
	}
	f, err := try(plan.render())
	if err != nil || f == nil {
		return plan.render(), nil, err
	}
	var firstFailure *Failure
	for i := range plan.set {
		plan.set[i].omit = true
	}
	for i := range plan.set {
		sl := &plan.set[i]
		sl.omit = false
		passed := false
		for _, mild := range []bool{false, true} {
			if mild && sl.fixed() {
				break
			}
			sl.mild = mild
			f, err := try(plan.render())
			if err != nil {
				return Probe{}, nil, err
			}
			if passed = f == nil; passed {
				break
			}
			if firstFailure == nil {
				firstFailure = f
			}
		}
		if !passed {
			sl.omit, sl.mild = true, false
		}
	}
	if !slices.ContainsFunc(plan.set, func(sl probeSlot) bool { return !sl.omit }) {
		return Probe{}, firstFailure, nil
	}
	return plan.render(), nil, nil
}

// strengthen calibrates slots for the probe that probe writes: full-range values if they pass,
// else mild ones with full-range values given back one slot at a time where they still pass.
func strengthen(slots []*probeSlot, probe func() Probe, try func(Probe) (*Failure, error)) (*Failure, error) {
	if f, err := try(probe()); err != nil || f == nil {
		return f, err
	}
	for _, sl := range slots {
		sl.mild = !sl.fixed()
	}
	if f, err := try(probe()); err != nil || f != nil {
		return f, err
	}
	for _, sl := range slots {
		if !sl.mild {
			continue
		}
		sl.mild = false
		f, err := try(probe())
		if err != nil {
			return nil, err
		}
		sl.mild = f != nil
	}
	return nil, nil
}

func slotPointers(slots []probeSlot) []*probeSlot {
	out := make([]*probeSlot, len(slots))
	for i := range slots {
		out[i] = &slots[i]
	}
	return out
}
