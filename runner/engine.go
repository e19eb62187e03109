// Package runner starts the server migrations are replayed on (a throwaway container, or an
// existing server given by DSN), creates scratch databases on it, replays migrations statement by
// statement, and measures how the server would run an ALTER online (schema.Online). Reading a
// database into the schema model is package introspect's job, the old-app probes package
// probe's.
//
// To add an engine: give Kind a value, start the server in Start (a *sql.DB for an account that
// may create databases, and the Flavor read from it), and release everything in Server.Close.
//
// Whatever happens — a failing statement, a lost connection, SIGINT — Server.Close drops every
// database the server handed out and removes the container it started.
package runner

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// Kind names an engine.
type Kind string

// The engines. Auto picks DSN when a DSN is given, else Container when Docker answers.
const (
	Auto      Kind = "auto"
	Container Kind = "container"
	DSN       Kind = "dsn"
)

// ParseKind checks an --engine value.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(s)); k {
	case "":
		return Auto, nil
	case Auto, Container, DSN:
		return k, nil
	}
	return "", fmt.Errorf("unknown engine %q (want auto, container or dsn)", s)
}

// DefaultImage is the container image used when none is given.
const DefaultImage = "mysql:8.4"

// DatabasePrefix starts the name of every database schema-guard creates. It never creates, alters
// or drops a database whose name does not start with it.
const DatabasePrefix = "schema_guard_"

// Options choose and configure the engine.
type Options struct {
	Kind  Kind
	DSN   string // go-sql-driver form: user:password@tcp(host:port)/
	Image string // container image; DefaultImage when empty
	// RunID labels the containers of this run (org.schema-guard.run=<RunID>), which is how they
	// are found and removed; random when empty.
	RunID string
	// Session are the settings every replay session starts with, beside the server's defaults
	// (the migration tool's init SQL: `session:` in the configuration).
	Session []SessionVar
	// Throwaway says the dsn engine's server holds nothing but this check's databases (a
	// service container of the CI job): the migrations run as the DSN's own account, with no
	// per-run account and no check of its grants (sandbox.go).
	Throwaway bool
	// AdminOnly connects the dsn engine as the DSN's account and nothing more (no run account,
	// no grants check): for schema-guard cleanup, which runs no migration.
	AdminOnly bool
	// Log receives progress lines; nil discards them.
	Log *slog.Logger
}

// Server is a running MySQL or MariaDB server on which schema-guard may create scratch databases.
type Server struct {
	Kind   Kind
	Flavor schema.Flavor
	Image  string // the container engine's image
	// Startup is how long the engine took to give a server that answers queries.
	Startup time.Duration

	// Throwaway is Options.Throwaway, when the run relies on it: the migrations run with the
	// DSN's own account.
	Throwaway bool

	cfg     *mysql.Config // connection settings without a database name
	session []SessionVar  // Options.Session
	admin   *sql.DB
	run     runName // names the run's databases and account (runname.go)

	// The dsn engine's sandbox (sandbox.go): the run's account, and what connects as it.
	sandbox *sandbox
	runCfg  *mysql.Config
	runPool *sql.DB
	log     *slog.Logger
	stop    func(context.Context) error // removes the container; nil for the dsn engine

	mu        sync.Mutex
	databases []*Database
	seq       int // databases created so far
	closed    bool

	// onlineMu serializes MeasureOnline, whose scratch database online holds one table copy
	// at a time; online is created on first use (online.go).
	onlineMu sync.Mutex
	online   *Database
}

// Start starts (container) or connects to (dsn) a server and reads its flavour.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	// The driver prints connection trouble straight to stderr ("unexpected EOF" while a container
	// is still starting); errors reach the caller anyway, so its lines are debug output. The
	// logger is global because the readiness probe opens connections from a DSN string.
	_ = mysql.SetLogger(driverLogger{opts.Log})
	kind := opts.Kind
	if kind == Auto || kind == "" {
		switch {
		case opts.DSN != "":
			kind = DSN
		default:
			if err := dockerAnswers(ctx); err != nil {
				return nil, fmt.Errorf("no engine: Docker is not answering (%v); start Docker, or pass --dsn user:password@tcp(host:3306)/ to use an existing MySQL or MariaDB server", err)
			}
			kind = Container
		}
	}
	var s *Server
	var err error
	run := newRunName("", time.Now())
	switch kind {
	case DSN:
		if opts.DSN == "" {
			return nil, errors.New("dsn engine: no DSN given; pass --dsn user:password@tcp(host:3306)/")
		}
		s, err = startDSN(ctx, opts, run)
	case Container:
		if opts.Image == "" {
			opts.Image = DefaultImage
		}
		s, err = startContainer(ctx, opts)
	default:
		return nil, fmt.Errorf("unknown engine %q", kind)
	}
	if err != nil {
		return nil, err
	}
	s.session, s.run = opts.Session, run
	return s, nil
}

// connect opens a pool with cfg, checks that it answers and reads the server's flavour.
func (s *Server) connect(ctx context.Context) error {
	db, err := sql.Open("mysql", s.cfg.FormatDSN())
	if err != nil {
		return err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return err
	}
	flavor, err := introspect.ReadFlavor(ctx, db)
	if err != nil {
		db.Close()
		return err
	}
	s.admin, s.Flavor = db, flavor
	return nil
}

// Database is a scratch database on a Server.
type Database struct {
	Name string
	// DB is a pool whose connections use this database.
	DB *sql.DB

	server *Server
	mu     sync.Mutex
	// threads are the server connection ids of sessions that replay into this database; Drop
	// kills them first, because a statement interrupted on the client side (SIGINT) keeps running
	// on the server and its metadata lock would make DROP DATABASE wait.
	threads []int64
}

// CreateDatabase creates an empty database named schema_guard_<stamp>_<run>_<n> (runname.go).
// Its pool connects as the run's account where there is one (sandbox.go).
func (s *Server) CreateDatabase(ctx context.Context) (*Database, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errors.New("create database: server is closed")
	}
	s.seq++
	name := s.run.databasePrefix() + strconv.Itoa(s.seq)
	s.mu.Unlock()
	cfg := s.runConfig()
	cfg.DBName = name
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	// Registered before it exists: an interrupt may land after the server created it but before
	// the call returns, and Close drops it with IF EXISTS either way.
	d := &Database{Name: name, DB: db, server: s}
	s.mu.Lock()
	s.databases = append(s.databases, d)
	s.mu.Unlock()
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+schema.QuoteIdent(name)); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	return d, nil
}

// trackThread remembers a session that works on the database, for Drop.
func (d *Database) trackThread(id int64) {
	d.mu.Lock()
	d.threads = append(d.threads, id)
	d.mu.Unlock()
}

// Drop drops a database before the server closes, for work that needs a scratch database only
// for a while (a dry run); Close drops the rest.
func (d *Database) Drop(ctx context.Context) error {
	s := d.server
	s.mu.Lock()
	i := slices.Index(s.databases, d)
	if i >= 0 {
		s.databases = slices.Delete(s.databases, i, i+1)
	}
	s.mu.Unlock()
	if i < 0 {
		return nil // dropped already, or by Close
	}
	return d.drop(ctx)
}

// drop kills the database's sessions and drops it.
func (d *Database) drop(ctx context.Context) error {
	d.DB.Close()
	d.mu.Lock()
	threads := d.threads
	d.threads = nil
	d.mu.Unlock()
	for _, id := range threads {
		d.server.kill(ctx, id)
	}
	if _, err := d.server.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+schema.QuoteIdent(d.Name)); err != nil {
		return fmt.Errorf("drop database %s: %w", d.Name, err)
	}
	return nil
}

// Close drops every database the server handed out and, for the container engine, removes the
// container. It is safe to call more than once and from a deferred call after the run's context
// was cancelled: give it a fresh context with a deadline.
func (s *Server) Close(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	dbs := s.databases
	s.databases = nil
	s.mu.Unlock()

	var errs []error
	if s.stop == nil {
		// A container is removed with everything in it; only a shared server needs the drops:
		// the run's databases, any other the run's account created under its name, and the
		// account.
		for _, d := range dbs {
			errs = append(errs, d.drop(ctx))
		}
		errs = append(errs, s.dropRunDatabases(ctx), s.closeSandbox(ctx))
	} else {
		for _, d := range dbs {
			d.DB.Close()
		}
	}
	if s.admin != nil {
		errs = append(errs, s.admin.Close())
	}
	if s.stop != nil {
		errs = append(errs, s.stop(ctx))
	}
	return errors.Join(errs...)
}

// Admin is a pool with no default database, for server-level queries.
func (s *Server) Admin() *sql.DB { return s.admin }

// Describe is a one-line description for logs and reports: "mariadb 10.11.6 (dsn 127.0.0.1:3306)".
func (s *Server) Describe() string {
	switch s.Kind {
	case Container:
		return fmt.Sprintf("%s (container %s)", s.Flavor, s.Image)
	default:
		return fmt.Sprintf("%s (dsn %s)", s.Flavor, s.cfg.Addr)
	}
}

func isMySQLError(err error, number uint16) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == number
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// driverLogger sends the MySQL driver's log lines to slog at debug level.
type driverLogger struct{ log *slog.Logger }

func (l driverLogger) Print(v ...any) {
	l.log.Debug("mysql driver: " + strings.TrimSpace(fmt.Sprint(v...)))
}
