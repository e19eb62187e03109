package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/schema-guard/schema-guard/checker"
	"github.com/schema-guard/schema-guard/config"
	"github.com/schema-guard/schema-guard/internal/fence"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/rules"
	"github.com/schema-guard/schema-guard/runner"
)

// commonUsage documents the flags check, diff and dump share.
const commonUsage = `  --config FILE         configuration file (default .schema-guard.yaml in the current directory
                        or the repository root); every flag below is also a key of it (with _
                        for -), and a flag wins over the file
  --migrations DIR      migration directory (default: the first of db/migrations, migrations,
                        db/migration, src/main/resources/db/migration that exists); repeat it
                        for several histories in one schema, each with its own versions,
                        replayed in the order given
  --format FORMAT       auto, flyway, golang-migrate, goose, dbmate, plain, prisma, liquibase,
                        atlas, temporal or custom (default auto)
  --pattern REGEXP      with --format custom: matched against each file's path relative to the
                        migrations directory; the named group version orders the migrations,
                        e.g. '^V(?P<version>\d+)\.(?P<description>.+)\.up\.sql$'
  --ignore REGEXP       with --format custom: files that are not migrations (down files)
  --schema PATH         declared state: a directory of .sql files or one dump file
  --seed-tables LIST    comma-separated tables whose rows the declared INSERTs fix
  --engine ENGINE       auto, container or dsn (default auto: dsn when --dsn is given, else
                        container when Docker answers)
  --dsn DSN             existing server, e.g. 'user:password@tcp(127.0.0.1:3306)/'; schema-guard
                        only creates and drops its own schema_guard_* databases there, and
                        runs the migrations as an account of the run's own when the DSN's
                        account may create users (default $SCHEMA_GUARD_DSN)
  --throwaway-server    the --dsn server holds nothing but this check's databases (a service
                        container of the CI job): run the migrations as the DSN's own account,
                        with whatever it may do (SUPER for triggers on a MySQL that logs
                        binary); the report says so
  --image IMAGE         container image (default mysql:8.4; MariaDB and Percona images work too)
  --copier=false        skip the online copier's dry run of pending ALTERs on deployed tables
  --sample-rows N       rows the dry run generates per table (default 10000)
  --sample-dir DIR      your own samples instead: DIR/<table>.csv, header row = column names
  --base REF            base ref: its migrations are deployed (default: in GitHub Actions the pull
                        request's base; else the merge-base of HEAD with origin/HEAD, main or
                        master); "none": no base, every migration is pending
  -q, --quiet           print only warnings and errors on standard error
  -v, --verbose         print debug lines on standard error
`

// commonFlags are the flags check, diff and dump share.
type commonFlags struct {
	fs                                                           *flag.FlagSet
	config, format, schema, seedTables, engine, dsn, image, base string
	pattern, ignore, sampleDir                                   string
	migrations                                                   dirList
	sampleRows                                                   int
	copier, quiet, verbose, throwaway                            bool
}

func newFlags(name string) *commonFlags {
	f := &commonFlags{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.fs.SetOutput(io.Discard)
	f.fs.StringVar(&f.config, "config", "", "")
	f.fs.Var(&f.migrations, "migrations", "")
	f.fs.StringVar(&f.format, "format", "", "")
	f.fs.StringVar(&f.pattern, "pattern", "", "")
	f.fs.StringVar(&f.ignore, "ignore", "", "")
	f.fs.StringVar(&f.schema, "schema", "", "")
	f.fs.StringVar(&f.seedTables, "seed-tables", "", "")
	f.fs.StringVar(&f.engine, "engine", "", "")
	f.fs.StringVar(&f.dsn, "dsn", "", "")
	f.fs.StringVar(&f.image, "image", "", "")
	f.fs.BoolVar(&f.throwaway, "throwaway-server", false, "")
	f.fs.StringVar(&f.base, "base", "", "")
	f.fs.BoolVar(&f.copier, "copier", true, "")
	f.fs.IntVar(&f.sampleRows, "sample-rows", 0, "")
	f.fs.StringVar(&f.sampleDir, "sample-dir", "", "")
	for _, name := range []string{"q", "quiet"} {
		f.fs.BoolVar(&f.quiet, name, false, "")
	}
	for _, name := range []string{"v", "verbose"} {
		f.fs.BoolVar(&f.verbose, name, false, "")
	}
	return f
}

// parse parses args, reads the configuration and returns the merged options and the loaded
// configuration (for command-specific keys).
func (f *commonFlags) parse(ctx context.Context, args []string, stderr io.Writer) (checker.Options, *config.Config, map[string]bool, error) {
	var opts checker.Options
	cfg, set, err := f.readConfig(ctx, args)
	if err != nil {
		return opts, nil, nil, err
	}
	for _, merge := range []func(*checker.Options, *config.Config, map[string]bool) error{f.sourceOptions, f.formatOptions, f.engineOptions} {
		if err := merge(&opts, cfg, set); err != nil {
			return opts, nil, nil, err
		}
	}
	level := slog.LevelInfo
	switch {
	case f.quiet:
		level = slog.LevelWarn
	case f.verbose:
		level = slog.LevelDebug
	}
	opts.Log = slog.New(newLineHandler(stderr, level))
	return opts, cfg, set, nil
}

// readConfig parses args and reads the configuration file, checking the paths and rule ids in
// it. set holds the flags given.
func (f *commonFlags) readConfig(ctx context.Context, args []string) (cfg *config.Config, set map[string]bool, err error) {
	if err := f.fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if f.fs.NArg() > 0 {
		return nil, nil, fmt.Errorf("unexpected argument %q (commands take flags only; the directory is --migrations)", f.fs.Arg(0))
	}
	set = map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	cfg, tree, inside, err := loadConfig(ctx, f.config)
	if err != nil {
		return nil, nil, err
	}
	if inside {
		err := checkConfigPaths(tree, cfg, set, []configPath{
			{"migrations", "migrations", cfg.Migrations}, {"schema", "schema", []string{cfg.Schema}},
			{"sample_dir", "sample-dir", []string{cfg.SampleDir}}, {"output_file", "output-file", []string{cfg.OutputFile}},
			{"sarif_file", "sarif-file", []string{cfg.SARIFFile}},
		})
		if err != nil {
			return nil, nil, err
		}
	}
	if err := checkRuleIDs(cfg); err != nil {
		return nil, nil, err
	}
	return cfg, set, nil
}

// picker returns the function that takes a flag's value when the flag was given and the
// configuration's otherwise.
func picker(set map[string]bool) func(flagName, flagValue, configValue string) string {
	return func(flagName, flagValue, configValue string) string {
		if set[flagName] {
			return flagValue
		}
		return configValue
	}
}

// sourceOptions merges what is read and checked: rules, tables, the copier's dry run, the
// migration directories, the base ref and the declared schema.
func (f *commonFlags) sourceOptions(opts *checker.Options, cfg *config.Config, set map[string]bool) error {
	pick := picker(set)
	opts.ConfigFile = cfg.Path
	opts.Rules = cfg.Rules
	if len(cfg.Tables) > 0 {
		opts.Tables = map[string]rules.TableConfig{}
		for name, t := range cfg.Tables {
			opts.Tables[strings.ToLower(name)] = rules.TableConfig{Rows: t.Rows}
		}
	}
	opts.NoCopier = cfg.Copier != nil && !*cfg.Copier
	if set["copier"] {
		opts.NoCopier = !f.copier
	}
	opts.SampleRows = cfg.SampleRows
	if set["sample-rows"] {
		opts.SampleRows = f.sampleRows
	}
	if opts.SampleRows < 0 {
		return fmt.Errorf("--sample-rows must not be negative (%d)", opts.SampleRows)
	}
	opts.SampleDir = pick("sample-dir", f.sampleDir, cfg.SampleDir)
	dirs := []string(cfg.Migrations)
	if set["migrations"] {
		dirs = f.migrations
	}
	if len(dirs) == 1 {
		opts.Migrations = dirs[0]
	} else {
		opts.MigrationDirs = dirs
	}
	opts.Pattern = pick("pattern", f.pattern, cfg.Pattern)
	opts.Ignore = pick("ignore", f.ignore, cfg.Ignore)
	opts.Base = pick("base", f.base, cfg.Base)
	opts.Schema = pick("schema", f.schema, cfg.Schema)
	opts.SeedTables = cfg.SeedTables
	if set["seed-tables"] {
		opts.SeedTables = splitList(f.seedTables)
	}
	if len(opts.SeedTables) > 0 && opts.Schema == "" {
		return configAt(cfg, set, "seed-tables", "seed_tables", fmt.Errorf("seed tables are compared with a declared schema: pass --schema PATH"))
	}
	return nil
}

// formatOptions merges the migration format and, for the custom format, checks its pattern.
func (f *commonFlags) formatOptions(opts *checker.Options, cfg *config.Config, set map[string]bool) error {
	var err error
	if opts.Format, err = migrations.ParseFormat(picker(set)("format", f.format, cfg.Format)); err != nil {
		return configAt(cfg, set, "format", "format", err)
	}
	switch {
	case opts.Format == migrations.Custom && opts.Pattern == "":
		return configAt(cfg, set, "format", "format", fmt.Errorf("format custom needs a pattern (--pattern or pattern: in %s), e.g. '%s'", config.FileName, `^V(?P<version>\d+)__(?P<description>.+)\.sql$`))
	case opts.Format != migrations.Custom && (opts.Pattern != "" || opts.Ignore != ""):
		key, flagName := "pattern", "pattern"
		if opts.Pattern == "" {
			key, flagName = "ignore", "ignore"
		}
		return configAt(cfg, set, flagName, key, fmt.Errorf("a pattern is read only with format custom (the format is %s)", opts.Format))
	case opts.Format == migrations.Custom:
		if err := (migrations.Layout{Format: migrations.Custom, Pattern: opts.Pattern}).Check(); err != nil {
			return configAt(cfg, set, "pattern", "pattern", err)
		}
		if err := (migrations.Layout{Format: migrations.Custom, Pattern: opts.Pattern, Ignore: opts.Ignore}).Check(); err != nil {
			return configAt(cfg, set, "ignore", "ignore", err)
		}
	}
	return nil
}

// engineOptions merges where the migrations are replayed.
func (f *commonFlags) engineOptions(opts *checker.Options, cfg *config.Config, set map[string]bool) error {
	pick := picker(set)
	var err error
	if opts.Engine.Kind, err = runner.ParseKind(pick("engine", f.engine, cfg.Engine)); err != nil {
		return configAt(cfg, set, "engine", "engine", err)
	}
	opts.Engine.DSN = pick("dsn", f.dsn, cfg.DSN)
	if opts.Engine.DSN == "" {
		opts.Engine.DSN = os.Getenv("SCHEMA_GUARD_DSN")
	}
	opts.Engine.Image = pick("image", f.image, cfg.Image)
	opts.Engine.Throwaway = cfg.ThrowawayServer
	if set["throwaway-server"] {
		opts.Engine.Throwaway = f.throwaway
	}
	if opts.Engine.Session, err = runner.ParseSessionVars(cfg.Session); err != nil {
		return fmt.Errorf("%s: %w", cfg.At("session"), err)
	}
	return nil
}

// progress shows replay progress on a terminal; the returned function clears it.
func progress(opts *checker.Options, stderr io.Writer, quiet bool) func() {
	if quiet || !isTerminal(stderr) {
		return func() {}
	}
	p := &progressLine{w: stderr}
	opts.Progress = p.show
	return p.clear
}

// dirList is a flag that may be given several times (--migrations a --migrations b).
type dirList []string

func (d *dirList) String() string { return strings.Join(*d, ",") }

func (d *dirList) Set(v string) error {
	if v == "" {
		return fmt.Errorf("empty directory")
	}
	*d = append(*d, v)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// loadConfig reads --config, else .schema-guard.yaml from the current directory or the
// repository root when there is one. It returns the tree the check reads and whether the file
// lies in it (then it is the pull request's to write, and its paths stay in the tree).
func loadConfig(ctx context.Context, path string) (*config.Config, *fence.Root, bool, error) {
	if path == "" {
		if fileExists(config.FileName) {
			path = config.FileName
		} else if repo, err := migrations.OpenRepo(ctx, "."); err == nil && fileExists(filepath.Join(repo.Root, config.FileName)) {
			path = filepath.Join(repo.Root, config.FileName)
		}
	}
	if path == "" {
		return &config.Config{}, nil, false, nil
	}
	tree, inside, err := checkConfigFile(ctx, path)
	if err != nil {
		return nil, nil, false, err
	}
	cfg, err := config.Load(path, true)
	return cfg, tree, inside, err
}

// usageError marks an error as the user's: the message says where to look.
func usageError(cmd string, err error) error {
	return fmt.Errorf("%w (see schema-guard help %s)", err, cmd)
}

// fail prints the one line of an exit-2 error.
func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "schema-guard: %s\n", oneLine(err))
	return exitFailure
}

// oneLine keeps an error to one line: the exit-2 contract is one clear line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
}
