// Package imageserver starts a private server from a test image, with global settings the
// shared test servers must not be given. It is its own package so that only the tests that
// start such a server link testcontainers.
package imageserver

import (
	"context"
	"database/sql"
	"net"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// ZoneArgs are the global settings of the private server (Start) that the copier's value
// tests and the dry run's need, which the shared test servers must not be given: a time zone
// two hours east of UTC, and a strict sql_mode that refuses zero dates and zero parts in dates
// (MySQL's default, not MariaDB's).
var ZoneArgs = []string{
	"--default-time-zone=+02:00",
	"--sql-mode=STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION",
	"--innodb_flush_log_at_trx_commit=0",
	"--performance_schema=OFF",
}

// Start starts a server from the image with the given server options (the images'
// entrypoint passes its arguments to the server) and returns a function that creates a
// database on it and a pool of root sessions bound to it. The container is removed when the
// test ends.
func Start(t *testing.T, image string, args []string) func(t *testing.T) (*sql.DB, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	password := "sg" + testenv.RandomHex(8)
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd, cfg.Net = "root", password, "tcp"
	req := testcontainers.ContainerRequest{
		Image:        image,
		ExposedPorts: []string{"3306/tcp"},
		Env:          map[string]string{"MYSQL_ROOT_PASSWORD": password, "MARIADB_ROOT_PASSWORD": password},
		Tmpfs:        map[string]string{"/var/lib/mysql": "rw"},
		Cmd:          args,
		WaitingFor: wait.ForSQL("3306/tcp", "mysql", func(host string, port network.Port) string {
			c := cfg.Clone()
			c.Addr = net.JoinHostPort(host, port.Port())
			return c.FormatDSN()
		}).WithStartupTimeout(3 * time.Minute).WithPollInterval(200 * time.Millisecond),
	}
	c, err := testcontainers.GenericContainer(ctx, testcontainers.GenericContainerRequest{ContainerRequest: req, Started: true})
	if c != nil {
		t.Cleanup(func() {
			rm, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := c.Terminate(rm); err != nil {
				t.Errorf("remove the container: %v", err)
			}
		})
	}
	if err != nil {
		t.Fatalf("start %s: %v", image, err)
	}
	host, err := c.Host(ctx)
	if err != nil {
		t.Fatal(err)
	}
	port, err := c.MappedPort(ctx, "3306/tcp")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr = net.JoinHostPort(host, port.Port())
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	return func(t *testing.T) (*sql.DB, string) {
		t.Helper()
		name := "sg_" + testenv.RandomHex(4)
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			t.Fatal(err)
		}
		c := cfg.Clone()
		c.DBName = name
		db, err := sql.Open("mysql", c.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, name
	}
}
