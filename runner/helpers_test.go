package runner

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/migrations"
)

// unit splits and parses sql as the migration file path.
func unit(t *testing.T, path, sql string) Unit {
	t.Helper()
	f := &migrations.File{Path: path, Format: migrations.Plain, Content: []byte(sql)}
	stmts, err := f.Statements()
	if err != nil {
		t.Fatalf("split %s: %v", path, err)
	}
	migrations.NewParser().Parse(stmts)
	return Unit{Path: path, Statements: stmts}
}

// startDSN starts the dsn engine on the test server and closes it when the test ends.
func startDSNServer(t *testing.T) *Server {
	t.Helper()
	srv, err := Start(context.Background(), Options{Kind: DSN, DSN: testenv.DSN(t)})
	if err != nil {
		t.Fatalf("start dsn engine: %v", err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return srv
}

// databaseExists asks the test server (through a connection of its own) whether name exists.
func databaseExists(t *testing.T, name string) bool {
	t.Helper()
	db, err := sql.Open("mysql", testenv.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func execAll(t *testing.T, db *sql.DB, stmts []string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%v in:\n%s", err, s)
		}
	}
}
