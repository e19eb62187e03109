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

// The table's own triggers (the application's) are carried over to the new table. While the copy
// runs they stay on the table and keep working: the copier's triggers are added beside them,
// each ordered after the application's AFTER trigger of its event (FOLLOWS), so a row reaches
// the shadow as the application's triggers left it. They are dropped and created again in the
// lock window in which the copier's are created, which makes prepared statements prepare again
// (createTriggers); no write runs meanwhile. The shadow has none of them: a row the copy
// or a trigger writes there must not fire the application's side effects a second time. Before
// any row is copied, each is created once on the shadow under a name of the copier's and dropped
// again, which proves the definer may be given, the body compiles against the changed table
// and the names it uses still exist where the server checks them at creation.
//
// At the cut-over the RENAME moves them, with the table, to the old table. The hold session,
// which locks the new table the moment the RENAME has run (parents.go), keeps every write
// waiting while they are dropped from the old table and created on the new one, in their order,
// with their definer, sql_mode and character set: no write reaches the new table before its
// triggers are there. Trigger names are unique in a database and the servers cannot rename a
// trigger, so that is the only order that keeps the names.

// appTrigger is one of the table's own triggers, as information_schema.TRIGGERS describes it.
type appTrigger struct {
	name, timing, event, body, definer string
	sqlMode, charset, collation        string // the session it was created in
}

// readAppTriggers reads the triggers on table (n.table, or one of the copier's tables) other
// than the copier's, in the order the server runs them.
func readAppTriggers(ctx context.Context, q querier, n names, table string) ([]appTrigger, error) {
	var out []appTrigger
	err := introspect.QueryRows(ctx, q, `SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT, DEFINER,
			SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION
		FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?
		ORDER BY EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER`, []any{table}, func(r *sql.Rows) error {
		var a appTrigger
		if err := r.Scan(&a.name, &a.timing, &a.event, &a.body, &a.definer, &a.sqlMode, &a.charset, &a.collation); err != nil {
			return err
		}
		for _, own := range n.triggers() {
			if a.name == own {
				return nil // a killed run's, when resuming
			}
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the triggers of %s: %w", table, err)
	}
	return out, nil
}

// checkCarry refuses a trigger the copier cannot re-create as it is: text other than ASCII
// written through a client character set other than UTF-8 (the copier sends UTF-8, the text
// as information_schema gives it).
func (a appTrigger) checkCarry(table string) error {
	utf8 := strings.HasPrefix(strings.ToLower(a.charset), "utf8")
	if !utf8 && !isASCII(a.body) {
		return &Refusal{Reason: fmt.Sprintf("trigger %s on %s was created with character_set_client %s and its body has characters other than ASCII, which the copier cannot re-create on the new table byte for byte; re-create it in UTF-8 first", a.name, table, a.charset)}
	}
	if !strings.Contains(a.definer, "@") {
		return &Refusal{Reason: fmt.Sprintf("trigger %s on %s has the definer %q, which the copier cannot name", a.name, table, a.definer)}
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// statement is the CREATE TRIGGER that makes the trigger, named name, on table.
func (a appTrigger) statement(name, table string) string {
	at := strings.LastIndexByte(a.definer, '@')
	definer := schema.QuoteString(a.definer[:at]) + "@" + schema.QuoteString(a.definer[at+1:])
	return "CREATE DEFINER=" + definer + " TRIGGER " + schema.QuoteIdent(name) + " " + a.timing + " " + a.event +
		" ON " + schema.QuoteIdent(table) + " FOR EACH ROW " + a.body
}

// settings is the SET that gives a session the trigger's sql_mode and character set.
func (a appTrigger) settings() string {
	return "SET SESSION sql_mode = " + schema.QuoteString(a.sqlMode) + ", character_set_client = " + schema.QuoteString(a.charset) +
		", collation_connection = " + schema.QuoteString(a.collation)
}

// createAppTrigger creates a on table under name in conn's session, in the trigger's settings,
// and gives the session its own back.
func createAppTrigger(ctx context.Context, conn *sql.Conn, a appTrigger, name, table string) error {
	var mode, charset, collation string
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode, @@SESSION.character_set_client, @@SESSION.collation_connection").Scan(&mode, &charset, &collation); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, a.settings()); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, a.statement(name, table))
	restore := appTrigger{sqlMode: mode, charset: charset, collation: collation}
	if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), restore.settings()); rerr != nil && err == nil {
		err = rerr
	}
	return err
}

// follows is, for each event, the application's last AFTER trigger, which the copier's follow.
func follows(app []appTrigger) map[string]string {
	out := map[string]string{}
	for _, a := range app {
		if strings.EqualFold(a.timing, "AFTER") {
			out[strings.ToUpper(a.event)] = a.name
		}
	}
	return out
}

// moveAppTriggers drops the triggers app (on drop's session, wherever they are) and creates
// them on table, in their order, with their settings (on create's session). All are dropped
// before any is created, so that on the same table they come back in their order. One whose
// drop fails stays where it was; one whose creation fails is named in the error with the
// statements that make it. It returns the names of the triggers it created.
func moveAppTriggers(ctx context.Context, drop execer, create *sql.Conn, app []appTrigger, table string) ([]string, error) {
	var errs []error
	dropped := make([]bool, len(app))
	for i, a := range app {
		if _, err := drop.ExecContext(ctx, "DROP TRIGGER IF EXISTS "+schema.QuoteIdent(a.name)); err != nil {
			errs = append(errs, fmt.Errorf("drop trigger %s: %w", a.name, err))
			continue
		}
		dropped[i] = true
	}
	var moved, left []string
	for i, a := range app {
		if !dropped[i] {
			continue
		}
		if err := createAppTrigger(context.WithoutCancel(ctx), create, a, a.name, table); err != nil {
			errs = append(errs, fmt.Errorf("create trigger %s on %s: %w", a.name, table, err))
			left = append(left, a.settings()+"; "+a.statement(a.name, table))
			continue
		}
		moved = append(moved, a.name)
	}
	err := errors.Join(errs...)
	if len(left) > 0 {
		err = fmt.Errorf("%w; run: %s", err, strings.Join(left, "; "))
	}
	return moved, err
}

// tryAppTriggers creates each of the table's triggers on the shadow, under a name of the
// copier's, and drops it again: what would fail at the cut-over fails now, before any row is
// copied. It runs before the copier's triggers exist, so no write fires the test triggers.
func (r *run) tryAppTriggers(ctx context.Context) error {
	if len(r.appTriggers) == 0 {
		return nil
	}
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	defer discard(conn)
	name := sgName(r.n.table, "trg")
	for _, a := range r.appTriggers {
		err := createAppTrigger(ctx, conn, a, name, r.n.shadow)
		if _, derr := conn.ExecContext(context.WithoutCancel(ctx), "DROP TRIGGER IF EXISTS "+schema.QuoteIdent(name)); derr != nil && err == nil {
			return fmt.Errorf("copier: drop the test trigger: %w", derr)
		}
		if me := mysqlError(err); me != nil {
			return &Refusal{Reason: fmt.Sprintf("trigger %s of %s cannot be re-created on the changed table at the cut-over: Error %d: %s", a.name, r.n.table, me.Number, me.Message)}
		}
		if err != nil {
			return fmt.Errorf("copier: try trigger %s on the shadow: %w", a.name, err)
		}
	}
	return nil
}

// carryTriggers moves the table's triggers from the old table to the new one, right after the
// RENAME. frozen says the hold session has the new table locked: it creates them, so that no
// write reaches the new table without them; otherwise the copy session does, and the window is
// reported.
func (r *run) carryTriggers(ctx context.Context, h *hold, frozen bool) error {
	began := time.Now()
	conn := r.conn
	if frozen {
		conn = h.conn
	}
	_, err := moveAppTriggers(ctx, r.guard, conn, r.appTriggers, r.n.table)
	took := time.Since(began)
	r.res.Notes = append(r.res.Notes, fmt.Sprintf("the cut-over re-created %d triggers of %s on the new table (%s)", len(r.appTriggers), r.n.table, took.Round(time.Millisecond)))
	if err != nil {
		return fmt.Errorf("cut over, but the table's triggers are not all on the new table; the old table is kept as %s: %w", r.n.old, err)
	}
	if !frozen {
		return fmt.Errorf("the new table took writes before the table's triggers were re-created on it (a window of %s)", took.Round(time.Millisecond))
	}
	return nil
}

// afterRename finishes the swap while the hold (nil when none was taken) keeps the new table
// locked: the table's triggers, then the foreign keys that reference it.
func (r *run) afterRename(ctx context.Context, h *hold) error {
	if len(r.appTriggers) == 0 {
		return r.moveChildren(ctx, h)
	}
	// The cut-over happened: finish it even when the run's context is cancelled.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	frozen := false
	if h != nil {
		herr := <-h.done
		frozen = herr == nil
		h.done <- herr // moveChildren and release find it answered
	}
	err := r.carryTriggers(ctx, h, frozen)
	if len(r.children) == 0 {
		h.release(ctx, r)
		return err
	}
	return errors.Join(err, r.moveChildren(ctx, h))
}
