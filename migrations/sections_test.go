package migrations

import "testing"

const gooseTrigger = `-- +goose Up
-- +goose NO TRANSACTION
CREATE TABLE t (id INT);
-- +goose StatementBegin
CREATE TRIGGER t_ai AFTER INSERT ON t
FOR EACH ROW
BEGIN
  SET @n = @n + 1;
END;
-- +goose StatementEnd
  -- +goose envsub on
INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);

-- +goose Down
DROP TABLE users;
`

func TestSplitGoose(t *testing.T) {
	runSplitCases(t, Goose, []splitCase{
		{name: "up section, block kept whole", src: gooseTrigger, want: []st{
			{3, 1, 3, "CREATE TABLE t (id INT)"},
			{5, 1, 9, "CREATE TRIGGER t_ai AFTER INSERT ON t\nFOR EACH ROW\nBEGIN\n  SET @n = @n + 1;\nEND"},
			{12, 1, 12, "INSERT INTO t VALUES (1)"},
			{12, 27, 12, "INSERT INTO t VALUES (2)"},
		}},
		{name: "annotations are case-insensitive and may be indented", src: "SELECT 0;\n  -- +goose up\r\nSELECT 1;\r\n\t-- +goose statementbegin\r\n-- why\r\nSELECT 2; -- end\r\n-- +goose STATEMENTEND\r\n-- +goose DOWN\r\nSELECT 3;\r\n", want: []st{
			{3, 1, 3, "SELECT 1"},
			{6, 1, 6, "SELECT 2"},
		}},
		{name: "no down section", src: "-- +goose Up\nSELECT 1", want: []st{
			{2, 1, 2, "SELECT 1"},
		}},
		{name: "block holding only a semicolon and comments", src: "-- +goose Up\n-- +goose StatementBegin\n-- nothing\n;\n-- +goose StatementEnd\n"},
		{name: "block strips one semicolon only", src: "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;;\n-- +goose StatementEnd\n", want: []st{
			{3, 1, 3, "SELECT 1;"},
		}},
		{name: "statement before a block ends at the block", src: "-- +goose Up\nSELECT 1\n-- +goose StatementBegin\nSELECT 2\n-- +goose StatementEnd\n", want: []st{
			{2, 1, 2, "SELECT 1"},
			{4, 1, 4, "SELECT 2"},
		}},
		{name: "down before up is skipped", src: "-- +goose Down\nDROP TABLE t;\n-- +goose Up\nCREATE TABLE t (id INT);\n", want: []st{
			{4, 1, 4, "CREATE TABLE t (id INT)"},
		}},
		{name: "plus goose needs a space", src: "-- +gooseUp\nSELECT 1;\n", err: `db/m.sql:1: no "-- +goose Up" annotation: goose refuses to run this migration`},
		{name: "no up annotation", src: "CREATE TABLE t (id INT);\n", err: `db/m.sql:1: no "-- +goose Up" annotation: goose refuses to run this migration`},
		{name: "begin without end", src: "-- +goose Up\nSELECT 1;\n  -- +goose StatementBegin\nCREATE TRIGGER x\n-- +goose Down\n", err: "db/m.sql:3:3: -- +goose StatementBegin without StatementEnd"},
		{name: "end without begin", src: "-- +goose Up\nSELECT 1;\n-- +goose StatementEnd\n", err: "db/m.sql:3:1: -- +goose StatementEnd without StatementBegin"},
		{name: "unterminated string in a block", src: "-- +goose Up\n-- +goose StatementBegin\nSELECT 'a\n-- +goose StatementEnd\n", err: "db/m.sql:3:8: unterminated string literal"},
		{name: "down section is not checked", src: "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 'unterminated\n", want: []st{
			{2, 1, 2, "SELECT 1"},
		}},
	})
}

const dbmateMigration = `-- migrate:up transaction:false
CREATE TABLE t (id INT);
DELIMITER //
CREATE PROCEDURE p() BEGIN SELECT 1; END //
DELIMITER ;
-- migrate:down
DROP TABLE users;
`

func TestSplitDbmate(t *testing.T) {
	runSplitCases(t, Dbmate, []splitCase{
		{name: "up section with options", src: dbmateMigration, want: []st{
			{2, 1, 2, "CREATE TABLE t (id INT)"},
			{4, 1, 4, "CREATE PROCEDURE p() BEGIN SELECT 1; END"},
		}},
		{name: "text before up is not run", src: "-- header\nSELECT 0;\n--migrate:up\r\n  SELECT 1\r\n--  migrate:down\r\nSELECT 2;\r\n", want: []st{
			{4, 3, 4, "SELECT 1"},
		}},
		{name: "marker must be a whole word", src: "-- migrate:upgrade\nSELECT 1;\n", err: `db/m.sql:1: no "-- migrate:up" section: dbmate refuses to run this migration`},
		{name: "down marker inside the up section's statement ends it", src: "-- migrate:up\nSELECT 'a\n-- migrate:down\n';\n", err: "db/m.sql:2:8: unterminated string literal"},
		{name: "unterminated delimiter block ends at down", src: "-- migrate:up\nDELIMITER $$\nSELECT 1\n-- migrate:down\nSELECT 2$$\n",
			err: `db/m.sql:3:1: statement never ends with "$$" (DELIMITER set at line 2)`},
	})
}
