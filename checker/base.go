package checker

import (
	"context"
	"fmt"
	"os"

	"github.com/sethvargo/go-githubactions"

	"github.com/schema-guard/schema-guard/migrations"
)

// base is the resolved base ref.
type base struct {
	ref string // what was asked for or chosen, for the report: "main", "pull_request.base.sha"
	sha string
}

// NoBase as the base ref means: no base, every migration is pending.
const NoBase = "none"

// resolveBase picks the base ref: --base when given (NoBase for none); in GitHub Actions the pull request's base
// commit from the event file; else the merge-base of HEAD with origin/HEAD, main or master.
// No repository, or none of those refs, means no base: every migration is pending.
func resolveBase(ctx context.Context, repo *migrations.Repo, asked string) (*base, error) {
	if asked == NoBase {
		return nil, nil
	}
	if asked != "" {
		if repo == nil {
			return nil, fmt.Errorf("base ref %q: the migrations are not in a git working tree", asked)
		}
		sha, err := repo.Resolve(ctx, asked)
		if err != nil {
			return nil, err
		}
		return &base{ref: asked, sha: sha}, nil
	}
	if repo == nil {
		return nil, nil
	}
	if sha := pullRequestBase(); sha != "" {
		resolved, err := repo.Resolve(ctx, sha)
		if err != nil {
			return nil, fmt.Errorf("the pull request's base commit %.12s is not in this clone; check out with actions/checkout and fetch-depth: 0", sha)
		}
		return &base{ref: "pull_request.base.sha", sha: resolved}, nil
	}
	if sha, against := repo.DefaultBase(ctx); sha != "" {
		return &base{ref: "merge-base with " + against, sha: sha}, nil
	}
	return nil, nil
}

// pullRequestBase reads pull_request.base.sha from the GitHub Actions event file, or "".
func pullRequestBase() string {
	if os.Getenv("GITHUB_ACTIONS") != "true" || os.Getenv("GITHUB_EVENT_PATH") == "" {
		return ""
	}
	gh, err := githubactions.Context()
	if err != nil {
		return ""
	}
	pr, _ := gh.Event["pull_request"].(map[string]any)
	b, _ := pr["base"].(map[string]any)
	sha, _ := b["sha"].(string)
	return sha
}
