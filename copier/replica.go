package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// replica is a server whose replication lag the copy watches (Controls.Replicas).
type replica struct {
	name string // host:port, never the DSN (it holds a password)
	db   *sql.DB
}

// openReplica opens a small pool to the replica. Nothing is sent yet: a replica that cannot be
// reached pauses the copy (reason), it does not stop it.
func openReplica(dsn string) (*replica, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("replica DSN: %w", err)
	}
	// Bounded waits: a replica that hangs must show as unreachable, not hang the copy.
	if cfg.Timeout == 0 {
		cfg.Timeout = replicaTimeout
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = replicaTimeout
	}
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, fmt.Errorf("replica %s: %w", cfg.Addr, err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(time.Minute)
	return &replica{name: cfg.Addr, db: db}, nil
}

// reason says why the replica holds the copy: its lag is above max, its replication does not
// run (the lag is then unknown: Seconds_Behind_Master is NULL), it is no replica, or it cannot
// be asked. "" means it does not hold the copy.
func (rep *replica) reason(ctx context.Context, max time.Duration) string {
	ctx, cancel := context.WithTimeout(ctx, replicaTimeout)
	defer cancel()
	st, err := rep.status(ctx)
	switch {
	case ctx.Err() != nil && err != nil:
		return fmt.Sprintf("replica %s does not answer: %v", rep.name, err)
	case err != nil:
		return fmt.Sprintf("replica %s cannot be asked for its lag: %v", rep.name, err)
	case st == nil:
		return fmt.Sprintf("replica %s is not replicating (SHOW REPLICA STATUS is empty)", rep.name)
	case st.lag == nil:
		return fmt.Sprintf("replica %s: replication is not running (IO thread %s, SQL thread %s), its lag is unknown", rep.name, st.io, st.sql)
	case time.Duration(*st.lag)*time.Second > max:
		return fmt.Sprintf("replica %s lags %ds behind its primary, above --max-lag %s", rep.name, *st.lag, max)
	}
	return ""
}

// replicaStatus is what the copy reads of SHOW REPLICA STATUS.
type replicaStatus struct {
	lag     *int64 // Seconds_Behind_Master / Seconds_Behind_Source; nil when NULL
	io, sql string // whether the IO and SQL threads run
}

// status reads SHOW REPLICA STATUS (MySQL 8.0.22+, MariaDB 10.5.1+), or SHOW SLAVE STATUS on
// servers that do not know it; nil when the server replicates from nowhere. The columns are
// found by name: their order and names differ between servers and versions.
func (rep *replica) status(ctx context.Context) (*replicaStatus, error) {
	rows, err := rep.db.QueryContext(ctx, "SHOW REPLICA STATUS")
	if isErrno(err, 1064) {
		rows, err = rep.db.QueryContext(ctx, "SHOW SLAVE STATUS")
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	if !rows.Next() {
		return nil, rows.Err()
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	st := &replicaStatus{io: "?", sql: "?"}
	found := false
	for i, c := range cols {
		v := vals[i]
		switch strings.ToLower(c) {
		case "seconds_behind_master", "seconds_behind_source":
			found = true
			if v.Valid {
				n, err := strconv.ParseInt(v.String, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("%s is %q", c, v.String)
				}
				st.lag = &n
			}
		case "slave_io_running", "replica_io_running":
			st.io = v.String
		case "slave_sql_running", "replica_sql_running":
			st.sql = v.String
		}
	}
	if !found {
		return nil, errors.New("SHOW REPLICA STATUS has no Seconds_Behind_Master column")
	}
	return st, rows.Err()
}
