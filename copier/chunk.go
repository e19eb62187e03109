package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// errDiverged is a chunk whose checksum differs between the original and the shadow.
var errDiverged = errors.New("checksum diverged")

// maxChunkRetries bounds how often a chunk is tried again after a deadlock or lock wait timeout.
const maxChunkRetries = 10

// nowaitTries is how often a chunk tries to lock its range without waiting (NOWAIT) before it
// waits for the locks it needs; see try.
const nowaitTries = 20

// errBusy is a chunk whose range had rows locked by the application.
var errBusy = errors.New("rows of the chunk are locked")

// chunkSQL is the SQL a worker runs, built once per copy.
type chunkSQL struct {
	n          names
	key        *chunkKey // the chunk key, on the original
	keyCols    []string
	skey       *chunkKey // the shadow's range index, with the chunk key's columns in the shadow
	rkey       *chunkKey // the shadow's row key (keychoice.go)
	order      string    // the key's columns, for ORDER BY
	sel        string    // the key's columns, for reading its values (keySelect)
	share      string    // LOCK IN SHARE MODE, or FOR SHARE on MySQL 8
	insertHead string    // INSERT INTO shadow (…) SELECT … FROM t FORCE INDEX (key) WHERE
	crcOrig    string
	crcShadow  string
}

func newChunkSQL(share string, n names, kc *keyChoice, cols *copyColumns) *chunkSQL {
	key, skey := kc.key, kc.skey
	c := &chunkSQL{n: n, key: key, share: share, keyCols: key.names(), skey: skey, rkey: kc.rkey}
	c.order = qnames("", c.keyCols)
	c.sel = keySelect(key.columns)
	c.insertHead = "INSERT INTO " + schema.QuoteIdent(n.shadow) + " (" + qnames("", cols.dst) + ") SELECT " + qnames("", cols.src) +
		" FROM " + schema.QuoteIdent(n.table) + " FORCE INDEX (" + schema.QuoteIdent(key.index) + ") WHERE "
	var src, dst []hashCol
	for _, i := range cols.checked {
		src = append(src, hashCol{name: cols.src[i], nullable: cols.nullable[i], float: cols.float[i]})
		dst = append(dst, hashCol{name: cols.dst[i], nullable: cols.nullable[i], float: cols.float[i]})
	}
	cast := cols.mixedCollations
	c.crcOrig = "SELECT COUNT(*), COALESCE(BIT_XOR(" + rowHash(src, cast) + "), 0) FROM " + schema.QuoteIdent(n.table) +
		" FORCE INDEX (" + schema.QuoteIdent(key.index) + ") WHERE "
	c.crcShadow = "SELECT COUNT(*), COALESCE(BIT_XOR(" + rowHash(dst, cast) + "), 0) FROM " + schema.QuoteIdent(n.shadow) +
		" FORCE INDEX (" + schema.QuoteIdent(skey.index) + ") WHERE "
	return c
}

// chunkJob is a key range (lo, hi] to copy; lo nil is the start.
type chunkJob struct {
	seq    int // the chunk's place in key order
	lo, hi []string
	size   int // the rows the coordinator meant it to hold
}

// worker copies chunks on its own session.
type worker struct {
	conn *sql.Conn
	sql  *chunkSQL
	// turn, when set, is held (a one-slot semaphore) while the worker inserts into the shadow:
	// see run.workers.
	turn chan struct{}
}

// takeTurn waits for the worker's turn to insert; release ends it.
func (w *worker) takeTurn(ctx context.Context) (release func(), err error) {
	if w.turn == nil {
		return func() {}, nil
	}
	select {
	case w.turn <- struct{}{}:
		return func() { <-w.turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// copyChunk copies one chunk; a deadlock or a lock wait timeout retries it, and a checksum
// divergence recopies it once. It returns the rows copied and whether the chunk was recopied.
func (w *worker) copyChunk(ctx context.Context, job chunkJob) (int64, bool, error) {
	rng := keyRange(w.sql.key.columns, job.lo, job.hi)
	srng := keyRange(w.sql.skey.columns, job.lo, job.hi)
	recopied, busy := false, 0
	for attempt := 1; ; attempt++ {
		rows, err := w.try(ctx, job, rng, srng, busy < nowaitTries)
		if err == nil {
			return rows, recopied, nil
		}
		w.rollback(ctx)
		switch {
		case ctx.Err() != nil:
			return 0, recopied, ctx.Err()
		case errors.Is(err, errBusy):
			busy++
			attempt--
			if err := sleep(ctx, time.Duration(min(busy, 10))*5*time.Millisecond); err != nil {
				return 0, recopied, err
			}
		case errors.Is(err, errDiverged) && !recopied:
			recopied = true
		case errors.Is(err, errDiverged):
			return 0, recopied, fmt.Errorf("chunk after %s: the checksum diverged again after a recopy (%w); the copy cannot be trusted", keyText(job.lo), err)
		case retryable(err) && attempt < maxChunkRetries:
			if err := sleep(ctx, time.Duration(attempt)*50*time.Millisecond); err != nil {
				return 0, recopied, err
			}
		default:
			return 0, recopied, err
		}
	}
}

// try runs the chunk's transaction. Its locks are chosen so that a single-statement write of
// the application never ends in a deadlock with it:
//
//  1. a locking read takes the original's range, its rows and the gaps between them, and sums
//     it up for the checksum (count and hash of the columns the ALTER keeps). Nothing
//     is locked in the shadow before, so locks are taken in the order the triggers take them
//     (the original's row, then the shadow). With nowait it does not wait for a row the
//     application holds (NOWAIT): it gives up, releases what it took and is tried again a
//     moment later. Waiting there, holding the rows before it, is how a copy deadlocks with an
//     application statement that locks two rows of the range against key order (an UPDATE of
//     the key), and the server may choose the application's statement as the victim. After
//     nowaitTries attempts the chunk waits, so that a hot range still gets copied. From here no
//     trigger can write into the range, and those that did have committed;
//  2. the keys the triggers wrote into the shadow's range are read (a consistent read, exact
//     now), and only those rows are deleted, each by its key (clearShadow);
//  3. INSERT … SELECT copies the range in key order. On servers where it holds the table's
//     AUTO-INC lock to its end (innodb_autoinc_lock_mode=1, MariaDB's default), the triggers'
//     inserts wait for it; the steps above make sure it never waits for them in return, and
//     the workers take turns for it (run.workers);
//  4. any error about the data or any warning is pinned to its row by bisecting (findRow);
//  5. the checksum of the shadow's range, against the original's taken in step 1 under the
//     same locks; then the commit.
func (w *worker) try(ctx context.Context, job chunkJob, rng, srng string, nowait bool) (int64, error) {
	s := w.sql
	if _, err := w.conn.ExecContext(ctx, "START TRANSACTION"); err != nil {
		return 0, fmt.Errorf("begin a chunk: %w", err)
	}
	lock := s.share
	if nowait {
		lock += " NOWAIT"
	}
	// The locking read also sums the original's range up for the checksum: the range stays
	// locked until the commit, so its sum cannot change meanwhile, and the range is read once
	// less.
	var orig rangeSum
	if err := w.conn.QueryRowContext(ctx, s.crcOrig+rng+" "+lock).Scan(&orig.rows, &orig.hash); err != nil {
		if nowait && isErrno(err, errLockWait, errLockNowait) {
			return 0, errBusy
		}
		return 0, fmt.Errorf("lock a chunk: %w", err)
	}
	rows, err := w.write(ctx, rng, srng)
	if err != nil {
		return 0, err
	}
	if err := w.checksum(ctx, orig, srng, rows); err != nil {
		return 0, err
	}
	if err := w.checkpoint(ctx, job, orig); err != nil {
		return 0, err
	}
	if _, err := w.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return 0, fmt.Errorf("commit a chunk: %w", err)
	}
	return rows, nil
}

// write clears the triggers' rows from the shadow's range and copies the range into the
// shadow, in the worker's turn; a failure or a warning is pinned to its row (findRow, which
// inserts too, in the same turn). The turn is taken before the first lock in the shadow: a
// worker that waits for its turn holds nothing there that the worker inserting could need, so
// no wait cycle goes through the turn, which the server could not see.
func (w *worker) write(ctx context.Context, rng, srng string) (int64, error) {
	release, err := w.takeTurn(ctx)
	if err != nil {
		return 0, err
	}
	defer release()
	if err := w.clearShadow(ctx, srng); err != nil {
		return 0, err
	}
	if _, err := w.conn.ExecContext(ctx, "SAVEPOINT sg_chunk"); err != nil {
		return 0, err
	}
	s := w.sql
	res, err := w.conn.ExecContext(ctx, s.insertHead+rng+" ORDER BY "+s.order+" "+s.share)
	if err != nil {
		if dataError(err) {
			return 0, w.findRow(ctx, rng, err)
		}
		return 0, fmt.Errorf("copy a chunk: %w", err)
	}
	rows, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if warn, err := w.warning(ctx); err != nil || warn != nil {
		if err != nil {
			return 0, err
		}
		return 0, w.findRow(ctx, rng, warn)
	}
	return rows, nil
}

// clearShadow deletes the rows the triggers wrote into the shadow's range, one statement per
// row, by its row key. An equality on an existing key of a unique index locks that row and no gap; a DELETE of
// the range, or even of a list of keys (which the server runs as a range scan), also locks gaps,
// and a gap at the range's edge is where the neighbouring chunk's worker inserts. Nothing can
// delete the rows meanwhile: the original's range is locked, so no trigger writes into it.
func (w *worker) clearShadow(ctx context.Context, srng string) error {
	s := w.sql
	var keys []string
	raw := make([][]byte, len(s.rkey.columns))
	dest := make([]any, len(raw))
	for i := range raw {
		dest[i] = &raw[i]
	}
	q := "SELECT " + keySelect(s.rkey.columns) + " FROM " + schema.QuoteIdent(s.n.shadow) + " FORCE INDEX (" + schema.QuoteIdent(s.skey.index) + ") WHERE " + srng
	err := introspect.QueryRows(ctx, w.conn, q, nil, func(r *sql.Rows) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		lits, err := keyValues(s.rkey.columns, raw)
		if err != nil {
			return err
		}
		keys = append(keys, keyMatch(s.rkey.names(), lits))
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the shadow's range: %w", err)
	}
	for _, k := range keys {
		if _, err := w.conn.ExecContext(ctx, "DELETE FROM "+schema.QuoteIdent(s.n.shadow)+" WHERE "+k); err != nil {
			return fmt.Errorf("clear the shadow's range: %w", err)
		}
	}
	return nil
}

func (w *worker) rollback(ctx context.Context) {
	// A failed ROLLBACK means the session is gone, and the server rolled back already.
	_, _ = w.conn.ExecContext(ctx, "ROLLBACK")
}

// warning reads the last statement's warnings and returns the first one that concerns data.
// The count comes from SHOW COUNT(*) WARNINGS: MySQL 8+ clears the diagnostics area at the next
// SELECT, SELECT @@warning_count included, so SHOW WARNINGS after it would show nothing, and a
// rounding note would pass as a clean copy.
func (w *worker) warning(ctx context.Context) (*warning, error) {
	var count int
	if err := w.conn.QueryRowContext(ctx, "SHOW COUNT(*) WARNINGS").Scan(&count); err != nil {
		return nil, fmt.Errorf("read warnings: %w", err)
	}
	if count == 0 {
		return nil, nil
	}
	var first *warning
	err := introspect.QueryRows(ctx, w.conn, "SHOW WARNINGS", nil, func(r *sql.Rows) error {
		var x warning
		if err := r.Scan(&x.level, &x.code, &x.message); err != nil {
			return err
		}
		if first == nil && x.code != errUnsafeBinlog && x.code != errDeprecated {
			first = &x
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read warnings: %w", err)
	}
	return first, nil
}

// warning is a row of SHOW WARNINGS; as an error it is what stopped the copy.
type warning struct {
	level   string
	code    uint16
	message string
}

func (w *warning) Error() string { return fmt.Sprintf("%s %d: %s", w.level, w.code, w.message) }
