package runner

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	"github.com/testcontainers/testcontainers-go/wait"
)

// scratchServer are the server options of a scratch server. Durability is off: nothing it holds
// needs to survive a crash, and flushing less makes DDL several times faster. Binary logging stays
// as the image has it (on in MySQL 8.0+, off in MariaDB), as on a production server: with it
// MySQL refuses statements that could replicate unsafely, such as an ALTER TABLE that adds a
// column beside a (uuid()) default (error 1674), and a migration that production would refuse
// must fail here too. Stored functions and triggers need SUPER under it unless the server trusts
// their creators, as production servers that run such migrations are set to. The event scheduler
// is off (MySQL's default is on): an event a migration creates must not change the data the
// probes and the copier's dry run read while the replay goes on. Every option exists under the
// same name in MySQL 8.0/8.4/9.x and MariaDB 10.6+/11.x, because an unknown option stops either
// server.
var scratchServer = []string{
	"--innodb_flush_log_at_trx_commit=0",
	"--innodb_doublewrite=OFF",
	"--sync_binlog=0",
	"--performance_schema=OFF",
	"--log-bin-trust-function-creators=ON",
	"--event-scheduler=OFF",
}

// containerStartTimeout bounds the wait for the first successful SQL ping.
const containerStartTimeout = 3 * time.Minute

// reachTimeout is how long the container's published port may refuse connections from here
// before the start fails: a server that is still initialising is reached through Docker's
// proxy all the same, so a port nothing answers on is published where this process cannot see
// it (a wrong TESTCONTAINERS_HOST_OVERRIDE, Docker-in-Docker). A variable for the tests.
var reachTimeout = time.Minute

// startContainer starts a throwaway server from opts.Image with a random root password and its
// data directory on tmpfs, and waits until it answers a SQL query (not a log line: official MySQL,
// MariaDB and Percona images and locally built ones log different readiness lines).
func startContainer(ctx context.Context, opts Options) (srv *Server, err error) {
	// schema-guard removes its own containers, also on SIGINT and SIGTERM; the reaper container
	// testcontainers would otherwise start is a second image to pull and one more moving part.
	// TESTCONTAINERS_RYUK_DISABLED=false turns it back on.
	if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	tclog.SetDefault(printfLogger{opts.Log})

	if err := prepareDocker(ctx, opts); err != nil {
		return nil, err
	}

	began := time.Now()
	runID := opts.RunID
	if runID == "" {
		runID = randomHex(8)
	}
	opts.Log.Info("starting container", "image", opts.Image, "run", runID)
	stop := func(ctx context.Context) error { return removeRunContainers(ctx, runID) }
	defer func() {
		if err != nil {
			// The container may exist even though the start failed or was interrupted.
			cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			if rmErr := stop(cleanup); rmErr != nil {
				opts.Log.Warn("could not remove the container", "err", rmErr)
			}
		}
	}()

	password := randomHex(16)
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net = "root", password, "tcp"
	req := testcontainers.ContainerRequest{
		Image:        opts.Image,
		ExposedPorts: []string{"3306/tcp"},
		Env: map[string]string{
			"MYSQL_ROOT_PASSWORD":   password,
			"MARIADB_ROOT_PASSWORD": password,
		},
		Tmpfs:  map[string]string{"/var/lib/mysql": "rw"},
		Cmd:    scratchServer,
		Labels: map[string]string{labelRun: runID},
		WaitingFor: reachableFirst{port: "3306/tcp", within: reachTimeout, then: wait.ForSQL("3306/tcp", "mysql", func(host string, port network.Port) string {
			c := cfg.Clone()
			c.Addr = net.JoinHostPort(host, port.Port())
			return c.FormatDSN()
		}).WithStartupTimeout(containerStartTimeout).WithPollInterval(100 * time.Millisecond)},
	}
	c, err := genericContainer(ctx, testcontainers.GenericContainerRequest{
		ContainerRequest: req, Started: true, Logger: printfLogger{opts.Log},
	})
	if err != nil {
		return nil, fmt.Errorf("container engine: start %s: %w", opts.Image, err)
	}
	host, err := c.Host(ctx)
	if err != nil {
		return nil, fmt.Errorf("container engine: %w", err)
	}
	port, err := c.MappedPort(ctx, "3306/tcp")
	if err != nil {
		return nil, fmt.Errorf("container engine: %w", err)
	}
	cfg.Addr = net.JoinHostPort(host, port.Port())
	s := &Server{Kind: Container, Image: opts.Image, cfg: connConfig(cfg), log: opts.Log, stop: stop}
	if err := s.connect(ctx); err != nil {
		return nil, fmt.Errorf("container engine: %s answers readiness but not queries: %w", opts.Image, err)
	}
	s.Startup = time.Since(began)
	opts.Log.Info("container ready", "image", opts.Image, "server", s.Flavor.String(), "startup", s.Startup.Round(time.Millisecond))
	return s, nil
}

// prepareDocker checks that Docker answers and holds the image (pulling it if need be).
func prepareDocker(ctx context.Context, opts Options) error {
	if err := dockerAnswers(ctx); err != nil {
		return fmt.Errorf("container engine: Docker is not answering (%v); start Docker, or pass --dsn to use an existing server", err)
	}
	cli, err := dockerClient()
	if err != nil {
		return fmt.Errorf("container engine: %w", err)
	}
	err = ensureImage(ctx, cli, opts.Image, opts.Log)
	cli.Close()
	if err != nil {
		return fmt.Errorf("container engine: %w", err)
	}
	return nil
}

// genericContainer calls testcontainers, turning a panic inside it into an error: a broken Docker
// setup must end the run with one clear line, not a stack trace.
func genericContainer(ctx context.Context, req testcontainers.GenericContainerRequest) (c testcontainers.Container, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("testcontainers: %v", r)
		}
	}()
	return testcontainers.GenericContainer(ctx, req)
}

// printfLogger sends testcontainers' log lines to slog at debug level.
type printfLogger struct{ log *slog.Logger }

func (l printfLogger) Printf(format string, args ...any) {
	if l.log != nil {
		l.log.Debug(fmt.Sprintf(format, args...))
	}
}

// reachableFirst waits until the published port accepts a TCP connection from here, failing
// after within with the address it tried and what to set, and then waits as then does.
type reachableFirst struct {
	port   string
	within time.Duration
	then   wait.Strategy
}

func (r reachableFirst) WaitUntilReady(ctx context.Context, target wait.StrategyTarget) error {
	host, err := target.Host(ctx)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(r.within)
	addr, last := host, error(nil)
	for {
		if port, err := target.MappedPort(ctx, r.port); err == nil && !port.IsZero() {
			addr = net.JoinHostPort(host, port.Port())
			var d net.Dialer
			dialCtx, cancel := context.WithTimeout(ctx, time.Second)
			conn, err := d.DialContext(dialCtx, "tcp", addr)
			cancel()
			if err == nil {
				conn.Close()
				return r.then.WaitUntilReady(ctx, target)
			}
			last = err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing answers at %s, where Docker published the server's port, within %s (%v): schema-guard cannot reach the container from here; set TESTCONTAINERS_HOST_OVERRIDE to the address where this machine reaches Docker's published ports (in a container: leave it unset, or the Docker host's bridge gateway such as 172.17.0.1, never 127.0.0.1), or use --dsn",
				addr, r.within, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
