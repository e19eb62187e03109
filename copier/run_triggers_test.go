package copier

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestRunCarriesTriggers copies and cuts over a table that has triggers of its own: they keep
// working during the copy, fire once per write (never for the copy's rows), the copier's
// triggers follow them, and after the cut-over the new table has them, as they were, working.
func TestRunCarriesTriggers(t *testing.T) { testenv.EachServer(t, testRunCarriesTriggers) }

func testRunCarriesTriggers(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 3000)
	mustExec(t, db, "CREATE TABLE audit (op VARCHAR(8) NOT NULL, id INT NOT NULL)",
		"CREATE TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW INSERT INTO audit VALUES ('ins', NEW.id)",
		"CREATE TRIGGER t_ai2 AFTER INSERT ON t FOR EACH ROW INSERT INTO audit VALUES ('ins2', NEW.id)",
		"CREATE TRIGGER t_bu BEFORE UPDATE ON t FOR EACH ROW SET NEW.b = CONCAT(NEW.b, '+')",
		"CREATE TRIGGER t_ad AFTER DELETE ON t FOR EACH ROW INSERT INTO audit VALUES ('del', OLD.id)")
	before := appTriggerRows(t, db)
	var order string
	kc := keyCase{
		during: []string{"INSERT INTO t (a, b) VALUES (1, 'during')", "UPDATE t SET a = a + 1 WHERE id % 7 = 0", "DELETE FROM t WHERE id % 11 = 0"},
		after:  []string{"INSERT INTO t (a, b) VALUES (2, 'after')", "UPDATE t SET a = a + 1 WHERE id % 5 = 0", "DELETE FROM t WHERE id % 13 = 0"},
	}
	opts := Options{Table: "t", Alter: "ADD COLUMN f INT NULL", Execute: true, ChunkTime: time.Millisecond}
	res, err := runWithWrites(t, db, opts, kc, func() {
		order = queryDigestText(t, db, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 't' AND EVENT_MANIPULATION = 'INSERT' ORDER BY ACTION_ORDER")
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.CutOver {
		t.Fatalf("result %+v", res)
	}
	if want := "t_ai,t_ai2,_t_sg_ins"; order != want {
		t.Errorf("insert triggers in the order %s during the copy, want %s", order, want)
	}
	if after := appTriggerRows(t, db); after != before {
		t.Errorf("triggers after the cut-over:\n%s\nwant\n%s", after, before)
	}
	// Each write fired the application's triggers once: the copy's rows fired none.
	var ins, ins2, del, plus int
	mustScan(t, db, "SELECT SUM(op = 'ins'), SUM(op = 'ins2'), SUM(op = 'del') FROM audit", &ins, &ins2, &del)
	mustScan(t, db, "SELECT COUNT(*) FROM t WHERE b LIKE '%+'", &plus)
	if want := 3000/11 + 3000/13 - 3000/(11*13); ins != 2 || ins2 != 2 || del != want {
		t.Errorf("audit: %d inserts, %d second inserts, %d deletes; want 2, 2, %d", ins, ins2, del, want)
	}
	if plus == 0 {
		t.Error("the BEFORE UPDATE trigger's change is not in the new table")
	}
	// The carried triggers work on the new table.
	mustExec(t, db, "INSERT INTO t (a, b, f) VALUES (3, 'later', 1)")
	mustScan(t, db, "SELECT SUM(op = 'ins') FROM audit", &ins)
	if ins != 3 {
		t.Errorf("after the cut-over an insert fired t_ai %d times in all, want 3", ins)
	}
	assertClean(t, db)
}

// appTriggerRows describes the table's triggers other than the copier's, as the server has them.
func appTriggerRows(t *testing.T, db *sql.DB) string {
	t.Helper()
	return queryDigestText(t, db, `SELECT CONCAT_WS('|', TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT,
		DEFINER, SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION) FROM information_schema.TRIGGERS
		WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 't' AND TRIGGER_NAME NOT LIKE '\_t\_sg\_%' ORDER BY TRIGGER_NAME`)
}

// queryDigestText joins a query's one-column rows with commas.
func queryDigestText(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, ",")
}

func mustScan(t *testing.T, db *sql.DB, query string, dest ...any) {
	t.Helper()
	if err := db.QueryRow(query).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
