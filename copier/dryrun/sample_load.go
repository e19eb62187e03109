package dryrun

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/schema"
)

// This file loads sample rows into a table: a session with the server's sql_mode made strict,
// and multi-row INSERTs of literals, in batches. It also writes the literals themselves.

// sampleSession opens a connection for writing sample rows and writes: the server's own
// sql_mode made strict (so a value the column cannot hold fails instead of being cut), no
// foreign key checks (parent tables are not there), UTC (every TIMESTAMP value exists, none
// falls into a daylight-saving gap) and utf8mb4 (the values' literals are written in it).
// It returns the sql_mode it set.
func sampleSession(ctx context.Context, db *sql.DB) (*sql.Conn, string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, "", err
	}
	var mode string
	err = conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&mode)
	if err == nil {
		mode = strictMode(mode)
		for _, q := range []string{"SET NAMES utf8mb4",
			"SET SESSION sql_mode = " + stringLit(mode) + ", foreign_key_checks = 0, time_zone = '+00:00'"} {
			if _, err = conn.ExecContext(ctx, q); err != nil {
				break
			}
		}
	}
	if err != nil {
		conn.Close()
		return nil, "", err
	}
	return conn, mode, nil
}

// strictMode adds STRICT_ALL_TABLES to a sql_mode that has neither strict flag.
func strictMode(mode string) string {
	if strings.Contains(mode, "STRICT_") {
		return mode
	}
	if mode == "" {
		return "STRICT_ALL_TABLES"
	}
	return mode + ",STRICT_ALL_TABLES"
}

// zeroDatesAllowed reports whether a strict session with this sql_mode stores '0000-00-00'.
func zeroDatesAllowed(mode string) bool {
	for _, m := range strings.Split(mode, ",") {
		if m == "NO_ZERO_DATE" {
			return false
		}
	}
	return true
}

// Batches of rows are bounded in rows and in bytes, well under the smallest
// max_allowed_packet a server ships with (4 MiB on MySQL 5.7, 16 MiB on MariaDB).
const (
	loadBatchRows  = 500
	loadBatchBytes = 1 << 20
)

// rowError is the server rejecting one row.
type rowError struct {
	row int // index into the rows given to load
	err error
}

func (e *rowError) Error() string { return e.err.Error() }

func (e *rowError) Unwrap() error { return e.err }

// load inserts rows into the table in multi-row INSERTs and returns the indices of the rows
// the server took. A batch the server rejects is tried again row by row, to find the row:
// with skip it is left out and reported in rejected, else load stops with a *rowError.
func (g *generator) load(ctx context.Context, conn *sql.Conn, rows []sampleRow, skip bool) (accepted []int, rejected []*rowError, err error) {
	for start := 0; start < len(rows); {
		end, stmt := g.batch(rows, start)
		_, err := conn.ExecContext(ctx, stmt)
		if err == nil {
			for i := start; i < end; i++ {
				accepted = append(accepted, i)
			}
			start = end
			continue
		}
		if !rejectedByServer(err) {
			return accepted, rejected, err
		}
		for i := start; i < end; i++ {
			_, stmt := g.batch(rows[i:i+1], 0)
			switch _, err := conn.ExecContext(ctx, stmt); {
			case err == nil:
				accepted = append(accepted, i)
			case !rejectedByServer(err):
				return accepted, rejected, err
			case skip:
				rejected = append(rejected, &rowError{row: i, err: err})
			default:
				return accepted, rejected, &rowError{row: i, err: err}
			}
		}
		start = end
	}
	return accepted, rejected, nil
}

// batch writes the INSERT for the rows from start on that share the first one's columns (a
// CSV row leaves out the same columns as the next), and returns where the batch ends.
func (g *generator) batch(rows []sampleRow, start int) (int, string) {
	var cols []string
	for i, v := range rows[start].vals {
		if !v.omit {
			cols = append(cols, schema.QuoteIdent(g.cols[i].col.Name))
		}
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + schema.QuoteIdent(g.table.Name) + " (" + strings.Join(cols, ", ") + ") VALUES ")
	end := start
	for ; end < len(rows) && end-start < loadBatchRows && (end == start || b.Len() < loadBatchBytes); end++ {
		if !sameOmits(rows[start], rows[end]) {
			break
		}
		if end > start {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		first := true
		for _, v := range rows[end].vals {
			if v.omit {
				continue
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			b.WriteString(v.lit)
		}
		b.WriteByte(')')
	}
	return end, b.String()
}

func sameOmits(a, b sampleRow) bool {
	for i := range a.vals {
		if a.vals[i].omit != b.vals[i].omit {
			return false
		}
	}
	return true
}

// rejectedByServer reports whether err is the server refusing a statement, as opposed to the
// connection failing or the context ending.
func rejectedByServer(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me)
}

func serverErrNum(err error) uint16 {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number
	}
	return 0
}

// stringLit writes s as a string literal in the connection's character set (utf8mb4). A
// value holding a backslash or a control character is written in hex with an introducer, which
// means the same whether or not NO_BACKSLASH_ESCAPES is set. schema.QuoteString does not do
// here: its backslash escapes read differently under NO_BACKSLASH_ESCAPES, which the server's
// sql_mode (kept by sampleSession) may hold, and it passes invalid UTF-8 through.
func stringLit(s string) string {
	plain := utf8.ValidString(s)
	for i := 0; plain && i < len(s); i++ {
		if s[i] == '\\' || s[i] < 0x20 || s[i] == 0x7f {
			plain = false
		}
	}
	if plain {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "_utf8mb4 X'" + hex.EncodeToString([]byte(s)) + "'"
}

func bytesLit(b []byte) string { return "X'" + hex.EncodeToString(b) + "'" }

func stringKey(s string) string { return strings.ToLower(strings.TrimRight(s, " ")) }
