package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// runCLI runs the program in-process.
func runCLI(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// migrationsDir writes a Flyway directory db/migrations in a fresh directory (not a git
// repository, so every migration is pending) and returns the fresh directory.
func migrationsDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		testenv.WriteFile(t, filepath.Join(dir, "db", "migrations", name), content)
	}
	return dir
}

func TestBadInputExitsTwoWithOneLine(t *testing.T) {
	good := map[string]string{"V1__a.sql": "CREATE TABLE a (id INT);\n"}
	cases := []struct {
		name  string
		files map[string]string
		extra map[string]string // other files in the directory
		env   map[string]string
		args  []string
		want  string
	}{
		{name: "missing directory", files: good, args: []string{"--migrations", "nope"}, want: "migrations directory nope does not exist"},
		{name: "no default directory", args: []string{}, want: "no migrations directory: none of db/migrations"},
		{name: "empty directory", extra: map[string]string{"db/migrations/README.md": "x"}, want: "holds no .sql migration files"},
		{name: "unknown format", files: good, args: []string{"--format", "liquibase"}, want: `unknown format "liquibase"`},
		{name: "unknown engine", files: good, args: []string{"--engine", "static"}, want: `unknown engine "static"`},
		{name: "unknown output", files: good, args: []string{"--output", "xml"}, want: `unknown output "xml"`},
		{name: "unknown flag", files: good, args: []string{"--frobnicate"}, want: "flag provided but not defined: -frobnicate"},
		{name: "positional argument", files: good, args: []string{"db/migrations"}, want: `unexpected argument "db/migrations"`},
		{name: "not UTF-8", files: map[string]string{"V1__a.sql": "CREATE TABLE a (id INT);\nINSERT INTO a VALUES ('caf\xe9');\n"},
			want: "db/migrations/V1__a.sql:2: not valid UTF-8"},
		{name: "unterminated quote", files: map[string]string{"V1__a.sql": "CREATE TABLE a (id INT);\n\nINSERT INTO a VALUES ('x);\n"},
			want: "db/migrations/V1__a.sql:3:23: unterminated string literal"},
		{name: "unterminated comment", files: map[string]string{"V1__a.sql": "CREATE TABLE a (id INT);\n  /* start\n"},
			want: "db/migrations/V1__a.sql:2:3: unterminated comment"},
		{name: "unterminated DELIMITER block", files: map[string]string{"V1__a.sql": "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END\n"},
			want: `db/migrations/V1__a.sql:2:1: statement never ends with "//" (DELIMITER set at line 1)`},
		{name: "malformed config", files: good, extra: map[string]string{".schema-guard.yaml": "format: flyway\n  engine: [dsn\n"},
			want: ".schema-guard.yaml:2:"},
		{name: "unknown config key", files: good, extra: map[string]string{".schema-guard.yaml": "format: flyway\nmigration: db/migrations\n"},
			want: `.schema-guard.yaml:2: unknown key "migration"`},
		{name: "config not UTF-8", files: good, extra: map[string]string{".schema-guard.yaml": "# caf\xe9\n"},
			want: ".schema-guard.yaml:1: not valid UTF-8"},
		{name: "missing config", files: good, args: []string{"--config", "nope.yaml"}, want: "config: open nope.yaml"},
		{name: "unreachable DSN", files: good, args: []string{"--dsn", "u:secret@tcp(127.0.0.1:1)/"}, want: "cannot use the server at 127.0.0.1:1"},
		{name: "Docker not answering", files: good, env: map[string]string{"DOCKER_HOST": "unix:///nonexistent.sock"},
			args: []string{"--engine", "container"}, want: "Docker is not answering"},
		{name: "auto without Docker names --dsn", files: good, env: map[string]string{"DOCKER_HOST": "unix:///nonexistent.sock", "SCHEMA_GUARD_DSN": ""},
			want: "pass --dsn"},
		{name: "unknown base", files: good, args: []string{"--base", "no-such-ref"}, want: "the migrations are not in a git working tree"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			dir := migrationsDir(t, c.files)
			for name, content := range c.extra {
				testenv.WriteFile(t, filepath.Join(dir, name), content)
			}
			code, stdout, stderr := runCLI(t, dir, append([]string{"check", "-q"}, c.args...)...)
			if code != exitFailure {
				t.Errorf("exit code %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "schema-guard: ") || !strings.Contains(lines[0], c.want) {
				t.Errorf("stderr = %q, want one line with %q", stderr, c.want)
			}
			if strings.Contains(stderr, "secret") || strings.Contains(stderr, "goroutine") {
				t.Errorf("stderr leaks a password or a stack: %q", stderr)
			}
		})
	}
}

func TestUnknownBaseInGit(t *testing.T) {
	dir, git := testenv.GitRepo(t)
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__a.sql"), "SELECT 1;\n")
	git("add", "-A")
	git("commit", "-qm", "init")
	code, _, stderr := runCLI(t, dir, "check", "-q", "--base", "no-such-ref", "--dsn", "u:p@tcp(127.0.0.1:1)/")
	if code != exitFailure || !strings.Contains(stderr, `base ref "no-such-ref": git does not know it`) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestExitCodesAndJSON(t *testing.T) { testenv.EachServer(t, testExitCodesAndJSON) }

func testExitCodesAndJSON(t *testing.T, _ testenv.Server) {
	dsn := testenv.DSN(t)
	t.Run("clean", func(t *testing.T) {
		dir := migrationsDir(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id INT PRIMARY KEY);\n", "V2__b.sql": "ALTER TABLE a ADD b INT;\n"})
		code, stdout, stderr := runCLI(t, dir, "check", "-q", "--dsn", dsn, "--output", "json")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var rep map[string]any
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
		}
		for _, key := range []string{"version", "engine", "migrations", "findings", "drift", "copier", "summary"} {
			if _, ok := rep[key]; !ok {
				t.Errorf("report lacks %q", key)
			}
		}
		if rep["version"] != 1.0 {
			t.Errorf("version = %v", rep["version"])
		}
		migs := rep["migrations"].([]any)
		m := migs[1].(map[string]any)
		if len(migs) != 2 || m["file"] != "db/migrations/V2__b.sql" || m["version"] != "2" || m["state"] != "pending" ||
			m["applied"] != true || m["statements"] != 1.0 {
			t.Errorf("migrations = %v", migs)
		}
		if e := rep["engine"].(map[string]any); e["kind"] != "dsn" || e["flavor"] == "" || e["server_version"] == "" {
			t.Errorf("engine = %v", e)
		}
	})
	t.Run("failing statement", func(t *testing.T) {
		dir := migrationsDir(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id INT PRIMARY KEY);\n\nALTER TABLE a\n  DROP COLUMN nope;\n"})
		code, stdout, _ := runCLI(t, dir, "check", "-q", "--dsn", dsn)
		if code != exitFindings {
			t.Fatalf("exit %d, want 1\n%s", code, stdout)
		}
		if !strings.Contains(stdout, "db/migrations/V1__a.sql") || !strings.Contains(stdout, "3:1") ||
			!strings.Contains(stdout, "replay-failed") || !strings.Contains(stdout, "Error 1091") {
			t.Errorf("text report:\n%s", stdout)
		}
		if strings.Contains(stdout, "\x1b[") {
			t.Error("colour codes in output that is not a terminal")
		}
	})
	t.Run("output file", func(t *testing.T) {
		dir := migrationsDir(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id INT);\n"})
		code, _, stderr := runCLI(t, dir, "check", "-q", "--dsn", dsn, "--output", "json", "--output-file", "out/report.json")
		if code != exitFailure || !strings.Contains(stderr, "write report") {
			t.Errorf("missing directory for the output file: exit %d, %q", code, stderr)
		}
		code, stdout, stderr := runCLI(t, dir, "check", "-q", "--dsn", dsn, "--output", "json", "--output-file", "report.json")
		if code != exitOK || stdout != "" {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		data, err := os.ReadFile(filepath.Join(dir, "report.json"))
		if err != nil || !json.Valid(data) {
			t.Fatalf("report.json: %v\n%s", err, data)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, ".report.json.*")); len(left) != 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})
}

func TestConfigAndFlags(t *testing.T) { testenv.EachServer(t, testConfigAndFlags) }

func testConfigAndFlags(t *testing.T, _ testenv.Server) {
	dsn := testenv.DSN(t)
	dir := migrationsDir(t, map[string]string{"V1__a.sql": "CREATE TABLE a (id INT);\n"})
	os.Rename(filepath.Join(dir, "db", "migrations"), filepath.Join(dir, "sql"))
	config := "migrations: sql\nformat: plain\noutput: json\n"
	if err := os.WriteFile(filepath.Join(dir, ".schema-guard.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	// The file's format (plain) would ignore V1__a.sql; the flag wins.
	code, stdout, stderr := runCLI(t, dir, "check", "-q", "--dsn", dsn, "--format", "flyway")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Source     struct{ Dir, Format string }
		Migrations []struct{ File string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("output is not JSON (config's output: json ignored?): %v", err)
	}
	if rep.Source.Dir != "sql" || rep.Source.Format != "flyway" || len(rep.Migrations) != 1 {
		t.Errorf("report = %+v", rep)
	}
	// A config in another directory: its relative paths start at its own directory.
	code, _, stderr = runCLI(t, t.TempDir(), "check", "-q", "--dsn", dsn, "--config", filepath.Join(dir, ".schema-guard.yaml"), "--format", "flyway")
	if code != exitOK {
		t.Errorf("--config elsewhere: exit %d: %s", code, stderr)
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "version")
	if code != 0 || !strings.HasPrefix(stdout, "schema-guard ") {
		t.Errorf("version: %d %q", code, stdout)
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"help", "check"}, {"check", "-h"}} {
		code, stdout, _ := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(stdout, "Usage") {
			t.Errorf("%v: %d %q", args, code, stdout)
		}
	}
	if code, _, stderr := runCLI(t, "", "frobnicate"); code != exitFailure || !strings.Contains(stderr, "unknown command") {
		t.Errorf("unknown command: %d %q", code, stderr)
	}
}
