package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestRunAutoIncrementOption checks that AUTO_INCREMENT = n in the ALTER gives the new table the
// counter a plain ALTER gives a twin of the table: the next id handed out after the copy is the
// one the plain ALTER's table hands out, for n below the largest id, between it and the
// original's counter, and above that counter.
func TestRunAutoIncrementOption(t *testing.T) { testenv.EachServer(t, testRunAutoIncrementOption) }

func testRunAutoIncrementOption(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	for _, n := range []int{7, 70, 500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			for _, table := range []string{"t", "ref"} {
				mustExec(t, db, "DROP TABLE IF EXISTS "+table,
					"CREATE TABLE "+table+" (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB",
					"INSERT INTO "+table+" (id, v) SELECT seq, seq FROM "+testenv.Seq(100),
					// The counter stays at 101: the ids of the rows deleted at the end are not reused.
					"DELETE FROM "+table+" WHERE id > 50")
			}
			alter := fmt.Sprintf("ADD COLUMN x INT NULL, AUTO_INCREMENT = %d", n)
			if _, err := Run(context.Background(), db, Options{Table: "t", Alter: alter, Execute: true}); err != nil {
				t.Fatalf("Run: %v", err)
			}
			mustExec(t, db, "ALTER TABLE ref "+alter)
			got, want := nextID(t, db, "t"), nextID(t, db, "ref")
			if got != want {
				t.Errorf("after the copy the next id is %d; after the plain ALTER %d", got, want)
			}
		})
	}
}

// nextID inserts a row without an id and returns the id it got.
func nextID(t *testing.T, db *sql.DB, table string) int64 {
	t.Helper()
	res, err := db.Exec("INSERT INTO " + table + " (v) VALUES (0)")
	if err != nil {
		t.Fatal(err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestRunCharsets changes a column to latin2 (with a collation, and by CONVERT TO) and checks
// that every value equals what the plain ALTER makes of it, byte for byte; and checks that the
// copier reads an ALTER naming any character set and collation the server has.
func TestRunCharsets(t *testing.T) { testenv.EachServer(t, testRunCharsets) }

func testRunCharsets(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	for i, alter := range []string{
		"MODIFY b VARCHAR(40) CHARACTER SET latin2 NOT NULL",
		"MODIFY b VARCHAR(40) CHARACTER SET latin2 COLLATE latin2_czech_cs NOT NULL",
		"CONVERT TO CHARACTER SET latin2",
	} {
		t.Run(alter, func(t *testing.T) {
			table := fmt.Sprintf("c%d", i)
			mustExec(t, db, "CREATE TABLE "+table+" (id INT NOT NULL PRIMARY KEY, b VARCHAR(40) CHARACTER SET utf8mb4 NOT NULL, e TEXT CHARACTER SET utf8mb4 NULL) ENGINE=InnoDB",
				"INSERT INTO "+table+" SELECT seq, CONCAT('Žluťoučký kůň ', seq), IF(seq % 3 = 0, NULL, 'Łódź ő ű') FROM "+testenv.Seq(300),
				"CREATE TABLE "+table+"_ref LIKE "+table, "INSERT INTO "+table+"_ref SELECT * FROM "+table)
			if _, err := Run(context.Background(), db, Options{Table: table, Alter: alter, Execute: true}); err != nil {
				t.Fatalf("Run: %v", err)
			}
			mustExec(t, db, "ALTER TABLE "+table+"_ref "+alter)
			q := "SELECT id, HEX(b), COLLATION(b), HEX(e) FROM %s ORDER BY id"
			if a, b := queryDigest(t, db, fmt.Sprintf(q, table)), queryDigest(t, db, fmt.Sprintf(q, table+"_ref")); a != b {
				t.Errorf("the copy's values differ from the plain ALTER's")
			}
			if a, b := columnDefs(t, db, table), columnDefs(t, db, table+"_ref"); a != b {
				t.Errorf("columns after the copy:\n%s\nafter the plain ALTER:\n%s", a, b)
			}
		})
	}
	t.Run("every collation", func(t *testing.T) {
		names := serverCollations(t, db)
		for _, cc := range names {
			for _, alter := range []string{
				"MODIFY b VARCHAR(10) CHARACTER SET " + cc[0] + " COLLATE " + cc[1],
				"CONVERT TO CHARACTER SET " + cc[0] + " COLLATE " + cc[1],
				"DEFAULT CHARSET = " + cc[0],
			} {
				if _, err := parseAlterOn(context.Background(), db, "t", alter, nil); err != nil {
					t.Errorf("%s: %v", alter, err)
				}
			}
		}
		t.Logf("%d collations", len(names))
	})
}

// serverCollations lists the server's (character set, collation) pairs; on MariaDB 10.10+ also
// the full names of its character-set-independent collations.
func serverCollations(t *testing.T, db *sql.DB) [][2]string {
	t.Helper()
	var out [][2]string
	add := func(q string) error {
		rows, err := db.Query(q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var cs, coll string
			if err := rows.Scan(&cs, &coll); err != nil {
				return err
			}
			out = append(out, [2]string{cs, coll})
		}
		return rows.Err()
	}
	if err := add("SELECT CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLLATIONS WHERE CHARACTER_SET_NAME IS NOT NULL"); err != nil {
		t.Fatal(err)
	}
	// MariaDB 10.10+; elsewhere the column does not exist.
	_ = add("SELECT CHARACTER_SET_NAME, FULL_COLLATION_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY")
	if len(out) < 100 {
		t.Fatalf("only %d collations", len(out))
	}
	return out
}

// columnDefs is a table's column definitions, one line each.
func columnDefs(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	rows, err := db.Query(`SELECT CONCAT_WS(' ', COLUMN_NAME, COLUMN_TYPE, COALESCE(COLLATION_NAME, '-'), IS_NULLABLE, COALESCE(COLUMN_DEFAULT, '-'), EXTRA)
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// TestParseAlterOnUnknownNames checks that a character set or collation the parser does not
// know is judged by the server: a name the server does not know either is refused with the
// name; the server's error numbers for names are the ones serverKnows expects.
func TestParseAlterOnUnknownNames(t *testing.T) { testenv.EachServer(t, testParseAlterOnUnknownNames) }

func testParseAlterOnUnknownNames(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	ctx := context.Background()
	for _, tt := range []struct{ kind, name string }{{"character set", "latin2"}, {"collation", "latin2_czech_cs"}, {"collation", "utf8mb4_bin"}} {
		if ok, err := serverKnows(ctx, db, tt.kind, tt.name); !ok || err != nil {
			t.Errorf("the server knows the %s %s: %v, %v", tt.kind, tt.name, ok, err)
		}
	}
	for _, alter := range []string{"MODIFY b VARCHAR(10) CHARACTER SET sg_nope", "MODIFY b VARCHAR(10) COLLATE sg_nope_ci", "CONVERT TO CHARACTER SET 'sg_nope'"} {
		_, err := parseAlterOn(ctx, db, "t", alter, nil)
		var ref *Refusal
		if !errors.As(err, &ref) || !ref.BadInput || !strings.Contains(ref.Reason, "does not know") || !strings.Contains(ref.Reason, "sg_nope") {
			t.Errorf("%s: %v, want a refusal that names it", alter, err)
		}
	}
}

// TestReplaceCharsetName checks that only the names after CHARACTER SET, CHARSET and COLLATE
// are replaced, quoted or not, and that the clauses the shadow gets stay as written.
func TestReplaceCharsetName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"MODIFY cs VARCHAR(10) CHARACTER SET cs COMMENT 'cs'", "MODIFY cs VARCHAR(10) CHARACTER SET utf8mb4 COMMENT 'cs'"},
		{"CONVERT TO CHARSET = `cs` COLLATE cs", "CONVERT TO CHARSET = utf8mb4 COLLATE utf8mb4"},
		{"ADD `cs` INT /* CHARSET cs */, DEFAULT CHARACTER SET='CS'", "ADD `cs` INT /* CHARSET cs */, DEFAULT CHARACTER SET=utf8mb4"},
	} {
		if got := replaceCharsetName(tt.in, "cs", "utf8mb4"); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

// TestRunSQLModeOfTheServer checks that the new definition is the plain ALTER's under the
// server's sql_mode, on each shared server as it is configured: a DEFAULT with a zero month is
// refused where the server's mode refuses it (MySQL's default has NO_ZERO_IN_DATE), with the
// server's reason, and made as the plain ALTER makes it where it does not (MariaDB's default);
// and under Options.SQLMode, REAL is read as the mode reads it.
func TestRunSQLModeOfTheServer(t *testing.T) { testenv.EachServer(t, testRunSQLModeOfTheServer) }

func testRunSQLModeOfTheServer(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	for i, tt := range []struct{ alter, mode string }{
		{"ADD COLUMN dt DATETIME NOT NULL DEFAULT '1970-00-00'", ""},
		{"ADD COLUMN r REAL NULL", "REAL_AS_FLOAT,STRICT_TRANS_TABLES"},
	} {
		t.Run(tt.alter, func(t *testing.T) {
			table := fmt.Sprintf("m%d", i)
			fillTable(t, db, table, 200)
			mustExec(t, db, "CREATE TABLE "+table+"_ref LIKE "+table, "INSERT INTO "+table+"_ref SELECT * FROM "+table)
			conn, err := db.Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer discard(conn)
			if tt.mode != "" {
				if _, err := conn.ExecContext(context.Background(), "SET SESSION sql_mode = '"+tt.mode+"'"); err != nil {
					t.Fatal(err)
				}
			}
			_, plain := conn.ExecContext(context.Background(), "ALTER TABLE "+table+"_ref "+tt.alter)
			res, err := Run(context.Background(), db, Options{Table: table, Alter: tt.alter, Execute: true, SQLMode: tt.mode})
			if me := mysqlError(plain); me != nil {
				var ref *Refusal
				if !errors.As(err, &ref) || !strings.Contains(ref.Reason, me.Message) || res.Rows != 0 {
					t.Fatalf("the plain ALTER fails (%v); the copier: %v after %d rows, want a refusal with the server's reason before any row", plain, err, res.Rows)
				}
				assertClean(t, db)
				return
			} else if plain != nil {
				t.Fatal(plain)
			}
			if err != nil {
				t.Fatalf("the plain ALTER succeeds; the copier: %v", err)
			}
			if a, b := columnDefs(t, db, table), columnDefs(t, db, table+"_ref"); a != b {
				t.Errorf("columns after the copy:\n%s\nafter the plain ALTER:\n%s", a, b)
			}
			if a, b := queryDigest(t, db, "SELECT * FROM "+table+" ORDER BY id"), queryDigest(t, db, "SELECT * FROM "+table+"_ref ORDER BY id"); a != b {
				t.Errorf("the copy's rows differ from the plain ALTER's")
			}
		})
	}
}

// TestChecksumTellsFloatsApart checks that the chunk checksum sees a FLOAT change below the six
// digits the server prints a FLOAT with: 1.0000001 and 1.0000002 both print as "1".
func TestChecksumTellsFloatsApart(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) {
		db := scratch(t)
		mustExec(t, db, "CREATE TABLE f1 (f FLOAT NOT NULL)", "CREATE TABLE f2 (f FLOAT NOT NULL)",
			"INSERT INTO f1 VALUES (1.0000001)", "INSERT INTO f2 VALUES (1.0000002)")
		sum := func(table string, float bool) int64 {
			return count(t, db, "SELECT "+rowHash([]hashCol{{name: "f", float: float}}, false)+" FROM "+table)
		}
		if sum("f1", false) != sum("f2", false) {
			t.Fatal("the server prints the two FLOATs differently; the test no longer shows the six-digit text")
		}
		if sum("f1", true) == sum("f2", true) {
			t.Error("the checksum hashes 1.0000001 and 1.0000002 in a FLOAT column alike")
		}
	})
}
