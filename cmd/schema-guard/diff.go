package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/schema-guard/schema-guard/migrations"
)

const diffUsage = `Usage: schema-guard diff --schema PATH [flags]

Replays the migrations, compares the result with the declared schema and prints the SQL that
brings the migrations' result to the declared state, ordered so that it applies. With --write,
writes it as the next migration of the directory instead, in the directory's own format and
numbering, with a down migration that reverts it where the format has one: a Prisma folder, a
Liquibase changeset with --rollback lines (a new numbered changelog, or appended to the last
one), an Atlas file with atlas.sum rehashed, a Temporal version folder with its manifest.json,
a file named after the newest one for a custom pattern. With several migration directories,
the migration goes into the last one listed, which replays last.

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
	// Files that replace existing ones (atlas.sum, a changelog that gets a changeset appended)
	// are written after the new ones, so that a failure leaves them as they were.
	slices.SortStableFunc(files, func(a, b migrations.NewFile) int {
		return cmp.Compare(boolRank(a.Replaces), boolRank(b.Replaces))
	})
	var written, made []string
	for _, nf := range files {
		path := filepath.Join(s.Root, filepath.FromSlash(nf.Path))
		// A Prisma migration or a Temporal version is a new folder.
		for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(dir); err == nil || dir == filepath.Dir(dir) {
				break
			}
			made = append([]string{dir}, made...)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fail(stderr, fmt.Errorf("write %s: %w", nf.Path, err))
		}
		err := writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write(nf.Content); return err })
		if err != nil {
			for _, p := range written { // all new files of the migration, or none
				os.Remove(p)
			}
			for i := len(made) - 1; i >= 0; i-- {
				os.Remove(made[i])
			}
			return fail(stderr, fmt.Errorf("write %s: %w", nf.Path, err))
		}
		if !nf.Replaces {
			written = append(written, path)
		}
		fmt.Fprintf(stderr, "schema-guard: wrote %s\n", nf.Path)
	}
	return exitOK
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
