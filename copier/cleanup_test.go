package copier

import (
	"context"
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
	if err := Cleanup(ctx, db, "t"); err != nil {
		t.Fatal(err)
	}
	if left, err := Leftovers(ctx, db, "t"); err != nil || len(left) > 0 {
		t.Errorf("after Cleanup: %v, %v", left, err)
	}
	assertClean(t, db)
}
