package checker

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/runner"
)

// sessionProbe records the session settings a migration runs with into a table.
const sessionProbe = `CREATE TABLE %s AS SELECT @@SESSION.foreign_key_checks AS fk, @@SESSION.sql_mode AS mode,
  @@SESSION.time_zone AS tz, @@SESSION.lock_wait_timeout AS lwt, @@SESSION.innodb_lock_wait_timeout AS ilwt;`

// TestReplaySessionsAreTheirOwn proves that no stage's session setting reaches the replay: the
// old-app probes (foreign keys off, strict sql_mode, UTC, short lock waits) are calibrated
// between the deployed and the pending phase and run after every pending statement, and
// migrations still run with the server's defaults — or with the configured settings.
func TestReplaySessionsAreTheirOwn(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) { testReplaySessionsAreTheirOwn(t) })
}

func testReplaySessionsAreTheirOwn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		session []runner.SessionVar
	}{
		{"server defaults", nil},
		{"configured", []runner.SessionVar{{Name: "sql_mode", Value: "ANSI_QUOTES"}, {Name: "time_zone", Value: "+03:00"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, git := testenv.GitRepo(t)
			mig := filepath.Join(dir, "db", "migrations")
			testenv.WriteFile(t, filepath.Join(mig, "V1__users.sql"),
				"CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL);\n"+fmt.Sprintf(sessionProbe, "deployed_session"))
			git("add", "-A")
			git("commit", "-qm", "deployed")
			// The first pending statement touches a deployed table, so the probes are calibrated
			// before the pending phase starts and run after each pending statement.
			testenv.WriteFile(t, filepath.Join(mig, "V2__email.sql"), "ALTER TABLE users ADD COLUMN email VARCHAR(100) NULL;\n")
			testenv.WriteFile(t, filepath.Join(mig, "V3__record.sql"), fmt.Sprintf(sessionProbe, "pending_session"))
			eng := dsnEngine(t)
			eng.Session = tc.session
			s, err := Start(context.Background(), Options{WorkDir: dir, Engine: eng, NoCopier: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.Final == nil {
				t.Fatalf("replay failed: %s", findings(s.Report))
			}
			want := serverDefaults(t, s.srv.Admin())
			for _, v := range tc.session {
				want[v.Name] = v.Value
			}
			for _, table := range []string{"deployed_session", "pending_session"} {
				var got sessionSettings
				row := s.Replayed.DB.QueryRow("SELECT fk, mode, tz, lwt, ilwt FROM " + table)
				if err := row.Scan(&got.fk, &got.mode, &got.tz, &got.lwt, &got.ilwt); err != nil {
					t.Fatal(err)
				}
				for name, value := range map[string]string{"foreign_key_checks": got.fk, "sql_mode": got.mode, "time_zone": got.tz,
					"lock_wait_timeout": got.lwt, "innodb_lock_wait_timeout": got.ilwt} {
					if value != want[name] {
						t.Errorf("%s: %s = %q, want %q", table, name, value, want[name])
					}
				}
			}
		})
	}
}

type sessionSettings struct{ fk, mode, tz, lwt, ilwt string }

// serverDefaults reads the global values a new session starts with.
func serverDefaults(t *testing.T, admin *sql.DB) map[string]string {
	t.Helper()
	var fk, mode, tz, lwt, ilwt string
	err := admin.QueryRow("SELECT @@GLOBAL.foreign_key_checks, @@GLOBAL.sql_mode, @@GLOBAL.time_zone, @@GLOBAL.lock_wait_timeout, @@GLOBAL.innodb_lock_wait_timeout").
		Scan(&fk, &mode, &tz, &lwt, &ilwt)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"foreign_key_checks": fk, "sql_mode": mode, "time_zone": tz, "lock_wait_timeout": lwt, "innodb_lock_wait_timeout": ilwt}
}
