package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Setenv("SG_PW", "s3cret")
	cfg, err := Parse("c.yaml", []byte("# comment\nmigrations: db/migrations\nformat: flyway\nengine: dsn\n"+
		"dsn: app:${SG_PW}@tcp(127.0.0.1:3306)/\nimage: mariadb:11\nbase: origin/main\noutput: json\noutput_file: r.json\n"+
		"schema: db/schema\nseed_tables: [countries, plans]\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Path: "c.yaml", Migrations: Dirs{"db/migrations"}, Format: "flyway", Engine: "dsn",
		DSN: "app:s3cret@tcp(127.0.0.1:3306)/", Image: "mariadb:11", Base: "origin/main", Output: "json", OutputFile: "r.json",
		Schema: "db/schema", SeedTables: []string{"countries", "plans"}}
	if cfg.Line("seed_tables") != 11 || cfg.At("dsn") != "c.yaml:5" || cfg.At("rules", "x") != "c.yaml" {
		t.Errorf("lines: seed_tables %d, dsn at %s, rules.x at %s", cfg.Line("seed_tables"), cfg.At("dsn"), cfg.At("rules", "x"))
	}
	got := *cfg
	got.lines = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if cfg, err := Parse("empty.yaml", nil); err != nil || cfg.Path != "empty.yaml" || cfg.Line("format") != 0 {
		t.Errorf("empty file: %+v, %v", cfg, err)
	}
}

// TestLineOfNestedKeys: an error about a value names its own line, else its nearest parent's.
func TestLineOfNestedKeys(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("rules:\n  drop-column: warning\ntables:\n  orders:\n    rows: 5\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path []string
		want int
	}{{[]string{"rules", "drop-column"}, 2}, {[]string{"tables", "orders", "rows"}, 5}, {[]string{"tables", "other"}, 3}, {[]string{"format"}, 0}} {
		if got := cfg.Line(c.path...); got != c.want {
			t.Errorf("Line(%v) = %d, want %d", c.path, got, c.want)
		}
	}
}

func TestParseMigrationsList(t *testing.T) {
	for src, want := range map[string]Dirs{
		"migrations: db/a\n":         {"db/a"},
		"migrations: [db/a, db/b]\n": {"db/a", "db/b"},
		"migrations:\n  - db/b\n  - db/a\nformat: custom\npattern: '^(?P<version>\\d+)'\n": {"db/b", "db/a"},
		"migrations: ''\n": nil,
	} {
		cfg, err := Parse("c.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if !reflect.DeepEqual(cfg.Migrations, want) {
			t.Errorf("%q: migrations %q, want %q", src, cfg.Migrations, want)
		}
	}
	cfg, err := Parse("c.yaml", []byte("format: custom\npattern: '^V(?P<version>\\d+)\\.'\nignore: '\\.down\\.sql$'\n"))
	if err != nil || cfg.Pattern != `^V(?P<version>\d+)\.` || cfg.Ignore != `\.down\.sql$` {
		t.Errorf("pattern: %+v %v", cfg, err)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown key", "format: flyway\nmigration: x\n", `c.yaml:2: unknown key "migration" (known: migrations, format,`},
		{"syntax", "format: flyway\n  engine: [dsn\n", "c.yaml:2: "},
		{"wrong type", "format:\n  - flyway\n", "c.yaml:2: cannot unmarshal"},
		{"not a mapping", "- a\n- b\n", "c.yaml:1: cannot unmarshal"},
		{"not UTF-8", "format: flyway\n# caf\xe9\n", "c.yaml:2: not valid UTF-8"},
		{"two documents", "format: flyway\n---\nformat: goose\n", "c.yaml: holds more than one YAML document"},
		{"tab indentation", "format: flyway\n\tengine: dsn\n", "c.yaml:2: "},
		{"empty directory in the list", "migrations: [db/a, '']\n", "c.yaml:1: an empty directory in the list"},
		{"migrations as a mapping", "migrations: {a: b}\n", "c.yaml:1: want a directory or a list of directories"},
		{"a value spanning lines", "0\n \n0", "c.yaml:1: cannot unmarshal !!str `0\\n0` into"},
		{"unknown rule level", "format: flyway\nrules: {drop-column: nope}\n", `c.yaml:2: rule drop-column: unknown level "nope" (want off, notice, warning or error)`},
		{"unknown rule level in a block", "rules:\n  drop-column: warning\n  rename-column: loud\n", `c.yaml:3: rule rename-column: unknown level "loud"`},
		{"the first bad level in the file", "rules:\n  b-rule: nope\n  a-rule: nope\n", `c.yaml:2: rule b-rule: unknown level`},
		{"rule level not a string", "rules:\n  drop-column: [a]\n", "c.yaml:2: cannot unmarshal"},
		{"negative rows", "tables: {t: {rows: -5}}\n", "c.yaml:1: tables: t: rows must not be negative (-5)"},
		{"negative rows in a block", "tables:\n  orders:\n    rows: 10\n  t:\n    rows: -1\n", "c.yaml:5: tables: t: rows must not be negative (-1)"},
		{"negative sample rows", "copier: true\nsample_rows: -3\n", "c.yaml:2: sample_rows must not be negative (-3)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(c.src))
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("err = %v, want prefix %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestLoadResolvesPathsAgainstTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte("migrations: [sql, /abs/other]\noutput_file: out/r.json\nschema: decl\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg.Migrations, Dirs{filepath.Join(dir, "sql"), "/abs/other"}) || cfg.OutputFile != filepath.Join(dir, "out/r.json") || cfg.Schema != filepath.Join(dir, "decl") {
		t.Errorf("paths not resolved: %+v", cfg)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml"), true); err == nil {
		t.Error("a missing required file loaded")
	}
	if cfg, err := Load(filepath.Join(dir, "missing.yaml"), false); err != nil || cfg.Path != "" {
		t.Errorf("a missing optional file: %+v, %v", cfg, err)
	}
}

// FuzzParse: any bytes give a configuration or a one-line error naming the file, never a panic.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"", "format: flyway\n", "migrations: [\n", "a: b: c\n", "dsn: ${X}${\n", "\xff", "---\n---\n", "&a [*a]\n",
		"0\n \n0", "rules: {drop-column: \"a\\nb\"}\n", "tables: {t: {rows: -5}}\n", "rules:\n  x: [\"\\n\"]\n", "format: \"\\r\"\nsample_rows: x\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse("f.yaml", data)
		if err != nil && (!strings.HasPrefix(err.Error(), "f.yaml") || strings.Contains(err.Error(), "\n")) {
			t.Errorf("error %q does not name the file on one line", err)
		}
	})
}

func TestParseRulesKeys(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("rules:\n  drop-column: warning\n  blocking-ddl: off\ndeprecated:\n  - users.surname\n  - legacy_orders\ntables:\n  orders: {rows: 5000000}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Rules["drop-column"] != "warning" || cfg.Rules["blocking-ddl"] != "off" ||
		!reflect.DeepEqual(cfg.Deprecated, []string{"users.surname", "legacy_orders"}) || cfg.Tables["orders"].Rows != 5000000 {
		t.Errorf("cfg = %+v", cfg)
	}
	if _, err := Parse("c.yaml", []byte("tables:\n  orders: {rowz: 5}\n")); err == nil || !strings.Contains(err.Error(), "c.yaml:2") {
		t.Errorf("a typo inside tables: %v", err)
	}
}
