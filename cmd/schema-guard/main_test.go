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
		// links are symbolic links to make (path → target); OUT in a target stands for a
		// directory outside the one checked, holding secret.sql and secret.yaml.
		links map[string]string
		env   map[string]string
		args  []string
		want  string
	}{
		{name: "missing directory", files: good, args: []string{"--migrations", "nope"}, want: "migrations directory nope does not exist"},
		{name: "no default directory", args: []string{}, want: "no migrations directory: none of db/migrations"},
		{name: "empty directory", extra: map[string]string{"db/migrations/README.md": "x"}, want: "holds no .sql migration files"},
		{name: "unknown format", files: good, args: []string{"--format", "sqitch"}, want: `unknown format "sqitch"`},
		// Issue 9: a format that recognises none of the files is no "0 migrations ✓".
		{name: "format recognises nothing", files: map[string]string{"V0001.Init.up.sql": "CREATE TABLE a (id INT);\n"},
			args: []string{"--format", "golang-migrate"}, want: `format golang-migrate recognises none of its 1 .sql files (V0001.Init.up.sql: V0001.Init.up.sql is not a golang-migrate migration name`},
		{name: "nothing to replay", files: map[string]string{"1_a.sql": "-- +goose Up\n-- nothing yet\n-- +goose Down\nDROP TABLE a;\n"},
			want: "the migrations hold no statement to replay (1 migrations, every one empty or never run by goose)"},
		{name: "custom without pattern", files: good, args: []string{"--format", "custom"}, want: "format custom needs a pattern"},
		{name: "invalid pattern", files: good, args: []string{"--format", "custom", "--pattern", "^V(?P<version>\\d+"},
			want: `pattern "^V(?P<version>\\d+" is not a valid regular expression: missing closing ): ` + "`^V(?P<version>\\d+`"},
		{name: "pattern without version", files: good, args: []string{"--format", "custom", "--pattern", `^V(\d+)__.*\.sql$`},
			want: `has no (?P<version>…) group, which is what orders the migrations`},
		{name: "pattern with an unknown group", files: good, args: []string{"--format", "custom", "--pattern", `^V(?P<version>\d+)__(?P<desc>.*)\.sql$`},
			want: `has a group named "desc"; the names it may use are version and description`},
		{name: "pattern version not a number", files: good, args: []string{"--format", "custom", "--pattern", `^(?P<version>V\d+)__.*\.sql$`},
			want: `V1__a.sql matches the pattern, but its version "V1" is not numbers separated by '.', '_' or '-'`},
		{name: "pattern with another format", files: good, args: []string{"--format", "flyway", "--pattern", `^V(?P<version>\d+)`},
			want: "a pattern is read only with format custom (the format is flyway)"},
		{name: "prisma for postgres", extra: map[string]string{"db/migrations/migration_lock.toml": "provider = \"postgresql\"\n",
			"db/migrations/1_init/migration.sql": "CREATE TABLE a (id INT);\n"},
			want: `db/migrations/migration_lock.toml:1: the migrations are for provider "postgresql"; schema-guard replays MySQL and MariaDB migrations`},
		{name: "liquibase changeset without id", files: map[string]string{"1.sql": "--liquibase formatted sql\n--changeset alice\nCREATE TABLE a (id INT);\n"},
			want: "db/migrations/1.sql:2: malformed --changeset line (Liquibase wants --changeset <author>:<id>)"},
		{name: "temporal manifest of another version", extra: map[string]string{
			"db/migrations/v1.0/manifest.json": `{"CurrVersion": "1.1", "MinCompatibleVersion": "1.0", "SchemaUpdateCqlFiles": ["a.sql"]}`,
			"db/migrations/v1.0/a.sql":         "CREATE TABLE a (id INT);\n"},
			want: `db/migrations/v1.0/manifest.json: CurrVersion "1.1" is not the folder's version 1.0`},
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
		// Issue 10: nothing from outside the repository (here: the working directory) is read.
		{name: "migration linked to /etc/passwd", files: good, links: map[string]string{"db/migrations/V2__p.sql": "/etc/passwd"},
			want: "db/migrations/V2__p.sql is a symbolic link to /etc/passwd, outside the working directory"},
		{name: "migration linked out with ../", files: good, links: map[string]string{"db/migrations/V2__p.sql": "RELOUT/secret.sql"},
			want: "db/migrations/V2__p.sql is a symbolic link to ../../../"},
		{name: "subdirectory linked out", files: good, links: map[string]string{"db/migrations/more": "OUT"},
			want: "db/migrations/more is a symbolic link to OUT, outside the working directory"},
		{name: "migrations directory linked out", links: map[string]string{"db/migrations": "OUT"}, args: []string{"--migrations", "db/migrations"},
			want: "migrations directory: db/migrations is a symbolic link to OUT, outside the working directory"},
		{name: "declared schema linked out", files: good, links: map[string]string{"schema.sql": "OUT/secret.sql"}, args: []string{"--schema", "schema.sql"},
			want: "declared schema: schema.sql is a symbolic link to OUT/secret.sql, outside the working directory"},
		{name: "config file linked out", files: good, links: map[string]string{".schema-guard.yaml": "OUT/secret.yaml"},
			want: "config: .schema-guard.yaml is a symbolic link to OUT/secret.yaml, outside the working directory"},
		{name: "config path outside", files: good, extra: map[string]string{".schema-guard.yaml": "format: flyway\nschema: ../elsewhere\n"},
			want: ".schema-guard.yaml:2: schema: "},
		{name: "config path through a link out", files: good, links: map[string]string{"decl": "OUT"},
			extra: map[string]string{".schema-guard.yaml": "sample_dir: decl/samples\n"},
			want:  ".schema-guard.yaml:1: sample_dir: decl (on the way to decl/samples) is a symbolic link to OUT"},
		{name: "config output file through a link out", files: good, links: map[string]string{"out": "OUT"},
			extra: map[string]string{".schema-guard.yaml": "format: flyway\n\noutput_file: out/report.json\n"},
			want:  ".schema-guard.yaml:3: output_file: out (on the way to out/report.json) is a symbolic link to OUT"},
		// Config errors name the file and line, on one line.
		{name: "config rule level", files: good, extra: map[string]string{".schema-guard.yaml": "rules: {drop-column: nope}\n"},
			want: `.schema-guard.yaml:1: rule drop-column: unknown level "nope" (want off, notice, warning or error)`},
		{name: "config unknown rule", files: good, extra: map[string]string{".schema-guard.yaml": "rules:\n  drop-column: warning\n  drop-colum: error\n"},
			want: `.schema-guard.yaml:3: unknown rule "drop-colum" (schema-guard explain lists the rules)`},
		{name: "config negative rows", files: good, extra: map[string]string{".schema-guard.yaml": "tables: {t: {rows: -5}}\n"},
			want: ".schema-guard.yaml:1: tables: t: rows must not be negative (-5)"},
		{name: "config negative sample rows", files: good, extra: map[string]string{".schema-guard.yaml": "sample_rows: -1\n"},
			want: ".schema-guard.yaml:1: sample_rows must not be negative (-1)"},
		{name: "config value spanning lines", files: good, extra: map[string]string{".schema-guard.yaml": "0\n \n0"},
			want: ".schema-guard.yaml:1: cannot unmarshal !!str `0\\n0` into config.Config"},
		{name: "config unknown format", files: good, extra: map[string]string{".schema-guard.yaml": "base: none\nformat: sqitch\n"},
			want: `.schema-guard.yaml:2: unknown format "sqitch"`},
		{name: "config unknown engine", files: good, extra: map[string]string{".schema-guard.yaml": "engine: static\n"},
			want: `.schema-guard.yaml:1: unknown engine "static"`},
		{name: "config unknown output", files: good, extra: map[string]string{".schema-guard.yaml": "\noutput: xml\n"},
			want: `.schema-guard.yaml:2: unknown output "xml"`},
		{name: "config unknown fail_on", files: good, extra: map[string]string{".schema-guard.yaml": "fail_on: notice\n"},
			want: `.schema-guard.yaml:1: unknown --fail-on "notice"`},
		{name: "config invalid pattern", files: good, extra: map[string]string{".schema-guard.yaml": "format: custom\npattern: '^V(?P<version>\\d+'\n"},
			want: `.schema-guard.yaml:2: pattern "^V(?P<version>\\d+" is not a valid regular expression`},
		{name: "config invalid ignore", files: good, extra: map[string]string{".schema-guard.yaml": "format: custom\npattern: '^V(?P<version>\\d+)'\nignore: '('\n"},
			want: `.schema-guard.yaml:3: ignore pattern "(" is not a valid regular expression`},
		{name: "config seed tables without schema", files: good, extra: map[string]string{".schema-guard.yaml": "seed_tables: [countries]\n"},
			want: ".schema-guard.yaml:1: seed tables are compared with a declared schema"},
		{name: "config session variable", files: good, extra: map[string]string{".schema-guard.yaml": "format: flyway\nsession: {'a b': 1}\n"},
			want: `.schema-guard.yaml:2: session setting "a b": not a variable name`},
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
			out := filepath.Join(t.TempDir(), "OUT")
			if len(c.links) > 0 {
				testenv.WriteFile(t, filepath.Join(out, "secret.sql"), "CREATE TABLE leaked (secret_value INT);\n")
				testenv.WriteFile(t, filepath.Join(out, "secret.yaml"), "secret_value: 1\n")
			}
			for at, target := range c.links {
				at = filepath.Join(dir, at)
				if err := os.MkdirAll(filepath.Dir(at), 0o755); err != nil {
					t.Fatal(err)
				}
				rel, err := filepath.Rel(filepath.Dir(at), out) // RELOUT: OUT as a ../ path from the link
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(target, "RELOUT") {
					target = strings.ReplaceAll(target, "RELOUT", rel)
				} else {
					target = strings.ReplaceAll(target, "OUT", out)
				}
				if err := os.Symlink(target, at); err != nil {
					t.Fatal(err)
				}
			}
			want := strings.ReplaceAll(c.want, "OUT", out)
			code, stdout, stderr := runCLI(t, dir, append([]string{"check", "-q"}, c.args...)...)
			if code != exitFailure {
				t.Errorf("exit code %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "schema-guard: ") || !strings.Contains(lines[0], want) {
				t.Errorf("stderr = %q, want one line with %q", stderr, want)
			}
			if strings.Contains(stderr, "secret_value") || strings.Contains(stderr, "root:") {
				t.Errorf("stderr quotes a file from outside: %q", stderr)
			}
			if strings.Contains(strings.ReplaceAll(stderr, "secret.", ""), "secret") || strings.Contains(stderr, "goroutine") {
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
