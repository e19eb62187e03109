package github

import (
	"context"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/report"
)

// checkName is the name of the check run, as the pull request's checks list shows it.
const checkName = "schema-guard"

// Limits of the Checks API.
const (
	annotationsPerRequest = 50    // annotations accepted by one create or update
	checkSummaryLimit     = 65535 // characters of output.summary
	annotationTextLimit   = 65535 // characters of an annotation's message and raw_details
	annotationTitleLimit  = 255   // characters of an annotation's title
)

// createCheckRun creates the check run on t.sha with every finding that has a file as an
// annotation. The Checks API takes at most 50 annotations a request and appends those of each
// update to the ones already there. The run is created completed, with its conclusion and the
// first 50, and updated with the rest: a run created in progress would stay in progress for
// good if an update failed, and a required check stuck there blocks the merge.
func createCheckRun(ctx context.Context, client *gh.Client, t target, rep *report.Report, failOn finding.Severity) (*gh.CheckRun, error) {
	title := tally(rep.Findings).String()
	summary := markdown(rep, mdOptions{
		Limit:     checkSummaryLimit,
		FailOn:    failOn,
		Elsewhere: "the annotations of this check run",
	})
	output := func(batch []*gh.CheckRunAnnotation) *gh.CheckRunOutput {
		return &gh.CheckRunOutput{Title: gh.String(title), Summary: gh.String(summary), Annotations: batch}
	}
	conclusion := "success"
	if Failed(rep, failOn) {
		conclusion = "failure"
	}

	annotations := checkAnnotations(rep.Findings)
	first := annotations[:min(len(annotations), annotationsPerRequest)]
	rest := annotations[len(first):]
	now := &gh.Timestamp{Time: time.Now()}
	run, _, err := client.Checks.CreateCheckRun(ctx, t.owner, t.repo, gh.CreateCheckRunOptions{
		Name:        checkName,
		HeadSHA:     t.sha,
		Status:      gh.String("completed"),
		Conclusion:  gh.String(conclusion),
		StartedAt:   now,
		CompletedAt: now,
		Output:      output(first),
	})
	if err != nil {
		return nil, &step{"creating the check run", err}
	}
	for len(rest) > 0 {
		batch := rest[:min(len(rest), annotationsPerRequest)]
		update := gh.UpdateCheckRunOptions{Name: checkName, Output: output(batch)}
		if _, _, err := client.Checks.UpdateCheckRun(ctx, t.owner, t.repo, run.GetID(), update); err != nil {
			return nil, &step{"adding annotations to the check run", err}
		}
		rest = rest[len(batch):]
	}
	return run, nil
}

// checkAnnotations turns the findings that have a file into check-run annotations; the others
// have no place to show and are left to the summary. An allowed finding is a notice whatever its
// severity: it must not look like something to fix.
func checkAnnotations(fs []finding.Finding) []*gh.CheckRunAnnotation {
	var out []*gh.CheckRunAnnotation
	for _, f := range fs {
		if f.File == "" {
			continue
		}
		start := max(f.Line, 1)
		end := max(f.EndLine, start)
		a := &gh.CheckRunAnnotation{
			Path:            gh.String(f.File),
			StartLine:       gh.Int(start),
			EndLine:         gh.Int(end),
			AnnotationLevel: gh.String(annotationLevel(f)),
			Title:           gh.String(clip(annotationTitle(f), annotationTitleLimit)),
			Message:         gh.String(clip(annotationMessage(f), annotationTextLimit)),
		}
		// The API takes columns only for an annotation on a single line.
		if f.Column > 0 && f.Line > 0 && start == end {
			a.StartColumn, a.EndColumn = gh.Int(f.Column), gh.Int(f.Column)
		}
		if details := evidenceText(f.Evidence); details != "" {
			a.RawDetails = gh.String(clip(details, annotationTextLimit))
		}
		out = append(out, a)
	}
	return out
}

// annotationLevel maps a finding to the Checks API's levels.
func annotationLevel(f finding.Finding) string {
	switch {
	case f.Allowed:
		return "notice"
	case f.Severity == finding.Error:
		return "failure"
	case f.Severity == finding.Warning:
		return "warning"
	default:
		return "notice"
	}
}
