package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// copyTree copies a directory.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		testenv.WriteFile(t, filepath.Join(dst, rel), string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// driftEntries runs check --schema and returns its drift entries.
func driftEntries(t *testing.T, dir, dsn string, args ...string) []string {
	t.Helper()
	code, stdout, stderr := runCLI(t, dir, append([]string{"check", "-q", "--dsn", dsn, "--output", "json"}, args...)...)
	if code == exitFailure {
		t.Fatalf("check: %s", stderr)
	}
	var rep struct {
		Drift []struct{ Kind, Change, Object string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range rep.Drift {
		out = append(out, d.Kind+" "+d.Change+" "+d.Object)
	}
	return out
}

// changes to a declared state made by TestDiffWriteEveryFormat: a table with a trigger, a
// procedure (both with multi-statement bodies, which each format writes its own way) and a column.
const declaredChanges = `CREATE TABLE audit (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  post_id INT UNSIGNED NOT NULL,
  note VARCHAR(200) NOT NULL DEFAULT ''
);
DELIMITER //
CREATE TRIGGER audit_bi BEFORE INSERT ON audit FOR EACH ROW
BEGIN
  IF NEW.note = '' THEN SET NEW.note = 'none'; END IF;
END //
CREATE PROCEDURE audit_post(IN p INT UNSIGNED)
BEGIN
  INSERT INTO audit (post_id) VALUES (p);
  SELECT LAST_INSERT_ID() AS id;
END //
DELIMITER ;
ALTER TABLE users ADD COLUMN nickname VARCHAR(30) NULL;
`

func TestDiffWriteEveryFormat(t *testing.T) { testenv.EachServer(t, testDiffWriteEveryFormat) }

func testDiffWriteEveryFormat(t *testing.T, _ testenv.Server) {
	dsn := testenv.DSN(t)
	for _, format := range []string{"flyway", "golang-migrate", "goose", "dbmate", "plain", "prisma", "liquibase", "atlas", "temporal", "custom"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			fixture := filepath.Join("..", "..", "testdata", "formats", format)
			copyTree(t, filepath.Join(fixture, "db"), filepath.Join(dir, "db"))
			if format == "custom" {
				// The custom fixture says its pattern next to it: the first line, then what to ignore.
				lines := strings.Split(strings.TrimSpace(string(must(os.ReadFile(filepath.Join(fixture, "pattern.txt"))))), "\n")
				testenv.WriteFile(t, filepath.Join(dir, ".schema-guard.yaml"), fmt.Sprintf("format: custom\npattern: '%s'\nignore: '%s'\n", lines[0], lines[1]))
			}
			// The dump of the replayed state is a declared state with no drift.
			if code, _, stderr := runCLI(t, dir, "dump", "-q", "--dsn", dsn, "--out", "schema"); code != exitOK {
				t.Fatalf("dump: %s", stderr)
			}
			if got := driftEntries(t, dir, dsn, "--schema", "schema"); len(got) != 0 {
				t.Fatalf("drift against its own dump: %v", got)
			}
			original := t.TempDir()
			copyTree(t, filepath.Join(dir, "schema"), original)

			testenv.WriteFile(t, filepath.Join(dir, "schema", "zz_changes.sql"), declaredChanges)
			code, stdout, stderr := runCLI(t, dir, "diff", "-q", "--dsn", dsn, "--schema", "schema")
			if code != exitFindings || !strings.Contains(stdout, "CREATE TABLE `audit`") || !strings.Contains(stdout, "ADD COLUMN `nickname`") {
				t.Fatalf("diff: exit %d\n%s\n%s", code, stdout, stderr)
			}
			before, _ := os.ReadDir(filepath.Join(dir, "db", "migrations"))
			code, _, stderr = runCLI(t, dir, "diff", "--dsn", dsn, "--schema", "schema", "--write", "--name", "add audit")
			if code != exitOK || !strings.Contains(stderr, "wrote db/migrations/") {
				t.Fatalf("diff --write: exit %d: %s", code, stderr)
			}
			after, _ := os.ReadDir(filepath.Join(dir, "db", "migrations"))
			wantNew := 1
			if format == "golang-migrate" {
				wantNew = 2
			}
			if len(after)-len(before) != wantNew {
				t.Fatalf("%d new files, want %d", len(after)-len(before), wantNew)
			}
			// The written migration replays, in the tool's own order, to the declared state.
			if got := driftEntries(t, dir, dsn, "--schema", "schema"); len(got) != 0 {
				t.Errorf("drift after diff --write: %v", got)
			}
			switch format {
			case "golang-migrate", "goose", "dbmate":
			default:
				return // no down migrations (Liquibase's rollback lines are checked by Compose)
			}
			// The down migration, run as the next up migration, brings back the original state.
			revert := newestMigration(t, filepath.Join(dir, "db", "migrations"), format)
			testenv.WriteFile(t, filepath.Join(dir, "db", "migrations", revert.name), revert.content)
			if got := driftEntries(t, dir, dsn, "--schema", filepath.Join(original)); len(got) != 0 {
				t.Errorf("drift after the down migration: %v", got)
			}
		})
	}
}

type migrationFile struct{ name, content string }

// newestMigration turns the down part of the migration diff --write wrote into a new up
// migration of the same format, so that replaying it runs the down statements.
func newestMigration(t *testing.T, dir, format string) migrationFile {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var newest string
	for _, e := range entries {
		if strings.Contains(e.Name(), "add_audit") && !strings.HasSuffix(e.Name(), ".up.sql") {
			newest = e.Name()
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, newest))
	if err != nil {
		t.Fatalf("no migration written: %v", err)
	}
	text := string(data)
	version, _, _ := strings.Cut(newest, "_")
	next := "9" + version // sorts after it, numerically and by name
	switch format {
	case "golang-migrate":
		return migrationFile{next + "_revert.up.sql", text}
	case "goose":
		_, down, ok := strings.Cut(text, "-- +goose Down")
		if !ok {
			t.Fatalf("no down section:\n%s", text)
		}
		return migrationFile{next + "_revert.sql", "-- +goose Up" + down}
	default: // dbmate
		_, down, ok := strings.Cut(text, "-- migrate:down")
		if !ok {
			t.Fatalf("no down section:\n%s", text)
		}
		return migrationFile{next + "_revert.sql", "-- migrate:up" + down}
	}
}

func TestDeclaredStateBadInput(t *testing.T) { testenv.EachServer(t, testDeclaredStateBadInput) }

func testDeclaredStateBadInput(t *testing.T, _ testenv.Server) {
	dsn := testenv.DSN(t)
	migrations := map[string]string{"V1__t.sql": "CREATE TABLE t (id INT PRIMARY KEY);\nCREATE TABLE nokey (a INT);\n"}
	cases := []struct {
		name   string
		schema map[string]string
		args   []string
		want   string
	}{
		{name: "schema path does not exist", args: []string{"--schema", "nowhere"}, want: "declared schema: nowhere does not exist"},
		{name: "does not split", schema: map[string]string{"t.sql": "CREATE TABLE t (id INT PRIMARY KEY);\n\nINSERT INTO t VALUES ('x);\n"},
			want: "schema/t.sql:3:23: unterminated string literal"},
		{name: "server rejects it", schema: map[string]string{"t.sql": "-- t\nCREATE TABLE t (id INT,\n  PRIMARY KEY (nope));\n"},
			want: "schema/t.sql:2:1: the server rejects this declared statement: Error 1072"},
		{name: "refers to nothing declared", schema: map[string]string{"v.sql": "CREATE VIEW v AS SELECT * FROM missing_table;\n"},
			want: "schema/v.sql:1:1: the server rejects this declared statement: Error 1146"},
		{name: "table defined twice", schema: map[string]string{"a.sql": "CREATE TABLE t (id INT PRIMARY KEY);\n", "b.sql": "\nCREATE TABLE t (id INT PRIMARY KEY);\n"},
			want: "schema/b.sql:2:1: table t is already declared at schema/a.sql:1"},
		{name: "seed table without primary key", schema: map[string]string{"t.sql": "CREATE TABLE t (id INT PRIMARY KEY);\nCREATE TABLE nokey (a INT);\nINSERT INTO nokey VALUES (1);\n"},
			args: []string{"--seed-tables", "nokey"}, want: "seed table nokey has no primary key: seed tables need one"},
		{name: "seed table not declared", schema: map[string]string{"t.sql": "CREATE TABLE t (id INT PRIMARY KEY);\n"},
			args: []string{"--seed-tables", "ghost"}, want: "seed table ghost is not in the declared schema"},
		{name: "malformed rename hint", schema: map[string]string{"t.sql": "-- schema-guard:renamed-from\nCREATE TABLE t (id INT PRIMARY KEY);\n"},
			want: "schema/t.sql:1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := migrationsDir(t, migrations)
			for name, content := range c.schema {
				testenv.WriteFile(t, filepath.Join(dir, "schema", name), content)
			}
			args := c.args
			if c.schema != nil {
				args = append(args, "--schema", "schema")
			}
			for _, cmd := range []string{"check", "diff"} {
				code, stdout, stderr := runCLI(t, dir, append([]string{cmd, "-q", "--dsn", dsn}, args...)...)
				// The warning that names killed runs' leftovers on a shared test server is about
				// the server, not about the input.
				lines := slices.DeleteFunc(strings.Split(strings.TrimRight(stderr, "\n"), "\n"), func(l string) bool {
					return strings.Contains(l, "earlier runs did not finish")
				})
				if code != exitFailure || stdout != "" || len(lines) != 1 || !strings.Contains(lines[0], c.want) {
					t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", cmd, code, stdout, stderr, c.want)
				}
			}
		})
	}
}

func TestDiffAndDumpUsage(t *testing.T) { testenv.EachServer(t, testDiffAndDumpUsage) }

func testDiffAndDumpUsage(t *testing.T, _ testenv.Server) {
	dsn := testenv.DSN(t)
	dir := migrationsDir(t, map[string]string{"V1__t.sql": "CREATE TABLE t (id INT PRIMARY KEY);\n"})
	testenv.WriteFile(t, filepath.Join(dir, "full", "x.sql"), "keep me")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", "--dsn", dsn}, "diff compares with the declared schema: pass --schema PATH"},
		{[]string{"dump", "--dsn", dsn}, "dump needs --out DIR"},
		{[]string{"dump", "--dsn", dsn, "--out", "full"}, "full is not empty; pass --force to replace it"},
		{[]string{"check", "--dsn", dsn, "--seed-tables", "t"}, "seed tables are compared with a declared schema: pass --schema PATH"},
	} {
		code, _, stderr := runCLI(t, dir, c.args...)
		if code != exitFailure || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q", c.args, code, stderr)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "full", "x.sql")); string(data) != "keep me" {
		t.Error("a refused dump touched the directory")
	}
	// --force replaces the directory whole; no diff prints nothing and exits 0.
	if code, _, stderr := runCLI(t, dir, "dump", "-q", "--dsn", dsn, "--out", "full", "--force"); code != exitOK {
		t.Fatalf("dump --force: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "full", "x.sql")); err == nil {
		t.Error("dump --force kept a file of the old directory")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".full.*")); len(left) != 0 {
		t.Errorf("temporary directories left: %v", left)
	}
	code, stdout, _ := runCLI(t, dir, "diff", "-q", "--dsn", dsn, "--schema", "full")
	if code != exitOK || stdout != "" {
		t.Errorf("diff with no difference: exit %d, stdout %q", code, stdout)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
