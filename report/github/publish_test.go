package github

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/report"
)

// TestAnnotationLimits: GitHub shows 10 annotations of each level per step, so 10 errors, 10
// warnings and, with the left-out notice taking the last notice slot, 9 notices are written,
// then one notice with the number left out.
func TestAnnotationLimits(t *testing.T) {
	var fs []finding.Finding
	fs = append(fs, findings(15, finding.Error)...)
	fs = append(fs, findings(12, finding.Warning)...)
	fs = append(fs, findings(11, finding.Notice)...)
	allowed := findings(2, finding.Error)
	for i := range allowed {
		allowed[i].Allowed, allowed[i].Reason = true, "backfilled"
	}
	fs = append(fs, allowed...)

	h := newHarness(t, nil)
	h.options.Token = ""
	h.publish(t, newReport(fs...))

	lines := strings.Split(strings.TrimSuffix(h.out.String(), "\n"), "\n")
	count := map[string]int{}
	for _, l := range lines {
		command, _, _ := strings.Cut(l, " ")
		if strings.HasPrefix(l, "::notice::") {
			command = "::notice::"
		}
		count[command]++
	}
	if count["::error"] != 10 || count["::warning"] != 10 || count["::notice"] != 9 || count["::notice::"] != 1 {
		t.Errorf("annotation counts %v, want 10 errors, 10 warnings, 9 notices and the left-out notice", count)
	}
	// 5 errors, 2 warnings and 13 - 9 notices (the allowed errors are notices) are left out.
	want := "::notice::schema-guard: 11 more findings not annotated here (GitHub shows 10 annotations of each level per step); the job summary lists all 40"
	if last := lines[len(lines)-1]; last != want {
		t.Errorf("last line:\n got %q\nwant %q", last, want)
	}
	if !strings.Contains(h.out.String(), ",title=rule-0 (allowed)::finding 0%0AAllowed (error): backfilled") {
		t.Errorf("allowed findings are not notices marked allowed:\n%s", h.out.String())
	}
}

// TestAnnotationEscaping: newlines, percent signs, commas and colons are escaped as workflow
// commands require; a finding without a file has no position.
func TestAnnotationEscaping(t *testing.T) {
	h := newHarness(t, nil)
	h.options.Token = ""
	h.publish(t, newReport(
		finding.Finding{Rule: "lock:table", Severity: finding.Error, File: "db/a,b.sql", Line: 4, EndLine: 6, Column: 3,
			Message: "ALTER TABLE t, u locks\r\n100% of writes", Fix: "use ALGORITHM=INPLACE, LOCK=NONE"},
		finding.Finding{Rule: "drift", Severity: finding.Warning, Message: "table t: extra column"},
	))
	want := "::warning title=drift::table t: extra column\n" +
		"::error col=3,endLine=6,file=db/a%2Cb.sql,line=4,title=lock%3Atable::ALTER TABLE t, u locks%0D%0A100%25 of writes%0AFix: use ALGORITHM=INPLACE, LOCK=NONE\n"
	if got := h.out.String(); got != want {
		t.Errorf("workflow commands:\n got %q\nwant %q", got, want)
	}
}

// TestOutputs: the counts leave allowed findings out; the file holds go-githubactions' heredoc
// form.
func TestOutputs(t *testing.T) {
	fs := append(findings(3, finding.Error, finding.Warning), finding.Finding{Rule: "r", Severity: finding.Error, Allowed: true, Message: "m"})
	h := newHarness(t, nil)
	h.options.Token = ""
	h.options.ReportPath = "schema-guard.json"
	h.publish(t, newReport(fs...))

	const d = "_GitHubActionsFileCommandDelimeter_"
	want := "errors<<" + d + "\n2\n" + d + "\n" +
		"warnings<<" + d + "\n1\n" + d + "\n" +
		"report<<" + d + "\nschema-guard.json\n" + d + "\n"
	if got := h.file(t, "output"); got != want {
		t.Errorf("outputs:\n got %q\nwant %q", got, want)
	}
}

// longFindings are n findings with long messages and fixes, as a large migration might produce.
func longFindings(n int) []finding.Finding {
	fs := findings(n, finding.Error, finding.Warning, finding.Notice)
	for i := range fs {
		fs[i].Message = fmt.Sprintf("finding %d: %s", i, strings.Repeat("the column | is dropped\nwhile <old> code reads it & ", 40))
		fs[i].Fix = strings.Repeat("ALTER TABLE t ADD COLUMN c INT; ", 20)
	}
	return fs
}

// tableRows counts the findings table's rows and reads the number its left-out line gives.
func tableRows(t *testing.T, md string) (rows, leftOut int) {
	t.Helper()
	rows = len(regexp.MustCompile(`(?m)^\| (error|warning|notice|allowed \w+) \| `).FindAllString(md, -1))
	m := regexp.MustCompile(`_… and (\d+) more findings, left out`).FindStringSubmatch(md)
	if m == nil {
		t.Fatalf("no left-out line in:\n%.2000s", md)
	}
	leftOut, _ = strconv.Atoi(m[1])
	return rows, leftOut
}

// TestSummaryLimit: 20,000 long findings leave the job summary under GitHub's 1 MiB, with a line
// saying how many rows were left out and where they are.
func TestSummaryLimit(t *testing.T) {
	rep := newReport(longFindings(20000)...)
	rep.Drift = []report.Drift{{Object: "table orders", Kind: "table", Change: "different", Fix: "ALTER TABLE orders …"}}
	rep.Copier = []report.Copier{{File: "V1.sql", Line: 3, Table: "orders", Verdict: "lossy", RowsPerSecond: 52000, RowsLost: 2, EstimatedSeconds: 3720, ProductionRows: 190000000}}
	h := newHarness(t, nil)
	h.options.Token = ""
	h.options.ReportPath = "out/schema-guard.json"
	h.publish(t, rep)

	md := h.file(t, "summary.md")
	if len(md) > 1_000_001 { // the limit, and the newline go-githubactions adds
		t.Fatalf("summary is %d bytes", len(md))
	}
	rows, left := tableRows(t, md)
	if rows+left != 20000 || rows < 100 {
		t.Errorf("%d rows + %d left out, want 20000 in all", rows, left)
	}
	for _, want := range []string{"the JSON report out/schema-guard.json lists them all", "| `orders` | `V1.sql:3` | lossy | 52000 | 2 / 0 / 0 | 1h2m0s for 190000000 rows |", "table orders", "#### Timings"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary misses %q", want)
		}
	}
}

// TestCommentLimit: the comment body of 20,000 findings fits GitHub's 65,536 characters and
// starts with the marker.
func TestCommentLimit(t *testing.T) {
	body := commentBody(newReport(longFindings(20000)...), finding.Error, "https://github.example/runs/1")
	if n := utf8.RuneCountInString(body); n > commentLimit {
		t.Fatalf("comment has %d characters", n)
	}
	if !strings.HasPrefix(body, commentMarker+"\n") {
		t.Errorf("comment does not start with the marker: %.100q", body)
	}
	if rows, left := tableRows(t, body); rows+left != 20000 {
		t.Errorf("%d rows + %d left out, want 20000 in all", rows, left)
	}
	summary := markdown(newReport(longFindings(20000)...), mdOptions{Limit: checkSummaryLimit})
	if n := utf8.RuneCountInString(summary); n > checkSummaryLimit {
		t.Errorf("check run summary has %d characters", n)
	}
}

// TestMarkdownCells: a pipe or a newline stays inside its cell.
func TestMarkdownCells(t *testing.T) {
	md := markdown(newReport(finding.Finding{Rule: "r", Severity: finding.Warning, File: "a.sql", Line: 2, Column: 5,
		Message: "a | b\nc < d"}), mdOptions{Limit: 10000, FailOn: finding.Error})
	if !strings.Contains(md, "| warning | `r` | `a.sql:2:5` | a \\| b<br>c &lt; d |\n") {
		t.Errorf("row not escaped:\n%s", md)
	}
	if !strings.Contains(md, "✅ passed") || !strings.Contains(md, "**1 warning**") {
		t.Errorf("heading:\n%s", md)
	}
}

// TestUnusableEnvironment: a step summary or output file that cannot be written is an error.
func TestUnusableEnvironment(t *testing.T) {
	for _, name := range []string{"GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.options.Token = ""
			h.env[name] = h.dir // a directory cannot be opened for writing
			err := Publish(context.Background(), newReport(findings(1, finding.Error)...), h.options)
			if err == nil {
				t.Fatal("Publish succeeded")
			}
			if !strings.Contains(h.out.String(), "::error ") {
				t.Error("annotations were not written")
			}
		})
	}
}

// TestOutsideActions: with no GITHUB_* variables only the annotations are written.
func TestOutsideActions(t *testing.T) {
	h := newHarness(t, nil)
	h.env = map[string]string{}
	h.publish(t, newReport(findings(1, finding.Error)...))
	if !strings.HasPrefix(h.out.String(), "::error ") {
		t.Errorf("out %q", h.out.String())
	}
}

func TestFailed(t *testing.T) {
	warning := finding.Finding{Severity: finding.Warning}
	allowedError := finding.Finding{Severity: finding.Error, Allowed: true}
	tests := []struct {
		fs     []finding.Finding
		failOn finding.Severity
		want   bool
	}{
		{nil, finding.Error, false},
		{[]finding.Finding{{Severity: finding.Error}}, finding.Error, true},
		{[]finding.Finding{{Severity: finding.Error}}, "", true},
		{[]finding.Finding{warning}, finding.Error, false},
		{[]finding.Finding{warning}, "", false},
		{[]finding.Finding{warning}, finding.Warning, true},
		{[]finding.Finding{{Severity: finding.Notice}}, finding.Warning, false},
		{[]finding.Finding{allowedError}, finding.Warning, false},
	}
	for i, tt := range tests {
		if got := Failed(&report.Report{Findings: tt.fs}, tt.failOn); got != tt.want {
			t.Errorf("%d: Failed(%v, %q) = %v", i, tt.fs, tt.failOn, got)
		}
	}
}
