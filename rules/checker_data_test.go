package rules

import (
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/facts"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

// The rules below judge what the checker measured (the parser's failure, the copier's dry run,
// the probes), handed over as plain data.

func TestOpaqueStatement(t *testing.T) {
	r, _ := NewRegistry(nil)
	st := &facts.Statement{File: "db/V2__t.sql", Line: 3, Text: "CREATE TRIGGER …", ParseError: "line 1 column 14 near \"TRIGGER\""}
	fs := r.CheckStatement(&Context{Statement: st})
	if len(fs) != 1 || fs[0].Rule != finding.OpaqueStatement || fs[0].Severity != finding.Notice || fs[0].File != st.File || fs[0].Line != 3 ||
		!strings.Contains(fs[0].Message, st.ParseError) {
		t.Fatalf("opaque statement: %s", dump(fs))
	}
	if fs := r.CheckStatement(&Context{Statement: parseOne(t, "SELECT 1")}); len(fs) != 0 {
		t.Errorf("a parsed statement: %s", dump(fs))
	}
	off, _ := NewRegistry(map[string]string{"opaque-statement": "off"})
	if fs := off.CheckStatement(&Context{Statement: st}); len(fs) != 0 {
		t.Errorf("turned off: %s", dump(fs))
	}
}

func TestCopierVerdicts(t *testing.T) {
	r, _ := NewRegistry(nil)
	st := parseOne(t, "ALTER TABLE users ADD UNIQUE KEY uq (surname)")
	online := &schema.Online{Algorithm: "INPLACE", Lock: "NONE"}
	cases := []struct {
		name   string
		v      DryRun
		online *schema.Online
		want   finding.RuleID
		sev    finding.Severity
		text   string
	}{
		{"lossless", DryRun{Verdict: Lossless}, nil, "", "", ""},
		{"lossy", DryRun{Verdict: Lossy, SampleRows: 100, RowsLost: 2, Examples: []string{"id=1", "id=2"}, Detail: "d"}, nil, finding.CopierDataLoss, finding.Error, "loses 2 rows, adds 0 and changes 0 compared with the plain ALTER (id=1, id=2)"},
		{"failed", DryRun{Verdict: Failed, Detail: "boom\nmore"}, nil, finding.CopierFailed, finding.Error, "failed in the dry run: boom"},
		{"refused", DryRun{Verdict: Refused, Detail: "the copier refuses: no key"}, nil, finding.CopierRefused, finding.Warning, "would refuse this change of `users`: no key"},
		{"refused before the copy, blocking", DryRun{Verdict: Refused, BeforeCopy: true, Detail: "x"}, &schema.Online{Algorithm: "COPY", Lock: "SHARED"}, finding.CopierRefused, finding.Warning, "would refuse"},
		{"refused before the copy, online anyway", DryRun{Verdict: Refused, BeforeCopy: true, Detail: "x"}, online, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.v.Table = "users"
			fs := r.CheckStatement(&Context{Statement: st, DryRun: &tc.v, Online: tc.online})
			if tc.want == "" {
				if len(fs) != 0 {
					t.Fatalf("want none: %s", dump(fs))
				}
				return
			}
			if len(fs) != 1 || fs[0].Rule != tc.want || fs[0].Severity != tc.sev || fs[0].Table != "users" || !strings.Contains(fs[0].Message, tc.text) {
				t.Fatalf("want %s %s %q: %s", tc.want, tc.sev, tc.text, dump(fs))
			}
		})
	}
}

func TestOldAppBreak(t *testing.T) {
	r, _ := NewRegistry(nil)
	fail := []ProbeFailure{{Table: "users", SQL: "INSERT INTO users (id) VALUES (1)", Number: 1364, Message: "Field 'phone' doesn't have a default value"}}
	add := parseOne(t, "ALTER TABLE users ADD COLUMN phone varchar(10) NOT NULL")
	after := usersWith("phone", col("phone", "varchar(10)", notNull))

	// Alone: an old-app-break finding with the evidence.
	fs := r.CheckStatement(&Context{Statement: parseOne(t, "SELECT 1"), ProbeFailures: fail})
	if len(fs) != 1 || fs[0].Rule != finding.OldAppBreak || fs[0].Severity != finding.Error || len(fs[0].Evidence) != 1 ||
		fs[0].Evidence[0].Error != "Error 1364: Field 'phone' doesn't have a default value" || !strings.Contains(fs[0].Message, "on `users` fail (Error 1364") {
		t.Fatalf("alone: %s", dump(fs))
	}
	// With a compatibility rule's finding on the same table: the evidence joins it.
	ctx := &Context{Statement: add, Deployed: sch(users()), Before: sch(users()), After: sch(after), Deprecated: NewDeprecated(nil), ProbeFailures: fail}
	fs = r.CheckStatement(ctx)
	if len(fs) != 1 || fs[0].Rule != finding.NotNullWithoutDefault || len(fs[0].Evidence) != 1 {
		t.Fatalf("joined: %s", dump(fs))
	}
	// That rule turned off: the break is reported on its own.
	off, _ := NewRegistry(map[string]string{"not-null-without-default": "off"})
	ctx.changes = nil
	if fs := off.CheckStatement(ctx); len(fs) != 1 || fs[0].Rule != finding.OldAppBreak {
		t.Fatalf("rule off: %s", dump(fs))
	}
	// An availability finding never takes the evidence.
	ctx2 := &Context{Statement: add, Deployed: sch(users()), Online: &schema.Online{Algorithm: "COPY", Lock: "SHARED"}, ProbeFailures: fail}
	fs = r.CheckStatement(ctx2)
	if len(fs) != 2 || fs[0].Rule != finding.BlockingDDL || len(fs[0].Evidence) != 0 || fs[1].Rule != finding.OldAppBreak {
		t.Fatalf("blocking: %s", dump(fs))
	}
}
