// Package e2e runs schema-guard as users get it: the release GoReleaser makes (dist/, from
// scripts/snapshot.sh), and the GitHub Action run by a real runner. act runs the example workflow
// (examples/workflows/schema-guard.yml, the one the README shows) on pull requests against the
// bundled example, with `uses: org/schema-guard@v1` resolved to this repository's source, and the
// action downloads its binary from a local stand-in for github.com that serves the snapshot as
// the release of its v1 tag; the check replays the migrations on the test MariaDB server (dsn
// engine).
//
// Needs act (go install github.com/nektos/act@v0.2.70), the snapshot release and the test server
// (scripts/test-env.sh, scripts/snapshot.sh); without them the tests skip, and under CI=true they
// fail.
package e2e

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"go/build"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

const (
	// published is how the example workflow names the action; act resolves it to a copy of this
	// repository (--local-repository), as the runner would check out the tag.
	published = actionRepo + "@v1"

	workflowFile = ".github/workflows/schema-guard.yml"
	// apiHost is where act tells the action GitHub's API is (https://apiHost/api/v3): a port
	// that refuses connections.
	apiHost = "127.0.0.1:9"
)

func TestActionOnPullRequests(t *testing.T) {
	e := newEnv(t)
	repo := newShopRepo(t, e, exampleWorkflow(t, e))
	archive := fmt.Sprintf("schema-guard_%s_linux_amd64.tar.gz", e.release.version)

	// The first run finds an empty tool cache: the action downloads the release.
	t.Run("error finding fails the job", func(t *testing.T) {
		head := repo.pullRequest(t, "rename-full-name", "V13__add_loyalty_points.sql", "V14__rename_full_name.sql")
		run := e.runAct(t, repo, "v1", head)
		if run.err == nil {
			t.Errorf("act succeeded; want the job to fail on the rename-column error\n%s", run.tail())
		}
		run.ranRelease(t, e.release, "verified against checksums.txt of "+e.release.tag())
		if n := e.github.fetched("/" + archive); n != 1 {
			t.Errorf("%s was downloaded %d times; want 1", archive, n)
		}
		// 1, findings: not 2, which would mean the check could not be done.
		if code := run.actionExit(); code != "1" {
			t.Errorf("the action exited with %q; want 1\n%s", code, run.tail())
		}
		// The annotation as the action prints it; act echoes the workflow commands it receives.
		errs := run.annotations("error")
		if !slices.ContainsFunc(errs, func(props map[string]string) bool {
			return props["file"] == "db/migrations/V14__rename_full_name.sql" && props["line"] == "2" &&
				props["title"] == "rename-column"
		}) {
			t.Errorf("no ::error annotation of rename-column on V14__rename_full_name.sql line 2 in act's output: %v\n%s", errs, run.tail())
		}
		if slices.ContainsFunc(errs, func(props map[string]string) bool {
			return props["file"] == "db/migrations/V13__add_loyalty_points.sql"
		}) {
			t.Errorf("an ::error annotation on the clean migration V13: %v", errs)
		}
		run.apiFallback(t)
		if n := run.errorsOutput(t); n < 1 {
			t.Errorf("the errors output is %d; want at least 1", n)
		}
		run.reportOutput(t)
		if !strings.Contains(run.out, "Job failed") {
			t.Errorf("act does not say the job failed\n%s", run.tail())
		}
	})

	// The second run finds the binary in the tool cache (act keeps it in its cache directory,
	// as a self-hosted runner keeps its tool cache).
	t.Run("clean pull request passes", func(t *testing.T) {
		head := repo.pullRequest(t, "loyalty-points", "V13__add_loyalty_points.sql")
		run := e.runAct(t, repo, "v1", head)
		if run.err != nil {
			t.Errorf("act failed: %v; want the job to succeed\n%s", run.err, run.tail())
		}
		run.ranRelease(t, e.release, "from the tool cache")
		if n := e.github.fetched("/" + archive); n != 1 {
			t.Errorf("%s was downloaded %d times in two runs; want 1: the second from the tool cache", archive, n)
		}
		run.apiFallback(t)
		if a := run.annotations("error"); len(a) > 0 {
			t.Errorf("::error annotations on a clean pull request: %v", a)
		}
		if n := run.errorsOutput(t); n != 0 {
			t.Errorf("the errors output is %d; want 0", n)
		}
		if !strings.Contains(run.out, "Job succeeded") {
			t.Errorf("act does not say the job succeeded\n%s", run.tail())
		}
	})
}

// TestActionFromSource runs the example workflow with the action at a branch, which has no
// release: the action builds schema-guard from its own source, and the check runs as with the
// release.
func TestActionFromSource(t *testing.T) {
	e := newEnv(t)
	workflow := bytes.ReplaceAll(exampleWorkflow(t, e), []byte("uses: "+published+"\n"), []byte("uses: "+actionRepo+"@main\n"))
	repo := newShopRepo(t, e, workflow)
	head := repo.pullRequest(t, "rename-full-name", "V13__add_loyalty_points.sql", "V14__rename_full_name.sql")
	run := e.runAct(t, repo, "main", head)
	if !strings.Contains(run.out, "no release for main; building from source") {
		t.Errorf("the action did not build from source\n%s", run.tail())
	}
	if code := run.actionExit(); code != "1" {
		t.Errorf("the action exited with %q; want 1 (the rename-column error)\n%s", code, run.tail())
	}
	if !slices.ContainsFunc(run.annotations("error"), func(props map[string]string) bool {
		return props["title"] == "rename-column"
	}) {
		t.Errorf("no rename-column annotation\n%s", run.tail())
	}
	if n := e.github.fetched(".tar.gz"); n != 0 {
		t.Errorf("%d archives downloaded for a branch", n)
	}
}

// TestDocsShowTheTestedWorkflow keeps the README's example workflow the one the test above runs:
// the README must show examples/workflows/schema-guard.yml verbatim.
func TestDocsShowTheTestedWorkflow(t *testing.T) {
	workflow, err := os.ReadFile(filepath.Join("..", "examples", "workflows", "schema-guard.yml"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, []byte("examples/workflows/schema-guard.yml")) || !bytes.Contains(readme, workflow) {
		t.Error("README.md does not show examples/workflows/schema-guard.yml as it is, saying so")
	}
}

// env is what the runs need from this machine.
type env struct {
	act     string // the act binary
	dsn     string // the test server, for the action's dsn input
	root    string // this repository
	home    string // act's HOME: its caches (the tool cache among them) stay out of the user's
	action  string // the action's source, as the runner checks out its ref
	release *release
	github  *githubServer
	// platform is what act runs ubuntu-latest on: -self-hosted, this machine, unless set (an
	// image: a job container, which act needs for a Docker action).
	platform string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	act, err := exec.LookPath("act")
	if err != nil {
		// go install puts it here, which need not be on PATH.
		act = filepath.Join(build.Default.GOPATH, "bin", "act")
		if _, statErr := os.Stat(act); statErr != nil {
			testenv.Unavailable(t, "act is not installed (go install github.com/nektos/act@v0.2.70)")
		}
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{act: act, dsn: testenv.DSN(t), root: root, home: t.TempDir(), release: loadRelease(t)}
	e.action = filepath.Join(t.TempDir(), "schema-guard")
	copySource(t, root, e.action)
	e.github, _ = serveGitHub(t, e.release, e.action)
	return e
}

// shopRepo is a git repository in the state of a project that uses the action: the bundled
// example's migrations deployed on main, and the example workflow as it is.
type shopRepo struct {
	dir  string
	base string // main's commit: the pull requests' base
	e    *env
}

func newShopRepo(t testing.TB, e *env, workflow []byte) *shopRepo {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "shop")
	example := filepath.Join(e.root, "testdata", "examples", "shop")
	copyTree(t, filepath.Join(example, "db"), filepath.Join(dir, "db"), nil)
	writeFile(t, filepath.Join(dir, workflowFile), workflow)

	r := &shopRepo{dir: dir, e: e}
	r.git(t, "init", "-q", "-b", "main")
	r.git(t, "add", "db", ".github")
	r.git(t, "commit", "-q", "-m", "Deployed migrations")
	r.base = r.git(t, "rev-parse", "HEAD")
	return r
}

// exampleWorkflow is examples/workflows/schema-guard.yml, which must use the published action.
func exampleWorkflow(t testing.TB, e *env) []byte {
	t.Helper()
	workflow, err := os.ReadFile(filepath.Join(e.root, "examples", "workflows", "schema-guard.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(workflow, []byte("uses: "+published+"\n")) {
		t.Fatalf("examples/workflows/schema-guard.yml does not use %s", published)
	}
	return workflow
}

// pullRequest makes a branch from main that adds the named migrations of the example's pull
// request (testdata/examples/shop/pr) and checks it out; it returns the head commit.
func (r *shopRepo) pullRequest(t testing.TB, branch string, migrations ...string) string {
	t.Helper()
	r.git(t, "checkout", "-q", "-B", branch, "main")
	for _, name := range migrations {
		data, err := os.ReadFile(filepath.Join(r.e.root, "testdata", "examples", "shop", "pr", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(r.dir, "db", "migrations", name), data)
	}
	r.git(t, "add", "db")
	r.git(t, "commit", "-q", "-m", "Add "+strings.Join(migrations, ", "))
	return r.git(t, "rev-parse", "HEAD")
}

func (r *shopRepo) git(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=e2e", "-c", "user.email=e2e@example.com"}, args...)...)
	cmd.Dir = r.dir
	// The user's and the system's settings (commit signing, hooks) stay out of the fixture.
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// actRun is one act run: its output and exit status.
type actRun struct {
	out   string
	err   error
	lines marks
}

// The lines act prints when the action's step starts, and when its check step (action.yml,
// id check) starts: from one to the other, the action fetches or finds its binary. The check's
// first line comes once it has connected to the server and read the migrations.
const (
	stepStart  = "Run Main " + actionRepo + "@"
	checkStart = "Run Main schema-guard check"
	checkFirst = "schema-guard: replaying"
)

// toCheck is the time from the action's step start to its check step's start.
func (r actRun) toCheck() string { return r.lines.between(stepStart, checkStart) }

// toFirstLine is the time from the action's step start to the check's first line of output.
func (r actRun) toFirstLine() string { return r.lines.between(stepStart, checkFirst) }

// tail is the end of act's output, for failure messages.
func (r actRun) tail() string {
	lines := strings.Split(strings.TrimRight(r.out, "\n"), "\n")
	if len(lines) > 80 {
		lines = append([]string{"…"}, lines[len(lines)-80:]...)
	}
	return strings.Join(lines, "\n")
}

// annotations returns the properties (file, line, col, title) of the workflow commands of a
// kind (error, warning, notice) that the action printed.
func (r actRun) annotations(kind string) []map[string]string {
	var all []map[string]string
	re := regexp.MustCompile(`::` + kind + ` ([^:]*)::`)
	for _, m := range re.FindAllStringSubmatch(r.out, -1) {
		props := map[string]string{}
		for _, kv := range strings.Split(m[1], ",") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				props[k] = v
			}
		}
		all = append(all, props)
	}
	return all
}

// actionExit is the exit code of schema-guard in the action's check step, as act reports it
// after the step's failure ("" when the step succeeded).
func (r actRun) actionExit() string {
	_, after, ok := strings.Cut(r.out, "Failure - Main schema-guard check")
	if !ok {
		return ""
	}
	m := regexp.MustCompile(`exit status (\d+)`).FindStringSubmatch(after)
	if m == nil {
		return "?"
	}
	return m[1]
}

// ranRelease checks that the action ran the release's binary, which it got as how says
// ("verified against checksums.txt of v…", "from the tool cache").
func (r actRun) ranRelease(t testing.TB, rel *release, how string) {
	t.Helper()
	want := "schema-guard setup: schema-guard " + rel.version + " (commit " + rel.commit[:12]
	for _, line := range strings.Split(r.out, "\n") {
		if strings.Contains(line, want) && strings.Contains(line, how) {
			return
		}
	}
	t.Errorf("act's output has no line with %q and %q\n%s", want, how, r.tail())
}

// reportOutput checks the report output: the path of the JSON report, which the check wrote.
func (r actRun) reportOutput(t testing.TB) {
	t.Helper()
	m := regexp.MustCompile(`::set-output:: report=(\S+)`).FindStringSubmatch(r.out)
	if m == nil || filepath.Base(m[1]) != "schema-guard-report.json" {
		t.Errorf("no report output naming schema-guard-report.json in act's output: %q\n%s", m, r.tail())
	}
}

// apiFallback checks that the unreachable GitHub API (apiHost) cost the job one line of output.
func (r actRun) apiFallback(t testing.TB) {
	t.Helper()
	var lines []string
	for _, line := range strings.Split(r.out, "\n") {
		if strings.Contains(line, apiHost) {
			lines = append(lines, line)
		}
	}
	if len(lines) != 1 {
		t.Errorf("%d lines name the unreachable GitHub API %s; want one\n%s", len(lines), apiHost, strings.Join(lines, "\n"))
	}
}

// errorsOutput reads the action's errors output from the workflow's Summary step.
func (r actRun) errorsOutput(t testing.TB) int {
	t.Helper()
	m := regexp.MustCompile(`schema-guard found (\d+) errors`).FindStringSubmatch(r.out)
	if m == nil {
		t.Errorf("the Summary step did not print the action's outputs\n%s", r.tail())
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// runAct runs the workflow on the pull request from main to head, as GitHub would on its
// pull_request event, with the action at ref (v1: the release), and logs how long the action's
// step took to start the check.
func (e *env) runAct(t testing.TB, r *shopRepo, ref, head string) actRun {
	t.Helper()
	branch := r.git(t, "rev-parse", "--abbrev-ref", "HEAD")
	event, err := json.Marshal(map[string]any{
		"action": "synchronize",
		"number": 1,
		"pull_request": map[string]any{
			"number": 1,
			"base":   map[string]any{"ref": "main", "sha": r.base},
			"head":   map[string]any{"ref": branch, "sha": head},
		},
		"repository": map[string]any{"full_name": "example/shop", "name": "shop", "owner": map[string]any{"login": "example"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	eventFile := filepath.Join(t.TempDir(), "event.json")
	writeFile(t, eventFile, event)
	goEnv := func(name string) string {
		out, err := exec.Command("go", "env", name).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", name, err)
		}
		return strings.TrimSpace(string(out))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.act, "pull_request",
		"--workflows", filepath.Join(r.dir, workflowFile),
		"--eventpath", eventFile,
		// The steps run on this machine, as on a runner: a composite action runs its steps on the
		// runner itself, and the test server on 127.0.0.1 is this machine's.
		"--platform", "ubuntu-latest="+cmp.Or(e.platform, "-self-hosted"),
		// A job container (platform) is an image of this machine; it is removed after the job.
		"--pull=false", "--rm",
		// uses: org/schema-guard@REF is the action's source, as the runner would download it.
		"--local-repository", actionRepo+"@"+ref+"="+e.action,
		// github.server_url: where the action reads its tags and downloads its release.
		"--env", "GITHUB_SERVER_URL="+e.github.url,
		"--env", "GITHUB_REPOSITORY=example/shop",
		// The workflow reads the server from this secret (empty there means: a container).
		"--secret", "SCHEMA_GUARD_DSN="+e.dsn,
		// A token, and a GitHub API that refuses connections: the action must fall back to
		// annotations and the job summary, and still fail or pass by its findings.
		"--secret", "GITHUB_TOKEN=e2e-no-such-token",
		"--github-instance", apiHost,
		"--no-cache-server",
	)
	cmd.Dir = r.dir
	// HOME and the XDG directories hold act's caches, the tool cache among them; Go's caches stay
	// the machine's, so that a build from source compiles only what changed.
	cmd.Env = append(os.Environ(), "HOME="+e.home, "XDG_CACHE_HOME="+filepath.Join(e.home, ".cache"),
		"XDG_CONFIG_HOME="+filepath.Join(e.home, ".config"),
		"GOCACHE="+goEnv("GOCACHE"), "GOMODCACHE="+goEnv("GOMODCACHE"), "GOPATH="+goEnv("GOPATH"))
	// One pipe for both streams keeps act's lines in order, and each line is timed as it comes.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	start := time.Now()
	err = cmd.Start()
	pw.Close()
	if err != nil {
		pr.Close()
		t.Fatal(err)
	}
	var out bytes.Buffer
	lines := timeLines(io.TeeReader(pr, &out))
	pr.Close()
	err = cmd.Wait()
	run := actRun{out: out.String(), err: err, lines: lines}
	t.Logf("act: %s in all; from the action's step start to the check step's start %s, to the check's first line %s",
		time.Since(start).Round(100*time.Millisecond), run.toCheck(), run.toFirstLine())
	return run
}

// mark is a line of act's output and when it came.
type mark struct {
	at   time.Time
	line string
}

type marks []mark

// timeLines reads r to its end and notes when each line arrived.
func timeLines(r io.Reader) marks {
	var m marks
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		m = append(m, mark{time.Now(), sc.Text()})
	}
	// A line too long for the scanner ends the timing, not the reading: act must not block.
	_, _ = io.Copy(io.Discard, r)
	return m
}

// elapsed is the time from the first line containing from to the first later line containing
// to; false when act did not print them.
func (m marks) elapsed(from, to string) (time.Duration, bool) {
	for i, a := range m {
		if !strings.Contains(a.line, from) {
			continue
		}
		for _, b := range m[i+1:] {
			if strings.Contains(b.line, to) {
				return b.at.Sub(a.at), true
			}
		}
	}
	return 0, false
}

// between is elapsed for a log line: "?" when act did not print the lines.
func (m marks) between(from, to string) string {
	d, ok := m.elapsed(from, to)
	if !ok {
		return "?"
	}
	return d.Round(10 * time.Millisecond).String()
}

// copyTree copies the regular files and directories under src to dst, keeping their modes and
// modification times; skip (a slash-separated path relative to src) leaves a file or directory
// out.
func copyTree(t testing.TB, src, dst string, skip func(rel string) bool) {
	t.Helper()
	type dir struct {
		path string
		info fs.FileInfo
	}
	var dirs []dir
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if rel != "." && skip != nil && skip(filepath.ToSlash(rel)) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			dirs = append(dirs, dir{target, info})
			return os.MkdirAll(target, 0o755)
		case info.Mode().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if err := os.WriteFile(target, data, 0o644); err != nil {
				return err
			}
			return keepMeta(target, info)
		}
		return nil // sockets, symlinks: nothing a build or a migration directory needs
	})
	// Directories last, deepest first: writing into one changes its time.
	for i := len(dirs) - 1; err == nil && i >= 0; i-- {
		err = keepMeta(dirs[i].path, dirs[i].info)
	}
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

// keepMeta gives path the mode (whatever the umask) and modification time of info.
func keepMeta(path string, info fs.FileInfo) error {
	if err := os.Chmod(path, info.Mode().Perm()); err != nil {
		return err
	}
	return os.Chtimes(path, info.ModTime(), info.ModTime())
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(fmt.Errorf("write %s: %w", path, err))
	}
}
