package copier

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

func TestParseStatusLimits(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		bad  bool
	}{
		{in: "", want: ""},
		{in: "Threads_running=25", want: "Threads_running=25"},
		{in: " Threads_running = 25 , Threads_connected=500", want: "Threads_running=25 Threads_connected=500"},
		{in: "Threads_running=2.5", want: "Threads_running=2.5"},
		{in: "Threads_running", bad: true},
		{in: "Threads_running=", bad: true},
		{in: "Threads_running=-1", bad: true},
		{in: "Threads_running=x", bad: true},
		{in: "Threads'running=1", bad: true},
		{in: "a=1,,b=2", bad: true},
	} {
		got, err := ParseStatusLimits(tc.in)
		if (err != nil) != tc.bad {
			t.Errorf("%q: error %v", tc.in, err)
			continue
		}
		var s []string
		for _, l := range got {
			s = append(s, l.String())
		}
		if !tc.bad && strings.Join(s, " ") != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, strings.Join(s, " "), tc.want)
		}
	}
}

func FuzzParseStatusLimits(f *testing.F) {
	f.Add("Threads_running=25,Threads_connected=500")
	f.Fuzz(func(t *testing.T, s string) {
		limits, err := ParseStatusLimits(s)
		if err != nil {
			return
		}
		for _, l := range limits {
			if !statusName.MatchString(l.Name) || l.Limit < 0 {
				t.Fatalf("%q: accepted %+v", s, l)
			}
		}
	})
}

// asyncRun is a Run in its own goroutine, with its progress reports.
type asyncRun struct {
	reports chan Progress
	done    chan struct{}
	res     *Result
	err     error
	cancel  context.CancelFunc
}

func startRun(t *testing.T, db *sql.DB, opts Options) *asyncRun {
	t.Helper()
	return startRunWith(t, db, opts, nil)
}

// startRunWith is startRun with a function that sees every report first, on the copy's
// goroutine.
func startRunWith(t *testing.T, db *sql.DB, opts Options, seen func(Progress)) *asyncRun {
	t.Helper()
	a := &asyncRun{reports: make(chan Progress, 10000), done: make(chan struct{})}
	opts.Progress = func(p Progress) {
		if seen != nil {
			seen(p)
		}
		select {
		case a.reports <- p:
		default:
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	go func() {
		defer close(a.done)
		a.res, a.err = Run(ctx, db, opts)
	}()
	t.Cleanup(func() { cancel(); <-a.done })
	return a
}

// paused waits for a progress report of the phase whose pause reason has want, and returns it.
func (a *asyncRun) paused(t *testing.T, phase, want string) Progress {
	t.Helper()
	limit := time.After(2 * time.Minute)
	for {
		select {
		case p := <-a.reports:
			if p.Phase == phase && strings.Contains(p.Paused, want) {
				return p
			}
		case <-a.done:
			t.Fatalf("the run ended before it paused with %q: %+v, %v", want, a.res, a.err)
		case <-limit:
			t.Fatalf("no report of a pause with %q within 2 minutes", want)
		}
	}
}

// wait waits for the run's end.
func (a *asyncRun) wait(t *testing.T) (*Result, error) {
	t.Helper()
	select {
	case <-a.done:
		return a.res, a.err
	case <-time.After(3 * time.Minute):
		t.Fatal("the run did not end within 3 minutes")
		return nil, nil
	}
}

// holdsStill polls the count query until the run has reported n more pauses with want (about
// a second apart), and fails when the count changes meanwhile: the copier is seen paused and
// alive while nothing is copied.
func (a *asyncRun) holdsStill(t *testing.T, db *sql.DB, countQuery, phase, want string, n int) int64 {
	t.Helper()
	first := count(t, db, countQuery)
	seen := 0
	for seen < n {
		select {
		case p := <-a.reports:
			if p.Phase == phase && strings.Contains(p.Paused, want) {
				seen++
			} else if p.Paused == "" {
				t.Fatalf("the run went on while it should be paused (%q): %+v", want, p)
			}
		case <-a.done:
			t.Fatalf("the run ended while paused: %+v, %v", a.res, a.err)
		case <-time.After(10 * time.Millisecond):
		}
		if c := count(t, db, countQuery); c != first {
			t.Fatalf("%s went from %d to %d while the copy was paused (%s)", countQuery, first, c, want)
		}
	}
	return first
}

// filledTable is a scratch database with table t of n rows (fillTable), for a run to change.
func filledTable(t *testing.T, n int) *sql.DB {
	t.Helper()
	db := scratch(t)
	fillTable(t, db, "t", n)
	return db
}

// hasColumnF counts the column f of table t: 1 once a run's ADD COLUMN f has cut over.
const hasColumnF = "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'f'"

// cancelPaused cancels a paused run and checks that it ends with the context's error and
// leaves nothing behind.
func (a *asyncRun) cancelPaused(t *testing.T, db *sql.DB) {
	t.Helper()
	a.cancel()
	if _, err := a.wait(t); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while paused: %v", err)
	}
	assertClean(t, db)
}

func TestThrottleFlagFile(t *testing.T) { testenv.EachServer(t, testThrottleFlagFile) }

func testThrottleFlagFile(t *testing.T, _ testenv.Server) {
	db := filledTable(t, 5000)
	flag := filepath.Join(t.TempDir(), "throttle")
	testenv.WriteFile(t, flag, "")
	a := startRun(t, db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL", Execute: true, ChunkTime: 20 * time.Millisecond,
		Controls: Controls{ThrottleFlagFile: flag}})
	p := a.paused(t, phaseCopy, "the throttle flag file "+flag+" exists")
	if p.Copied != 0 {
		t.Errorf("copied %d rows before the first pause", p.Copied)
	}
	// The shadow is there and stays empty; no chunk commits (no checkpoint row).
	a.holdsStill(t, db, "SELECT COUNT(*) FROM `_t_sg_new`", phaseCopy, "throttle flag file", 2)
	if n := count(t, db, "SELECT COUNT(*) FROM `_t_sg_ckp` WHERE seq > 0"); n != 0 {
		t.Errorf("%d chunks committed while paused", n)
	}
	if err := os.Remove(flag); err != nil {
		t.Fatal(err)
	}
	res, err := a.wait(t)
	if err != nil || !res.CutOver || res.Rows != 5000 {
		t.Fatalf("after the flag file went: %+v, %v", res, err)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM t WHERE f IS NULL"); n != 5000 {
		t.Errorf("t has %d rows with the new column", n)
	}
	assertClean(t, db)
}

func TestPostponeCutover(t *testing.T) { testenv.EachServer(t, testPostponeCutover) }

func testPostponeCutover(t *testing.T, _ testenv.Server) {
	db := filledTable(t, 3000)
	mustExec(t, db, "CREATE TABLE mirror LIKE t", "INSERT INTO mirror SELECT * FROM t")
	flag := filepath.Join(t.TempDir(), "postpone")
	testenv.WriteFile(t, flag, "")
	a := startRun(t, db, Options{Table: "t", Alter: "ADD COLUMN f INT NOT NULL DEFAULT 7", Execute: true,
		Controls: Controls{PostponeCutoverFlagFile: flag}})
	p := a.paused(t, phaseCutover, "postponed: the postpone-cutover flag file "+flag+" exists")
	if p.Copied != 3000 {
		t.Errorf("postponed after %d of 3000 rows", p.Copied)
	}
	// The application writes while the cut-over waits; the triggers keep the shadow in sync.
	writes := []string{
		"INSERT INTO %s (id, a, b) VALUES (100001, 1, 'during the postponement')",
		"UPDATE %s SET b = 'changed while postponed' WHERE id = 17",
		"DELETE FROM %s WHERE id = 2999",
	}
	for _, w := range writes {
		mustExec(t, db, strings.ReplaceAll(w, "%s", "t"), strings.ReplaceAll(w, "%s", "mirror"))
	}
	if n := count(t, db, "SELECT COUNT(*) FROM `_t_sg_new` WHERE id = 100001 OR (id = 17 AND b = 'changed while postponed')"); n != 2 {
		t.Errorf("the shadow has %d of the 2 changed rows while postponed", n)
	}
	a.holdsStill(t, db, hasColumnF, phaseCutover, "postponed", 2)
	if err := os.Remove(flag); err != nil {
		t.Fatal(err)
	}
	res, err := a.wait(t)
	if err != nil || !res.CutOver {
		t.Fatalf("after the flag file went: %+v, %v", res, err)
	}
	n1, h1 := tableDigest(t, db, "t", "id, a, b, c, d, e")
	n2, h2 := tableDigest(t, db, "mirror", "id, a, b, c, d, e")
	if n1 != n2 || h1 != h2 {
		t.Errorf("t after the cut-over differs from its mirror: %d rows (%s) against %d (%s)", n1, h1, n2, h2)
		diffRows(t, db, "t", "mirror")
	}
	if n := count(t, db, "SELECT COUNT(*) FROM t WHERE f <> 7"); n != 0 {
		t.Errorf("%d rows without the new column's default", n)
	}
	assertClean(t, db)
}

// TestMaxLoadPauses sets a limit below what Threads_running can be (the session asking is
// running): the copy must pause, say why, copy nothing, and clean up when it is stopped.
func TestMaxLoadPauses(t *testing.T) { testenv.EachServer(t, testMaxLoadPauses) }

func testMaxLoadPauses(t *testing.T, _ testenv.Server) {
	db := filledTable(t, 2000)
	a := startRun(t, db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL", Execute: true,
		Controls: Controls{MaxLoad: []StatusLimit{{Name: "Threads_running", Limit: 0}}}})
	a.paused(t, phaseCopy, "above --max-load Threads_running=0")
	a.holdsStill(t, db, "SELECT COUNT(*) FROM `_t_sg_new`", phaseCopy, "Threads_running=", 2)
	a.cancelPaused(t, db)
	if n := count(t, db, hasColumnF); n != 0 {
		t.Error("the table was changed")
	}
}

func TestMaxLoadUnknownStatus(t *testing.T) { testenv.EachServer(t, testMaxLoadUnknownStatus) }

func testMaxLoadUnknownStatus(t *testing.T, _ testenv.Server) {
	db := filledTable(t, 10)
	_, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL",
		Controls: Controls{MaxLoad: []StatusLimit{{Name: "No_such_status", Limit: 1}}}})
	if err == nil || !strings.Contains(err.Error(), "no global status variable No_such_status") {
		t.Errorf("an unknown status variable: %v", err)
	}
	assertClean(t, db)
}

// TestCriticalLoadAborts: a limit Threads_running is always above stops the copy with the
// reason, and nothing is left behind.
func TestCriticalLoadAborts(t *testing.T) { testenv.EachServer(t, testCriticalLoadAborts) }

func testCriticalLoadAborts(t *testing.T, _ testenv.Server) {
	db := filledTable(t, 2000)
	_, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL", Execute: true,
		Controls: Controls{CriticalLoad: []StatusLimit{{Name: "Threads_running", Limit: 0}}}})
	var ce *CriticalLoadError
	if !errors.As(err, &ce) || ce.Status.Name != "Threads_running" || ce.Value < 1 {
		t.Fatalf("want a critical load error, got %v", err)
	}
	if !strings.Contains(err.Error(), "critical load: Threads_running=") {
		t.Errorf("message %q", err)
	}
	assertClean(t, db)
}

// TestUnreachableReplicaPauses: a replica that cannot be reached holds the copy, and says so.
func TestUnreachableReplicaPauses(t *testing.T) { testenv.EachServer(t, testUnreachableReplicaPauses) }

func testUnreachableReplicaPauses(t *testing.T, _ testenv.Server) {
	db := filledTable(t, 2000)
	// Nothing listens on [::1] (Docker publishes on IPv4) nor on this test's port 3319.
	a := startRun(t, db, Options{Table: "t", Alter: "ADD COLUMN f INT NULL",
		Controls: Controls{Replicas: []string{"u:secret@tcp([::1]:3319)/"}}})
	p := a.paused(t, phaseCopy, "replica [::1]:3319")
	if strings.Contains(p.Paused, "secret") {
		t.Errorf("the reason shows the password: %q", p.Paused)
	}
	a.holdsStill(t, db, "SELECT COUNT(*) FROM `_t_sg_new`", phaseCopy, "replica [::1]:3319", 1)
	a.cancelPaused(t, db)
}
