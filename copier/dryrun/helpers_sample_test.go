package dryrun

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// testCtx is a context for one test's server work.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// model is a table as the runner reads it, before and after an ALTER.
type model struct {
	before, after *schema.Table
	create        string // SHOW CREATE TABLE before the ALTER
	flavor        schema.Flavor
}

// modelOf creates table t from ddl in a scratch database, reads it into the model, applies
// alter (when not "") and reads the result: the Before and After a dry run is given.
func modelOf(t *testing.T, ddl, alter string) model {
	t.Helper()
	db, name := testenv.ScratchDB(t)
	return modelIn(t, db, name, ddl, alter)
}

// modelIn is modelOf in database name of db.
func modelIn(t *testing.T, db *sql.DB, name, ddl, alter string) model {
	t.Helper()
	ctx := testCtx(t)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, ddl); err != nil {
		t.Fatalf("%s: %v", ddl, err)
	}
	var m model
	if m.flavor, err = introspect.ReadFlavor(ctx, conn); err != nil {
		t.Fatal(err)
	}
	read := func() *schema.Table {
		s, err := introspect.IntrospectTables(ctx, conn, name, m.flavor, []string{"t"})
		if err != nil {
			t.Fatal(err)
		}
		if s.Table("t") == nil {
			t.Fatal("table t not read")
		}
		return s.Table("t")
	}
	m.before = read()
	var tn string
	if err := conn.QueryRowContext(ctx, "SHOW CREATE TABLE t").Scan(&tn, &m.create); err != nil {
		t.Fatal(err)
	}
	m.after = m.before
	if alter != "" {
		if _, err := conn.ExecContext(ctx, alter); err != nil {
			t.Fatalf("%s: %v", alter, err)
		}
		m.after = read()
	}
	return m
}

// sampleTable creates the model's deployed table in a fresh scratch database and returns the
// database with a sample session on it.
func sampleTable(t *testing.T, m model) (*sql.DB, *sql.Conn, string) {
	t.Helper()
	ctx := testCtx(t)
	db, _ := testenv.ScratchDB(t)
	conn, mode, err := sampleSession(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.ExecContext(ctx, m.create); err != nil {
		t.Fatal(err)
	}
	return db, conn, mode
}

func count(t *testing.T, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, query string) int64 {
	t.Helper()
	var n int64
	if err := q.QueryRowContext(testCtx(t), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
