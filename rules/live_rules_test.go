package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// TestLiveRules replays statements on the real server and judges them with the models the
// server gives back, as the checker does: the rules must read MariaDB's own types, defaults and
// checks, not only the hand-built models of the unit tests.
func TestLiveRules(t *testing.T) { testenv.EachServer(t, testLiveRules) }

func testLiveRules(t *testing.T, srv testenv.Server) {
	deployed := []string{
		usersDDL,
		"CREATE TABLE orders (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id int NULL, total decimal(10,2) NOT NULL DEFAULT 0, " +
			"state enum('new','paid','cancelled') NOT NULL DEFAULT 'new', KEY (user_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	}
	cases := []struct {
		sql  string
		want []string // rule:severity, in registry order
	}{
		{"ALTER TABLE users RENAME COLUMN surname TO last_name", []string{"rename-column:error"}},
		{"ALTER TABLE users CHANGE email mail varchar(255)", []string{"rename-column:error"}},
		{"ALTER TABLE users CHANGE email email varchar(300)", nil},
		{"RENAME TABLE orders TO purchases", []string{"rename-table:error"}},
		{"ALTER TABLE orders RENAME TO purchases", []string{"rename-table:error"}},
		{"ALTER TABLE users DROP COLUMN code", []string{"drop-column:error"}},
		{"DROP TABLE orders", []string{"drop-table:error"}},
		{"ALTER TABLE users ADD COLUMN phone varchar(20) NOT NULL", []string{"not-null-without-default:error"}},
		{"ALTER TABLE users ADD COLUMN phone varchar(20) NOT NULL DEFAULT ''", nil},
		{"ALTER TABLE users ADD COLUMN seen timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP", nil},
		{"ALTER TABLE users ADD COLUMN tag varchar(60) AS (concat(surname, '!')) VIRTUAL", nil},
		{"ALTER TABLE users MODIFY email varchar(255) NOT NULL", []string{"tighten-not-null:error"}},
		{"ALTER TABLE users MODIFY email varchar(255) NOT NULL DEFAULT ''", []string{"tighten-not-null:warning"}},
		{"ALTER TABLE users ALTER COLUMN status DROP DEFAULT", []string{"drop-default:error"}},
		{"ALTER TABLE users MODIFY status varchar(30) NOT NULL", []string{"drop-default:error"}},
		{"ALTER TABLE users MODIFY status varchar(30) NOT NULL DEFAULT 'new'", nil},
		{"ALTER TABLE users MODIFY code varchar(20) NOT NULL DEFAULT ''", []string{"narrow-type:error"}},
		{"ALTER TABLE users MODIFY code varchar(300) NOT NULL DEFAULT ''", nil},
		// MODIFY restates the whole column: without DEFAULT '' the default is gone.
		{"ALTER TABLE users MODIFY code text NOT NULL", []string{"drop-default:error"}},
		{"ALTER TABLE users MODIFY code text NOT NULL DEFAULT ''", nil},
		{"ALTER TABLE users MODIFY code tinytext NOT NULL DEFAULT ''", []string{"narrow-type:error"}},
		{"ALTER TABLE users MODIFY price decimal(12,4) NOT NULL DEFAULT 0", nil},
		{"ALTER TABLE users MODIFY price decimal(10,2) NOT NULL DEFAULT 0", []string{"narrow-type:error"}},
		{"ALTER TABLE users MODIFY id bigint NOT NULL AUTO_INCREMENT", nil},
		{"ALTER TABLE users MODIFY id smallint NOT NULL AUTO_INCREMENT", []string{"narrow-type:error"}},
		// email and code are indexed: their lookups and uniqueness follow the new collation.
		{"ALTER TABLE users MODIFY email varchar(255) CHARACTER SET latin1", []string{"narrow-type:error", "collation-change:warning"}},
		{"ALTER TABLE users CONVERT TO CHARACTER SET latin1", []string{"narrow-type:error", "narrow-type:error", "narrow-type:error", "narrow-type:error",
			"collation-change:warning", "collation-change:warning", "collation-change:warning"}},
		{"ALTER TABLE users MODIFY email varchar(255) COLLATE utf8mb4_bin", []string{"collation-change:warning"}},
		{"ALTER TABLE users MODIFY surname varchar(50) COLLATE utf8mb4_bin NOT NULL", []string{"collation-change:warning"}},
		{"ALTER TABLE users MODIFY code varchar(255) COLLATE utf8mb4_bin NOT NULL DEFAULT ''", nil}, // not indexed
		{"ALTER TABLE orders MODIFY state enum('new','paid') NOT NULL DEFAULT 'new'", []string{"enum-change:error"}},
		{"ALTER TABLE orders MODIFY state enum('new','paid','cancelled','shipped') NOT NULL DEFAULT 'new'", nil},
		{"ALTER TABLE orders MODIFY state varchar(20) NOT NULL DEFAULT 'new'", nil},
		{"ALTER TABLE orders MODIFY state varchar(5) NOT NULL DEFAULT 'new'", []string{"narrow-type:error"}},
		{"ALTER TABLE users ADD UNIQUE KEY uq_code (code)", []string{"add-unique:warning"}},
		{"CREATE UNIQUE INDEX uq_code ON users (code)", []string{"add-unique:warning"}},
		{"ALTER TABLE users ADD UNIQUE KEY uq_id_code (id, code)", nil},
		{"ALTER TABLE users ADD COLUMN ref int, ADD UNIQUE (ref)", nil},
		{"ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id)", []string{"add-foreign-key:warning"}},
		{"ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0)", []string{"add-check:warning"}},
		{"ALTER TABLE users ADD COLUMN data json", nil},
		// MariaDB's JSON is LONGTEXT COLLATE utf8mb4_bin with a CHECK.
		{"ALTER TABLE users MODIFY email json", []string{"collation-change:warning", "add-check:warning"}},
		{"ALTER TABLE orders ENGINE=MyISAM", []string{"engine-change:error"}},
		{"ALTER TABLE orders ENGINE=InnoDB", nil},
		{"ALTER TABLE orders DROP PRIMARY KEY, MODIFY id int NOT NULL", []string{"drop-primary-key:error"}},
		{"ALTER TABLE orders DROP PRIMARY KEY, MODIFY id int NOT NULL, ADD PRIMARY KEY (id, total)", nil},
		{"TRUNCATE TABLE orders", []string{"truncate-table:error"}},
		{"ALTER TABLE orders ADD COLUMN buyer_id int NULL, ADD CONSTRAINT fk_buyer FOREIGN KEY (buyer_id) REFERENCES users (id)", []string{"add-foreign-key:warning"}},
		{"ALTER TABLE orders ADD COLUMN buyer_id int NULL, ADD CONSTRAINT fk_buyer FOREIGN KEY (buyer_id) REFERENCES users (id) ON DELETE SET NULL", nil},
		{"CREATE TABLE events (name varchar(50) NOT NULL, at datetime NOT NULL)", []string{"missing-primary-key:warning"}},
		{"CREATE TABLE events (id int PRIMARY KEY, name varchar(50))", nil},
		{"INSERT INTO users (surname) VALUES ('x')", nil},
	}
	// The cases in MySQL's terms, where they differ: MySQL takes a TEXT default only as an
	// expression, and its JSON is a type of its own, which no index may hold (email is in
	// uq_status_email) and which narrows a string column, where MariaDB's JSON is LONGTEXT with a
	// json_valid() check.
	onMySQL := map[string]struct {
		sql  string
		want []string
	}{
		"ALTER TABLE users MODIFY code text NOT NULL DEFAULT ''":     {"ALTER TABLE users MODIFY code text NOT NULL DEFAULT ('')", nil},
		"ALTER TABLE users MODIFY code tinytext NOT NULL DEFAULT ''": {"ALTER TABLE users MODIFY code tinytext NOT NULL DEFAULT ('')", []string{"narrow-type:error"}},
		"ALTER TABLE users MODIFY email json":                        {"ALTER TABLE users MODIFY code json", []string{"narrow-type:error"}},
	}
	reg, err := NewRegistry(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		if v, ok := onMySQL[tc.sql]; ok && srv.MySQL() {
			tc.sql, tc.want = v.sql, v.want
		}
		t.Run(tc.sql, func(t *testing.T) {
			l := newLiveDB(t)
			l.exec(deployed...)
			dep := l.model()
			st := parseOne(t, tc.sql)
			tables := touched(parseNode(t, tc.sql))
			before, err := introspect.IntrospectTables(l.ctx, l.db, l.name, dep.Flavor, tables)
			if err != nil {
				t.Fatal(err)
			}
			l.exec(tc.sql)
			after, err := introspect.IntrospectTables(l.ctx, l.db, l.name, dep.Flavor, tables)
			if err != nil {
				t.Fatal(err)
			}
			fs := reg.CheckStatement(&Context{Statement: st, Before: before, After: after, Deployed: dep, Deprecated: NewDeprecated(nil)})
			var got []string
			for _, f := range fs {
				got = append(got, string(f.Rule)+":"+string(f.Severity))
				if f.Fix == "" {
					t.Errorf("%s: no fix", f.Rule)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v\n%s", got, tc.want, dump(fs))
			}
		})
	}
}

// parseNode parses one statement for its AST.
func parseNode(t testing.TB, sql string) ast.StmtNode {
	t.Helper()
	f := &migrations.File{Path: "db/V2__change.sql", Format: migrations.Plain, Content: []byte(sql)}
	stmts, err := f.Statements()
	if err != nil || len(stmts) != 1 {
		t.Fatalf("split %q: %d statements, %v", sql, len(stmts), err)
	}
	migrations.NewParser().Parse(stmts)
	return stmts[0].Node
}

// touched lists the tables a statement reads or changes, as the checker introspects them.
func touched(n ast.StmtNode) []string {
	var out []string
	add := func(tn *ast.TableName) {
		if tn == nil {
			return
		}
		if name := tn.Name.O; name != "" && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	switch n := n.(type) {
	case *ast.AlterTableStmt:
		add(n.Table)
		for _, s := range n.Specs {
			if s.Tp == ast.AlterTableRenameTable {
				add(s.NewTable)
			}
		}
	case *ast.CreateTableStmt:
		add(n.Table)
	case *ast.CreateIndexStmt:
		add(n.Table)
	case *ast.DropTableStmt:
		for _, tn := range n.Tables {
			add(tn)
		}
	case *ast.RenameTableStmt:
		for _, tt := range n.TableToTables {
			add(tt.OldTable)
			add(tt.NewTable)
		}
	case *ast.InsertStmt:
		out = append(out, "users")
	}
	return out
}

// TestLiveBackfillMisfits checks the narrowing plan's expand phase on a row that does not fit:
// the backfill skips it instead of failing, and the switch phase's check counts it. Without the
// guard (a copy whose new type is narrower but has no Misfit), the backfill fails and clears its
// flag, so the session's later writes are synced again.
func TestLiveBackfillMisfits(t *testing.T) { testenv.EachServer(t, testLiveBackfillMisfits) }

func testLiveBackfillMisfits(t *testing.T, _ testenv.Server) {
	l := newLiveDB(t)
	l.seedUsers(5)
	l.exec("UPDATE users SET code = REPEAT('x', 30) WHERE id = 3")
	s := l.model()
	users := s.Table("users")
	narrow := *users.Column("code")
	narrow.Type = "varchar(20)"
	plan := PlanNarrowColumn(s, users, users.Column("code"), &narrow, "")
	if got := l.int(plan.Phases[0].SQL[0]); got != 1 {
		t.Errorf("check counts %d misfits, want 1", got)
	}
	l.exec(plan.Phases[1].SQL...)
	v2 := schema.QuoteIdent(fitName("code", "v2"))
	if got := l.int("SELECT COUNT(*) FROM users WHERE " + v2 + " IS NULL AND code IS NOT NULL"); got != 1 {
		t.Errorf("%d rows left uncopied, want the 1 that does not fit", got)
	}
	if !strings.Contains(plan.Text(migrations.Script), "WHERE "+v2+" IS NULL AND `code` IS NOT NULL") {
		t.Errorf("the switch phase does not check for uncopied rows:\n%s", plan.Text(migrations.Script))
	}

	// The same copy without the guard: the backfill fails on that row and clears its flag.
	l2 := newLiveDB(t)
	l2.seedUsers(5)
	l2.exec("UPDATE users SET code = REPEAT('x', 30) WHERE id = 3")
	s2 := l2.model()
	users2 := s2.Table("users")
	target := narrow
	target.Name = "code_v2"
	cc := ColumnCopy{Schema: s2, Table: users2, From: users2.Column("code"), To: &target}
	var failed bool
	for _, st := range cc.Expand().SQL {
		if err := l2.execErr(st); err != nil {
			if !strings.HasPrefix(st, "CALL") {
				t.Fatalf("%s: %v", st, err)
			}
			failed = true
			break
		}
	}
	if !failed {
		t.Fatal("an unguarded backfill of a value that does not fit succeeded")
	}
	if got := l2.str("SELECT " + BackfillFlag); got != "NULL" {
		t.Errorf("flag left at %s after a failed backfill", got)
	}
}
