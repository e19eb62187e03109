package checker

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/schema-guard/schema-guard/config"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/runner"
)

// driftCase is a testdata/drift fixture unpacked into a directory.
type driftCase struct {
	dir      string
	expect   []string // "kind change object", with flavour tags (onServer)
	findings []string // "rule file:line", with flavour tags
	seeds    []string
}

// unpack writes a txtar fixture (sections "-- path --") into a fresh directory. A section whose
// name ends in a flavour tag ("-- schema/t.sql (mysql) --") is the file on that server only, in
// place of the untagged one.
func unpack(t *testing.T, fixture string, srv report.Engine) driftCase {
	t.Helper()
	ar, err := txtar.ParseFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	c := driftCase{dir: t.TempDir()}
	files := map[string]string{}
	tagged := map[string]bool{}
	for _, f := range ar.Files {
		path, applies := onServer(f.Name, srv)
		switch {
		case !applies || (path == f.Name && tagged[path]):
			// Another server's file, or the untagged one after this server's own.
		case path != f.Name:
			files[path], tagged[path] = string(f.Data), true
		default:
			files[path] = string(f.Data)
		}
	}
	for name, content := range files {
		switch name {
		case "expect":
			for _, l := range strings.Split(content, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					c.expect = append(c.expect, l)
				}
			}
		case "findings":
			c.findings = lines(content)
		case ".schema-guard.yaml":
			cfg, err := config.Parse(name, []byte(content))
			if err != nil {
				t.Fatal(err)
			}
			c.seeds = cfg.SeedTables
		default:
			testenv.WriteFile(t, filepath.Join(c.dir, name), content)
		}
	}
	return c
}

// drift renders a report's drift entries like an expect section.
func drift(res *Result) []string {
	var out []string
	for _, d := range res.Report.Drift {
		out = append(out, d.Kind+" "+d.Change+" "+d.Object)
	}
	slices.Sort(out)
	return out
}

func TestDriftFixtures(t *testing.T) { eachEngine(t, testDriftFixtures) }

func testDriftFixtures(t *testing.T, eng runner.Options, srv report.Engine) {
	fixtures, err := filepath.Glob(filepath.Join("..", "testdata", "drift", "*.txtar"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, fixture := range fixtures {
		name := strings.TrimSuffix(filepath.Base(fixture), ".txtar")
		t.Run(name, func(t *testing.T) {
			c := unpack(t, fixture, srv)
			opts := Options{WorkDir: c.dir, Migrations: "migrations", Schema: "schema", SeedTables: c.seeds,
				Base: NoBase, Engine: eng}
			ctx := context.Background()
			s, err := Start(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.Final == nil {
				t.Fatalf("replay failed: %s", findings(s.Report))
			}
			d, err := s.Drift(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := drift(&Result{Report: s.Report})
			if want := forServer(c.expect, s.Report.Engine); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("drift\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			// The findings the case names, and the declared-sql-mode notice always: it must not
			// appear where the case does not expect it.
			want := forServer(c.findings, s.Report.Engine)
			rules := map[string]bool{string(finding.DeclaredSQLMode): true}
			for _, w := range want {
				rule, _, _ := strings.Cut(w, " ")
				rules[rule] = true
			}
			var other []string
			for _, f := range s.Report.Findings {
				if rules[string(f.Rule)] {
					other = append(other, string(f.Rule)+" "+f.File+":"+strconv.Itoa(f.Line))
				}
			}
			slices.Sort(other)
			if strings.Join(other, "\n") != strings.Join(want, "\n") {
				t.Errorf("findings\n  %s\nwant\n  %s", strings.Join(other, "\n  "), strings.Join(want, "\n  "))
			}
			for _, f := range s.Report.Findings {
				if (f.Rule == finding.Drift || f.Rule == finding.SeedDrift) && (f.File == "" || f.Line < 1 || f.Fix == "") {
					t.Errorf("finding without place or fix: %+v", f)
				}
			}

			// The round trips run on the dsn engine, which has the same server versions: on the
			// container engine each would start two more containers (CI time, not coverage).
			if eng.Kind != runner.DSN {
				return
			}
			// Round trip 1: dump the replayed state, check against it: zero drift.
			files, err := s.Dump(ctx)
			if err != nil {
				t.Fatal(err)
			}
			dumped := t.TempDir()
			for _, f := range files {
				testenv.WriteFile(t, filepath.Join(dumped, f.Path), string(f.Content))
			}
			dumpOpts := opts
			dumpOpts.Schema = dumped
			back := run(t, dumpOpts)
			if got := drift(back); len(got) != 0 {
				t.Errorf("against its own dump: drift %v", got)
			}

			// Round trip 2: the reconciling SQL, written as the next migration, replays to zero drift.
			if stmts := d.Statements(); len(stmts) > 0 {
				files, err := s.Migrations.Compose("reconcile", stmts, d.ReverseStatements(), time.Now())
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range files {
					testenv.WriteFile(t, filepath.Join(c.dir, f.Path), string(f.Content))
				}
				again := run(t, opts)
				if got := drift(again); len(got) != 0 || again.Report.Failed() {
					t.Errorf("after the reconciling migration: drift %v, findings %s", got, findings(again.Report))
				}
			}
		})
	}
}
