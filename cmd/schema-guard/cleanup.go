package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"time"

	"github.com/schema-guard/schema-guard/runner"
)

const cleanupUsage = `Usage: schema-guard cleanup --dsn DSN [--older-than DURATION] [--run ID] [--dry-run]

Removes what checks that did not finish (killed with SIGKILL, a runner that vanished) left on a
shared server: their scratch databases (schema_guard_<yyyymmddhhmm>_<run>_<n>) and their
temporary accounts (sg_<yyyymmddhhmm>_<run>), older than --older-than as their names say. Nothing
else is touched: not a database of another name, not one of a run still going. Every check on
the server names such leftovers in a warning.

Flags:
  --dsn DSN               the server, as for check (default $SCHEMA_GUARD_DSN)
  --older-than DURATION   only what runs started longer ago than this made (default 1h)
  --run ID                only what the run with this id made (the 8 hex digits after the time in
                          its names, e.g. 0badf00d), however recent: on a server that other checks
                          use at the same time, --older-than 0s alone would also take theirs
  --dry-run               list them, remove nothing

Exit codes: 0 done (or nothing to do), 2 the server could not be reached or a removal failed.
`

var runID = regexp.MustCompile(`^[0-9a-f]{8}$`)

func runCleanup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cleanup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		dsn       string
		olderThan time.Duration
		dryRun    bool
		run       string
	)
	fs.StringVar(&dsn, "dsn", os.Getenv("SCHEMA_GUARD_DSN"), "")
	fs.DurationVar(&olderThan, "older-than", runner.LeftoverAge, "")
	fs.BoolVar(&dryRun, "dry-run", false, "")
	fs.StringVar(&run, "run", "", "")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, cleanupUsage)
		return exitOK
	case err != nil:
		return fail(stderr, usageError("cleanup", err))
	case fs.NArg() > 0:
		return fail(stderr, usageError("cleanup", fmt.Errorf("unexpected argument %q", fs.Arg(0))))
	case dsn == "":
		return fail(stderr, usageError("cleanup", errors.New("no server: pass --dsn user:password@tcp(host:3306)/")))
	case run != "" && !runID.MatchString(run):
		return fail(stderr, usageError("cleanup", fmt.Errorf("--run takes a run's id, 8 hex digits, not %q", run)))
	case olderThan < 0:
		return fail(stderr, usageError("cleanup", fmt.Errorf("--older-than must not be negative, not %s", olderThan)))
	}
	srv, err := runner.Start(ctx, runner.Options{Kind: runner.DSN, DSN: dsn, AdminOnly: true, Log: slog.New(newLineHandler(stderr, slog.LevelWarn))})
	if err != nil {
		return fail(stderr, err)
	}
	defer srv.Close(context.WithoutCancel(ctx))
	leftovers, err := srv.Leftovers(ctx, olderThan)
	if err != nil {
		return fail(stderr, fmt.Errorf("cleanup: %w", err))
	}
	if run != "" {
		leftovers = slices.DeleteFunc(leftovers, func(l runner.Leftover) bool { return l.Run() != run })
	}
	if len(leftovers) == 0 {
		fmt.Fprintf(stdout, "nothing left behind by runs older than %s\n", olderThan)
		return exitOK
	}
	verb := "removed"
	if dryRun {
		verb = "would remove"
	} else if err := srv.RemoveLeftovers(ctx, leftovers); err != nil {
		return fail(stderr, fmt.Errorf("cleanup: %w", err))
	}
	for _, l := range leftovers {
		fmt.Fprintf(stdout, "%s %s\n", verb, l)
	}
	return exitOK
}
