package github

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/finding"
)

// answer makes an intercept that answers the requests for which when is true with status,
// headers and body.
func answer(when func(n int) bool, status int, headers map[string]string, body string) func(int, http.ResponseWriter) bool {
	return func(n int, w http.ResponseWriter) bool {
		if !when(n) {
			return false
		}
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
		return true
	}
}

func always(int) bool { return true }

// TestReadOnlyToken: a 403 that is not a rate limit stops the API work after that one request,
// with one line on Log, while the annotations, the summary and the outputs are still written.
func TestReadOnlyToken(t *testing.T) {
	fake := newFakeGitHub(t)
	fake.intercept = answer(always, http.StatusForbidden, nil,
		`{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/checks/runs#create-a-check-run"}`)
	h := newHarness(t, fake)
	h.options.CheckRun, h.options.Comment = true, true
	h.publish(t, newReport(findings(3, finding.Error)...))

	if got := fake.calls(); len(got) != 1 {
		t.Errorf("requests after a 403: %q", got)
	}
	if len(h.waits()) != 0 {
		t.Errorf("a 403 was retried: %v", h.waits())
	}
	log := h.log.String()
	want := "schema-guard: the token cannot create check runs or comments (403 Resource not accessible by integration); findings are in the annotations and the job summary\n"
	if log != want {
		t.Errorf("log:\n got %q\nwant %q", log, want)
	}
	if n := strings.Count(h.out.String(), "::error "); n != 3 {
		t.Errorf("%d error annotations, want 3", n)
	}
	if !strings.Contains(h.file(t, "summary.md"), "finding 2") {
		t.Error("summary misses the findings")
	}
	if !strings.Contains(h.file(t, "output"), "errors<<") {
		t.Error("outputs not written")
	}
}

// TestNotFound: a 404 (a token that may not see the repository) is a refusal too.
func TestNotFound(t *testing.T) {
	fake := newFakeGitHub(t)
	fake.intercept = answer(always, http.StatusNotFound, nil, `{"message":"Not Found"}`)
	h := newHarness(t, fake)
	h.options.Comment = true
	h.publish(t, newReport(findings(1, finding.Error)...))
	if got := fake.calls(); len(got) != 1 {
		t.Errorf("requests after a 404: %q", got)
	}
	if log := h.log.String(); strings.Count(log, "\n") != 1 || !strings.Contains(log, "(404 Not Found)") {
		t.Errorf("log %q", log)
	}
}

// TestServerErrorsThenSuccess: two 502s, then the API answers; the waits grow.
func TestServerErrorsThenSuccess(t *testing.T) {
	fake := newFakeGitHub(t)
	fake.intercept = answer(func(n int) bool { return n < 2 }, http.StatusBadGateway, nil, "<html>bad gateway</html>")
	h := newHarness(t, fake)
	h.options.CheckRun = true
	h.publish(t, newReport(findings(60, finding.Error)...))

	path := "/repos/acme/shop/check-runs"
	want := []string{"POST " + path, "POST " + path, "POST " + path, "PATCH " + path + "/101"}
	if got := fake.calls(); !slices.Equal(got, want) {
		t.Fatalf("requests:\n got %q\nwant %q", got, want)
	}
	if got := h.waits(); !slices.Equal(got, []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("waits %v, want [1s 2s]", got)
	}
	// Each attempt sends the whole body again.
	for i, r := range fake.received()[:3] {
		if n := len(annotationsOf(t, r)); n != 50 {
			t.Errorf("attempt %d sent %d annotations, want 50", i+1, n)
		}
	}
	if log := h.log.String(); log != "" {
		t.Errorf("log %q", log)
	}
}

// TestServerKeepsFailing: always 502 gives up after maxAttempts with one line on Log and no
// further call (no comment).
func TestServerKeepsFailing(t *testing.T) {
	fake := newFakeGitHub(t)
	fake.intercept = answer(always, http.StatusBadGateway, nil, "")
	h := newHarness(t, fake)
	h.options.CheckRun, h.options.Comment = true, true
	h.publish(t, newReport(findings(1, finding.Error)...))

	if got := fake.calls(); len(got) != maxAttempts || slices.ContainsFunc(got, func(c string) bool { return strings.Contains(c, "comments") }) {
		t.Errorf("requests %q, want %d attempts at the check run", got, maxAttempts)
	}
	if got := h.waits(); !slices.Equal(got, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}) {
		t.Errorf("waits %v", got)
	}
	log := h.log.String()
	if strings.Count(log, "\n") != 1 || !strings.Contains(log, "creating the check run: 502 Bad Gateway") {
		t.Errorf("log %q", log)
	}
}

// TestRateLimit: a 403 whose headers say the rate limit is used up is waited out and retried,
// not taken for a read-only token.
func TestRateLimit(t *testing.T) {
	reset := time.Now().Add(30 * time.Second).Unix()
	fake := newFakeGitHub(t)
	fake.intercept = answer(func(n int) bool { return n == 0 }, http.StatusForbidden,
		map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "1000", "X-RateLimit-Reset": strconv.FormatInt(reset, 10)},
		`{"message":"API rate limit exceeded"}`)
	h := newHarness(t, fake)
	h.options.Comment = true
	h.publish(t, newReport(findings(1, finding.Error)...))

	want := []string{"GET /repos/acme/shop/issues/7/comments", "GET /repos/acme/shop/issues/7/comments", "POST /repos/acme/shop/issues/7/comments"}
	if got := fake.calls(); !slices.Equal(got, want) {
		t.Fatalf("requests:\n got %q\nwant %q", got, want)
	}
	waits := h.waits()
	if len(waits) != 1 || waits[0] < 20*time.Second || waits[0] > 32*time.Second {
		t.Errorf("waits %v, want one of about 30 s (until the reset)", waits)
	}
	if log := h.log.String(); log != "" {
		t.Errorf("log %q", log)
	}
}

// TestRateLimitGivesUp: a rate limit that outlasts the attempts is reported as one, not as a
// refusal of the token.
func TestRateLimitGivesUp(t *testing.T) {
	fake := newFakeGitHub(t)
	fake.intercept = answer(always, http.StatusForbidden,
		map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)},
		`{"message":"API rate limit exceeded"}`)
	h := newHarness(t, fake)
	h.options.CheckRun = true
	h.publish(t, newReport())

	if got := fake.calls(); len(got) != maxAttempts {
		t.Errorf("requests %q", got)
	}
	for _, w := range h.waits() {
		if w != maxWait {
			t.Errorf("wait %v, want the cap %v", w, maxWait)
		}
	}
	if log := h.log.String(); strings.Contains(log, "token cannot") || !strings.Contains(log, "rate limit") {
		t.Errorf("log %q", log)
	}
}

func TestRetryDelay(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	resp := func(status int, headers map[string]string, body string) *http.Response {
		r := &http.Response{StatusCode: status, Header: http.Header{}, Body: http.NoBody}
		for k, v := range headers {
			r.Header.Set(k, v)
		}
		if body != "" {
			r.Body = io.NopCloser(strings.NewReader(body))
		}
		return r
	}
	tests := []struct {
		name    string
		resp    *http.Response
		attempt int
		want    time.Duration
		again   bool
	}{
		{"502 first", resp(502, nil, ""), 1, time.Second, true},
		{"503 third", resp(503, nil, ""), 3, 4 * time.Second, true},
		{"429 retry-after", resp(429, map[string]string{"Retry-After": "7"}, ""), 1, 7 * time.Second, true},
		{"429 retry-after capped", resp(429, map[string]string{"Retry-After": "3600"}, ""), 1, maxWait, true},
		{"403 reset", resp(403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1700000010"}, ""), 1, 11 * time.Second, true},
		{"403 secondary", resp(403, nil, `{"message":"You have exceeded a secondary rate limit","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`), 2, 2 * time.Second, true},
		{"403 read-only", resp(403, nil, `{"message":"Resource not accessible by integration"}`), 1, 0, false},
		{"404", resp(404, nil, ""), 1, 0, false},
		{"422", resp(422, nil, ""), 1, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, again := retryDelay(tt.resp, nil, tt.attempt, now)
			if got != tt.want || again != tt.again {
				t.Errorf("retryDelay = %v, %v; want %v, %v", got, again, tt.want, tt.again)
			}
		})
	}
}
