package copier

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestRunRefusesLossyData checks the changes the data cannot survive: each stops with a
// refusal naming the first row that does not fit and the server's message, and leaves the
// table as it was and nothing behind.
func TestRunRefusesLossyData(t *testing.T) { testenv.EachServer(t, testRunRefusesLossyData) }

func testRunRefusesLossyData(t *testing.T, srv testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 3000)
	// A duplicate of row 6's b, far from it in key order.
	mustExec(t, db, "UPDATE t SET b = 'row 5' WHERE id = 2500")
	tests := []struct {
		name, alter, key, reason string
		mysql                    string // the reason on MySQL, where it differs
	}{
		{"unique over duplicates", "ADD UNIQUE KEY ub (b)", "id=2500", "Duplicate entry 'row 5'", ""},
		// MySQL's INSERT … SELECT reports a value too long as 1265 "Data truncated".
		{"narrowing over long values", "MODIFY b VARCHAR(5) NOT NULL", "id=11", "Data too long for column 'b'",
			"Error 1265: Data truncated for column 'b'"},
		{"NOT NULL over NULLs", "MODIFY c DECIMAL(10,2) NOT NULL", "id=1", "'c'", ""},
		{"decimal scale reduced", "MODIFY c DECIMAL(10,1)", "id=2", "Note 1265", ""},
		{"integer narrowed", "MODIFY a TINYINT NOT NULL", "id=129", "Out of range value for column 'a'", ""},
	}
	n0, h0 := tableDigest(t, db, "t", "id, a, b, c, d, e")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), db, Options{Table: "t", Alter: tt.alter, Execute: true})
			var ref *Refusal
			if !errors.As(err, &ref) {
				t.Fatalf("Run: %v, want a refusal", err)
			}
			reason := tt.reason
			if srv.MySQL() && tt.mysql != "" {
				reason = tt.mysql
			}
			if ref.Key != tt.key || !strings.Contains(ref.Reason, reason) {
				t.Errorf("refusal %q (key %q), want key %q and %q", ref.Reason, ref.Key, tt.key, reason)
			}
			if n, h := tableDigest(t, db, "t", "id, a, b, c, d, e"); n != n0 || h != h0 {
				t.Errorf("the table changed")
			}
			assertClean(t, db)
		})
	}
}

// TestRunRefusesWriteTheNewTableCannotHold: the application writes, during the copy, a row the
// new definition cannot hold. Its write succeeds on the original, and the copy stops with the
// row's key and the server's message.
func TestRunRefusesWriteTheNewTableCannotHold(t *testing.T) {
	testenv.EachServer(t, testRunRefusesWriteTheNewTableCannotHold)
}

func testRunRefusesWriteTheNewTableCannotHold(t *testing.T, srv testenv.Server) {
	tests := []struct {
		name, alter, write, key, reason string
		// mysql is the reason on MySQL where it differs: MySQL's INSERT … SELECT (the chunk)
		// says 1265 "Data truncated" where a single-row write (the trigger) says 1406 "Data too
		// long", and either may meet the row first.
		mysql string
	}{
		{"duplicate of the new unique key", "ADD UNIQUE KEY ub (b)",
			"INSERT INTO t (id, a, b) VALUES (90001, 1, 'row 3')", "id=90001", "Duplicate entry 'row 3'", ""},
		// A key-changing UPDATE that meets the duplicate: the trigger's INSERT of the new version
		// fails on it, and so must the move of the old version (copied already, or not yet).
		{"key changed into a duplicate, old version copied", "ADD UNIQUE KEY ub (b)",
			"UPDATE t SET id = 90001, b = 'row 3' WHERE id = 500", "id=90001", "Duplicate entry 'row 3'", ""},
		{"key changed into a duplicate, old version ahead", "ADD UNIQUE KEY ub (b)",
			"UPDATE t SET id = 90001, b = 'row 3' WHERE id = 2900", "id=90001", "Duplicate entry 'row 3'", ""},
		// The row is ahead of the copy: the trigger or the chunk finds it, whichever is first.
		{"value too long for the narrowed column", "MODIFY b VARCHAR(12) NOT NULL",
			"UPDATE t SET b = 'much too long a value' WHERE id = 1500", "id=1500", "Data too long",
			"Data too long|1265: Data truncated for column 'b'"},
		// The application's session does not even count notes; the trigger still sees it.
		{"rounded by the new scale", "MODIFY c DECIMAL(10,1)",
			"INSERT INTO t (id, a, b, c) VALUES (90001, 1, 'x', 1.25)", "id=90001", "1265: Data truncated", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := scratch(t)
			fillTable(t, db, "t", 3000)
			mustExec(t, db, "UPDATE t SET c = ROUND(c, 1)")
			var wrote error
			done := false
			_, err := Run(context.Background(), db, Options{Table: "t", Alter: tt.alter, Execute: true, Workers: 1, ChunkTime: 1,
				Progress: func(Progress) {
					if !done {
						done = true
						conn, err := db.Conn(context.Background())
						if err != nil {
							wrote = err
							return
						}
						defer conn.Close()
						silence := "SET SESSION sql_notes = 0"
						if !srv.MySQL() {
							// MariaDB 10.6.16+ also has note_verbosity; either silences notes.
							silence += ", note_verbosity = ''"
						}
						if _, wrote = conn.ExecContext(context.Background(), silence); wrote == nil {
							_, wrote = conn.ExecContext(context.Background(), tt.write)
						}
					}
				}})
			if wrote != nil {
				t.Fatalf("the application's write failed: %v", wrote)
			}
			var ref *Refusal
			if !errors.As(err, &ref) {
				t.Fatalf("Run: %v, want a refusal", err)
			}
			reason := tt.reason
			if srv.MySQL() && tt.mysql != "" {
				reason = tt.mysql
			}
			if ref.Key != tt.key || !regexp.MustCompile(reason).MatchString(ref.Reason) {
				t.Errorf("refusal %q (key %q), want key %s and %q", ref.Reason, ref.Key, tt.key, reason)
			}
			var n int
			if err := db.QueryRow("SELECT COUNT(*) FROM t WHERE " + strings.Replace(tt.key, "=", " = ", 1)).Scan(&n); err != nil || n != 1 {
				t.Errorf("the application's row %s: %d, %v", tt.key, n, err)
			}
			assertClean(t, db)
		})
	}
}
