package runner

import (
	"context"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/schema-guard/schema-guard/internal/testenv"
)

func TestDSNEngineCreatesAndDropsItsDatabases(t *testing.T) {
	testenv.EachServer(t, testDSNEngineCreatesAndDropsItsDatabases)
}

func testDSNEngineCreatesAndDropsItsDatabases(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	if srv.Kind != DSN || !srv.Flavor.IsMariaDB() && !srv.Flavor.IsMySQL() {
		t.Fatalf("server = %+v", srv)
	}
	ctx := context.Background()
	var names []string
	for range 2 {
		db, err := srv.CreateDatabase(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(db.Name, DatabasePrefix) {
			t.Errorf("database name %q lacks the prefix %q", db.Name, DatabasePrefix)
		}
		if _, err := db.DB.ExecContext(ctx, "CREATE TABLE t (id INT PRIMARY KEY)"); err != nil {
			t.Fatalf("the database's pool does not use it: %v", err)
		}
		names = append(names, db.Name)
	}
	if names[0] == names[1] {
		t.Fatalf("two databases got one name %q", names[0])
	}
	for _, n := range names {
		if !databaseExists(t, n) {
			t.Fatalf("%s does not exist before Close", n)
		}
	}
	if err := srv.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if databaseExists(t, n) {
			t.Errorf("%s still exists after Close", n)
		}
	}
	if err := srv.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := srv.CreateDatabase(ctx); err == nil {
		t.Error("CreateDatabase after Close succeeded")
	}
}

func TestDSNEngineErrors(t *testing.T) { testenv.EachServer(t, testDSNEngineErrors) }

func testDSNEngineErrors(t *testing.T, _ testenv.Server) {
	ctx := context.Background()
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"malformed", Options{Kind: DSN, DSN: "not a dsn"}, "dsn engine: invalid DSN"},
		{"unreachable", Options{Kind: DSN, DSN: "u:p@tcp(127.0.0.1:1)/"}, "cannot use the server at 127.0.0.1:1"},
		{"no dsn", Options{Kind: DSN}, "no DSN given"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Start(ctx, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), ":p@") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		// The test account's password, whatever the DSN says it is, with something appended.
		cfg, err := mysql.ParseDSN(testenv.DSN(t))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Passwd += "-wrong"
		_, err = Start(ctx, Options{Kind: DSN, DSN: cfg.FormatDSN()})
		if err == nil || !strings.Contains(err.Error(), "Access denied") {
			t.Fatalf("err = %v, want Access denied", err)
		}
	})
}

func TestAutoPrefersDSN(t *testing.T) { testenv.EachServer(t, testAutoPrefersDSN) }

func testAutoPrefersDSN(t *testing.T, _ testenv.Server) {
	srv, err := Start(context.Background(), Options{Kind: Auto, DSN: testenv.DSN(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close(context.Background())
	if srv.Kind != DSN {
		t.Fatalf("auto with a DSN chose %s", srv.Kind)
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]Kind{"": Auto, "auto": Auto, "DSN": DSN, "container": Container} {
		if got, err := ParseKind(in); err != nil || got != want {
			t.Errorf("ParseKind(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseKind("static"); err == nil {
		t.Error("ParseKind(static) succeeded")
	}
}

func TestDatabaseDrop(t *testing.T) { testenv.EachServer(t, testDatabaseDrop) }

func testDatabaseDrop(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if databaseExists(t, db.Name) {
		t.Errorf("%s exists after Drop", db.Name)
	}
	if err := db.Drop(ctx); err != nil {
		t.Errorf("second Drop: %v", err)
	}
	if err := srv.Close(ctx); err != nil {
		t.Errorf("Close after Drop: %v", err)
	}
}
