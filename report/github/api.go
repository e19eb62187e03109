package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	gh "github.com/google/go-github/v62/github"
	"github.com/sethvargo/go-githubactions"

	"github.com/schema-guard/schema-guard/report"
)

// target is what the API calls are about: a repository, the commit the check run belongs to and,
// on pull-request events, the pull request that gets the comment.
type target struct {
	owner, repo string
	sha         string
	pr          int
}

// readContext reads the workflow's context: the GITHUB_* variables and the event file.
func readContext(action *githubactions.Action) (*githubactions.GitHubContext, error) {
	gctx, err := action.Context()
	if gctx == nil {
		return nil, fmt.Errorf("reading the GitHub Actions context: %w", err)
	}
	// A non-nil context with an error means that a number such as GITHUB_RUN_ID did not parse;
	// nothing here depends on those, so the context is still good.
	return gctx, nil
}

// newTarget finds the repository, commit and pull request of the run. On pull-request events the
// check run goes on the pull request's head commit: GITHUB_SHA is then the merge commit GitHub
// made for the run, and a check run on it would not show on the pull request.
func newTarget(gctx *githubactions.GitHubContext) (target, error) {
	owner, repo := gctx.Repo()
	if owner == "" || repo == "" {
		return target{}, errors.New("GITHUB_REPOSITORY is not set")
	}
	t := target{owner: owner, repo: repo, sha: gctx.SHA}
	if pr, ok := gctx.Event["pull_request"].(map[string]any); ok {
		if n, ok := pr["number"].(float64); ok {
			t.pr = int(n)
		}
		if head, ok := pr["head"].(map[string]any); ok {
			if sha, ok := head["sha"].(string); ok && sha != "" {
				t.sha = sha
			}
		}
	}
	return t, nil
}

// newClient returns a go-github client for the API at apiURL, authenticated with the token, that
// retries server errors and rate limits (see retrier).
func newClient(apiURL string, opts Options) (*gh.Client, error) {
	base, err := url.Parse(apiURL)
	if err != nil {
		return nil, fmt.Errorf("parsing GITHUB_API_URL %q: %w", apiURL, err)
	}
	// go-github resolves paths against BaseURL, which must end in a slash: without it the
	// "/api/v3" of a GitHub Enterprise Server URL would be replaced rather than extended.
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	transport := &retrier{client: opts.HTTPClient, sleep: opts.Sleep, attempts: maxAttempts}
	client := gh.NewClient(&http.Client{Transport: transport}).WithAuthToken(opts.Token)
	client.BaseURL = base
	return client, nil
}

// publishAPI creates the check run and the sticky comment as opts ask. It returns the check run's
// address, or "" when none was made. The first failure ends the API work: whatever made one
// call fail (a read-only token, an outage) would make the next fail too, and one line on Log
// says so.
func publishAPI(ctx context.Context, rep *report.Report, opts Options, gctx *githubactions.GitHubContext) string {
	t, err := newTarget(gctx)
	if err != nil {
		logFailure(opts.Log, err)
		return ""
	}
	client, err := newClient(gctx.APIURL, opts)
	if err != nil {
		logFailure(opts.Log, err)
		return ""
	}

	var checkRun string
	if opts.CheckRun {
		if t.sha == "" {
			logFailure(opts.Log, errors.New("neither the event nor GITHUB_SHA names a commit for the check run"))
			return ""
		}
		run, err := createCheckRun(ctx, client, t, rep, opts.FailOn)
		if err != nil {
			logFailure(opts.Log, err)
			return ""
		}
		checkRun = run.GetHTMLURL()
		if checkRun == "" {
			checkRun = fmt.Sprintf("%s/%s/%s/runs/%d", strings.TrimSuffix(gctx.ServerURL, "/"), t.owner, t.repo, run.GetID())
		}
	}
	if opts.Comment && t.pr > 0 {
		body := commentBody(rep, opts.FailOn, checkRun)
		if err := upsertComment(ctx, client, t, body, clean(rep)); err != nil {
			logFailure(opts.Log, err)
		}
	}
	return checkRun
}

// logFailure writes the one line that tells the user the API part did not happen, and why.
func logFailure(log io.Writer, err error) {
	const rest = "findings are in the annotations and the job summary"
	if forbidden(err) {
		fmt.Fprintf(log, "schema-guard: the token cannot create check runs or comments (%s); %s\n", describe(err), rest)
		return
	}
	fmt.Fprintf(log, "schema-guard: publishing to GitHub failed (%v); %s\n", err, rest)
}

// step wraps an API error with what was being done, keeping the error itself short: go-github's
// own messages repeat the method and the whole URL.
type step struct {
	what string
	err  error
}

func (s *step) Error() string { return s.what + ": " + describe(s.err) }
func (s *step) Unwrap() error { return s.err }

// forbidden reports whether err is the API refusing the token rather than failing: 401, or a
// 403 or 404 that is not a rate limit (the token of a pull request from a fork is read-only, and
// GitHub answers 404 for what a token may not see).
func forbidden(err error) bool {
	var rate *gh.RateLimitError
	var abuse *gh.AbuseRateLimitError
	if errors.As(err, &rate) || errors.As(err, &abuse) {
		return false
	}
	var resp *gh.ErrorResponse
	if !errors.As(err, &resp) || resp.Response == nil {
		return false
	}
	switch resp.Response.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	}
	return false
}

// describe says in a few words what the API answered: "403 Resource not accessible by
// integration", "502 Bad Gateway".
func describe(err error) string {
	var rate *gh.RateLimitError
	var abuse *gh.AbuseRateLimitError
	var resp *gh.ErrorResponse
	switch {
	case errors.As(err, &rate):
		return fmt.Sprintf("rate limit exceeded until %s", rate.Rate.Reset.Format("15:04:05 MST"))
	case errors.As(err, &abuse):
		return "secondary rate limit exceeded"
	case errors.As(err, &resp) && resp.Response != nil:
		msg := resp.Message
		if msg == "" {
			msg = http.StatusText(resp.Response.StatusCode)
		}
		return fmt.Sprintf("%d %s", resp.Response.StatusCode, msg)
	}
	return err.Error()
}
