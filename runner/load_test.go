package runner

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestLoadLeavesOutUnknownSQLModes loads a declared state whose SET sql_mode statements name
// modes one flavour or the other removed or never had, as dumps from other servers do: the
// server decides which modes it rejects, Load leaves exactly those out, and the trigger after
// the SET is created with the rest.
func TestLoadLeavesOutUnknownSQLModes(t *testing.T) {
	testenv.EachServer(t, testLoadLeavesOutUnknownSQLModes)
}

func testLoadLeavesOutUnknownSQLModes(t *testing.T, s testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u := unit(t, "schema/dump.sql", `CREATE TABLE t (id INT PRIMARY KEY, a INT);
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO,NO_AUTO_CREATE_USER' */;
/*!50003 SET sql_mode = 'STRICT_TRANS_TABLES,NO_AUTO_CREATE_USER,TIME_TRUNCATE_FRACTIONAL,NOT_A_MODE' */ ;
CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1;
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
`)
	dropped, err := db.Load(ctx, u.Statements)
	if err != nil {
		t.Fatal(err)
	}
	// MySQL 8.0 removed NO_AUTO_CREATE_USER; MariaDB has no TIME_TRUNCATE_FRACTIONAL (MySQL 8.0's).
	removed := "TIME_TRUNCATE_FRACTIONAL"
	if s.MySQL() {
		removed = "NO_AUTO_CREATE_USER"
	}
	var got []string
	for _, d := range dropped {
		got = append(got, d.Statement.File+":"+strconv.Itoa(d.Statement.Line)+" "+strings.Join(d.Modes, ","))
	}
	want := []string{"schema/dump.sql:3 " + removed + ",NOT_A_MODE"}
	if s.MySQL() {
		want = append([]string{"schema/dump.sql:2 NO_AUTO_CREATE_USER"}, want...)
	}
	if !slices.Equal(got, want) {
		t.Errorf("dropped %q, want %q", got, want)
	}
	var mode string
	if err := db.DB.QueryRowContext(ctx, "SELECT SQL_MODE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = 't_bi'", db.Name).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mode, "STRICT_TRANS_TABLES") || strings.Contains(mode, removed) || strings.Contains(mode, "NOT_A_MODE") {
		t.Errorf("trigger created with sql_mode %q", mode)
	}
	notice := SQLModeNotice(dropped)
	if !strings.Contains(notice, removed) || !strings.Contains(notice, "NOT_A_MODE") || strings.Count(notice, removed) != 1 {
		t.Errorf("notice %q", notice)
	}

	// Any other rejected SET is still a LoadError.
	bad := unit(t, "schema/bad.sql", "SET SESSION sql_mode = 'STRICT_TRANS_TABLES', foreign_key_checks = 'maybe';\n")
	db2, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db2.Load(ctx, bad.Statements)
	var le *LoadError
	if !errors.As(err, &le) || le.Statement.File != "schema/bad.sql" {
		t.Errorf("bad SET: %v, want a LoadError", err)
	}
}
