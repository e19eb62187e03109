package checker

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

func TestBaseFromGitHubEvent(t *testing.T) { testenv.EachServer(t, testBaseFromGitHubEvent) }

func testBaseFromGitHubEvent(t *testing.T, _ testenv.Server) {
	dir, git := testenv.GitRepo(t)
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__a.sql"), "CREATE TABLE a (id INT);\n")
	git("add", "-A")
	git("commit", "-qm", "one")
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSpace(string(out))
	// HEAD is main itself, so without the event the merge-base would make V2 deployed.
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V2__b.sql"), "CREATE TABLE b (id INT);\n")
	git("add", "-A")
	git("commit", "-qm", "two")

	event := filepath.Join(t.TempDir(), "event.json")
	testenv.WriteFile(t, event, `{"pull_request": {"number": 7, "base": {"sha": "`+base+`", "ref": "main"}}}`)
	t.Setenv("GITHUB_ACTIONS", "true")
	t.Setenv("GITHUB_EVENT_NAME", "pull_request")
	t.Setenv("GITHUB_EVENT_PATH", event)
	res := run(t, Options{WorkDir: dir, Engine: dsnEngine(t)})
	rep := res.Report
	if rep.Source.BaseRef != "pull_request.base.sha" || rep.Source.BaseSHA != base {
		t.Errorf("source = %+v, want base %s from the event", rep.Source, base)
	}
	if len(rep.Migrations) != 2 || rep.Migrations[0].State != "deployed" || rep.Migrations[1].State != "pending" {
		t.Errorf("migrations = %+v", rep.Migrations)
	}

	// An explicit --base wins over the event.
	res = run(t, Options{WorkDir: dir, Base: "main", Engine: dsnEngine(t)})
	if res.Report.Source.BaseRef != "main" || res.Report.Migrations[1].State != "deployed" {
		t.Errorf("--base main: %+v", res.Report.Source)
	}

	// A base commit the clone does not have: actions/checkout fetched too shallow.
	testenv.WriteFile(t, event, `{"pull_request": {"base": {"sha": "0123456789abcdef0123456789abcdef01234567"}}}`)
	_, err = Run(context.Background(), Options{WorkDir: dir, Engine: dsnEngine(t)})
	if err == nil || !strings.Contains(err.Error(), "fetch-depth: 0") {
		t.Errorf("unknown event base: %v", err)
	}
}
