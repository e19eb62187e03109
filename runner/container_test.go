package runner

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// runContainers lists the containers of one run. Other packages' tests start containers at the
// same time, so only the run's own label tells.
func runContainers(t *testing.T, runID string, filters ...string) []string {
	t.Helper()
	out, err := exec.Command("docker", append([]string{"ps", "-aq", "--filter", "label=" + labelRun + "=" + runID}, filters...)...).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.Fields(string(out))
}

func TestContainerEngine(t *testing.T) { testenv.EachImage(t, testContainerEngine) }

func testContainerEngine(t *testing.T, _ testenv.ServerImage) {
	image := testenv.Image(t)
	runID := "test" + testenv.RandomHex(6)
	ctx := context.Background()
	srv, err := Start(ctx, Options{Kind: Container, Image: image, RunID: runID})
	if err != nil {
		t.Fatalf("start container engine: %v", err)
	}
	defer srv.Close(ctx)
	if srv.Kind != Container || srv.Image != image || srv.Startup <= 0 {
		t.Errorf("server = %+v", srv)
	}
	if got := len(runContainers(t, runID)); got != 1 {
		t.Errorf("%d containers of the run while running, want 1", got)
	}
	// Durability off, and the address is the published port on the host override.
	var flush int
	if err := srv.Admin().QueryRowContext(ctx, "SELECT @@innodb_flush_log_at_trx_commit").Scan(&flush); err != nil || flush != 0 {
		t.Errorf("innodb_flush_log_at_trx_commit = %d, %v", flush, err)
	}
	if !strings.HasPrefix(srv.cfg.Addr, "127.0.0.1:") {
		t.Errorf("server address %s is not on 127.0.0.1", srv.cfg.Addr)
	}
	// Binary logging as the image has it (MySQL: on, as in production), creators of functions
	// trusted, no events run.
	var logBin, trust int
	var events string
	if err := srv.Admin().QueryRowContext(ctx, "SELECT @@log_bin, @@log_bin_trust_function_creators, @@event_scheduler").
		Scan(&logBin, &trust, &events); err != nil || logBin != map[bool]int{true: 1}[srv.Flavor.IsMySQL()] || trust != 1 || events != "OFF" {
		t.Errorf("log_bin %d, log_bin_trust_function_creators %d, event_scheduler %s, %v", logBin, trust, events, err)
	}
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.Replay(ctx, []Unit{unit(t, "c/1.sql", "CREATE TABLE a (id INT PRIMARY KEY);\nINSERT INTO a VALUES (1);\n"+
		"CREATE FUNCTION f() RETURNS INT RETURN 1;")}, Hooks{})
	if err != nil || res.Failed {
		t.Fatalf("replay: %+v, %v", res, err)
	}
	// What MySQL with binary logging refuses, the scratch MySQL refuses too.
	res, err = db.Replay(ctx, []Unit{unit(t, "c/2.sql", "ALTER TABLE a ADD COLUMN token CHAR(36) DEFAULT (uuid());")}, Hooks{})
	if err != nil || res.Failed != srv.Flavor.IsMySQL() {
		t.Errorf("ADD COLUMN with DEFAULT (uuid()): failed %v, %v; want a failure on MySQL only", res.Failed, err)
	}
	if err := srv.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if got := runContainers(t, runID); len(got) != 0 {
		t.Errorf("containers %v of the run are left after Close", got)
	}
}

func TestContainerEngineMissingImage(t *testing.T) {
	testenv.Image(t)
	_, err := Start(context.Background(), Options{Kind: Container, Image: "schema-guard-test/no-such-image:0"})
	if err == nil || !strings.Contains(err.Error(), "cannot be pulled") || !strings.Contains(err.Error(), "--dsn") {
		t.Fatalf("err = %v", err)
	}
}

func TestContainerEngineWithoutDocker(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	for _, kind := range []Kind{Container, Auto} {
		_, err := Start(context.Background(), Options{Kind: kind, Image: "mysql:8.4"})
		if err == nil || !strings.Contains(err.Error(), "Docker is not answering") || !strings.Contains(err.Error(), "--dsn") {
			t.Errorf("%s: err = %v", kind, err)
		}
	}
}

func TestContainerEngineInterruptedStart(t *testing.T) {
	testenv.EachImage(t, testContainerEngineInterruptedStart)
}

func testContainerEngineInterruptedStart(t *testing.T, _ testenv.ServerImage) {
	image := testenv.Image(t)
	// A start that finishes before the cancel lands interrupted nothing: it is closed and tried
	// again, and only an interrupted one counts.
	for range 3 {
		if interruptStartOnceRunning(t, image) {
			return
		}
	}
	t.Fatal("three starts finished before they could be interrupted")
}

// interruptStartOnceRunning cancels a start as soon as its container runs (the server in it still
// initialising its data directory, 700 ms or more here, while the start waits for it to answer)
// and checks that the start fails and removes the container. It reports whether the start was
// interrupted.
func interruptStartOnceRunning(t *testing.T, image string) bool {
	t.Helper()
	runID := "test" + testenv.RandomHex(6)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type started struct {
		srv *Server
		err error
	}
	done := make(chan started, 1)
	go func() {
		srv, err := Start(ctx, Options{Kind: Container, Image: image, RunID: runID})
		done <- started{srv, err}
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for len(runContainers(t, runID, "--filter", "status=running")) == 0 {
		select {
		case s := <-done:
			if s.err != nil {
				t.Fatalf("the start failed before its container was seen running: %v", s.err)
			}
			s.srv.Close(context.Background())
			t.Log("the server was ready before its container was seen running")
			return false
		case <-time.After(time.Until(deadline)):
			cancel()
			<-done
			t.Fatalf("no running container of run %s within 2 minutes", runID)
		case <-time.After(10 * time.Millisecond): // polling Docker, not waiting for the start
		}
	}
	cancel()
	s := <-done
	if s.err == nil {
		s.srv.Close(context.Background())
		t.Log("the server was ready before the cancel landed")
		return false
	}
	if got := runContainers(t, runID); len(got) != 0 {
		t.Errorf("containers %v are left after an interrupted start (%v)", got, s.err)
	}
	return true
}

// TestContainerEngineUnreachable: when the published port cannot be reached from where
// schema-guard runs (here [::1], where Docker publishes nothing), the start fails soon, in one
// line naming the address it tried and what to set, and leaves no container.
func TestContainerEngineUnreachable(t *testing.T) {
	image := testenv.Image(t)
	t.Setenv("TESTCONTAINERS_HOST_OVERRIDE", "::1")
	defer func(d time.Duration) { reachTimeout = d }(reachTimeout)
	reachTimeout = 3 * time.Second
	runID := "test" + testenv.RandomHex(6)
	began := time.Now()
	_, err := Start(context.Background(), Options{Kind: Container, Image: image, RunID: runID})
	if err == nil {
		t.Fatal("started on an address nothing answers on")
	}
	msg := err.Error()
	if !strings.Contains(msg, "[::1]:") || !strings.Contains(msg, "TESTCONTAINERS_HOST_OVERRIDE") || strings.Contains(msg, "\n") {
		t.Errorf("err = %v", err)
	}
	if took := time.Since(began); took > time.Minute {
		t.Errorf("took %s to give up", took)
	}
	if got := runContainers(t, runID); len(got) != 0 {
		t.Errorf("containers %v are left", got)
	}
}
