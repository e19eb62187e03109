package runner

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/schema"
)

// Sessions are not shared between stages. The replay runs each phase on a connection of its
// own, opened for it and closed after it, so it starts with the server's defaults and the
// settings the user configured (Options.Session) — as the migration tool's own connection
// would. Every other stage that changes a session setting (the probes turn foreign key checks
// off and force a strict sql_mode and UTC, the online-DDL measurement toggles foreign key
// checks, the declared-state load turns them off) ends its session with discard, which closes
// the connection instead of handing it back to the pool: a setting can never travel from one
// stage to the next through a pooled connection.

// SessionVar is one session setting the replay applies before the first statement, like a
// migration tool configured with an init SQL (`session: {sql_mode: "…"}` in the configuration).
type SessionVar struct {
	Name  string
	Value string
}

var sessionVarName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ParseSessionVars checks configured session settings and orders them by name, so that a
// configuration always gives the same SET statement.
func ParseSessionVars(vars map[string]string) ([]SessionVar, error) {
	var out []SessionVar
	for name, value := range vars {
		if !sessionVarName.MatchString(name) {
			return nil, fmt.Errorf("session setting %q: not a variable name", name)
		}
		out = append(out, SessionVar{Name: strings.ToLower(name), Value: value})
	}
	slices.SortFunc(out, func(a, b SessionVar) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

var bareSessionValue = regexp.MustCompile(`(?i)^(-?[0-9]+(\.[0-9]+)?|on|off|true|false|default)$`)

// setStatement writes SET SESSION for the settings, or "" for none. Numbers and ON/OFF/DEFAULT
// are written bare (SET foreign_key_checks = '0' is an error), everything else as a string.
func setStatement(vars []SessionVar) string {
	if len(vars) == 0 {
		return ""
	}
	parts := make([]string, len(vars))
	for i, v := range vars {
		value := v.Value
		if !bareSessionValue.MatchString(value) {
			value = schema.QuoteString(value)
		}
		parts[i] = "SESSION " + v.Name + " = " + value
	}
	return "SET " + strings.Join(parts, ", ")
}

// replaySession is a connection of its own for one replay phase: not taken from the database's
// pool, so no other stage has ever used it, and closed when the phase ends.
type replaySession struct {
	*sql.Conn
	pool   *sql.DB
	thread int64
	d      *Database
}

// openReplaySession opens the phase's connection and applies the configured settings.
func (d *Database) openReplaySession(ctx context.Context) (*replaySession, error) {
	cfg := d.server.runConfig()
	cfg.DBName = d.Name
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	pool := sql.OpenDB(connector)
	pool.SetMaxIdleConns(0)
	conn, err := pool.Conn(ctx)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s := &replaySession{Conn: conn, pool: pool, d: d}
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&s.thread); err != nil {
		s.close()
		return nil, err
	}
	d.trackThread(s.thread)
	if set := setStatement(d.server.session); set != "" {
		if _, err := conn.ExecContext(ctx, set); err != nil {
			s.close()
			return nil, fmt.Errorf("apply the configured session settings (%s): %w", set, err)
		}
	}
	return s, nil
}

// close ends the session and its one-connection pool. The thread stays tracked: a statement
// interrupted on the client side (SIGINT) keeps running on the server until Drop kills it.
func (s *replaySession) close() {
	s.Conn.Close()
	s.pool.Close()
}

// discard ends a session whose settings a stage changed: the connection is closed rather than
// returned to the pool it came from. database/sql drops a connection when a Raw callback
// reports driver.ErrBadConn.
func discard(conn *sql.Conn) {
	err := conn.Raw(func(any) error { return driver.ErrBadConn })
	if err != nil && !errors.Is(err, driver.ErrBadConn) && !errors.Is(err, sql.ErrConnDone) {
		conn.Close()
		return
	}
	conn.Close() // sql.ErrConnDone by now: the connection is gone
}

// Session opens a fresh session on the database for a stage that changes its settings (the
// old-app probes, package probe): end discards its connection, never returning it to the pool,
// and when clean forgets the session, which Drop need not kill then.
func (d *Database) Session(ctx context.Context) (conn *sql.Conn, end func(clean bool), err error) {
	conn, thread, err := d.conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	return conn, func(clean bool) {
		discard(conn)
		if clean {
			d.untrackThread(thread)
		}
	}, nil
}

// Flavor is the flavour and version of the database's server.
func (d *Database) Flavor() schema.Flavor { return d.server.Flavor }

// SchemaName is the database's name on the server (Name).
func (d *Database) SchemaName() string { return d.Name }
