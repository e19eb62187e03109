package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goreleaser is the release tool, from the module proxy at the version .goreleaser.yaml is
// written for and the release workflow runs.
const goreleaser = "github.com/goreleaser/goreleaser/v2@v2.15.1"

// TestReleaseFromTag makes a release the way the release workflow does — from a version tag, not
// a snapshot, with GoReleaser's checks of the tag and the tree — in a clone of this commit, and
// publishes nothing: the version comes from the tag, the binaries carry it and the tagged commit,
// and the changelog lists the commits since the previous tag, without merge commits.
func TestReleaseFromTag(t *testing.T) {
	loadRelease(t) // the snapshot's build has warmed Go's cache for the six platforms
	if testing.Short() {
		t.Skip("a release build: -short")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(t.TempDir(), "schema-guard")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	run := func(dir, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=release", "GIT_AUTHOR_EMAIL=release@example.com",
			"GIT_COMMITTER_NAME=release", "GIT_COMMITTER_EMAIL=release@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	head := run(root, "git", "rev-parse", "HEAD")
	run(root, "git", "clone", "-q", "--no-hardlinks", "--no-checkout", root, clone)
	run(clone, "git", "checkout", "-q", "-B", "release-test", head)
	run(clone, "git", "tag", "-a", "-m", "previous", "v0.1.0")
	run(clone, "git", "commit", "-q", "--allow-empty", "-m", "Report the copier's rate per table")
	run(clone, "git", "commit", "-q", "--allow-empty", "-m", "Merge branch 'copier-rate'")
	run(clone, "git", "tag", "-a", "-m", "schema-guard 0.2.0", "v0.2.0")
	commit := run(clone, "git", "rev-parse", "HEAD")

	run(clone, "go", "run", goreleaser, "release", "--clean", "--skip=publish,docker,announce")

	changelog, err := os.ReadFile(filepath.Join(clone, "dist", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(changelog), "Report the copier's rate per table") {
		t.Errorf("the changelog lacks the commit since v0.1.0:\n%s", changelog)
	}
	if strings.Contains(string(changelog), "Merge branch") {
		t.Errorf("the changelog lists a merge commit:\n%s", changelog)
	}
	sums, err := os.ReadFile(filepath.Join(clone, "dist", "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range targets {
		goos, goarch, _ := strings.Cut(p, "/")
		ext := ".tar.gz"
		if goos == "windows" {
			ext = ".zip"
		}
		if name := "schema-guard_0.2.0_" + goos + "_" + goarch + ext; !strings.Contains(string(sums), "  "+name+"\n") {
			t.Errorf("checksums.txt has no %s:\n%s", name, sums)
		}
	}
	out := run(clone, filepath.Join(clone, "dist", "schema-guard_linux_amd64_v1", "schema-guard"), "version")
	if want := "schema-guard 0.2.0 (commit " + commit[:12] + ", "; !strings.HasPrefix(out, want) {
		t.Errorf("version = %q; want it to start with %q", out, want)
	}
}
