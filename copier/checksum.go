package copier

import (
	"context"
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// hashCol is a column as the checksum reads it.
type hashCol struct {
	name string
	// nullable: the column may hold NULL on either side. float: it is a FLOAT, which the
	// server prints with six significant digits (1.0000001 and 1.0000002 both read "1"); as a
	// DOUBLE, which holds every FLOAT exactly and prints the shortest text that reads back as
	// the same value, no two values hash alike.
	nullable, float bool
}

// rowHash is the CRC32 of a row's columns joined with '#', followed by a map of which nullable
// columns are NULL, since CONCAT_WS skips NULLs and ('a', NULL) would otherwise hash as
// (NULL, 'a'). With cast, each column is cast to a binary string first, so that columns of
// different character sets concatenate without a collation error. The expression is evaluated
// for every row of both tables, so it is kept as lean as that allows.
func rowHash(cols []hashCol, cast bool) string {
	vals := make([]string, 0, len(cols)+1)
	var nulls []string
	for _, c := range cols {
		v := schema.QuoteIdent(c.name)
		if c.float {
			v = "CAST(" + v + " AS DOUBLE)"
		}
		if cast {
			v = "CAST(" + v + " AS BINARY)"
		}
		vals = append(vals, v)
		if c.nullable {
			nulls = append(nulls, "ISNULL("+schema.QuoteIdent(c.name)+")")
		}
	}
	switch len(nulls) {
	case 0:
	case 1:
		vals = append(vals, nulls[0])
	default:
		vals = append(vals, "CONCAT("+strings.Join(nulls, ", ")+")")
	}
	return "CRC32(CONCAT_WS('#', " + strings.Join(vals, ", ") + "))"
}

// rangeSum is a key range summed up: its rows, and the BIT_XOR of their hashes.
type rangeSum struct {
	rows int64
	hash uint64
}

// checksum compares the shadow's range with the original's sum, taken in the chunk's
// transaction when its locks were taken: the original's range is locked since, and the shadow's
// range holds exactly what the INSERT wrote (the triggers cannot write it while the original's
// rows and gaps are locked, and wrote nothing there before, or the INSERT would have met them).
// The counts must match the rows inserted, and the hashes of the columns whose values the ALTER
// keeps must match.
func (w *worker) checksum(ctx context.Context, orig rangeSum, srng string, inserted int64) error {
	var shadow rangeSum
	// A consistent read: its snapshot is taken now, after the chunk's locks, so it sees the
	// range exactly; and unlike a locking read it does not wait for another worker's rows
	// past the range's end.
	if err := w.conn.QueryRowContext(ctx, w.sql.crcShadow+srng).Scan(&shadow.rows, &shadow.hash); err != nil {
		return fmt.Errorf("checksum the shadow: %w", err)
	}
	if orig != shadow || orig.rows != inserted {
		return fmt.Errorf("%w: original %d rows (%08x), shadow %d rows (%08x), %d copied", errDiverged, orig.rows, orig.hash, shadow.rows, shadow.hash, inserted)
	}
	return nil
}

// findRow finds the row of the chunk that makes the copy fail or warn, by bisecting on prefixes
// of the chunk in key order: the shortest prefix whose copy fails ends with the row. The chunk's
// original rows stay locked meanwhile, and each probe is rolled back to the savepoint taken
// before the copy. cause is the failure of the whole chunk; when no prefix reproduces it, it is
// returned as it is.
func (w *worker) findRow(ctx context.Context, rng string, cause error) error {
	if _, err := w.conn.ExecContext(ctx, "ROLLBACK TO SAVEPOINT sg_chunk"); err != nil {
		return fmt.Errorf("%v; and then: %w", cause, err)
	}
	var total int64
	s := w.sql
	from := " FROM " + schema.QuoteIdent(s.n.table) + " FORCE INDEX (" + schema.QuoteIdent(s.key.index) + ") WHERE " + rng
	if err := w.conn.QueryRowContext(ctx, "SELECT COUNT(*)"+from+" "+s.share).Scan(&total); err != nil {
		return fmt.Errorf("find the failing row: %w", err)
	}
	probe := func(m int64) (error, error) {
		if _, err := w.conn.ExecContext(ctx, "ROLLBACK TO SAVEPOINT sg_chunk"); err != nil {
			return nil, err
		}
		_, err := w.conn.ExecContext(ctx, fmt.Sprintf("%s%s ORDER BY %s LIMIT %d %s", s.insertHead, rng, s.order, m, s.share))
		if err != nil {
			if dataError(err) {
				return err, nil
			}
			return nil, err
		}
		warn, err := w.warning(ctx)
		if warn != nil {
			return warn, err
		}
		return nil, err
	}
	lo, hi := int64(1), total
	failure, err := probe(hi)
	if err != nil {
		return fmt.Errorf("find the failing row: %w", err)
	}
	if failure == nil {
		return cause
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		f, err := probe(mid)
		if err != nil {
			return fmt.Errorf("find the failing row: %w", err)
		}
		if f != nil {
			hi, failure = mid, f
		} else {
			lo = mid + 1
		}
	}
	var key string
	q := fmt.Sprintf("SELECT %s%s ORDER BY %s LIMIT 1 OFFSET %d", keyDisplay(s.key.columns, ""), from, s.order, lo-1)
	if err := w.conn.QueryRowContext(ctx, q).Scan(&key); err != nil {
		return fmt.Errorf("find the failing row: %w", err)
	}
	return rowRefusal(s.n.table, key, failure)
}

// rowRefusal says why a row of the table cannot be copied.
func rowRefusal(table, key string, failure error) *Refusal {
	if w, ok := failure.(*warning); ok {
		return &Refusal{Key: key, Reason: fmt.Sprintf("copying a row of %s into the changed table changes its value: %s %d: %s; the copier treats every warning as an error — fix the data or the change, then run again",
			table, w.level, w.code, w.message)}
	}
	me := mysqlError(failure)
	return &Refusal{Key: key, Reason: fmt.Sprintf("a row of %s does not fit the changed table: Error %d: %s; fix the data or the change, then run again",
		table, me.Number, me.Message)}
}
