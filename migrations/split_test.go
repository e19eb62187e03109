package migrations

import (
	"strings"
	"testing"
)

// st is the part of a Statement the splitter tests compare.
type st struct {
	Line, Column, EndLine int
	Text                  string
}

func split(t *testing.T, format Format, src string) ([]st, error) {
	t.Helper()
	f := &File{Path: "db/m.sql", Format: format, Content: []byte(src)}
	stmts, err := f.Statements()
	if err != nil {
		return nil, err
	}
	var got []st
	for _, s := range stmts {
		if s.File != f.Path {
			t.Errorf("statement at %d:%d has File %q, want %q", s.Line, s.Column, s.File, f.Path)
		}
		got = append(got, st{s.Line, s.Column, s.EndLine, s.Text})
	}
	return got, nil
}

type splitCase struct {
	name string
	src  string
	want []st
	err  string // the whole error message when splitting must fail
}

func runSplitCases(t *testing.T, format Format, cases []splitCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := split(t, format, tc.src)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error spans several lines: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d statements, want %d:\n got %+v\nwant %+v", len(got), len(tc.want), got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("statement %d:\n got %+v\nwant %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestSplit(t *testing.T) {
	runSplitCases(t, Flyway, []splitCase{
		{name: "empty", src: ""},
		{name: "only comments and blanks", src: "-- a\n# b\n/* c */\n\n  ;\n;;\n"},
		{name: "two statements", src: "CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\n", want: []st{
			{1, 1, 1, "CREATE TABLE a (id INT)"},
			{2, 1, 2, "CREATE TABLE b (id INT)"},
		}},
		{name: "indented and several per line", src: "  SELECT 1;  SELECT 2 ;\n\tSELECT 3;", want: []st{
			{1, 3, 1, "SELECT 1"},
			{1, 14, 1, "SELECT 2"},
			{2, 2, 2, "SELECT 3"},
		}},
		{name: "final statement without terminator", src: "SELECT 1;\nSELECT\n  2\n\n", want: []st{
			{1, 1, 1, "SELECT 1"},
			{2, 1, 3, "SELECT\n  2"},
		}},
		{name: "comments before a statement are dropped", src: "-- intro\n# hash\n/* block\n ; */ SELECT 1;", want: []st{
			{4, 7, 4, "SELECT 1"},
		}},
		{name: "comments inside a statement stay", src: "SELECT 1 -- one ; not a delimiter\n, 2 # two ;\n, /* ; */ 3;", want: []st{
			{1, 1, 3, "SELECT 1 -- one ; not a delimiter\n, 2 # two ;\n, /* ; */ 3"},
		}},
		{name: "trailing comment before the delimiter is trimmed", src: "SELECT 1 -- done\n;\n", want: []st{
			{1, 1, 1, "SELECT 1"},
		}},
		{name: "dash dash without a space is not a comment", src: "SELECT 1--1;\nSELECT 2 --x;\n", want: []st{
			{1, 1, 1, "SELECT 1--1"},
			{2, 1, 2, "SELECT 2 --x"},
		}},
		{name: "dash dash before a tab or at the end of a line is a comment", src: "SELECT 1 --\t;\n;SELECT 2 --\n;", want: []st{
			{1, 1, 1, "SELECT 1"},
			{2, 2, 2, "SELECT 2"},
		}},
		{name: "quotes with escapes", src: `INSERT INTO t VALUES ('it''s; ok', 'a\'; b', "say ""hi"";", "back\\");` + "\nSELECT 1;", want: []st{
			{1, 1, 1, `INSERT INTO t VALUES ('it''s; ok', 'a\'; b', "say ""hi"";", "back\\")`},
			{2, 1, 2, "SELECT 1"},
		}},
		{name: "backticks double but do not escape", src: "CREATE TABLE `a``;b` (`c\\` INT);SELECT 1;", want: []st{
			{1, 1, 1, "CREATE TABLE `a``;b` (`c\\` INT)"},
			{1, 33, 1, "SELECT 1"},
		}},
		{name: "comment markers inside strings", src: "SELECT '-- x', \"# y\", '/* z';\nSELECT 2;", want: []st{
			{1, 1, 1, `SELECT '-- x', "# y", '/* z'`},
			{2, 1, 2, "SELECT 2"},
		}},
		{name: "multi-line string", src: "INSERT INTO t VALUES ('a\nb;\nc');\nSELECT 1;", want: []st{
			{1, 1, 3, "INSERT INTO t VALUES ('a\nb;\nc')"},
			{4, 1, 4, "SELECT 1"},
		}},
		{name: "executable comments are statement text", src: "/*!40101 SET @x = 1; SET @y = 2 */;\n/*M!100101 SET @z = 3; */;\nSELECT /*+ MAX_EXECUTION_TIME(1); */ 1;", want: []st{
			{1, 1, 1, "/*!40101 SET @x = 1; SET @y = 2 */"},
			{2, 1, 2, "/*M!100101 SET @z = 3; */"},
			{3, 1, 3, "SELECT /*+ MAX_EXECUTION_TIME(1); */ 1"},
		}},
		{name: "string holding the end of an executable comment", src: "/*!50003 SET @a = '*/;' */;SELECT 1;", want: []st{
			{1, 1, 1, "/*!50003 SET @a = '*/;' */"},
			{1, 28, 1, "SELECT 1"},
		}},
		{name: "non-ASCII columns count characters", src: "-- é\nSELECT 'é'; SELECT 'ß';\n", want: []st{
			{2, 1, 2, "SELECT 'é'"},
			{2, 13, 2, "SELECT 'ß'"},
		}},
		{name: "CRLF line endings", src: "CREATE TABLE a (\r\n  id INT\r\n);\r\n-- c\r\nSELECT 1 ;\r\nSELECT 2\r\n", want: []st{
			{1, 1, 3, "CREATE TABLE a (\r\n  id INT\r\n)"},
			{5, 1, 5, "SELECT 1"},
			{6, 1, 6, "SELECT 2"},
		}},
		{name: "BOM", src: "\ufeffSELECT 1;\nSELECT 2;", want: []st{
			{1, 1, 1, "SELECT 1"},
			{2, 1, 2, "SELECT 2"},
		}},
		{name: "BOM then comment", src: "\ufeff-- c\n  SELECT 1;", want: []st{
			{2, 3, 2, "SELECT 1"},
		}},
		{name: "empty statements", src: ";;SELECT 1;;\n;", want: []st{
			{1, 3, 1, "SELECT 1"},
		}},
		{name: "the word delimiter in a statement is not a command", src: "SELECT 1 AS\ndelimiter;\nDELIMITERS;", want: []st{
			{1, 1, 2, "SELECT 1 AS\ndelimiter"},
			{3, 1, 3, "DELIMITERS"},
		}},
	})
}

const triggerDollar = `CREATE TABLE posts (id INT, n INT);

DELIMITER $$
CREATE TRIGGER comments_ai AFTER INSERT ON comments
FOR EACH ROW
BEGIN
  UPDATE posts SET n = n + 1 WHERE id = NEW.post_id;
END$$
DELIMITER ;

SELECT 1;
`

const procedureSlash = `delimiter //
  -- the procedure
  CREATE PROCEDURE p(IN x INT)
  BEGIN
    SELECT x; SELECT 'a//b';
  END //
  CREATE FUNCTION f() RETURNS INT RETURN 1 //
Delimiter ;
SELECT 2
`

// mysqldump writes triggers this way: DELIMITER ;; and the body in versioned comments.
const mysqldumpTrigger = `/*!50003 SET @saved_sql_mode = @@sql_mode */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=` + "`root`@`%`" + `*/ /*!50003 TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW BEGIN
  SET @n = @n + 1;
END */;;
DELIMITER ;
/*!50003 SET sql_mode = @saved_sql_mode */ ;
`

func TestSplitDelimiter(t *testing.T) {
	runSplitCases(t, Plain, []splitCase{
		{name: "trigger with $$", src: triggerDollar, want: []st{
			{1, 1, 1, "CREATE TABLE posts (id INT, n INT)"},
			{4, 1, 8, "CREATE TRIGGER comments_ai AFTER INSERT ON comments\nFOR EACH ROW\nBEGIN\n  UPDATE posts SET n = n + 1 WHERE id = NEW.post_id;\nEND"},
			{11, 1, 11, "SELECT 1"},
		}},
		{name: "procedure and function with //", src: procedureSlash, want: []st{
			{3, 3, 6, "CREATE PROCEDURE p(IN x INT)\n  BEGIN\n    SELECT x; SELECT 'a//b';\n  END"},
			{7, 3, 7, "CREATE FUNCTION f() RETURNS INT RETURN 1"},
			{9, 1, 9, "SELECT 2"},
		}},
		{name: "mysqldump ;;", src: mysqldumpTrigger, want: []st{
			{1, 1, 1, "/*!50003 SET @saved_sql_mode = @@sql_mode */"},
			{3, 1, 5, "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW BEGIN\n  SET @n = @n + 1;\nEND */"},
			{7, 1, 7, "/*!50003 SET sql_mode = @saved_sql_mode */"},
		}},
		{name: "delimiter with trailing text and CRLF", src: "DELIMITER $$ ignored\r\nSELECT 1; SELECT 2$$\r\nDELIMITER ;\r\nSELECT 3;\r\n", want: []st{
			{2, 1, 2, "SELECT 1; SELECT 2"},
			{4, 1, 4, "SELECT 3"},
		}},
		{name: "DELIMITER while a statement is pending is statement text", src: "SELECT 1\nDELIMITER ;\n", want: []st{
			{1, 1, 2, "SELECT 1\nDELIMITER"},
		}},
		{name: "DELIMITER after a comment line", src: "-- routines\nDELIMITER //\nSELECT 1//\n", want: []st{
			{3, 1, 3, "SELECT 1"},
		}},
		{name: "final statement ends at EOF once the delimiter is back to ;", src: "DELIMITER //\nSELECT 1//\nDELIMITER ;\nSELECT 2", want: []st{
			{2, 1, 2, "SELECT 1"},
			{4, 1, 4, "SELECT 2"},
		}},
		{name: "only whitespace after the last delimiter", src: "DELIMITER //\nSELECT 1//\n  -- end\n", want: []st{
			{2, 1, 2, "SELECT 1"},
		}},
	})
}

func TestSplitErrors(t *testing.T) {
	runSplitCases(t, Flyway, []splitCase{
		{name: "unterminated single quote", src: "SELECT 1;\n  SELECT 'abc;\n", err: "db/m.sql:2:10: unterminated string literal"},
		{name: "unterminated double quote", src: `SELECT "a\";`, err: "db/m.sql:1:8: unterminated string literal"},
		{name: "unterminated backtick", src: "SELECT 1;\nCREATE TABLE `t (id INT);", err: "db/m.sql:2:14: unterminated quoted identifier"},
		{name: "unterminated comment", src: "SELECT 1;\n/* never\nends;", err: "db/m.sql:2:1: unterminated comment"},
		{name: "unterminated executable comment", src: "SELECT 1 /*! AND 1;", err: "db/m.sql:1:10: unterminated comment"},
		{name: "unterminated DELIMITER block", src: "SELECT 1;\n\nDELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END\nDELIMITER ;\n",
			err: `db/m.sql:4:1: statement never ends with "//" (DELIMITER set at line 3)`},
		{name: "DELIMITER without argument", src: "SELECT 1;\n  DELIMITER\nSELECT 2;", err: "db/m.sql:2:3: DELIMITER must be followed by the new delimiter"},
		{name: "invalid UTF-8", src: "SELECT 1;\nSELECT 'é\xff';", err: "db/m.sql:2: not valid UTF-8 (byte 0xff at column 10)"},
		{name: "latin1 after BOM", src: "\ufeffSELECT '\xe9';", err: "db/m.sql:1: not valid UTF-8 (byte 0xe9 at column 9)"},
		{name: "error position after CRLF and non-ASCII", src: "-- ünïcode\r\nSELECT 'x', `y\r\n", err: "db/m.sql:2:13: unterminated quoted identifier"},
	})
}
