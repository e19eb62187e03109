package copier

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Server error numbers the copier acts on.
const (
	errDupEntry         = 1062 // ER_DUP_ENTRY
	errLockWait         = 1205 // ER_LOCK_WAIT_TIMEOUT: a row lock or a metadata lock
	errDeadlock         = 1213 // ER_LOCK_DEADLOCK: the transaction was rolled back
	errLockNowait       = 3572 // ER_LOCK_NOWAIT (MySQL; MariaDB answers NOWAIT with 1205)
	errRecordChanged    = 1020 // ER_CHECKREAD: MariaDB's snapshot isolation
	errUnknownThread    = 1094 // ER_NO_SUCH_THREAD
	errCannotConvert    = 3854 // MySQL: a string does not convert (another session's statement in the process list)
	errNoSuchTable      = 1146
	errTableDenied      = 1142
	errQueryInterrupted = 1317 // ER_QUERY_INTERRUPTED: KILL QUERY
	errUnsafeBinlog     = 1592 // a note about statement-based replication, not about data
	errDeprecated       = 1287 // deprecated syntax
	errMySQLCheck       = 3819 // a CHECK constraint is violated (MySQL)
	errMariaDBCheck     = 4025 // a CHECK constraint is violated (MariaDB)
	errNoDefault        = 1364 // a NOT NULL column has no default
	errIncorrectValue   = 1366
)

func mysqlError(err error) *mysql.MySQLError {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me
	}
	return nil
}

func isErrno(err error, numbers ...uint16) bool {
	if me := mysqlError(err); me != nil {
		for _, n := range numbers {
			if me.Number == n {
				return true
			}
		}
	}
	return false
}

// retryable errors end a chunk's transaction without anything being wrong with the data:
// the chunk is tried again.
func retryable(err error) bool {
	return isErrno(err, errLockWait, errDeadlock, errRecordChanged)
}

// dataError reports whether err is the server refusing a value: SQLSTATE class 22 (data
// exception) or 23 (integrity constraint), or one of the HY000 errors that mean the same.
// Such an error depends on a row, and the copier looks for the row.
func dataError(err error) bool {
	me := mysqlError(err)
	if me == nil {
		return false
	}
	if s := string(me.SQLState[:2]); s == "22" || s == "23" {
		return true
	}
	switch me.Number {
	case errNoDefault, errIncorrectValue, errMySQLCheck, errMariaDBCheck,
		1048, errDupEntry, 1263, 1264, 1265, 1292, 1365, 1367, 1406, 1411, 1452, 1586, 1690, 3140:
		return true
	}
	return false
}

// execer is what retryDDL needs.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// retryDDL runs a statement that needs the table's metadata lock. The session's lock_wait_timeout
// bounds each wait (the application's queries queue behind a waiting DDL, so the wait is short);
// a timed-out statement is tried again, up to attempts times.
func retryDDL(ctx context.Context, q execer, stmt string, attempts int) error {
	var err error
	for i := 0; i < attempts; i++ {
		if _, err = q.ExecContext(ctx, stmt); err == nil || !isErrno(err, errLockWait) {
			return err
		}
		if err := sleep(ctx, time.Duration(i+1)*100*time.Millisecond); err != nil {
			return err
		}
	}
	return err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// discard closes a session for good instead of handing it back to the pool: the copier changes
// its sessions' sql_mode, time zone and result character set, and the caller's next query must
// not get such a session (nor one a cancelled statement left in a transaction or under LOCK
// TABLES). Returning driver.ErrBadConn from Raw is how database/sql is told to drop it.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}
