// Command gen writes a Flyway migration directory for benchmarks: N migrations that create
// tables, add columns and indexes, add foreign keys, insert rows and create views, in the mix a
// long-lived application accumulates. It also writes all.sql, the same statements in replay
// order, for piping through the mariadb client.
//
//	go run ./bench/gen -n 500 -out /tmp/bench
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	n := flag.Int("n", 500, "number of migrations")
	out := flag.String("out", "", "output directory (db/migrations and all.sql are written there)")
	flag.Parse()
	if *out == "" {
		log.Fatal("gen: -out is required")
	}
	dir := filepath.Join(*out, "db", "migrations")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	var all strings.Builder
	tables := 0
	for i := 1; i <= *n; i++ {
		var stmts []string
		switch {
		case tables < 5 || i%5 == 0:
			tables++
			t := fmt.Sprintf("t%03d", tables)
			stmts = append(stmts, fmt.Sprintf("CREATE TABLE %s (\n  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n"+
				"  name VARCHAR(100) NOT NULL,\n  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"+
				"  PRIMARY KEY (id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", t))
		case i%5 == 1:
			t := fmt.Sprintf("t%03d", 1+i%tables)
			stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s ADD COLUMN c%d INT NULL", t, i),
				fmt.Sprintf("CREATE INDEX idx_%s_c%d ON %s (c%d)", t, i, t, i))
		case i%5 == 2:
			t := fmt.Sprintf("t%03d", 1+i%tables)
			stmts = append(stmts, fmt.Sprintf("INSERT INTO %s (name) VALUES ('a'), ('b'), ('c')", t),
				fmt.Sprintf("UPDATE %s SET name = CONCAT(name, '-%d') WHERE id > 0", t, i))
		case i%5 == 3:
			child, parent := fmt.Sprintf("t%03d", 1+i%tables), fmt.Sprintf("t%03d", 1+(i+1)%tables)
			stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s ADD COLUMN ref%d BIGINT UNSIGNED NULL, "+
				"ADD CONSTRAINT fk_%s_%d FOREIGN KEY (ref%d) REFERENCES %s (id)", child, i, child, i, i, parent))
		default:
			t := fmt.Sprintf("t%03d", 1+i%tables)
			stmts = append(stmts, fmt.Sprintf("CREATE OR REPLACE VIEW v%d AS SELECT id, name FROM %s WHERE id > %d", i, t, i))
		}
		body := strings.Join(stmts, ";\n\n") + ";\n"
		name := fmt.Sprintf("V%d__step_%d.sql", i, i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			log.Fatal(err)
		}
		all.WriteString(body)
	}
	if err := os.WriteFile(filepath.Join(*out, "all.sql"), []byte(all.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}
