package github

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/report"
)

// The fake repository and commits. The head and merge commits differ, as they do on a pull
// request, so that a test sees which one the check run went on.
const (
	fakeOwner = "acme"
	fakeRepo  = "shop"
	headSHA   = "1111111111111111111111111111111111111111"
	mergeSHA  = "2222222222222222222222222222222222222222"
	fakePR    = 7
	apiPrefix = "/api/v3" // GitHub Enterprise Server style
)

// request is one request the fake API received.
type request struct {
	Method string
	Path   string // without apiPrefix
	Query  url.Values
	Auth   string
	Body   map[string]any
}

// fakeComment is a pull-request comment held by the fake API.
type fakeComment struct {
	ID       int64
	Body     string
	UserType string // "Bot" or "User"
}

// fakeGitHub is the part of the GitHub API Publish uses, served on 127.0.0.1 under a GHES path
// prefix. It records every request and keeps comments between calls, like the real one.
type fakeGitHub struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []request
	comments []fakeComment
	nextID   int64
	pageSize int // most comments a page; 0 means what per_page asks
	// intercept, when set, answers the n-th request (from 0) instead of the fake API.
	intercept func(n int, w http.ResponseWriter) bool
}

func newFakeGitHub(t *testing.T) *fakeGitHub {
	t.Helper()
	f := &fakeGitHub{t: t, nextID: 100}
	mux := http.NewServeMux()
	repo := apiPrefix + "/repos/" + fakeOwner + "/" + fakeRepo
	mux.HandleFunc("POST "+repo+"/check-runs", f.createCheckRun)
	mux.HandleFunc("PATCH "+repo+"/check-runs/{id}", f.updateCheckRun)
	mux.HandleFunc("GET "+repo+"/issues/{number}/comments", f.listComments)
	mux.HandleFunc("POST "+repo+"/issues/{number}/comments", f.createComment)
	mux.HandleFunc("PATCH "+repo+"/issues/comments/{id}", f.editComment)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
	})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := f.record(r)
		if f.intercept != nil && f.intercept(n, w) {
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// record stores r and returns its number. The body is put back for the handlers.
func (f *fakeGitHub) record(r *http.Request) int {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("reading request body: %v", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	var body map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			f.t.Errorf("%s %s: body is not JSON: %v", r.Method, r.URL.Path, err)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, request{
		Method: r.Method,
		Path:   r.URL.Path[len(apiPrefix):],
		Query:  r.URL.Query(),
		Auth:   r.Header.Get("Authorization"),
		Body:   body,
	})
	return len(f.requests) - 1
}

// calls returns the requests so far as "METHOD path" lines.
func (f *fakeGitHub) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.requests))
	for i, r := range f.requests {
		out[i] = r.Method + " " + r.Path
	}
	return out
}

// received returns a copy of the requests so far.
func (f *fakeGitHub) received() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.requests...)
}

// reset forgets the requests, keeping the comments.
func (f *fakeGitHub) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = nil
}

func (f *fakeGitHub) id() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	return f.nextID
}

func (f *fakeGitHub) createCheckRun(w http.ResponseWriter, r *http.Request) {
	id := f.id()
	reply(w, http.StatusCreated, map[string]any{"id": id, "html_url": fmt.Sprintf("https://github.example/acme/shop/runs/%d", id)})
}

func (f *fakeGitHub) updateCheckRun(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	reply(w, http.StatusOK, map[string]any{"id": id})
}

func (f *fakeGitHub) listComments(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	size, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if size == 0 {
		size = 30
	}
	f.mu.Lock()
	if f.pageSize > 0 {
		size = min(size, f.pageSize)
	}
	var out []map[string]any
	from := (page - 1) * size
	for i := from; i < min(from+size, len(f.comments)); i++ {
		c := f.comments[i]
		out = append(out, map[string]any{"id": c.ID, "body": c.Body, "user": map[string]any{"login": "someone", "type": c.UserType}})
	}
	more := from+size < len(f.comments)
	f.mu.Unlock()
	if more {
		next := fmt.Sprintf("%s%s?page=%d&per_page=%d", f.srv.URL, r.URL.Path, page+1, size)
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, next))
	}
	reply(w, http.StatusOK, out)
}

func (f *fakeGitHub) createComment(w http.ResponseWriter, r *http.Request) {
	body := commentText(f.t, r)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	f.comments = append(f.comments, fakeComment{ID: f.nextID, Body: body, UserType: "Bot"})
	reply(w, http.StatusCreated, map[string]any{"id": f.nextID})
}

func (f *fakeGitHub) editComment(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	body := commentText(f.t, r)
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.comments {
		if f.comments[i].ID == id {
			f.comments[i].Body = body
			reply(w, http.StatusOK, map[string]any{"id": id})
			return
		}
	}
	reply(w, http.StatusNotFound, map[string]any{"message": "Not Found"})
}

// commentText decodes the body of a comment request.
func commentText(t *testing.T, r *http.Request) string {
	var c struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		t.Errorf("decoding comment: %v", err)
	}
	return c.Body
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// harness is one Publish call's surroundings: the environment, the files it points to, the
// writers and the sleeps.
type harness struct {
	env     map[string]string
	dir     string
	out     *syncBuffer
	log     *syncBuffer
	mu      sync.Mutex
	sleeps  []time.Duration
	options Options
}

// newHarness sets up a pull-request event for fake (nil: no API server) with a step summary and
// an output file in a temporary directory.
func newHarness(t *testing.T, fake *fakeGitHub) *harness {
	t.Helper()
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	payload := fmt.Sprintf(`{"action":"synchronize","number":%d,"pull_request":{"number":%d,"head":{"sha":%q}}}`, fakePR, fakePR, headSHA)
	if err := os.WriteFile(event, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	h := &harness{
		dir: dir,
		out: &syncBuffer{},
		log: &syncBuffer{},
		env: map[string]string{
			"GITHUB_ACTIONS":      "true",
			"GITHUB_REPOSITORY":   fakeOwner + "/" + fakeRepo,
			"GITHUB_SHA":          mergeSHA,
			"GITHUB_EVENT_NAME":   "pull_request",
			"GITHUB_EVENT_PATH":   event,
			"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md"),
			"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		},
	}
	if fake != nil {
		h.env["GITHUB_API_URL"] = fake.srv.URL + apiPrefix // no trailing slash, as Actions sets it
	}
	h.options = Options{
		Getenv: func(k string) string { return h.env[k] },
		Out:    h.out,
		Log:    h.log,
		Token:  "tok",
		FailOn: finding.Error,
		Sleep: func(_ context.Context, d time.Duration) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.sleeps = append(h.sleeps, d)
			return nil
		},
	}
	if fake != nil {
		h.options.HTTPClient = fake.srv.Client()
	}
	return h
}

func (h *harness) publish(t *testing.T, rep *report.Report) {
	t.Helper()
	if err := Publish(context.Background(), rep, h.options); err != nil {
		t.Fatalf("Publish: %v", err)
	}
}

func (h *harness) file(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (h *harness) waits() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.sleeps...)
}

// syncBuffer is a bytes.Buffer safe for the race detector.
type syncBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = append(s.b, p...)
	return len(p), nil
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.b)
}

// findings makes n findings in files, cycling through the severities given.
func findings(n int, severities ...finding.Severity) []finding.Finding {
	fs := make([]finding.Finding, n)
	for i := range fs {
		fs[i] = finding.Finding{
			Rule:     finding.RuleID("rule-" + strconv.Itoa(i%7)),
			Severity: severities[i%len(severities)],
			File:     fmt.Sprintf("db/migrations/V%03d__change.sql", i/10),
			Line:     i%10 + 1,
			Message:  fmt.Sprintf("finding %d", i),
		}
	}
	return fs
}

// newReport is a finished report holding fs.
func newReport(fs ...finding.Finding) *report.Report {
	rep := report.New()
	rep.Add(fs...)
	rep.Finish()
	return rep
}
