package migrations

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

func TestRepoTreeFSReadsACommit(t *testing.T) {
	dir, git := testenv.GitRepo(t)
	ctx := context.Background()
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__a.sql"), "CREATE TABLE a (id INT);\n")
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/sub/V2__b.sql"), "x\x00binary\n")
	testenv.WriteFile(t, filepath.Join(dir, "other/V9__z.sql"), "not under the directory")
	git("add", "-A")
	git("commit", "-q", "-m", "one")
	first := git("rev-parse", "HEAD")
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__a.sql"), "edited\n")
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
	dir, git := testenv.GitRepo(t)
	testenv.WriteFile(t, filepath.Join(dir, "f"), "x")
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
	dir, git := testenv.GitRepo(t)
	ctx := context.Background()
	repo, err := OpenRepo(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if sha, _ := repo.DefaultBase(ctx); sha != "" {
		t.Errorf("a repository without commits has base %s", sha)
	}
	testenv.WriteFile(t, filepath.Join(dir, "f"), "1")
	git("add", "-A")
	git("commit", "-qm", "one")
	fork := git("rev-parse", "HEAD")
	git("checkout", "-qb", "feature")
	testenv.WriteFile(t, filepath.Join(dir, "f"), "2")
	git("commit", "-qam", "two")
	git("checkout", "-q", "main")
	testenv.WriteFile(t, filepath.Join(dir, "g"), "3")
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

func TestRepoReadFile(t *testing.T) {
	dir, git := testenv.GitRepo(t)
	testenv.WriteFile(t, filepath.Join(dir, ".schema-guard.yaml"), "deprecated: [users.surname]\n")
	git("add", "-A")
	git("commit", "-qm", "one")
	sha := git("rev-parse", "HEAD")
	testenv.WriteFile(t, filepath.Join(dir, ".schema-guard.yaml"), "deprecated: []\n")
	repo, err := OpenRepo(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := repo.ReadFile(context.Background(), sha, ".schema-guard.yaml")
	if err != nil || string(got) != "deprecated: [users.surname]\n" {
		t.Errorf("ReadFile = %q, %v", got, err)
	}
	if _, err := repo.ReadFile(context.Background(), sha, "missing.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestRepoTreeFSFollowsLinksOnlyInsideTheCommit: a committed symbolic link is read as git
// resolves it inside the commit; a link that leaves the commit (absolute, ../ above the top
// level, into .git) is left out even though the machine has a file there.
func TestRepoTreeFSFollowsLinksOnlyInsideTheCommit(t *testing.T) {
	dir, git := testenv.GitRepo(t)
	ctx := context.Background()
	outside := filepath.Join(filepath.Dir(dir), "outside.sql")
	testenv.WriteFile(t, outside, "-- a file of the machine\n")
	testenv.WriteFile(t, filepath.Join(dir, "shared/V2__b.sql"), "CREATE TABLE b (id INT);\n")
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__a.sql"), "CREATE TABLE a (id INT);\n")
	mig := filepath.Join(dir, "db/migrations")
	for name, target := range map[string]string{
		"V2__b.sql":        "../../shared/V2__b.sql",
		"V3__passwd.sql":   "/etc/passwd",
		"V4__up.sql":       "../../../outside.sql",
		"V5__token.sql":    "../../.git/config",
		"V6__chain.sql":    "V3__passwd.sql",
		"V7__dangling.sql": "nothing.sql",
		"sub":              "../../shared",
	} {
		if err := os.Symlink(target, filepath.Join(mig, name)); err != nil {
			t.Fatal(err)
		}
	}
	git("add", "-A")
	git("commit", "-q", "-m", "links")
	repo, err := OpenRepo(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if repo.GitDir == "" || !strings.HasSuffix(repo.GitDir, ".git") {
		t.Errorf("GitDir = %q", repo.GitDir)
	}
	tree, err := repo.TreeFS(ctx, git("rev-parse", "HEAD"), "db/migrations")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := fs.ReadFile(tree, "db/migrations/V2__b.sql"); err != nil || string(got) != "CREATE TABLE b (id INT);\n" {
		t.Errorf("a link inside the commit = %q, %v; want the linked file", got, err)
	}
	for _, name := range []string{"V3__passwd.sql", "V4__up.sql", "V5__token.sql", "V6__chain.sql", "V7__dangling.sql", "sub"} {
		if got, err := fs.ReadFile(tree, "db/migrations/"+name); err == nil {
			t.Errorf("%s was read at the commit: %q", name, got)
		}
	}
	entries, err := fs.ReadDir(tree, "db/migrations")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "V1__a.sql V2__b.sql" {
		t.Errorf("the commit's migrations = %v, want V1__a.sql V2__b.sql", names)
	}
}
