package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/sethvargo/go-githubactions"
)

const actionUsage = `Usage: schema-guard action

Runs check as the GitHub Action (action.yml) does: the action's inputs come from the INPUT_*
variables GitHub sets (migrations, schema, format, base, image, dsn, config, fail-on,
sarif-file, comment, check-run, github-token), and the report goes to GitHub: annotations, a
check run, the job summary, a sticky pull-request comment, and the outputs errors, warnings and
report. Exit codes as check, by fail-on.
`

// actionInputs are the action's inputs that are check flags of the same name.
var actionInputs = []string{"migrations", "schema", "format", "base", "image", "dsn", "config", "fail-on", "sarif-file"}

func runAction(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			fmt.Fprint(stdout, actionUsage)
			return exitOK
		}
		return fail(stderr, usageError("action", fmt.Errorf("action takes no arguments; its inputs are INPUT_* variables, not %q", args[0])))
	}
	gh := githubactions.New()
	var check []string
	for _, name := range actionInputs {
		if v := gh.GetInput(name); v != "" {
			check = append(check, "--"+name, v)
		}
	}
	for _, name := range []string{"comment", "check-run"} {
		v := gh.GetInput(name)
		if v == "" {
			continue
		}
		on, err := strconv.ParseBool(v)
		if err != nil {
			return fail(stderr, fmt.Errorf("action input %s: want true or false, not %q", name, v))
		}
		check = append(check, fmt.Sprintf("--%s=%t", name, on))
	}
	trustWorkspace()
	return runCheck(ctx, append(check, "--output", "github"), stdout, stderr)
}

// trustWorkspace lets git read the workspace: GitHub mounts it into the action's container
// owned by the runner's user, and git refuses a repository another user owns ("detected
// dubious ownership") unless safe.directory says otherwise. The setting goes to the git
// processes schema-guard starts, through the environment, and to no file.
func trustWorkspace() {
	n, _ := strconv.Atoi(os.Getenv("GIT_CONFIG_COUNT"))
	os.Setenv("GIT_CONFIG_COUNT", strconv.Itoa(n+1))
	os.Setenv("GIT_CONFIG_KEY_"+strconv.Itoa(n), "safe.directory")
	os.Setenv("GIT_CONFIG_VALUE_"+strconv.Itoa(n), "*")
}
