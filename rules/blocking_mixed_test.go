package rules

import (
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func TestBlockingDDL(t *testing.T) {
	copyShared := &schema.Online{Algorithm: "COPY", Lock: "SHARED", Refusal: "ALGORITHM=INPLACE is not supported. Reason: Cannot change column type INPLACE. Try ALGORITHM=COPY"}
	cases := []struct {
		name, sql string
		online    *schema.Online
		rows      map[string]TableConfig
		deployed  bool
		want      []finding.Severity
		contains  []string
	}{
		{
			name: "copy on a big table", sql: "ALTER TABLE users MODIFY email varchar(300) NOT NULL, ALGORITHM=COPY",
			online: copyShared, rows: map[string]TableConfig{"users": {Rows: 5_000_000}}, deployed: true,
			want: oneError,
			contains: []string{"ALGORITHM=COPY, LOCK=SHARED", "5000000 rows", "Cannot change column type INPLACE",
				`gh-ost --database=<database> --table=users --alter="MODIFY COLUMN ` + "`email`" + ` VARCHAR(300) NOT NULL"`, "pt-online-schema-change --alter"},
		},
		{
			name: "exactly a million rows", sql: "ALTER TABLE users MODIFY email varchar(300)",
			online: copyShared, rows: map[string]TableConfig{"Users": {Rows: 1_000_000}}, deployed: true, want: oneError,
		},
		{
			name: "small table", sql: "ALTER TABLE users MODIFY email varchar(300)",
			online: copyShared, rows: map[string]TableConfig{"users": {Rows: 999_999}}, deployed: true, want: oneNotice,
		},
		{
			name: "row count unknown", sql: "ALTER TABLE users MODIFY email varchar(300)",
			online: copyShared, deployed: true, want: oneNotice, contains: []string{"not configured"},
		},
		{
			name: "inplace without lock", sql: "ALTER TABLE users ADD INDEX ix (email)",
			online: &schema.Online{Algorithm: "INPLACE", Lock: "NONE"}, rows: map[string]TableConfig{"users": {Rows: 5_000_000}}, deployed: true,
		},
		{
			name: "instant", sql: "ALTER TABLE users ADD COLUMN x int",
			online: &schema.Online{Algorithm: "INSTANT"}, rows: map[string]TableConfig{"users": {Rows: 5_000_000}}, deployed: true,
		},
		{
			name: "inplace with a shared lock", sql: "CREATE FULLTEXT INDEX ft ON users (email)",
			online: &schema.Online{Algorithm: "INPLACE", Lock: "SHARED"}, rows: map[string]TableConfig{"users": {Rows: 2_000_000}}, deployed: true,
			want: oneError, contains: []string{"ADD FULLTEXT INDEX `ft` (`email`)"},
		},
		{
			name: "drop index", sql: "DROP INDEX ix ON users",
			online: copyShared, deployed: true, want: oneNotice, contains: []string{"DROP INDEX `ix`"},
		},
		{
			name: "not measured", sql: "ALTER TABLE users MODIFY email varchar(300)",
			rows: map[string]TableConfig{"users": {Rows: 5_000_000}}, deployed: true,
		},
		{
			name: "table created in the same change", sql: "ALTER TABLE users MODIFY email varchar(300)",
			online: copyShared, rows: map[string]TableConfig{"users": {Rows: 5_000_000}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := &Context{Statement: parseOne(t, tc.sql), Online: tc.online, Tables: tc.rows}
			if tc.deployed {
				ctx.Deployed = sch(users())
			}
			got := checkBlockingDDL(ctx)
			var sev []finding.Severity
			for _, f := range got {
				sev = append(sev, f.Severity)
			}
			if !equalSev(sev, tc.want) {
				t.Fatalf("severities %v, want %v\n%s", sev, tc.want, dump(got))
			}
			for _, s := range tc.contains {
				if text := got[0].Message + "\n" + got[0].Fix; !strings.Contains(text, s) {
					t.Errorf("lacks %q:\n%s", s, text)
				}
			}
		})
	}
}

func TestMixedDDLDML(t *testing.T) {
	cases := []struct {
		name, sql string
		wantLine  int // 0: no finding
		wantKind  string
	}{
		{"ddl only", "CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b int;", 0, ""},
		{"dml only", "INSERT INTO a VALUES (1);\nUPDATE a SET id = 2;", 0, ""},
		{"seed after create", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nINSERT INTO a VALUES (1);", 3, "data change"},
		{"schema change slipped into a data migration", "UPDATE a SET x = 1;\nDELETE FROM a WHERE x = 2;\nALTER TABLE a ADD COLUMN y int;\nINSERT INTO a VALUES (3);", 3, "schema change"},
		{"minority first, majority after", "INSERT INTO a VALUES (1);\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);", 2, "schema change"},
		{"tie: the data change", "ALTER TABLE a ADD COLUMN y int;\nREPLACE INTO a VALUES (1);", 2, "data change"},
		{"other statements do not count", "SET NAMES utf8mb4;\nSELECT 1;\nCREATE TABLE a (id int);", 0, ""},
		{"opaque statements do not count", "CREATE TABLE a (id int);\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW SET NEW.id = 1;", 0, ""},
		{"truncate is DDL", "TRUNCATE TABLE a;\nINSERT INTO a VALUES (1);", 2, "data change"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stmts := parseSQL(t, tc.sql)
			got := checkMixedDDLDML(&FileContext{Path: "db/V2__change.sql", Statements: stmts, Deployed: &schema.Schema{}})
			if tc.wantLine == 0 {
				if len(got) != 0 {
					t.Fatalf("unexpected %s", dump(got))
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d findings", len(got))
			}
			f0 := got[0]
			if f0.Line != tc.wantLine || f0.File != "db/V2__change.sql" || f0.Column != 1 || f0.Severity != finding.Warning || f0.Rule != finding.MixedDDLDML {
				t.Errorf("finding at %s line %d col %d (%s %s), want line %d", f0.File, f0.Line, f0.Column, f0.Severity, f0.Rule, tc.wantLine)
			}
			if !strings.Contains(f0.Message, "this "+tc.wantKind) {
				t.Errorf("message %q lacks %q", f0.Message, tc.wantKind)
			}
		})
	}
	if checkMixedDDLDML(nil) != nil || checkMixedDDLDML(&FileContext{}) != nil {
		t.Error("empty contexts")
	}
}
