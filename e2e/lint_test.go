package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// actionlint is the workflow linter, from the module proxy at a pinned version.
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

// actionMetadata is the part of action.yml this test reads.
type actionMetadata struct {
	Inputs  map[string]map[string]any `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string           `yaml:"using"`
		Steps []map[string]any `yaml:"steps"`
	} `yaml:"runs"`
}

// TestWorkflowsLint runs actionlint, with shellcheck on every run: script, on the project's
// workflows (.github/workflows), on the example workflow users copy, and on action.yml: its
// metadata through the dogfood workflow's `uses: ./`, and its composite steps, which actionlint
// does not read in an action, as the steps of a reusable workflow with the action's inputs.
// shellcheck also reads the action's install script.
func TestWorkflowsLint(t *testing.T) {
	shellcheck, err := exec.LookPath("shellcheck")
	if err != nil {
		testenv.Unavailable(t, "shellcheck is not installed (apt-get install shellcheck): actionlint would not read the run: scripts")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows in .github/workflows: %v", err)
	}
	files = append(files, filepath.Join(root, "examples", "workflows", "schema-guard.yml"))
	steps := filepath.Join(t.TempDir(), "action-steps.yml")
	writeFile(t, steps, actionStepsWorkflow(t, root))
	files = append(files, steps)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", append([]string{"run", actionlint, "-shellcheck", shellcheck}, files...)...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		generated, _ := os.ReadFile(steps)
		t.Errorf("actionlint: %v\n%s\n(%s is action.yml's steps as a workflow:)\n%s", err, out, steps, generated)
	}

	out, err = exec.CommandContext(ctx, shellcheck, filepath.Join(root, "action", "install.sh")).CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck action/install.sh: %v\n%s", err, out)
	}
}

// actionStepsWorkflow writes action.yml's composite steps as a reusable workflow, with the
// action's inputs as its inputs and the action's outputs as its job's: what actionlint can check,
// the expressions and contexts, step ids, and the scripts.
func actionStepsWorkflow(t *testing.T, root string) []byte {
	t.Helper()
	meta := readAction(t, root)
	inputs := map[string]any{}
	for name, in := range meta.Inputs {
		inputs[name] = map[string]any{"type": "string", "required": false, "description": in["description"]}
	}
	outputs := map[string]string{}
	for name, out := range meta.Outputs {
		outputs[name] = out.Value
	}
	wf := map[string]any{
		"name": "action.yml steps",
		"on":   map[string]any{"workflow_call": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{"action": map[string]any{
			"runs-on": "ubuntu-latest",
			"outputs": outputs,
			"steps":   meta.Runs.Steps,
		}},
	}
	data, err := yaml.Marshal(wf)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readAction(t testing.TB, root string) actionMetadata {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var meta actionMetadata
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return meta
}

// TestActionPassesEveryInput checks what actionlint cannot: a composite action gets no INPUT_*
// variables, so the check step must hand every input to `schema-guard action` under the name a
// Docker or JavaScript action would get (INPUT_ and the name in capitals, dashes kept), and every
// output must come from a step of the action.
func TestActionPassesEveryInput(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	meta := readAction(t, root)
	if meta.Runs.Using != "composite" {
		t.Fatalf("runs.using is %q; want composite", meta.Runs.Using)
	}
	var check map[string]any
	var ids []string
	for _, step := range meta.Runs.Steps {
		id, _ := step["id"].(string)
		ids = append(ids, id)
		if id == "check" {
			check = step
		}
	}
	if check == nil {
		t.Fatal("action.yml has no step with id check")
	}
	env, _ := check["env"].(map[string]any)
	for name := range meta.Inputs {
		key := "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, " ", "_"))
		if got, want := env[key], "${{ inputs."+name+" }}"; got != want {
			t.Errorf("the check step's env %s = %v; want %q", key, got, want)
		}
	}
	for key := range env {
		if name, ok := strings.CutPrefix(key, "INPUT_"); ok {
			if _, declared := meta.Inputs[strings.ToLower(name)]; !declared {
				t.Errorf("the check step sets %s, but the action has no input %s", key, strings.ToLower(name))
			}
		}
	}
	for name, out := range meta.Outputs {
		var step string
		if v, ok := strings.CutPrefix(out.Value, "${{ steps."); ok {
			step, _, _ = strings.Cut(v, ".")
		}
		if !slices.Contains(ids, step) || !strings.HasSuffix(out.Value, ".outputs."+name+" }}") {
			t.Errorf("output %s = %q; want ${{ steps.<id>.outputs.%s }} of a step of the action", name, out.Value, name)
		}
	}
}
