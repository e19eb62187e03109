package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestSeveralMigrationDirs: --migrations repeated, and migrations: as a list in the
// configuration, replay several histories with the same versions into one schema.
func TestSeveralMigrationDirs(t *testing.T) {
	dsn := testenv.DSN(t)
	dir := t.TempDir()
	testenv.WriteFile(t, filepath.Join(dir, "core", "V1__users.sql"), "CREATE TABLE users (id INT PRIMARY KEY);\n")
	testenv.WriteFile(t, filepath.Join(dir, "billing", "V1__invoices.sql"), "CREATE TABLE invoices (id INT PRIMARY KEY, user_id INT,\n  FOREIGN KEY (user_id) REFERENCES users (id));\n")
	check := func(args ...string) (string, []string) {
		t.Helper()
		code, stdout, stderr := runCLI(t, dir, append([]string{"check", "-q", "--dsn", dsn, "--output", "json", "--copier=false"}, args...)...)
		if code != exitOK {
			t.Fatalf("check %v: exit %d: %s%s", args, code, stderr, stdout)
		}
		var rep struct {
			Source     struct{ Histories []struct{ Dir string } }
			Migrations []struct{ File string }
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		var files, dirs []string
		for _, m := range rep.Migrations {
			files = append(files, m.File)
		}
		for _, h := range rep.Source.Histories {
			dirs = append(dirs, h.Dir)
		}
		return strings.Join(files, " "), dirs
	}
	if files, dirs := check("--migrations", "core", "--migrations", "billing"); files != "core/V1__users.sql billing/V1__invoices.sql" || len(dirs) != 2 {
		t.Errorf("flags: %s, histories %v", files, dirs)
	}
	// In the order listed: billing first, whose foreign key to users then has no table to
	// reference, which the server rejects.
	code, stdout, stderr := runCLI(t, dir, "check", "-q", "--dsn", dsn, "--copier=false", "--migrations", "billing", "--migrations", "core")
	if code != exitFindings || !strings.Contains(stdout, "replay-failed") {
		t.Errorf("billing before core: exit %d, want %d with replay-failed:\n%s%s", code, exitFindings, stdout, stderr)
	}
	testenv.WriteFile(t, filepath.Join(dir, ".schema-guard.yaml"), "migrations:\n  - core\n  - billing\n")
	if files, _ := check(); files != "core/V1__users.sql billing/V1__invoices.sql" {
		t.Errorf("config list: %s", files)
	}
	// A single value keeps working.
	testenv.WriteFile(t, filepath.Join(dir, ".schema-guard.yaml"), "migrations: core\n")
	if files, dirs := check(); files != "core/V1__users.sql" || dirs != nil {
		t.Errorf("config value: %s, histories %v", files, dirs)
	}
}
