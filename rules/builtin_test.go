package rules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/checker"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/rules"
	"github.com/schema-guard/schema-guard/runner"
)

// producedElsewhere are the ids other stages put in findings, by the constants those stages
// declare, with the severity they give them: a renamed constant or a changed severity breaks
// this test rather than the documentation.
var producedElsewhere = map[string]finding.Severity{
	runner.RuleReplayFailed:         finding.Error,
	runner.RuleSkippedStatement:     finding.Notice,
	runner.RuleForeignDatabase:      finding.Error,
	checker.RuleDrift:               finding.Error,
	checker.RuleSeedDrift:           finding.Error,
	checker.RuleDeclaredSQLMode:     finding.Notice,
	migrations.RuleEditedMigration:  finding.Error,
	migrations.RuleDeletedMigration: finding.Error,
	migrations.RuleOutOfOrder:       finding.Error,
	migrations.RuleDuplicateVersion: finding.Error,
	migrations.RuleIgnoredFile:      finding.Warning,
	migrations.RuleClientCommand:    finding.Error,
	migrations.RuleChecksumMismatch: finding.Error,
}

func TestBuiltinDocumentsEveryID(t *testing.T) {
	reg, err := rules.NewRegistry(nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	check := func(where string, r *rules.Rule) {
		t.Helper()
		if prev, ok := seen[r.ID]; ok {
			t.Errorf("rule id %q is both in %s and in %s", r.ID, prev, where)
		}
		seen[r.ID] = where
		if r.ID != strings.ToLower(r.ID) || strings.ContainsAny(r.ID, " _") {
			t.Errorf("%s: id %q is not kebab-case", where, r.ID)
		}
		if strings.TrimSpace(r.Summary) == "" || strings.Contains(r.Summary, "\n") {
			t.Errorf("%s: %s needs a one-line summary, has %q", where, r.ID, r.Summary)
		}
		for _, part := range []string{"Catches:", "Why it ", "How to ", "Example:"} {
			if !strings.Contains(r.Doc, part) {
				t.Errorf("%s: the doc of %s lacks %q", where, r.ID, part)
			}
		}
		switch r.Severity {
		case finding.Error, finding.Warning, finding.Notice:
		default:
			t.Errorf("%s: %s has severity %q", where, r.ID, r.Severity)
		}
	}
	for _, r := range reg.Rules() {
		check("the registry", r)
	}
	for _, r := range rules.Builtin() {
		check("Builtin", r)
		if r.Statement != nil || r.File != nil {
			t.Errorf("builtin %s judges statements; it belongs in the registry", r.ID)
		}
		if _, ok := producedElsewhere[r.ID]; !ok {
			t.Errorf("builtin %s is not produced by any stage this test knows", r.ID)
		}
	}
	for id, sev := range producedElsewhere {
		r := rules.Describe(id)
		switch {
		case r == nil:
			t.Errorf("Describe(%q) = nil", id)
		case r.Severity != sev:
			t.Errorf("Describe(%q).Severity = %s, but the stage reports %s", id, r.Severity, sev)
		}
	}
}

func TestBuiltinIsFresh(t *testing.T) {
	a, b := rules.Builtin(), rules.Builtin()
	a[0].Summary = "changed"
	if b[0].Summary == "changed" || rules.Describe(b[0].ID).Summary == "changed" {
		t.Error("Builtin shares its rules between calls")
	}
}

func TestDescribe(t *testing.T) {
	for _, id := range []string{rules.DropColumn, "DROP-COLUMN", " replay-failed ", "Seed-Drift", rules.CopierRefused} {
		r := rules.Describe(id)
		if r == nil || r.ID != strings.ToLower(strings.TrimSpace(id)) {
			t.Errorf("Describe(%q) = %v", id, r)
		}
	}
	for _, id := range []string{"", "nope", "drop_column"} {
		if r := rules.Describe(id); r != nil {
			t.Errorf("Describe(%q) = %s, want nil", id, r.ID)
		}
	}
}

// ruleConst is how the stages name the rule ids of their findings: RuleSomething = "some-id".
var ruleConst = regexp.MustCompile(`^Rule[A-Z]\w*$`)

// TestEveryRuleConstantIsDescribed reads the module's non-test sources for rule id constants,
// so an id a stage adds later cannot reach a report without documentation.
func TestEveryRuleConstantIsDescribed(t *testing.T) {
	root := moduleRoot(t)
	found := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !ruleConst.MatchString(n.Name) || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					if id, err := strconv.Unquote(lit.Value); err == nil {
						rel, _ := filepath.Rel(root, p)
						found[id] = rel + ": " + n.Name
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id := range producedElsewhere {
		if _, ok := found[id]; !ok {
			t.Errorf("the source scan did not find the constant of %q; is the scan broken?", id)
		}
	}
	for id, where := range found {
		if rules.Describe(id) == nil {
			t.Errorf("%s = %q has no documentation: add it to rules.Builtin", where, id)
		}
	}
}

// moduleRoot is the directory of go.mod above the test's working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}
