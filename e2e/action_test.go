// Package e2e runs the GitHub Action end to end, with a real runner: act runs the example workflow
// (examples/workflows/schema-guard.yml, the one docs/action.md shows) on pull requests against
// the bundled example, act builds the action's image from the Dockerfile and runs it as a Docker
// action, and the action replays the migrations on the test MariaDB server (dsn engine, so no
// nested containers).
//
// Needs act (go install github.com/nektos/act@v0.2.70), Docker, the local base images
// (scripts/action-images.sh) and the test server (scripts/test-env.sh); without them the test
// skips, and under CI=true it fails.
package e2e

import (
	"bufio"
	"bytes"
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

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

const (
	// The Dockerfile's default base images; scripts/action-images.sh builds them here. The
	// runtime base is also the job's container: the workflow's run step needs only bash there
	// (act skips actions/checkout of the workflow's own repository).
	goImage      = "golang:1.26-bookworm"
	runtimeImage = "debian:bookworm-slim"

	// published is how the example workflow names the action; the test points it at a copy of
	// this repository inside the pull request's workspace, where act builds it as a local action.
	published  = "org/schema-guard@v1"
	actionPath = ".github/actions/schema-guard"
	// actImage is the tag act gives the image it builds for actionPath.
	actImage = "act-github-actions-schema-guard-dockeraction:latest"

	workflowFile = ".github/workflows/schema-guard.yml"
	// apiHost is where act tells the action GitHub's API is (https://apiHost/api/v3): a port
	// that refuses connections.
	apiHost = "127.0.0.1:9"
	// containerPrefix starts the names of the containers act makes for the example workflow
	// ("schema-guard") and its job ("migrations").
	containerPrefix = "act-schema-guard-migrations"
)

func TestActionOnPullRequests(t *testing.T) {
	e := newEnv(t)
	repo := newShopRepo(t, e)

	t.Run("error finding fails the job", func(t *testing.T) {
		head := repo.pullRequest(t, "rename-full-name", "V13__add_loyalty_points.sql", "V14__rename_full_name.sql")
		run := e.runAct(t, repo, head)
		if run.err == nil {
			t.Errorf("act succeeded; want the job to fail on the rename-column error\n%s", run.tail())
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
		if !strings.Contains(run.out, "Job failed") {
			t.Errorf("act does not say the job failed\n%s", run.tail())
		}
	})

	t.Run("clean pull request passes", func(t *testing.T) {
		head := repo.pullRequest(t, "loyalty-points", "V13__add_loyalty_points.sql")
		run := e.runAct(t, repo, head)
		if run.err != nil {
			t.Errorf("act failed: %v; want the job to succeed\n%s", run.err, run.tail())
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
	act  string // the act binary
	dsn  string // the test server, for the action's dsn input
	root string // this repository
	home string // act's HOME: its caches and configuration stay out of the user's
}

func newEnv(t *testing.T) *env {
	t.Helper()
	act, err := exec.LookPath("act")
	if err != nil {
		// go install puts it here, which need not be on PATH.
		act = filepath.Join(build.Default.GOPATH, "bin", "act")
		if _, statErr := os.Stat(act); statErr != nil {
			testenv.Unavailable(t, "act is not installed (go install github.com/nektos/act@v0.2.70)")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "docker", "version", "--format", "{{.Server.Version}}").CombinedOutput(); err != nil {
		testenv.Unavailable(t, "Docker does not answer: %v: %s", err, bytes.TrimSpace(out))
	}
	for _, image := range []string{goImage, runtimeImage} {
		if out, err := exec.CommandContext(ctx, "docker", "image", "inspect", "--format", "{{.Id}}", image).CombinedOutput(); err != nil {
			testenv.Unavailable(t, "docker image %s is not available (scripts/action-images.sh builds it): %v: %s", image, err, bytes.TrimSpace(out))
		}
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{act: act, dsn: testenv.DSN(t), root: root, home: t.TempDir()}
	cleanupDocker(t)
	return e
}

// cleanupDocker removes, when the test ends, what act leaves in Docker: the job's container and
// volumes (act keeps them after a failed job unless --rm, and an interrupted run skips that too),
// the containers of a failed image build (the Docker API keeps them), its tool cache volume when
// the test made it, and the tag of the action's image. act names the job's container and volumes
// after the workflow and job alone, so they are recognised by name.
func cleanupDocker(t *testing.T) {
	t.Helper()
	named := func(args ...string) []string {
		var names []string
		for _, name := range docker(t, args...) {
			if strings.HasPrefix(name, containerPrefix) {
				names = append(names, name)
			}
		}
		return names
	}
	// Image builds are the only users of the Go build base here; act's and the test's builds are
	// the ones made while the test runs.
	failedBuilds := func() []string {
		return docker(t, "ps", "-aq", "--filter", "ancestor="+goImage, "--filter", "status=exited")
	}
	hasToolcache := func() bool {
		return slices.Contains(docker(t, "volume", "ls", "-q", "--filter", "name=act-toolcache"), "act-toolcache")
	}
	hadBuilds := failedBuilds()
	hadToolcache := hasToolcache()
	hadImage := len(docker(t, "image", "ls", "-q", actImage)) > 0
	t.Cleanup(func() {
		var containers []string
		for _, id := range failedBuilds() {
			if !slices.Contains(hadBuilds, id) {
				containers = append(containers, id)
			}
		}
		containers = append(containers, named("ps", "-a", "--format", "{{.Names}}")...)
		if len(containers) > 0 {
			docker(t, append([]string{"rm", "-f", "-v"}, containers...)...)
		}
		volumes := named("volume", "ls", "--format", "{{.Name}}")
		if !hadToolcache && hasToolcache() {
			volumes = append(volumes, "act-toolcache")
		}
		if len(volumes) > 0 {
			docker(t, append([]string{"volume", "rm", "-f"}, volumes...)...)
		}
		if !hadImage && len(docker(t, "image", "ls", "-q", actImage)) > 0 {
			// By name: the image is usually schema-guard-action:local under a second tag, and
			// then only the tag goes.
			docker(t, "image", "rm", actImage)
		}
	})
}

// docker runs a docker command and returns the words of its output (names, IDs).
func docker(t *testing.T, args ...string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", args...).Output()
	if err != nil {
		t.Errorf("docker %s: %v", strings.Join(args, " "), err)
		return nil
	}
	return strings.Fields(string(out))
}

// shopRepo is a git repository in the state of a project that uses the action: the bundled
// example's migrations deployed on main, the example workflow, and the action itself at
// actionPath (untracked, as a checkout of the action's own repository would not be in it).
type shopRepo struct {
	dir  string
	base string // main's commit: the pull requests' base
	e    *env
}

func newShopRepo(t *testing.T, e *env) *shopRepo {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "shop")
	example := filepath.Join(e.root, "testdata", "examples", "shop")
	copyTree(t, filepath.Join(example, "db"), filepath.Join(dir, "db"), nil)

	workflow, err := os.ReadFile(filepath.Join(e.root, "examples", "workflows", "schema-guard.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(workflow, []byte("uses: "+published)) {
		t.Fatalf("examples/workflows/schema-guard.yml does not use %s", published)
	}
	// The one change: the action is the local copy, not the published tag.
	workflow = bytes.ReplaceAll(workflow, []byte("uses: "+published), []byte("uses: ./"+actionPath))
	writeFile(t, filepath.Join(dir, workflowFile), workflow)

	r := &shopRepo{dir: dir, e: e}
	r.git(t, "init", "-q", "-b", "main")
	r.git(t, "add", "db", ".github")
	r.git(t, "commit", "-q", "-m", "Deployed migrations")
	r.base = r.git(t, "rev-parse", "HEAD")
	copyAction(t, e.root, filepath.Join(dir, actionPath))
	return r
}

// pullRequest makes a branch from main that adds the named migrations of the example's pull
// request (testdata/examples/shop/pr) and checks it out; it returns the head commit.
func (r *shopRepo) pullRequest(t *testing.T, branch string, migrations ...string) string {
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

func (r *shopRepo) git(t *testing.T, args ...string) string {
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
	out string
	err error
}

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

// actionExit is the exit code act reports for the failed action step ("" when it succeeded).
func (r actRun) actionExit() string {
	m := regexp.MustCompile("exit with `FAILURE`: (\\d+)").FindStringSubmatch(r.out)
	if m == nil {
		return ""
	}
	return m[1]
}

// apiFallback checks that the unreachable GitHub API (apiHost) cost the job one line of output.
func (r actRun) apiFallback(t *testing.T) {
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
func (r actRun) errorsOutput(t *testing.T) int {
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
// pull_request event, and logs how long building and running the action took.
func (e *env) runAct(t *testing.T, r *shopRepo, head string) actRun {
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

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.act, "pull_request",
		"--workflows", filepath.Join(r.dir, workflowFile),
		"--eventpath", eventFile,
		// A container job, not -self-hosted: act runs Docker actions only from a job container
		// (nektos/act#97), and it shares its network with them. act's default --network host
		// then puts the action on this machine's 127.0.0.1, where the test server listens.
		"--platform", "ubuntu-latest="+runtimeImage,
		"--pull=false",
		"--env", "GITHUB_REPOSITORY=example/shop",
		// The workflow reads the server from this secret (empty there means: a container).
		"--secret", "SCHEMA_GUARD_DSN="+e.dsn,
		// A token, and a GitHub API that refuses connections: the action must fall back to
		// annotations and the job summary, and still fail or pass by its findings.
		"--secret", "GITHUB_TOKEN=e2e-no-such-token",
		"--github-instance", apiHost,
		"--no-cache-server",
		// Remove the job's container and volumes after a failed job too.
		"--rm",
	)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "HOME="+e.home, "XDG_CACHE_HOME="+filepath.Join(e.home, ".cache"),
		"XDG_CONFIG_HOME="+filepath.Join(e.home, ".config"))
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
	t.Logf("act: %s in all; action image build %s, action run %s", time.Since(start).Round(100*time.Millisecond),
		lines.between("docker build -t "+actImage, "docker pull image="+actImage),
		lines.between("docker run image="+actImage, "Main ./"+actionPath))
	return actRun{out: out.String(), err: err}
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

// between is the time from the first line containing from to the first later line containing
// to, or "?" when act did not print them.
func (m marks) between(from, to string) string {
	for i, a := range m {
		if !strings.Contains(a.line, from) {
			continue
		}
		for _, b := range m[i+1:] {
			if strings.Contains(b.line, to) {
				return b.at.Sub(a.at).Round(100 * time.Millisecond).String()
			}
		}
	}
	return "?"
}

// copyAction copies the action's repository to dst as a Docker build sees it: without what
// .dockerignore excludes. With the same context as scripts/action-images.sh's build (which also
// sends it the way act does), act's build of the action reuses that image's layers instead of
// compiling for a minute.
func copyAction(t *testing.T, root, dst string) {
	t.Helper()
	f, err := os.Open(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	patterns, err := ignorefile.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		t.Fatal(err)
	}
	copyTree(t, root, dst, func(rel string) bool {
		switch rel {
		case "Dockerfile", ".dockerignore":
			return false // the build needs them, whatever .dockerignore says
		}
		skip, err := pm.MatchesOrParentMatches(rel)
		if err != nil {
			t.Fatal(err)
		}
		return skip
	})
}

// copyTree copies the regular files and directories under src to dst, keeping their modes and
// modification times as a build context carries them (a mode is part of a COPY's cache key); skip
// (a slash-separated path relative to src) leaves a file or directory out.
func copyTree(t *testing.T, src, dst string, skip func(rel string) bool) {
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

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(fmt.Errorf("write %s: %w", path, err))
	}
}
