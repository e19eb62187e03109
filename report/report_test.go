package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/finding"
)

func sample() *Report {
	r := New()
	r.Engine = Engine{Kind: "dsn", Flavor: "mariadb", ServerVersion: "10.11.6"}
	r.Source = Source{Dir: "db/migrations", Format: "flyway", BaseRef: "merge-base with main", BaseSHA: "0123456789abcdef", Schema: "db/schema"}
	r.Drift = []Drift{{Object: "users.email", Kind: "column", Change: "different"}}
	r.Migrations = []Migration{
		{File: "db/migrations/V1__a.sql", Version: "1", State: "deployed", Applied: true, Statements: 2},
		{File: "db/migrations/V2__b.sql", Version: "2", State: "pending", Applied: false, Statements: 1},
	}
	r.Add(
		finding.Finding{Rule: "replay-failed", Severity: finding.Error, File: "db/migrations/V2__b.sql", Line: 4, Column: 3,
			Message: "statement failed", Fix: "line one\nline two"},
		finding.Finding{Rule: "ignored-file", Severity: finding.Warning, File: "db/migrations/V2_x.sql", Line: 1, Message: "not a name"},
		finding.Finding{Rule: "edited-migration", Severity: finding.Error, File: "db/migrations/V1__a.sql", Line: 2, Message: "edited"},
		finding.Finding{Rule: "skipped-statement", Severity: finding.Notice, File: "db/migrations/V2__b.sql", Line: 1, Message: "USE"},
	)
	r.Finish()
	return r
}

func TestFinishSortsAndCounts(t *testing.T) {
	r := sample()
	var order []string
	for _, f := range r.Findings {
		order = append(order, f.Pos())
	}
	want := "db/migrations/V1__a.sql:2 db/migrations/V2__b.sql:1 db/migrations/V2__b.sql:4:3 db/migrations/V2_x.sql:1"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("order %s\nwant  %s", got, want)
	}
	if r.Summary != (Summary{Errors: 2, Warnings: 1, Notices: 1}) || !r.Failed() {
		t.Errorf("summary = %+v, failed = %v", r.Summary, r.Failed())
	}
	clean := New()
	clean.Finish()
	if clean.Failed() {
		t.Error("an empty report failed")
	}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, sample(), false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"mariadb 10.11.6 (dsn) · flyway · db/migrations",
		"base 0123456789ab (merge-base with main)",
		"declared schema db/schema: 1 difference",
		"\ndb/migrations/V2__b.sql\n  1       notice  skipped-statement  USE\n  4:3     error   replay-failed  statement failed\n          fix: line one\n          line two\n",
		"2 migrations (1 deployed, 1 pending), 1 applied, 3 statements",
		"✗ 2 errors, 1 warning, 1 notice",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour without a terminal")
	}
	b.Reset()
	WriteText(&b, sample(), true)
	if !strings.Contains(b.String(), red+"error  "+reset) {
		t.Errorf("no colour when asked:\n%q", b.String())
	}
}

func TestWriteJSONIsStable(t *testing.T) {
	var b bytes.Buffer
	r := New()
	r.Finish()
	if err := Write(&b, r, JSON, true); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	// Empty lists are [] rather than null, so consumers can iterate without checks.
	for _, key := range []string{"migrations", "findings", "drift", "copier"} {
		if v, ok := m[key].([]any); !ok || len(v) != 0 {
			t.Errorf("%s = %#v, want []", key, m[key])
		}
	}
	if m["version"] != float64(FormatVersion) || strings.Contains(b.String(), "\x1b[") {
		t.Errorf("json = %s", b.String())
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"": Text, "text": Text, "JSON": JSON, "sarif": SARIF, "GitHub": GitHub} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("xml must be refused")
	}
}

func TestAbbreviate(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT `a` FROM `t`":                                               "SELECT `a` FROM `t`",
		"INSERT INTO t VALUES ('short', 42)":                                "INSERT INTO t VALUES ('short', 42)",
		"UPDATE t SET a = '" + strings.Repeat("z", 100) + "'":               "UPDATE t SET a = 'zzzzzzzzzzzz…(100 characters)'",
		"INSERT INTO t VALUES ('" + strings.Repeat("😀", 40) + "', 'it''s')": "INSERT INTO t VALUES ('😀😀😀😀😀😀😀😀😀😀😀😀…(40 characters)', 'it''s')",
		"SET c = '1970-01-01 00:00:01'":                                     "SET c = '1970-01-01 00:00:01'",
		"x = 'unterminated":                                                 "x = 'unterminated'",
	} {
		if got := abbreviate(in); got != want {
			t.Errorf("abbreviate(%q) = %q, want %q", in, got, want)
		}
	}
}
