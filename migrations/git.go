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
	// GitDir is the absolute path of its git directory (.git, or the worktree's directory in
	// the main repository's .git): the job's credentials live there, so nothing is read from it.
	GitDir string
}

// OpenRepo finds the working tree that holds dir.
func OpenRepo(ctx context.Context, dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, ErrNotGit
	}
	out, err := gitOutput(ctx, dir, "rev-parse", "--show-toplevel", "--absolute-git-dir")
	if err != nil {
		return nil, ErrNotGit
	}
	top, gitDir, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return &Repo{Root: strings.TrimSpace(top), GitDir: strings.TrimSpace(gitDir)}, nil
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
// as a file system rooted at the repository root. Submodules are left out. A symbolic link is
// read as git reads it inside the commit: a link to a file of the commit has that file's
// content (as the working tree's link would), and a link that leaves the commit (an absolute
// target, or ../ above the top level), dangles or loops is left out — it is never followed
// onto the machine's files, whatever the machine holds at that path.
func (r *Repo) TreeFS(ctx context.Context, sha, dir string) (fs.FS, error) {
	out, err := gitOutput(ctx, r.Root, "ls-tree", "-r", "-z", "--full-tree", sha, "--", dir)
	if err != nil {
		return nil, fmt.Errorf("list %s at %.12s: %w", dir, sha, err)
	}
	var blobs, links []string // object names for the batch: blob ids, and sha:path of links
	var blobPaths, linkPaths []string
	for _, rec := range bytes.Split(out, []byte{0}) {
		// <mode> SP <type> SP <object> TAB <path>
		meta, p, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			continue
		}
		f := strings.Fields(string(meta))
		switch {
		case len(f) != 3 || f[1] != "blob":
		case f[0] == "120000":
			if bytes.ContainsAny(p, "\n") {
				continue // a name with a newline cannot be asked for on cat-file's line protocol
			}
			links, linkPaths = append(links, sha+":"+string(p)), append(linkPaths, string(p))
		default:
			blobs, blobPaths = append(blobs, f[2]), append(blobPaths, string(p))
		}
	}
	fsys := fstest.MapFS{}
	// One cat-file process for all blobs: a repository may hold thousands of migrations.
	if err := r.catFiles(ctx, sha, blobs, blobPaths, false, fsys); err != nil {
		return nil, err
	}
	// Links are resolved by git inside the commit, never on the machine's file system.
	if err := r.catFiles(ctx, sha, links, linkPaths, true, fsys); err != nil {
		return nil, err
	}
	// Make the directory exist even when it holds nothing readable (unless it names a file).
	if _, isFile := fsys[path.Clean(dir)]; !isFile {
		fsys[path.Clean(dir)] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
	}
	return fsys, nil
}

// catFiles reads the objects through one git cat-file --batch into fsys at paths. With links,
// objects are sha:path names of symbolic links, which git follows inside the commit: a link to
// a file of the commit gives that file; a link that leaves the commit, dangles, loops or names
// a directory gives no file.
func (r *Repo) catFiles(ctx context.Context, sha string, objects, paths []string, links bool, fsys fstest.MapFS) error {
	if len(objects) == 0 {
		return nil
	}
	var in bytes.Buffer
	for _, o := range objects {
		in.WriteString(o + "\n")
	}
	args := []string{"cat-file", "--batch"}
	if links {
		args = append(args, "--follow-symlinks")
	}
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir, cmd.Stdin = r.Root, &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	br := bufio.NewReader(stdout)
	for _, p := range paths {
		kind, content, err := readBatchRecord(br)
		if err != nil {
			_ = cmd.Wait()
			return fmt.Errorf("read %s at %.12s: %w", p, sha, err)
		}
		if kind == "blob" {
			fsys[p] = &fstest.MapFile{Data: content, Mode: 0o644}
		}
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git cat-file: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// readBatchRecord reads one record of git cat-file --batch: "<oid> <type> <size>\n<content>\n",
// or with --follow-symlinks "symlink|dangling|loop|notdir <size>\n<path>\n" or "<name> missing\n".
// It returns the type ("blob", "tree", "symlink", "missing"…) and the content.
func readBatchRecord(br *bufio.Reader) (string, []byte, error) {
	header, err := br.ReadString('\n')
	if err != nil {
		return "", nil, err
	}
	f := strings.Fields(header)
	var kind, sizeText string
	switch {
	case len(f) == 3:
		kind, sizeText = f[1], f[2]
	case len(f) == 2 && f[1] == "missing":
		return "missing", nil, nil
	case len(f) == 2:
		kind, sizeText = f[0], f[1]
	default:
		return "", nil, fmt.Errorf("unexpected git cat-file header %q", strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(sizeText)
	if err != nil || size < 0 {
		return "", nil, fmt.Errorf("unexpected git cat-file header %q", strings.TrimSpace(header))
	}
	content := make([]byte, size+1) // the record ends with a newline
	if _, err := io.ReadFull(br, content); err != nil {
		return "", nil, err
	}
	return kind, content[:size], nil
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
