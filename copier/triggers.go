package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// The triggers capture the application's writes to the original table while the copy runs.
// Two rules shape them.
//
// They never lose a change silently. Each writes the row with a plain INSERT — no REPLACE, no
// INSERT IGNORE, no ON DUPLICATE KEY UPDATE, which is how other tools drop a row that a new
// unique key cannot hold — and a CONTINUE HANDLER for SQLEXCEPTION and SQLWARNING records any
// failure, with the server's message and the row's key, in the error table, which the copier
// reads after every chunk and at the cut-over. They are created under a strict sql_mode, which
// the server stores with each trigger, and they turn notes on for their own statements (sql_notes,
// and note_verbosity where the server has it), so a rounding note raises the handler even in a
// session that silenced notes.
//
// They never fail the application's write, and never make it deadlock. The handler keeps errors
// from reaching the application. Deadlocks come from gap locks: a DELETE of a key the shadow does
// not hold yet (the copy has not reached it) locks the gap, and two sessions that each lock the
// gap and then insert into it deadlock. So a trigger never inserts after taking such a lock:
// INSERT inserts only; DELETE deletes only; UPDATE first tries a plain INSERT of the new row and,
// when the shadow already holds it (the INSERT met a duplicate), updates it in place. An INSERT
// that meets a duplicate has locked the gap before it too (a next-key lock, in REPEATABLE READ),
// where a chunk's INSERT … SELECT may be inserting: inserting again would then wait for the
// chunk's AUTO-INC lock (innodb_autoinc_lock_mode=1) while the chunk waits for the gap, a
// deadlock whose victim was the application's write (measured: 2 of 150 copies under
// TestRunCaptureStoredAndPrepared's writers on MariaDB 10.11, when this was DELETE + INSERT).
// An UPDATE needs no AUTO-INC lock. Only when it finds no row (the duplicate was on another
// unique key) does the trigger insert, to record that failure. A key-changing UPDATE inserts
// the new row, then deletes the old key. When that INSERT met a duplicate — the old version in
// the shadow still holds the value of another unique key, as when only the primary key changes
// — it moves the old version to the new key and values with one UPDATE instead, which takes no
// AUTO-INC lock; only when the shadow does not hold the old version (the duplicate is another
// row's: a real conflict) does it insert again, to record the failure. A row is found in the
// shadow by the row key (keychoice.go).

type triggerSpec struct {
	name, event, body string
}

// triggerSpecs writes the three triggers, in the order they are created: DELETE and UPDATE
// before INSERT, so that no row reaches the shadow before its later changes are captured too.
func triggerSpecs(n names, kc *keyChoice, cols *copyColumns, verbosity bool) []triggerSpec {
	key, keyCols := kc.key, kc.rkey.names()
	insert := "INSERT INTO " + schema.QuoteIdent(n.shadow) + " (" + qnames("", cols.dst) + ") VALUES (" + qnames("NEW.", cols.src) + ");"
	deleteOld := "DELETE FROM " + schema.QuoteIdent(n.shadow) + " WHERE " + keyEquals(keyCols, "OLD") + ";"
	unchanged := make([]string, len(keyCols))
	for i, c := range keyCols {
		unchanged[i] = "OLD." + schema.QuoteIdent(c) + " <=> NEW." + schema.QuoteIdent(c)
	}
	tryInsert := `BEGIN
    DECLARE CONTINUE HANDLER FOR 1062 SET sg_dup = 1;
    ` + insert + `
  END;`
	sets := make([]string, len(cols.dst))
	for i := range cols.dst {
		sets[i] = schema.QuoteIdent(cols.dst[i]) + " = NEW." + schema.QuoteIdent(cols.src[i])
	}
	// updateAt sets the shadow's row found by row's key (NEW or OLD) to the new version.
	updateAt := func(row string) string {
		return "UPDATE " + schema.QuoteIdent(n.shadow) + " SET " + strings.Join(sets, ", ") + " WHERE " + keyEquals(keyCols, row) + ";"
	}
	atNew := " FROM " + schema.QuoteIdent(n.shadow) + " WHERE " + keyEquals(keyCols, "NEW")
	keyKept := strings.Join(unchanged, " AND ")
	update := tryInsert + `
  IF sg_dup = 0 THEN
    IF NOT (` + keyKept + `) THEN
      ` + deleteOld + `
    END IF;
  ELSEIF ` + keyKept + ` THEN
    BEGIN
      DECLARE sg_found INT DEFAULT 0;
      ` + updateAt("NEW") + `
      IF ROW_COUNT() = 0 THEN
        SELECT COUNT(*) INTO sg_found` + atNew + ` FOR UPDATE;
        IF sg_found = 0 THEN
          ` + insert + `
        END IF;
      END IF;
    END;
  ELSE
    ` + updateAt("OLD") + `
    IF ROW_COUNT() = 0 THEN
      ` + insert + `
    END IF;
  END IF;`
	return []triggerSpec{
		{n.delTrigger, "DELETE", triggerBody(n, key, "delete", "OLD", deleteOld, verbosity)},
		{n.updTrigger, "UPDATE", triggerBody(n, key, "update", "NEW", update, verbosity)},
		{n.insTrigger, "INSERT", triggerBody(n, key, "insert", "NEW", insert, verbosity)},
	}
}

// triggerBody wraps stmts in the handler and the notes settings. MariaDB 11 deprecates sql_notes
// (every use warns, 1287) but still obeys it, so the triggers keep setting it, inside blocks whose
// own handler takes that one warning: it is no failure of the captured write. verbosity says the
// server also has note_verbosity (MariaDB 10.6.16+), which must hold "basic" for notes to count.
func triggerBody(n names, key *chunkKey, op, row, stmts string, verbosity bool) string {
	declare, on, off := "", "", ""
	if verbosity {
		declare = "\n  DECLARE sg_verbosity VARCHAR(64) DEFAULT NULL;"
		on = "\n  SET sg_verbosity = @@SESSION.note_verbosity;\n  SET @@SESSION.note_verbosity = 'basic';"
		off = "\n  SET @@SESSION.note_verbosity = sg_verbosity;"
	}
	return `BEGIN
  DECLARE sg_dup INT DEFAULT 0;
  DECLARE sg_errno INT DEFAULT 0;
  DECLARE sg_msg TEXT DEFAULT NULL;
  DECLARE sg_notes INT DEFAULT 1;` + declare + `
  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION, SQLWARNING
  BEGIN
    GET DIAGNOSTICS CONDITION 1 sg_errno = MYSQL_ERRNO, sg_msg = MESSAGE_TEXT;
    INSERT INTO ` + schema.QuoteIdent(n.errors) + ` (op, errno, message, row_key)
      VALUES ('` + op + `', sg_errno, sg_msg, ` + keyDisplay(key.columns, row) + `);
  END;
  BEGIN
    DECLARE CONTINUE HANDLER FOR 1287 BEGIN END;
    SET sg_notes = @@SESSION.sql_notes;
    SET @@SESSION.sql_notes = 1;
  END;` + on + `
  ` + stmts + `
  BEGIN
    DECLARE CONTINUE HANDLER FOR 1287 BEGIN END;
    SET @@SESSION.sql_notes = sg_notes;
  END;` + off + `
END`
}

// errUnknownSystemVariable is ER_UNKNOWN_SYSTEM_VARIABLE.
const errUnknownSystemVariable = 1193

// hasNoteVerbosity reports whether the server has note_verbosity (MariaDB 10.6.16+, 10.11.6+,
// 11.x), which decides with sql_notes whether notes are recorded.
func hasNoteVerbosity(ctx context.Context, conn *sql.Conn) (bool, error) {
	var v string
	err := conn.QueryRowContext(ctx, "SELECT @@SESSION.note_verbosity").Scan(&v)
	var me *mysql.MySQLError
	if errors.As(err, &me) && me.Number == errUnknownSystemVariable {
		return false, nil
	}
	return err == nil, err
}

// createTriggers creates the copier's triggers on the copy session, whose sql_mode is strict (the
// server stores it with each trigger), all three under one LOCK TABLES of the table, the shadow
// and the error table, so that the application's statements see the table go from no trigger of
// the copier's to all three at once. The lock waits for the application's transactions on the
// table, and while it waits the application's queries queue behind it, so the wait is bounded
// by the session's lock_wait_timeout and retried. Each is ordered after the application's
// last AFTER trigger of its event (FOLLOWS), so a row reaches the shadow as the application's
// triggers left it. With zoned, the triggers convert in the copy's time zone (session.go).
//
// MariaDB (MDEV-26048, seen on 10.11) keeps the list of tables a statement of a stored routine
// prelocks for the triggers from one execution to the next. A statement that already waited
// for the table when the triggers appeared runs them with the old list, and their first write
// to the shadow fails with 1146 "Table … doesn't exist" (the handler's write to the error table
// too, so the application's write fails): once per session that was waiting, measured on every
// copy of a table that has triggers of its own, or whose statements call stored functions. A
// statement that starts later builds its list again. So on MariaDB the triggers are first
// created primed (primedBody): they write nothing, but name the same tables for the same writes,
// so statements that start after them prelock the shadow and the error table. Once the
// statements that were running then have ended (waitForStatements), the primed triggers are
// swapped for the real ones under the same lock: a statement that waited for that lock has the
// tables in its list, and whatever it runs finds them locked.
//
// Prepared statements (both protocols) keep such a list too, and on MariaDB (10.11 and 11.8)
// priming alone does not renew it: without more, on a table with triggers of its own, a
// prepared write failed with 1146 once per session in 20 of 20 runs of
// TestRunCaptureStoredAndPrepared. They prepare again when a trigger they know of changes, so
// the table's own triggers are dropped and created again in the window in which the real
// triggers are created (moveAppTriggers); with that, none failed.
func (r *run) createTriggers(ctx context.Context) error {
	zone := ""
	if r.zoned {
		zone = r.copySet.zone
	}
	specs := triggerSpecs(r.n, r.kc, r.cols, r.verbosity)
	for i := range specs {
		if zone != "" {
			specs[i].body = zonedBody(specs[i].body, zone)
		}
	}
	after := follows(r.appTriggers)
	r.hook("ready")
	primed := r.f.IsMariaDB()
	if primed {
		err := r.underTriggerLock(ctx, func() error {
			for _, t := range specs {
				if err := createTrigger(ctx, r.conn, r.n, t, after[t.event], primedBody(t.body)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := r.waitForStatements(ctx); err != nil {
			return err
		}
		r.hook("primed")
	}
	return r.underTriggerLock(ctx, func() error {
		if _, err := moveAppTriggers(ctx, r.conn, r.conn, r.appTriggers, r.n.table); err != nil {
			return fmt.Errorf("re-create the table's triggers with the copier's: %w", err)
		}
		for _, t := range specs {
			if primed {
				if _, err := r.conn.ExecContext(ctx, "DROP TRIGGER "+schema.QuoteIdent(t.name)); err != nil {
					return fmt.Errorf("drop the primed trigger %s: %w", t.name, err)
				}
			}
			if err := createTrigger(ctx, r.conn, r.n, t, after[t.event], t.body); err != nil {
				return err
			}
		}
		return nil
	})
}

// underTriggerLock runs f on the copy session while it holds the table, the shadow and the
// error table locked WRITE (see createTriggers). UNLOCK TABLES also ends the lock when f
// fails; the caller's cleanup drops the triggers created so far.
func (r *run) underTriggerLock(ctx context.Context, f func() error) error {
	lock := "LOCK TABLES " + schema.QuoteIdent(r.n.table) + " WRITE, " + schema.QuoteIdent(r.n.shadow) + " WRITE, " + schema.QuoteIdent(r.n.errors) + " WRITE"
	if err := retryDDL(ctx, r.conn, lock, r.opts.CutoverAttempts); err != nil {
		return fmt.Errorf("lock the table to create the triggers: %w", err)
	}
	defer func() { _, _ = r.conn.ExecContext(context.WithoutCancel(ctx), "UNLOCK TABLES") }()
	r.hook("locked")
	return f()
}

// hook calls Options.testHook.
func (r *run) hook(stage string) {
	if r.opts.testHook != nil {
		r.opts.testHook(stage)
	}
}

// createTrigger creates t on the table with body, after the trigger follows when it is not "".
func createTrigger(ctx context.Context, conn *sql.Conn, n names, t triggerSpec, follows, body string) error {
	stmt := "CREATE TRIGGER " + schema.QuoteIdent(t.name) + " AFTER " + t.event + " ON " + schema.QuoteIdent(n.table) + " FOR EACH ROW\n"
	if follows != "" {
		stmt += "FOLLOWS " + schema.QuoteIdent(follows) + "\n"
	}
	if _, err := conn.ExecContext(ctx, stmt+body); err != nil {
		return fmt.Errorf("create trigger %s: %w", t.name, err)
	}
	return nil
}

// waitForStatements waits until the statements other sessions are running now have ended, so
// that none that started before the primed triggers existed is still opening the table when the
// real ones replace them (createTriggers). A statement is its session's QUERY_ID: the wait is
// over for a session once it runs another statement, is idle or is gone. It waits at most the
// lock wait timeout. A statement that outlasts it has opened the table with the primed
// triggers (the next lock then waits for its transaction, so it never meets the real ones), or
// never opens the table (a long report), or still waits for a lock on another table before it
// opens this one: only that last kind can fail, and waiting is all the copier can do for it.
// Without the PROCESS privilege the copier sees only its own user's sessions.
func (r *run) waitForStatements(ctx context.Context) error {
	type statement struct{ id, query int64 }
	read := func() (map[statement]bool, error) {
		out := map[statement]bool{}
		err := introspect.QueryRows(ctx, r.guard, "SELECT ID, QUERY_ID FROM information_schema.PROCESSLIST WHERE COMMAND IN ('Query', 'Execute') AND ID <> CONNECTION_ID()", nil, func(rows *sql.Rows) error {
			var s statement
			if err := rows.Scan(&s.id, &s.query); err != nil {
				return err
			}
			out[s] = true
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read the process list: %w", err)
		}
		return out, nil
	}
	running, err := read()
	if err != nil {
		return err
	}
	deadline := time.Now().Add(r.opts.LockWaitTimeout)
	for len(running) > 0 && time.Now().Before(deadline) {
		if err := sleep(ctx, 2*time.Millisecond); err != nil {
			return err
		}
		now, err := read()
		if err != nil {
			return err
		}
		for s := range running {
			if !now[s] {
				delete(running, s)
			}
		}
	}
	if len(running) > 0 {
		r.log.Warn("statements that started before the triggers were primed still run after the lock wait timeout; the triggers are swapped in anyway", "table", r.n.table, "statements", len(running))
	}
	return nil
}

// primedBody is a trigger body that runs nothing of body but makes a statement prelock the
// tables body writes, in the same way: the server collects a routine's tables from every
// statement it holds, run or not, and cannot tell that the condition never holds.
func primedBody(body string) string {
	return "BEGIN\n  IF CONNECTION_ID() < 0 THEN\n" + body + ";\n  END IF;\nEND"
}

// triggerError is the first failure the triggers recorded, if any.
type triggerError struct {
	op, message, key string
	errno            int64
}

// readTriggerError reads the error table.
func readTriggerError(ctx context.Context, q querier, n names) (*triggerError, error) {
	var te triggerError
	var msg, key sql.NullString
	var errno sql.NullInt64
	err := q.QueryRowContext(ctx, "SELECT op, errno, message, row_key FROM "+schema.QuoteIdent(n.errors)+" ORDER BY id LIMIT 1").Scan(&te.op, &errno, &msg, &key)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the error table: %w", err)
	}
	te.errno, te.message, te.key = errno.Int64, msg.String, key.String
	return &te, nil
}

// refusal turns a trigger's failure into the copier's answer.
func (te *triggerError) refusal(table string) *Refusal {
	return &Refusal{
		Key: te.key,
		Reason: fmt.Sprintf("the application's %s of a row of %s succeeded, but the changed table cannot hold it: Error %d: %s; the copy stopped so that no change is lost — fix the data or the change, then run again",
			te.op, table, te.errno, te.message),
	}
}
