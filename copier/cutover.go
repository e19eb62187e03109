package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/schema"
)

// errCutoverTimeout is an attempt that could not get the table in time; the next may.
var errCutoverTimeout = errors.New("the cut-over timed out waiting for the table")

// The cut-over must not let a captured change go unchecked: the triggers record a failure in the
// error table, and a failure recorded after the last check but before the RENAME would leave the
// new table without that change. So the last check happens while nobody can write the table,
// and the RENAME follows without letting a write in between.
//
// The order in which locks are taken decides whether the application's writes can deadlock with
// the cut-over. A write takes the table's metadata lock, then, through the triggers, the
// shadow's and the error table's. The server takes the metadata locks of a RENAME or a LOCK
// TABLES in name order, and _t_sg_new sorts before t: a RENAME holding the shadow while it waits
// for the table, against a write holding the table while it waits for the shadow, is a deadlock
// whose victim is the write. LOCK TABLES t WRITE would take the shadow too (the triggers' tables
// are locked with the table), and MariaDB cannot RENAME under LOCK TABLES at all. So:
//
//  1. the lock session takes LOCK TABLES t READ, within lock_wait_timeout. A READ lock blocks
//     every write (reads go on) and, unlike WRITE, locks no table of the triggers. Once it holds
//     it, no write is under way, so no trigger is running;
//  2. the guard session checks the error table and that the triggers are all there;
//  3. the rename session sends RENAME TABLE t TO old, shadow TO t. It takes the shadow (free:
//     no write is under way) and the old name, and waits for the table;
//  4. once it is seen waiting, the lock session unlocks. A waiting RENAME goes before the writes
//     waiting for the table, so it runs first, and the writes then reach the new table.
//
// When the RENAME is not seen waiting in time, it is killed before the lock session unlocks, so
// that it never holds the shadow while writes hold the table. No sentry table is needed: the
// RENAME is only sent after the check has passed.

// cutOver runs the protocol up to opts.CutoverAttempts times. The lock session is the copy
// session; the guard session checks and watches.
func (r *run) cutOver(ctx context.Context) error {
	var err error
	for attempt := 1; attempt <= r.opts.CutoverAttempts; attempt++ {
		r.progress(phaseCutover)
		err = r.tryCutOver(ctx)
		if !errors.Is(err, errCutoverTimeout) {
			return err
		}
		r.log.Info("cut-over attempt timed out", "table", r.n.table, "attempt", attempt)
		if err := sleep(ctx, time.Duration(attempt)*200*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("cut-over: %d attempts: %w", r.opts.CutoverAttempts, err)
}

func (r *run) tryCutOver(ctx context.Context) error {
	if te, err := readTriggerError(ctx, r.guard, r.n); err != nil || te != nil {
		if err != nil {
			return err
		}
		return te.refusal(r.n.table)
	}
	if err := r.carryAutoIncrement(ctx); err != nil {
		return err
	}
	l := r.conn
	if _, err := l.ExecContext(ctx, "LOCK TABLES "+schema.QuoteIdent(r.n.table)+" READ"); err != nil {
		if isErrno(err, errLockWait) {
			return errCutoverTimeout
		}
		return fmt.Errorf("cut-over: lock the table: %w", err)
	}
	locked := true
	unlock := func() {
		if locked {
			locked = false
			_, _ = l.ExecContext(ctx, "UNLOCK TABLES")
		}
	}
	defer unlock()
	if err := r.checkUnderLock(ctx); err != nil {
		return err
	}
	rename, renameID, err := r.startRename(ctx)
	if err != nil {
		return err
	}
	waiting, err := r.waitForRename(ctx, renameID, rename)
	var h *hold
	if err == nil && waiting {
		h, err = r.holdNewTable(ctx) // parents.go: nil when no table references this one
	}
	if err != nil || !waiting {
		// Stop the RENAME before unlocking: were it to run now, it would hold the shadow while
		// the writes waiting for the table take it.
		r.killQuery(ctx, renameID)
		unlock()
		rerr := <-rename
		switch {
		case rerr == nil:
			// It ran after all (it got its locks as the kill came, or the watch failed while it
			// waited): the cut-over happened, whatever stopped the watch.
			r.cutDone = true
			r.childErr = r.afterRename(ctx, nil)
			return nil
		case err != nil:
			return err
		case isErrno(rerr, errLockWait, errQueryInterrupted):
			return errCutoverTimeout
		}
		return fmt.Errorf("cut-over: rename: %w", rerr)
	}
	unlock()
	if err := <-rename; err != nil {
		h.release(ctx, r)
		if isErrno(err, errLockWait) {
			return errCutoverTimeout
		}
		return fmt.Errorf("cut-over: rename: %w", err)
	}
	r.cutDone = true
	r.childErr = r.afterRename(ctx, h)
	return nil
}

func (r *run) killQuery(ctx context.Context, id int64) {
	if _, err := r.guard.ExecContext(ctx, fmt.Sprintf("KILL QUERY %d", id)); err != nil && !isErrno(err, errUnknownThread) {
		r.log.Warn("stop the cut-over's rename", "err", err)
	}
}

// checkUnderLock is the last check: no trigger failed, and the triggers are all there (a
// Cleanup run by hand while the copy ran would have dropped them).
func (r *run) checkUnderLock(ctx context.Context) error {
	te, err := readTriggerError(ctx, r.guard, r.n)
	if err != nil {
		return err
	}
	if te != nil {
		return te.refusal(r.n.table)
	}
	var n int
	err = r.guard.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME IN (?, ?, ?)",
		r.n.table, r.n.insTrigger, r.n.updTrigger, r.n.delTrigger).Scan(&n)
	if err != nil {
		return fmt.Errorf("cut-over: check the triggers: %w", err)
	}
	if n != 3 {
		return fmt.Errorf("cut-over: the copier's triggers on %s are gone (was Cleanup run meanwhile?); the shadow table may miss changes", r.n.table)
	}
	return nil
}

// startRename opens the rename session and sends the RENAME; its result arrives on the channel.
func (r *run) startRename(ctx context.Context) (chan error, int64, error) {
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("cut-over: open the rename session: %w", err)
	}
	var id int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		discard(conn)
		return nil, 0, fmt.Errorf("cut-over: %w", err)
	}
	r.sessions = append(r.sessions, id)
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET SESSION lock_wait_timeout = %d", r.lockWaitSeconds())); err != nil {
		discard(conn)
		return nil, 0, fmt.Errorf("cut-over: %w", err)
	}
	done := make(chan error, 1)
	stmt := "RENAME TABLE " + schema.QuoteIdent(r.n.table) + " TO " + schema.QuoteIdent(r.n.old) + ", " + schema.QuoteIdent(r.n.shadow) + " TO " + schema.QuoteIdent(r.n.table)
	go func() {
		_, err := conn.ExecContext(ctx, stmt)
		discard(conn)
		done <- err
	}()
	return done, id, nil
}

// waitForRename polls the process list until the rename session waits for the tables' metadata
// lock on the table. It reports false when the RENAME ended first (its result is back on the
// channel) or did not start waiting within the lock wait timeout.
func (r *run) waitForRename(ctx context.Context, id int64, rename chan error) (bool, error) {
	return r.waitForMetadataLock(ctx, id, "RENAME", rename)
}

// waitForMetadataLock polls the process list until session id waits for a metadata lock in a
// statement that starts with prefix. It reports false when the statement ended first (its result
// is put back on the channel) or did not start waiting within the lock wait timeout.
func (r *run) waitForMetadataLock(ctx context.Context, id int64, prefix string, done chan error) (bool, error) {
	deadline := time.Now().Add(r.opts.LockWaitTimeout)
	for time.Now().Before(deadline) {
		state, info, err := r.sessionState(ctx, id)
		if err != nil {
			return false, fmt.Errorf("cut-over: watch session %d: %w", id, err)
		}
		if strings.Contains(strings.ToLower(state), "metadata lock") && strings.HasPrefix(strings.ToUpper(info), prefix) {
			return true, nil
		}
		select {
		case err := <-done:
			// Put the result back for the caller; the channel's buffer has room again.
			done <- err
			return false, nil
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
	return false, nil
}

// sessionState reads a session's state and statement off the process list ("" when it is not
// there). MySQL's information_schema.PROCESSLIST converts every session's statement to utf8mb3
// and fails (3854) while any of them holds a 4-byte character, such as an application's INSERT
// of an emoji, so on MySQL the copier reads performance_schema.processlist (utf8mb4) and, where
// that is off or not granted, counts such a failure as "not seen yet" and asks again.
func (r *run) sessionState(ctx context.Context, id int64) (state, info string, err error) {
	var st, in sql.NullString
	const q = "SELECT STATE, INFO FROM %s WHERE ID = ?"
	if r.f.MinMySQL(8, 0, 22) && !r.perfChecked {
		// With performance_schema off (as in the container engine's server) its processlist is
		// empty: the copier would never see the RENAME wait.
		r.perfChecked = true
		var on int
		if err := r.guard.QueryRowContext(ctx, "SELECT @@performance_schema").Scan(&on); err != nil || on == 0 {
			r.noPerfProcesslist = true
		}
	}
	if r.f.MinMySQL(8, 0, 22) && !r.noPerfProcesslist {
		err = r.guard.QueryRowContext(ctx, fmt.Sprintf(q, "performance_schema.processlist"), id).Scan(&st, &in)
		if !isErrno(err, errNoSuchTable, errTableDenied) {
			if errors.Is(err, sql.ErrNoRows) {
				err = nil
			}
			return st.String, in.String, err
		}
		r.noPerfProcesslist = true
	}
	err = r.guard.QueryRowContext(ctx, fmt.Sprintf(q, "information_schema.PROCESSLIST"), id).Scan(&st, &in)
	if errors.Is(err, sql.ErrNoRows) || isErrno(err, errCannotConvert) {
		err = nil
	}
	return st.String, in.String, err
}

// carryAutoIncrement gives the shadow the original's AUTO_INCREMENT counter, so that the ids of
// rows deleted at the end of the table are not handed out again after the cut-over. Rows the
// application inserts after this read reach the shadow with their ids and move its counter on.
// An ALTER that sets AUTO_INCREMENT = n gets what the plain ALTER gives instead: the counter the
// server makes of n on a table holding these rows, n or one past the largest id if that is more
// (the server's rule, also for a plain ALTER that rebuilds the table), whatever the original's
// counter was.
func (r *run) carryAutoIncrement(ctx context.Context) error {
	var next sql.NullInt64
	err := r.guard.QueryRowContext(ctx, "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", r.n.table).Scan(&next)
	if err != nil {
		return fmt.Errorf("cut-over: read the AUTO_INCREMENT counter: %w", err)
	}
	hasAuto := false
	for _, c := range r.shadow.Columns {
		hasAuto = hasAuto || c.AutoIncrement
	}
	if !next.Valid || !hasAuto {
		return nil
	}
	counter := strconv.FormatInt(next.Int64, 10)
	if r.plan.autoIncrement > 0 {
		counter = strconv.FormatUint(r.plan.autoIncrement, 10)
	}
	stmt := "ALTER TABLE " + schema.QuoteIdent(r.n.shadow) + " AUTO_INCREMENT = " + counter
	if err := retryDDL(ctx, r.conn, stmt, r.opts.CutoverAttempts); err != nil {
		return fmt.Errorf("cut-over: carry the AUTO_INCREMENT counter: %w", err)
	}
	return nil
}
