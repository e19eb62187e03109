package runner

import (
	"context"
	"database/sql"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// testAccount creates an account with the given grants through the test server's root account,
// and returns its DSN; the account is dropped when the test ends.
func testAccount(t *testing.T, name string, grants ...string) string {
	t.Helper()
	rootDSN := testenv.RootDSN(t)
	root, err := sql.Open("mysql", rootDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	account := "'" + name + "'@'127.0.0.1'"
	stmts := append([]string{"DROP USER IF EXISTS " + account, "CREATE USER " + account + " IDENTIFIED BY 'pw'"}, grants...)
	for _, s := range stmts {
		if _, err := root.Exec(strings.ReplaceAll(s, "ACCOUNT", account)); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	t.Cleanup(func() { root.Exec("DROP USER IF EXISTS " + account) })
	cfg, err := mysql.ParseDSN(rootDSN)
	if err != nil {
		t.Fatal(err)
	}
	cfg.User, cfg.Passwd = name, "pw"
	return cfg.FormatDSN()
}

func TestDSNAccounts(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) { testDSNAccounts(t) })
}

func testDSNAccounts(t *testing.T) {
	ctx := context.Background()
	start := func(t *testing.T, dsn string, throwaway bool) (*Server, error) {
		srv, err := Start(ctx, Options{Kind: DSN, DSN: dsn, Throwaway: throwaway})
		if err == nil {
			t.Cleanup(func() { srv.Close(ctx) })
		}
		return srv, err
	}

	t.Run("may create users: a sandbox account per run", func(t *testing.T) {
		dsn := testAccount(t, "sg_t_admin", "GRANT CREATE USER ON *.* TO ACCOUNT",
			"GRANT ALL ON `schema\\_guard\\_%`.* TO ACCOUNT WITH GRANT OPTION")
		srv, err := start(t, dsn, false)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(srv.Sandbox(), "'sg_") || srv.Throwaway {
			t.Errorf("sandbox %q, throwaway %v", srv.Sandbox(), srv.Throwaway)
		}
		db, err := srv.CreateDatabase(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var user string
		if err := db.DB.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&user); err != nil || !strings.HasPrefix(user, "sg_") {
			t.Errorf("the run's sessions log in as %q, %v", user, err)
		}
		// The run's account reaches its own databases, and no other.
		if _, err := db.DB.ExecContext(ctx, "CREATE DATABASE "+srv.run.databasePrefix()+"99"); err != nil {
			t.Errorf("a database under the run's name: %v", err)
		}
		if _, err := db.DB.ExecContext(ctx, "CREATE DATABASE schema_guard_other_run"); err == nil || !isAccessDenied(err) {
			t.Errorf("another schema_guard_ database: %v", err)
		}
		account := srv.Sandbox()
		name := db.Name
		if err := srv.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if databaseExists(t, name) || databaseExists(t, srv.run.databasePrefix()+"99") {
			t.Error("the run's databases survived Close")
		}
		root, _ := sql.Open("mysql", testenv.RootDSN(t))
		defer root.Close()
		var n int
		root.QueryRow("SELECT COUNT(*) FROM mysql.user WHERE User = ?", strings.Trim(strings.SplitN(account, "@", 2)[0], "'")).Scan(&n)
		if n != 0 {
			t.Errorf("account %s survived Close", account)
		}
	})

	t.Run("confined to schema_guard_ databases", func(t *testing.T) {
		srv, err := start(t, testAccount(t, "sg_t_least", "GRANT ALL ON `schema\\_guard\\_%`.* TO ACCOUNT"), false)
		if err != nil {
			t.Fatal(err)
		}
		if srv.Sandbox() != "" || srv.Throwaway {
			t.Errorf("sandbox %q, throwaway %v", srv.Sandbox(), srv.Throwaway)
		}
	})

	broad := []struct{ name, grant, names string }{
		{"global", "GRANT SELECT ON *.* TO ACCOUNT", "SELECT ON *.*"},
		{"another database", "GRANT ALL ON `shop`.* TO ACCOUNT", "ON `shop`.*"},
		{"an unescaped pattern", "GRANT ALL ON `schema_guard_%`.* TO ACCOUNT", "`schema_guard_%`"},
		{"a table elsewhere", "GRANT SELECT ON `mysql`.`user` TO ACCOUNT", "`mysql`.`user`"},
	}
	for _, b := range broad {
		t.Run("refused: "+b.name, func(t *testing.T) {
			dsn := testAccount(t, "sg_t_broad", "GRANT ALL ON `schema\\_guard\\_%`.* TO ACCOUNT", b.grant)
			_, err := start(t, dsn, false)
			if err == nil || !strings.Contains(err.Error(), b.names) || !strings.Contains(err.Error(), "--throwaway-server") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line naming %s", err, b.names)
			}
			// Declared a throwaway server, it runs with the account as it is, and says so.
			srv, err := start(t, dsn, true)
			if err != nil || !srv.Throwaway || srv.Sandbox() != "" {
				t.Errorf("throwaway: %v, %+v", err, srv)
			}
		})
	}
}

func TestLikePrefix(t *testing.T) {
	for pattern, want := range map[string]bool{
		`schema\_guard\_%`:           true,
		`schema\_guard\_2026\_ab\_%`: true,
		`schema_guard_%`:             false, // _ matches any character: schemaXguardY…
		`schema\_guard%`:             false,
		`%`:                          false,
		`schema\_guard\_shop`:        true,
		`shop`:                       false,
	} {
		if got := likePrefix(pattern, true); got != want {
			t.Errorf("likePrefix(%s) = %v, want %v", pattern, got, want)
		}
	}
	if !likePrefix("schema_guard_shop", false) || likePrefix("shop", false) {
		t.Error("table-level names are names, not patterns")
	}
}

// TestLeftoversAreNamed: a database an earlier run left (its name says it started long ago) is
// named by the next run, and cleanup's listing has it; the run's own and other names are not.
func TestLeftoversAreNamed(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) { testLeftoversAreNamed(t) })
}

func testLeftoversAreNamed(t *testing.T) {
	ctx := context.Background()
	root, err := sql.Open("mysql", testenv.RootDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	// Closed after the cleanups below, which drop with it (cleanups run last first).
	t.Cleanup(func() { root.Close() })
	const old = "schema_guard_202001010000_0badf00d_1"
	for _, s := range []string{"CREATE DATABASE IF NOT EXISTS " + old, "CREATE DATABASE IF NOT EXISTS schema_guard_t_other"} {
		if _, err := root.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		root.Exec("DROP DATABASE IF EXISTS " + old)
		root.Exec("DROP DATABASE IF EXISTS schema_guard_t_other")
	})
	var logged strings.Builder
	srv, err := Start(ctx, Options{Kind: DSN, DSN: testenv.DSN(t), Log: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(ctx)
	if !strings.Contains(logged.String(), old) || !strings.Contains(logged.String(), "schema-guard cleanup") {
		t.Errorf("the run does not name the leftover:\n%s", logged.String())
	}
	own, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	leftovers, err := srv.Leftovers(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range leftovers {
		names = append(names, l.Name)
	}
	if !slices.Contains(names, old) || slices.Contains(names, own.Name) || slices.Contains(names, "schema_guard_t_other") {
		t.Errorf("leftovers %v: want %s, and neither the run's own %s nor another name", names, old, own.Name)
	}
}
