// Command schema-guard checks MySQL/MariaDB schema migrations before they are merged: it replays
// them on a real server, splits deployed from pending against the base branch, and reports what
// would break production.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes.
const (
	exitOK       = 0 // no error-level finding
	exitFindings = 1 // at least one error-level finding
	exitFailure  = 2 // the tool could not do its job
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		fmt.Fprintln(os.Stderr, "schema-guard: interrupted; cleaning up (interrupt again to quit at once)")
		cancel()
		<-sigs
		os.Exit(exitFailure)
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	cancel()
	os.Exit(code)
}

// run is the whole program but for process-level concerns, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitFailure
	}
	switch args[0] {
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "diff":
		return runDiff(ctx, args[1:], stdout, stderr)
	case "dump":
		return runDump(ctx, args[1:], stdout, stderr)
	case "explain":
		return runExplain(args[1:], stdout, stderr)
	case "copy":
		return runCopy(ctx, args[1:], stdout, stderr)
	case "cleanup":
		return runCleanup(ctx, args[1:], stdout, stderr)
	case "action":
		return runAction(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, versionLine())
		return exitOK
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if text, ok := commandUsage[args[1]]; ok {
				fmt.Fprint(stdout, text)
				return exitOK
			}
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "schema-guard: unknown command %q (commands: check, diff, dump, explain, copy, cleanup, action, version, help)\n", args[0])
	return exitFailure
}

const usage = `schema-guard checks MySQL/MariaDB schema migrations before they are merged.

Usage:
  schema-guard check [flags]    replay the migrations on a real server and report problems
  schema-guard diff [flags]     print (or --write as a migration) the SQL that brings the
                                migrations' result to the declared schema
  schema-guard dump --out DIR   write the migrations' result as declared-schema files
  schema-guard explain [RULE]   list the rules, or print one rule's documentation
  schema-guard copy --dsn DSN --table T --alter "…" [--execute]
                                change a big table online, without losing a row
  schema-guard cleanup --dsn DSN
                                remove what killed checks left on a shared server
  schema-guard action           run check as the GitHub Action, from its INPUT_* variables
  schema-guard version          print the version
  schema-guard help [command]   print this help, or a command's flags

Exit codes: 0 no error-level finding, 1 at least one, 2 the check could not be done.
`

// commandUsage is each command's help.
var commandUsage = map[string]string{"check": checkUsage, "diff": diffUsage, "dump": dumpUsage, "explain": explainUsage, "copy": copyUsage, "cleanup": cleanupUsage, "action": actionUsage}
