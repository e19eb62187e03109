package migrations

import (
	"os"
	"path"
	"strings"
	"testing"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

func TestParse(t *testing.T) {
	cases := []struct {
		text   string
		opaque bool // the TiDB parser does not know this syntax; the server still runs it
	}{
		{"CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10) NOT NULL DEFAULT '')", false},
		{"ALTER TABLE t ADD COLUMN w INT AFTER v, ALGORITHM=INPLACE, LOCK=NONE", false},
		{"CREATE OR REPLACE VIEW v AS SELECT id FROM t", false},
		{"CREATE PROCEDURE p(IN x INT)\nBEGIN\n  SELECT x;\nEND", false},
		{"/*!40101 SET NAMES utf8mb4 */", false},
		{"SELECT /*+ MAX_EXECUTION_TIME(1000) */ 1", false},
		{"CREATE TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW SET @n = @n + 1", true},
		{"CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t", true},
		{"CREATE OR REPLACE TABLE t (id INT)", true},
		{"SELECT 1; SELECT 2", true}, // one statement was expected
		{"", true},
	}
	p := NewParser()
	stmts := make([]Statement, len(cases))
	for i, tc := range cases {
		stmts[i] = Statement{Text: tc.text}
	}
	p.Parse(stmts)
	for i, tc := range cases {
		s := stmts[i]
		if s.Opaque() != tc.opaque {
			t.Errorf("%q: opaque = %v (%s), want %v", tc.text, s.Opaque(), s.ParseError, tc.opaque)
		}
		if s.Opaque() == (s.ParseError == "") {
			t.Errorf("%q: Node %v with ParseError %q", tc.text, s.Node, s.ParseError)
		}
		if strings.Contains(s.ParseError, "\n") || len([]rune(s.ParseError)) > 201 {
			t.Errorf("%q: parse error is not one short line: %q", tc.text, s.ParseError)
		}
	}
	if _, ok := stmts[0].Node.(*ast.CreateTableStmt); !ok {
		t.Errorf("CREATE TABLE parsed as %T", stmts[0].Node)
	}
	// A reused parser must not disturb the nodes it returned before.
	if n := stmts[0].Node.(*ast.CreateTableStmt); n.Table.Name.O != "t" || len(n.Cols) != 2 {
		t.Errorf("first node changed after later parses: %s, %d columns", n.Table.Name.O, len(n.Cols))
	}
}

// TestParseFixtures records which fixture statements the TiDB parser cannot parse: only the
// trigger (it has no CREATE TRIGGER grammar). The stored procedure, the view and the
// executable comment all parse.
func TestParseFixtures(t *testing.T) {
	p := NewParser()
	for _, format := range Formats {
		set, err := Discover(os.DirFS(path.Join("..", "testdata", "formats", string(format))), dir, format)
		if err != nil {
			t.Fatal(err)
		}
		parsed := 0
		for _, f := range set.Files {
			if f.Skip != "" {
				continue // Liquibase's changeset for PostgreSQL only
			}
			stmts, err := p.ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range stmts {
				trigger := strings.HasPrefix(s.Text, "CREATE TRIGGER")
				if s.Opaque() != trigger {
					t.Errorf("%s:%d: opaque = %v (%s)", s.File, s.Line, s.Opaque(), s.ParseError)
				}
				parsed++
			}
		}
		if parsed < 8 {
			t.Errorf("%s: only %d statements", format, parsed)
		}
	}
}
