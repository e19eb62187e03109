package github

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Retry bounds: four attempts wait 1 s, 2 s and 4 s in between; a server that asks for a longer
// wait (Retry-After, X-RateLimit-Reset) is given at most a minute, since the job is waiting.
const (
	maxAttempts  = 4
	firstBackoff = time.Second
	maxWait      = time.Minute
)

// retrier is the transport of the go-github client: it sends each request through client and
// sends it again on server errors and rate limits. Retrying sits below go-github rather than
// around its calls because go-github remembers a rate-limit answer and refuses every later
// request locally until the reset time, so a retry made above it would never reach the server.
// Each attempt runs through client, so client's timeout bounds one attempt, not the waits.
type retrier struct {
	client   *http.Client
	sleep    func(context.Context, time.Duration) error
	attempts int
}

// RoundTrip sends req until it gets an answer that is not worth retrying or runs out of
// attempts; it then returns the last answer, which go-github turns into its error types.
func (r *retrier) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		try, err := rewound(req, attempt)
		if err != nil {
			return nil, err
		}
		resp, err := r.client.Do(try)
		if err != nil {
			// client.Do wraps in *url.Error, and so will the client above this transport.
			var uerr *url.Error
			if errors.As(err, &uerr) {
				err = uerr.Err
			}
			resp = nil
		}
		wait, again := retryDelay(resp, err, attempt, time.Now())
		if !again || attempt >= r.attempts || ctx.Err() != nil {
			return resp, err
		}
		if resp != nil {
			// Drain so the connection can be reused for the next attempt.
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if err := r.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("waiting to retry %s %s: %w", req.Method, req.URL.Path, err)
		}
	}
}

// rewound returns the request for one attempt: a copy with a fresh body, since a transport
// must not modify the request it was given and a sent body cannot be read again.
func rewound(req *http.Request, attempt int) (*http.Request, error) {
	try := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return try, nil
	}
	if attempt == 1 {
		try.Body = req.Body
		return try, nil
	}
	if req.GetBody == nil {
		return nil, fmt.Errorf("retrying %s %s: the request body cannot be sent again", req.Method, req.URL.Path)
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("retrying %s %s: %w", req.Method, req.URL.Path, err)
	}
	try.Body = body
	return try, nil
}

// retryDelay decides whether an answer is worth another attempt and how long to wait first.
// Network errors and 5xx get exponential backoff. Rate limits (429, or a 403 that says so in
// its headers or, for secondary limits, in its body) wait as long as the server asks. Every other
// answer, a 403 of a read-only token included, is final.
func retryDelay(resp *http.Response, err error, attempt int, now time.Time) (time.Duration, bool) {
	backoff := firstBackoff << (attempt - 1)
	switch {
	case err != nil:
		return backoff, true
	case resp.StatusCode >= 500:
		return backoff, true
	case resp.StatusCode == http.StatusTooManyRequests:
		return rateLimitWait(resp.Header, backoff, now), true
	case resp.StatusCode == http.StatusForbidden && rateLimited(resp):
		return rateLimitWait(resp.Header, backoff, now), true
	}
	return 0, false
}

// rateLimited reports whether a 403 is a rate limit rather than a refusal. A primary limit says
// so in X-RateLimit-Remaining; a secondary one may only say so in its documentation_url, so the
// body is read and put back for go-github.
func rateLimited(resp *http.Response) bool {
	if resp.Header.Get("X-RateLimit-Remaining") == "0" || resp.Header.Get("Retry-After") != "" {
		return true
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return false
	}
	var answer struct {
		DocumentationURL string `json:"documentation_url"`
	}
	if json.Unmarshal(body, &answer) != nil {
		return false
	}
	return strings.Contains(answer.DocumentationURL, "secondary-rate-limits") ||
		strings.Contains(answer.DocumentationURL, "abuse-rate-limits")
}

// rateLimitWait is how long a rate-limited request should wait: Retry-After when given, else
// until X-RateLimit-Reset, else the backoff; never more than maxWait.
func rateLimitWait(h http.Header, backoff time.Duration, now time.Time) time.Duration {
	wait := backoff
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s >= 0 {
		wait = time.Duration(s) * time.Second
	} else if reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		if until := time.Unix(reset, 0).Sub(now); until > 0 {
			// The reset time has whole seconds; a second more makes sure it has passed.
			wait = until.Truncate(time.Second) + time.Second
		}
	}
	return min(wait, maxWait)
}
