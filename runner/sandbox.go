package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// A pull request's migrations are untrusted input, and the dsn engine runs them on a server the
// DSN's account may reach far beyond schema-guard's databases (a CI service container's root, a
// staging server's admin). Parsing cannot fence SQL in — PREPARE runs strings, procedures and
// triggers run later, the parser cannot read everything the server runs — so the server does:
// when the DSN's account may create users, each run creates an account of its own,
// sg_<stamp>_<run>, with a random password and ALL privileges on the run's own databases
// (schema_guard_<stamp>_<run>_*) and nothing else — no global privilege, no FILE, no SUPER — and
// every session that runs migrations, probes, measurements or dry runs logs in as that account.
// The DSN's account only creates and drops the run's databases and the account. When the DSN's
// account cannot create users, its own grants must be confined to schema_guard_ databases
// (checkGrants), or the user must say the server is a throwaway one.

// sandbox is the run's temporary account.
type sandbox struct {
	user, host, password string
}

// quoted is the account as SQL names it: 'user'@'host'.
func (a *sandbox) quoted() string {
	return schema.QuoteString(a.user) + "@" + schema.QuoteString(a.host)
}

// Error numbers that say the DSN's account may not do something.
const (
	errSpecificAccessDenied = 1227 // you need (at least one of) the X privilege(s)
	errDBAccessDenied       = 1044
	errTableAccessDenied    = 1142
	errNotOwner             = 1095 // KILL of another account's thread
	errUnknownThread        = 1094
)

func isAccessDenied(err error) bool {
	return isMySQLError(err, errSpecificAccessDenied) || isMySQLError(err, errDBAccessDenied) ||
		isMySQLError(err, errTableAccessDenied) || isMySQLError(err, 1045) || isMySQLError(err, 1410)
}

// errNoCreateUser says the DSN's account may not create users.
var errNoCreateUser = errors.New("the account may not create users")

// openSandbox creates the run's account and points the run's sessions at it. errNoCreateUser
// means the DSN's account may not create users; any other error is one to stop for.
func (s *Server) openSandbox(ctx context.Context) error {
	var current string
	if err := s.admin.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&current); err != nil {
		return fmt.Errorf("read the current account: %w", err)
	}
	_, host := splitAccount(current)
	a := &sandbox{user: s.run.account(), host: host, password: randomHex(16)}
	create := "CREATE USER " + a.quoted() + " IDENTIFIED BY " + schema.QuoteString(a.password)
	if _, err := s.admin.ExecContext(ctx, create); err != nil {
		if isAccessDenied(err) {
			return errNoCreateUser
		}
		return fmt.Errorf("create the run's account %s: %w", a.quoted(), err)
	}
	// From here on the account exists, and Close drops it.
	s.sandbox = a
	grant := "GRANT ALL ON " + schema.QuoteIdent(s.run.databasePattern()) + ".* TO " + a.quoted()
	if _, err := s.admin.ExecContext(ctx, grant); err != nil {
		return fmt.Errorf("the DSN's account %s may create users but not grant its schema_guard_ databases to the run's account (%v); grant it ALL ON `schema\\_guard\\_%%`.* WITH GRANT OPTION", current, err)
	}
	cfg := s.cfg.Clone()
	cfg.User, cfg.Passwd = a.user, a.password
	run, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return err
	}
	if err := run.PingContext(ctx); err != nil {
		run.Close()
		return fmt.Errorf("log in as the run's account %s: %w", a.quoted(), err)
	}
	s.runCfg, s.runPool = cfg, run
	return nil
}

// closeSandbox ends the account's sessions and drops it. Its databases are dropped before.
func (s *Server) closeSandbox(ctx context.Context) error {
	a := s.sandbox
	if a == nil {
		return nil
	}
	var errs []error
	if s.runPool != nil {
		// DROP USER does not end the account's sessions: a statement interrupted on the client
		// side may still run. The account sees and may kill its own sessions.
		var ids []int64
		err := introspect.QueryRows(ctx, s.runPool, "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND ID <> CONNECTION_ID()", []any{a.user},
			func(rows *sql.Rows) error {
				var id int64
				err := rows.Scan(&id)
				ids = append(ids, id)
				return err
			})
		errs = append(errs, err)
		for _, id := range ids {
			if _, err := s.runPool.ExecContext(ctx, fmt.Sprintf("KILL %d", id)); err != nil && !isMySQLError(err, errUnknownThread) {
				errs = append(errs, err)
			}
		}
		errs = append(errs, s.runPool.Close())
	}
	if _, err := s.admin.ExecContext(ctx, "DROP USER IF EXISTS "+a.quoted()); err != nil {
		errs = append(errs, fmt.Errorf("drop the run's account %s: %w", a.quoted(), err))
	}
	s.sandbox = nil
	return errors.Join(errs...)
}

// kill ends a session of the run: as the run's account, which owns it, when there is one.
func (s *Server) kill(ctx context.Context, id int64) {
	pool := s.admin
	if s.runPool != nil {
		pool = s.runPool
	}
	// 1094: the session already ended, as it normally has.
	if _, err := pool.ExecContext(ctx, fmt.Sprintf("KILL %d", id)); err != nil && !isMySQLError(err, errUnknownThread) {
		s.log.Debug("kill a session of the run", "thread", id, "err", err)
	}
}

// Sandbox names the run's own account, 'sg_…'@'host', or "" when the migrations run with the
// DSN's account (the container engine, an account that may not create users).
func (s *Server) Sandbox() string {
	if s.sandbox == nil {
		return ""
	}
	return s.sandbox.quoted()
}

// splitAccount splits user@host as CURRENT_USER() returns it.
func splitAccount(account string) (user, host string) {
	i := strings.LastIndexByte(account, '@')
	if i < 0 {
		return account, "%"
	}
	return account[:i], account[i+1:]
}

// runConfig is what the run's sessions connect with: the run's account, else the DSN's.
func (s *Server) runConfig() *mysql.Config {
	if s.runCfg != nil {
		return s.runCfg.Clone()
	}
	return s.cfg.Clone()
}
