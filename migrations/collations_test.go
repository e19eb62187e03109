package migrations

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/pingcap/tidb/pkg/parser/charset"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// TestParserKnowsServerCollations parses a column of every character set and collation each test
// server has: a statement naming one the parser does not know would be opaque to every rule.
func TestParserKnowsServerCollations(t *testing.T) {
	testenv.EachServer(t, testParserKnowsServerCollations)
}

func testParserKnowsServerCollations(t *testing.T, s testenv.Server) {
	db, err := sql.Open("mysql", s.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// MariaDB 11 lists a collation per character set it applies to here (and short names such as
	// uca1400_ai_ci, which apply to several, in COLLATIONS with no character set).
	query := "SELECT COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLLATIONS"
	var full int
	if !s.MySQL() && db.QueryRow("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'information_schema' "+
		"AND TABLE_NAME = 'COLLATION_CHARACTER_SET_APPLICABILITY' AND COLUMN_NAME = 'FULL_COLLATION_NAME'").Scan(&full) == nil && full > 0 {
		query += " UNION SELECT FULL_COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY"
	}
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var stmts []Statement
	for rows.Next() {
		var coll string
		var cs sql.NullString
		if err := rows.Scan(&coll, &cs); err != nil {
			t.Fatal(err)
		}
		col := "c VARCHAR(1) COLLATE " + coll
		if cs.Valid {
			col = "c VARCHAR(1) CHARACTER SET " + cs.String + " COLLATE " + coll
		}
		stmts = append(stmts, Statement{Text: "CREATE TABLE t (" + col + ") DEFAULT CHARSET=" + strings.SplitN(coll, "_", 2)[0] + " COLLATE=" + coll})
		if !cs.Valid {
			stmts[len(stmts)-1].Text = "CREATE TABLE t (" + col + ")"
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(stmts) < 100 {
		t.Fatalf("only %d collations read", len(stmts))
	}
	NewParser().Parse(stmts)
	bad := 0
	for _, st := range stmts {
		if st.Node == nil {
			if bad++; bad <= 10 {
				t.Errorf("%s: %s", st.Text, st.ParseError)
			}
		}
	}
	if bad > 10 {
		t.Errorf("and %d more", bad-10)
	}
}

// TestCollationsData reads collations.txt as init does: no name twice, and the same 1,248
// collations, by character set, that collations_data.go held before they moved to the text file
// (the digest is of the sorted "charset<TAB>collation" lines).
func TestCollationsData(t *testing.T) {
	got := readCollations(collationsText)
	var lines []string
	seen := map[string]bool{}
	for cs, names := range got {
		for _, n := range names {
			if seen[cs+" "+n] {
				t.Errorf("%s %s listed twice", cs, n)
			}
			seen[cs+" "+n] = true
			lines = append(lines, cs+"\t"+n+"\n")
		}
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "")))
	const want = "57497a94419d9a198ad65567ef56af3da286467abafe9afe371f0fed85219969"
	if len(lines) != 1248 || len(got[""]) != 184 || hex.EncodeToString(sum[:]) != want {
		t.Errorf("%d collations (%d short uca1400 names), digest %x; want 1248 (184), %s", len(lines), len(got[""]), sum, want)
	}
	for _, name := range []string{"uca1400_ai_ci", "utf8mb4_uca1400_ai_ci", "ucs2_croatian_mysql561_ci", "latin1_nopad_bin"} {
		if _, err := charset.GetCollationByName(name); err != nil {
			t.Errorf("the parser does not know %s: %v", name, err)
		}
	}
}
