package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/schema-guard/schema-guard/schema"
)

// Chunk sizes, in rows: the first chunk's, and the bounds the adaptation keeps to.
const (
	firstChunk = 1000
	minChunk   = 10
	maxChunk   = 250000
)

// coordinator walks the key in index order on the copy session and hands the key ranges to the
// workers. The ranges are fixed by key values, not row counts, so they never overlap whatever
// the application writes meanwhile; the bound query only sizes them, without locks (each
// worker locks its own range). The copy covers the keys up to the last one when it started:
// rows after it are written after the triggers existed, and reach the shadow through them.
type coordinator struct {
	conn   *sql.Conn
	sql    *chunkSQL
	target time.Duration
	size   int
	max    []string // the last key when the copy started
	// For the estimate, with a single integer key: its first and last value, and how far the
	// copy has dispatched.
	intKey                bool
	minInt, maxInt, hiInt int64

	seq      int // chunks sized so far
	copied   int64
	inflight int64 // the rows the workers are copying, as the coordinator sized their chunks
	chunks   int
	recopied int
}

// start reads the key range to copy. It reports false when the table is empty.
func (co *coordinator) start(ctx context.Context) (bool, error) {
	s := co.sql
	desc := make([]string, len(s.keyCols))
	for i, k := range s.keyCols {
		desc[i] = schema.QuoteIdent(k) + " DESC"
	}
	from := " FROM " + schema.QuoteIdent(s.n.table) + " FORCE INDEX (" + schema.QuoteIdent(s.key.index) + ") ORDER BY "
	raw, err := co.readKey(ctx, "SELECT "+s.sel+from+strings.Join(desc, ", ")+" LIMIT 1")
	if err != nil || raw == nil {
		return false, err
	}
	if co.max, err = keyValues(s.key.columns, raw); err != nil {
		return false, err
	}
	if len(s.keyCols) == 1 && isIntegerType(s.key.columns[0].DataType) {
		first, err := co.readKey(ctx, "SELECT "+s.sel+from+s.order+" LIMIT 1")
		if err != nil {
			return false, err
		}
		if first != nil {
			_, err1 := fmt.Sscan(string(first[0]), &co.minInt)
			_, err2 := fmt.Sscan(string(raw[0]), &co.maxInt)
			co.intKey = err1 == nil && err2 == nil && co.maxInt > co.minInt
		}
	}
	return true, nil
}

// readKey reads one key's raw values; nil when the query returns no row.
func (co *coordinator) readKey(ctx context.Context, query string) ([][]byte, error) {
	raw := make([][]byte, len(co.sql.keyCols))
	dest := make([]any, len(raw))
	for i := range raw {
		dest[i] = &raw[i]
	}
	err := co.conn.QueryRowContext(ctx, query).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read a key: %w", err)
	}
	return raw, nil
}

// next sizes the chunk after lo: up to size rows, never past max. It reports whether the chunk
// is the last one, and false with a nil job when nothing is left.
func (co *coordinator) next(ctx context.Context, lo []string) (*chunkJob, bool, error) {
	if lo != nil && slices.Equal(lo, co.max) {
		return nil, true, nil
	}
	s := co.sql
	where := upTo("", s.key.columns, co.max)
	if lo != nil {
		where = after("", s.key.columns, lo) + " AND " + where
	}
	raw, err := co.readKey(ctx, fmt.Sprintf("SELECT %s FROM %s FORCE INDEX (%s) WHERE %s ORDER BY %s LIMIT 1 OFFSET %d",
		s.sel, schema.QuoteIdent(s.n.table), schema.QuoteIdent(s.key.index), where, s.order, co.size-1))
	if err != nil {
		return nil, false, fmt.Errorf("size a chunk: %w", err)
	}
	co.seq++
	job := &chunkJob{seq: co.seq, lo: lo, hi: co.max, size: co.size}
	if raw == nil {
		return job, true, nil
	}
	if job.hi, err = keyValues(s.key.columns, raw); err != nil {
		return nil, false, err
	}
	if co.intKey {
		_, _ = fmt.Sscan(job.hi[0], &co.hiInt)
	}
	return job, slices.Equal(job.hi, co.max), nil
}

// adapt sizes the next chunks so that one takes about the target time, changing by at most a
// factor of two at a time so that one slow chunk (a lock wait) does not collapse the size.
func (co *coordinator) adapt(job chunkJob, rows int64, took time.Duration) {
	if rows < int64(job.size) || took <= 0 {
		return
	}
	next := float64(job.size) * float64(co.target) / float64(took)
	next = max(min(next, float64(2*job.size)), float64(job.size)/2)
	co.size = int(max(min(next, maxChunk), minChunk))
}

// chunkDone is a worker's answer for a job.
type chunkDone struct {
	job      chunkJob
	rows     int64
	recopied bool
	took     time.Duration
	err      error
}

// copy runs the chunked copy with opts.Workers workers, each on its own session.
func (r *run) copy(ctx context.Context) error {
	share := "LOCK IN SHARE MODE"
	if r.f.MinMySQL(8, 0, 1) {
		share = "FOR SHARE"
	}
	s := newChunkSQL(share, r.n, r.kc, r.cols)
	r.co = &coordinator{conn: r.conn, sql: s, target: r.opts.ChunkTime, size: firstChunk}
	r.copyBegan = time.Now()
	defer func() { r.copyTook = time.Since(r.copyBegan); r.record() }()
	more, err := r.co.start(ctx)
	if err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	if err := r.verifyResumed(ctx, s); err != nil {
		return err
	}
	if !more {
		return nil
	}

	workers, turns, err := r.workers(ctx)
	if err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	r.res.Workers = workers
	var turn chan struct{}
	if turns {
		turn = make(chan struct{}, 1)
	}
	wctx, cancel := context.WithCancel(ctx)
	jobs := make(chan chunkJob)
	// Each worker has at most one job, so the buffer holds every answer and a worker never
	// blocks on sending one after the coordinator stopped listening.
	results := make(chan chunkDone, workers)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		close(jobs)
		wg.Wait()
	}()
	for range workers {
		conn, id, err := r.openSession(ctx)
		if err != nil {
			return fmt.Errorf("copier: open a copy session: %w", err)
		}
		r.sessions = append(r.sessions, id)
		w := &worker{conn: conn, sql: s, turn: turn}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer discard(conn)
			for job := range jobs {
				results <- w.run(wctx, job)
			}
		}()
	}
	return r.dispatch(ctx, jobs, results)
}

// workers is how many workers copy, and whether they take turns to insert. On servers that
// take the table's AUTO-INC lock for a whole INSERT … SELECT (innodb_autoinc_lock_mode 0 or 1;
// MariaDB's default is 1, MySQL 8's is 2) and with an AUTO_INCREMENT column in the shadow, the
// inserts cannot run side by side anyway. Waiting for that lock inside the server while holding
// row locks another worker needs is how two workers — and the triggers' inserts queued for the
// same lock — end up in a deadlock whose victim may be the application's write. So the workers
// wait for their turn in the copier instead, before their INSERT, and what they do besides
// (locking the range, the checksum, the commit) still runs side by side.
func (r *run) workers(ctx context.Context) (int, bool, error) {
	n := r.opts.Workers
	autoInc := false
	for _, c := range r.shadow.Columns {
		autoInc = autoInc || c.AutoIncrement
	}
	if n <= 1 || !autoInc {
		return n, false, nil
	}
	var mode int
	if err := r.guard.QueryRowContext(ctx, "SELECT @@innodb_autoinc_lock_mode").Scan(&mode); err != nil {
		return 0, false, fmt.Errorf("read innodb_autoinc_lock_mode: %w", err)
	}
	return n, mode != 2, nil
}

// run copies one job; a panic (a bug) becomes the job's error, since Run's recover cannot see
// the worker's goroutine.
func (w *worker) run(ctx context.Context, job chunkJob) (d chunkDone) {
	began := time.Now()
	defer func() {
		if p := recover(); p != nil {
			d = chunkDone{job: job, err: fmt.Errorf("internal error in a copy worker: %v", p)}
		}
	}()
	rows, recopied, err := w.copyChunk(ctx, job)
	return chunkDone{job: job, rows: rows, recopied: recopied, took: time.Since(began), err: err}
}

// dispatch feeds the workers and collects their answers until the copy is done or fails. When
// a chunk fails, no new chunk is handed out, and the chunks before it in key order are let
// finish: if one of them fails too, its failure is the one reported, so that a refusal names
// the first row in key order that does not fit, as a single worker would.
func (r *run) dispatch(ctx context.Context, jobs chan<- chunkJob, results <-chan chunkDone) error {
	co := r.co
	lo := r.resumeFrom()
	var pending *chunkJob
	var failed *chunkDone
	dispatched, inflight := false, 0
	for (failed == nil && (pending != nil || !dispatched)) || inflight > 0 {
		if failed == nil && pending == nil && !dispatched {
			if err := r.throttle(ctx, phaseCopy); err != nil {
				return err
			}
			job, last, err := co.next(ctx, lo)
			if err != nil {
				return fmt.Errorf("copier: %w", err)
			}
			pending, dispatched = job, last
			if job != nil {
				lo = job.hi
			}
		}
		var send chan<- chunkJob
		var job chunkJob
		if pending != nil && failed == nil {
			send, job = jobs, *pending
		}
		select {
		case send <- job:
			pending = nil
			inflight++
			co.inflight += int64(job.size)
		case d := <-results:
			inflight--
			co.inflight -= int64(d.job.size)
			if d.err != nil {
				if failed == nil || d.job.seq < failed.job.seq {
					failed = &d
				}
				continue
			}
			co.copied += d.rows
			co.chunks++
			if d.recopied {
				co.recopied++
			}
			co.adapt(d.job, d.rows, d.took)
			if failed != nil {
				continue
			}
			if te, err := readTriggerError(ctx, r.conn, r.n); err != nil || te != nil {
				if err != nil {
					return fmt.Errorf("copier: %w", err)
				}
				return te.refusal(r.n.table)
			}
			r.record()
			r.progress(phaseCopy)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if failed != nil {
		var ref *Refusal
		if errors.As(failed.err, &ref) {
			return failed.err
		}
		return fmt.Errorf("copier: copy: %w", failed.err)
	}
	return nil
}

func keyText(lits []string) string {
	if lits == nil {
		return "the start"
	}
	return strings.Join(lits, ", ")
}
