package runner

import (
	"strings"
	"testing"
)

func TestGuard(t *testing.T) {
	cases := []struct {
		sql            string
		shared         bool
		skip, refuse   bool
		reasonContains string
	}{
		{sql: "CREATE TABLE t (id INT)"},
		{sql: "CREATE TABLE scratch.t (id INT)"},
		{sql: "SELECT SCRATCH.t.id FROM t"},
		{sql: "USE shop", skip: true, reasonContains: "USE shop"},
		{sql: "CREATE DATABASE IF NOT EXISTS shop", skip: true},
		{sql: "DROP DATABASE shop", refuse: true},
		{sql: "ALTER DATABASE shop CHARACTER SET utf8mb4", refuse: true},
		{sql: "ALTER DATABASE CHARACTER SET utf8mb4"},
		{sql: "CREATE TABLE shop.t (id INT)", refuse: true, reasonContains: "shop"},
		{sql: "CREATE TABLE t (id INT REFERENCES other.p (id))", refuse: true, reasonContains: "other"},
		{sql: "INSERT INTO t SELECT x FROM other.s", refuse: true},
		{sql: "UPDATE t SET a = 1 WHERE b IN (SELECT c FROM db2.u)", refuse: true, reasonContains: "db2"},
		{sql: "SELECT other.u.c FROM t", refuse: true},
		{sql: "CREATE USER app IDENTIFIED BY 'x'", shared: true, skip: true},
		{sql: "CREATE USER app IDENTIFIED BY 'x'", shared: false},
		{sql: "GRANT SELECT ON t TO app", shared: true, skip: true},
		{sql: "SET GLOBAL max_connections = 10", shared: true, skip: true},
		{sql: "SET GLOBAL max_connections = 10", shared: false},
		{sql: "SET SESSION sql_mode = ''", shared: true},
		{sql: "SET foreign_key_checks = 0", shared: true},
	}
	for _, c := range cases {
		u := unit(t, "g.sql", c.sql)
		if len(u.Statements) != 1 || u.Statements[0].Node == nil {
			t.Fatalf("%q did not parse into one statement", c.sql)
		}
		v := guard(u.Statements[0].Node, "scratch", c.shared)
		if v.skip != c.skip || v.refuse != c.refuse {
			t.Errorf("guard(%q, shared=%v) = %+v, want skip=%v refuse=%v", c.sql, c.shared, v, c.skip, c.refuse)
		}
		if c.reasonContains != "" && !strings.Contains(v.reason, c.reasonContains) {
			t.Errorf("guard(%q) reason %q lacks %q", c.sql, v.reason, c.reasonContains)
		}
	}
	if v := guard(nil, "scratch", true); v.skip || v.refuse {
		t.Errorf("an opaque statement was judged: %+v", v)
	}
}
