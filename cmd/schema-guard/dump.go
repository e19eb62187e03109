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

const dumpUsage = `Usage: schema-guard dump --out DIR [flags]

Replays the migrations and writes the resulting schema as declared-state files, one per object,
in canonical form: DIR/tables/<table>.sql (with the table's triggers and, for seed tables, its
rows), DIR/views/<view>.sql, DIR/procedures/<name>.sql, DIR/functions/<name>.sql. Checked with
--schema DIR, they give no drift. The directory is written whole or not at all.

Flags:
` + commonUsage + `  --out DIR             directory to write; it must be empty or absent, unless --force
  --force               replace DIR and everything in it
`

func runDump(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("dump")
	var out string
	var force bool
	f.fs.StringVar(&out, "out", "", "")
	f.fs.BoolVar(&force, "force", false, "")
	opts, _, _, err := f.parse(ctx, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, dumpUsage)
		return exitOK
	}
	if err != nil {
		return fail(stderr, usageError("dump", err))
	}
	if out == "" {
		return fail(stderr, usageError("dump", errors.New("dump needs --out DIR")))
	}
	if err := checkOutDir(out, force); err != nil {
		return fail(stderr, err)
	}
	defer progress(&opts, stderr, f.quiet)()

	s, code := startFinal(ctx, opts, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	files, err := s.Dump(ctx)
	if err != nil {
		return failRun(ctx, stderr, err)
	}
	if err := writeDir(out, files); err != nil {
		return fail(stderr, fmt.Errorf("dump: %w", err))
	}
	opts.Log.Info(fmt.Sprintf("wrote %d files to %s", len(files), out))
	return exitOK
}

// checkOutDir refuses to overwrite a directory with something in it, unless forced.
func checkOutDir(out string, force bool) error {
	entries, err := os.ReadDir(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("dump: %w", err)
	case len(entries) > 0 && !force:
		return fmt.Errorf("dump: %s is not empty; pass --force to replace it", out)
	}
	return nil
}

// writeDir writes the files into a new directory next to out and then puts it in out's place,
// so an interrupted or failed dump leaves out as it was.
func writeDir(out string, files []checker.DumpFile) error {
	out = filepath.Clean(out)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, f := range files {
		path := filepath.Join(tmp, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, f.Content, 0o644); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	old := tmp + ".old"
	if err := os.Rename(out, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Rename(old, out) // put the old directory back
		return err
	}
	return os.RemoveAll(old)
}

// startFinal replays the migrations for diff and dump, which work on the final state. When the
// replay could not reach it (a statement failed), it prints the findings and returns no session
// and exit code 1; when the replay could not be done, exit code 2.
func startFinal(ctx context.Context, opts checker.Options, stderr io.Writer) (*checker.Session, int) {
	s, err := checker.Start(ctx, opts)
	if err != nil {
		return nil, failRun(ctx, stderr, err)
	}
	if s.Final == nil {
		s.Report.Finish()
		report.WriteText(stderr, s.Report, colorOK(stderr))
		s.Close()
		return nil, exitFindings
	}
	return s, exitOK
}
