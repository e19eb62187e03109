package copier

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// verifyResumed compares every range the earlier runs committed, in the original and the
// shadow, and copies again the ranges that differ; then the copy goes on from the last of
// them (the coordinator's chunk numbers go on too).
func (r *run) verifyResumed(ctx context.Context, s *chunkSQL) error {
	st := r.ctl.resume
	if st == nil || len(st.chunks) == 0 {
		return nil
	}
	began := time.Now()
	w := &worker{conn: r.conn, sql: s}
	for _, c := range st.chunks {
		if err := r.throttle(ctx, phaseVerify); err != nil {
			return err
		}
		job := chunkJob{seq: int(c.seq), lo: c.lo, hi: c.hi, size: int(c.rows)}
		r.co.seq = max(r.co.seq, job.seq)
		same, rows, err := w.verifyChunk(ctx, job)
		if err != nil {
			return fmt.Errorf("copier: resume: verify the chunk after %s: %w", keyText(c.lo), err)
		}
		if !same {
			r.log.Warn("resume: a range the earlier copy committed differs from the table now; copying it again", "table", r.n.table, "after", keyText(c.lo))
			n, _, err := w.copyChunk(ctx, job)
			if err != nil {
				return fmt.Errorf("copier: resume: copy the chunk after %s again: %w", keyText(c.lo), err)
			}
			r.co.copied += n
			r.co.recopied++
			continue
		}
		r.res.Verified += rows
		if r.co.intKey {
			_, _ = fmt.Sscan(job.hi[0], &r.co.hiInt)
		}
	}
	r.log.Info("resumed: the earlier copy's chunks match the table", "table", r.n.table, "chunks", len(st.chunks), "rows", r.res.Verified, "took", time.Since(began).Round(time.Millisecond))
	return nil
}

// verifyChunk compares a range of the original and of the shadow, as a chunk's transaction
// does (worker.try): the original's range locked in share mode and summed up, then the shadow's
// range read consistently. It reports whether they agree, and the range's rows.
func (w *worker) verifyChunk(ctx context.Context, job chunkJob) (bool, int64, error) {
	s := w.sql
	rng := keyRange(s.key.columns, job.lo, job.hi)
	srng := keyRange(s.skey.columns, job.lo, job.hi)
	busy := 0
	for attempt := 1; ; attempt++ {
		same, rows, err := w.compareRange(ctx, rng, srng, busy < nowaitTries)
		if err == nil {
			return same, rows, nil
		}
		w.rollback(ctx)
		switch {
		case ctx.Err() != nil:
			return false, 0, ctx.Err()
		case errors.Is(err, errBusy):
			busy++
			attempt--
			if err := sleep(ctx, time.Duration(min(busy, 10))*5*time.Millisecond); err != nil {
				return false, 0, err
			}
		case retryable(err) && attempt < maxChunkRetries:
			if err := sleep(ctx, time.Duration(attempt)*50*time.Millisecond); err != nil {
				return false, 0, err
			}
		default:
			return false, 0, err
		}
	}
}

// compareRange is one attempt of verifyChunk; like a chunk, it does not wait for rows the
// application holds while it can avoid it (NOWAIT, see worker.try).
func (w *worker) compareRange(ctx context.Context, rng, srng string, nowait bool) (bool, int64, error) {
	s := w.sql
	if _, err := w.conn.ExecContext(ctx, "START TRANSACTION"); err != nil {
		return false, 0, err
	}
	lock := s.share
	if nowait {
		lock += " NOWAIT"
	}
	var orig, shadow rangeSum
	if err := w.conn.QueryRowContext(ctx, s.crcOrig+rng+" "+lock).Scan(&orig.rows, &orig.hash); err != nil {
		if nowait && isErrno(err, errLockWait, errLockNowait) {
			return false, 0, errBusy
		}
		return false, 0, err
	}
	if err := w.conn.QueryRowContext(ctx, s.crcShadow+srng).Scan(&shadow.rows, &shadow.hash); err != nil {
		return false, 0, err
	}
	if _, err := w.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return false, 0, err
	}
	return orig == shadow, orig.rows, nil
}
