package runner

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestDSNWarnsWhenStoredProgramsNeedSuper starts a server of each image, turns off its trust in
// function creators, as a stock MySQL has it, and connects the dsn engine with an account limited
// to schema_guard_* databases: on MySQL, which logs binary by default, the engine warns that
// triggers and functions will fail, and they do — also as root, whose migrations run as the
// run's own account; as root on a server declared a throwaway one, or on MariaDB (no binary
// log), it does not warn, and they work.
func TestDSNWarnsWhenStoredProgramsNeedSuper(t *testing.T) {
	testenv.EachImage(t, testDSNWarnsWhenStoredProgramsNeedSuper)
}

func testDSNWarnsWhenStoredProgramsNeedSuper(t *testing.T, img testenv.ServerImage) {
	ctx := context.Background()
	box, err := Start(ctx, Options{Kind: Container, Image: img.Ref, RunID: "test" + testenv.RandomHex(6)})
	if err != nil {
		t.Fatalf("start the container engine: %v", err)
	}
	defer box.Close(ctx)
	for _, st := range []string{
		"SET GLOBAL log_bin_trust_function_creators = OFF",
		"CREATE USER 'limited'@'%' IDENTIFIED BY 'limited'",
		"GRANT ALL ON `schema\\_guard\\_%`.* TO 'limited'@'%'",
	} {
		if _, err := box.Admin().ExecContext(ctx, st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	limited := box.cfg.Clone()
	limited.User, limited.Passwd = "limited", "limited"
	for _, c := range []struct {
		who       string
		cfg       *mysql.Config
		throwaway bool
		warn      bool
	}{
		{"limited", limited, false, box.Flavor.IsMySQL()},
		// Root's migrations run as the run's own account, which has no SUPER either.
		{"root", box.cfg, false, box.Flavor.IsMySQL()},
		// On a server declared a throwaway one they run as root.
		{"root, throwaway", box.cfg, true, false},
	} {
		var logs bytes.Buffer
		srv, err := Start(ctx, Options{Kind: DSN, DSN: c.cfg.FormatDSN(), Throwaway: c.throwaway, Log: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatalf("%s: %v", c.who, err)
		}
		warned := strings.Contains(logs.String(), "error 1419")
		if warned != c.warn {
			t.Errorf("%s: warned %v, want %v: %s", c.who, warned, c.warn, logs.String())
		}
		db, err := srv.CreateDatabase(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.DB.ExecContext(ctx, "CREATE TABLE t (id INT PRIMARY KEY)")
		if err == nil {
			_, err = db.DB.ExecContext(ctx, "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.id = NEW.id")
		}
		var me *mysql.MySQLError
		if failed := errors.As(err, &me) && me.Number == 1419; failed != c.warn || (!failed && err != nil) {
			t.Errorf("%s: CREATE TRIGGER: %v; the warning said it would fail: %v", c.who, err, c.warn)
		}
		srv.Close(ctx)
	}
}
