package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// BenchmarkActionStart measures how long the action takes from its step's start to the check's
// start, with act running the example workflow on the clean pull request, for the ways the action
// could reach its binary:
//
//	composite/warm   the release binary from the tool cache (a runner that ran it before)
//	composite/cold   the release archive downloaded, verified and cached (an empty tool cache)
//	docker-image     a Docker action on the prebuilt CLI image, already on the machine
//	composite/source a ref without a release: built from source (Go's build cache warm)
//
// Each op is one act run (about 8 s): run it as
//
//	go test ./e2e -run '^$' -bench ActionStart -benchtime 5x
//
// It reports the median from the step's start to the check step's start (s-to-check; the Docker
// action has no such step) and to the check's first line of output (s-to-first-line).
// The downloads come over loopback: on GitHub the archive (about 7 MB) comes from its CDN, and an
// image would have to be pulled whole (docker-image here has it already).
func BenchmarkActionStart(b *testing.B) {
	b.Run("composite/warm", func(b *testing.B) {
		e := newEnv(b)
		repo := newShopRepo(b, e, exampleWorkflow(b, e))
		head := repo.pullRequest(b, "loyalty-points", "V13__add_loyalty_points.sql")
		e.runAct(b, repo, "v1", head) // fills the tool cache
		measureStart(b, func() actRun { return e.runAct(b, repo, "v1", head) })
	})
	b.Run("composite/cold", func(b *testing.B) {
		e := newEnv(b)
		repo := newShopRepo(b, e, exampleWorkflow(b, e))
		head := repo.pullRequest(b, "loyalty-points", "V13__add_loyalty_points.sql")
		measureStart(b, func() actRun {
			e.home = b.TempDir() // act's cache, and with it the tool cache, empty
			return e.runAct(b, repo, "v1", head)
		})
	})
	b.Run("docker-image", func(b *testing.B) {
		e := newEnv(b)
		image := buildReleaseImage(b, e.release)
		dockerAction(b, e.action, image)
		// act runs a Docker action only from a job container (nektos/act#97); the image base is
		// the job's image, and act's default --network host shares this machine's 127.0.0.1.
		e.platform = imageBase
		repo := newShopRepo(b, e, exampleWorkflow(b, e))
		head := repo.pullRequest(b, "loyalty-points", "V13__add_loyalty_points.sql")
		measureStart(b, func() actRun { return e.runAct(b, repo, "v1", head) })
	})
	b.Run("composite/source", func(b *testing.B) {
		e := newEnv(b)
		workflow := bytes.ReplaceAll(exampleWorkflow(b, e), []byte("uses: "+published+"\n"), []byte("uses: "+actionRepo+"@main\n"))
		repo := newShopRepo(b, e, workflow)
		head := repo.pullRequest(b, "loyalty-points", "V13__add_loyalty_points.sql")
		measureStart(b, func() actRun { return e.runAct(b, repo, "main", head) })
	})
}

// measureStart runs b.N act runs and reports the medians.
func measureStart(b *testing.B, run func() actRun) {
	b.Helper()
	var toCheck, toFirst []time.Duration
	for b.Loop() {
		r := run()
		if r.err != nil {
			b.Fatalf("act failed: %v\n%s", r.err, r.tail())
		}
		if d, ok := r.lines.elapsed(stepStart, checkStart); ok {
			toCheck = append(toCheck, d)
		}
		d, ok := r.lines.elapsed(stepStart, checkFirst)
		if !ok {
			b.Fatalf("no %q after %q in act's output\n%s", checkFirst, stepStart, r.tail())
		}
		toFirst = append(toFirst, d)
	}
	if len(toCheck) > 0 {
		b.ReportMetric(median(toCheck).Seconds(), "s-to-check")
	}
	b.ReportMetric(median(toFirst).Seconds(), "s-to-first-line")
	b.Logf("to the check step: %v; to the check's first line: %v", toCheck, toFirst)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// dockerAction turns the action's source into the alternative that was measured against the
// composite action: the same inputs, run as a Docker action on image (runs.image docker://…).
func dockerAction(b *testing.B, dir, image string) {
	b.Helper()
	meta := readAction(b, filepath.Join(dir))
	outputs := map[string]any{}
	for name := range meta.Outputs {
		outputs[name] = map[string]any{"description": name}
	}
	data, err := yaml.Marshal(map[string]any{
		"name":        "schema-guard",
		"description": "schema-guard as a Docker action on a prebuilt image",
		"inputs":      meta.Inputs,
		"outputs":     outputs,
		"runs":        map[string]any{"using": "docker", "image": "docker://" + image, "args": []string{"action"}},
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "action.yml"), data, 0o644); err != nil {
		b.Fatal(fmt.Errorf("write the Docker action: %w", err))
	}
}
