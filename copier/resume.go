package copier

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// Resuming a copy that was killed (kill -9, a crash, a lost connection).
//
// Every chunk's transaction also inserts a row into the checkpoint table _<t>_sg_ckp: the
// chunk's key range (lo, hi], its row count and checksum. The row commits with the chunk or
// not at all, so the checkpoint table can never claim a chunk the shadow does not hold, nor
// miss one it does. A header row (seq 0), written once the shadow and the triggers exist, says
// what the copy is: the ALTER, the chunk key, the definitions of both tables and the identity
// of the triggers.
//
// Why the shadow is still right when no copier ran for a while: the triggers stay on the table
// when the copier dies (only a clean stop drops them), and they run inside the application's
// own transactions, so every write committed while no copier ran reached the shadow too, or
// failed into the error table — exactly as while the copier runs; the copier being slow and
// the copier being dead look the same to the shadow. So a range a committed chunk covered is
// still the original's range now: the chunk made it equal under locks, and the triggers kept
// it equal since. A range no chunk covered holds only what the triggers wrote, which the
// chunk that copies it clears first (chunk.go), as always. What could break that, the resumed
// run checks before it trusts anything:
//
//   - the triggers were dropped and re-created (writes in between are lost): their creation
//     times and bodies must be those the header recorded, and the bodies those this copier
//     would create;
//   - the table, the shadow, the ALTER or the chunk key changed: the table's and the shadow's
//     definitions (without the AUTO_INCREMENT counter), the ALTER text and the key's index
//     and columns must be the header's — the ranges are written in the key's values;
//   - a trigger failed: the error table must be empty;
//   - and, as the proof, the ranges themselves: before copying on, the resumed run compares
//     each committed chunk's range in the original and the shadow again, under the same
//     locks and with the same checksums as the copy; a range that differs is copied again.
//     (The checksums stored with the chunks cannot be compared to the shadow now: the
//     triggers have changed the ranges since; they are kept for the record.)
//
// Chunks commit out of order (several workers), so the committed ranges may have holes. The
// resumed copy starts after the longest run of ranges that join up from the start of the key
// (lo of each is hi of the one before) and copies everything after it again; a committed
// chunk past a hole is copied once more, which is harmless: copying a range clears it first.
//
// A killed run's sessions may outlive it on the server for a moment (a statement runs to its
// end before the server sees the client is gone, and then rolls back). The named lock is held
// by the killed run's guard session, which is idle, so it is freed at once; a resumed run
// waits a little for it. A chunk transaction still running then can only roll back, or commit
// with its checkpoint row if its COMMIT was already sent: either way the checkpoint table and
// the shadow agree, and the row locks order it against the resumed run's chunks.

// checkpointFormat is the version of the checkpoint table's content.
// Format 2 added Deferred; a format 1 header is read as deferring nothing, which is what the
// copiers that wrote it did.
const checkpointFormat = 2

// resumeLockWait is how long a resumed run waits for the killed run's named lock.
const resumeLockWait = 10

// phaseVerify is the progress phase of a resumed run checking the earlier run's chunks.
const phaseVerify = "verify"

// checkpointHeader is the checkpoint table's header row: what the copy is.
type checkpointHeader struct {
	Format   int                     `json:"format"`
	Alter    string                  `json:"alter"`
	Renames  map[string]string       `json:"renames,omitempty"`
	Key      []string                `json:"key"` // the index, then its columns
	Table    string                  `json:"table"`
	Shadow   string                  `json:"shadow"`
	Triggers map[string]triggerIdent `json:"triggers"`
	// Deferred are the shadow's indexes still to build after the copy (lateindex.go); the
	// header is written again without them once they are built.
	Deferred []deferredIndex `json:"deferred,omitempty"`
}

// triggerIdent identifies a trigger as created: a trigger dropped and created again, even with
// the same body, has another creation time.
type triggerIdent struct {
	Created string `json:"created"`
	Body    string `json:"body"` // sha256 of the body
	SQLMode string `json:"sql_mode"`
}

// resumeState is what an earlier run left that the resumed run builds on.
type resumeState struct {
	chunks []doneChunk // the committed ranges that join up from the start, in key order
}

// doneChunk is a committed chunk as its checkpoint row says.
type doneChunk struct {
	id, seq, rows int64
	lo, hi        []string
	loText        string // "" for the start
	hiText        string
}

// takeLock takes the copy's named lock: at once, or, when resuming, within resumeLockWait
// seconds, the time the server needs to notice that a killed run's session is gone.
func (r *run) takeLock(ctx context.Context) (bool, error) {
	if !r.opts.Resume {
		return getLock(ctx, r.guard, r.n.lock)
	}
	var got sql.NullInt64
	if err := r.guard.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", r.n.lock, resumeLockWait).Scan(&got); err != nil {
		return false, fmt.Errorf("take the copier's lock: %w", err)
	}
	return got.Int64 == 1, nil
}

// createCheckpoint creates the checkpoint table and writes its header, once the shadow and the
// triggers exist.
func (r *run) createCheckpoint(ctx context.Context) error {
	const ddl = ` (
		id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
		seq BIGINT NOT NULL,
		lo LONGTEXT NULL,
		hi LONGTEXT NULL,
		row_count BIGINT NOT NULL DEFAULT 0,
		crc BIGINT UNSIGNED NOT NULL DEFAULT 0,
		at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
	) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`
	if _, err := r.conn.ExecContext(ctx, "CREATE TABLE "+schema.QuoteIdent(r.n.checkpoint)+ddl); err != nil {
		return fmt.Errorf("copier: create the checkpoint table: %w", err)
	}
	text, err := r.headerJSON(ctx)
	if err != nil {
		return err
	}
	if _, err := r.conn.ExecContext(ctx, "INSERT INTO "+schema.QuoteIdent(r.n.checkpoint)+" (seq, hi) VALUES (0, "+sqlString(text)+")"); err != nil {
		return fmt.Errorf("copier: write the checkpoint header: %w", err)
	}
	return nil
}

// headerJSON is the header as the checkpoint table stores it.
func (r *run) headerJSON(ctx context.Context) (string, error) {
	h, err := r.header(ctx)
	if err != nil {
		return "", fmt.Errorf("copier: %w", err)
	}
	text, err := json.Marshal(h)
	if err != nil {
		return "", fmt.Errorf("copier: %w", err)
	}
	return string(text), nil
}

// header describes the copy as it is now.
func (r *run) header(ctx context.Context) (*checkpointHeader, error) {
	h := &checkpointHeader{Format: checkpointFormat, Alter: r.opts.Alter, Renames: r.opts.Renames,
		Key: append([]string{r.key.index}, r.key.names()...), Deferred: r.deferred}
	var err error
	if h.Table, err = definitionHash(ctx, r.guard, r.n.table); err != nil {
		return nil, err
	}
	if h.Shadow, err = definitionHash(ctx, r.guard, r.n.shadow); err != nil {
		return nil, err
	}
	if h.Triggers, err = r.triggerIdents(ctx); err != nil {
		return nil, err
	}
	return h, nil
}

// autoIncrementOption is the table option SHOW CREATE TABLE writes for the counter, which the
// application's inserts move on.
var autoIncrementOption = regexp.MustCompile(` AUTO_INCREMENT=[0-9]+`)

// definitionHash is the sha256 of the table's SHOW CREATE TABLE without its counter.
func definitionHash(ctx context.Context, q querier, table string) (string, error) {
	var name, create string
	if err := q.QueryRowContext(ctx, "SHOW CREATE TABLE "+schema.QuoteIdent(table)).Scan(&name, &create); err != nil {
		return "", fmt.Errorf("read the definition of %s: %w", table, err)
	}
	return hashText(autoIncrementOption.ReplaceAllString(create, "")), nil
}

func hashText(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// triggerIdents reads the copier's triggers on the table.
func (r *run) triggerIdents(ctx context.Context) (map[string]triggerIdent, error) {
	out := map[string]triggerIdent{}
	err := introspect.QueryRows(ctx, r.guard, `SELECT TRIGGER_NAME, ACTION_STATEMENT, CAST(UNIX_TIMESTAMP(CREATED) AS CHAR), SQL_MODE
		FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME IN (?, ?, ?)`,
		[]any{r.n.table, r.n.insTrigger, r.n.updTrigger, r.n.delTrigger}, func(rows *sql.Rows) error {
			var name, body string
			var created, mode sql.NullString
			if err := rows.Scan(&name, &body, &created, &mode); err != nil {
				return err
			}
			out[name] = triggerIdent{Created: created.String, Body: hashText(body), SQLMode: mode.String}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read the copier's triggers: %w", err)
	}
	return out, nil
}

// checkpoint records a chunk in its own transaction, just before the commit (worker.try).
func (w *worker) checkpoint(ctx context.Context, job chunkJob, sum rangeSum) error {
	lo := "NULL"
	if job.lo != nil {
		lo = sqlString(keyJSON(job.lo))
	}
	stmt := fmt.Sprintf("INSERT INTO %s (seq, lo, hi, row_count, crc) VALUES (%d, %s, %s, %d, %d)",
		schema.QuoteIdent(w.sql.n.checkpoint), job.seq, lo, sqlString(keyJSON(job.hi)), sum.rows, sum.hash)
	if _, err := w.conn.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("write the chunk's checkpoint: %w", err)
	}
	return nil
}

func keyJSON(lits []string) string {
	b, _ := json.Marshal(lits) // a []string always marshals
	return string(b)
}

// loadResume, with Options.Resume, takes up what a killed run left: it checks that it is a
// copy of this change that nothing has disturbed (see the top of this file) and reads its
// committed chunks. It reports false when there is nothing to resume (a new copy starts). A
// refusal here leaves the leftovers as they are, for another try or for --cleanup.
func (r *run) loadResume(ctx context.Context) (bool, error) {
	if !r.opts.Resume {
		return false, nil
	}
	left, err := leftovers(ctx, r.guard, r.n)
	if err != nil {
		return false, fmt.Errorf("copier: %w", err)
	}
	if len(left) == 0 {
		r.log.Info("nothing to resume; starting a new copy", "table", r.n.table)
		return false, nil
	}
	refuse := func(why string) (bool, error) {
		return false, &Refusal{Reason: fmt.Sprintf("cannot resume the copy of %s: %s; the leftovers (%s) are kept: run `schema-guard copy --cleanup` and start again", r.n.table, why, joinNames(left))}
	}
	switch {
	case slices.Contains(left, r.n.old):
		return refuse("it cut over already (the original table is kept as " + r.n.old + ")")
	case !slices.Contains(left, r.n.shadow):
		return refuse("the shadow table " + r.n.shadow + " is gone (the copy cut over, or was being removed)")
	}
	for _, want := range []string{r.n.errors, r.n.checkpoint, r.n.insTrigger, r.n.updTrigger, r.n.delTrigger} {
		if !slices.Contains(left, want) {
			return refuse(want + " is missing (the copy stopped before it was ready, or was made by a copier without checkpoints)")
		}
	}
	if why, err := r.checkHeader(ctx); err != nil || why != "" {
		if err != nil {
			return false, fmt.Errorf("copier: resume: %w", err)
		}
		return refuse(why)
	}
	if te, err := readTriggerError(ctx, r.guard, r.n); err != nil || te != nil {
		if err != nil {
			return false, fmt.Errorf("copier: resume: %w", err)
		}
		return false, te.refusal(r.n.table)
	}
	if r.ctl.resume, err = r.readChunks(ctx); err != nil {
		return false, fmt.Errorf("copier: resume: %w", err)
	}
	r.res.Resumed = true
	return true, nil
}

// checkHeader compares the header with the copy as it is now, and reads the shadow's columns
// and key the way createShadow does. It returns why the copy cannot be resumed, if it cannot.
func (r *run) checkHeader(ctx context.Context) (string, error) {
	var text sql.NullString
	err := r.guard.QueryRowContext(ctx, "SELECT hi FROM "+schema.QuoteIdent(r.n.checkpoint)+" WHERE seq = 0 ORDER BY id LIMIT 1").Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return "its checkpoint table has no header", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the checkpoint header: %w", err)
	}
	var was checkpointHeader
	if err := json.Unmarshal([]byte(text.String), &was); err != nil || was.Format != checkpointFormat && was.Format != 1 {
		return fmt.Sprintf("its checkpoint table was written by another version of the copier (format %d, this one reads 1 and %d)", was.Format, checkpointFormat), nil
	}
	// What the killed run deferred it did not build yet (else the header would say so).
	r.deferred = was.Deferred
	if r.shadow, err = readTable(ctx, r.guard, r.f, r.n.shadow); err != nil {
		return "", err
	}
	if r.shadow == nil {
		return "the shadow table vanished", nil
	}
	if r.cols, err = pairColumns(r.orig, r.shadow, r.plan, r.opts.Renames); err != nil {
		return "", err
	}
	if err := r.chooseKey(ctx); err != nil {
		return "", err
	}
	now, err := r.header(ctx)
	if err != nil {
		return "", err
	}
	switch {
	case was.Alter != now.Alter || !sameRenames(was.Renames, now.Renames):
		return fmt.Sprintf("it was started with another change (--alter %q, --rename %v); resume it with the same", was.Alter, was.Renames), nil
	case !slices.Equal(was.Key, now.Key):
		return fmt.Sprintf("it walked the key %v, and the copier would now walk %v", was.Key, now.Key), nil
	case was.Table != now.Table:
		return "the table's definition changed since the copy began", nil
	case was.Shadow != now.Shadow:
		return "the shadow table's definition changed since the copy began", nil
	}
	for _, name := range r.n.triggers() {
		w, n := was.Triggers[name], now.Triggers[name]
		if w == (triggerIdent{}) || w != n {
			return "trigger " + name + " is not the one the copy created (it was dropped or replaced meanwhile, so writes may have been missed)", nil
		}
	}
	// The triggers must also be those this copier creates: a copier whose triggers capture
	// writes differently must not take over another's.
	want := map[string]string{}
	for _, t := range triggerSpecs(r.n, r.kc, r.cols, r.verbosity) {
		want[t.name] = hashText(t.body)
	}
	var mode string
	if err := r.conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode); err != nil {
		return "", err
	}
	for name, ident := range now.Triggers {
		if ident.Body != want[name] || ident.SQLMode != mode {
			return "trigger " + name + " was created by another version of the copier, or under another sql_mode", nil
		}
	}
	return "", nil
}

func sameRenames(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// readChunks reads the committed chunks, keeps those that join up from the start of the key,
// and deletes the others' rows: their ranges are copied again.
func (r *run) readChunks(ctx context.Context) (*resumeState, error) {
	byLo := map[string][]doneChunk{}
	err := introspect.QueryRows(ctx, r.guard, "SELECT id, seq, lo, hi, row_count FROM "+schema.QuoteIdent(r.n.checkpoint)+" WHERE seq > 0 ORDER BY id DESC", nil, func(rows *sql.Rows) error {
		var c doneChunk
		var lo, hi sql.NullString
		if err := rows.Scan(&c.id, &c.seq, &lo, &hi, &c.rows); err != nil {
			return err
		}
		c.loText, c.hiText = lo.String, hi.String
		if lo.Valid {
			if err := json.Unmarshal([]byte(lo.String), &c.lo); err != nil {
				return fmt.Errorf("checkpoint %d: %w", c.id, err)
			}
		}
		if err := json.Unmarshal([]byte(hi.String), &c.hi); err != nil || len(c.hi) != len(r.key.columns) || (lo.Valid && len(c.lo) != len(c.hi)) {
			return fmt.Errorf("checkpoint %d has no valid range", c.id)
		}
		byLo[c.loText] = append(byLo[c.loText], c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the checkpoints: %w", err)
	}
	st := &resumeState{}
	used := map[int64]bool{}
	// Newest first: a range copied again (after a divergence, or by a later resumed run) has
	// the later row.
	for at := ""; ; {
		next := slices.IndexFunc(byLo[at], func(c doneChunk) bool { return !used[c.id] && c.hiText != at })
		if next < 0 {
			break
		}
		c := byLo[at][next]
		used[c.id] = true
		st.chunks = append(st.chunks, c)
		at = c.hiText
	}
	var stale []string
	for _, list := range byLo {
		for _, c := range list {
			if !used[c.id] {
				stale = append(stale, strconv.FormatInt(c.id, 10))
			}
		}
	}
	if len(stale) > 0 {
		if _, err := r.conn.ExecContext(ctx, "DELETE FROM "+schema.QuoteIdent(r.n.checkpoint)+" WHERE id IN ("+strings.Join(stale, ", ")+")"); err != nil {
			return nil, fmt.Errorf("drop the checkpoints past the resume point: %w", err)
		}
	}
	return st, nil
}

// resumeFrom is the key after which the copy goes on: nil for the start.
func (r *run) resumeFrom() []string {
	if st := r.ctl.resume; st != nil && len(st.chunks) > 0 {
		return st.chunks[len(st.chunks)-1].hi
	}
	return nil
}
