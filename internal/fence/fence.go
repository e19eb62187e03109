// Package fence keeps the files a check reads inside one directory tree: the repository under
// review. Everything in that tree, symbolic links included, is written by the author of the pull
// request, and whatever schema-guard reads can end up in its report (a parser message quotes the
// statement, a server error quotes the text near the error), which is posted on the pull
// request. A link such as db/migrations/V2__x.sql -> /etc/passwd, or one into the git directory
// (where actions/checkout keeps the job's token), would put a file of the CI machine there.
//
// A Root reads through os.Root, which the kernel holds to the tree: a symbolic link that stays
// inside it is followed, one that leaves it is not. Before each read the path is also walked
// component by component, so that a refusal names the link and where it points, on one line,
// and so that the git directory, which lies inside the tree, is refused as well.
package fence

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Root is a directory tree that reads stay inside.
type Root struct {
	dir  string // absolute, symbolic links resolved
	what string // how messages name the tree: "the repository /x"
	// gitDirs are directories inside or outside the tree that are never read: the repository's
	// git directory (and the tree's own .git).
	gitDirs []string

	once sync.Once
	root *os.Root
	err  error
}

// New returns the tree at dir. what names it in messages ("the repository", "the working
// directory"); gitDir is the repository's git directory, "" when there is none (dir/.git is
// refused either way).
func New(dir, what, gitDir string) (*Root, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, dir, err)
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return nil, err
	}
	r := &Root{dir: real, what: what + " " + real, gitDirs: []string{filepath.Join(real, ".git")}}
	if gitDir != "" {
		if g, err := filepath.EvalSymlinks(gitDir); err == nil && g != r.gitDirs[0] {
			r.gitDirs = append(r.gitDirs, g)
		}
	}
	return r, nil
}

// Dir is the tree's absolute path, symbolic links resolved.
func (r *Root) Dir() string { return r.dir }

// String names the tree in messages: "the repository /x".
func (r *Root) String() string { return r.what }

// Error is a refused path.
type Error struct {
	Path   string // the path as the tree names it (slash-separated, relative to it)
	Link   string // the symbolic link on the way that leaves the tree, "" when Path itself lies in the git directory
	Target string // what Link points to, as written in it
	Where  string // "outside the repository /x" or "into the git directory"
}

func (e *Error) Error() string {
	const why = "refused (nothing read from there may reach the report)"
	if e.Link == "" {
		return fmt.Sprintf("%s lies in the git directory: %s", e.Path, why)
	}
	what := e.Link
	if e.Link != e.Path {
		what = fmt.Sprintf("%s (on the way to %s)", e.Link, e.Path)
	}
	return fmt.Sprintf("%s is a symbolic link to %s, %s: %s", what, e.Target, e.Where, why)
}

// Rel returns abs, an absolute path, as a slash path inside the tree, and whether it lies there.
// The components above the tree are resolved (macOS reaches /private/var through /var; a
// checkout may sit below a linked directory); from the tree on the path is taken as written,
// since Check judges the links inside it.
func (r *Root) Rel(abs string) (string, bool) {
	abs = filepath.Clean(abs)
	if rel, ok := relIn(r.dir, abs); ok {
		return rel, true
	}
	parts := strings.Split(abs, string(filepath.Separator))
	cur := filepath.VolumeName(abs) + string(filepath.Separator)
	for i := 1; i < len(parts); i++ {
		real, err := filepath.EvalSymlinks(filepath.Join(cur, parts[i]))
		if err != nil {
			return "", false // it does not exist above the tree: not in it
		}
		if rel, ok := relIn(r.dir, real); ok {
			return filepath.ToSlash(filepath.Join(append([]string{rel}, parts[i+1:]...)...)), true
		}
		cur = real
	}
	return "", false
}

func relIn(dir, abs string) (string, bool) {
	rel, err := filepath.Rel(dir, abs)
	if err != nil || rel != "." && !filepath.IsLocal(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// Check walks the slash path rel inside the tree and returns an *Error when a symbolic link on
// the way leaves the tree or the path lies in the git directory; nil when it stays inside, and
// when it does not exist (the read that follows says so).
func (r *Root) Check(rel string) error {
	rel = path.Clean(rel)
	if rel == "." {
		return nil
	}
	cur := r.dir
	parts := strings.Split(rel, "/")
	for i, part := range parts {
		next := filepath.Join(cur, part)
		fi, err := os.Lstat(next)
		if err != nil {
			return nil
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			cur = next
			if r.inGit(cur) {
				return &Error{Path: rel}
			}
			continue
		}
		target, err := os.Readlink(next)
		if err != nil {
			return nil
		}
		link := strings.Join(parts[:i+1], "/")
		real, err := filepath.EvalSymlinks(next)
		if err != nil {
			// Dangling, or a loop: judge the first hop by its text.
			first := target
			if !filepath.IsAbs(first) {
				first = filepath.Join(cur, first)
			}
			if where := r.where(first); where != "" {
				return &Error{Path: rel, Link: link, Target: target, Where: where}
			}
			return nil
		}
		if where := r.where(real); where != "" {
			return &Error{Path: rel, Link: link, Target: target, Where: where}
		}
		cur = real
	}
	return nil
}

// where says why a resolved path may not be read, "" when it may.
func (r *Root) where(real string) string {
	if _, ok := relIn(r.dir, real); !ok {
		return "outside " + r.what
	}
	if r.inGit(real) {
		return "into the git directory"
	}
	return ""
}

func (r *Root) inGit(real string) bool {
	for _, g := range r.gitDirs {
		if _, ok := relIn(g, real); ok {
			return true
		}
	}
	return false
}

// open opens the os.Root once.
func (r *Root) open() (*os.Root, error) {
	r.once.Do(func() { r.root, r.err = os.OpenRoot(r.dir) })
	return r.root, r.err
}

// ReadFile reads the slash path rel inside the tree.
func (r *Root) ReadFile(rel string) ([]byte, error) {
	return fs.ReadFile(r.FS(), path.Clean(rel))
}

// FS returns the tree as a file system: every Open, Stat, ReadFile and ReadDir refuses, with an
// *Error, a path that leaves the tree or lies in the git directory, and a listing refuses a
// directory that holds such a link, whether or not it is read later: the link is named where
// it is, not silently left out.
func (r *Root) FS() fs.FS { return fenced{r} }

type fenced struct{ r *Root }

func (f fenced) sys(op, name string) (fs.FS, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if err := f.r.Check(name); err != nil {
		return nil, err
	}
	root, err := f.r.open()
	if err != nil {
		return nil, err
	}
	return root.FS(), nil
}

// escaped turns os.Root's own refusal, should the walk in Check have missed it (the tree
// changed in between), into an *Error.
func (f fenced) escaped(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Err != nil && pe.Err.Error() == "path escapes from parent" {
		return &Error{Path: name, Link: name, Target: "?", Where: "outside " + f.r.what}
	}
	return err
}

func (f fenced) Open(name string) (fs.File, error) {
	fsys, err := f.sys("open", name)
	if err != nil {
		return nil, err
	}
	file, err := fsys.Open(name)
	return file, f.escaped(name, err)
}

func (f fenced) Stat(name string) (fs.FileInfo, error) {
	fsys, err := f.sys("stat", name)
	if err != nil {
		return nil, err
	}
	fi, err := fs.Stat(fsys, name)
	return fi, f.escaped(name, err)
}

func (f fenced) ReadFile(name string) ([]byte, error) {
	fsys, err := f.sys("read", name)
	if err != nil {
		return nil, err
	}
	b, err := fs.ReadFile(fsys, name)
	return b, f.escaped(name, err)
}

func (f fenced) ReadDir(name string) ([]fs.DirEntry, error) {
	fsys, err := f.sys("readdir", name)
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(fsys, name)
	if err != nil {
		return entries, f.escaped(name, err)
	}
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink != 0 {
			if err := f.r.Check(path.Join(name, e.Name())); err != nil {
				return nil, err
			}
		}
	}
	return entries, nil
}
