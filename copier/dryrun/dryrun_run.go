package dryrun

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/copier"
	"github.com/schema-guard/schema-guard/schema"
)

// Run runs the online copier on sampled data against the plain ALTER. copyDB and refDB are
// two empty scratch databases of one server; Run creates the table in both from
// opts.CreateTable, loads the same sample and edge rows into both, runs the copier (Execute,
// through the cut-over) on copyDB while a synthetic writer writes to the table, stops the
// writer before the cut-over, applies the same writes and then the plain ALTER to refDB, and
// compares the two tables. Everything it makes stays in the two databases, which the caller
// drops. The error is for trouble with the servers or the inputs (an unreadable CSV file, a
// statement that is not an ALTER TABLE or CREATE INDEX on the table); the copier failing is a
// verdict.
func Run(ctx context.Context, copyDB, refDB *sql.DB, opts Options) (*Verdict, error) {
	if opts.Before == nil || opts.CreateTable == "" || strings.TrimSpace(opts.Alter) == "" {
		return nil, errors.New("dry run: Before, CreateTable and Alter are required")
	}
	table := opts.Before.Name
	stmt, err := readStatement(opts.Alter, table)
	if err != nil {
		return nil, fmt.Errorf("dry run: %w", err)
	}
	ref, refNote := copier.ReferencedTable(opts.Flavor, table, opts.ReferencedBy)
	if ref != nil {
		return &Verdict{Verdict: Refused, BeforeCopy: true, Detail: "the copier refuses: " + ref.Reason}, nil
	}
	d, err := prepareDryRun(ctx, copyDB, refDB, opts)
	if err != nil {
		return nil, err
	}
	defer d.close()
	v := &Verdict{SampleRows: d.loaded, EdgeRows: int64(len(d.edges))}

	w := newWriter(d.g, opts.Seed, max(200, d.rows/5))
	if err := w.readLive(ctx, d.copyConn); err != nil {
		return nil, fmt.Errorf("dry run: %w", err)
	}
	// A write waiting on the copier's locks gives up after a minute rather than hang the run.
	if _, err := d.copyConn.ExecContext(ctx, "SET SESSION lock_wait_timeout = 60"); err != nil {
		return nil, fmt.Errorf("dry run: %w", err)
	}
	go w.run(ctx, d.copyConn)
	// The scratch databases hold the table alone, without the parents of its foreign keys.
	res, runErr := copier.Run(ctx, copyDB, copier.Options{Table: table, Alter: stmt.clause, Execute: true, ChunkTime: dryRunChunkTime, NoForeignKeyChecks: true,
		BeforeCutover: func(ctx context.Context) error {
			// Let some writes happen even when the copy was quick, then stop them all.
			w.waitFor(ctx, 50, 5*time.Second)
			return w.stop()
		}})
	if err := w.stop(); err != nil {
		return nil, fmt.Errorf("dry run: writer: %w", err)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	rep, err := w.replay(ctx, d.refConn)
	if err != nil {
		return nil, fmt.Errorf("dry run: reference: %w", err)
	}
	v.Writes, v.WritesBlocked = int64(len(w.ops)), int64(rep.blocked)
	refErr, err := plainAlter(ctx, refDB, stmt.ref)
	if err != nil {
		return nil, fmt.Errorf("dry run: reference: %w", err)
	}
	if res != nil {
		v.RowsPerSecond = res.RowsPerSecond
	}
	if err := d.judge(ctx, v, runErr, res, refErr, copyDB, refDB, table); err != nil {
		return nil, err
	}
	v.Detail = strings.TrimSpace(v.Detail + "\n" + d.describe(w, rep) + refNote)
	return v, nil
}

// dryRunChunkTime is the copier's chunk time in a dry run: short, so that a sample of some
// thousand rows is copied in many chunks and the writer's changes meet their edges, as they do
// in a production copy of millions of rows.
const dryRunChunkTime = 20 * time.Millisecond

// dryRun is one dry run's sample, loaded into both databases.
type dryRun struct {
	g                 *generator
	copyConn, refConn *sql.Conn
	rows              int   // generated rows asked for
	loaded            int64 // rows in each table before the copy
	edges             []edgeRow
	skipped           int      // generated rows the table refused (a CHECK, a trigger)
	skippedEdges      []string // edge rows the table refused, with the server's reason
	csv               string
}

func (d *dryRun) close() {
	if d.copyConn != nil {
		d.copyConn.Close()
	}
	if d.refConn != nil {
		d.refConn.Close()
	}
}

// prepareDryRun creates the table in both databases and loads the sample into both: the rows
// the copier's table takes, then exactly those into the reference.
func prepareDryRun(ctx context.Context, copyDB, refDB *sql.DB, opts Options) (_ *dryRun, err error) {
	d := &dryRun{rows: opts.Rows, csv: opts.SampleCSV}
	if d.rows <= 0 {
		d.rows = defaultSampleRows
	}
	defer func() {
		if err != nil {
			d.close()
		}
	}()
	if d.g, err = newGenerator(opts.Before, opts.Flavor, opts.Seed); err != nil {
		return nil, fmt.Errorf("dry run: %w", err)
	}
	var mode string
	if d.copyConn, mode, err = sampleSession(ctx, copyDB); err != nil {
		return nil, fmt.Errorf("dry run: copy database: %w", err)
	}
	if d.refConn, _, err = sampleSession(ctx, refDB); err != nil {
		return nil, fmt.Errorf("dry run: reference database: %w", err)
	}
	for _, c := range []*sql.Conn{d.copyConn, d.refConn} {
		if _, err := c.ExecContext(ctx, opts.CreateTable); err != nil {
			return nil, fmt.Errorf("dry run: create table: %w", err)
		}
	}
	var base []sampleRow
	if d.csv != "" {
		if base, err = d.g.readSampleCSV(d.csv); err != nil {
			return nil, err
		}
		for _, r := range base {
			d.g.remember(r)
		}
	} else {
		base = d.g.sample(d.rows)
	}
	d.edges = d.g.edgeRows(opts.After, zeroDatesAllowed(mode))
	took, rejected, err := d.g.load(ctx, d.copyConn, base, d.csv == "")
	var re *rowError
	if errors.As(err, &re) && d.csv != "" {
		return nil, fmt.Errorf("%s:%d: the table refuses the row: %w", d.csv, base[re.row].line, re.err)
	} else if err != nil {
		return nil, fmt.Errorf("dry run: load sample: %w", err)
	}
	d.skipped = len(rejected)
	rows := make([]sampleRow, 0, len(took)+len(d.edges))
	for _, i := range took {
		rows = append(rows, base[i])
	}
	edgeRows := make([]sampleRow, len(d.edges))
	for i, e := range d.edges {
		edgeRows[i] = e.sampleRow
	}
	tookEdges, rejected, err := d.g.load(ctx, d.copyConn, edgeRows, true)
	if err != nil {
		return nil, fmt.Errorf("dry run: load edge rows: %w", err)
	}
	for _, r := range rejected {
		d.skippedEdges = append(d.skippedEdges, fmt.Sprintf("%s (%s): %v", d.edges[r.row].kind, d.edges[r.row].object, r.err))
	}
	kept := make([]edgeRow, 0, len(tookEdges))
	for _, i := range tookEdges {
		rows = append(rows, edgeRows[i])
		kept = append(kept, d.edges[i])
	}
	d.edges = kept
	if _, _, err := d.g.load(ctx, d.refConn, rows, false); err != nil {
		return nil, fmt.Errorf("dry run: load reference: %w", err)
	}
	d.loaded = int64(len(rows))
	return d, nil
}

// plainAlter runs the statement on the reference in a session with the server's defaults
// (its sql_mode and time zone, as the ALTER would run in production) but no foreign key
// checks. The first result is the server refusing it; the second, trouble reaching it.
func plainAlter(ctx context.Context, db *sql.DB, stmt string) (refused, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		if rejectedByServer(err) {
			return err, nil
		}
		return nil, err
	}
	return nil, nil
}

// describe reads the table's columns (the fields of the model the comparison needs: Name,
// Type, DataType, Nullable, Collation) and its definition as lines to compare: one per column,
// per index and for the table's options.
func describe(ctx context.Context, conn *sql.Conn, table string) ([]schema.Column, map[string]string, error) {
	def := map[string]string{}
	var cols []schema.Column
	err := queryEach(ctx, conn, `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COALESCE(COLUMN_DEFAULT, 'NULL'),
		COALESCE(COLLATION_NAME, ''), EXTRA, COALESCE(GENERATION_EXPRESSION, ''), ORDINAL_POSITION
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
		[]any{table}, func(s []string) {
			c := schema.Column{Name: s[0], DataType: strings.ToLower(s[1]), Type: s[2], Nullable: s[3] == "YES", Collation: s[5]}
			def["column "+strings.ToLower(c.Name)] = fmt.Sprintf("%s null=%s default=%s collate=%s %s %s position %s", s[2], s[3], s[4], s[5], s[6], s[7], s[8])
			cols = append(cols, c)
		})
	if err != nil {
		return nil, nil, err
	}
	if len(cols) == 0 {
		return nil, nil, fmt.Errorf("table %s not found", table)
	}
	err = queryEach(ctx, conn, `SELECT INDEX_NAME, NON_UNIQUE, INDEX_TYPE, COALESCE(COLUMN_NAME, ''), COALESCE(SUB_PART, 0)
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
		[]any{table}, func(s []string) {
			k := "index " + s[0]
			if def[k] == "" {
				def[k] = fmt.Sprintf("non_unique=%s %s:", s[1], s[2])
			}
			def[k] += " " + s[3]
			if s[4] != "0" {
				def[k] += "(" + s[4] + ")"
			}
		})
	if err != nil {
		return nil, nil, err
	}
	err = queryEach(ctx, conn, `SELECT COALESCE(ENGINE, ''), COALESCE(TABLE_COLLATION, '')
		FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
		[]any{table}, func(s []string) { def["table options"] = "engine " + s[0] + ", collation " + s[1] })
	return cols, def, err
}

// judge gives the verdict from the copier's outcome and the plain ALTER's, comparing the
// tables when both succeeded.
func (d *dryRun) judge(ctx context.Context, v *Verdict, runErr error, res *copier.Result, refErr error, copyDB, refDB *sql.DB, table string) error {
	var refusal *copier.Refusal
	refused := errors.As(runErr, &refusal)
	if refused && refusal.Key != "" {
		v.Examples = []string{refusal.Key}
	}
	v.BeforeCopy = refused && refusal.Key == "" && (res == nil || res.Rows == 0)
	switch {
	case runErr != nil && !refused:
		v.Verdict = Failed
		v.Detail = "the copier failed: " + runErr.Error()
		if refErr != nil {
			v.Detail += "\nthe plain ALTER fails too: " + refErr.Error()
		}
	case refused && refErr != nil:
		v.Verdict = Refused
		v.Detail = "the copier refuses, and the plain ALTER fails too: " + refusal.Error() +
			"\nthe plain ALTER: " + refErr.Error() + d.needs()
	case refused:
		v.Verdict = Refused
		v.Detail = "the copier refuses: " + refusal.Error() +
			"\nthe plain ALTER succeeds on the same rows and writes: the copier is stricter here, for a precondition " +
			"of its own or because the ALTER rounds, cuts or converts values silently (decimals rounded to a smaller " +
			"scale, fractional seconds dropped), which the copier counts as changed data" + d.needs()
	case res == nil || !res.CutOver:
		v.Verdict = Failed
		v.Detail = "the copier finished without cutting over"
	case refErr != nil:
		v.Verdict = Lossy
		v.Detail = "the copier completed a change the plain ALTER refuses (" + refErr.Error() + "): it let in rows " +
			"the changed table cannot hold, so their values were cut or converted on the way" + d.needs()
		v.Examples = d.failingEdges()
	default:
		diff, err := compareTables(ctx, refDB, copyDB, table)
		if err != nil {
			return fmt.Errorf("dry run: %w", err)
		}
		v.RowsLost, v.RowsAdded, v.RowsChanged, v.Examples = diff.lost, diff.added, diff.changed, diff.examples
		if diff.same() {
			v.Verdict = Lossless
			v.Detail = fmt.Sprintf("the copy matches the plain ALTER's table: %d rows, same definition", diff.refRows)
			return nil
		}
		v.Verdict = Lossy
		v.Detail = fmt.Sprintf("the copy differs from the plain ALTER's table: %d rows lost, %d added, %d changed "+
			"(%d rows in the ALTER's table, %d in the copy)", diff.lost, diff.added, diff.changed, diff.refRows, diff.copyRows)
		if len(diff.examples) > 0 {
			v.Detail += "; for example " + strings.Join(diff.examples, ", ")
		}
		for _, s := range diff.schema {
			v.Detail += "\ndefinition: " + s
		}
	}
	return nil
}

// needs says what the data must look like for the change to pass, from the edge rows the
// changed table cannot hold.
func (d *dryRun) needs() string {
	var failing []edgeRow
	for _, e := range d.edges {
		if !e.passes {
			failing = append(failing, e)
		}
	}
	needs := edgeNeeds(failing)
	if len(needs) == 0 {
		return ""
	}
	return "\nfor the change to pass, the data must satisfy: " + strings.Join(needs, "; ")
}

// failingEdges names (by their key, where the table has one) up to five edge rows the changed
// table cannot hold.
func (d *dryRun) failingEdges() []string {
	ident := identKey(d.g)
	var out []string
	for _, e := range d.edges {
		if e.passes || len(ident) == 0 || len(out) == maxExamples {
			continue
		}
		parts := make([]string, len(ident))
		for j, i := range ident {
			parts[j] = d.g.cols[i].col.Name + "=" + shorten(e.vals[i].lit, 40)
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

// describe says what the sample and the writer did, for the verdict's detail.
func (d *dryRun) describe(w *writer, rep replayResult) string {
	var b strings.Builder
	src := fmt.Sprintf("%d generated", d.loaded-int64(len(d.edges)))
	if d.csv != "" {
		src = fmt.Sprintf("%d from %s", d.loaded-int64(len(d.edges)), d.csv)
	}
	if d.csv == "" && d.loaded-int64(len(d.edges))+int64(d.skipped) < int64(d.rows) {
		src += " (the unique keys have no room for more)"
	}
	fmt.Fprintf(&b, "sample: %d rows, %s and %d edge rows", d.loaded, src, len(d.edges))
	if len(d.edges) > 0 {
		b.WriteString(" (" + edgeSummary(d.edges) + ")")
	}
	if d.skipped > 0 {
		fmt.Fprintf(&b, "; %d generated rows the table refused (a CHECK constraint?) were left out", d.skipped)
	}
	for _, s := range d.skippedEdges {
		b.WriteString("\nedge row refused by the deployed table, left out: " + s)
	}
	fmt.Fprintf(&b, "\nwriter: %d writes while the copier ran, %d refused by the table and skipped on the reference",
		len(w.ops), rep.rejected)
	if rep.blocked > 0 {
		fmt.Fprintf(&b, "\n%d writes the table takes failed while the copier ran, because of it; first: %s", rep.blocked, rep.firstBlocked)
	}
	if rep.diverged > 0 {
		fmt.Fprintf(&b, "\n%d writes the copier's table took were refused by the reference; first: %s", rep.diverged, rep.firstDiv)
	}
	return b.String()
}

// edgeNeeds lists, once each, what the data must look like for the change to pass.
func edgeNeeds(rows []edgeRow) []string {
	var out []string
	for _, r := range rows {
		if r.need != "" && !slices.Contains(out, r.need) {
			out = append(out, r.need)
		}
	}
	return out
}

// edgeSummary says which edge rows the sample holds: "2 duplicate (unique key uk_email), …".
func edgeSummary(rows []edgeRow) string {
	type group struct{ kind, object string }
	var order []group
	count := map[group]int{}
	for _, r := range rows {
		k := group{r.kind, r.object}
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	parts := make([]string, len(order))
	for j, k := range order {
		parts[j] = fmt.Sprintf("%d %s (%s)", count[k], k.kind, k.object)
	}
	return strings.Join(parts, ", ")
}
