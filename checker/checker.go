// Package checker runs one check: it reads the migrations, splits them into deployed and pending
// against the base ref, replays them on the engine, compares the result with the declared state
// and gathers everything into a report.
package checker

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/rules"
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
	// MigrationDirs, when set, are several migration directories instead of Migrations: each
	// is its own history (its own versions), and they are replayed in this order into one
	// database, the deployed migrations of all of them before the pending ones.
	MigrationDirs []string
	Format        migrations.Format
	// Pattern and Ignore are the custom format's regular expressions (migrations.Layout).
	Pattern, Ignore string
	// Base is the base ref; "" chooses it (see resolveBase), NoBase means none.
	Base string
	// Schema is the declared state (a directory of .sql files or a dump file); "" skips drift.
	Schema string
	// SeedTables are the tables whose rows the declared state's INSERTs fix.
	SeedTables []string
	// Rules sets rule levels (off, notice, warning, error) by rule id.
	Rules map[string]string
	// Tables is what the configuration knows of production tables.
	Tables map[string]rules.TableConfig
	// NoCopier turns off the online copier's dry run of pending ALTERs.
	NoCopier bool
	// SampleRows is the number of generated rows the dry run copies; 0 means 10,000.
	SampleRows int
	// SampleDir holds the user's own samples, one <table>.csv per table (header row = column
	// names), replacing the generated rows.
	SampleDir string
	// ConfigFile is the configuration file in use, if any: its `deprecated:` is read from the
	// base ref, since only a deprecation that is deployed allows a drop.
	ConfigFile string
	Engine     runner.Options
	// Progress, when set, is told about each migration just before it is replayed.
	Progress func(done, total int, path string)
	Log      *slog.Logger
}

// Result is a finished check.
type Result struct {
	Report *report.Report
	// Final is the schema the migrations produce; nil when the replay stopped at a failure.
	Final *schema.Schema
	// Drift is the comparison with the declared state; nil without one, or when replay failed.
	Drift *Drift
}

// Run performs the check. An error means the check could not be done (bad input, no server,
// interrupted): the caller exits with code 2. Problems in the migrations are findings in the report.
func Run(ctx context.Context, opts Options) (*Result, error) {
	s, err := Start(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	res := &Result{Report: s.Report, Final: s.Final}
	if opts.Schema != "" && s.Final != nil {
		if res.Drift, err = s.Drift(ctx); err != nil {
			return nil, err
		}
	}
	s.finish()
	return res, nil
}

// Session is a check in progress: the migrations are replayed and the server is still up, so
// later stages (drift, dump) can read from it. Close removes everything it created.
type Session struct {
	Report *report.Report
	// Final is the schema the migrations produce; nil when the replay stopped at a failure.
	Final *schema.Schema
	// Migrations is the migration directory as read from the working tree; with several
	// histories, the last one, which replays last (diff --write adds to it).
	Migrations *migrations.Set
	// Histories are all the migration directories, in replay order.
	Histories []*migrations.Set
	// Replayed is the database the migrations were replayed into.
	Replayed *runner.Database
	// Root is the directory the paths of Migrations (and of findings) are relative to.
	Root string

	opts       Options
	src        *source
	srv        *runner.Server
	rules      *rules.Registry
	deprecated []string
	began      time.Time
}

// Start reads the migrations, starts the engine and replays them.
func Start(ctx context.Context, opts Options) (*Session, error) {
	s := &Session{opts: opts, began: time.Now()}
	var err error
	if s.opts.Log == nil {
		s.opts.Log = slog.New(slog.DiscardHandler)
	}
	if s.rules, err = rules.NewRegistry(opts.Rules); err != nil {
		return nil, err
	}
	src, err := load(ctx, s.opts)
	if err != nil {
		return nil, err
	}
	if s.deprecated, err = deprecatedAtBase(ctx, src, opts.ConfigFile); err != nil {
		return nil, err
	}
	s.src, s.Histories, s.Root = src, src.heads, src.root
	s.Migrations = src.heads[len(src.heads)-1]
	rep := report.New()
	rep.Source = report.Source{Dir: src.heads[0].Dir, Format: string(src.heads[0].Format)}
	if len(src.heads) > 1 {
		for _, h := range src.heads {
			rep.Source.Histories = append(rep.Source.Histories, report.History{Dir: h.Dir, Format: string(h.Format)})
		}
	}
	if src.base != nil {
		rep.Source.BaseRef, rep.Source.BaseSHA = src.base.ref, src.base.sha
	}
	for _, h := range src.heads {
		rep.Add(h.Ignored...)
		rep.Add(h.Notes...)
	}
	rep.Add(src.history...)
	s.Report = rep

	s.opts.Engine.Log = s.opts.Log
	if s.srv, err = runner.Start(ctx, s.opts.Engine); err != nil {
		return nil, err
	}
	rep.Engine = report.Engine{
		Kind: string(s.srv.Kind), Flavor: string(s.srv.Flavor.Kind),
		ServerVersion: fmt.Sprintf("%d.%d.%d", s.srv.Flavor.Major, s.srv.Flavor.Minor, s.srv.Flavor.Patch),
		Image:         s.srv.Image, StartupMS: s.srv.Startup.Milliseconds(),
		Sandbox: s.srv.Sandbox(), Throwaway: s.srv.Throwaway,
	}
	if err := s.replay(ctx); err != nil {
		s.Close()
		return nil, err
	}
	// A Liquibase changeset is named by its id too: one file holds several migrations.
	for i := range rep.Migrations {
		if i < len(src.steps) {
			rep.Migrations[i].ID = src.steps[i].File.ID
		}
	}
	return s, nil
}

// Close drops the scratch databases and removes the container. The run's context may be
// cancelled by now (SIGINT), so it uses a fresh one.
func (s *Session) Close() {
	cleanup, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.srv.Close(cleanup); err != nil {
		s.opts.Log.Error("cleanup failed; remove leftovers by hand", "err", err)
	}
}

// finish completes the report: duration, order, summary.
func (s *Session) finish() {
	s.Report.DurationMS = time.Since(s.began).Milliseconds()
	s.Report.Finish()
}
