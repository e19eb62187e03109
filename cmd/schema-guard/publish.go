package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/report"
	ghpub "github.com/schema-guard/schema-guard/report/github"
	"github.com/schema-guard/schema-guard/rules"
)

// reportFileName is the JSON report's name in $RUNNER_TEMP when the output is github.
const reportFileName = "schema-guard-report.json"

// publish writes the report for GitHub Actions: the text report in the job's log, the JSON
// report as a file (the action's `report` output), then annotations, check run, job summary,
// sticky comment and outputs.
func (o *checkOutput) publish(ctx context.Context, rep *report.Report) error {
	if err := report.WriteText(o.stdout, rep, false); err != nil {
		return err
	}
	path := o.file
	if path == "" {
		path = defaultReportPath()
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { return report.WriteJSON(w, rep) }); err != nil {
		return fmt.Errorf("the JSON report: %w", err)
	}
	return ghpub.Publish(ctx, rep, ghpub.Options{
		Out: o.stdout, Log: o.stderr, Token: o.githubToken,
		CheckRun: o.checkRun, Comment: o.comment, FailOn: o.failOn, ReportPath: path,
	})
}

// defaultReportPath is where the JSON report goes with the github output: $RUNNER_TEMP when it
// is there, else the working directory, by a relative path. A Docker action's container does not
// have the runner's temporary directory (RUNNER_TEMP names a host path that is not mounted), but
// it has the workspace as its working directory, where the job's later steps find the same
// relative path.
func defaultReportPath() string {
	if dir := os.Getenv("RUNNER_TEMP"); dir != "" {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return filepath.Join(dir, reportFileName)
		}
	}
	return reportFileName
}

// githubToken is the token for GitHub's API: the action's github-token input, else GITHUB_TOKEN.
func githubToken() string {
	if t := os.Getenv("INPUT_GITHUB-TOKEN"); t != "" {
		return t
	}
	return os.Getenv("GITHUB_TOKEN")
}

// writeSARIF writes the report as SARIF, with the documentation of every rule.
func writeSARIF(w io.Writer, rep *report.Report) error {
	reg, err := rules.NewRegistry(nil)
	if err != nil {
		return err
	}
	var infos []report.RuleInfo
	for _, r := range append(reg.Rules(), rules.Builtin()...) {
		infos = append(infos, report.RuleInfo{ID: r.ID, Summary: r.Summary, Help: r.Doc, Severity: r.Severity})
	}
	return report.WriteSARIF(w, rep, infos, readBuildInfo().version)
}

// keepChanged drops the findings on lines the change since the base ref did not touch. Without
// a base ref every line is new, and every finding stays.
func keepChanged(ctx context.Context, rep *report.Report, workDir string, log *slog.Logger) error {
	if rep.Source.BaseSHA == "" {
		log.Info("--diff-only: no base ref, so every line is new and every finding stays")
		return nil
	}
	if workDir == "" {
		workDir = "."
	}
	changed, err := migrations.ChangedLines(ctx, workDir, rep.Source.BaseSHA)
	if err != nil {
		return fmt.Errorf("--diff-only: %w", err)
	}
	if n := rep.KeepChanged(changed.Has); n > 0 {
		log.Info(fmt.Sprintf("--diff-only: %d findings on lines this change did not touch are left out", n))
	}
	return nil
}
