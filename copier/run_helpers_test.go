package copier

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/schema"
)

// mustExec runs statements on db and fails the test on an error.
func mustExec(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// fillTable creates table name (id INT AUTO_INCREMENT PRIMARY KEY, a INT, b VARCHAR(40),
// c DECIMAL(10,2), d DATETIME NULL, e TEXT) with rows rows.
func fillTable(t testing.TB, db *sql.DB, name string, rows int) {
	t.Helper()
	mustExec(t, db, "CREATE TABLE "+schema.QuoteIdent(name)+` (
		id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
		a INT NOT NULL,
		b VARCHAR(40) NOT NULL,
		c DECIMAL(10,2) NULL,
		d DATETIME NULL,
		e TEXT NULL,
		KEY (a)
	) ENGINE=InnoDB`)
	const batch = 1000
	for done := 0; done < rows; done += batch {
		var vals []string
		for i := done; i < min(rows, done+batch); i++ {
			c := "NULL"
			if i%7 != 0 {
				c = fmt.Sprintf("%d.%02d", i%1000, i%100)
			}
			vals = append(vals, fmt.Sprintf("(%d, %d, 'row %d', %s, '2024-01-02 03:04:05', REPEAT('x', %d))", i+1, i%500, i, c, i%50))
		}
		mustExec(t, db, "INSERT INTO "+schema.QuoteIdent(name)+" (id, a, b, c, d, e) VALUES "+strings.Join(vals, ", "))
	}
}

// scratch returns a pool bound to a fresh scratch database.
func scratch(t testing.TB) *sql.DB {
	t.Helper()
	db, _ := testenv.ScratchDB(t)
	return db
}

// leftoverObjects lists every _%_sg_% table and every trigger of the database.
func leftoverObjects(t testing.TB, db *sql.DB) []string {
	t.Helper()
	var out []string
	rows, err := db.Query(`SELECT CONCAT('table ', TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\_%\_sg\_%'
		UNION ALL SELECT CONCAT('trigger ', TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE '\_%\_sg\_%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func assertClean(t testing.TB, db *sql.DB) {
	t.Helper()
	if left := leftoverObjects(t, db); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// tableDigest is the row count and a digest of a table's content over the given columns, in key
// order.
func tableDigest(t testing.TB, db *sql.DB, table string, cols string) (int64, string) {
	t.Helper()
	return digestRows(t, db, fmt.Sprintf("SELECT %s FROM %s ORDER BY id", cols, schema.QuoteIdent(table)))
}

// queryDigest is a digest of a query's rows, in the query's order.
func queryDigest(t testing.TB, db *sql.DB, query string) string {
	t.Helper()
	_, h := digestRows(t, db, query)
	return h
}

// digestRows counts and hashes a query's rows in Go: GROUP_CONCAT stops at group_concat_max_len
// (1024 bytes by default on MySQL) silently, and MySQL 9.7 has no MD5(). Each value is hashed
// with its length (-1 for NULL), so no two different rows hash alike by shifting bytes or NULLs.
func digestRows(t testing.TB, db *sql.DB, query string) (int64, string) {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	h := sha256.New()
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			size := len(v)
			if v == nil {
				size = -1
			}
			fmt.Fprintf(h, "%d:", size)
			h.Write(v)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n, hex.EncodeToString(h.Sum(nil))
}

// createTable is the table's SHOW CREATE TABLE.
func createTable(t testing.TB, db *sql.DB, table string) string {
	t.Helper()
	var name, create string
	if err := db.QueryRowContext(context.Background(), "SHOW CREATE TABLE "+schema.QuoteIdent(table)).Scan(&name, &create); err != nil {
		t.Fatal(err)
	}
	return create
}

// count runs a query that returns one number (the dry run's tests have the same helper).
func count(t *testing.T, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, query string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var n int64
	if err := q.QueryRowContext(ctx, query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// session is a session of its own from db, and its server id; the test's cleanup drops it.
func session(t testing.TB, db *sql.DB) (*sql.Conn, int64) {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { discard(conn) })
	var id int64
	if err := conn.QueryRowContext(context.Background(), "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return conn, id
}
