package checker

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/runner"
	"github.com/schema-guard/schema-guard/schema"
)

// migrationsDir resolves the migration directory: the one given, else the first of DefaultDirs
// under work that exists.
func migrationsDir(work, given string) (string, error) {
	if given != "" {
		dir := given
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(work, dir)
		}
		fi, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("migrations directory %s does not exist", given)
		case err != nil:
			return "", fmt.Errorf("migrations directory: %w", err)
		case !fi.IsDir():
			return "", fmt.Errorf("migrations directory %s is not a directory", given)
		}
		return filepath.EvalSymlinks(dir)
	}
	for _, d := range DefaultDirs {
		dir := filepath.Join(work, filepath.FromSlash(d))
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return filepath.EvalSymlinks(dir)
		}
	}
	return "", fmt.Errorf("no migrations directory: none of %s exists in %s; pass --migrations DIR", strings.Join(DefaultDirs, ", "), work)
}

// baseSet reads the migrations as they are at the base commit. A directory that does not exist
// there, or holds no migrations yet, means nothing is deployed.
func baseSet(ctx context.Context, repo *migrations.Repo, sha, dir string, format migrations.Format) (*migrations.Set, error) {
	tree, err := repo.TreeFS(ctx, sha, dir)
	if err != nil {
		return nil, err
	}
	if entries, err := fs.ReadDir(tree, dir); err != nil || len(entries) == 0 {
		return &migrations.Set{Dir: dir, Format: format}, nil
	}
	set, err := migrations.Discover(tree, dir, format)
	if err != nil {
		return nil, fmt.Errorf("at base %.12s: %w", sha, err)
	}
	return set, nil
}

// replay runs the deployed steps, then the pending ones, each phase on its own session as they
// run in production, and introspects the final state (nil when a statement failed).
func replay(ctx context.Context, opts Options, srv *runner.Server, src *source, rep *report.Report) (*schema.Schema, error) {
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		return nil, err
	}
	total := 0
	for i, st := range src.steps {
		rep.Migrations = append(rep.Migrations, report.Migration{
			File: st.File.Path, Version: st.File.Version.String(), Kind: st.File.Kind.String(),
			State: string(st.State), Statements: len(src.units[i]), Checksum: st.File.Checksum,
			SkipReason: st.Skip, Description: st.File.Description,
		})
		if st.Skip == "" {
			total++
		}
	}

	done := 0
	for _, phase := range []migrations.State{migrations.Deployed, migrations.Pending} {
		var units []runner.Unit
		var index []int // position of each unit in src.steps
		for i, st := range src.steps {
			if st.State == phase && st.Skip == "" {
				units = append(units, runner.Unit{Path: st.File.Path, Statements: src.units[i]})
				index = append(index, i)
			}
		}
		if len(units) == 0 {
			continue
		}
		opts.Log.Info("replaying", "phase", string(phase), "migrations", len(units), "database", db.Name)
		res, err := db.Replay(ctx, units, func(i int, u *runner.Unit) {
			if opts.Progress != nil {
				opts.Progress(done+i, total, u.Path)
			}
		})
		if err != nil {
			return nil, err
		}
		done += len(units)
		for j, ur := range res.Units {
			m := &rep.Migrations[index[j]]
			m.Applied, m.DurationMS = ur.Applied, ur.Duration.Milliseconds()
		}
		rep.Add(res.Findings...)
		if res.Failed {
			return nil, nil
		}
	}

	final, err := runner.Introspect(ctx, db.DB, db.Name, srv.Flavor)
	if err != nil {
		return nil, err
	}
	rep.Schema = &report.SchemaSummary{
		Tables: len(final.Tables), Views: len(final.Views), Triggers: len(final.Triggers), Routines: len(final.Routines),
	}
	return final, nil
}
