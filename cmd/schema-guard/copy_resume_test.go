package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestCopyResumeAfterKill kills a real `schema-guard copy` with SIGKILL in the middle of its
// copy while the application writes, writes more while no copier runs, and resumes it: the
// resumed copy copies fewer rows than the table has, and the table after the cut-over holds
// exactly what the application wrote.
func TestCopyResumeAfterKill(t *testing.T) {
	bin := buildBinary(t)
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) { testCopyResumeAfterKill(t, bin) })
}

const resumeRows = 60000

func testCopyResumeAfterKill(t *testing.T, bin string) {
	db, dsn := copyDB(t, resumeRows)
	mustExecAll(t, db, "CREATE TABLE mirror LIKE t", "INSERT INTO mirror SELECT * FROM t")
	// The index is built after the copy (copier/lateindex.go): by the run that finishes it.
	alter := "ADD COLUMN note VARCHAR(20) NULL, MODIFY qty BIGINT NULL, ADD INDEX qty_name (qty, name)"
	w := startMirroredWriter(t, db)

	args := []string{"copy", "-q", "--dsn", dsn, "--table", "t", "--alter", alter, "--execute", "--chunk-time", "20ms"}
	killAfterChunks(t, db, bin, args, 3)
	// The resumed copy is killed too, after three chunks of its own: a second resume takes up
	// the chunks of both runs.
	first := countRows(t, db, "SELECT COUNT(*) FROM `_t_sg_ckp` WHERE seq > 0")
	killAfterChunks(t, db, bin, append(args, "--resume"), first+3)
	left := copierObjects(t, db)
	for _, want := range []string{"_t_sg_new", "_t_sg_ckp", "_t_sg_ins", "_t_sg_upd", "_t_sg_del"} {
		if !slices.Contains(left, want) {
			t.Fatalf("after kill -9, %s is missing: %v", want, left)
		}
	}
	// The application goes on writing while no copier runs: only the triggers see it.
	w.more(t, 300)
	// A row of the first committed chunk is changed in the shadow behind the copier's back:
	// the resumed copy must find the range different and copy it again.
	mustExecAll(t, db, "UPDATE `_t_sg_new` SET name = 'tampered' WHERE id = (SELECT MIN(id) FROM mirror)")

	// A resume with another change is refused, and keeps everything for the right one.
	code, stdout, stderr := runCLI(t, "", "copy", "-q", "--dsn", dsn, "--table", "t", "--alter", "ADD COLUMN other INT NULL", "--resume", "--execute")
	if code != exitFindings || !strings.Contains(stderr, "cannot resume the copy of t: it was started with another change") {
		t.Errorf("resume with another --alter: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if got := copierObjects(t, db); !slices.Equal(got, left) {
		t.Errorf("the refused resume changed the leftovers: %v, were %v", got, left)
	}
	// Without --resume the leftovers are refused as before.
	if code, _, stderr := runCLI(t, "", "copy", "-q", "--dsn", dsn, "--table", "t", "--alter", alter); code != exitFindings || !strings.Contains(stderr, "left") {
		t.Errorf("a new copy over the leftovers: exit %d, %q", code, stderr)
	}

	w.stop(t)
	code, stdout, stderr = runCLI(t, "", "copy", "-q", "--dsn", dsn, "--table", "t", "--alter", alter, "--resume", "--execute", "--chunk-time", "20ms")
	if code != exitOK {
		t.Fatalf("resume: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "differs from the table now; copying it again") {
		t.Errorf("the resumed copy did not see the tampered range: stderr %q", stderr)
	}
	copied := regexp.MustCompile(`copied (\d+) rows of t`).FindStringSubmatch(stdout)
	verified := regexp.MustCompile(`resumed: (\d+) rows the earlier run copied were checked`).FindStringSubmatch(stdout)
	if copied == nil || verified == nil {
		t.Fatalf("resume output %q", stdout)
	}
	n, _ := strconv.Atoi(copied[1])
	v, _ := strconv.Atoi(verified[1])
	total := int(countRows(t, db, "SELECT COUNT(*) FROM t"))
	if n >= total || v == 0 {
		t.Errorf("the resumed copy copied %d of %d rows, and checked %d from before: it did not resume", n, total, v)
	}
	t.Logf("killed twice; resumed: %d rows checked, %d copied, of %d", v, n, total)
	if a, b := tableRows(t, db, "t"), tableRows(t, db, "mirror"); !slices.Equal(a, b) {
		t.Errorf("t after the resumed copy differs from its mirror: %d rows against %d; first differences: %v", len(a), len(b), firstDiff(a, b))
	}
	if !hasColumn(t, db, "note") {
		t.Error("the resumed copy did not cut over")
	}
	if !strings.Contains(stdout, "built after the copy, online: qty_name") ||
		countRows(t, db, "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't' AND INDEX_NAME = 'qty_name'") != 2 {
		t.Errorf("the resumed copy did not build the deferred index qty_name: stdout %q", stdout)
	}
	if got := copierObjects(t, db); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
}

// killAfterChunks starts `schema-guard args…` and kills it with SIGKILL once the checkpoint
// table has chunks committed chunks: polled on the server, not timed.
func killAfterChunks(t *testing.T, db *sql.DB, bin string, args []string, chunks int64) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for countRows(t, db, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_t_sg_ckp'") == 0 ||
		countRows(t, db, "SELECT COUNT(*) FROM `_t_sg_ckp` WHERE seq > 0") < chunks {
		select {
		case err := <-exited:
			t.Fatalf("the copy ended before it was killed: %v\n%s", err, stderr.String())
		case <-time.After(2 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("not %d chunks within 2 minutes", chunks)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the copy was not killed by SIGKILL: %v\n%s", err, stderr.String())
	}
}

func mustExecAll(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func countRows(t *testing.T, db *sql.DB, q string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// tableRows is every row of a table (id, name, qty), in key order.
func tableRows(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query("SELECT id, name, qty FROM " + table + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var name string
		var qty sql.NullInt64
		if err := rows.Scan(&id, &name, &qty); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d|%s|%v", id, name, qty))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func firstDiff(a, b []string) []string {
	var out []string
	for i := 0; i < max(len(a), len(b)) && len(out) < 5; i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			out = append(out, x+" ≠ "+y)
		}
	}
	return out
}

// mirroredWriter plays the application: it updates, inserts and deletes rows of t, and makes
// the same change to mirror.
type mirroredWriter struct {
	db   *sql.DB
	mu   sync.Mutex
	rng  *rand.Rand
	next int64
	ops  int
	quit chan struct{}
	done chan error
}

func startMirroredWriter(t *testing.T, db *sql.DB) *mirroredWriter {
	w := &mirroredWriter{db: db, rng: rand.New(rand.NewPCG(7, 11)), next: resumeRows + 1, quit: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		for {
			select {
			case <-w.quit:
				w.done <- nil
				return
			default:
			}
			if err := w.step(); err != nil {
				w.done <- err
				return
			}
		}
	}()
	t.Cleanup(func() { w.stop(t) })
	return w
}

// step makes one change to both tables.
func (w *mirroredWriter) step() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	id := 1 + w.rng.Int64N(w.next-1)
	var q string
	switch w.rng.IntN(4) {
	case 0:
		q = fmt.Sprintf("INSERT INTO %%s (id, name, qty) VALUES (%d, 'new %d', %d)", w.next, w.next, w.rng.IntN(100))
		w.next++
	case 1:
		q = fmt.Sprintf("DELETE FROM %%s WHERE id = %d", id)
	case 2:
		q = fmt.Sprintf("UPDATE %%s SET qty = NULL, name = CONCAT(LEFT(name, 30), '*') WHERE id = %d", id)
	default:
		q = fmt.Sprintf("UPDATE %%s SET qty = %d WHERE id = %d", w.rng.IntN(1000), id)
	}
	for _, table := range []string{"t", "mirror"} {
		if _, err := w.db.Exec(strings.ReplaceAll(q, "%s", table)); err != nil {
			return fmt.Errorf("%s: %w", strings.ReplaceAll(q, "%s", table), err)
		}
	}
	w.ops++
	return nil
}

// more makes n changes more, then returns (the writer goes on meanwhile too).
func (w *mirroredWriter) more(t *testing.T, n int) {
	t.Helper()
	for range n {
		if err := w.step(); err != nil {
			t.Fatal(err)
		}
	}
}

func (w *mirroredWriter) stop(t *testing.T) {
	t.Helper()
	select {
	case <-w.quit:
		return
	default:
	}
	close(w.quit)
	if err := <-w.done; err != nil {
		t.Fatalf("the writer failed: %v", err)
	}
}
