package checker

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/schema-guard/schema-guard/config"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/migrations"
)

// source is what was read from the repository.
type source struct {
	// root is the directory paths in findings are relative to: the repository root, else the
	// working directory (or the migrations directory when it lies outside it).
	root    string
	repo    *migrations.Repo // nil outside a git working tree
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
	src := &source{root: root, repo: repo, head: head}
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
	src.steps, src.history = migrations.Plan(head, deployed)

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

// within resolves path (relative to work, or absolute) as a file system and a slash path inside
// it: inside root when it lies there, so reported paths stay repository-relative, else its parent.
func within(root, work, path string) (fs.FS, string, error) {
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(work, path)
	}
	if _, err := os.Stat(abs); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("%s does not exist", path)
		}
		return nil, "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if rel, err := filepath.Rel(root, abs); err == nil && filepath.IsLocal(rel) {
		return os.DirFS(root), filepath.ToSlash(rel), nil
	}
	return os.DirFS(filepath.Dir(abs)), filepath.Base(abs), nil
}

// deprecatedAtBase reads `deprecated:` from the configuration file as it is at the base ref:
// a column may be dropped only once a release that no longer uses it is deployed, and listing
// it in the same change that drops it proves nothing. Without a base ref nothing is deployed, so
// nothing needs it.
func deprecatedAtBase(ctx context.Context, src *source, configFile string) ([]string, error) {
	if src.base == nil || src.repo == nil || configFile == "" {
		return nil, nil
	}
	abs, err := filepath.Abs(configFile)
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	rel, err := filepath.Rel(src.repo.Root, abs)
	if err != nil || !filepath.IsLocal(rel) {
		return nil, nil // a configuration outside the repository has no base version
	}
	data, err := src.repo.ReadFile(ctx, src.base.sha, filepath.ToSlash(rel))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cfg, err := config.Parse(fmt.Sprintf("%s (at base %.12s)", filepath.ToSlash(rel), src.base.sha), data)
	if err != nil {
		return nil, err
	}
	return cfg.Deprecated, nil
}
