package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// imageBase is the Dockerfile's default base; scripts/image-base.sh provides it here.
const imageBase = "debian:bookworm-slim"

// TestReleaseImage builds the CLI image from the snapshot release as GoReleaser's dockers_v2 does
// for each platform — the Dockerfile in a context that holds linux/<arch>/schema-guard, with
// TARGETPLATFORM set — for this machine's platform, and runs it: the version, git inside, and a
// check of the bundled example mounted into it. (GoReleaser builds the release's images with
// docker buildx, for linux/amd64 and linux/arm64; the project's machines have neither buildx
// nor an arm64 base, so this builds the amd64 one with the classic builder.)
func TestReleaseImage(t *testing.T) {
	r := loadRelease(t)
	dsn := testenv.DSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	image := buildReleaseImage(t, r)
	docker := func(args ...string) (string, error) {
		t.Helper()
		out, err := exec.CommandContext(ctx, "docker", args...).CombinedOutput()
		return string(out), err
	}
	out, err := docker("run", "--rm", image, "version")
	if err != nil || !strings.HasPrefix(out, "schema-guard "+r.version+" (commit "+r.commit[:12]) {
		t.Errorf("docker run %s version: %v: %q", image, err, out)
	}
	if out, err := docker("run", "--rm", "--entrypoint", "git", image, "--version"); err != nil || !strings.HasPrefix(out, "git version") {
		t.Errorf("no git in the image: %v: %q", err, out)
	}

	// The example, mounted as a user's checkout would be, owned by another user than the
	// container's root: git must still read it (safe.directory).
	shop := filepath.Join(t.TempDir(), "shop")
	copyTree(t, filepath.Join("..", "testdata", "examples", "shop"), shop, nil)
	cmd := exec.CommandContext(ctx, "git", "init", "-q", "-b", "main", shop)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	for _, args := range [][]string{{"add", "."}, {"-c", "user.name=e2e", "-c", "user.email=e2e@example.com", "commit", "-q", "-m", "example"}} {
		if out, err := exec.CommandContext(ctx, "git", append([]string{"-C", shop}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	if os.Geteuid() == 0 {
		err := filepath.WalkDir(shop, func(path string, _ os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(path, 4321, 4321)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// --network host: the test server listens on this machine's 127.0.0.1.
	out, err = docker("run", "--rm", "--network", "host", "-v", shop+":/w", "-w", "/w", image,
		"check", "--dsn", dsn, "--base", "HEAD", "--output", "json", "-q")
	if err != nil {
		t.Fatalf("check in the image: %v\n%s", err, out)
	}
	var rep struct {
		Engine struct {
			Kind string `json:"kind"`
		} `json:"engine"`
		Migrations []struct {
			State string `json:"state"`
		} `json:"migrations"`
		Summary struct {
			Errors int `json:"errors"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("check's output is not its JSON report: %v\n%s", err, out)
	}
	if rep.Engine.Kind != "dsn" || len(rep.Migrations) != 14 || rep.Summary.Errors != 0 {
		t.Errorf("report: engine %q, %d migrations, %d errors; want dsn, 14, 0\n%s", rep.Engine.Kind, len(rep.Migrations), rep.Summary.Errors, out)
	}
	for _, m := range rep.Migrations {
		if m.State != "deployed" {
			// --base HEAD: git read the history, so every migration there is deployed.
			t.Errorf("a migration is %q with --base HEAD: git did not read the mounted checkout\n%s", m.State, out)
			break
		}
	}
}

// buildReleaseImage builds the CLI image of the release for linux/amd64, as dockers_v2 would,
// under a tag of its own that is removed when the test ends.
func buildReleaseImage(t testing.TB, r *release) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "docker", "image", "inspect", "--format", "{{.Id}}", imageBase).CombinedOutput(); err != nil {
		testenv.Unavailable(t, "docker image %s is not available (scripts/image-base.sh builds it): %v: %s", imageBase, err, bytes.TrimSpace(out))
	}
	build := t.TempDir()
	linkOrCopy(t, filepath.Join("..", "Dockerfile"), filepath.Join(build, "Dockerfile"))
	if err := os.MkdirAll(filepath.Join(build, "linux", "amd64"), 0o755); err != nil {
		t.Fatal(err)
	}
	linkOrCopy(t, r.binaries["linux/amd64"], filepath.Join(build, "linux", "amd64", "schema-guard"))
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	image := "schema-guard-e2e:" + r.version + "-" + hex.EncodeToString(suffix)
	if out, err := exec.CommandContext(ctx, "docker", "build", "-q", "--build-arg", "TARGETPLATFORM=linux/amd64", "-t", image, build).CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("docker", "image", "rm", image).CombinedOutput(); err != nil {
			t.Errorf("docker image rm %s: %v: %s", image, err, out)
		}
	})
	return image
}
