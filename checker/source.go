package checker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/config"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/internal/fence"
	"github.com/schema-guard/schema-guard/migrations"
)

// source is what was read from the repository.
type source struct {
	// root is the directory paths in findings are relative to: the repository root, else the
	// working directory (or the migrations directory when it lies outside it).
	root string
	// tree reads the files below root, and refuses any that a symbolic link takes out of it
	// (or into the git directory): whatever is read may reach the report.
	tree    *fence.Root
	repo    *migrations.Repo  // nil outside a git working tree
	heads   []*migrations.Set // each history as in the working tree, in replay order
	base    *base
	steps   []migrations.Step // every history's steps, one history after the other
	history []finding.Finding
	units   [][]migrations.Statement // statements of each step, parsed
}

// load finds, reads, orders, splits and parses the migrations of the working tree and the base.
func load(ctx context.Context, opts Options) (*source, error) {
	work := opts.WorkDir
	if work == "" {
		work = "."
	}
	work, err := realAbs(work)
	if err != nil {
		return nil, err
	}
	given := opts.MigrationDirs
	if len(given) == 0 {
		given = []string{opts.Migrations}
	}
	opts.WorkDir = work
	tree, err := workTree(ctx, work)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, g := range given {
		dir, err := migrationsDir(work, g, tree)
		if err != nil {
			return nil, err
		}
		for _, other := range dirs {
			if rel, err := filepath.Rel(other, dir); err == nil && (rel == "." || filepath.IsLocal(rel)) {
				return nil, fmt.Errorf("migrations directory %s is listed twice, or lies inside %s: each history needs a directory of its own", g, other)
			}
			if rel, err := filepath.Rel(dir, other); err == nil && filepath.IsLocal(rel) {
				return nil, fmt.Errorf("migrations directory %s holds %s, which is listed too: each history needs a directory of its own", g, other)
			}
		}
		dirs = append(dirs, dir)
	}
	repo, err := migrations.OpenRepo(ctx, dirs[0])
	if err != nil && !errors.Is(err, migrations.ErrNotGit) {
		return nil, err
	}
	// Paths in findings are relative to the repository root (what annotations need); without a
	// repository, to the working directory, or to the migrations directory when it lies elsewhere.
	root := work
	if repo != nil {
		root = repo.Root
	}
	rels := make([]string, len(dirs))
	for i, dir := range dirs {
		rel, err := filepath.Rel(root, dir)
		if err != nil || !filepath.IsLocal(rel) && rel != "." {
			if repo != nil {
				return nil, fmt.Errorf("migrations directory %s is outside the repository %s", dir, root)
			}
			root = commonDir(append(slices.Clone(dirs), work))
			if len(dirs) == 1 {
				root = dir
			}
			return loadFrom(ctx, opts, root, nil, dirs)
		}
		rels[i] = filepath.ToSlash(rel)
	}
	return loadFrom(ctx, opts, root, repo, dirs)
}

// loadFrom reads the histories in dirs (absolute) relative to root.
func loadFrom(ctx context.Context, opts Options, root string, repo *migrations.Repo, dirs []string) (*source, error) {
	layout := migrations.Layout{Format: opts.Format, Pattern: opts.Pattern, Ignore: opts.Ignore}
	if layout.Format == "" {
		layout.Format = migrations.Auto
	}
	src := &source{root: root, repo: repo}
	var err error
	if src.tree, err = fenceOf(root, opts.WorkDir, repo); err != nil {
		return nil, err
	}
	if src.base, err = resolveBase(ctx, repo, opts.Base); err != nil {
		return nil, err
	}
	if src.base == nil {
		opts.Log.Info("no base ref: every migration is pending; pass --base to check the history")
	}
	for _, dir := range dirs {
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return nil, err
		}
		rel = filepath.ToSlash(rel)
		head, err := migrations.DiscoverLayout(src.tree.FS(), rel, layout)
		if err != nil {
			return nil, err
		}
		src.heads = append(src.heads, head)
		var deployed *migrations.Set
		if src.base != nil {
			if deployed, err = baseSet(ctx, repo, src.base.sha, rel, head.Layout); err != nil {
				return nil, err
			}
		}
		steps, history := migrations.Plan(head, deployed)
		src.steps, src.history = append(src.steps, steps...), append(src.history, history...)
	}
	// Replay order: what production ran, history after history, then what the change adds.
	slices.SortStableFunc(src.steps, func(a, b migrations.Step) int {
		return cmp.Compare(phase(a.State), phase(b.State))
	})

	parser := migrations.NewParser()
	src.units = make([][]migrations.Statement, len(src.steps))
	total, files := 0, 0
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
		total, files = total+len(stmts), files+1
	}
	if opts.Schema != "" {
		// A declared schema that links out of the repository stops the check now, not after
		// the replay. (Whether it exists is for the commands that read it: dump writes it.)
		var refused *fence.Error
		fsys, rel, err := within(src, opts.WorkDir, opts.Schema)
		if err == nil {
			err = fs.WalkDir(fsys, rel, func(_ string, _ fs.DirEntry, err error) error { return err })
		}
		if errors.As(err, &refused) {
			return nil, fmt.Errorf("declared schema: %w", err)
		}
	}
	if total == 0 {
		// A check that replays nothing would pass whatever the files say.
		return nil, fmt.Errorf("the migrations hold no statement to replay (%d migrations, every one empty or never run by %s): nothing would be checked",
			len(src.steps), src.heads[0].Format)
	}
	return src, nil
}

func phase(s migrations.State) int {
	if s == migrations.Deployed {
		return 0
	}
	return 1
}

// commonDir is the deepest directory that holds every one of dirs.
func commonDir(dirs []string) string {
	common := dirs[0]
	for _, d := range dirs[1:] {
		for {
			if rel, err := filepath.Rel(common, d); err == nil && (rel == "." || filepath.IsLocal(rel)) {
				break
			}
			parent := filepath.Dir(common)
			if parent == common {
				break
			}
			common = parent
		}
	}
	return common
}

// realAbs is p made absolute with its symbolic links resolved (as far as it exists).
func realAbs(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	return abs, nil
}

// WorkTree is the tree a check reads from when it runs in work: the repository that holds work,
// else work itself. A path inside it must not leave it through a symbolic link; the command
// line may name paths outside it.
func WorkTree(ctx context.Context, work string) (*fence.Root, error) {
	work, err := realAbs(work)
	if err != nil {
		return nil, err
	}
	return workTree(ctx, work)
}

func workTree(ctx context.Context, work string) (*fence.Root, error) {
	repo, err := migrations.OpenRepo(ctx, work)
	if err != nil {
		return fence.New(work, "the working directory", "")
	}
	return fence.New(repo.Root, "the repository", repo.GitDir)
}

// fenceOf is the tree the files of a check are read from: root, the repository's top level or,
// outside git, the directory paths are shown relative to.
func fenceOf(root, work string, repo *migrations.Repo) (*fence.Root, error) {
	switch {
	case repo != nil:
		return fence.New(root, "the repository", repo.GitDir)
	case root == work:
		return fence.New(root, "the working directory", "")
	}
	return fence.New(root, "the directory", "")
}

// checkPath refuses a path (absolute, as given) that lies in tree but leaves it through a
// symbolic link on the way, or lies in the git directory. A path outside the tree was named
// outside it on the command line and is taken as it is.
func checkPath(tree *fence.Root, abs string) error {
	if rel, ok := tree.Rel(abs); ok {
		return tree.Check(rel)
	}
	return nil
}

// migrationsDir resolves the migration directory: the one given, else the first of DefaultDirs
// under work that exists.
func migrationsDir(work, given string, tree *fence.Root) (string, error) {
	if given != "" {
		dir := given
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(work, dir)
		}
		if err := checkPath(tree, dir); err != nil {
			return "", fmt.Errorf("migrations directory: %w", err)
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
		if err := checkPath(tree, dir); err != nil {
			return "", fmt.Errorf("migrations directory: %w", err)
		}
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return filepath.EvalSymlinks(dir)
		}
	}
	return "", fmt.Errorf("no migrations directory: none of %s exists in %s; pass --migrations DIR", strings.Join(DefaultDirs, ", "), work)
}

// baseSet reads the migrations as they are at the base commit. A directory that does not exist
// there, or holds no migrations yet, means nothing is deployed.
func baseSet(ctx context.Context, repo *migrations.Repo, sha, dir string, layout migrations.Layout) (*migrations.Set, error) {
	tree, err := repo.TreeFS(ctx, sha, dir)
	if err != nil {
		return nil, err
	}
	if !holdsSQL(tree, dir) {
		// Nothing deployed yet (the directory may already hold a lock file or a README).
		return &migrations.Set{Dir: dir, Format: layout.Format, Layout: layout}, nil
	}
	set, err := migrations.DiscoverLayout(tree, dir, layout)
	if err != nil {
		return nil, fmt.Errorf("at base %.12s: %w", sha, err)
	}
	return set, nil
}

// holdsSQL reports whether dir of fsys holds a .sql file, at any depth.
func holdsSQL(fsys fs.FS, dir string) bool {
	found := false
	_ = fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, ".sql") {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// within resolves path (relative to work, or absolute) as a file system and a slash path inside
// it: the source's tree when it lies there, so reported paths stay repository-relative and no
// symbolic link takes a read out of the tree; else (a path named outside the repository on the
// command line) its parent, where the same holds for the links below the path.
func within(src *source, work, path string) (fs.FS, string, error) {
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(work, path)
	}
	if rel, ok := src.tree.Rel(abs); ok {
		if err := src.tree.Check(rel); err != nil {
			return nil, "", err
		}
		if _, err := fs.Stat(src.tree.FS(), rel); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, "", fmt.Errorf("%s does not exist", path)
			}
			return nil, "", err
		}
		return src.tree.FS(), rel, nil
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
	if rel, ok := src.tree.Rel(abs); ok {
		// Outside the tree by its name, inside by where it leads.
		return src.tree.FS(), rel, nil
	}
	outside, err := fence.New(filepath.Dir(abs), "the directory", "")
	if err != nil {
		return nil, "", err
	}
	return outside.FS(), filepath.Base(abs), nil
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
