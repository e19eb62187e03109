// Package config reads .schema-guard.yaml. Every key has a command-line flag of the same meaning;
// the flag wins. Unknown keys are errors, so a typo never silently does nothing.
package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// FileName is the configuration file looked for at the repository root.
const FileName = ".schema-guard.yaml"

// Config is the content of .schema-guard.yaml. Relative paths in it are relative to the file's
// directory; Load makes them absolute.
type Config struct {
	// Path is the file the configuration was read from, "" when none was.
	Path string `yaml:"-"`
	// lines holds the line of each key and value, by key path ("format", "rules.drop-column",
	// "tables.orders.rows"), so that an error about a value can name where it is.
	lines map[string]int

	// Migrations is the migration directory, or a list of them: each is its own history (its
	// own versions, its own history table), replayed in the order listed into one database.
	Migrations Dirs   `yaml:"migrations"`
	Format     string `yaml:"format"`
	// Pattern is the custom format's regular expression over each file's path relative to the
	// migrations directory, with a named group version (and optionally description).
	Pattern string `yaml:"pattern"`
	// Ignore is, with the custom format, a regular expression for files in the directory that
	// are not migrations (down files), left out without a warning.
	Ignore string `yaml:"ignore"`
	Engine string `yaml:"engine"`
	// DSN may refer to environment variables as ${NAME}, to keep passwords out of the file.
	DSN        string `yaml:"dsn"`
	Image      string `yaml:"image"`
	Base       string `yaml:"base"`
	Output     string `yaml:"output"`
	OutputFile string `yaml:"output_file"`
	// FailOn is the severity that fails the check: error (the default) or warning.
	FailOn string `yaml:"fail_on"`
	// SARIFFile, when set, gets a SARIF 2.1.0 copy of the report besides the chosen output.
	SARIFFile string `yaml:"sarif_file"`
	// DiffOnly reports only findings on lines changed since the base ref (drift, history and
	// replay failures always stay).
	DiffOnly bool `yaml:"diff_only"`
	// Schema is the declared state: a directory of .sql files or one dump file.
	Schema string `yaml:"schema"`
	// SeedTables are tables whose rows the declared state's INSERTs fix.
	SeedTables []string `yaml:"seed_tables"`
	// Rules sets rule levels: off, notice, warning or error.
	Rules map[string]string `yaml:"rules"`
	// Deprecated lists the tables ("legacy_orders") and columns ("users.surname") the deployed
	// application no longer uses. It is read at the base ref: only a deprecation that is
	// deployed allows the drop.
	Deprecated []string `yaml:"deprecated"`
	// Tables describes production tables, for rules that depend on their size.
	Tables map[string]Table `yaml:"tables"`
	// Copier turns the online copier's dry run off when false; nil means on.
	Copier *bool `yaml:"copier"`
	// SampleRows is how many rows the dry run generates per table.
	SampleRows int `yaml:"sample_rows"`
	// SampleDir holds the user's own samples: one <table>.csv per table.
	SampleDir string `yaml:"sample_dir"`
	// ThrowawayServer says the dsn engine's server holds nothing but the check's databases (a
	// service container of the CI job): the migrations run as the DSN's own account, with
	// whatever it may do, and the report says so.
	ThrowawayServer bool `yaml:"throwaway_server"`
	// Session holds the session settings the migration tool applies before it runs migrations
	// (Flyway's initSql, a DSN's parameters): sql_mode, time_zone, foreign_key_checks… The
	// replay starts every session with them on top of the server's defaults.
	Session map[string]string `yaml:"session"`
}

// Dirs is a directory or a list of directories: `migrations: db/migrations` and
// `migrations: [db/a, db/b]` both read.
type Dirs []string

// UnmarshalYAML reads one string or a list of strings.
func (d *Dirs) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var s string
		if err := n.Decode(&s); err != nil {
			return err
		}
		if s == "" {
			*d = nil
			return nil
		}
		*d = Dirs{s}
		return nil
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		for _, s := range list {
			if s == "" {
				return fmt.Errorf("line %d: an empty directory in the list", n.Line)
			}
		}
		*d = list
		return nil
	}
	return fmt.Errorf("line %d: want a directory or a list of directories", n.Line)
}

// Table is what the configuration says about one production table.
type Table struct {
	// Rows is the approximate row count in production.
	Rows int64 `yaml:"rows"`
}

// Load reads the configuration file at path. With required false, a missing file gives an empty
// configuration (the file is optional at its default place).
func Load(path string, required bool) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !required {
		return &Config{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	paths := []*string{&cfg.OutputFile, &cfg.SARIFFile, &cfg.Schema, &cfg.SampleDir}
	for i := range cfg.Migrations {
		paths = append(paths, &cfg.Migrations[i])
	}
	for _, p := range paths {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	return cfg, nil
}

// Parse reads configuration from data; name is used in error messages ("name:line: …").
func Parse(name string, data []byte) (*Config, error) {
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		return nil, fmt.Errorf("%s:%d: not valid UTF-8", name, line)
	}
	cfg := &Config{Path: name, lines: map[string]int{}}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(name, err)
	}
	// A second document would be ignored silently; say so instead.
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: holds more than one YAML document", name)
	}
	// The same text as nodes, for the lines of keys and values (it decoded once already).
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err == nil && len(doc.Content) == 1 {
		recordLines(cfg.lines, "", doc.Content[0])
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.DSN = os.Expand(cfg.DSN, os.Getenv)
	return cfg, nil
}

// recordLines records the line of every key of the mapping n (and of its nested mappings),
// by its dotted path under prefix.
func recordLines(lines map[string]int, prefix string, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := prefix + k.Value
		if _, seen := lines[key]; !seen {
			lines[key] = k.Line
		}
		recordLines(lines, key+".", v)
	}
}

// Levels are the levels a rule can be set to.
var Levels = []string{"off", "notice", "warning", "error"}

// validate checks the values whose meaning the configuration itself fixes.
func (c *Config) validate() error {
	for _, id := range sortedKeys(c.Rules, c.lines, "rules.") {
		level := strings.ToLower(strings.TrimSpace(c.Rules[id]))
		if !slices.Contains(Levels, level) {
			return c.Errorf([]string{"rules", id}, "rule %s: unknown level %q (want off, notice, warning or error)", id, c.Rules[id])
		}
	}
	for _, name := range sortedKeys(c.Tables, c.lines, "tables.") {
		if rows := c.Tables[name].Rows; rows < 0 {
			return c.Errorf([]string{"tables", name, "rows"}, "tables: %s: rows must not be negative (%d)", name, rows)
		}
	}
	if c.SampleRows < 0 {
		return c.Errorf([]string{"sample_rows"}, "sample_rows must not be negative (%d)", c.SampleRows)
	}
	return nil
}

// sortedKeys returns the keys of m in the order they appear in the file.
func sortedKeys[V any](m map[string]V, lines map[string]int, prefix string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(lines[prefix+a], lines[prefix+b]), cmp.Compare(a, b))
	})
	return keys
}

// Line is the line of the key at path (its parts: "rules", "drop-column"), or of its nearest
// parent that has one; 0 when the file does not have it.
func (c *Config) Line(path ...string) int {
	for n := len(path); n > 0; n-- {
		if l, ok := c.lines[strings.Join(path[:n], ".")]; ok {
			return l
		}
	}
	return 0
}

// At is "file:line" of the key at path, or the file alone when the line is unknown.
func (c *Config) At(path ...string) string {
	if l := c.Line(path...); l > 0 {
		return fmt.Sprintf("%s:%d", c.Path, l)
	}
	return c.Path
}

// Errorf is an error about the value at path: "file:line: message".
func (c *Config) Errorf(path []string, format string, args ...any) error {
	return fmt.Errorf("%s: %s", c.At(path...), oneLine(fmt.Sprintf(format, args...)))
}

// oneLine writes control characters (a newline inside a quoted YAML value) as escapes, so that
// a message stays on one line and still shows the value as it is.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var yamlLine = regexp.MustCompile(`(?s)^(?:yaml: )?line (\d+): (.*)$`)

// yamlError turns the YAML library's message into "name:line: message", keeping the first
// problem: one clear line is worth more than a list.
func yamlError(name string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		text := m[2]
		if field, ok := strings.CutPrefix(text, "field "); ok {
			if key, _, ok := strings.Cut(field, " not found"); ok {
				text = fmt.Sprintf("unknown key %q (known: %s)", key, strings.Join(Keys(), ", "))
			}
		}
		return fmt.Errorf("%s:%s: %s", name, m[1], oneLine(text))
	}
	return fmt.Errorf("%s: %s", name, oneLine(strings.TrimPrefix(msg, "yaml: ")))
}

// Keys lists the configuration keys, from Config's yaml tags.
func Keys() []string {
	var keys []string
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		if key := t.Field(i).Tag.Get("yaml"); key != "" && key != "-" {
			keys = append(keys, key)
		}
	}
	return keys
}

func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}
