// Package github publishes a finished check report where GitHub shows it: workflow-command
// annotations on the changed lines, the job summary, the step outputs and, when a token allows
// it, a check run carrying every finding and one sticky pull-request comment.
//
// Only the API calls need a token, and only they can fail for reasons outside the runner (a
// read-only token on a pull request from a fork, an outage). Such failures are reported in one
// line and never fail the step: the annotations, the summary and the outputs carry the findings
// anyway, and the exit code is the caller's to decide from the findings.
package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/report"
)

// Options configure Publish.
type Options struct {
	Getenv     func(string) string                        // nil: os.Getenv. GITHUB_* variables are read through it.
	Out        io.Writer                                  // where workflow commands go (stdout in Actions); nil: os.Stdout
	Log        io.Writer                                  // one-line notes for the user (stderr); nil: io.Discard
	HTTPClient *http.Client                               // nil: a client with a 30 s timeout
	Token      string                                     // "" means no API calls: annotations, summary and outputs only
	CheckRun   bool                                       // create a check run with all findings
	Comment    bool                                       // sticky PR comment
	FailOn     finding.Severity                           // finding.Error or finding.Warning: what makes the conclusion "failure"
	ReportPath string                                     // path of the JSON report, written as the output `report` (omit when "")
	Sleep      func(context.Context, time.Duration) error // backoff sleeps; nil: real, ctx-aware
}

// withDefaults fills in what the zero Options leave out.
func (o Options) withDefaults() Options {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if o.FailOn == "" {
		o.FailOn = finding.Error
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	return o
}

// Publish writes rep where GitHub shows it. Failures of the API (a read-only token, a server that
// keeps failing) are reported in one line on Log and do not make Publish fail: the annotations,
// the summary and the outputs still carry the findings, and the exit code is decided by the caller
// from the findings. Publish returns an error only when the environment itself is unusable
// (e.g. GITHUB_STEP_SUMMARY or GITHUB_OUTPUT set but not writable).
func Publish(ctx context.Context, rep *report.Report, opts Options) error {
	opts = opts.withDefaults()
	action := githubactions.New(githubactions.WithGetenv(opts.Getenv), githubactions.WithWriter(opts.Out))

	// The API goes first although it is the part most likely to fail: the annotations and the
	// summary point readers to the check run for the findings they leave out, and they can only
	// do so once it is known whether the check run exists.
	var errs []error
	var checkRun string
	if opts.Token != "" && (opts.CheckRun || opts.Comment) {
		gctx, err := readContext(action)
		if err != nil {
			errs = append(errs, err)
		} else {
			checkRun = publishAPI(ctx, rep, opts, gctx)
		}
	}

	hasSummary := opts.Getenv("GITHUB_STEP_SUMMARY") != ""
	errs = append(errs,
		guard("writing annotations", func() {
			annotate(action, rep.Findings, fullListPlace(checkRun, hasSummary, opts.ReportPath))
		}),
		writeOutputs(action, opts.Getenv, rep, opts.ReportPath),
	)
	if hasSummary {
		md := markdown(rep, mdOptions{
			Limit:       stepSummaryLimit,
			FailOn:      opts.FailOn,
			Elsewhere:   fullListPlace(checkRun, false, opts.ReportPath),
			CheckRunURL: checkRun,
		})
		// One write, so that a failure cannot leave half a table behind.
		errs = append(errs, guard("writing the job summary", func() { action.AddStepSummary(md) }))
	}
	return errors.Join(errs...)
}

// Failed reports whether rep fails at the given threshold (errors; or errors and warnings).
// Allowed findings never fail. An empty threshold means finding.Error.
func Failed(rep *report.Report, failOn finding.Severity) bool {
	if failOn == "" {
		failOn = finding.Error
	}
	for _, f := range rep.Findings {
		if !f.Allowed && f.Severity.Rank() <= failOn.Rank() {
			return true
		}
	}
	return false
}

// fullListPlace names where a reader finds every finding when an annotation list or a table
// had to leave some out: the check run's annotations when there is a check run.
func fullListPlace(checkRun string, hasSummary bool, reportPath string) string {
	switch {
	case checkRun != "":
		return "the check run " + checkName + " (" + checkRun + ")"
	case hasSummary:
		return "the job summary"
	case reportPath != "":
		return "the JSON report " + reportPath
	default:
		return "the JSON report"
	}
}

// writeOutputs sets the step outputs, when the step has an output file.
func writeOutputs(action *githubactions.Action, getenv func(string) string, rep *report.Report, reportPath string) error {
	if getenv("GITHUB_OUTPUT") == "" {
		return nil
	}
	c := tally(rep.Findings)
	return guard("writing the step outputs", func() {
		action.SetOutput("errors", strconv.Itoa(c.errors))
		action.SetOutput("warnings", strconv.Itoa(c.warnings))
		if reportPath != "" {
			action.SetOutput("report", reportPath)
		}
	})
}

// guard runs go-githubactions calls, which panic when they cannot write a workflow command or an
// environment file; Publish reports that as an error instead.
func guard(what string, fn func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if e, ok := p.(error); ok {
				err = fmt.Errorf("%s: %w", what, e)
				return
			}
			err = fmt.Errorf("%s: %v", what, p)
		}
	}()
	fn()
	return nil
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
