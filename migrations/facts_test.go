package migrations

import (
	"reflect"
	"testing"

	"github.com/schema-guard/schema-guard/facts"
)

func TestFacts(t *testing.T) {
	cases := []struct {
		sql  string
		want facts.Statement
	}{
		{"ALTER TABLE users CHANGE surname last_name varchar(50), DROP COLUMN email, RENAME TO people, ALGORITHM=INPLACE",
			facts.Statement{Kind: facts.DDL, TableRenames: [][2]string{{"users", "people"}}, Alter: &facts.Alter{
				Table: "users", ColumnRenames: [][2]string{{"surname", "last_name"}}, DropColumns: []string{"email"},
				Clauses: []string{"CHANGE COLUMN `surname` `last_name` VARCHAR(50)", "DROP COLUMN `email`", "RENAME AS `people`"}}}},
		{"RENAME TABLE a TO tmp, b TO a", facts.Statement{Kind: facts.DDL, TableRenames: [][2]string{{"a", "tmp"}, {"b", "a"}}}},
		{"CREATE UNIQUE INDEX uq ON t (a, b(10))", facts.Statement{Kind: facts.DDL, CreateIndex: &facts.CreateIndex{Table: "t", Name: "uq", Kind: "UNIQUE INDEX", Parts: []string{"`a`", "`b`(10)"}}}},
		{"DROP INDEX i ON t", facts.Statement{Kind: facts.DDL, DropIndex: &facts.DropIndex{Table: "t", Name: "i"}}},
		{"TRUNCATE TABLE sessions", facts.Statement{Kind: facts.DDL, Truncate: "sessions"}},
		{"UPDATE events e JOIN users u ON u.id = e.user_id SET e.x = 1 WHERE e.id BETWEEN 1 AND 5 AND u.name = e.kind",
			facts.Statement{Kind: facts.DML, Rows: &facts.RowChange{Verb: "UPDATE", Tables: []string{"events", "users"}, Compared: []string{"id"}}}},
		{"DELETE e FROM events e JOIN users u ON u.id = e.user_id WHERE u.id IN (1, 2)",
			facts.Statement{Kind: facts.DML, Rows: &facts.RowChange{Verb: "DELETE", Tables: []string{"events"}, Compared: []string{"id"}}}},
		{"DELETE FROM events LIMIT 10", facts.Statement{Kind: facts.DML, Rows: &facts.RowChange{Verb: "DELETE", Tables: []string{"events"}, Limited: true}}},
		{"CALL backfill(1)", facts.Statement{Kind: facts.Other, Call: "backfill"}},
		{"INSERT INTO t VALUES (1)", facts.Statement{Kind: facts.DML}},
	}
	p := NewParser()
	for _, tc := range cases {
		st := []Statement{{File: "f.sql", Line: 2, Column: 1, EndLine: 2, Text: tc.sql}}
		p.Parse(st)
		got := st[0].Facts()
		tc.want.File, tc.want.Line, tc.want.Column, tc.want.EndLine, tc.want.Text, tc.want.Parsed = "f.sql", 2, 1, 2, tc.sql, true
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.sql, *got, tc.want)
		}
	}
	opaque := []Statement{{File: "f.sql", Line: 1, Text: "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.id = 1"}}
	p.Parse(opaque)
	if f := opaque[0].Facts(); f.Parsed || f.ParseError == "" || f.Text != opaque[0].Text {
		t.Errorf("opaque: %+v", f)
	}
}
