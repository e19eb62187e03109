package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/schema-guard/schema-guard/checker"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/report"
	ghpub "github.com/schema-guard/schema-guard/report/github"
)

const checkUsage = `Usage: schema-guard check [flags]

Replays the migrations on a throwaway server (deployed ones from the base ref first, with their
base-ref content, then the pending ones), compares the result with the declared schema when
there is one, and reports what would break production.

Flags:
` + commonUsage + `  --output FORMAT       text, json, sarif or github (default text; github when
                        GITHUB_ACTIONS=true: annotations, check run, job summary, PR comment)
  --output-file FILE    write the report to FILE instead of standard output (with github: the
                        JSON report, default $RUNNER_TEMP/schema-guard-report.json)
  --sarif-file FILE     also write the report as SARIF 2.1.0 to FILE
  --fail-on LEVEL       error (default) or warning: the findings that fail the check (exit 1)
  --diff-only           report only findings on lines changed since the base ref (drift,
                        history and replay failures always stay)
  --check-run=false     with github: no check run
  --comment=false       with github: no sticky pull-request comment
`

// checkOutput is how check reports: the command-specific flags and keys.
type checkOutput struct {
	format            report.Format
	file, sarifFile   string
	failOn            finding.Severity
	diffOnly          bool
	checkRun, comment bool
	githubToken       string
	stdout, stderr    io.Writer
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("check")
	var output, outputFile, sarifFile, failOn string
	out := checkOutput{stdout: stdout, stderr: stderr}
	f.fs.StringVar(&output, "output", "", "")
	f.fs.StringVar(&outputFile, "output-file", "", "")
	f.fs.StringVar(&sarifFile, "sarif-file", "", "")
	f.fs.StringVar(&failOn, "fail-on", "", "")
	f.fs.BoolVar(&out.diffOnly, "diff-only", false, "")
	f.fs.BoolVar(&out.checkRun, "check-run", true, "")
	f.fs.BoolVar(&out.comment, "comment", true, "")
	opts, cfg, set, err := f.parse(ctx, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, checkUsage)
		return exitOK
	}
	if err != nil {
		return fail(stderr, usageError("check", err))
	}
	pick := func(name, flagValue, configValue string) string {
		if set[name] {
			return flagValue
		}
		return configValue
	}
	output, out.file, out.sarifFile = pick("output", output, cfg.Output), pick("output-file", outputFile, cfg.OutputFile), pick("sarif-file", sarifFile, cfg.SARIFFile)
	if !set["diff-only"] {
		out.diffOnly = cfg.DiffOnly
	}
	if output == "" && os.Getenv("GITHUB_ACTIONS") == "true" {
		output = string(report.GitHub)
	}
	if out.format, err = report.ParseFormat(output); err != nil {
		return fail(stderr, configAt(cfg, set, "output", "output", err))
	}
	if out.failOn, err = parseFailOn(pick("fail-on", failOn, cfg.FailOn)); err != nil {
		return fail(stderr, configAt(cfg, set, "fail-on", "fail_on", err))
	}
	out.githubToken = githubToken()
	defer progress(&opts, stderr, f.quiet)()

	res, err := checker.Run(ctx, opts)
	if err != nil {
		return failRun(ctx, stderr, err)
	}
	rep := res.Report
	if out.diffOnly {
		if err := keepChanged(ctx, rep, opts.WorkDir, opts.Log); err != nil {
			return fail(stderr, err)
		}
	}
	if err := out.write(ctx, rep); err != nil {
		return fail(stderr, err)
	}
	if ghpub.Failed(rep, out.failOn) {
		return exitFindings
	}
	return exitOK
}

// parseFailOn reads --fail-on.
func parseFailOn(s string) (finding.Severity, error) {
	switch finding.Severity(strings.ToLower(s)) {
	case "", finding.Error:
		return finding.Error, nil
	case finding.Warning:
		return finding.Warning, nil
	}
	return "", fmt.Errorf("unknown --fail-on %q (want error or warning)", s)
}

// write writes the report in the chosen format, and the SARIF copy when asked. Files are
// written whole or not at all.
func (o *checkOutput) write(ctx context.Context, rep *report.Report) error {
	if o.sarifFile != "" {
		if err := writeFileAtomic(o.sarifFile, func(w io.Writer) error { return writeSARIF(w, rep) }); err != nil {
			return fmt.Errorf("write the SARIF report: %w", err)
		}
	}
	var err error
	switch o.format {
	case report.GitHub:
		err = o.publish(ctx, rep)
	case report.SARIF:
		err = o.writeTo(func(w io.Writer) error { return writeSARIF(w, rep) })
	default:
		color := o.file == "" && o.format == report.Text && colorOK(o.stdout)
		err = o.writeTo(func(w io.Writer) error { return report.Write(w, rep, o.format, color) })
	}
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// writeTo writes to --output-file, or to standard output.
func (o *checkOutput) writeTo(write func(io.Writer) error) error {
	if o.file != "" {
		return writeFileAtomic(o.file, write)
	}
	return write(o.stdout)
}

// failRun reports an error that ended a run: interrupted, or the check could not be done.
func failRun(ctx context.Context, stderr io.Writer, err error) int {
	if ctx.Err() != nil {
		err = errors.New("interrupted; the scratch databases and containers of this run were removed")
	}
	return fail(stderr, err)
}

// writeFileAtomic writes through a temporary file in the same directory and renames it into
// place, so a failed or interrupted run never leaves a half-written file.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
