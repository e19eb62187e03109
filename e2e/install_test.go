package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// setupRun is one run of action/install.sh, the action's first step, as the runner would start
// it: GITHUB_ACTION_PATH, the RUNNER_* variables and the SG_* ones action.yml passes.
type setupRun struct {
	out     string
	err     error
	outputs map[string]string // what it wrote to $GITHUB_OUTPUT
}

type setupEnv struct {
	script     string // action/install.sh
	actionPath string // the action's checkout
	toolCache  string
	server     *githubServer
	path       string // PATH; without Go, a source build is impossible
}

func (e setupEnv) run(t *testing.T, ref string, extra ...string) setupRun {
	t.Helper()
	temp := t.TempDir()
	outputFile := filepath.Join(temp, "output")
	cmd := exec.Command("bash", e.script)
	cmd.Env = append([]string{
		"PATH=" + e.path, "HOME=" + temp,
		"GITHUB_ACTION_PATH=" + e.actionPath, "GITHUB_OUTPUT=" + outputFile,
		"RUNNER_OS=Linux", "RUNNER_ARCH=X64", "RUNNER_TEMP=" + temp, "RUNNER_TOOL_CACHE=" + e.toolCache,
		"SG_ACTION_REF=" + ref, "SG_ACTION_REPOSITORY=" + actionRepo, "SG_SERVER_URL=" + e.server.url,
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
	}, extra...)
	out, err := cmd.CombinedOutput()
	r := setupRun{out: string(out), err: err, outputs: map[string]string{}}
	if f, ferr := os.Open(outputFile); ferr == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), "="); ok {
				r.outputs[k] = v
			}
		}
		f.Close()
	}
	return r
}

// pathWithout is PATH without the directories that hold the named programs.
func pathWithout(t *testing.T, programs ...string) string {
	t.Helper()
	var keep []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		has := false
		for _, p := range programs {
			if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
				has = true
			}
		}
		if !has {
			keep = append(keep, dir)
		}
	}
	return strings.Join(keep, string(os.PathListSeparator))
}

// TestActionSetup runs the action's first step, action/install.sh, against a local stand-in for
// GitHub that serves the snapshot release (dist/) as the release of the action's tag: which ref
// finds the release, that the archive is verified and cached, and that a tampered or
// unlisted archive is refused and nothing is cached.
func TestActionSetup(t *testing.T) {
	r := loadRelease(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "action")
	copySource(t, root, src)
	srv, commits := serveGitHub(t, r, src)
	archive := "schema-guard_" + r.version + "_linux_amd64.tar.gz"
	noGo := pathWithout(t, "go")
	newEnv := func() setupEnv {
		return setupEnv{script: filepath.Join(src, "action", "install.sh"), actionPath: src,
			toolCache: t.TempDir(), server: srv, path: noGo}
	}
	wantRelease := func(t *testing.T, run setupRun, source string) {
		t.Helper()
		if run.err != nil {
			t.Fatalf("install.sh: %v\n%s", run.err, run.out)
		}
		if run.outputs["source"] != source {
			t.Errorf("source output %q; want %q\n%s", run.outputs["source"], source, run.out)
		}
		if v := run.outputs["version"]; !strings.HasPrefix(v, "schema-guard "+r.version+" (commit "+r.commit[:12]) {
			t.Errorf("version output %q; want the release's %s of %s", v, r.version, r.commit[:12])
		}
		bin := run.outputs["path"]
		out, err := exec.Command(bin, "version").CombinedOutput()
		if err != nil || !strings.Contains(string(out), r.version) {
			t.Errorf("%s version: %v: %s", bin, err, out)
		}
	}

	t.Run("major tag: downloaded, verified, cached", func(t *testing.T) {
		e := newEnv()
		before := srv.fetched(archive)
		run := e.run(t, "v1")
		wantRelease(t, run, "release")
		if n := srv.fetched(archive) - before; n != 1 {
			t.Errorf("%s downloaded %d times; want 1", archive, n)
		}
		if !strings.Contains(run.out, "verified against checksums.txt of "+r.tag()) {
			t.Errorf("no word of the verification\n%s", run.out)
		}
		if want := filepath.Join(e.toolCache, "schema-guard", r.version, "amd64", "schema-guard"); run.outputs["path"] != want {
			t.Errorf("path %q; want %q in the tool cache", run.outputs["path"], want)
		}

		before = srv.fetched(archive)
		run = e.run(t, "v1")
		wantRelease(t, run, "cache")
		if n := srv.fetched(archive) - before; n != 0 {
			t.Errorf("a warm tool cache downloaded %s %d times", archive, n)
		}
	})

	t.Run("version tag", func(t *testing.T) {
		before := srv.fetched("/info/refs")
		wantRelease(t, newEnv().run(t, r.tag()), "release")
		// The tag is the release: no need to read the repository's tags.
		if n := srv.fetched("/info/refs") - before; n != 0 {
			t.Errorf("the tags were read %d times for a version tag", n)
		}
	})

	t.Run("release commit SHA", func(t *testing.T) {
		wantRelease(t, newEnv().run(t, commits.sha), "release")
	})

	t.Run("act's arch name", func(t *testing.T) {
		wantRelease(t, newEnv().run(t, "v1", "RUNNER_ARCH=amd64"), "release")
	})

	t.Run("ref and repository from the action's path", func(t *testing.T) {
		// Where github.action_ref and github.action_repository come out empty, the runner's
		// _actions/<owner>/<repo>/<ref> directory says them.
		e := newEnv()
		e.actionPath = filepath.Join(t.TempDir(), "_actions", "org", "schema-guard", "v1")
		if err := os.MkdirAll(e.actionPath, 0o755); err != nil {
			t.Fatal(err)
		}
		wantRelease(t, e.run(t, "", "SG_ACTION_REPOSITORY="), "release")
	})

	// Refs without a release are built from source, which needs Go: without it on PATH, the step
	// fails saying so, and it must have tried nothing else.
	for name, ref := range map[string]string{"branch": "main", "later commit": commits.later, "unknown tag": "v7"} {
		t.Run(name+" builds from source", func(t *testing.T) {
			e := newEnv()
			run := e.run(t, ref)
			if run.err == nil {
				t.Fatalf("install.sh succeeded without Go for %s\n%s", ref, run.out)
			}
			if !strings.Contains(run.out, "::error") || !strings.Contains(run.out, "no Go toolchain") {
				t.Errorf("no ::error about the missing Go toolchain\n%s", run.out)
			}
			if run.outputs["path"] != "" {
				t.Errorf("a path output %q after a failure", run.outputs["path"])
			}
		})
	}

	// The archive as served is changed, or missing from checksums.txt: the step must refuse it
	// and leave nothing in the tool cache that a later job would trust.
	tamper := func(t *testing.T, name string, change func([]byte) []byte) {
		t.Helper()
		path := filepath.Join(srv.git, "releases", "download", r.tag(), name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// Replaced, not written into: the served file is a hard link to dist/.
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, change(data), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			os.Remove(path)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Error(err)
			}
		})
	}
	refused := func(t *testing.T, e setupEnv, run setupRun, why string) {
		t.Helper()
		if run.err == nil {
			t.Fatalf("install.sh accepted it\n%s", run.out)
		}
		if !strings.Contains(run.out, "::error") || !strings.Contains(run.out, why) {
			t.Errorf("no ::error saying %q\n%s", why, run.out)
		}
		if entries, _ := os.ReadDir(filepath.Join(e.toolCache, "schema-guard", r.version)); len(entries) > 0 {
			t.Errorf("the refused archive left %d entries in the tool cache", len(entries))
		}
	}
	t.Run("tampered archive is refused", func(t *testing.T) {
		tamper(t, archive, func(b []byte) []byte {
			b = append([]byte(nil), b...)
			b[len(b)/2] ^= 0xff
			return b
		})
		e := newEnv()
		refused(t, e, e.run(t, "v1"), "does not match checksums.txt")
	})
	t.Run("archive missing from checksums.txt is refused", func(t *testing.T) {
		tamper(t, "checksums.txt", func(b []byte) []byte {
			var keep []string
			for _, line := range strings.Split(string(b), "\n") {
				if !strings.HasSuffix(line, archive) {
					keep = append(keep, line)
				}
			}
			return []byte(strings.Join(keep, "\n"))
		})
		e := newEnv()
		refused(t, e, e.run(t, "v1"), "has no line for "+archive)
	})
}
