package checker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/schema-guard/schema-guard/config"
	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/rules"
	"github.com/schema-guard/schema-guard/runner"
)

// sections reads a txtar fixture: "-- name --" lines start sections.
func sections(t *testing.T, fixture string) map[string]string {
	t.Helper()
	ar, err := txtar.ParseFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range ar.Files {
		out[f.Name] = string(f.Data)
	}
	return out
}

var wantComment = regexp.MustCompile(`--\s*want:\s*(.+)$`)

// compatRepo builds the scenario's repository: base files committed on main, head files
// written on a branch. It returns the directory, the expected findings as "rule file:line" (with
// " allowed" appended for allowed ones) and the expected exit code's lines, each with the
// flavour tags it carries (onServer) still at its end.
func compatRepo(t *testing.T, fixture string) (dir string, want []string, exit []string) {
	t.Helper()
	secs := sections(t, fixture)
	dir, git := testenv.GitRepo(t)
	for name, content := range secs {
		if p, ok := strings.CutPrefix(name, "base/"); ok {
			testenv.WriteFile(t, filepath.Join(dir, p), content)
		}
	}
	git("add", "-A")
	git("commit", "-qm", "deployed")
	git("checkout", "-qb", "change")
	for name, content := range secs {
		p, ok := strings.CutPrefix(name, "head/")
		if !ok {
			continue
		}
		testenv.WriteFile(t, filepath.Join(dir, p), content)
		for i, line := range strings.Split(content, "\n") {
			m := wantComment.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			for _, w := range strings.Split(m[1], ",") {
				w = strings.TrimSpace(w)
				tags := ""
				if m := flavourTags.FindStringIndex(w); m != nil {
					w, tags = w[:m[0]], w[m[0]:]
				}
				allowed := ""
				if r, ok := strings.CutSuffix(w, "(allowed)"); ok {
					w, allowed = r, " allowed"
				}
				want = append(want, w+" "+p+":"+strconv.Itoa(i+1)+allowed+tags)
			}
		}
	}
	for _, line := range strings.Split(secs["expect"], "\n") {
		if line = strings.TrimSpace(line); line != "" {
			want = append(want, line)
		}
	}
	exit = lines(secs["exit"])
	if len(exit) == 0 {
		t.Fatal("fixture lacks an exit section")
	}
	return dir, want, exit
}

// flavourTags are the flavour tags at the end of a rule of a want comment: "blocking-ddl(mysql)".
var flavourTags = regexp.MustCompile(`(\(!?(?:mysql|mariadb)(?:-[0-9.]+)?\))+$`)

// TestCompatibilityFixtures runs every scenario on the dsn engine on every test server and on the
// container engine on every test image (which also covers the copier's scratch databases,
// triggers and cut-over on a server schema-guard started itself, where a scenario turns the dry
// run on).
func TestCompatibilityFixtures(t *testing.T) { eachEngine(t, testCompatibilityFixtures) }

func testCompatibilityFixtures(t *testing.T, eng runner.Options, _ report.Engine) {
	fixtures, err := filepath.Glob(filepath.Join("..", "testdata", "compat", "*.txtar"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, fixture := range fixtures {
		t.Run(strings.TrimSuffix(filepath.Base(fixture), ".txtar"), func(t *testing.T) {
			runCompatFixture(t, fixture, eng)
		})
	}
}

// runCompatFixture checks one scenario on the engine: its findings, exit and copier verdicts.
func runCompatFixture(t *testing.T, fixture string, eng runner.Options) {
	t.Helper()
	dir, tagged, exits := compatRepo(t, fixture)
	// The rules scenarios are about the rules: the copier's dry run is on only where a
	// scenario's configuration says copier: true.
	opts := Options{WorkDir: dir, Engine: eng, NoCopier: true}
	if path := filepath.Join(dir, config.FileName); fileExists(path) {
		cfg, err := config.Load(path, true)
		if err != nil {
			t.Fatal(err)
		}
		opts.ConfigFile, opts.Rules = path, cfg.Rules
		opts.NoCopier = cfg.Copier == nil || !*cfg.Copier
		opts.SampleRows = cfg.SampleRows
		if opts.Engine.Session, err = runner.ParseSessionVars(cfg.Session); err != nil {
			t.Fatal(err)
		}
		opts.Tables = map[string]rules.TableConfig{}
		for name, tc := range cfg.Tables {
			opts.Tables[name] = rules.TableConfig{Rows: tc.Rows}
		}
	}
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	want := forServer(tagged, res.Report.Engine)
	exits = forServer(exits, res.Report.Engine)
	if len(exits) != 1 {
		t.Fatalf("exit section: %q on %s; want one code for each server", exits, res.Report.Engine.Flavor)
	}
	exit, err := strconv.Atoi(exits[0])
	if err != nil {
		t.Fatalf("exit section: %v", err)
	}
	var got []string
	for _, f := range res.Report.Findings {
		g := string(f.Rule) + " " + f.File + ":" + strconv.Itoa(f.Line)
		if f.Allowed {
			g += " allowed"
		}
		got = append(got, g)
	}
	slices.Sort(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		for _, f := range res.Report.Findings {
			t.Logf("%s %s:%d %s: %s", f.Severity, f.File, f.Line, f.Rule, f.Message)
			for _, e := range f.Evidence {
				t.Logf("    evidence: %s -> %s", e.SQL, e.Error)
			}
		}
	}
	if got := map[bool]int{true: 1, false: 0}[res.Report.Failed()]; got != exit {
		t.Errorf("exit %d, want %d", got, exit)
	}
	var verdicts []string
	for _, c := range res.Report.Copier {
		verdicts = append(verdicts, fmt.Sprintf("%s:%d %s", c.File, c.Line, c.Verdict))
		if c.Verdict != "lossless" {
			t.Logf("copier %s:%d %s: %s", c.File, c.Line, c.Verdict, c.Detail)
		}
	}
	slices.Sort(verdicts)
	if want := forServer(lines(sections(t, fixture)["copier"]), res.Report.Engine); strings.Join(verdicts, "\n") != strings.Join(want, "\n") {
		t.Errorf("copier verdicts\n  %s\nwant\n  %s", strings.Join(verdicts, "\n  "), strings.Join(want, "\n  "))
	}
}

// lines returns the non-empty lines of a section, sorted.
func lines(section string) []string {
	var out []string
	for _, l := range strings.Split(section, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
