package runner

import (
	"context"
	"slices"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestSessionEnd checks the sessions Database.Session hands out (the probes'): a clean end
// forgets the session, so Drop need not kill it; an unclean one leaves it for Drop. Either way
// the connection never returns to the pool.
func TestSessionEnd(t *testing.T) { testenv.EachServer(t, testSessionEnd) }

func testSessionEnd(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tracked := func() []int64 {
		db.mu.Lock()
		defer db.mu.Unlock()
		return slices.Clone(db.threads)
	}
	conn, end, err := db.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var thread int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&thread); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(tracked(), thread) {
		t.Fatalf("session %d not tracked: %v", thread, tracked())
	}
	end(true)
	if slices.Contains(tracked(), thread) {
		t.Errorf("a cleanly ended session %d is still tracked", thread)
	}
	if err := conn.PingContext(ctx); err == nil {
		t.Error("the ended session's connection still works: it went back to the pool")
	}

	conn, end, err = db.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&thread); err != nil {
		t.Fatal(err)
	}
	end(false)
	if !slices.Contains(tracked(), thread) {
		t.Errorf("an uncleanly ended session %d is no longer tracked; Drop would not kill it", thread)
	}
	if db.SchemaName() != db.Name || db.Flavor() != srv.Flavor {
		t.Error("SchemaName or Flavor do not describe the database")
	}
}
