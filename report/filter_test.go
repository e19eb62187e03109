package report_test

import (
	"slices"
	"testing"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/report"
)

func TestAlwaysReportedMatchesTheProducers(t *testing.T) {
	want := []finding.RuleID{
		finding.Drift, finding.SeedDrift,
		finding.EditedMigration, finding.DeletedMigration, finding.OutOfOrder, finding.DuplicateVersion,
		finding.ChecksumMismatch, finding.ReplayFailed, finding.ForeignDatabase,
	}
	for _, id := range want {
		if !report.AlwaysReported[id] {
			t.Errorf("AlwaysReported lacks %s", id)
		}
	}
	for id := range report.AlwaysReported {
		if !slices.Contains(want, id) {
			t.Errorf("AlwaysReported has %s, which no producer declares", id)
		}
	}
}

func TestKeepChanged(t *testing.T) {
	// The change touched lines 3 and 10 of a.sql, and b.sql only by removing lines elsewhere.
	changed := map[string][]int{"a.sql": {3, 10}, "b.sql": {}}
	has := func(file string, line int) bool {
		lines, ok := changed[file]
		if line == 0 {
			return ok
		}
		return slices.Contains(lines, line)
	}
	f := func(rule string, sev finding.Severity, file string, line, endLine int) finding.Finding {
		return finding.Finding{Rule: finding.RuleID(rule), Severity: sev, File: file, Line: line, EndLine: endLine, Message: rule}
	}
	r := report.New()
	r.Add(
		f("drop-column", finding.Error, "a.sql", 3, 0),          // on a changed line
		f("blocking-ddl", finding.Notice, "a.sql", 8, 11),       // spans changed line 10
		f("narrow-type", finding.Error, "a.sql", 5, 6),          // untouched lines
		f("rename-column", finding.Error, "c.sql", 3, 0),        // untouched file
		f("ignored-file", finding.Warning, "b.sql", 0, 0),       // whole file, which changed
		f("client-command", finding.Error, "b.sql", 2, 0),       // a line of a changed file, not changed
		f("edited-migration", finding.Error, "c.sql", 7, 0),     // history: always
		f("deleted-migration", finding.Error, "gone.sql", 1, 0), // history: always
		f("drift", finding.Error, "schema/users.sql", 4, 0),     // drift: always
		f("replay-failed", finding.Error, "c.sql", 2, 0),        // replay: always
		f("old-app-break", finding.Error, "", 0, 0),             // no file: always
	)
	allowed := f("add-unique", finding.Error, "c.sql", 9, 0)
	allowed.Allowed, allowed.Reason = true, "checked"
	r.Add(allowed) // allowed, untouched: dropped like any other
	r.Finish()

	if dropped := r.KeepChanged(has); dropped != 4 {
		t.Errorf("dropped %d, want 4", dropped)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, string(f.Rule))
	}
	want := []string{"old-app-break", "ignored-file", "drop-column", "blocking-ddl", "edited-migration", "replay-failed", "deleted-migration", "drift"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("kept %v\nwant %v", got, want)
	}
	if r.Summary != (report.Summary{Errors: 6, Warnings: 1, Notices: 1}) {
		t.Errorf("summary = %+v", r.Summary)
	}

	// Nothing changed: only what is always reported stays, and an empty report stays empty.
	none := func(string, int) bool { return false }
	r.KeepChanged(none)
	if len(r.Findings) != 5 || !r.Failed() {
		t.Errorf("after an empty diff: %d findings, failed %v", len(r.Findings), r.Failed())
	}
	empty := report.New()
	if dropped := empty.KeepChanged(none); dropped != 0 || len(empty.Findings) != 0 || empty.Findings == nil {
		t.Errorf("empty report: dropped %d, findings %v", dropped, empty.Findings)
	}
}
