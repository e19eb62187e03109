package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/schema-guard/schema-guard/checker"
	"github.com/schema-guard/schema-guard/report"
)

const checkUsage = `Usage: schema-guard check [flags]

Replays the migrations on a throwaway server (deployed ones from the base ref first, with their
base-ref content, then the pending ones), compares the result with the declared schema when
there is one, and reports what would break production.

Flags:
` + commonUsage + `  --output FORMAT       text or json (default text)
  --output-file FILE    write the report to FILE instead of standard output
`

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("check")
	var output, outputFile string
	f.fs.StringVar(&output, "output", "", "")
	f.fs.StringVar(&outputFile, "output-file", "", "")
	opts, cfg, set, err := f.parse(ctx, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, checkUsage)
		return exitOK
	}
	if err != nil {
		return fail(stderr, usageError("check", err))
	}
	if !set["output"] {
		output = cfg.Output
	}
	if !set["output-file"] {
		outputFile = cfg.OutputFile
	}
	format, err := report.ParseFormat(output)
	if err != nil {
		return fail(stderr, err)
	}
	defer progress(&opts, stderr, f.quiet)()

	res, err := checker.Run(ctx, opts)
	if err != nil {
		return failRun(ctx, stderr, err)
	}
	rep := res.Report
	if outputFile != "" {
		err = writeFileAtomic(outputFile, func(w io.Writer) error { return report.Write(w, rep, format, false) })
	} else {
		err = report.Write(stdout, rep, format, format == report.Text && colorOK(stdout))
	}
	if err != nil {
		return fail(stderr, fmt.Errorf("write report: %w", err))
	}
	if rep.Failed() {
		return exitFindings
	}
	return exitOK
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
