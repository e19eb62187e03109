package fence

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree makes a repository-like directory with a file, a subdirectory and a .git directory, and a
// directory outside it with a file.
func tree(t *testing.T) (repo, outside string) {
	t.Helper()
	base := t.TempDir()
	repo, outside = filepath.Join(base, "repo"), filepath.Join(base, "outside")
	for _, d := range []string{"db/migrations", "shared", ".git"} {
		if err := os.MkdirAll(filepath.Join(repo, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(repo, "db/migrations/V1__a.sql"), "CREATE TABLE a (id INT);\n")
	write(t, filepath.Join(repo, "shared/V2__b.sql"), "CREATE TABLE b (id INT);\n")
	write(t, filepath.Join(repo, ".git/config"), "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
	write(t, filepath.Join(outside, "secret.sql"), "-- the machine's file\n")
	return repo, outside
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func link(t *testing.T, target, at string) {
	t.Helper()
	if err := os.Symlink(target, at); err != nil {
		t.Fatal(err)
	}
}

func TestCheckRefusesLinksThatLeaveTheTree(t *testing.T) {
	repo, outside := tree(t)
	mig := filepath.Join(repo, "db/migrations")
	link(t, "/etc/passwd", filepath.Join(mig, "V3__passwd.sql"))
	link(t, outside, filepath.Join(mig, "sub"))
	link(t, "../../../outside/secret.sql", filepath.Join(mig, "V4__up.sql"))
	link(t, "../../.git/config", filepath.Join(mig, "V5__token.sql"))
	link(t, "V3__passwd.sql", filepath.Join(mig, "V6__chain.sql"))
	link(t, "/nonexistent/x.sql", filepath.Join(mig, "V7__dangling_out.sql"))
	link(t, "../../shared/V2__b.sql", filepath.Join(mig, "V2__b.sql"))
	link(t, "../../shared", filepath.Join(mig, "inside"))
	link(t, "nothing-here.sql", filepath.Join(mig, "V8__dangling_in.sql"))
	r, err := New(repo, "the repository", "")
	if err != nil {
		t.Fatal(err)
	}
	refused := map[string]string{ // path → the link the error names and where it leads
		"db/migrations/V3__passwd.sql":       "db/migrations/V3__passwd.sql is a symbolic link to /etc/passwd, outside the repository",
		"db/migrations/sub/secret.sql":       "db/migrations/sub (on the way to db/migrations/sub/secret.sql) is a symbolic link to " + outside + ", outside the repository",
		"db/migrations/sub":                  "db/migrations/sub is a symbolic link to " + outside,
		"db/migrations/V4__up.sql":           "db/migrations/V4__up.sql is a symbolic link to ../../../outside/secret.sql, outside",
		"db/migrations/V5__token.sql":        "db/migrations/V5__token.sql is a symbolic link to ../../.git/config, into the git directory",
		"db/migrations/V6__chain.sql":        "db/migrations/V6__chain.sql is a symbolic link to V3__passwd.sql, outside",
		"db/migrations/V7__dangling_out.sql": "is a symbolic link to /nonexistent/x.sql, outside",
		".git/config":                        ".git/config lies in the git directory",
	}
	for p, want := range refused {
		err := r.Check(p)
		var fe *Error
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), want) {
			t.Errorf("Check(%s) = %v, want an *Error saying %q", p, err, want)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("Check(%s): the error spans lines: %q", p, err)
		}
		// Every way of reading it refuses it too.
		if _, err := fs.ReadFile(r.FS(), p); !errors.As(err, &fe) {
			t.Errorf("ReadFile(%s) = %v, want the refusal", p, err)
		}
		if _, err := fs.Stat(r.FS(), p); !errors.As(err, &fe) {
			t.Errorf("Stat(%s) = %v, want the refusal", p, err)
		}
	}
	for _, p := range []string{"db/migrations/V1__a.sql", "db/migrations/V2__b.sql", "db/migrations/inside/V2__b.sql", "db/migrations/V8__dangling_in.sql", "db/migrations/none.sql", "."} {
		if err := r.Check(p); err != nil {
			t.Errorf("Check(%s) = %v, want nil: the link stays inside", p, err)
		}
	}
	if b, err := fs.ReadFile(r.FS(), "db/migrations/V2__b.sql"); err != nil || !strings.Contains(string(b), "CREATE TABLE b") {
		t.Errorf("a link inside the repository is not followed: %q, %v", b, err)
	}
	// A listing names the first link that leaves the tree, rather than leave it out.
	if _, err := fs.ReadDir(r.FS(), "db/migrations"); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("ReadDir of a directory holding links out = %v, want a refusal", err)
	}
	if entries, err := fs.ReadDir(r.FS(), "shared"); err != nil || len(entries) != 1 {
		t.Errorf("ReadDir(shared) = %v, %v", entries, err)
	}
}

func TestRelResolvesLinksAboveTheTreeOnly(t *testing.T) {
	repo, outside := tree(t)
	r, err := New(repo, "the repository", "")
	if err != nil {
		t.Fatal(err)
	}
	// The repository reached through a link above it, as macOS's /var reaches /private/var.
	above := filepath.Join(t.TempDir(), "checkout")
	link(t, repo, above)
	for abs, want := range map[string]string{
		filepath.Join(repo, "db/migrations"):    "db/migrations",
		filepath.Join(above, "db/migrations"):   "db/migrations",
		filepath.Join(above, "db/not-yet-made"): "db/not-yet-made",
		repo:                                    ".",
	} {
		if rel, ok := r.Rel(abs); !ok || rel != want {
			t.Errorf("Rel(%s) = %q, %v; want %q", abs, rel, ok, want)
		}
	}
	for _, abs := range []string{outside, filepath.Join(outside, "secret.sql"), "/etc/passwd", filepath.Dir(repo)} {
		if rel, ok := r.Rel(abs); ok {
			t.Errorf("Rel(%s) = %q: outside the tree", abs, rel)
		}
	}
	// A link inside the tree is not resolved by Rel: Check judges it.
	link(t, outside, filepath.Join(repo, "db/out"))
	if rel, ok := r.Rel(filepath.Join(repo, "db/out/secret.sql")); !ok || rel != "db/out/secret.sql" {
		t.Errorf("Rel through a link inside = %q, %v", rel, ok)
	}
	if err := r.Check("db/out/secret.sql"); err == nil {
		t.Error("a path through a link out of the tree passed Check")
	}
}

func TestGitDirElsewhereIsRefused(t *testing.T) {
	repo, outside := tree(t)
	// A worktree's git directory lies in the main repository; a link to it leaves the tree
	// anyway, and a git directory inside the tree under another name is refused by name.
	gitDir := filepath.Join(repo, "shared")
	r, err := New(repo, "the repository", gitDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Check("shared/V2__b.sql"); err == nil || !strings.Contains(err.Error(), "git directory") {
		t.Errorf("Check of a file in the git directory = %v", err)
	}
	_ = outside
}
