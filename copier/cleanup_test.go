package copier

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/schema"
)

// TestCleanupLeftovers leaves what a crashed run may leave — each of the copier's tables and
// triggers, the foreign-key probe included — and checks that Leftovers names each, a new run
// refuses to start, and Cleanup drops them all.
func TestCleanupLeftovers(t *testing.T) { testenv.EachServer(t, testCleanupLeftovers) }

func testCleanupLeftovers(t *testing.T, _ testenv.Server) {
	ctx := context.Background()
	db := scratch(t)
	fillTable(t, db, "t", 10)
	n := namesFor("", "t")
	for _, table := range n.tables() {
		mustExec(t, db, "CREATE TABLE "+schema.QuoteIdent(table)+" (id INT PRIMARY KEY)")
	}
	mustExec(t, db, "CREATE TRIGGER "+schema.QuoteIdent(n.insTrigger)+" AFTER INSERT ON t FOR EACH ROW INSERT INTO "+schema.QuoteIdent(n.shadow)+" VALUES (NEW.id)")
	left, err := Leftovers(ctx, db, "t")
	if err != nil {
		t.Fatal(err)
	}
	want := append(n.tables(), n.insTrigger)
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Errorf("leftovers %v, want %v", left, want)
	}
	_, err = Run(ctx, db, Options{Table: "t", Alter: "ADD COLUMN f INT"})
	if err == nil || !strings.Contains(err.Error(), n.probe) {
		t.Errorf("Run over leftovers: %v", err)
	}
	if _, err := Cleanup(ctx, db, "t"); err != nil {
		t.Fatal(err)
	}
	if left, err := Leftovers(ctx, db, "t"); err != nil || len(left) > 0 {
		t.Errorf("after Cleanup: %v, %v", left, err)
	}
	assertClean(t, db)
}

// TestCleanupRescuesTriggers leaves what a cut-over killed between its RENAME and the
// re-creation of the table's own triggers leaves — the new table without them, the old one
// with them and the copier's — and checks that Cleanup moves them to the table, as they were
// (order, sql_mode, definer, body), before it drops the old table.
func TestCleanupRescuesTriggers(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) {
		ctx := context.Background()
		db := scratch(t)
		n := namesFor("", "t")
		fillTable(t, db, n.old, 5)
		mustExec(t, db, "CREATE TABLE t LIKE "+schema.QuoteIdent(n.old), "INSERT INTO t SELECT * FROM "+schema.QuoteIdent(n.old),
			"CREATE TABLE "+schema.QuoteIdent(n.errors)+" (id INT PRIMARY KEY)",
			"CREATE TABLE audit (op VARCHAR(8) NOT NULL, id INT NOT NULL)",
			"CREATE TRIGGER t_ai AFTER INSERT ON "+schema.QuoteIdent(n.old)+" FOR EACH ROW INSERT INTO audit VALUES ('ins', NEW.id)",
			"CREATE TRIGGER t_ai2 AFTER INSERT ON "+schema.QuoteIdent(n.old)+" FOR EACH ROW INSERT INTO audit VALUES ('ins2', NEW.id)",
			"CREATE TRIGGER "+schema.QuoteIdent(n.insTrigger)+" AFTER INSERT ON "+schema.QuoteIdent(n.old)+" FOR EACH ROW INSERT INTO "+schema.QuoteIdent(n.errors)+" VALUES (NEW.id)")
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'",
			"CREATE TRIGGER t_bu BEFORE UPDATE ON " + schema.QuoteIdent(n.old) + " FOR EACH ROW SET NEW.b = CONCAT(NEW.b, '+')"} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		discard(conn)
		const q = "SELECT GROUP_CONCAT(CONCAT_WS('|', TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT, DEFINER, SQL_MODE) ORDER BY TRIGGER_NAME SEPARATOR '\n') FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = '%s' AND TRIGGER_NAME LIKE 't\\_%%'"
		var before string
		mustScan(t, db, fmt.Sprintf(q, n.old), &before)
		moved, err := Cleanup(ctx, db, "t")
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"t_ai", "t_ai2", "t_bu"}; !slices.Equal(moved, want) {
			t.Errorf("moved %v, want %v", moved, want)
		}
		var after string
		mustScan(t, db, fmt.Sprintf(q, "t"), &after)
		if after != before {
			t.Errorf("triggers on t after Cleanup:\n%s\nwant, as they were on %s:\n%s", after, n.old, before)
		}
		mustExec(t, db, "INSERT INTO t (a, b) VALUES (7, 'x')", "UPDATE t SET b = 'y' WHERE a = 7")
		if got := queryDigestText(t, db, "SELECT GROUP_CONCAT(op ORDER BY op) FROM audit"); got != "ins,ins2" {
			t.Errorf("audit after an insert into t: %q, want ins,ins2", got)
		}
		var b string
		mustScan(t, db, "SELECT b FROM t WHERE a = 7", &b)
		if b != "y+" {
			t.Errorf("b = %q after an update, want y+ (the BEFORE UPDATE trigger)", b)
		}
		if left, err := Leftovers(ctx, db, "t"); err != nil || len(left) > 0 {
			t.Errorf("after Cleanup: %v, %v", left, err)
		}
	})
}
