package e2e

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// copySource copies the repository's files (tracked ones, and new ones git does not ignore, as
// they are in the working tree) to dst: the action's source as a checkout of its ref has it.
func copySource(t testing.TB, root, dst string) {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, rel)
		info, err := os.Lstat(src)
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if !info.Mode().IsRegular() {
			continue
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// actionRepo is the action's repository as the example workflow names it (org/schema-guard@v1).
const actionRepo = "org/schema-guard"

// githubServer is a stand-in for https://github.com on 127.0.0.1, with what the action reads from
// there: the git repository of the action, whose tags say which release a ref is
// (GET /org/schema-guard/info/refs: git's "dumb" HTTP protocol, a plain file), and the release
// assets at /org/schema-guard/releases/download/<tag>/<file>. It logs every request.
type githubServer struct {
	url  string // http://127.0.0.1:87xx
	root string // the served directory
	git  string // the action's bare repository under root

	mu       sync.Mutex
	requests []string
}

// releaseCommit is what serveGitHub made of the action's source: the release commit, tagged
// with the release's version and with the moving major tag v1, and a later commit on main that
// no release tag names.
type releaseCommit struct {
	sha, later string
}

// serveGitHub publishes the action's source (src) as the repository org/schema-guard, with the
// release r published for its tag, and serves it on a port of 127.0.0.1 in 8700–8799.
func serveGitHub(t testing.TB, r *release, src string) (*githubServer, releaseCommit) {
	t.Helper()
	root := t.TempDir()
	s := &githubServer{root: root, git: filepath.Join(root, filepath.FromSlash(actionRepo))}
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"--git-dir=" + s.git, "--work-tree=" + src}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=release", "GIT_AUTHOR_EMAIL=release@example.com",
			"GIT_COMMITTER_NAME=release", "GIT_COMMITTER_EMAIL=release@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", s.git).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	git("add", "-A")
	git("commit", "-q", "-m", "Release "+r.tag())
	var c releaseCommit
	c.sha = git("rev-parse", "HEAD")
	// Annotated, as `git tag -a` makes them: ls-remote lists the tag object and the commit (^{}).
	git("tag", "-a", "-m", "Release "+r.tag(), r.tag())
	git("tag", "-a", "-m", "Latest v1 release", "v1")
	git("commit", "-q", "--allow-empty", "-m", "Work after the release")
	c.later = git("rev-parse", "HEAD")
	git("update-server-info")

	download := filepath.Join(s.git, "releases", "download", r.tag())
	if err := os.MkdirAll(download, 0o755); err != nil {
		t.Fatal(err)
	}
	files := []string{filepath.Join(r.dir, "checksums.txt")}
	for _, a := range r.archives {
		files = append(files, a)
	}
	for _, f := range files {
		linkOrCopy(t, f, filepath.Join(download, filepath.Base(f)))
	}

	ln := listenLoopback(t)
	s.url = "http://" + ln.Addr().String()
	static := http.FileServer(http.Dir(root))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, req.URL.Path)
		s.mu.Unlock()
		static.ServeHTTP(w, req)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s, c
}

// fetched is how many requests asked for a path ending in suffix.
func (s *githubServer) fetched(suffix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.requests {
		if strings.HasSuffix(p, suffix) {
			n++
		}
	}
	return n
}

// listenLoopback listens on the first free port of 127.0.0.1:8700–8799.
func listenLoopback(t testing.TB) net.Listener {
	t.Helper()
	for port := 8700; port <= 8799; port++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			return ln
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			t.Fatal(err)
		}
	}
	t.Fatal("no free port in 127.0.0.1:8700–8799")
	return nil
}

// linkOrCopy puts src at dst, as a hard link where it can: a test that changes a served file
// must replace it (remove, then write), never write into it.
func linkOrCopy(t testing.TB, src, dst string) {
	t.Helper()
	if os.Link(src, dst) == nil {
		return
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
