package migrations

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// set discovers a Flyway directory "m" made of name → content.
func set(t *testing.T, files map[string]string) *Set {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys["m/"+name] = &fstest.MapFile{Data: []byte(content)}
	}
	s, err := Discover(fsys, "m", Flyway)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPlan(t *testing.T) {
	base := map[string]string{
		"V1__a.sql":   "CREATE TABLE a (id INT);\n",
		"V2__b.sql":   "CREATE TABLE b (id INT);\nALTER TABLE b ADD c INT;\n",
		"R__view.sql": "CREATE OR REPLACE VIEW v AS SELECT 1;\n",
	}
	with := func(changes map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range changes {
			if v == "" {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	cases := []struct {
		name     string
		base     map[string]string // nil: no base ref
		head     map[string]string
		steps    string // path:state, skip marked with !
		findings string // rule@line:path
	}{
		{
			name:  "no base: all pending",
			head:  base,
			steps: "V1__a.sql:pending V2__b.sql:pending R__view.sql:pending",
		},
		{
			name:  "unchanged",
			base:  base,
			head:  base,
			steps: "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed",
		},
		{
			name:  "new migration is pending",
			base:  base,
			head:  with(map[string]string{"V3__c.sql": "SELECT 1;"}),
			steps: "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed V3__c.sql:pending",
		},
		{
			name:     "edited deployed migration: base content replayed, finding at first changed line",
			base:     base,
			head:     with(map[string]string{"V2__b.sql": "CREATE TABLE b (id INT);\nALTER TABLE b ADD d INT;\n"}),
			steps:    "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed",
			findings: "edited-migration@2:m/V2__b.sql",
		},
		{
			name:  "changed repeatable runs again, no finding",
			base:  base,
			head:  with(map[string]string{"R__view.sql": "CREATE OR REPLACE VIEW v AS SELECT 2;\n"}),
			steps: "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed R__view.sql:pending",
		},
		{
			name:     "deleted deployed migration is still replayed",
			base:     base,
			head:     with(map[string]string{"V1__a.sql": ""}),
			steps:    "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed",
			findings: "deleted-migration@1:m/V1__a.sql",
		},
		{
			name:     "renamed keeping the version: not run again",
			base:     base,
			head:     with(map[string]string{"V1__a.sql": "", "V1__first.sql": base["V1__a.sql"]}),
			steps:    "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed",
			findings: "deleted-migration@1:m/V1__a.sql",
		},
		{
			name:     "renamed to a new version: runs again",
			base:     base,
			head:     with(map[string]string{"V1__a.sql": "", "V3__a.sql": base["V1__a.sql"]}),
			steps:    "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed V3__a.sql:pending",
			findings: "deleted-migration@1:m/V1__a.sql",
		},
		{
			name:     "out of order",
			base:     base,
			head:     with(map[string]string{"V1.5__late.sql": "SELECT 1;", "V3__ok.sql": "SELECT 1;"}),
			steps:    "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed V1.5__late.sql:pending V3__ok.sql:pending",
			findings: "out-of-order@1:m/V1.5__late.sql",
		},
		{
			name:     "duplicate of a deployed version",
			base:     base,
			head:     with(map[string]string{"V2__other.sql": "SELECT 1;"}),
			steps:    "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed V2__other.sql:pending",
			findings: "duplicate-version@1:m/V2__other.sql",
		},
		{
			name:     "duplicate among pending, written differently",
			base:     base,
			head:     with(map[string]string{"V3__x.sql": "SELECT 1;", "V3.0__y.sql": "SELECT 2;"}),
			steps:    "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed V3.0__y.sql:pending V3__x.sql:pending",
			findings: "duplicate-version@1:m/V3__x.sql",
		},
		{
			name:     "duplicate without base",
			head:     map[string]string{"V1__a.sql": "SELECT 1;", "V01__b.sql": "SELECT 2;"},
			steps:    "V01__b.sql:pending V1__a.sql:pending",
			findings: "duplicate-version@1:m/V1__a.sql",
		},
		{
			name:  "baseline on an empty database covers older versions",
			head:  map[string]string{"V1__a.sql": "x", "V2__b.sql": "x", "B2__base.sql": "x", "V3__c.sql": "x"},
			steps: "V1__a.sql:pending! V2__b.sql:pending! B2__base.sql:pending V3__c.sql:pending",
		},
		{
			name:  "pending baseline does not run over deployed migrations",
			base:  base,
			head:  with(map[string]string{"B2__base.sql": "x"}),
			steps: "V1__a.sql:deployed V2__b.sql:deployed R__view.sql:deployed B2__base.sql:pending!",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b *Set
			if c.base != nil {
				b = set(t, c.base)
			}
			steps, findings := Plan(set(t, c.head), b)
			var gotSteps, gotFindings []string
			for _, s := range steps {
				skip := ""
				if s.Skip != "" {
					skip = "!"
				}
				gotSteps = append(gotSteps, fmt.Sprintf("%s:%s%s", strings.TrimPrefix(s.File.Path, "m/"), s.State, skip))
			}
			for _, f := range findings {
				gotFindings = append(gotFindings, fmt.Sprintf("%s@%d:%s", f.Rule, f.Line, f.File))
				if f.Message == "" || f.Fix == "" || f.Severity != "error" {
					t.Errorf("finding %+v lacks message, fix or error severity", f)
				}
			}
			if got := strings.Join(gotSteps, " "); got != c.steps {
				t.Errorf("steps\n got %s\nwant %s", got, c.steps)
			}
			if got := strings.Join(gotFindings, " "); got != c.findings {
				t.Errorf("findings\n got %s\nwant %s", got, c.findings)
			}
		})
	}
}

func TestPlanReplaysBaseContent(t *testing.T) {
	b := set(t, map[string]string{"V1__a.sql": "old"})
	steps, _ := Plan(set(t, map[string]string{"V1__a.sql": "new"}), b)
	if len(steps) != 1 || string(steps[0].File.Content) != "old" {
		t.Fatalf("steps = %+v", steps)
	}
}
