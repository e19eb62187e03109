// Package checker runs one check: it reads the migrations, splits them into deployed and pending
// against the base ref, replays them on the engine and gathers everything into a report.
package checker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/runner"
	"github.com/schema-guard/schema-guard/schema"
)

// DefaultDirs are the migration directories looked for, in order, when none is given.
var DefaultDirs = []string{"db/migrations", "migrations", "db/migration", "src/main/resources/db/migration"}

// Options configure a check.
type Options struct {
	// WorkDir is where relative paths start and the default directories are looked for; "" is
	// the current directory.
	WorkDir string
	// Migrations is the migration directory; "" looks for DefaultDirs.
	Migrations string
	Format     migrations.Format
	// Base is the base ref; "" chooses it (see resolveBase).
	Base   string
	Engine runner.Options
	// Progress, when set, is told about each migration just before it is replayed.
	Progress func(done, total int, path string)
	Log      *slog.Logger
}

// Result is a finished check.
type Result struct {
	Report *report.Report
	// Final is the schema the migrations produce; nil when the replay stopped at a failure.
	Final *schema.Schema
}

// Run performs the check. An error means the check could not be done (bad input, no server,
// interrupted): the caller exits with code 2. Problems in the migrations are findings in the report.
func Run(ctx context.Context, opts Options) (*Result, error) {
	began := time.Now()
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	src, err := load(ctx, opts)
	if err != nil {
		return nil, err
	}
	rep := report.New()
	rep.Source = report.Source{Dir: src.head.Dir, Format: string(src.head.Format)}
	if src.base != nil {
		rep.Source.BaseRef, rep.Source.BaseSHA = src.base.ref, src.base.sha
	}
	rep.Add(src.head.Ignored...)
	rep.Add(src.history...)

	opts.Engine.Log = opts.Log
	srv, err := runner.Start(ctx, opts.Engine)
	if err != nil {
		return nil, err
	}
	defer func() {
		// The run's context may be cancelled (SIGINT): clean up with a fresh one.
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if err := srv.Close(cleanup); err != nil {
			opts.Log.Error("cleanup failed; remove leftovers by hand", "err", err)
		}
	}()
	rep.Engine = report.Engine{
		Kind: string(srv.Kind), Flavor: string(srv.Flavor.Kind),
		ServerVersion: fmt.Sprintf("%d.%d.%d", srv.Flavor.Major, srv.Flavor.Minor, srv.Flavor.Patch),
		Image:         srv.Image, StartupMS: srv.Startup.Milliseconds(),
	}

	final, err := replay(ctx, opts, srv, src, rep)
	if err != nil {
		return nil, err
	}
	rep.DurationMS = time.Since(began).Milliseconds()
	rep.Finish()
	return &Result{Report: rep, Final: final}, nil
}

// source is what was read from the repository.
type source struct {
	head    *migrations.Set
	base    *base
	steps   []migrations.Step
	history []finding.Finding
	units   [][]migrations.Statement // statements of each step, parsed
}

// load finds, reads, orders, splits and parses the migrations of the working tree and the base.
func load(ctx context.Context, opts Options) (*source, error) {
	work := opts.WorkDir
	if work == "" {
		work = "."
	}
	work, err := filepath.Abs(work)
	if err != nil {
		return nil, err
	}
	dir, err := migrationsDir(work, opts.Migrations)
	if err != nil {
		return nil, err
	}
	repo, err := migrations.OpenRepo(ctx, dir)
	if err != nil && !errors.Is(err, migrations.ErrNotGit) {
		return nil, err
	}
	// Paths in findings are relative to the repository root (what annotations need); without a
	// repository, to the working directory, or to the migrations directory when it lies elsewhere.
	root := work
	if repo != nil {
		root = repo.Root
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		if repo != nil {
			return nil, fmt.Errorf("migrations directory %s is outside the repository %s", dir, root)
		}
		root, rel = dir, "."
	}
	rel = filepath.ToSlash(rel)

	format := opts.Format
	if format == "" {
		format = migrations.Auto
	}
	head, err := migrations.Discover(os.DirFS(root), rel, format)
	if err != nil {
		return nil, err
	}
	src := &source{head: head}
	if src.base, err = resolveBase(ctx, repo, opts.Base); err != nil {
		return nil, err
	}
	var deployed *migrations.Set
	if src.base != nil {
		if deployed, err = baseSet(ctx, repo, src.base.sha, rel, head.Format); err != nil {
			return nil, err
		}
	} else {
		opts.Log.Info("no base ref: every migration is pending; pass --base to check the history")
	}
	var history []finding.Finding
	src.steps, history = migrations.Plan(head, deployed)
	src.history = history

	parser := migrations.NewParser()
	src.units = make([][]migrations.Statement, len(src.steps))
	for i, st := range src.steps {
		if st.Skip != "" {
			continue
		}
		stmts, notes, err := st.File.Split()
		if err != nil {
			return nil, err
		}
		src.history = append(src.history, notes...)
		parser.Parse(stmts)
		src.units[i] = stmts
	}
	return src, nil
}
