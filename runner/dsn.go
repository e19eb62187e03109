package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// startDSN connects to an existing server. schema-guard only ever creates, uses and drops its own
// schema_guard_<stamp>_<run>_<n> databases there, and runs the migrations as an account of the
// run's own when the DSN's account may create one (sandbox.go); otherwise the DSN's account
// must hold nothing beyond schema_guard_ databases (GRANT ALL ON `schema\_guard\_%`.* TO …),
// or the server must be declared a throwaway one.
func startDSN(ctx context.Context, opts Options, run runName) (*Server, error) {
	cfg, err := mysql.ParseDSN(opts.DSN)
	if err != nil {
		return nil, fmt.Errorf("dsn engine: %w (want user:password@tcp(host:3306)/)", err)
	}
	if cfg.DBName != "" {
		opts.Log.Warn("the DSN names a database; schema-guard ignores it and works in its own schema_guard_* databases", "database", cfg.DBName)
	}
	began := time.Now()
	s := &Server{Kind: DSN, cfg: connConfig(cfg), log: opts.Log, run: run}
	if err := s.connect(ctx); err != nil {
		return nil, fmt.Errorf("dsn engine: cannot use the server at %s: %w", cfg.Addr, err)
	}
	if opts.AdminOnly {
		s.Startup = time.Since(began)
		return s, nil
	}
	if leftovers, err := s.Leftovers(ctx, LeftoverAge); err == nil && len(leftovers) > 0 {
		names := make([]string, len(leftovers))
		for i, l := range leftovers {
			names[i] = l.String()
		}
		s.log.Warn("earlier runs did not finish (killed?) and left these behind; remove them with schema-guard cleanup --dsn …",
			"leftovers", strings.Join(names, ", "))
	}
	if err := s.confine(ctx, opts.Throwaway); err != nil {
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		s.Close(cleanup)
		return nil, fmt.Errorf("dsn engine: %w", err)
	}
	if err := s.warnStoredPrograms(ctx); err != nil {
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		s.Close(cleanup)
		return nil, fmt.Errorf("dsn engine: %w", err)
	}
	s.Startup = time.Since(began)
	return s, nil
}

// confine makes sure the migrations cannot reach beyond the run's databases: a sandbox account
// when the DSN's may create one; else the DSN account's own grants, unless the server is a
// throwaway one.
func (s *Server) confine(ctx context.Context, throwaway bool) error {
	if throwaway {
		// The user says the server holds nothing else (a service container of the job): the
		// migrations run as the DSN's account, with its privileges — SUPER, where triggers and
		// functions need it on a MySQL server that logs binary and does not trust their creators.
		s.Throwaway = true
		s.log.Warn("the server is declared a throwaway one: the migrations run with the DSN's own account")
		return nil
	}
	err := s.openSandbox(ctx)
	switch {
	case err == nil:
		s.log.Info("migrations run as the run's own account", "account", s.sandbox.quoted())
		return nil
	case !errors.Is(err, errNoCreateUser):
		return err
	}
	var current string
	if err := s.admin.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&current); err != nil {
		return err
	}
	return checkGrants(ctx, s.admin, current)
}

// dropRunDatabases drops what is left of the run's databases on a shared server: those the
// migrations created themselves under the run's name, which the run's account may do.
func (s *Server) dropRunDatabases(ctx context.Context) error {
	if s.admin == nil || s.run.id == "" {
		return nil
	}
	var names []string
	err := introspect.QueryRows(ctx, s.admin, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?",
		[]any{s.run.databasePattern()}, func(rows *sql.Rows) error {
			var n string
			err := rows.Scan(&n)
			names = append(names, n)
			return err
		})
	var errs []error
	errs = append(errs, err)
	for _, n := range names {
		if _, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+schema.QuoteIdent(n)); err != nil {
			errs = append(errs, fmt.Errorf("drop database %s: %w", n, err))
		}
	}
	return errors.Join(errs...)
}

// connConfig is cfg as replay needs it: no default database, one statement per query, a dial
// timeout so an unreachable host fails fast, and no read timeout because an ALTER may run long.
func connConfig(cfg *mysql.Config) *mysql.Config {
	c := cfg.Clone()
	c.DBName = ""
	c.MultiStatements = false
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	return c
}
