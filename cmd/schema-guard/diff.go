package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schema-guard/schema-guard/migrations"
)

const diffUsage = `Usage: schema-guard diff --schema PATH [flags]

Replays the migrations, compares the result with the declared schema and prints the SQL that
brings the migrations' result to the declared state, ordered so that it applies. With --write,
writes it as the next migration of the directory instead, in the directory's own format and
numbering, with a down migration that reverts it where the format has one.

A declared rename cannot be told from a drop and an add; say it with a comment in the declared
file, on the line before the CREATE TABLE or the column:  -- schema-guard:renamed-from old_name

Exit codes: 0 no difference (or --write wrote the migration), 1 differences printed, or the
migrations do not replay (the report goes to standard error), 2 the diff could not be done.

Flags:
` + commonUsage + `  --write               write the SQL as the next migration instead of printing it
  --name DESC           description in the new migration's name (default reconcile_declared_schema)
`

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f := newFlags("diff")
	var write bool
	var name string
	f.fs.BoolVar(&write, "write", false, "")
	f.fs.StringVar(&name, "name", "reconcile_declared_schema", "")
	opts, _, _, err := f.parse(ctx, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, diffUsage)
		return exitOK
	}
	if err != nil {
		return fail(stderr, usageError("diff", err))
	}
	if opts.Schema == "" {
		return fail(stderr, usageError("diff", errors.New("diff compares with the declared schema: pass --schema PATH or set schema in .schema-guard.yaml")))
	}
	defer progress(&opts, stderr, f.quiet)()

	s, code := startFinal(ctx, opts, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	d, err := s.Drift(ctx)
	if err != nil {
		return failRun(ctx, stderr, err)
	}
	up := d.Statements()
	if len(up) == 0 {
		opts.Log.Info("no differences: the migrations produce the declared schema")
		return exitOK
	}
	if !write {
		text, err := migrations.Script(up)
		if err != nil {
			return fail(stderr, err)
		}
		fmt.Fprint(stdout, text)
		return exitFindings
	}
	files, err := s.Migrations.Compose(name, up, d.ReverseStatements(), time.Now())
	if err != nil {
		return fail(stderr, err)
	}
	var written []string
	for _, nf := range files {
		path := filepath.Join(s.Root, filepath.FromSlash(nf.Path))
		err := writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write(nf.Content); return err })
		if err != nil {
			for _, p := range written { // all files of the migration, or none
				os.Remove(p)
			}
			return fail(stderr, fmt.Errorf("write %s: %w", nf.Path, err))
		}
		written = append(written, path)
		fmt.Fprintf(stderr, "schema-guard: wrote %s\n", nf.Path)
	}
	return exitOK
}
