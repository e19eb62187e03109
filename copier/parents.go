package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// Tables that other tables reference (the parents). InnoDB moves a child's foreign key along with
// a RENAME of its parent, so after the cut-over's swap the children would reference the old
// table. The copier moves them to the new one inside the cut-over, each with two metadata-only
// statements under foreign_key_checks = 0 (measured on MariaDB 10.11 and 11.8: ALGORITHM=INSTANT
// and INPLACE accepted, no rebuild, time independent of the child's size; bench/fkmove.sh):
//
//	ALTER TABLE child DROP FOREIGN KEY fk, ADD CONSTRAINT _fk FOREIGN KEY … REFERENCES t …
//	ALTER TABLE child DROP FOREIGN KEY _fk, ADD CONSTRAINT fk FOREIGN KEY … REFERENCES t …
//
// Two, because no server takes a DROP and an ADD of one name in one statement (1826, duplicate
// constraint name), and a DROP on its own would leave the child unchecked for a moment. Each
// statement keeps the child checked against some parent throughout.
//
// The window. Between the RENAME and the first statement the children reference the old table,
// so the new one must take no write: a DELETE there would not cascade, and a child row inserted
// for a parent row new there would fail. Child writes meanwhile are harmless: they are checked
// against the old table, which holds exactly the new one's rows while both are frozen. So a
// fourth session, the hold, sends LOCK TABLES t WRITE once the RENAME is seen waiting, and the
// lock session unlocks only once the hold is seen waiting too. A waiting RENAME goes first, then
// the waiting WRITE lock: measured on all three servers, a pending LOCK TABLES … WRITE is granted
// before writes that waited longer (a pending READ is not). The writes wait until the children
// are moved; then the hold unlocks, and the anti-join looks for a child row without its parent
// before the run reports the cut-over done (an orphan keeps the old table and fails the run).
// The new table has no children when the hold gets it (they are on the old one), so its lock
// takes none of theirs, and the children's ALTERs do not wait for it (measured; a WRITE lock on
// a table that has children would lock them too).
//
// Every session of the cut-over asks for one table at a time, so none holds a table while it
// waits for another: no metadata-lock deadlock can make an application's statement its victim.
// MariaDB's ALTER of a child does not wait for a lock its parent is held with, which makes this
// possible there. MySQL takes an exclusive metadata lock on both parents for every change of a
// child's foreign key (it waits for our own hold), and its RENAME of a parent waits for the
// children's transactions: the move cannot run beside the cut-over's locks, and the copier
// refuses such tables on MySQL with the statements for a maintenance window (mysqlParentRefusal).
//
// One case is left that the protocol cannot exclude: an application transaction that touched a
// child and then waits to write the new table keeps the child's ALTER waiting for the hold. After
// CutoverAttempts tries the hold lets go, the ALTER runs without it, and the run fails, naming
// the window and the anti-join's finding, rather than reporting a clean cut-over.

// childKey is a foreign key of another table (the child) that references the table.
type childKey struct {
	child   string
	name    string
	body    string // "FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE"
	cols    []string
	refCols []string
}

func (c childKey) tempName() string { return "_" + c.name }

// moveStatements are the two statements that move the key to the table now named by the body's
// REFERENCES (the new table, after the RENAME), keeping its name.
func (c childKey) moveStatements() []string {
	alter := "ALTER TABLE " + schema.QuoteIdent(c.child) + " DROP FOREIGN KEY "
	return []string{
		alter + schema.QuoteIdent(c.name) + ", ADD CONSTRAINT " + schema.QuoteIdent(c.tempName()) + " " + c.body + ", ALGORITHM=INPLACE, LOCK=NONE",
		alter + schema.QuoteIdent(c.tempName()) + ", ADD CONSTRAINT " + schema.QuoteIdent(c.name) + " " + c.body + ", ALGORITHM=INPLACE, LOCK=NONE",
	}
}

// orphanQuery finds a row of the child whose key has no row in parent (MATCH SIMPLE: a key with a
// NULL column is not checked).
func (c childKey) orphanQuery(parent string) string {
	var notNull, match []string
	for i, col := range c.cols {
		notNull = append(notNull, "c."+schema.QuoteIdent(col)+" IS NOT NULL")
		match = append(match, "p."+schema.QuoteIdent(c.refCols[i])+" = c."+schema.QuoteIdent(col))
	}
	return "SELECT " + qnames("c.", c.cols) + " FROM " + schema.QuoteIdent(c.child) + " c WHERE " + strings.Join(notNull, " AND ") +
		" AND NOT EXISTS (SELECT 1 FROM " + schema.QuoteIdent(parent) + " p WHERE " + strings.Join(match, " AND ") + ") LIMIT 1"
}

func (c childKey) String() string { return c.child + " (" + c.name + ")" }

// readChildKeys reads the foreign keys of other tables of the database that reference table.
func readChildKeys(ctx context.Context, q querier, table string) ([]childKey, error) {
	const query = `SELECT rc.CONSTRAINT_SCHEMA = DATABASE(), rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME
		FROM information_schema.REFERENTIAL_CONSTRAINTS rc
		JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA
		  AND k.TABLE_NAME = rc.TABLE_NAME AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL
		WHERE rc.UNIQUE_CONSTRAINT_SCHEMA = DATABASE() AND rc.REFERENCED_TABLE_NAME = ?
		  AND NOT (rc.CONSTRAINT_SCHEMA = DATABASE() AND rc.TABLE_NAME = ?)
		ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION`
	var keys []childKey
	var elsewhere []string
	err := introspect.QueryRows(ctx, q, query, []any{table, table}, func(r *sql.Rows) error {
		var here bool
		var child, name, col, ref string
		if err := r.Scan(&here, &child, &name, &col, &ref); err != nil {
			return err
		}
		if !here {
			elsewhere = append(elsewhere, child+" ("+name+")")
			return nil
		}
		if n := len(keys); n == 0 || keys[n-1].child != child || keys[n-1].name != name {
			keys = append(keys, childKey{child: child, name: name})
		}
		k := &keys[len(keys)-1]
		k.cols, k.refCols = append(k.cols, col), append(k.refCols, ref)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the foreign keys that reference %s: %w", table, err)
	}
	if len(elsewhere) > 0 {
		return nil, &Refusal{Reason: fmt.Sprintf("table %s is referenced by foreign keys of tables in other databases (%s); the copier moves only those of its own database", table, joinNames(elsewhere))}
	}
	for i := range keys {
		fks, err := readForeignKeys(ctx, q, keys[i].child)
		if err != nil {
			return nil, err
		}
		for _, fk := range fks {
			if fk.name == keys[i].name {
				keys[i].body = fk.body
			}
		}
		if keys[i].body == "" {
			return nil, fmt.Errorf("read foreign key %s: SHOW CREATE TABLE does not show it", keys[i])
		}
	}
	return keys, nil
}

// parentPreflight replaces the refusal of a referenced table: it reads the children's keys and
// refuses what the cut-over cannot move.
func (r *run) parentPreflight(ctx context.Context) error {
	keys, err := readChildKeys(ctx, r.guard, r.n.table)
	if err != nil {
		return err
	}
	if !r.f.IsMariaDB() {
		return mysqlParentRefusal(r.n, keys)
	}
	for _, k := range keys {
		if len(k.tempName()) > maxIdent {
			return &Refusal{Reason: fmt.Sprintf("foreign key %s references %s and has a name of 64 characters; the cut-over needs one more for its temporary name", k, r.n.table)}
		}
		var n int
		err := r.guard.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = ?", k.tempName()).Scan(&n)
		if err != nil {
			return fmt.Errorf("copier: %w", err)
		}
		if n > 0 {
			return &Refusal{Reason: fmt.Sprintf("foreign key %s references %s, and the name %s that the cut-over needs for it meanwhile is taken", k, r.n.table, k.tempName())}
		}
	}
	r.children = keys
	return nil
}

// mysqlParentRefusal is the refusal of a referenced table on MySQL, with the statements that
// move the children in a maintenance window (the cut-over's swap and the move, in one session
// under LOCK TABLES, which MySQL 8.0.13+ allows for RENAME; run on MySQL 9.7).
func mysqlParentRefusal(n names, keys []childKey) *Refusal {
	locks := []string{schema.QuoteIdent(n.table) + " WRITE", schema.QuoteIdent(n.shadow) + " WRITE"}
	var moves []string
	for _, k := range keys {
		locks = append(locks, schema.QuoteIdent(k.child)+" WRITE")
		moves = append(moves, k.moveStatements()...)
	}
	stmts := append([]string{
		"LOCK TABLES " + strings.Join(locks, ", "),
		"RENAME TABLE " + schema.QuoteIdent(n.table) + " TO " + schema.QuoteIdent(n.old) + ", " + schema.QuoteIdent(n.shadow) + " TO " + schema.QuoteIdent(n.table),
		"SET SESSION foreign_key_checks = 0",
	}, moves...)
	stmts = append(stmts, "SET SESSION foreign_key_checks = 1", "UNLOCK TABLES")
	by := make([]string, len(keys))
	for i, k := range keys {
		by[i] = k.String()
	}
	return &Refusal{Reason: fmt.Sprintf("table %s is referenced by foreign keys of %s, which the cut-over's RENAME would leave on the old table; "+
		"MySQL locks both parents for every change of a child's foreign key and its RENAME of a parent waits for the children's transactions, "+
		"so the copier cannot move them beside its cut-over without a window. In a maintenance window (no writes to %s or its children), "+
		"after a copy kept with its shadow table, run in one session: %s",
		n.table, joinNames(by), n.table, strings.Join(stmts, "; "))}
}

// checkChildren runs before the cut-over: the server takes each child's key against the new
// table's definition (a temporary empty copy of the child gets it with checks on), and no child
// row lacks its parent in the shadow. Both need no lock of the application's tables.
func (r *run) checkChildren(ctx context.Context) error {
	for i, k := range r.children {
		probe := r.n.probe
		fk := sgName(fmt.Sprintf("%s_%d", r.n.table, i), "fkp")
		stmts := []string{
			"DROP TABLE IF EXISTS " + schema.QuoteIdent(probe),
			"CREATE TABLE " + schema.QuoteIdent(probe) + " LIKE " + schema.QuoteIdent(k.child),
			"ALTER TABLE " + schema.QuoteIdent(probe) + " ADD CONSTRAINT " + schema.QuoteIdent(fk) + " " + strings.Replace(k.body, "REFERENCES "+schema.QuoteIdent(r.n.table)+" ", "REFERENCES "+schema.QuoteIdent(r.n.shadow)+" ", 1),
		}
		var err error
		for _, s := range stmts {
			if _, err = r.conn.ExecContext(ctx, s); err != nil {
				break
			}
		}
		if _, derr := r.conn.ExecContext(ctx, "DROP TABLE IF EXISTS "+schema.QuoteIdent(probe)); err == nil && derr != nil {
			err = derr
		}
		if me := mysqlError(err); me != nil {
			return &Refusal{Reason: fmt.Sprintf("foreign key %s cannot reference %s as the ALTER changes it: Error %d: %s", k, r.n.table, me.Number, me.Message)}
		}
		if err != nil {
			return fmt.Errorf("copier: check foreign key %s against the new table: %w", k, err)
		}
		if err := r.orphan(ctx, r.conn, k, r.n.shadow); err != nil {
			return err
		}
	}
	return nil
}

// orphan returns a refusal naming a row of the child without its parent row in parent.
func (r *run) orphan(ctx context.Context, q querier, k childKey, parent string) error {
	vals := make([]sql.NullString, len(k.cols))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	err := q.QueryRowContext(ctx, k.orphanQuery(parent)).Scan(ptrs...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("copier: look for rows of %s without their parent: %w", k.child, err)
	}
	key := make([]string, len(vals))
	for i, v := range vals {
		key[i] = k.cols[i] + "=" + v.String
	}
	return &Refusal{Reason: fmt.Sprintf("a row of %s has no parent row in the new %s (foreign key %s)", k.child, r.n.table, k.name), Key: strings.Join(key, ", ")}
}

// hold is the session that freezes the new table from the RENAME until the children are moved.
type hold struct {
	conn *sql.Conn
	id   int64
	done chan error // the LOCK TABLES' result
}

// holdNewTable sends the hold's LOCK TABLES once the RENAME waits, and waits until it waits too.
// nil, nil when the table has no children and no triggers of its own (apptriggers.go).
func (r *run) holdNewTable(ctx context.Context) (*hold, error) {
	if len(r.children) == 0 && len(r.appTriggers) == 0 {
		return nil, nil
	}
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("cut-over: open the hold session: %w", err)
	}
	h := &hold{conn: conn, done: make(chan error, 1)}
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&h.id); err != nil {
		discard(conn)
		return nil, fmt.Errorf("cut-over: %w", err)
	}
	r.sessions = append(r.sessions, h.id)
	// It waits for the lock session and then for the RENAME, each bounded by lock_wait_timeout.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET SESSION lock_wait_timeout = %d", 3*r.lockWaitSeconds())); err != nil {
		discard(conn)
		return nil, fmt.Errorf("cut-over: %w", err)
	}
	go func() {
		_, err := conn.ExecContext(ctx, "LOCK TABLES "+schema.QuoteIdent(r.n.table)+" WRITE")
		h.done <- err
	}()
	waiting, err := r.waitForMetadataLock(ctx, h.id, "LOCK TABLES", h.done)
	if err != nil || !waiting {
		h.release(ctx, r)
		if err == nil {
			err = errCutoverTimeout
		}
		return nil, err
	}
	return h, nil
}

// release ends the hold: kills its LOCK TABLES if it still waits, unlocks, drops the session.
func (h *hold) release(ctx context.Context, r *run) {
	if h == nil || h.conn == nil {
		return
	}
	select {
	case <-h.done:
	default:
		r.killQuery(ctx, h.id)
		<-h.done
	}
	_, _ = h.conn.ExecContext(ctx, "UNLOCK TABLES")
	discard(h.conn)
	h.conn = nil
}

// moveChildren runs after the RENAME: it waits for the hold's lock on the new table, moves each
// child's key to it, checks for orphans and releases the hold.
func (r *run) moveChildren(ctx context.Context, h *hold) error {
	if len(r.children) == 0 {
		return nil
	}
	// The cut-over happened: finish it even when the run's context is cancelled.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	defer h.release(ctx, r)
	began := time.Now()
	frozen := false
	if h != nil {
		frozen = <-h.done == nil
		h.done <- nil // release finds it answered
	}
	r.hook("held")
	if _, err := r.conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		return fmt.Errorf("after the RENAME, move the foreign keys that reference %s: %w", r.n.table, err)
	}
	var errs []error
	for _, k := range r.children {
		for i, stmt := range k.moveStatements() {
			err := retryDDL(ctx, r.conn, stmt, r.opts.CutoverAttempts)
			if err != nil && i == 0 && frozen && isErrno(err, errLockWait) {
				// An application transaction holds the child and waits for the table: let go.
				r.log.Warn("cut-over: the hold on the new table is released before the foreign keys are moved", "table", r.n.table, "child", k.child)
				h.release(ctx, r)
				frozen = false
				err = retryDDL(ctx, r.conn, stmt, 10*r.opts.CutoverAttempts)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w (run: SET foreign_key_checks = 0; %s)", k, err, strings.Join(k.moveStatements()[i:], "; ")))
				break
			}
		}
	}
	if _, err := r.conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 1"); err != nil {
		errs = append(errs, err)
	}
	h.release(ctx, r)
	took := time.Since(began)
	// The anti-join runs once the hold is gone: the hold blocks reads of the table too, and the
	// scan takes as long as the child is big. The keys are on the new table by now, so no write
	// can add an orphan meanwhile; one found is the move's (or the copy's) fault, and the old
	// table is kept.
	for _, k := range r.children {
		if err := r.orphan(ctx, r.conn, k, r.n.table); err != nil {
			errs = append(errs, err)
		}
	}
	r.log.Info("cut-over: foreign keys moved to the new table", "table", r.n.table, "keys", len(r.children), "held", took, "frozen", frozen)
	r.res.Notes = append(r.res.Notes, fmt.Sprintf("the cut-over moved %d foreign keys that reference %s to the new table; the new table was locked for %s after the RENAME", len(r.children), r.n.table, took.Round(time.Millisecond)))
	if !frozen {
		errs = append(errs, fmt.Errorf("the new table took writes before the foreign keys referencing it were moved (a window of %s)", took.Round(time.Millisecond)))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("cut over, but moving the foreign keys that reference %s failed; the old table is kept as %s: %w", r.n.table, r.n.old, err)
	}
	return nil
}

// ReferencedTable says what Run does with table when foreign keys of other tables (by, as
// ReferencedBy names them) reference it, for a caller that copies the table without those
// tables, as the dry run does. On MySQL it returns the Refusal Run gives such a table before
// copying anything; on MariaDB it returns no refusal and a note (starting with a newline) of
// what the cut-over would also do in production. With no references it returns nil and "".
func ReferencedTable(f schema.Flavor, table string, by []string) (*Refusal, string) {
	switch {
	case len(by) == 0:
		return nil, ""
	case !f.IsMariaDB():
		return &Refusal{Reason: fmt.Sprintf("table %s is referenced by foreign keys of %s, which the cut-over's RENAME would leave on the old table, and on %s the copier cannot move them without a window (MySQL locks both parents for every change of a child's foreign key)", table, joinNames(by), f)}, ""
	}
	return nil, fmt.Sprintf("\nIn production the cut-over also moves the foreign keys of %s to the new %s (each with two metadata-only ALTERs while the new table is locked for the moment of the swap) and checks that no child row lacks its parent; this dry run copies %s alone.", joinNames(by), table, table)
}
