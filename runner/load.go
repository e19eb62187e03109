package runner

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/migrations"
)

// LoadError is a declared-state statement the server rejected, or that names another database.
type LoadError struct {
	Statement *migrations.Statement
	Msg       string
}

func (e *LoadError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Statement.File, e.Statement.Line, e.Statement.Column, e.Msg)
}

// errNoSuchTable is ER_NO_SUCH_TABLE: a view, trigger or INSERT that reaches a table (or view)
// declared in a file that loads later.
const errNoSuchTable = 1146

// Load runs a declared state's statements into the database. Unlike Replay it does not follow
// an order the author chose: declared files come in path order, so foreign key checks are off
// (tables may reference tables declared later) and a statement that needs a table not created
// yet is retried once the others have run, until a pass makes no progress.
//
// A statement the server rejects is a *LoadError: a declared state that does not load is input
// the check cannot use, not a finding. The one exception is a SET sql_mode naming modes the
// server does not accept (a dump's origin shows through): Load leaves those modes out and
// returns what it left out, for the caller to say so.
func (d *Database) Load(ctx context.Context, stmts []migrations.Statement) ([]DroppedSQLModes, error) {
	conn, err := d.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("load declared state: %w", err)
	}
	defer discard(conn) // foreign key checks are off on it
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		return nil, fmt.Errorf("load declared state: %w", err)
	}
	var dropped []DroppedSQLModes
	shared := d.server.Kind == DSN
	pending := make([]*migrations.Statement, 0, len(stmts))
	for i := range stmts {
		pending = append(pending, &stmts[i])
	}
	for {
		var deferred []*migrations.Statement
		var firstDeferred error
		for _, st := range pending {
			v := guard(st.Node, d.Name, shared)
			if v.refuse {
				return nil, &LoadError{Statement: st, Msg: v.reason}
			}
			if v.skip {
				continue
			}
			_, err := conn.ExecContext(ctx, migrations.StripDefiner(st.Text))
			if err == nil {
				continue
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			var me *mysql.MySQLError
			if !errors.As(err, &me) {
				return nil, fmt.Errorf("load declared state: lost the server while running %s:%d: %w", st.File, st.Line, err)
			}
			if me.Number == errWrongValueForVar {
				modes, ok, err := withoutUnknownSQLModes(ctx, conn, st)
				if err != nil {
					return nil, fmt.Errorf("load declared state: %w", err)
				}
				if ok {
					dropped = append(dropped, DroppedSQLModes{Statement: st, Modes: modes})
					continue
				}
			}
			le := &LoadError{Statement: st, Msg: fmt.Sprintf("the server rejects this declared statement: Error %d: %s", me.Number, me.Message)}
			if me.Number != errNoSuchTable {
				return nil, le
			}
			if firstDeferred == nil {
				firstDeferred = le
			}
			deferred = append(deferred, st)
		}
		if len(deferred) == 0 {
			return dropped, nil
		}
		if len(deferred) == len(pending) {
			return nil, firstDeferred // no progress: what it needs is declared nowhere
		}
		pending = deferred
	}
}
