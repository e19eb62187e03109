package migrations

import (
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/finding"
)

// TestSplitStoredProgramsWithoutDelimiter covers files written for tools that send SQL to the
// server whole: a ";" inside BEGIN … END does not end the statement.
func TestSplitStoredProgramsWithoutDelimiter(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string // the first line of each statement
	}{
		{"trigger", "CREATE TABLE a (id INT);\nCREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW\nBEGIN\n  UPDATE b SET n = n + 1;\n  UPDATE c SET n = n + 1;\nEND;\nSELECT 1;",
			[]string{"CREATE TABLE a (id INT)", "CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW", "SELECT 1"}},
		{"definer and label", "CREATE DEFINER=root@localhost PROCEDURE p()\nlbl: BEGIN\n  DECLARE i INT DEFAULT 0;\n  l2: LOOP\n    SET i = i + 1;\n    IF i > 3 THEN LEAVE l2; END IF;\n  END LOOP l2;\nEND lbl;\nSELECT 2;",
			[]string{"CREATE DEFINER=root@localhost PROCEDURE p()", "SELECT 2"}},
		{"case statement and expression", "CREATE PROCEDURE p(x INT)\nBEGIN\n  CASE x WHEN 1 THEN SELECT 1; ELSE SELECT CASE WHEN x > 2 THEN 'a' ELSE 'b' END; END CASE;\n  WHILE x > 0 DO SET x = x - 1; END WHILE;\n  REPEAT SET x = x + 1; UNTIL x > 5 END REPEAT;\nEND;\nSELECT 3;",
			[]string{"CREATE PROCEDURE p(x INT)", "SELECT 3"}},
		{"nested blocks and handler", "CREATE OR REPLACE FUNCTION f() RETURNS INT\nBEGIN\n  DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN SET @x = 1; END;\n  BEGIN SELECT 1 INTO @y; END;\n  RETURN 1;\nEND;\nSELECT 4;",
			[]string{"CREATE OR REPLACE FUNCTION f() RETURNS INT", "SELECT 4"}},
		{"function without a block", "CREATE FUNCTION g() RETURNS INT RETURN 1;\nSELECT 5;",
			[]string{"CREATE FUNCTION g() RETURNS INT RETURN 1", "SELECT 5"}},
		{"single-statement trigger", "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.n = 1;\nSELECT 6;",
			[]string{"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.n = 1", "SELECT 6"}},
		{"event", "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END;\nSELECT 7;",
			[]string{"CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM a; DELETE FROM b; END", "SELECT 7"}},
		{"anonymous block", "BEGIN NOT ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nSELECT 8;",
			[]string{"BEGIN NOT ATOMIC", "SELECT 8"}},
		{"transaction is not a block", "BEGIN;\nINSERT INTO a VALUES (1);\nCOMMIT;",
			[]string{"BEGIN", "INSERT INTO a VALUES (1)", "COMMIT"}},
		{"other CREATE statements are not programs", "CREATE TABLE trigger_log (id INT, `begin` INT);\nCREATE VIEW v AS SELECT CASE WHEN 1 THEN 2 END AS function;\nSELECT 9;",
			[]string{"CREATE TABLE trigger_log (id INT, `begin` INT)", "CREATE VIEW v AS SELECT CASE WHEN 1 THEN 2 END AS function", "SELECT 9"}},
		{"words in strings and comments do not count", "CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW\nBEGIN\n  SET @s = 'END; BEGIN'; -- END;\n  /* END; */ SET @u = 1;\nEND;\nSELECT 10;",
			[]string{"CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW", "SELECT 10"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &File{Path: "m.sql", Format: GolangMigrate, Content: []byte(c.src)}
			stmts, notes, err := f.Split()
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) != 0 {
				t.Errorf("notes: %v", notes)
			}
			var got []string
			for _, s := range stmts {
				first, _, _ := strings.Cut(s.Text, "\n")
				got = append(got, first)
			}
			if strings.Join(got, " | ") != strings.Join(c.want, " | ") {
				t.Errorf("statements\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestSplitFlagsDelimiterForServerSideTools(t *testing.T) {
	src := "CREATE TABLE a (id INT);\n\nDELIMITER //\nCREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW BEGIN SET @x = 1; END //\nDELIMITER ;\n"
	for format, want := range map[Format]int{GolangMigrate: 2, Dbmate: 0, Goose: 0, Flyway: 0, Plain: 0} {
		content := src
		switch format {
		case Dbmate:
			content = "-- migrate:up\n" + src
			want = 2
		case Goose:
			content = "-- +goose Up\n" + src
			want = 2
		}
		f := &File{Path: "m.sql", Format: format, Content: []byte(content)}
		stmts, notes, err := f.Split()
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if len(stmts) != 2 {
			t.Errorf("%s: %d statements", format, len(stmts))
		}
		if len(notes) != want {
			t.Fatalf("%s: %d notes, want %d: %v", format, len(notes), want, notes)
		}
		if want > 0 {
			offset := strings.Count(content[:strings.Index(content, "DELIMITER //")], "\n")
			if n := notes[0]; n.Rule != finding.ClientCommand || n.Line != offset+1 || n.Column != 1 || n.Severity != "error" {
				t.Errorf("%s: note %+v", format, n)
			}
		}
	}
}
