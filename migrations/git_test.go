package migrations

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo makes a repository in a temporary directory; run executes git in it.
func gitRepo(t *testing.T) (dir string, run func(args ...string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir = t.TempDir()
	run = func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run("init", "-q", "-b", "main")
	return dir, run
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRepoTreeFSReadsACommit(t *testing.T) {
	dir, git := gitRepo(t)
	ctx := context.Background()
	writeFile(t, filepath.Join(dir, "db/migrations/V1__a.sql"), "CREATE TABLE a (id INT);\n")
	writeFile(t, filepath.Join(dir, "db/migrations/sub/V2__b.sql"), "x\x00binary\n")
	writeFile(t, filepath.Join(dir, "other/V9__z.sql"), "not under the directory")
	git("add", "-A")
	git("commit", "-q", "-m", "one")
	first := git("rev-parse", "HEAD")
	writeFile(t, filepath.Join(dir, "db/migrations/V1__a.sql"), "edited\n")
	git("commit", "-qam", "two")

	repo, err := OpenRepo(ctx, filepath.Join(dir, "db"))
	if err != nil {
		t.Fatal(err)
	}
	if real, _ := filepath.EvalSymlinks(dir); repo.Root != real && repo.Root != dir {
		t.Errorf("root = %s, want %s", repo.Root, dir)
	}
	sha, err := repo.Resolve(ctx, "HEAD~1")
	if err != nil || sha != first {
		t.Fatalf("Resolve(HEAD~1) = %s, %v; want %s", sha, err, first)
	}
	tree, err := repo.TreeFS(ctx, sha, "db/migrations")
	if err != nil {
		t.Fatal(err)
	}
	got, err := fs.ReadFile(tree, "db/migrations/V1__a.sql")
	if err != nil || string(got) != "CREATE TABLE a (id INT);\n" {
		t.Errorf("V1 at the first commit = %q, %v", got, err)
	}
	if got, err := fs.ReadFile(tree, "db/migrations/sub/V2__b.sql"); err != nil || string(got) != "x\x00binary\n" {
		t.Errorf("nested file = %q, %v", got, err)
	}
	if _, err := fs.Stat(tree, "other/V9__z.sql"); err == nil {
		t.Error("TreeFS returned a file outside the directory")
	}
	empty, err := repo.TreeFS(ctx, sha, "db/nothing")
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := fs.ReadDir(empty, "db/nothing"); len(entries) != 0 {
		t.Errorf("a directory absent at the commit has entries %v", entries)
	}
}

func TestRepoResolveUnknownRef(t *testing.T) {
	dir, git := gitRepo(t)
	writeFile(t, filepath.Join(dir, "f"), "x")
	git("add", "-A")
	git("commit", "-qm", "one")
	repo, err := OpenRepo(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"no-such-branch", "--output=/tmp/x", "deadbeefdeadbeef"} {
		_, err := repo.Resolve(context.Background(), ref)
		if err == nil || !strings.Contains(err.Error(), "git does not know it") {
			t.Errorf("Resolve(%q) = %v", ref, err)
		}
	}
}

func TestRepoDefaultBase(t *testing.T) {
	dir, git := gitRepo(t)
	ctx := context.Background()
	repo, err := OpenRepo(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if sha, _ := repo.DefaultBase(ctx); sha != "" {
		t.Errorf("a repository without commits has base %s", sha)
	}
	writeFile(t, filepath.Join(dir, "f"), "1")
	git("add", "-A")
	git("commit", "-qm", "one")
	fork := git("rev-parse", "HEAD")
	git("checkout", "-qb", "feature")
	writeFile(t, filepath.Join(dir, "f"), "2")
	git("commit", "-qam", "two")
	git("checkout", "-q", "main")
	writeFile(t, filepath.Join(dir, "g"), "3")
	git("add", "-A")
	git("commit", "-qm", "three")
	git("checkout", "-q", "feature")
	sha, against := repo.DefaultBase(ctx)
	if sha != fork || against != "main" {
		t.Errorf("DefaultBase = %s against %q, want the fork point %s against main", sha, against, fork)
	}
}

func TestOpenRepoOutsideGit(t *testing.T) {
	if _, err := OpenRepo(context.Background(), t.TempDir()); err != ErrNotGit {
		t.Errorf("err = %v, want ErrNotGit", err)
	}
}
