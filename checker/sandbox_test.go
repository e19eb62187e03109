package checker

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/runner"
)

// escape is a pending migration that tries to leave the run's databases.
type escape struct {
	name string
	sql  string // %[1]s is the victim session's id, %[2]s the file INTO OUTFILE must not write
	// refused says the check must report the statement (replay-failed, or skipped or refused
	// before it ran); false for what may succeed inside the run's own databases.
	refused bool
}

// escapes are the ways out a pull request's SQL may try: dynamic SQL, stored programs,
// triggers, events, syntax the parser cannot read, executable comments, files, plugins,
// accounts, globals, KILL, SHUTDOWN, another run's database, and reading what is not the run's
// into an error message, which ends up in the pull request's comment.
var escapes = []escape{
	{"drop database", "DROP DATABASE sg_victim;", true},
	{"prepared drop", "PREPARE s FROM CONCAT('DROP ', 'DATABASE sg_victim');\nEXECUTE s;", true},
	{"execute immediate", "EXECUTE IMMEDIATE CONCAT('DROP ', 'DATABASE sg_victim');", true},
	{"procedure", "DELIMITER //\nCREATE PROCEDURE p() BEGIN DROP TABLE sg_victim.t; END //\nDELIMITER ;\nCALL p();", true},
	{"definer root", "DELIMITER //\nCREATE DEFINER=`root`@`localhost` PROCEDURE p() SQL SECURITY DEFINER BEGIN DELETE FROM sg_victim.t; END //\nDELIMITER ;\nCALL p();", true},
	{"executable-comment definer", "DELIMITER //\nCREATE /*!50017 DEFINER=`root`@`localhost`*/ PROCEDURE p() BEGIN DELETE FROM sg_victim.t; END //\nDELIMITER ;\nCALL p();", true},
	{"trigger", "CREATE TABLE l (id INT PRIMARY KEY);\nDELIMITER //\nCREATE TRIGGER tr AFTER INSERT ON l FOR EACH ROW BEGIN INSERT INTO sg_victim.t VALUES (NEW.id + 100, 'x'); END //\nDELIMITER ;\nINSERT INTO l VALUES (1);", true},
	{"event", "CREATE EVENT ev ON SCHEDULE AT CURRENT_TIMESTAMP DO DROP TABLE sg_victim.t;", false},
	{"create or replace", "CREATE OR REPLACE TABLE sg_victim.t (x INT);", true},
	{"drop wait", "DROP TABLE sg_victim.t WAIT 1;", true},
	{"mariadb executable comment", "/*M!100000 DROP DATABASE sg_victim */;", true},
	{"executable comment", "/*!50000 DROP DATABASE sg_victim */;", true},
	{"outfile", "CREATE TABLE l (a INT);\nINSERT INTO l VALUES (1);\nSELECT a FROM l INTO OUTFILE '%[2]s';", true},
	{"install soname", "INSTALL SONAME 'ha_blackhole';", true},
	{"prepared install", "PREPARE s FROM 'INSTALL PLUGIN blackhole SONAME ''ha_blackhole.so''';\nEXECUTE s;", true},
	{"create server", "CREATE SERVER sgsrv FOREIGN DATA WRAPPER mysql OPTIONS (HOST '127.0.0.1', USER 'root');", true},
	{"alter user", "ALTER USER sg_victim_user@'127.0.0.1' IDENTIFIED BY 'pwned';", true},
	{"prepared alter user", "PREPARE s FROM 'ALTER USER sg_victim_user@''127.0.0.1'' IDENTIFIED BY ''pwned''';\nEXECUTE s;", true},
	{"grant", "PREPARE s FROM 'GRANT ALL ON sg_victim.* TO CURRENT_USER()';\nEXECUTE s;", true},
	{"set global", "SET GLOBAL max_connections = 7;", true},
	{"prepared set global", "PREPARE s FROM 'SET GLOBAL max_connections = 7';\nEXECUTE s;", true},
	{"kill", "KILL %[1]s;", true},
	{"prepared kill", "PREPARE s FROM 'KILL %[1]s';\nEXECUTE s;", true},
	{"shutdown", "SHUTDOWN;", true},
	{"prepared shutdown", "PREPARE s FROM 'SHUTDOWN';\nEXECUTE s;", true},
	{"server file into the report", "SET @v = (SELECT LEFT(LOAD_FILE('/etc/passwd'), 120));\nSIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = @v;", true},
	{"another database into the report", "PREPARE s FROM 'SELECT secret INTO @v FROM sg_victim.t LIMIT 1';\nEXECUTE s;\nSIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = @v;", true},
	{"password hashes into the report", "PREPARE s FROM 'SELECT authentication_string INTO @v FROM mysql.user WHERE authentication_string <> '''' LIMIT 1';\nEXECUTE s;\nSIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = @v;", true},
	{"another run's database", "PREPARE s FROM 'DROP DATABASE schema_guard_202001010000_deadbeef_1';\nEXECUTE s;", true},
	{"a database nobody removes", "PREPARE s FROM 'CREATE DATABASE schema_guard_x';\nEXECUTE s;", true},
	{"local infile", "CREATE TABLE l (line TEXT);\nLOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE l;", true},
}

// TestMigrationsStayInTheirSandbox runs every escape on the dsn engine with an account that holds
// ALL ON *.* (a CI service container's root) and with the documented least-privilege account:
// nothing outside the run's own databases changes, and nothing from outside reaches the report.
func TestMigrationsStayInTheirSandbox(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) { testMigrationsStayInTheirSandbox(t) })
}

func testMigrationsStayInTheirSandbox(t *testing.T) {
	for _, account := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{"all privileges", testenv.RootDSN}, {"least privilege", testenv.AdminDSN}} {
		t.Run(account.name, func(t *testing.T) {
			dsn := account.dsn(t)
			w := newWorld(t, testenv.RootDSN(t))
			for _, e := range escapes {
				t.Run(e.name, func(t *testing.T) {
					w.reset(t)
					sqlText := fmt.Sprintf(e.sql, w.victimSession(t), w.file)
					dir := t.TempDir()
					testenv.WriteFile(t, filepath.Join(dir, "db", "migrations", "V1__escape.sql"), sqlText+"\n")
					res, err := Run(context.Background(), Options{WorkDir: dir, Base: NoBase, NoCopier: true,
						Engine: runner.Options{Kind: runner.DSN, DSN: dsn}})
					if err != nil {
						t.Fatalf("check: %v", err)
					}
					if res.Report.Engine.Sandbox == "" {
						t.Errorf("the migrations did not run as an account of the run's own")
					}
					out, _ := json.Marshal(res.Report)
					w.check(t, string(out), res.Report.Engine.Sandbox)
					if e.refused && !reported(res) {
						t.Errorf("the check passed it without a word:\n%s", out)
					}
				})
			}
		})
	}
}

// reported says whether a statement of the run was refused, skipped or failed.
func reported(res *Result) bool {
	return slices.ContainsFunc(res.Report.Findings, func(f finding.Finding) bool {
		return f.Rule == finding.ReplayFailed || f.Rule == finding.SkippedStatement || f.Rule == finding.ForeignDatabase
	})
}

// world is what the escapes must not change, read through an all-powerful account.
type world struct {
	root   *sql.DB
	victim *sql.Conn // a session of another account, which KILL must not end
	file   string    // where INTO OUTFILE must not write
	before worldState
}

type worldState struct {
	maxConnections, rootAuth, victimAuth string
	plugins, servers                     int
}

// leaks are what must never appear in a report: the start of /etc/passwd, the victim's row,
// password hashes (mysql_native_password, caching_sha2_password, ed25519).
var leaks = regexp.MustCompile(`root:x:0|top-secret|\*[0-9A-F]{40}|\$A\$005\$`)

func newWorld(t *testing.T, rootDSN string) *world {
	t.Helper()
	root, err := sql.Open("mysql", rootDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	w := &world{root: root, file: filepath.Join(os.TempDir(), "sg-escape-"+testenv.RandomHex(6))}
	exec := func(stmts ...string) {
		for _, s := range stmts {
			if _, err := root.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
	exec("DROP USER IF EXISTS sg_victim_user@'127.0.0.1'",
		"CREATE USER sg_victim_user@'127.0.0.1' IDENTIFIED BY 'victim'",
		"DROP DATABASE IF EXISTS sg_victim", "CREATE DATABASE sg_victim",
		"DROP DATABASE IF EXISTS schema_guard_202001010000_deadbeef_1", "CREATE DATABASE schema_guard_202001010000_deadbeef_1",
		"DROP DATABASE IF EXISTS schema_guard_x")
	t.Cleanup(func() {
		for _, s := range []string{"DROP DATABASE IF EXISTS sg_victim", "DROP DATABASE IF EXISTS schema_guard_202001010000_deadbeef_1",
			"DROP DATABASE IF EXISTS schema_guard_x", "DROP USER IF EXISTS sg_victim_user@'127.0.0.1'", "DROP SERVER IF EXISTS sgsrv"} {
			root.Exec(s)
		}
		os.Remove(w.file)
	})
	victim, err := sql.Open("mysql", strings.Replace(rootDSN, strings.SplitN(rootDSN, "@", 2)[0], "sg_victim_user:victim", 1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { victim.Close() })
	if w.victim, err = victim.Conn(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.before = w.state(t)
	return w
}

// reset puts the victim database back as the escapes find it.
func (w *world) reset(t *testing.T) {
	t.Helper()
	for _, s := range []string{"CREATE DATABASE IF NOT EXISTS sg_victim", "DROP TABLE IF EXISTS sg_victim.t",
		"CREATE TABLE sg_victim.t (id INT PRIMARY KEY, secret VARCHAR(20))", "INSERT INTO sg_victim.t VALUES (1, 'top-secret')",
		"CREATE DATABASE IF NOT EXISTS schema_guard_202001010000_deadbeef_1"} {
		if _, err := w.root.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func (w *world) victimSession(t *testing.T) string {
	t.Helper()
	var id string
	if err := w.victim.QueryRowContext(context.Background(), "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		t.Fatalf("the victim session is gone: %v", err)
	}
	return id
}

func (w *world) state(t *testing.T) worldState {
	t.Helper()
	var s worldState
	q := func(query string, dest any) {
		if err := w.root.QueryRow(query).Scan(dest); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	q("SELECT @@GLOBAL.max_connections", &s.maxConnections)
	q("SELECT COALESCE(MAX(authentication_string), '') FROM mysql.user WHERE User = 'schema_guard_root'", &s.rootAuth)
	q("SELECT COALESCE(MAX(authentication_string), '') FROM mysql.user WHERE User = 'sg_victim_user'", &s.victimAuth)
	q("SELECT COUNT(*) FROM information_schema.PLUGINS WHERE PLUGIN_STATUS = 'ACTIVE'", &s.plugins)
	q("SELECT COUNT(*) FROM mysql.servers", &s.servers)
	return s
}

// check fails the test for anything outside the run's databases that changed, and for anything
// from outside that reached the report.
func (w *world) check(t *testing.T, report, sandbox string) {
	t.Helper()
	if err := w.root.Ping(); err != nil {
		t.Fatalf("the server is down: %v", err)
	}
	var rows int
	var secret string
	if err := w.root.QueryRow("SELECT COUNT(*), MAX(secret) FROM sg_victim.t").Scan(&rows, &secret); err != nil || rows != 1 || secret != "top-secret" {
		t.Errorf("the victim database changed: %d rows, %q, %v", rows, secret, err)
	}
	for name, want := range map[string]int{"schema_guard_202001010000_deadbeef_1": 1, "schema_guard_x": 0} {
		var n int
		w.root.QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).Scan(&n)
		if n != want {
			t.Errorf("database %s: %d, want %d", name, n, want)
		}
	}
	if now := w.state(t); now != w.before {
		t.Errorf("the server changed: %+v, was %+v", now, w.before)
	}
	if _, err := os.Stat(w.file); err == nil {
		t.Errorf("INTO OUTFILE wrote %s", w.file)
	}
	w.victimSession(t)
	// The run's own account is gone (other checks on this server, such as other packages'
	// tests, have accounts of their own meanwhile).
	if user, _, ok := strings.Cut(strings.Trim(sandbox, "'"), "'@'"); ok {
		var n int
		w.root.QueryRow("SELECT COUNT(*) FROM mysql.user WHERE User = ?", user).Scan(&n)
		if n != 0 {
			t.Errorf("the run's account %s was left behind", sandbox)
		}
	}
	if m := leaks.FindString(report); m != "" {
		t.Errorf("the report holds %q from outside the run", m)
	}
}

// TestDefinersBecomeTheRunsAccount: objects a migration creates with a DEFINER (a dump's
// production account) replay as the run's own account, views, triggers, routines and events
// alike, in the plain and in mysqldump's executable-comment spelling.
func TestDefinersBecomeTheRunsAccount(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) { testDefinersBecomeTheRunsAccount(t) })
}

func testDefinersBecomeTheRunsAccount(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteFile(t, filepath.Join(dir, "db", "migrations", "V1__objects.sql"), `CREATE TABLE t (id INT PRIMARY KEY, n INT NULL);
CREATE DEFINER=`+"`root`@`localhost`"+` VIEW v AS SELECT id FROM t;
/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`+"`app`@`%`"+` SQL SECURITY DEFINER */ /*!50001 VIEW w AS SELECT n FROM t */;
DELIMITER //
CREATE DEFINER=`+"`root`@`localhost`"+` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.n = 1; END //
CREATE DEFINER=CURRENT_USER PROCEDURE p() BEGIN SELECT 1; END //
CREATE DEFINER=`+"`root`@`%`"+` FUNCTION f() RETURNS INT DETERMINISTIC RETURN 1 //
DELIMITER ;
CREATE DEFINER=`+"`root`@`localhost`"+` EVENT e ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM t;
`)
	s, err := Start(context.Background(), Options{WorkDir: dir, Base: NoBase, NoCopier: true,
		Engine: runner.Options{Kind: runner.DSN, DSN: testenv.RootDSN(t)}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Final == nil {
		t.Fatalf("replay failed: %s", findings(s.Report))
	}
	account := strings.ReplaceAll(s.Report.Engine.Sandbox, "'", "")
	for _, q := range []string{
		"SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()",
		"SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
		"SELECT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()",
		"SELECT DEFINER FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()",
	} {
		rows, err := s.Replayed.DB.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var definer string
			rows.Scan(&definer)
			n++
			if definer != account {
				t.Errorf("%s: definer %s, want the run's account %s", q, definer, account)
			}
		}
		rows.Close()
		if n == 0 {
			t.Errorf("%s: no object", q)
		}
	}
}
