package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

func TestExplain(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "explain")
	for _, id := range []string{"rename-column", "not-null-without-default", "blocking-ddl", "old-app-break", "bad-suppression"} {
		if !strings.Contains(stdout, id) {
			t.Errorf("explain lists no %s:\n%s", id, stdout)
		}
	}
	if code != exitOK {
		t.Errorf("exit %d", code)
	}
	code, stdout, _ = runCLI(t, "", "explain", "rename-column")
	if code != exitOK || !strings.HasPrefix(stdout, "rename-column (default: error)") || len(strings.Split(stdout, "\n")) < 8 {
		t.Errorf("explain rename-column: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "", "explain", "no-such-rule"); code != exitFailure || !strings.Contains(stderr, `no rule "no-such-rule"`) {
		t.Errorf("unknown rule: exit %d, %q", code, stderr)
	}
}

// pendingDrop makes a repository whose deployed users table loses a column in a pending
// migration; extra lines go right before the ALTER.
func pendingDrop(t *testing.T, config, before string) string {
	t.Helper()
	dir, git := testenv.GitRepo(t)
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__users.sql"), "CREATE TABLE users (id INT PRIMARY KEY, fax VARCHAR(20) NULL);\n")
	git("add", "-A")
	git("commit", "-qm", "deployed")
	git("checkout", "-qb", "change")
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V2__drop.sql"), before+"ALTER TABLE users DROP COLUMN fax;\n")
	if config != "" {
		testenv.WriteFile(t, filepath.Join(dir, ".schema-guard.yaml"), config)
	}
	return dir
}

func TestRulesThroughTheCLI(t *testing.T) { testenv.EachServer(t, testRulesThroughTheCLI) }

func testRulesThroughTheCLI(t *testing.T, _ testenv.Server) {
	dsn := testenv.DSN(t)
	t.Run("error fails", func(t *testing.T) {
		dir := pendingDrop(t, "", "")
		code, stdout, _ := runCLI(t, dir, "check", "-q", "--dsn", dsn)
		if code != exitFindings || !strings.Contains(stdout, "drop-column") || !strings.Contains(stdout, "fix:") {
			t.Errorf("exit %d\n%s", code, stdout)
		}
	})
	t.Run("allowed passes and stays in the report", func(t *testing.T) {
		dir := pendingDrop(t, "", "-- schema-guard:allow drop-column nothing reads fax since 3.1\n")
		code, stdout, _ := runCLI(t, dir, "check", "-q", "--dsn", dsn, "--output", "json")
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, stdout)
		}
		var rep struct {
			Findings []struct {
				Rule, Reason string
				Allowed      bool
				Line         int
			}
			Summary struct{ Errors, Allowed int }
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) != 1 || !rep.Findings[0].Allowed || rep.Findings[0].Reason != "nothing reads fax since 3.1" ||
			rep.Findings[0].Line != 2 || rep.Summary.Errors != 0 || rep.Summary.Allowed != 1 {
			t.Errorf("report = %+v", rep)
		}
	})
	t.Run("configured level", func(t *testing.T) {
		dir := pendingDrop(t, "rules:\n  drop-column: warning\n", "")
		code, stdout, _ := runCLI(t, dir, "check", "-q", "--dsn", dsn)
		if code != exitOK || !strings.Contains(stdout, "warning drop-column") {
			t.Errorf("exit %d\n%s", code, stdout)
		}
		// A rule turned off does not hide what the probe sees: the deployed application still
		// reads fax, so its SELECT fails after the drop.
		dir = pendingDrop(t, "rules:\n  drop-column: off\n", "")
		code, stdout, _ = runCLI(t, dir, "check", "-q", "--dsn", dsn)
		if code != exitFindings || strings.Contains(stdout, "drop-column") || !strings.Contains(stdout, "old-app-break") || !strings.Contains(stdout, "Unknown column 'fax'") {
			t.Errorf("drop-column off: exit %d\n%s", code, stdout)
		}
		dir = pendingDrop(t, "rules:\n  drop-column: off\n  old-app-break: off\n", "")
		if code, stdout, _ := runCLI(t, dir, "check", "-q", "--dsn", dsn); code != exitOK || strings.Contains(stdout, "old-app-break") {
			t.Errorf("both off: exit %d\n%s", code, stdout)
		}
	})
	t.Run("bad configuration", func(t *testing.T) {
		dir := pendingDrop(t, "rules:\n  drop-colum: off\n", "")
		code, _, stderr := runCLI(t, dir, "check", "-q", "--dsn", dsn)
		if code != exitFailure || !strings.Contains(stderr, `unknown rule "drop-colum"`) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("exit %d, %q", code, stderr)
		}
	})
}
