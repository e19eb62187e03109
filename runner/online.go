package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// ShowCreateTable returns the server's CREATE TABLE statement for a table of the database.
func (d *Database) ShowCreateTable(ctx context.Context, table string) (string, error) {
	rows, err := d.DB.QueryContext(ctx, "SHOW CREATE TABLE "+schema.QuoteIdent(table))
	if err != nil {
		return "", fmt.Errorf("show create table %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", fmt.Errorf("show create table %s: %w", table, err)
	}
	// A view answers with four columns (View, Create View, and two charset columns).
	if len(cols) != 2 {
		return "", fmt.Errorf("show create table %s: not a base table", table)
	}
	var name, create string
	if !rows.Next() {
		return "", fmt.Errorf("show create table %s: no answer: %w", table, rows.Err())
	}
	if err := rows.Scan(&name, &create); err != nil {
		return "", fmt.Errorf("show create table %s: %w", table, err)
	}
	return create, rows.Close()
}

// HasPrimaryKey asks the server whether a table of the database has a primary key.
func (d *Database) HasPrimaryKey(ctx context.Context, table string) (bool, error) {
	rows, err := d.DB.QueryContext(ctx, "SHOW INDEX FROM "+schema.QuoteIdent(table)+" WHERE Key_name = 'PRIMARY'")
	if err != nil {
		return false, fmt.Errorf("show index from %s: %w", table, err)
	}
	has := rows.Next()
	return has, errors.Join(rows.Err(), rows.Close())
}

// onlineAttempts are the forms MeasureOnline tries for a statement that names no algorithm and
// no lock, best first: INSTANT; an in-place change with LOCK=NONE (on MariaDB first NOCOPY,
// which also avoids rebuilding the table); on MariaDB 11.2+ a copy with LOCK=NONE; in-place
// with a shared lock; a copy with a shared lock; a copy that blocks reads too. INSTANT names no lock: MySQL accepts none but DEFAULT
// with it.
func onlineAttempts(f schema.Flavor) [][2]string {
	attempts := [][2]string{{"INSTANT", ""}}
	if f.MinMariaDB(10, 3, 7) {
		attempts = append(attempts, [2]string{"NOCOPY", "NONE"})
	}
	attempts = append(attempts, [2]string{"INPLACE", "NONE"})
	if f.MinMariaDB(11, 2, 0) {
		// MariaDB 11.2's online ALTER: a copy that lets writes go on while it runs (they are
		// logged and applied to the copy), for changes that cannot be done in place.
		attempts = append(attempts, [2]string{"COPY", "NONE"})
	}
	return append(attempts,
		[2]string{"INPLACE", "SHARED"},
		[2]string{"COPY", "SHARED"},
		[2]string{"COPY", "EXCLUSIVE"})
}

// attempts are the forms to try for the statement as written: production runs it with its own
// ALGORITHM and LOCK, so those bound the answer. A statement that names a lock, or ALGORITHM=
// INSTANT or COPY, is run as it is (the server either takes it so or refuses it); one that
// names only an in-place algorithm is tried with that algorithm and each lock, weakest last.
// An empty SQL in an attempt means the statement as written.
func (o *onlineForm) attempts(f schema.Flavor) [][2]string {
	switch {
	case o.lock != "":
		return [][2]string{{or(o.algorithm, "DEFAULT"), o.lock}}
	case o.algorithm == "INSTANT" || o.algorithm == "COPY":
		return [][2]string{{o.algorithm, ""}}
	case o.algorithm != "":
		return [][2]string{{o.algorithm, "NONE"}, {o.algorithm, "SHARED"}, {o.algorithm, "EXCLUSIVE"}}
	}
	return onlineAttempts(f)
}

// sql is the statement for one attempt: the statement as written when it decides the form
// itself, else the statement with the attempt's clauses.
func (o *onlineForm) sql(a [2]string) string {
	if o.lock != "" || o.algorithm == "INSTANT" || o.algorithm == "COPY" {
		return o.text
	}
	return o.write(a[0], a[1])
}

// MeasureOnline asks the server how it would run st — an ALTER TABLE, CREATE INDEX or DROP
// INDEX on the table createTable creates (the SHOW CREATE TABLE of the table in its state before
// st) — without blocking writes or not. Each form of the statement (attempts) is run, in order,
// on a fresh empty copy of the table in a scratch database of the server's own; the first form
// the server accepts is the answer. Only the server decides: nothing is inferred from rules
// about which changes are online — except that ENGINE=, FORCE, ORDER BY and partitioning
// rebuild a table with rows whatever an empty copy answers, so those are reported as a copy
// without asking (Online.Rebuild says why).
//
// The copy is created with foreign_key_checks=0, so references to tables that are not there
// are accepted, but the forms run with foreign_key_checks=1, as in production, where adding a
// foreign key cannot be done in place. A statement that adds a foreign key therefore needs the
// tables it references: pass their CREATE TABLE statements as referenced.
//
// What an empty copy cannot show: MySQL's limit on INSTANT column changes per table (its row
// versions), and child tables' foreign keys to this one; readOnlineForm says which statements
// are not supported. Measurements are serialized per Server.
func (s *Server) MeasureOnline(ctx context.Context, createTable string, st *migrations.Statement, referenced ...string) (*schema.Online, error) {
	form, err := readOnlineForm(st)
	if err != nil {
		return nil, fmt.Errorf("measure online: %w", err)
	}
	if form.rebuild != "" {
		return &schema.Online{Algorithm: "COPY", Lock: "SHARED", Rebuild: form.rebuild}, nil
	}
	s.onlineMu.Lock()
	defer s.onlineMu.Unlock()
	db, err := s.onlineDatabase(ctx)
	if err != nil {
		return nil, fmt.Errorf("measure online: %w", err)
	}
	if v := guard(st.Node, db.Name, true); v.skip || v.refuse {
		return nil, fmt.Errorf("measure online: %s", v.reason)
	}
	conn, thread, err := db.conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("measure online: %w", err)
	}
	res, err := measure(ctx, conn, db.Name, form, form.attempts(s.Flavor), append(slices.Clone(referenced), createTable))
	// The copy is dropped whatever happened, so the next measurement starts from nothing. When
	// that works the session is idle, and Drop need not kill it. The session toggled foreign
	// key checks, so it is discarded, never pooled.
	cerr := clearDatabase(ctx, conn, db.Name)
	discard(conn)
	if cerr != nil {
		err = errors.Join(err, cerr)
	} else {
		db.untrackThread(thread)
	}
	if err != nil {
		return nil, fmt.Errorf("measure online: %w", err)
	}
	return res, nil
}

// measure runs the attempts; creates are the CREATE TABLE statements of the copy, the table
// itself last.
func measure(ctx context.Context, conn *sql.Conn, database string, form *onlineForm, attempts [][2]string, creates []string) (*schema.Online, error) {
	res := &schema.Online{Named: form.algorithm != "" || form.lock != ""}
	var refusals []string
	var last *mysql.MySQLError
	for _, a := range attempts {
		if err := clearDatabase(ctx, conn, database); err != nil {
			return nil, err
		}
		if err := createCopy(ctx, conn, creates); err != nil {
			return nil, err
		}
		attempt := schema.OnlineAttempt{Algorithm: a[0], Lock: a[1], SQL: form.sql(a)}
		_, err := conn.ExecContext(ctx, attempt.SQL)
		if err == nil {
			res.Algorithm, res.Lock = a[0], a[1]
			res.Attempts = append(res.Attempts, attempt)
			res.Refusal = strings.Join(refusals, "; ")
			return res, nil
		}
		var me *mysql.MySQLError
		if !errors.As(err, &me) {
			return nil, err
		}
		last = me
		attempt.Number, attempt.Message = me.Number, me.Message
		res.Attempts = append(res.Attempts, attempt)
		if a[0] == "INSTANT" || a[1] == "NONE" {
			form := "ALGORITHM=" + a[0]
			if a[1] != "" {
				form += ", LOCK=" + a[1]
			}
			refusals = append(refusals, form+": "+me.Message)
		}
	}
	return nil, fmt.Errorf("the server rejects every form of the statement on an empty copy of the table; the last: Error %d: %s", last.Number, last.Message)
}

// createCopy creates the empty tables with foreign key checks off, then turns them on for the
// statement to measure.
func createCopy(ctx context.Context, conn *sql.Conn, creates []string) error {
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		return err
	}
	for _, c := range creates {
		if _, err := conn.ExecContext(ctx, c); err != nil {
			return fmt.Errorf("create the empty copy: %w", err)
		}
	}
	_, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 1")
	return err
}

// clearDatabase drops every table and view of the scratch database.
func clearDatabase(ctx context.Context, conn *sql.Conn, database string) error {
	const query = "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
	var drops []string
	err := introspect.QueryRows(ctx, conn, query, []any{database}, func(rows *sql.Rows) error {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return err
		}
		kind := "TABLE"
		if typ == "VIEW" {
			kind = "VIEW"
		}
		drops = append(drops, "DROP "+kind+" IF EXISTS "+schema.QuoteIdent(name))
		return nil
	})
	if err != nil {
		return fmt.Errorf("clear the scratch database: %w", err)
	}
	if len(drops) == 0 {
		return nil
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		return err
	}
	for _, d := range drops {
		if _, err := conn.ExecContext(ctx, d); err != nil {
			return fmt.Errorf("clear the scratch database: %w", err)
		}
	}
	return nil
}

// onlineDatabase returns the server's scratch database for measurements, creating it the first
// time. Like every database the server hands out, Close drops it. The caller holds onlineMu.
func (s *Server) onlineDatabase(ctx context.Context) (*Database, error) {
	if s.online != nil {
		return s.online, nil
	}
	db, err := s.CreateDatabase(ctx)
	if err != nil {
		return nil, err
	}
	s.online = db
	return db, nil
}
