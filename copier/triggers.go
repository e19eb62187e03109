package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/go-sql-driver/mysql"
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
// INSERT inserts only; DELETE deletes only; UPDATE first tries a plain INSERT of the new row and
// deletes the old version only when the shadow already holds it (the INSERT met a duplicate),
// and a key-changing UPDATE inserts the new row before it deletes the old key — and, when that
// INSERT met a duplicate (the old version still holds the value of another unique key, as when
// only the primary key changes), inserts it again once the old version is gone. A row is found
// in the shadow by the row key (keychoice.go).

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
	update := tryInsert + `
  IF ` + strings.Join(unchanged, " AND ") + ` THEN
    IF sg_dup = 1 THEN
      ` + deleteOld + `
      ` + insert + `
    END IF;
  ELSE
    ` + deleteOld + `
    IF sg_dup = 1 THEN
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

// createTriggers creates the triggers on the session conn, whose sql_mode is strict, all three
// under one LOCK TABLES, so that the application's statements see the table go from no trigger
// to all three at once. MariaDB (MDEV-26048, open in 10.11 and 11.8) fails a statement cached
// by a stored routine or a prepared statement with 1146 "Table … doesn't exist" on a trigger's
// tables when a trigger for its event is added to a table that already has one: creating the
// triggers one by one failed such writes once per trigger, each time. The table (with the
// shadow and the error table, which the triggers write) is locked WRITE for as long as the
// three CREATE TRIGGERs take; the lock waits for the application's transactions on the table,
// and while it waits the application's queries queue behind it, so the wait is bounded by the
// session's lock_wait_timeout and retried.
// A table that has triggers of its own meets the same bug when the copier's are added beside
// them (measured: 2 to 3 failed writes per copy of a stored-procedure and prepared-statement
// loop on MariaDB 10.11 and 11.8, TestRunCaptureStoredAndPrepared), and not when its own are
// dropped and created again in the same lock window with the copier's: the table then goes
// from one set of triggers to an entirely new one, as from none to three.
// A zone other than "" is the time zone the triggers convert in (session.go).
// The table's own triggers, app, are dropped and created again under the same lock, before the
// copier's, which follow them (apptriggers.go).
func createTriggers(ctx context.Context, conn *sql.Conn, n names, kc *keyChoice, cols *copyColumns, app []appTrigger, attempts int, verbosity bool, zone string) error {
	lock := "LOCK TABLES " + schema.QuoteIdent(n.table) + " WRITE, " + schema.QuoteIdent(n.shadow) + " WRITE, " + schema.QuoteIdent(n.errors) + " WRITE"
	if err := retryDDL(ctx, conn, lock, attempts); err != nil {
		return fmt.Errorf("lock the table to create the triggers: %w", err)
	}
	// UNLOCK TABLES also ends the lock if a CREATE TRIGGER failed; the caller's cleanup drops
	// the triggers created so far.
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "UNLOCK TABLES") }()
	if err := recreateAppTriggers(ctx, conn, app, n.table); err != nil {
		return err
	}
	after := follows(app)
	for _, t := range triggerSpecs(n, kc, cols, verbosity) {
		body := t.body
		if zone != "" {
			body = zonedBody(body, zone)
		}
		stmt := "CREATE TRIGGER " + schema.QuoteIdent(t.name) + " AFTER " + t.event + " ON " + schema.QuoteIdent(n.table) + " FOR EACH ROW\n"
		if last := after[t.event]; last != "" {
			stmt += "FOLLOWS " + schema.QuoteIdent(last) + "\n"
		}
		stmt += body
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create trigger %s: %w", t.name, err)
		}
	}
	return nil
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
