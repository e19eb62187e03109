package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/facts"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func TestRegistry(t *testing.T) {
	r, err := NewRegistry(map[string]string{"drop-column": "warning", "Rename-Table": "OFF", "add-check": "error"})
	if err != nil {
		t.Fatal(err)
	}
	ids := []finding.RuleID{}
	for _, rule := range r.Rules() {
		ids = append(ids, rule.ID)
	}
	want := []finding.RuleID{finding.RenameColumn, finding.RenameTable, finding.DropColumn, finding.DropTable, finding.DropView, finding.DependentObject, finding.NotNullWithoutDefault,
		finding.TightenNotNull, finding.DropDefault, finding.NarrowType, finding.EnumChange, finding.CollationChange, finding.DropPrimaryKey, finding.EngineChange, finding.TruncateTable,
		finding.AddUnique, finding.AddForeignKey, finding.AddCheck, finding.BlockingDDL, finding.UnboundedDML, finding.MixedDDLDML, finding.MissingPrimaryKey,
		finding.OldAppBreak, finding.OpaqueStatement, finding.BadSuppression, finding.CopierDataLoss, finding.CopierFailed, finding.CopierRefused}
	if !slices.Equal(ids, want) {
		t.Errorf("Rules() = %v, want %v", ids, want)
	}
	if r.Lookup("drop-column") == nil || r.Lookup("DROP-COLUMN") == nil || r.Lookup("nope") != nil {
		t.Error("Lookup")
	}
	if r.Enabled(finding.RenameTable) || !r.Enabled(finding.DropColumn) || r.Enabled("nope") {
		t.Error("Enabled")
	}
	if f, ok := r.Apply(finding.Finding{Rule: finding.DropColumn, Severity: finding.Error}); !ok || f.Severity != finding.Warning {
		t.Errorf("Apply(drop-column) = %v, %v", f.Severity, ok)
	}
	if _, ok := r.Apply(finding.Finding{Rule: finding.RenameTable, Severity: finding.Error}); ok {
		t.Error("Apply of an off rule kept the finding")
	}
	if f, ok := r.Apply(finding.Finding{Rule: finding.TightenNotNull, Severity: finding.Warning}); !ok || f.Severity != finding.Warning {
		t.Error("Apply without a configured level changed the severity")
	}
	if f, ok := r.Apply(finding.Finding{Rule: "drift", Severity: finding.Notice}); !ok || f.Severity != finding.Notice {
		t.Error("Apply of another stage's finding")
	}
	// Two registries share nothing.
	r2, _ := NewRegistry(nil)
	r2.Lookup(finding.DropColumn).Severity = finding.Notice
	if r.Lookup(finding.DropColumn).Severity != finding.Error {
		t.Error("registries share their rules")
	}
}

func TestRegistryErrors(t *testing.T) {
	_, err := NewRegistry(map[string]string{"drop-colum": "error", "rename-table": "loud", "zzz": "off"})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, s := range []string{`"drop-colum"`, `"zzz"`, `"loud" for rename-table`} {
		if !strings.Contains(msg, s) {
			t.Errorf("%q lacks %s", msg, s)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("not one line: %q", msg)
	}
	// The message is the same every time, whatever the map order.
	for range 20 {
		if _, e := NewRegistry(map[string]string{"drop-colum": "error", "rename-table": "loud", "zzz": "off"}); e.Error() != msg {
			t.Fatalf("unstable message: %q vs %q", e.Error(), msg)
		}
	}
}

// TestRuleDocs checks every rule is documented as `schema-guard explain` prints it.
func TestRuleDocs(t *testing.T) {
	r, _ := NewRegistry(nil)
	seen := map[finding.RuleID]bool{}
	for _, rule := range r.Rules() {
		if seen[rule.ID] {
			t.Errorf("duplicate id %s", rule.ID)
		}
		seen[rule.ID] = true
		lines := strings.Count(rule.Doc, "\n") + 1
		if rule.Summary == "" || lines < 10 || lines > 30 {
			t.Errorf("%s: summary %q, doc of %d lines", rule.ID, rule.Summary, lines)
		}
		for _, part := range []string{"Catches:", "Example:"} {
			if !strings.Contains(rule.Doc, part) {
				t.Errorf("%s: doc lacks %q", rule.ID, part)
			}
		}
		switch rule.ID {
		case finding.OldAppBreak, finding.BadSuppression:
			// CheckStatement makes old-app-break's findings after the other rules (it joins
			// their findings), Suppress makes bad-suppression's.
			if rule.Statement != nil || rule.File != nil {
				t.Errorf("%s: not a statement or file rule", rule.ID)
			}
		case finding.MixedDDLDML:
			if rule.File == nil || rule.Statement != nil {
				t.Errorf("%s: a file rule", rule.ID)
			}
		default:
			if rule.Statement == nil {
				t.Errorf("%s: no Statement", rule.ID)
			}
		}
	}
}

// TestCheckStatement runs the registry over statements, including ones that give the rules
// nothing to read: no models, no tables, nothing parsed.
func TestCheckStatement(t *testing.T) {
	r, _ := NewRegistry(map[string]string{"narrow-type": "off"})
	st := parseOne(t, "ALTER TABLE users MODIFY email varchar(10) NOT NULL, DROP COLUMN surname")
	ctx := &Context{
		Statement: st, Deployed: sch(users()), Before: sch(users()),
		After: sch(usersWith("surname", nil)), Deprecated: NewDeprecated(nil),
	}
	ctx.After.Tables[0].Columns[1] = col("email", "varchar(10)", notNull)
	var got []string
	for _, f := range r.CheckStatement(ctx) {
		got = append(got, string(f.Rule)+":"+string(f.Severity))
	}
	if strings.Join(got, " ") != "drop-column:error tighten-not-null:error" {
		t.Errorf("got %v", got)
	}

	for _, sql := range []string{
		"ALTER TABLE users RENAME COLUMN a TO b, DROP COLUMN c, MODIFY d int, ADD UNIQUE (e), ADD CONSTRAINT f FOREIGN KEY (g) REFERENCES h (i)",
		"RENAME TABLE users TO u2", "DROP TABLE users", "CREATE TABLE t (a int)", "CREATE UNIQUE INDEX x ON users (email)",
		"INSERT INTO users VALUES (1)", "SELECT 1", "ALTER TABLE users RENAME TO u2",
	} {
		st := parseOne(t, sql)
		for _, ctx := range []*Context{
			{Statement: st},
			{Statement: st, Deployed: sch(users()), Online: &schema.Online{Algorithm: "COPY", Lock: "SHARED"}},
			{Statement: st, Deployed: sch(users()), Before: sch(), After: sch()},
			{Statement: st, Deployed: &schema.Schema{Tables: []*schema.Table{{Name: "users"}}}, Before: sch(users()), After: sch(users())},
		} {
			r.CheckStatement(ctx)
		}
	}
	// An opaque statement is judged by the models alone: without them there is nothing to say
	// but that the parser could not read it.
	if fs := r.CheckStatement(&Context{Statement: &facts.Statement{Text: "CREATE TRIGGER …"}}); len(fs) != 1 || fs[0].Rule != finding.OpaqueStatement {
		t.Errorf("an opaque statement without models: %s", dump(fs))
	}
	if r.CheckStatement(nil) != nil {
		t.Error("no statement has findings")
	}
}
