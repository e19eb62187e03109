package checker

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/runner"
	"github.com/schema-guard/schema-guard/schema"
)

// engine is one way to get a server in tests.
type engine struct {
	name string
	opts func(t *testing.T) runner.Options
}

var engines = []engine{
	{"dsn", func(t *testing.T) runner.Options { return runner.Options{Kind: runner.DSN, DSN: testenv.DSN(t)} }},
	{"container", func(t *testing.T) runner.Options {
		return runner.Options{Kind: runner.Container, Image: testenv.Image(t)}
	}},
}

// dsnEngine is the dsn engine on the server the test runs on (testenv.CurrentServer).
func dsnEngine(t *testing.T) runner.Options { return engines[0].opts(t) }

// eachEngine runs f on the dsn engine on every test server and on the container engine on every
// test image, in subtests "dsn/<server>" and "container/<image>" ("dsn/mysql-9.7"). srv is what
// is known of the server before it starts, for fixtures that differ by flavour (onServer): its
// flavour and version, which for an image are those its name says (mysql-9.7).
func eachEngine(t *testing.T, f func(t *testing.T, eng runner.Options, srv report.Engine)) {
	t.Helper()
	t.Run("dsn", func(t *testing.T) {
		testenv.EachServer(t, func(t *testing.T, s testenv.Server) {
			f(t, runner.Options{Kind: runner.DSN, DSN: s.DSN}, report.Engine{Kind: "dsn", Flavor: s.Flavor, ServerVersion: s.Version})
		})
	})
	t.Run("container", func(t *testing.T) {
		testenv.EachImage(t, func(t *testing.T, img testenv.ServerImage) {
			flavor, version, _ := strings.Cut(img.Name, "-")
			f(t, runner.Options{Kind: runner.Container, Image: img.Ref}, report.Engine{Kind: "container", Flavor: flavor, ServerVersion: version})
		})
	})
}

// run runs a check and fails the test if it could not be done.
func run(t *testing.T, opts Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	return res
}

// findings renders findings as "rule@file:line" (with the column where known), sorted.
func findings(r *report.Report) string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, string(f.Rule)+"@"+f.Pos())
	}
	return strings.Join(out, " ")
}

// beyondNotices renders the findings above notice level, like findings: the format fixtures
// create triggers, which the parser cannot read, so opaque-statement notices are expected.
func beyondNotices(r *report.Report) string {
	var out []string
	for _, f := range r.Findings {
		if f.Severity != "notice" {
			out = append(out, string(f.Rule)+"@"+f.Pos())
		}
	}
	return strings.Join(out, " ")
}

// readLines reads a file of one entry per line.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(data))
}

// copyFile copies src to dst, creating directories.
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	testenv.WriteFile(t, dst, string(data))
}

// comparable blanks what legitimately differs between two replays of the same schema: the
// scratch database's name (also inside view definitions) and auto_increment counters.
func comparable(s *schema.Schema) string {
	c := *s
	c.Name = ""
	var tables []schema.Table
	for _, t := range s.Tables {
		tc := *t
		tc.Options.AutoIncrement = 0
		tables = append(tables, tc)
	}
	out, err := json.MarshalIndent(struct {
		S      schema.Schema
		Tables []schema.Table
	}{c, tables}, "", " ")
	if err != nil {
		panic(err)
	}
	return strings.ReplaceAll(string(out), s.Name, "DB")
}

// formats lists the fixture formats.
func formats() []migrations.Format { return migrations.Formats }

func fixtureDir(f migrations.Format) string {
	return filepath.Join("..", "testdata", "formats", string(f))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprint(err))
	}
	return v
}

// migrationKey is how order.txt names a migration: its path, and a Liquibase changeset's id.
func migrationKey(file, id string) string {
	if id == "" {
		return file
	}
	return file + "::" + id
}

// fixtureFiles are the distinct files of an order.txt, in order.
func fixtureFiles(order []string) []string {
	var out []string
	for _, o := range order {
		f, _, _ := strings.Cut(o, "::")
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// copyFixtureFile copies a migration of a fixture with what its tool keeps beside it: a Prisma
// lock file, a Temporal version folder's manifest.
func copyFixtureFile(t *testing.T, src, dst, rel string) {
	t.Helper()
	copyFile(t, filepath.Join(src, rel), filepath.Join(dst, rel))
	for _, side := range []string{filepath.Join(filepath.Dir(rel), "manifest.json"), "db/migrations/migration_lock.toml"} {
		if _, err := os.Stat(filepath.Join(src, side)); err == nil {
			copyFile(t, filepath.Join(src, side), filepath.Join(dst, side))
		}
	}
}

// writeAtlasSum hashes an Atlas directory as `atlas migrate hash` does.
func writeAtlasSum(t *testing.T, format migrations.Format, dir string) {
	t.Helper()
	if format != migrations.Atlas {
		return
	}
	root := filepath.Join(dir, "db", "migrations")
	os.Remove(filepath.Join(root, "atlas.sum"))
	set, err := migrations.Discover(os.DirFS(dir), "db/migrations", migrations.Atlas)
	if err != nil {
		t.Fatal(err)
	}
	testenv.WriteFile(t, filepath.Join(root, "atlas.sum"), string(migrations.FormatAtlasSum(migrations.AtlasSum(set.Files))))
}

// flavourTag is a trailing "(mysql)", "(mariadb)" or "(mariadb-11.8)" on an expectation of a
// fixture: the expectation holds on that flavour (and version) only. It is how a difference
// between servers is written next to the SQL it is about, rather than by skipping the fixture.
var flavourTag = regexp.MustCompile(`\((!?(?:mysql|mariadb)(?:-[0-9.]+)?)\)$`)

// onServer strips the flavour tags from exp and reports whether it applies to the engine's
// server. An expectation without a tag holds everywhere; "(!mysql)" means every server but MySQL.
func onServer(exp string, eng report.Engine) (string, bool) {
	applies := true
	for {
		m := flavourTag.FindStringSubmatchIndex(exp)
		if m == nil {
			return strings.TrimSpace(exp), applies
		}
		tag := exp[m[2]:m[3]]
		exp = exp[:m[0]]
		negate := strings.HasPrefix(tag, "!")
		tag = strings.TrimPrefix(tag, "!")
		flavor, version, _ := strings.Cut(tag, "-")
		match := eng.Flavor == flavor &&
			(version == "" || eng.ServerVersion == version || strings.HasPrefix(eng.ServerVersion, version+"."))
		if match == negate {
			applies = false
		}
	}
}

// forServer keeps the expectations that apply to the engine's server, without their tags,
// sorted.
func forServer(exps []string, eng report.Engine) []string {
	var out []string
	for _, e := range exps {
		if e, ok := onServer(e, eng); ok {
			out = append(out, e)
		}
	}
	slices.Sort(out)
	return out
}

func TestOnServer(t *testing.T) {
	mysql := report.Engine{Flavor: "mysql", ServerVersion: "9.7.4"}
	maria := report.Engine{Flavor: "mariadb", ServerVersion: "11.8.9"}
	for _, c := range []struct {
		exp        string
		want       string
		onMy, onMa bool
	}{
		{"blocking-ddl", "blocking-ddl", true, true},
		{"blocking-ddl(mysql)", "blocking-ddl", true, false},
		{"index different t.k(mariadb)", "index different t.k", false, true},
		{"x(mariadb-11.8)", "x", false, true},
		{"x(mariadb-11)", "x", false, true},
		{"x(mariadb-10.11)", "x", false, false},
		{"x(!mysql)", "x", false, true},
		{"drop-column(allowed)", "drop-column(allowed)", true, true},
	} {
		got, my := onServer(c.exp, mysql)
		_, ma := onServer(c.exp, maria)
		if got != c.want || my != c.onMy || ma != c.onMa {
			t.Errorf("onServer(%q) = %q, mysql %v, mariadb %v", c.exp, got, my, ma)
		}
	}
}
