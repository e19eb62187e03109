package github

import (
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/finding"
)

// TestCheckRunBatches sends 120 findings with a file and two without: the check run goes on the
// pull request's head, is created completed with its conclusion, and takes the annotations in
// batches of at most 50 whose total is 120.
func TestCheckRunBatches(t *testing.T) {
	fake := newFakeGitHub(t)
	h := newHarness(t, fake)
	h.options.CheckRun = true

	fs := findings(120, finding.Warning, finding.Notice, finding.Error)
	fs = append(fs, finding.Finding{Rule: "no-file", Severity: finding.Warning, Message: "nowhere"},
		finding.Finding{Rule: "no-file", Severity: finding.Notice, Message: "nowhere either"})
	h.publish(t, newReport(fs...))

	path := "/repos/acme/shop/check-runs"
	want := []string{"POST " + path, "PATCH " + path + "/101", "PATCH " + path + "/101"}
	if got := fake.calls(); !slices.Equal(got, want) {
		t.Fatalf("requests:\n got %q\nwant %q", got, want)
	}
	reqs := fake.received()
	create := reqs[0].Body
	if create["head_sha"] != headSHA {
		t.Errorf("head_sha = %v, want the pull request head %s (not GITHUB_SHA)", create["head_sha"], headSHA)
	}
	if create["name"] != "schema-guard" || create["status"] != "completed" {
		t.Errorf("create: name %v, status %v", create["name"], create["status"])
	}
	total := 0
	for i, r := range reqs {
		if r.Auth != "Bearer tok" {
			t.Errorf("request %d: Authorization %q", i, r.Auth)
		}
		n := len(annotationsOf(t, r))
		if n > 50 {
			t.Errorf("request %d carries %d annotations, more than 50", i, n)
		}
		total += n
		if first := i == 0; !first && r.Body["status"] != nil {
			t.Errorf("request %d: status %v; only the create sets it", i, r.Body["status"])
		}
	}
	if total != 120 {
		t.Errorf("%d annotations sent, want 120 (the findings with a file)", total)
	}
	if create["conclusion"] != "failure" || create["completed_at"] == nil {
		t.Errorf("create: conclusion %v, completed_at %v", create["conclusion"], create["completed_at"])
	}
	final := reqs[len(reqs)-1].Body
	output := final["output"].(map[string]any)
	if output["title"] != "40 errors, 41 warnings, 41 notices" {
		t.Errorf("title %q", output["title"])
	}
	if s := output["summary"].(string); !strings.Contains(s, "nowhere either") {
		t.Errorf("the summary leaves out the findings without a file:\n%s", s)
	}
	if log := h.log.String(); log != "" {
		t.Errorf("log: %q", log)
	}
}

// annotationsOf returns the annotations a check-run request carries.
func annotationsOf(t *testing.T, r request) []map[string]any {
	t.Helper()
	output, ok := r.Body["output"].(map[string]any)
	if !ok {
		t.Fatalf("%s %s has no output", r.Method, r.Path)
	}
	raw, _ := output["annotations"].([]any)
	out := make([]map[string]any, len(raw))
	for i, a := range raw {
		out[i] = a.(map[string]any)
	}
	return out
}

// TestCheckRunConclusion checks the conclusion at both thresholds and the level of an allowed
// finding.
func TestCheckRunConclusion(t *testing.T) {
	allowed := finding.Finding{Rule: "drop-column", Severity: finding.Error, File: "a.sql", Line: 3, Message: "drops", Allowed: true, Reason: "unused since 2021"}
	warning := finding.Finding{Rule: "no-default", Severity: finding.Warning, File: "a.sql", Line: 5, EndLine: 2, Column: 4, Message: "m"}
	errorF := finding.Finding{Rule: "rename", Severity: finding.Error, File: "a.sql", Line: 9, Message: "m"}
	tests := []struct {
		name   string
		fs     []finding.Finding
		failOn finding.Severity
		want   string
	}{
		{"error", []finding.Finding{errorF}, finding.Error, "failure"},
		{"warning at error", []finding.Finding{warning}, finding.Error, "success"},
		{"warning at warning", []finding.Finding{warning}, finding.Warning, "failure"},
		{"allowed error", []finding.Finding{allowed}, finding.Warning, "success"},
		{"none", nil, finding.Error, "success"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeGitHub(t)
			h := newHarness(t, fake)
			h.options.CheckRun = true
			h.options.FailOn = tt.failOn
			h.publish(t, newReport(tt.fs...))
			reqs := fake.received()
			if len(reqs) != 1 {
				t.Fatalf("requests %q", fake.calls())
			}
			if got := reqs[0].Body["conclusion"]; got != tt.want {
				t.Errorf("conclusion %v, want %s", got, tt.want)
			}
			for _, a := range annotationsOf(t, reqs[0]) {
				if a["end_line"].(float64) < a["start_line"].(float64) {
					t.Errorf("end_line before start_line: %v", a)
				}
				if a["title"] == "drop-column (allowed)" && a["annotation_level"] != "notice" {
					t.Errorf("allowed finding annotated as %v", a["annotation_level"])
				}
			}
		})
	}
}

// TestStickyComment publishes twice against the same fake: the first run creates the comment,
// the second edits it.
func TestStickyComment(t *testing.T) {
	fake := newFakeGitHub(t)
	h := newHarness(t, fake)
	h.options.Comment = true
	rep := newReport(findings(3, finding.Error)...)

	h.publish(t, rep)
	list, create := "GET /repos/acme/shop/issues/7/comments", "POST /repos/acme/shop/issues/7/comments"
	if got := fake.calls(); !slices.Equal(got, []string{list, create}) {
		t.Fatalf("first run: %q", got)
	}
	fake.reset()
	h.publish(t, rep)
	if got := fake.calls(); !slices.Equal(got, []string{list, "PATCH /repos/acme/shop/issues/comments/101"}) {
		t.Fatalf("second run: %q", got)
	}
	if len(fake.comments) != 1 {
		t.Fatalf("%d comments, want 1", len(fake.comments))
	}
	body := fake.comments[0].Body
	if !strings.HasPrefix(body, commentMarker+"\n") || !strings.Contains(body, "finding 2") {
		t.Errorf("comment body:\n%s", body)
	}
}

// TestCommentPagination finds the comment on the second page of comments and edits it.
func TestCommentPagination(t *testing.T) {
	fake := newFakeGitHub(t)
	fake.pageSize = 2
	fake.comments = []fakeComment{
		{ID: 1, Body: "LGTM", UserType: "User"},
		{ID: 2, Body: "please add an index", UserType: "User"},
		{ID: 3, Body: "quoting: the schema-guard report", UserType: "User"},
		{ID: 4, Body: commentMarker + "\nold findings", UserType: "Bot"},
	}
	h := newHarness(t, fake)
	h.options.Comment = true
	h.publish(t, newReport(findings(1, finding.Warning)...))

	got := fake.calls()
	want := []string{
		"GET /repos/acme/shop/issues/7/comments",
		"GET /repos/acme/shop/issues/7/comments",
		"PATCH /repos/acme/shop/issues/comments/4",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("requests:\n got %q\nwant %q", got, want)
	}
	if page := fake.received()[1].Query.Get("page"); page != "2" {
		t.Errorf("second list asked for page %q", page)
	}
	if strings.Contains(fake.comments[3].Body, "old findings") {
		t.Error("the comment was not edited")
	}
}

// TestCleanRunComment: a clean run creates no comment, but corrects an earlier one.
func TestCleanRunComment(t *testing.T) {
	fake := newFakeGitHub(t)
	h := newHarness(t, fake)
	h.options.Comment = true

	h.publish(t, newReport())
	if got := fake.calls(); !slices.Equal(got, []string{"GET /repos/acme/shop/issues/7/comments"}) {
		t.Fatalf("clean run without a comment: %q", got)
	}

	fake.comments = []fakeComment{{ID: 9, Body: commentMarker + "\n1 error", UserType: "Bot"}}
	fake.reset()
	h.publish(t, newReport())
	if got := fake.calls(); len(got) != 2 || got[1] != "PATCH /repos/acme/shop/issues/comments/9" {
		t.Fatalf("clean run with a comment: %q", got)
	}
	if body := fake.comments[0].Body; !strings.Contains(body, "No findings") {
		t.Errorf("comment not updated to clean:\n%s", body)
	}
}

// TestPushEvent: without a pull request the check run goes on GITHUB_SHA and no comment is made.
func TestPushEvent(t *testing.T) {
	fake := newFakeGitHub(t)
	h := newHarness(t, fake)
	h.options.CheckRun, h.options.Comment = true, true
	delete(h.env, "GITHUB_EVENT_PATH")
	h.publish(t, newReport(findings(2, finding.Error)...))

	reqs := fake.received()
	if len(reqs) != 1 || reqs[0].Body["head_sha"] != mergeSHA {
		t.Fatalf("requests %q, first body %v", fake.calls(), reqs[0].Body)
	}
}

// TestCheckRunAndComment: the comment links the check run made before it.
func TestCheckRunAndComment(t *testing.T) {
	fake := newFakeGitHub(t)
	h := newHarness(t, fake)
	h.options.CheckRun, h.options.Comment = true, true
	h.publish(t, newReport(findings(12, finding.Error)...))

	if got := fake.calls(); len(got) != 3 || got[2] != "POST /repos/acme/shop/issues/7/comments" {
		t.Fatalf("requests %q", got)
	}
	if body := fake.comments[0].Body; !strings.Contains(body, "https://github.example/acme/shop/runs/101") {
		t.Errorf("comment does not link the check run:\n%s", body)
	}
	if out := h.out.String(); !strings.Contains(out, "the check run schema-guard (https://github.example/acme/shop/runs/101) lists all 12") {
		t.Errorf("the left-out notice does not point to the check run:\n%s", out)
	}
}

// TestNoToken makes no API call at all.
func TestNoToken(t *testing.T) {
	fake := newFakeGitHub(t)
	h := newHarness(t, fake)
	h.options.Token = ""
	h.options.CheckRun, h.options.Comment = true, true
	h.publish(t, newReport(findings(3, finding.Error)...))
	if got := fake.calls(); len(got) != 0 {
		t.Errorf("requests without a token: %q", got)
	}
	if !strings.Contains(h.out.String(), "::error ") {
		t.Error("no annotations")
	}
}
