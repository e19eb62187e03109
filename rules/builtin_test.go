package rules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/rules"
)

// producedElsewhere are the ids other stages put in findings, by the constants those stages
// declare, with the severity they give them: a renamed constant or a changed severity breaks
// this test rather than the documentation.
var producedElsewhere = map[finding.RuleID]finding.Severity{
	finding.ReplayFailed:     finding.Error,
	finding.SkippedStatement: finding.Notice,
	finding.ForeignDatabase:  finding.Error,
	finding.Drift:            finding.Error,
	finding.SeedDrift:        finding.Error,
	finding.DeclaredSQLMode:  finding.Notice,
	finding.EditedMigration:  finding.Error,
	finding.DeletedMigration: finding.Error,
	finding.OutOfOrder:       finding.Error,
	finding.DuplicateVersion: finding.Error,
	finding.IgnoredFile:      finding.Warning,
	finding.ClientCommand:    finding.Error,
	finding.ChecksumMismatch: finding.Error,
}

func TestBuiltinDocumentsEveryID(t *testing.T) {
	reg, err := rules.NewRegistry(nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[finding.RuleID]string{}
	check := func(where string, r *rules.Rule) {
		t.Helper()
		if prev, ok := seen[r.ID]; ok {
			t.Errorf("rule id %q is both in %s and in %s", r.ID, prev, where)
		}
		seen[r.ID] = where
		if id := string(r.ID); id != strings.ToLower(id) || strings.ContainsAny(id, " _") {
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
	for _, id := range []finding.RuleID{finding.DropColumn, "DROP-COLUMN", " replay-failed ", "Seed-Drift", finding.CopierRefused} {
		r := rules.Describe(id)
		if r == nil || string(r.ID) != strings.ToLower(strings.TrimSpace(string(id))) {
			t.Errorf("Describe(%q) = %v", id, r)
		}
	}
	for _, id := range []finding.RuleID{"", "nope", "drop_column"} {
		if r := rules.Describe(id); r != nil {
			t.Errorf("Describe(%q) = %s, want nil", id, r.ID)
		}
	}
}

// TestEveryRuleConstantIsDescribed reads the module's non-test sources for rule id constants:
// every one is a finding.RuleID declared in finding (one list of ids), and each has
// documentation, so an id a stage adds later cannot reach a report without it.
func TestEveryRuleConstantIsDescribed(t *testing.T) {
	root := moduleRoot(t)
	found := map[finding.RuleID]string{}
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
		rel, _ := filepath.Rel(root, p)
		for id, name := range ruleIDConsts(file) {
			if filepath.Dir(rel) != "finding" {
				t.Errorf("%s declares the rule id %s = %q: declare it in finding", rel, name, id)
			}
			found[id] = rel + ": " + name
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
			t.Errorf("%s = %q has no documentation: add it to rules.Builtin or the registry", where, id)
		}
	}
}

// ruleIDConsts returns the string constants of a file declared with the type RuleID (in finding)
// or finding.RuleID (anywhere else), by id.
func ruleIDConsts(file *ast.File) map[finding.RuleID]string {
	out := map[finding.RuleID]string{}
	for _, decl := range file.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if !isRuleIDType(vs.Type) {
				continue
			}
			for i, n := range vs.Names {
				if i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				if id, err := strconv.Unquote(lit.Value); err == nil {
					out[finding.RuleID(id)] = n.Name
				}
			}
		}
	}
	return out
}

func isRuleIDType(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "RuleID"
	case *ast.SelectorExpr:
		return e.Sel.Name == "RuleID"
	}
	return false
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
