package migrations

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"path"
	"strconv"
	"strings"
	"testing/fstest"
)

// ErrNotGit means the directory is not inside a git working tree (or git is not installed);
// without git there is no base ref and every migration is pending.
var ErrNotGit = errors.New("not a git working tree")

// Repo is a git working tree.
type Repo struct {
	// Root is the absolute path of the working tree's top level.
	Root string
}

// OpenRepo finds the working tree that holds dir.
func OpenRepo(ctx context.Context, dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, ErrNotGit
	}
	out, err := gitOutput(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, ErrNotGit
	}
	return &Repo{Root: strings.TrimSpace(string(out))}, nil
}

// Resolve turns a ref (branch, tag, sha, origin/main, HEAD~3) into a commit sha.
func (r *Repo) Resolve(ctx context.Context, ref string) (string, error) {
	out, err := gitOutput(ctx, r.Root, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("base ref %q: git does not know it (fetch it, or with actions/checkout use fetch-depth: 0)", ref)
	}
	return strings.TrimSpace(string(out)), nil
}

// DefaultBase is the merge-base of HEAD with the first of origin/HEAD, main and master that
// exists, or "" when none does (or the repository has no commit yet).
func (r *Repo) DefaultBase(ctx context.Context) (sha, against string) {
	for _, ref := range []string{"origin/HEAD", "main", "master"} {
		if _, err := gitOutput(ctx, r.Root, "rev-parse", "--verify", "--quiet", ref+"^{commit}"); err != nil {
			continue
		}
		out, err := gitOutput(ctx, r.Root, "merge-base", "HEAD", ref)
		if err != nil {
			continue
		}
		return strings.TrimSpace(string(out)), ref
	}
	return "", ""
}

// TreeFS returns the files under dir (slash path relative to the root) as they are in commit sha,
// as a file system rooted at the repository root. Symlinks and submodules are left out.
func (r *Repo) TreeFS(ctx context.Context, sha, dir string) (fs.FS, error) {
	out, err := gitOutput(ctx, r.Root, "ls-tree", "-r", "-z", "--full-tree", sha, "--", dir)
	if err != nil {
		return nil, fmt.Errorf("list %s at %.12s: %w", dir, sha, err)
	}
	type blob struct{ oid, path string }
	var blobs []blob
	for _, rec := range bytes.Split(out, []byte{0}) {
		// <mode> SP <type> SP <object> TAB <path>
		meta, p, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			continue
		}
		f := strings.Fields(string(meta))
		if len(f) != 3 || f[1] != "blob" || f[0] == "120000" {
			continue
		}
		blobs = append(blobs, blob{oid: f[2], path: string(p)})
	}
	fsys := fstest.MapFS{}
	if len(blobs) == 0 {
		fsys[path.Clean(dir)] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
		return fsys, nil
	}
	// One cat-file process for all blobs: a repository may hold thousands of migrations.
	var in bytes.Buffer
	for _, b := range blobs {
		in.WriteString(b.oid + "\n")
	}
	cmd := exec.CommandContext(ctx, "git", "cat-file", "--batch")
	cmd.Dir, cmd.Stdin = r.Root, &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	br := bufio.NewReader(stdout)
	for _, b := range blobs {
		content, err := readBatchBlob(br)
		if err != nil {
			_ = cmd.Wait()
			return nil, fmt.Errorf("read %s at %.12s: %w", b.path, sha, err)
		}
		fsys[b.path] = &fstest.MapFile{Data: content, Mode: 0o644}
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	// Make the directory exist even when it holds nothing readable (unless it names a file).
	if _, isFile := fsys[path.Clean(dir)]; !isFile {
		fsys[path.Clean(dir)] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
	}
	return fsys, nil
}

// readBatchBlob reads one "<oid> <type> <size>\n<content>\n" record of git cat-file --batch.
func readBatchBlob(br *bufio.Reader) ([]byte, error) {
	header, err := br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	f := strings.Fields(header)
	if len(f) != 3 {
		return nil, fmt.Errorf("unexpected git cat-file header %q", strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(f[2])
	if err != nil {
		return nil, fmt.Errorf("unexpected git cat-file header %q", strings.TrimSpace(header))
	}
	content := make([]byte, size+1) // the record ends with a newline
	if _, err := io.ReadFull(br, content); err != nil {
		return nil, err
	}
	return content[:size], nil
}

func gitOutput(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", args[0], msg)
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return out, nil
}

// ReadFile returns the content of the file at path (slash-separated, relative to the root) in
// commit sha, or an error wrapping fs.ErrNotExist when the commit has no such file.
func (r *Repo) ReadFile(ctx context.Context, sha, path string) ([]byte, error) {
	object := sha + ":" + path
	if _, err := gitOutput(ctx, r.Root, "rev-parse", "--verify", "--quiet", "--end-of-options", object); err != nil {
		return nil, fmt.Errorf("%s at %.12s: %w", path, sha, fs.ErrNotExist)
	}
	return gitOutput(ctx, r.Root, "cat-file", "blob", object)
}
