package runner

import (
	"context"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
)

// startDSN connects to an existing server. schema-guard only ever creates, uses and drops its own
// schema_guard_<random> databases there, so the account needs no more than
// GRANT ALL ON `schema\_guard\_%`.* TO …
func startDSN(ctx context.Context, opts Options) (*Server, error) {
	cfg, err := mysql.ParseDSN(opts.DSN)
	if err != nil {
		return nil, fmt.Errorf("dsn engine: %w (want user:password@tcp(host:3306)/)", err)
	}
	if cfg.DBName != "" {
		opts.Log.Warn("the DSN names a database; schema-guard ignores it and works in its own schema_guard_* databases", "database", cfg.DBName)
	}
	began := time.Now()
	s := &Server{Kind: DSN, cfg: connConfig(cfg), log: opts.Log}
	if err := s.connect(ctx); err != nil {
		return nil, fmt.Errorf("dsn engine: cannot use the server at %s: %w", cfg.Addr, err)
	}
	if err := s.warnStoredPrograms(ctx); err != nil {
		s.admin.Close()
		return nil, fmt.Errorf("dsn engine: %w", err)
	}
	s.Startup = time.Since(began)
	return s, nil
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
