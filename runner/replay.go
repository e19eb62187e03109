package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/migrations"
)

// Unit is one migration file's statements, replayed as one step.
type Unit struct {
	Path       string
	Statements []migrations.Statement
}

// UnitResult is what happened to one Unit.
type UnitResult struct {
	// Applied is true when every statement of the unit ran (or was deliberately skipped).
	Applied bool
	// Executed counts the statements sent to the server.
	Executed int
	Duration time.Duration
}

// Result is the outcome of a replay. Units lines up with the units given; after a failure the
// remaining units are not applied.
type Result struct {
	Units    []UnitResult
	Findings []finding.Finding
	// Failed is true when a statement failed or was refused; replay stopped there.
	Failed bool
}

// Replay runs the units' statements in order, one at a time, on a session of the database
// opened for this replay alone (session.go): it starts with the server's defaults and the
// configured settings, and no other stage's setting reaches it. A statement the server rejects becomes a replay-failed finding at its file and line, and the
// replay stops there. The returned error is for what is not the migrations' fault: a lost
// connection, ctx cancelled (SIGINT), or an error from one of the hooks, which stops the replay
// where it is.
func (d *Database) Replay(ctx context.Context, units []Unit, hooks Hooks) (*Result, error) {
	res := &Result{Units: make([]UnitResult, len(units))}
	conn, err := d.openReplaySession(ctx)
	if err != nil {
		return nil, fmt.Errorf("replay: open a session: %w", err)
	}
	defer conn.close()
	shared := d.server.Kind == DSN

	for i := range units {
		u := &units[i]
		if hooks.Progress != nil {
			hooks.Progress(i, u)
		}
		began := time.Now()
		ur := &res.Units[i]
		for j := range u.Statements {
			st := &u.Statements[j]
			if v := guard(st.Node, d.Name, shared); v.skip || v.refuse {
				f := statementFinding(st, v.reason)
				if v.refuse {
					f.Rule, f.Severity = finding.ForeignDatabase, finding.Error
					f.Fix = "Remove the database name from the statement; migrations should work on whichever database they are run in."
					res.Findings, res.Failed = append(res.Findings, f), true
					ur.Duration = time.Since(began)
					return res, nil
				}
				f.Rule, f.Severity = finding.SkippedStatement, finding.Notice
				res.Findings = append(res.Findings, f)
				continue
			}
			var after func(context.Context) error
			if hooks.Statement != nil {
				if after, err = hooks.Statement(ctx, st); err != nil {
					ur.Duration = time.Since(began)
					return nil, fmt.Errorf("replay: before %s:%d: %w", st.File, st.Line, err)
				}
			}
			// Definers name production accounts; on a shared server creating a view or trigger
			// for another account needs privileges schema-guard's account should not have.
			_, err = conn.ExecContext(ctx, migrations.StripDefiner(st.Text))
			if err != nil {
				ur.Duration = time.Since(began)
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				var me *mysql.MySQLError
				switch {
				case errors.As(err, &me):
				case localInfile(err):
					// The server asked for a file of the machine running the check; the driver
					// sends none, and the session goes on. The migration reads a client's file,
					// which no CI runner has: a failure of the migration, not of the check.
					me = &mysql.MySQLError{Number: 0, Message: "LOAD DATA LOCAL INFILE asks for a file of the client, which schema-guard never sends (" + err.Error() + "); load data from a file the server reads, or from a migration of INSERTs"}
				default:
					return nil, fmt.Errorf("replay: lost the server while running %s:%d: %w", st.File, st.Line, err)
				}
				res.Findings = append(res.Findings, d.failure(st, me))
				res.Failed = true
				return res, nil
			}
			ur.Executed++
			if after != nil {
				if err := after(ctx); err != nil {
					ur.Duration = time.Since(began)
					return nil, fmt.Errorf("replay: after %s:%d: %w", st.File, st.Line, err)
				}
			}
		}
		ur.Applied, ur.Duration = true, time.Since(began)
	}
	return res, nil
}

// maxServerMessage caps the server's text quoted in a finding: a migration chooses what a
// SIGNAL says, and findings reach the pull request's comment.
const maxServerMessage = 300

func (d *Database) failure(st *migrations.Statement, me *mysql.MySQLError) finding.Finding {
	state := ""
	if me.SQLState != [5]byte{} {
		state = " (" + string(me.SQLState[:]) + ")"
	}
	msg := me.Message
	if r := []rune(msg); len(r) > maxServerMessage {
		msg = string(r[:maxServerMessage]) + "…"
	}
	text := fmt.Sprintf("statement failed on %s: Error %d%s: %s", d.server.Flavor, me.Number, state, msg)
	if me.Number == 0 {
		text = fmt.Sprintf("statement failed on %s: %s", d.server.Flavor, msg)
	}
	f := statementFinding(st, text)
	f.Rule, f.Severity = finding.ReplayFailed, finding.Error
	f.Fix = "Make the statement run on a database in the state the migrations before it leave; the migrations after it were not replayed."
	return f
}

func statementFinding(st *migrations.Statement, msg string) finding.Finding {
	return finding.Finding{File: st.File, Line: st.Line, Column: st.Column, EndLine: st.EndLine, Message: msg}
}

// Conn opens a session on the database and registers it, so Close can end it even when a
// statement on it outlives the client (the client was interrupted).
func (d *Database) Conn(ctx context.Context) (*sql.Conn, error) {
	conn, _, err := d.conn(ctx)
	return conn, err
}

// conn is Conn that also returns the session's thread id, for untrackThread.
func (d *Database) conn(ctx context.Context) (*sql.Conn, int64, error) {
	conn, err := d.DB.Conn(ctx)
	if err != nil {
		return nil, 0, err
	}
	var thread int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&thread); err != nil {
		conn.Close()
		return nil, 0, err
	}
	d.trackThread(thread)
	return conn, thread, nil
}

// untrackThread forgets a session that ended cleanly, so that Drop need not kill it: probes
// open a short session after every pending statement, and a long run would otherwise pile up
// thread ids to kill.
func (d *Database) untrackThread(id int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if i := slices.Index(d.threads, id); i >= 0 {
		d.threads = slices.Delete(d.threads, i, i+1)
	}
}

// localInfile reports whether err is the driver's refusal to send a client file for LOAD DATA
// LOCAL INFILE (the driver sends none unless registered; it has no error type for it).
func localInfile(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "local file '") && strings.HasSuffix(msg, "' is not registered") ||
		strings.HasPrefix(msg, "Reader '") && strings.HasSuffix(msg, "' is not registered")
}
