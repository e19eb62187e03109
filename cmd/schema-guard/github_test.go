package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// prRepo is a repository whose main branch deployed a users table and whose branch "change"
// adds V2 with an error finding on line 1 (not-null-without-default) and a warning on line 2
// (add-unique), and edits nothing else. It returns the directory and main's commit.
func prRepo(t *testing.T) (dir, base string) {
	t.Helper()
	dir, git := testenv.GitRepo(t)
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__users.sql"),
		"CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NULL);\n")
	testenv.WriteFile(t, filepath.Join(dir, ".schema-guard.yaml"), "copier: false\n")
	git("add", "-A")
	git("commit", "-qm", "deployed")
	base = git("rev-parse", "HEAD")
	git("checkout", "-qb", "change")
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V2__change.sql"),
		"ALTER TABLE users ADD COLUMN plan VARCHAR(10) NOT NULL;\nALTER TABLE users ADD UNIQUE KEY uq_email (email);\n")
	git("add", "-A")
	git("commit", "-qm", "change")
	return dir, base
}

// actionsEnv sets the variables GitHub Actions sets for a pull request and returns the paths of
// the summary and output files.
func actionsEnv(t *testing.T, dir, base string) (summary, outputs string) {
	t.Helper()
	tmp := t.TempDir()
	event := filepath.Join(tmp, "event.json")
	testenv.WriteFile(t, event, `{"pull_request": {"number": 7, "base": {"sha": "`+base+`"}, "head": {"sha": "`+strings.Repeat("2", 40)+`"}}}`)
	summary, outputs = filepath.Join(tmp, "summary.md"), filepath.Join(tmp, "outputs")
	for k, v := range map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": event, "GITHUB_EVENT_NAME": "pull_request",
		"GITHUB_REPOSITORY": "acme/shop", "GITHUB_SHA": strings.Repeat("1", 40), "GITHUB_WORKSPACE": dir,
		"GITHUB_STEP_SUMMARY": summary, "GITHUB_OUTPUT": outputs, "RUNNER_TEMP": tmp,
		// No token: no API calls, annotations and summary only.
		"GITHUB_TOKEN": "", "INPUT_GITHUB-TOKEN": "",
	} {
		t.Setenv(k, v)
	}
	return summary, outputs
}

var annotationLine = regexp.MustCompile(`(?m)^::(error|warning|notice) [^:]*?file=([^,]+),line=(\d+)`)

func TestOutputGitHub(t *testing.T) { testenv.EachServer(t, testOutputGitHub) }

func testOutputGitHub(t *testing.T, _ testenv.Server) {
	dsn := testenv.DSN(t)
	dir, base := prRepo(t)
	summary, outputs := actionsEnv(t, dir, base)

	// GITHUB_ACTIONS=true chooses the github output.
	code, stdout, stderr := runCLI(t, dir, "check", "-q", "--dsn", dsn)
	if code != exitFindings {
		t.Fatalf("exit %d, want 1; stderr %q", code, stderr)
	}
	got := map[string]string{}
	for _, m := range annotationLine.FindAllStringSubmatch(stdout, -1) {
		got[m[1]] = m[2] + ":" + m[3]
	}
	if got["error"] != "db/migrations/V2__change.sql:1" || got["warning"] != "db/migrations/V2__change.sql:2" {
		t.Errorf("annotations %v in:\n%s", got, stdout)
	}
	sum, err := os.ReadFile(summary)
	if err != nil || !strings.Contains(string(sum), "not-null-without-default") {
		t.Errorf("job summary: %v\n%s", err, sum)
	}
	out, err := os.ReadFile(outputs)
	if err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(os.Getenv("RUNNER_TEMP"), reportFileName)
	for _, want := range []string{"errors<<", "\n1\n", "warnings<<", "report<<", report} {
		if !strings.Contains(string(out), want) {
			t.Errorf("outputs lack %q:\n%s", want, out)
		}
	}
	var rep struct {
		Summary struct{ Errors, Warnings int }
	}
	if data, err := os.ReadFile(report); err != nil || json.Unmarshal(data, &rep) != nil || rep.Summary.Errors != 1 {
		t.Errorf("JSON report %s: %v %+v", report, err, rep)
	}

	// fail-on warning fails without the error finding too; --diff-only keeps both (both lines
	// are new).
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V2__change.sql"), "ALTER TABLE users ADD UNIQUE KEY uq_email (email);\n")
	if code, _, stderr := runCLI(t, dir, "check", "-q", "--dsn", dsn, "--output", "json"); code != exitOK {
		t.Errorf("a warning alone: exit %d, want 0; %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, dir, "check", "-q", "--dsn", dsn, "--output", "json", "--fail-on", "warning"); code != exitFindings {
		t.Errorf("a warning with --fail-on warning: exit %d, want 1; %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, dir, "check", "-q", "--dsn", dsn, "--fail-on", "notice"); code != exitFailure || !strings.Contains(stderr, "--fail-on") {
		t.Errorf("--fail-on notice: exit %d, stderr %q", code, stderr)
	}
}

// TestDiffOnly: a misnamed file on the base branch is an ignored-file warning on every pull
// request; with --diff-only only what the pull request wrote is reported.
func TestDiffOnly(t *testing.T) { testenv.EachServer(t, testDiffOnly) }

func testDiffOnly(t *testing.T, _ testenv.Server) {
	dsn := testenv.DSN(t)
	dir, git := testenv.GitRepo(t)
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__users.sql"),
		"CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100) NULL);\n")
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V3_misnamed.sql"), "SELECT 1;\n")
	testenv.WriteFile(t, filepath.Join(dir, ".schema-guard.yaml"), "copier: false\n")
	git("add", "-A")
	git("commit", "-qm", "deployed")
	git("checkout", "-qb", "change")
	// Uncommitted, as in a pre-commit hook: the working tree counts.
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V2__change.sql"), "ALTER TABLE users ADD COLUMN plan VARCHAR(10) NOT NULL;\n")

	rules := func(args ...string) []string {
		t.Helper()
		code, stdout, stderr := runCLI(t, dir, append([]string{"check", "-q", "--dsn", dsn, "--output", "json", "--base", "main"}, args...)...)
		if code != exitFindings {
			t.Fatalf("exit %d, want 1; stderr %q", code, stderr)
		}
		var rep struct{ Findings []struct{ Rule string } }
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range rep.Findings {
			out = append(out, f.Rule)
		}
		return out
	}
	if got := strings.Join(rules(), " "); got != "not-null-without-default ignored-file" {
		t.Errorf("without --diff-only: %s", got)
	}
	if got := strings.Join(rules("--diff-only"), " "); got != "not-null-without-default" {
		t.Errorf("with --diff-only: %s", got)
	}
}

// TestActionInputs runs the action command as GitHub runs it: inputs in INPUT_* variables.
func TestActionInputs(t *testing.T) { testenv.EachServer(t, testActionInputs) }

func testActionInputs(t *testing.T, _ testenv.Server) {
	dsn := testenv.DSN(t)
	dir, base := prRepo(t)
	actionsEnv(t, dir, base)
	sarif := filepath.Join(t.TempDir(), "out.sarif")
	t.Setenv("INPUT_DSN", dsn)
	t.Setenv("INPUT_FAIL-ON", "error")
	t.Setenv("INPUT_SARIF-FILE", sarif)
	t.Setenv("INPUT_COMMENT", "true")
	code, stdout, stderr := runCLI(t, dir, "action")
	if code != exitFindings || !annotationLine.MatchString(stdout) {
		t.Errorf("exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	var log struct {
		Version string
		Runs    []struct {
			Results []struct{ RuleID string }
		}
	}
	if data, err := os.ReadFile(sarif); err != nil || json.Unmarshal(data, &log) != nil || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 2 {
		t.Errorf("SARIF file: %v %+v", err, log)
	}

	t.Setenv("INPUT_COMMENT", "maybe")
	if code, _, stderr := runCLI(t, dir, "action"); code != exitFailure || !strings.Contains(stderr, "action input comment") {
		t.Errorf("bad boolean input: exit %d, stderr %q", code, stderr)
	}
}

// TestDefaultReportPath: a Docker action's RUNNER_TEMP names a host directory its container does
// not have; the report then goes to the workspace, by a path the job's later steps share.
func TestDefaultReportPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RUNNER_TEMP", dir)
	if got := defaultReportPath(); got != filepath.Join(dir, reportFileName) {
		t.Errorf("with RUNNER_TEMP there: %s", got)
	}
	t.Setenv("RUNNER_TEMP", filepath.Join(dir, "not-mounted"))
	if got := defaultReportPath(); got != reportFileName {
		t.Errorf("with RUNNER_TEMP missing: %s, want the relative %s", got, reportFileName)
	}
}
