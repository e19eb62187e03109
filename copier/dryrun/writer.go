package dryrun

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schema-guard/schema-guard/schema"
)

// This file is the synthetic writer: the application's writes while the copier runs. It
// inserts new rows, updates rows (now and then their key, and ranges of rows in key order) and
// deletes rows, in an order drawn from a seed; new rows and moved rows often take a key deleted
// before, which puts them behind the copy, in the range already copied. Each operation is one autocommit statement on the table's own name; whether the
// server took it is recorded, so that the same operations, in the same order, can be applied
// afterwards to the reference table — skipping the ones the copier's table refused — and the
// two tables must then agree.
//
// The writer must be quiet at the cut-over: it runs until stop, which the dry run calls from
// Options.BeforeCutover, and stop returns only when the statement in flight has finished.

// writeOp is one write.
type writeOp struct {
	sql  string
	kind string // "insert", "update", "delete"
	// slot is the live row an update or delete names; key is the row's key after the write
	// (the inserted row's, or the updated row's when the update changes it), nil otherwise.
	slot int
	key  []cell
	// err is the copier's table refusing the write; it is skipped on the reference.
	err error
}

// writer writes to one table.
type writer struct {
	g     *generator
	ident []int    // the columns of the key that names rows (into g.cols); nil: inserts only
	live  [][]cell // the keys of the rows updates and deletes may name, in a fixed order
	freed [][]cell // the keys of rows the writer deleted, for new rows and new keys
	rng   *rand.Rand
	ops   []writeOp

	maxOps  int
	pause   time.Duration
	applied atomic.Int64
	stopCh  chan struct{}
	stopped sync.Once
	done    chan struct{}
	err     error // run's error, read after done is closed
}

// newWriter prepares a writer on the generator's table. The generator goes on making the rows
// it inserts, so they are unique against the sample; rng draws the operations.
func newWriter(g *generator, seed int64, maxOps int) *writer {
	w := &writer{g: g, rng: rand.New(rand.NewPCG(uint64(seed), 0x3717e5)), maxOps: maxOps,
		stopCh: make(chan struct{}), done: make(chan struct{})}
	w.ident = identKey(g)
	return w
}

// identKey chooses the key that names a row: the primary key, else the first unique key of
// whole NOT NULL columns.
func identKey(g *generator) []int {
	for _, k := range g.keys {
		ok := true
		var cols []int
		for _, p := range k.parts {
			cg := g.cols[p.col]
			ok = ok && p.prefix == 0 && !cg.col.Nullable && cg.typ.Family != schema.FamilySpatial
			cols = append(cols, p.col)
		}
		if ok {
			return cols
		}
	}
	return nil
}

// readLive reads the keys of the table's rows, in key order, as the rows updates and deletes
// may name, and marks them taken in the generator. It runs once the sample is loaded.
func (w *writer) readLive(ctx context.Context, conn *sql.Conn) error {
	if len(w.ident) == 0 {
		return nil
	}
	exprs := make([]string, len(w.ident))
	order := make([]string, len(w.ident))
	for j, i := range w.ident {
		cg := w.g.cols[i]
		name := schema.QuoteIdent(cg.col.Name)
		order[j], exprs[j] = name, name
		switch cg.typ.Family {
		case schema.FamilyBinary:
			exprs[j] = "HEX(" + name + ")"
		case schema.FamilyBit:
			exprs[j] = "CAST(" + name + " AS UNSIGNED)"
		}
	}
	rows, err := conn.QueryContext(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+schema.QuoteIdent(w.g.table.Name)+
		" ORDER BY "+strings.Join(order, ", "))
	if err != nil {
		return fmt.Errorf("read keys: %w", err)
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, len(w.ident))
	dest := make([]any, len(raw))
	for j := range raw {
		dest[j] = &raw[j]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read keys: %w", err)
		}
		key := make([]cell, len(w.ident))
		probe := sampleRow{vals: make([]cell, len(w.g.cols))}
		for i := range probe.vals {
			probe.vals[i].omit = true
		}
		for j, i := range w.ident {
			key[j] = w.g.cols[i].fromServer(string(raw[j]))
			probe.vals[i] = key[j]
		}
		w.g.remember(probe)
		w.live = append(w.live, key)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read keys: %w", err)
	}
	return nil
}

// fromServer makes a cell from a value the server printed (binary strings in hex, BIT as a
// number); numbers stay bare, so that a BIGINT is not compared as a DOUBLE.
func (c *colGen) fromServer(s string) cell {
	switch c.typ.Family {
	case schema.FamilyBinary:
		if b, err := hex.DecodeString(s); err == nil {
			return c.text(string(b))
		}
	case schema.FamilyBit:
		return cell{lit: s, key: s}
	case schema.FamilyInteger, schema.FamilyDecimal, schema.FamilyFloat:
		if strings.Trim(s, "0123456789.-+e") == "" && s != "" {
			return plain(s)
		}
	}
	return c.text(s)
}

// next draws the next write: 35% inserts (one in a hundred a duplicate of a live row's key,
// which the table refuses), 35% updates of one row (one in seven changes the key), 10% updates
// of a range of rows, 20% deletes. A new key is, half the time, one the writer deleted before:
// a row moving behind the copy, into the range already copied, is the case a copier most
// easily gets wrong. false when there is nothing to do.
func (w *writer) next() (writeOp, bool) {
	p := w.rng.IntN(100)
	if len(w.ident) == 0 || len(w.live) == 0 || p < 35 {
		if op, ok := w.insert(p == 0); ok {
			return op, true
		}
		if len(w.live) == 0 || len(w.ident) == 0 {
			return writeOp{}, false
		}
		p = 35 // no room for another row: update one instead
	}
	slot := w.rng.IntN(len(w.live))
	table := schema.QuoteIdent(w.g.table.Name)
	switch {
	case p >= 80:
		return writeOp{sql: "DELETE FROM " + table + " WHERE " + w.where(w.live[slot]), kind: "delete", slot: slot}, true
	case p >= 70:
		if op, ok := w.rangeUpdate(slot); ok {
			return op, true
		}
	}
	r, ok := w.g.next()
	if !ok {
		r = w.g.fresh()
	}
	op := writeOp{kind: "update", slot: slot}
	set := map[int]bool{}
	for range 1 + w.rng.IntN(3) {
		set[w.rng.IntN(len(w.g.cols))] = true
	}
	if w.rng.IntN(7) == 0 { // a key change
		op.key = w.newKey(r)
		for j, i := range w.ident {
			set[i], r.vals[i] = true, op.key[j]
		}
	}
	var assigns []string
	for i, cg := range w.g.cols {
		if set[i] {
			assigns = append(assigns, schema.QuoteIdent(cg.col.Name)+" = "+r.vals[i].lit)
		}
	}
	op.sql = "UPDATE " + table + " SET " + strings.Join(assigns, ", ") + " WHERE " + w.where(w.live[slot])
	return op, true
}

// insert draws an insert: a new row, with a key deleted before half the time, or with dup a
// live row's key.
func (w *writer) insert(dup bool) (writeOp, bool) {
	if dup && len(w.live) > 0 && len(w.ident) > 0 {
		r := w.g.fresh()
		src := w.live[w.rng.IntN(len(w.live))]
		for j, i := range w.ident {
			r.vals[i] = src[j]
		}
		return writeOp{sql: w.insertSQL(r), kind: "insert", key: w.keyOf(r)}, true
	}
	r, ok := w.g.next()
	if !ok {
		return writeOp{}, false
	}
	if len(w.ident) > 0 {
		key := w.newKey(r)
		for j, i := range w.ident {
			r.vals[i] = key[j]
		}
	}
	return writeOp{sql: w.insertSQL(r), kind: "insert", key: w.keyOf(r)}, true
}

// newKey is a key for a row: one the writer deleted before, half the time, else r's own.
func (w *writer) newKey(r sampleRow) []cell {
	if len(w.freed) > 0 && w.rng.IntN(2) == 0 {
		last := len(w.freed) - 1
		key := w.freed[last]
		w.freed = w.freed[:last]
		return key
	}
	return w.keyOf(r)
}

// rangeUpdate draws an update of up to 20 rows from the live row at slot on, in key order
// (deterministic: the key is unique), of columns no unique key holds. false when every column
// is in a unique key.
func (w *writer) rangeUpdate(slot int) (writeOp, bool) {
	var free []int
	for i := range w.g.cols {
		if !w.g.inUniqueKey(i) {
			free = append(free, i)
		}
	}
	if len(free) == 0 {
		return writeOp{}, false
	}
	i := free[w.rng.IntN(len(free))]
	v := w.g.cols[i].random(w.g.rng)
	cols := make([]string, len(w.ident))
	vals := make([]string, len(w.ident))
	for j, k := range w.ident {
		cols[j], vals[j] = schema.QuoteIdent(w.g.cols[k].col.Name), w.live[slot][j].lit
	}
	sql := fmt.Sprintf("UPDATE %s SET %s = %s WHERE (%s) >= (%s) ORDER BY %s LIMIT 20", schema.QuoteIdent(w.g.table.Name),
		schema.QuoteIdent(w.g.cols[i].col.Name), v.lit, strings.Join(cols, ", "), strings.Join(vals, ", "), strings.Join(cols, ", "))
	return writeOp{sql: sql, kind: "update"}, true
}

func (w *writer) insertSQL(r sampleRow) string {
	_, stmt := w.g.batch([]sampleRow{r}, 0)
	return stmt
}

func (w *writer) keyOf(r sampleRow) []cell {
	if len(w.ident) == 0 {
		return nil
	}
	key := make([]cell, len(w.ident))
	for j, i := range w.ident {
		key[j] = r.vals[i]
	}
	return key
}

func (w *writer) where(key []cell) string {
	conds := make([]string, len(w.ident))
	for j, i := range w.ident {
		conds[j] = schema.QuoteIdent(w.g.cols[i].col.Name) + " = " + key[j].lit
	}
	return strings.Join(conds, " AND ")
}

// record notes how the copier's table took op and follows it in the live rows.
func (w *writer) record(op writeOp, err error) {
	op.err = err
	w.ops = append(w.ops, op)
	if err != nil {
		return
	}
	switch {
	case op.kind == "insert" && op.key != nil:
		w.live = append(w.live, op.key)
	case op.kind == "update" && op.key != nil:
		w.live[op.slot] = op.key
	case op.kind == "delete":
		w.freed = append(w.freed, w.live[op.slot])
		last := len(w.live) - 1
		w.live[op.slot] = w.live[last]
		w.live = w.live[:last]
	}
}

// run writes on conn until stop is called, maxOps writes are done or ctx ends.
func (w *writer) run(ctx context.Context, conn *sql.Conn) {
	defer close(w.done)
	for range w.maxOps {
		select {
		case <-w.stopCh:
			return
		case <-ctx.Done():
			w.err = ctx.Err()
			return
		default:
		}
		op, ok := w.next()
		if !ok {
			return
		}
		err := execRetrying(ctx, conn, op.sql)
		if err != nil && !rejectedByServer(err) {
			w.err = fmt.Errorf("write: %w", err)
			return
		}
		w.record(op, err)
		w.applied.Add(1)
		if w.pause > 0 {
			select {
			case <-w.stopCh:
				return
			case <-time.After(w.pause):
			}
		}
	}
}

// stop ends run after the write in flight and returns run's error. It may be called more
// than once, and from another goroutine than run's.
func (w *writer) stop() error {
	w.stopped.Do(func() { close(w.stopCh) })
	<-w.done
	return w.err
}

// waitFor waits until n writes are done, run has ended, ctx ends or limit passes: the dry run
// lets the writer do a little before the cut-over even when the copy was quick.
func (w *writer) waitFor(ctx context.Context, n int64, limit time.Duration) {
	deadline := time.After(limit)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for w.applied.Load() < n {
		select {
		case <-w.done:
			return
		case <-ctx.Done():
			return
		case <-deadline:
			return
		case <-tick.C:
		}
	}
}

// execRetrying runs one write, again after a deadlock or a lock wait timeout, as an
// application would: the copier's chunks and triggers take row locks too.
func execRetrying(ctx context.Context, conn *sql.Conn, stmt string) error {
	var err error
	for attempt := range 5 {
		if _, err = conn.ExecContext(ctx, stmt); err == nil {
			return nil
		}
		if n := serverErrNum(err); n != 1213 && n != 1205 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(10*(attempt+1)) * time.Millisecond):
		}
	}
	return err
}

// replayResult is how the writes went on the reference.
type replayResult struct {
	applied  int // writes the copier's table took, applied to the reference
	rejected int // writes the copier's table refused, skipped
	// blocked are refused writes the reference takes (tried and rolled back): writes that
	// failed only because of the copier (its triggers, its locks).
	blocked int
	// diverged are writes the copier's table took and the reference refused.
	diverged               int
	firstBlocked, firstDiv string
}

// replay applies the recorded writes to the reference table on conn, in order. Call it after
// stop.
func (w *writer) replay(ctx context.Context, conn *sql.Conn) (replayResult, error) {
	var res replayResult
	for _, op := range w.ops {
		if op.err == nil {
			err := execRetrying(ctx, conn, op.sql)
			switch {
			case err == nil:
				res.applied++
			case !rejectedByServer(err):
				return res, fmt.Errorf("replay writes: %w", err)
			default:
				res.diverged++
				if res.firstDiv == "" {
					res.firstDiv = fmt.Sprintf("%s: %v", shorten(op.sql, 120), err)
				}
			}
			continue
		}
		res.rejected++
		took, err := wouldTake(ctx, conn, op.sql)
		if err != nil {
			return res, fmt.Errorf("replay writes: %w", err)
		}
		if took {
			res.blocked++
			if res.firstBlocked == "" {
				res.firstBlocked = fmt.Sprintf("%s: %v", shorten(op.sql, 120), op.err)
			}
		}
	}
	return res, nil
}

// wouldTake runs stmt in a transaction it rolls back and reports whether the server took it.
func wouldTake(ctx context.Context, conn *sql.Conn, stmt string) (bool, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		if rejectedByServer(err) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
