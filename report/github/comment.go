package github

import (
	"context"
	"strings"

	gh "github.com/google/go-github/v62/github"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/report"
)

// commentMarker starts the sticky comment. It is how a later run finds the comment to edit, so
// it must never change.
const commentMarker = "<!-- schema-guard:report -->"

// commentLimit is the most characters GitHub takes in a comment body.
const commentLimit = 65536

// commentsPerPage is the largest page the API gives.
const commentsPerPage = 100

// commentBody is the marker and the report, within the comment limit.
func commentBody(rep *report.Report, failOn finding.Severity, checkRun string) string {
	elsewhere := "the job summary"
	if checkRun != "" {
		elsewhere = "the check run"
	}
	md := markdown(rep, mdOptions{
		Limit:       commentLimit - len(commentMarker) - 1,
		FailOn:      failOn,
		Elsewhere:   elsewhere,
		CheckRunURL: checkRun,
	})
	return commentMarker + "\n" + md
}

// clean reports whether the report has nothing to tell a reviewer.
func clean(rep *report.Report) bool { return len(rep.Findings) == 0 && len(rep.Drift) == 0 }

// upsertComment keeps one schema-guard comment on the pull request: it edits the comment an
// earlier run left, and creates one only when there is none. A clean run creates nothing, since
// a comment saying all is well is noise, but it does edit an earlier comment so that its stale
// findings do not stay on the pull request.
func upsertComment(ctx context.Context, client *gh.Client, t target, body string, isClean bool) error {
	existing, err := findComment(ctx, client, t)
	if err != nil {
		return err
	}
	comment := &gh.IssueComment{Body: gh.String(body)}
	switch {
	case existing != nil:
		if _, _, err := client.Issues.EditComment(ctx, t.owner, t.repo, existing.GetID(), comment); err != nil {
			return &step{"editing the pull request comment", err}
		}
	case !isClean:
		if _, _, err := client.Issues.CreateComment(ctx, t.owner, t.repo, t.pr, comment); err != nil {
			return &step{"commenting on the pull request", err}
		}
	}
	return nil
}

// findComment returns the comment an earlier run left on the pull request, or nil. Anyone can
// paste the marker into a comment, so a marked comment by a bot (the Actions token posts as
// github-actions[bot]) is preferred over the first marked one; the latter is the fallback for a
// personal token, whose comments are a user's.
func findComment(ctx context.Context, client *gh.Client, t target) (*gh.IssueComment, error) {
	opts := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: commentsPerPage}}
	var first *gh.IssueComment
	for {
		page, resp, err := client.Issues.ListComments(ctx, t.owner, t.repo, t.pr, opts)
		if err != nil {
			return nil, &step{"listing the pull request comments", err}
		}
		for _, c := range page {
			if !strings.Contains(c.GetBody(), commentMarker) {
				continue
			}
			if c.GetUser().GetType() == "Bot" {
				return c, nil
			}
			if first == nil {
				first = c
			}
		}
		if resp.NextPage == 0 {
			return first, nil
		}
		opts.Page = resp.NextPage
	}
}
