package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/copier"
)

const copyUsage = `Usage: schema-guard copy --dsn DSN --table TABLE --alter "CLAUSES" [--execute] [flags]

Changes a table online: a shadow table with the change, triggers that capture the application's
writes, a chunked copy in key order, a checksum of every chunk, and an atomic RENAME. Unlike
copiers that use INSERT IGNORE, it never drops or changes a row silently: strict sql_mode, every
warning an error, and a row the new definition cannot hold stops the copy with its key. Without
--execute it stops before the cut-over and removes what it made: a rehearsal on the real data.

The DSN names the database: 'user:password@tcp(host:3306)/shop'.

Exit codes: 0 done, 1 refused (the table or the data does not allow this change online; the
reason says what must change), 2 the copy could not be done (with the reason).

Flags:
  --dsn DSN                 server and database (default $SCHEMA_GUARD_DSN)
  --table TABLE             the table to change
  --alter CLAUSES           the change: ALTER TABLE clauses ("ADD COLUMN c INT, ADD INDEX (c)") or
                            a whole ALTER TABLE statement
  --execute                 cut over; without it, stop before the cut-over and drop what was made
  --chunk-time DURATION     target time of one chunk (default 500ms)
  --keep-old                keep the original table as _<table>_sg_old after the cut-over
  --rename NEW=OLD,...      columns the ALTER renames, so their values are copied
  --lock-wait-timeout DUR   how long the cut-over's RENAME waits for the table, and on MariaDB
                            how long the copier waits for running statements before it swaps in
                            its triggers (default 2s)
  --cutover-attempts N      how often the cut-over is tried (default 5)
  --workers N               chunks copied at once, each in its own session (default 2)
  --no-defer-indexes        write every index row by row during the copy; by default the plain
                            secondary indexes are built online once the rows are in, which is
                            faster
  --cleanup                 remove what a crashed run left for the table, and stop; the table's
                            own triggers that an interrupted cut-over left on the old table are
                            moved back to the table first
  -q, --quiet               no progress on standard error
` + copyControlsUsage

// copyArgs are the copy command's flags.
type copyArgs struct {
	dsn, table, alter, renames string
	opts                       copier.Options
	cleanup, quiet             bool
	controls                   func() error // checks the production controls' flags (copy_controls.go)
}

// parseCopyArgs parses the copy command's flags. When the command ends there (help, bad
// usage) it returns nil and the exit code.
func parseCopyArgs(args []string, stdout, stderr io.Writer) (*copyArgs, int) {
	fs := flag.NewFlagSet("copy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	a := &copyArgs{}
	opts := &a.opts
	fs.StringVar(&a.dsn, "dsn", os.Getenv("SCHEMA_GUARD_DSN"), "")
	fs.StringVar(&a.table, "table", "", "")
	fs.StringVar(&a.alter, "alter", "", "")
	fs.BoolVar(&opts.Execute, "execute", false, "")
	fs.DurationVar(&opts.ChunkTime, "chunk-time", 500*time.Millisecond, "")
	fs.BoolVar(&opts.KeepOld, "keep-old", false, "")
	fs.StringVar(&a.renames, "rename", "", "")
	fs.DurationVar(&opts.LockWaitTimeout, "lock-wait-timeout", 2*time.Second, "")
	fs.IntVar(&opts.CutoverAttempts, "cutover-attempts", 5, "")
	fs.IntVar(&opts.Workers, "workers", 2, "")
	fs.BoolVar(&opts.NoDeferIndexes, "no-defer-indexes", false, "")
	fs.BoolVar(&a.cleanup, "cleanup", false, "")
	a.controls = controlFlags(fs, &opts.Controls)
	for _, name := range []string{"q", "quiet"} {
		fs.BoolVar(&a.quiet, name, false, "")
	}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, copyUsage)
		return nil, exitOK
	}
	switch {
	case err != nil:
		return nil, fail(stderr, usageError("copy", err))
	case fs.NArg() > 0:
		return nil, fail(stderr, usageError("copy", fmt.Errorf("unexpected argument %q", fs.Arg(0))))
	case a.dsn == "":
		return nil, fail(stderr, usageError("copy", errors.New("copy needs --dsn user:password@tcp(host:3306)/database")))
	case a.table == "":
		return nil, fail(stderr, usageError("copy", errors.New("copy needs --table")))
	case a.alter == "" && !a.cleanup:
		return nil, fail(stderr, usageError("copy", errors.New("copy needs --alter")))
	}
	return a, exitOK
}

func runCopy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a, code := parseCopyArgs(args, stdout, stderr)
	if a == nil {
		return code
	}
	table, opts := a.table, a.opts
	cfg, err := mysql.ParseDSN(a.dsn)
	if err != nil {
		return fail(stderr, fmt.Errorf("copy: %w", err))
	}
	if cfg.DBName == "" {
		return fail(stderr, errors.New("copy: the DSN names no database; write it as user:password@tcp(host:3306)/database"))
	}
	if err := a.controls(); err != nil {
		return fail(stderr, usageError("copy", err))
	}
	if opts.Renames, err = parseRenames(a.renames); err != nil {
		return fail(stderr, usageError("copy", err))
	}
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return fail(stderr, fmt.Errorf("copy: %w", err))
	}
	defer db.Close()
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err = db.PingContext(pingCtx)
	cancel()
	if err != nil {
		return fail(stderr, fmt.Errorf("copy: cannot use the server at %s: %w", cfg.Addr, err))
	}
	level := slog.LevelInfo
	if a.quiet {
		level = slog.LevelWarn
	}
	log := slog.New(newLineHandler(stderr, level))
	if a.cleanup {
		return copyCleanup(ctx, db, table, log, stderr)
	}
	opts.Table, opts.Alter, opts.Log = table, a.alter, log
	if !a.quiet {
		p := &copyProgress{w: stderr, tty: isTerminal(stderr)}
		opts.Progress = p.show
		defer p.done()
	}
	res, err := copier.Run(ctx, db, opts)
	var refusal *copier.Refusal
	switch {
	case ctx.Err() != nil:
		return fail(stderr, errors.New("interrupted; the copier's triggers and tables were removed"))
	case errors.As(err, &refusal) && refusal.BadInput:
		return fail(stderr, fmt.Errorf("copy: --alter: %s", oneLine(refusal)))
	case errors.As(err, &refusal):
		fmt.Fprintf(stderr, "schema-guard: copy refused: %s\n", oneLine(refusal))
		return exitFindings
	case err != nil:
		return fail(stderr, fmt.Errorf("copy: %w", err))
	}
	writeCopyResult(stdout, table, res)
	return exitOK
}

// copyCleanup removes what a crashed run left for table (copy --cleanup).
func copyCleanup(ctx context.Context, db *sql.DB, table string, log *slog.Logger, stderr io.Writer) int {
	left, err := copier.Leftovers(ctx, db, table)
	var moved []string
	if err == nil && len(left) > 0 {
		moved, err = copier.Cleanup(ctx, db, table)
	}
	if len(moved) > 0 {
		log.Info(fmt.Sprintf("moved the triggers %s of %s back from the old table, where an interrupted cut-over left them", strings.Join(moved, ", "), table))
	}
	if err != nil {
		return fail(stderr, fmt.Errorf("copy --cleanup: %w", err))
	}
	log.Info(fmt.Sprintf("removed %d leftovers of %s: %s", len(left), table, strings.Join(left, ", ")))
	return exitOK
}

// writeCopyResult writes the line that says what a copy did, and its notes.
func writeCopyResult(stdout io.Writer, table string, res *copier.Result) {
	what := "rehearsed (no cut-over; pass --execute to cut over)"
	if res.CutOver {
		what = "done"
		if res.OldTable != "" {
			what += "; the original is kept as " + res.OldTable
		}
	}
	fmt.Fprintf(stdout, "copied %d rows of %s in %s (%.0f rows/s, %d chunks, %d recopied): %s\n",
		res.Rows, table, res.Duration.Round(time.Millisecond), res.RowsPerSecond, res.Chunks, res.Recopied, what)
	if len(res.IndexesBuilt) > 0 {
		fmt.Fprintf(stdout, "built after the copy, online: %s, in %s\n", strings.Join(res.IndexesBuilt, ", "), res.IndexTime.Round(time.Millisecond))
	}
	if res.Resumed {
		fmt.Fprintf(stdout, "resumed: %d rows the earlier run copied were checked against the table, %d copied now\n", res.Verified, res.Rows)
	}
	for _, note := range res.Notes {
		fmt.Fprintf(stdout, "note: %s\n", note)
	}
}

// parseRenames reads "new=old,new2=old2".
func parseRenames(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	out := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		newName, old, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || newName == "" || old == "" {
			return nil, fmt.Errorf("--rename wants NEW=OLD pairs, not %q", pair)
		}
		out[newName] = old
	}
	return out, nil
}

// copyProgress prints the copier's progress: one updating line on a terminal, else a line
// every ten seconds, for CI logs.
type copyProgress struct {
	w     io.Writer
	tty   bool
	last  time.Time
	shown bool
}

func (p *copyProgress) show(pr copier.Progress) {
	line := fmt.Sprintf("%s: %d/%d rows, %.0f rows/s", pr.Phase, pr.Copied, pr.Total, pr.Rate)
	if pr.Paused != "" {
		line = fmt.Sprintf("%s: %d/%d rows, %s", pr.Phase, pr.Copied, pr.Total, pr.Paused)
	} else if pr.ETA > 0 {
		line += ", ETA " + pr.ETA.Round(time.Second).String()
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\x1b[K%s", line)
		p.shown = true
		return
	}
	if time.Since(p.last) >= 10*time.Second {
		fmt.Fprintf(p.w, "schema-guard: %s\n", line)
		p.last = time.Now()
	}
}

func (p *copyProgress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
