package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/schema-guard/schema-guard/checker"
	"github.com/schema-guard/schema-guard/config"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/runner"
)

const checkUsage = `Usage: schema-guard check [flags]

Replays the migrations on a throwaway server (deployed ones from the base ref first, with their
base-ref content, then the pending ones) and reports what would break production.

Flags (each also a key of .schema-guard.yaml, which is read from the current directory or the
repository root; a flag wins over the file):
  --config FILE         configuration file (default .schema-guard.yaml)
  --migrations DIR      migration directory (default: the first of db/migrations, migrations,
                        db/migration, src/main/resources/db/migration that exists)
  --format FORMAT       auto, flyway, golang-migrate, goose, dbmate or plain (default auto)
  --engine ENGINE       auto, container or dsn (default auto: dsn when --dsn is given, else
                        container when Docker answers)
  --dsn DSN             existing server, e.g. 'user:password@tcp(127.0.0.1:3306)/'; schema-guard
                        only creates and drops its own schema_guard_* databases there
                        (default $SCHEMA_GUARD_DSN)
  --image IMAGE         container image (default mysql:8.4; MariaDB and Percona images work too)
  --base REF            base ref: its migrations are deployed (default: in GitHub Actions the pull
                        request's base; else the merge-base of HEAD with origin/HEAD, main or
                        master); "none": no base, every migration is pending
  --output FORMAT       text or json (default text)
  --output-file FILE    write the report to FILE instead of standard output
  -q, --quiet           print only warnings and errors on standard error
  -v, --verbose         print debug lines on standard error
`

// checkFlags are the flags of check. parseCheckFlags also says which were given: only those
// override the configuration file.
type checkFlags struct {
	config, migrations, format, engine, dsn, image, base, output, outputFile string
	quiet, verbose                                                           bool
}

func parseCheckFlags(args []string) (*checkFlags, map[string]bool, error) {
	var f checkFlags
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.config, "config", "", "")
	fs.StringVar(&f.migrations, "migrations", "", "")
	fs.StringVar(&f.format, "format", "", "")
	fs.StringVar(&f.engine, "engine", "", "")
	fs.StringVar(&f.dsn, "dsn", "", "")
	fs.StringVar(&f.image, "image", "", "")
	fs.StringVar(&f.base, "base", "", "")
	fs.StringVar(&f.output, "output", "", "")
	fs.StringVar(&f.outputFile, "output-file", "", "")
	for _, name := range []string{"q", "quiet"} {
		fs.BoolVar(&f.quiet, name, false, "")
	}
	for _, name := range []string{"v", "verbose"} {
		fs.BoolVar(&f.verbose, name, false, "")
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if fs.NArg() > 0 {
		return nil, nil, fmt.Errorf("unexpected argument %q (check takes flags only; the directory is --migrations)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	return &f, set, nil
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "schema-guard: %s\n", oneLine(err))
		return exitFailure
	}
	fl, set, err := parseCheckFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, checkUsage)
		return exitOK
	}
	if err != nil {
		return fail(fmt.Errorf("%w (see schema-guard help check)", err))
	}
	cfg, err := loadConfig(ctx, fl.config)
	if err != nil {
		return fail(err)
	}
	pick := func(flagName, flagValue, configValue string) string {
		if set[flagName] {
			return flagValue
		}
		return configValue
	}
	opts := checker.Options{
		Migrations: pick("migrations", fl.migrations, cfg.Migrations),
		Base:       pick("base", fl.base, cfg.Base),
	}
	if opts.Format, err = migrations.ParseFormat(pick("format", fl.format, cfg.Format)); err != nil {
		return fail(err)
	}
	opts.Engine.Kind, err = runner.ParseKind(pick("engine", fl.engine, cfg.Engine))
	if err != nil {
		return fail(err)
	}
	opts.Engine.DSN = pick("dsn", fl.dsn, cfg.DSN)
	if opts.Engine.DSN == "" {
		opts.Engine.DSN = os.Getenv("SCHEMA_GUARD_DSN")
	}
	opts.Engine.Image = pick("image", fl.image, cfg.Image)
	output, err := report.ParseFormat(pick("output", fl.output, cfg.Output))
	if err != nil {
		return fail(err)
	}
	outputFile := pick("output-file", fl.outputFile, cfg.OutputFile)

	level := slog.LevelInfo
	switch {
	case fl.quiet:
		level = slog.LevelWarn
	case fl.verbose:
		level = slog.LevelDebug
	}
	opts.Log = slog.New(newLineHandler(stderr, level))
	if level <= slog.LevelInfo && isTerminal(stderr) {
		p := &progressLine{w: stderr}
		opts.Progress = p.show
		defer p.clear()
	}

	res, err := checker.Run(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			return fail(errors.New("interrupted; the scratch databases and containers of this run were removed"))
		}
		return fail(err)
	}
	rep := res.Report
	if outputFile != "" {
		err = writeFileAtomic(outputFile, func(w io.Writer) error { return report.Write(w, rep, output, false) })
	} else {
		err = report.Write(stdout, rep, output, output == report.Text && colorOK(stdout))
	}
	if err != nil {
		return fail(fmt.Errorf("write report: %w", err))
	}
	if rep.Failed() {
		return exitFindings
	}
	return exitOK
}

// loadConfig reads --config, else .schema-guard.yaml from the current directory or the
// repository root when there is one.
func loadConfig(ctx context.Context, path string) (*config.Config, error) {
	if path != "" {
		return config.Load(path, true)
	}
	if _, err := os.Stat(config.FileName); err == nil {
		return config.Load(config.FileName, true)
	}
	if repo, err := migrations.OpenRepo(ctx, "."); err == nil {
		return config.Load(filepath.Join(repo.Root, config.FileName), false)
	}
	return &config.Config{}, nil
}

// writeFileAtomic writes through a temporary file in the same directory and renames it into
// place, so a failed or interrupted run never leaves a half-written report.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// oneLine keeps an error to one line: the exit-2 contract is one clear line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
}
