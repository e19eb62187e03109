package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/schema-guard/schema-guard/schema"
)

// cleanupTimeout bounds the cleanup at the end of a run, which runs on a fresh context: the
// run's own may be cancelled (SIGINT) and the cleanup must still happen.
const cleanupTimeout = 60 * time.Second

// cleanupLockWait is the lock_wait_timeout, in seconds, of each DROP; a DROP TRIGGER waits for
// the application's open transactions on the table, and the application's new queries queue
// behind it, so each wait is short and retried.
const cleanupLockWait = 2

// Leftovers names what a crashed run left for the table (its _<t>_sg_* tables and triggers), in
// the database db is bound to. A table kept with Options.KeepOld is among them.
func Leftovers(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	database, err := currentDatabase(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("leftovers: %w", err)
	}
	return leftovers(ctx, db, namesFor(database, table))
}

// Cleanup drops them: the triggers first, so that the application's writes stop reaching the
// copier's tables, then the tables. It refuses while a run on the table is in progress. A
// cut-over that died between its RENAME and the re-creation of the table's own triggers on
// the new table (kill -9, a crash) left those triggers on the old table: Cleanup moves them to
// the table before it drops the old one, and returns their names.
func Cleanup(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("cleanup: %w", err)
	}
	defer discard(conn)
	database, err := currentDatabase(ctx, conn)
	if err != nil {
		return nil, fmt.Errorf("cleanup: %w", err)
	}
	n := namesFor(database, table)
	got, err := getLock(ctx, conn, n.lock)
	if err != nil {
		return nil, fmt.Errorf("cleanup: %w", err)
	}
	if !got {
		return nil, fmt.Errorf("cleanup: a copy of %s is running; let it finish or stop it first", table)
	}
	defer releaseLock(conn, n.lock)
	moved, err := rescueTriggers(ctx, conn, n)
	if err != nil {
		return moved, fmt.Errorf("cleanup: %w", err)
	}
	if err := dropObjects(ctx, conn, n, n.tables()); err != nil {
		return moved, fmt.Errorf("cleanup: %w", err)
	}
	return moved, nil
}

// rescueTriggers moves the triggers other than the copier's from the old table to the table
// (moveAppTriggers). On a failure the old table is not dropped.
func rescueTriggers(ctx context.Context, conn *sql.Conn, n names) ([]string, error) {
	stranded, err := readAppTriggers(ctx, conn, n, n.old)
	if err != nil || len(stranded) == 0 {
		return nil, err
	}
	moved, err := moveAppTriggers(ctx, conn, conn, stranded, n.table)
	if err != nil {
		return moved, fmt.Errorf("the table's own triggers were on %s (a cut-over stopped before it moved them), and not all could be moved; %s is kept: %w", n.old, n.old, err)
	}
	return moved, nil
}

// dropObjects drops the copier's triggers, then the given tables of n, all IF EXISTS.
func dropObjects(ctx context.Context, conn *sql.Conn, n names, tables []string) error {
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET SESSION lock_wait_timeout = %d", cleanupLockWait)); err != nil {
		return err
	}
	var errs []error
	for _, t := range n.triggers() {
		if err := retryDDL(ctx, conn, "DROP TRIGGER IF EXISTS "+schema.QuoteIdent(t), 10); err != nil {
			errs = append(errs, fmt.Errorf("drop trigger %s: %w", t, err))
		}
	}
	if len(errs) > 0 {
		// The tables stay while a trigger that writes them does: dropping them would make the
		// application's writes fail.
		return errors.Join(errs...)
	}
	for _, t := range tables {
		if err := retryDDL(ctx, conn, "DROP TABLE IF EXISTS "+schema.QuoteIdent(t), 10); err != nil {
			errs = append(errs, fmt.Errorf("drop table %s: %w", t, err))
		}
	}
	return errors.Join(errs...)
}

// cleanupAfterFailure drops what the run created when it stops before or during the cut-over.
// If the RENAME happened anyway (the cut-over was interrupted after it), the table is the new
// one, complete, and the original is kept under the old name for the user to check.
func (r *run) cleanupAfterFailure(ctx context.Context, conn *sql.Conn) error {
	shadow, err := tableExists(ctx, conn, r.n.shadow)
	if err != nil {
		return err
	}
	tables := []string{r.n.shadow, r.n.errors, r.n.checkpoint, r.n.old}
	if !shadow {
		old, err := tableExists(ctx, conn, r.n.old)
		if err != nil {
			return err
		}
		if old {
			r.cutDone, r.res.CutOver, r.res.OldTable = true, true, r.n.old
			tables = []string{r.n.errors, r.n.checkpoint}
			defer r.log.Warn("the cut-over was interrupted after the RENAME; the original table is kept", "table", r.n.old)
		}
	}
	return dropObjects(ctx, conn, r.n, tables)
}

func tableExists(ctx context.Context, q querier, name string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look for table %s: %w", name, err)
	}
	return n > 0, nil
}

func currentDatabase(ctx context.Context, q querier) (string, error) {
	var name sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&name); err != nil {
		return "", err
	}
	if name.String == "" {
		return "", errors.New("the connection has no database; bind the pool to the table's database")
	}
	return name.String, nil
}

// getLock takes the named lock without waiting.
func getLock(ctx context.Context, conn *sql.Conn, name string) (bool, error) {
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 0)", name).Scan(&got); err != nil {
		return false, fmt.Errorf("take the copier's lock: %w", err)
	}
	return got.Int64 == 1, nil
}

func releaseLock(conn *sql.Conn, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _ = conn.ExecContext(ctx, "DO RELEASE_LOCK(?)", name)
}

// finish ends a run whatever its outcome. The copy sessions are dropped (never handed back to
// the pool); a statement cancelled on the client keeps running on the server, holding its
// locks, so any of them still running is killed. Then, unless the cut-over happened, what the
// run created is dropped, and the named lock is released.
func (r *run) finish(ctx context.Context, runErr error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	r.closeControls()
	if r.conn != nil {
		discard(r.conn)
	}
	var errs []error
	if r.created && (runErr != nil || !r.cutDone) {
		conn, err := r.db.Conn(ctx)
		if err != nil {
			errs = append(errs, err)
		} else {
			r.stopSessions(ctx, conn)
			if !r.cutDone {
				errs = append(errs, r.cleanupAfterFailure(ctx, conn))
			}
			discard(conn)
		}
	}
	if r.guard != nil {
		if r.locked {
			releaseLock(r.guard, r.n.lock)
		}
		discard(r.guard)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("cleanup failed, leftovers may remain (run `schema-guard copy --cleanup`): %w", err)
	}
	return nil
}

// stopSessions kills the run's sessions that still run a statement. They were all dropped
// from the pool, so no id among them belongs to anyone else.
func (r *run) stopSessions(ctx context.Context, conn *sql.Conn) {
	for _, id := range r.sessions {
		var command string
		err := conn.QueryRowContext(ctx, "SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = ?", id).Scan(&command)
		// MySQL fails the read (3854) while any session's statement holds a 4-byte character
		// (sessionState); the session is then killed unseen: the id is the run's own.
		if (err != nil && !isErrno(err, errCannotConvert)) || command == "Sleep" {
			continue
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("KILL %d", id)); err != nil && !isErrno(err, errUnknownThread) {
			r.log.Warn("stop a copy session", "id", id, "err", err)
		}
	}
}

// afterCutover drops the triggers (they moved with the old table) and the error table, and the
// old table unless KeepOld. A failure the triggers recorded between the last check and the
// RENAME cannot happen (cutover.go); were one there, the old table is kept and the run fails.
func (r *run) afterCutover(ctx context.Context) error {
	r.res.CutOver = true
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	te, err := readTriggerError(ctx, r.guard, r.n)
	if err != nil {
		return fmt.Errorf("after the cut-over: %w", err)
	}
	tables := []string{r.n.errors, r.n.checkpoint}
	if te == nil && !r.opts.KeepOld {
		tables = append(tables, r.n.old)
	} else {
		r.res.OldTable = r.n.old
	}
	if err := dropObjects(ctx, r.conn, r.n, tables); err != nil {
		return fmt.Errorf("after the cut-over, cleanup failed (run `schema-guard copy --cleanup`): %w", err)
	}
	switch {
	case len(r.fks) == 0:
	case r.res.OldTable != "":
		r.res.Notes = append(r.res.Notes, foreignKeyNotes(r.n.table, r.fks, "the old table "+r.n.old+" keeps the name")...)
	default:
		if err := restoreForeignKeyNames(ctx, r.conn, r.n.table, r.fks); err != nil {
			r.log.Warn("the foreign keys keep their temporary names", "table", r.n.table, "err", err)
			r.res.Notes = append(r.res.Notes, foreignKeyNotes(r.n.table, r.fks, "renaming it back failed: "+err.Error())...)
		}
	}
	if te != nil {
		return fmt.Errorf("cut over, but the application's %s of row %s could not be applied to the new table: Error %d: %s; the original table is kept as %s",
			te.op, te.key, te.errno, te.message, r.n.old)
	}
	return nil
}
