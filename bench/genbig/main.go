// Command genbig writes one large migration for benchmarks, of about -mb megabytes, in the mix
// of a data migration or a dump: a few tables, multi-row INSERTs of many rows (quotes,
// backslashes, non-ASCII text, NULLs, dates), single-row INSERTs, UPDATEs, comments, now and
// then an ALTER TABLE or CREATE INDEX, and a trigger at the end. With -format flyway (the
// default) it is db/migrations/V1__big.sql, the trigger in a DELIMITER block; with -format
// liquibase it is db/migrations/changelog.sql of changesets of a few statements each (about
// 300 a megabyte), the trigger with endDelimiter. client.sql holds the same statements for the mariadb client.
//
//	go run ./bench/genbig -mb 16 -out /tmp/big
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

func main() {
	mb := flag.Int("mb", 16, "size of the migration in megabytes")
	format := flag.String("format", "flyway", "flyway or liquibase")
	out := flag.String("out", "", "output directory (db/migrations/… and client.sql are written there)")
	flag.Parse()
	if *out == "" {
		log.Fatal("genbig: -out is required")
	}
	name := map[string]string{"flyway": "V1__big.sql", "liquibase": "changelog.sql"}[*format]
	if name == "" {
		log.Fatalf("genbig: unknown -format %q", *format)
	}
	dir := filepath.Join(*out, "db", "migrations")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	mig, client := create(filepath.Join(dir, name)), create(filepath.Join(*out, "client.sql"))
	w := &counter{w: mig.w, client: client.w, liquibase: *format == "liquibase"}
	write(w, int64(*mb)<<20)
	mig.close()
	client.close()
}

type file struct {
	f *os.File
	w *bufio.Writer
}

func create(p string) file {
	f, err := os.Create(p)
	if err != nil {
		log.Fatal(err)
	}
	return file{f, bufio.NewWriterSize(f, 1<<20)}
}

func (f file) close() {
	if err := f.w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.f.Close(); err != nil {
		log.Fatal(err)
	}
}

// counter writes SQL to the migration and to the client's file, and counts the bytes.
type counter struct {
	w, client *bufio.Writer
	n         int64
	liquibase bool
	sets      int
}

func (c *counter) printf(format string, args ...any) {
	n, err := fmt.Fprintf(c.w, format, args...)
	if err != nil {
		log.Fatal(err)
	}
	c.n += int64(n)
	if _, err := fmt.Fprintf(c.client, format, args...); err != nil {
		log.Fatal(err)
	}
}

// changeset starts a Liquibase changeset (nothing for Flyway); the attributes follow the id.
func (c *counter) changeset(attrs string) {
	if !c.liquibase {
		return
	}
	if c.sets == 0 {
		c.header("--liquibase formatted sql\n\n")
	}
	c.sets++
	c.header(fmt.Sprintf("--changeset bench:%d%s\n", c.sets, attrs))
}

// header writes a line only the migration has.
func (c *counter) header(s string) {
	n, err := c.w.WriteString(s)
	if err != nil {
		log.Fatal(err)
	}
	c.n += int64(n)
}

// clientOnly writes a line only the client's file has.
func (c *counter) clientOnly(s string) {
	if _, err := c.client.WriteString(s); err != nil {
		log.Fatal(err)
	}
}

var names = []string{"Ana", "Zoë", "O'Brien", "Łukasz", "山田", "Nuñez", "back\\slash", "José", "Ørsted", "D\"Arcy"}

func write(w *counter, size int64) {
	w.changeset("")
	w.printf("-- A data migration: customers, their orders and an event log.\n\n")
	w.printf("CREATE TABLE customers (\n  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n  name VARCHAR(100) NOT NULL,\n" +
		"  email VARCHAR(190) NULL,\n  balance DECIMAL(12,2) NOT NULL DEFAULT 0,\n  born DATE NULL,\n" +
		"  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  PRIMARY KEY (id),\n  KEY idx_customers_email (email)\n" +
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\n")
	w.printf("CREATE TABLE orders (\n  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n  customer_id BIGINT UNSIGNED NOT NULL,\n" +
		"  total DECIMAL(12,2) NOT NULL,\n  status ENUM('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new',\n" +
		"  note TEXT NULL,\n  PRIMARY KEY (id),\n  KEY idx_orders_customer (customer_id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\n")
	w.printf("CREATE TABLE events (\n  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n  kind VARCHAR(32) NOT NULL,\n" +
		"  payload VARCHAR(255) NULL,\n  PRIMARY KEY (id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\n")
	customers, orders, alters := 0, 0, 0
	for batch := 0; w.n < size-4096; batch++ {
		w.changeset("")
		w.printf("-- batch %d\n", batch)
		w.printf("INSERT INTO customers (name, email, balance, born) VALUES\n")
		for r := range 200 {
			customers++
			name := names[customers%len(names)]
			email := fmt.Sprintf("'c%d@example.com'", customers)
			if customers%7 == 0 {
				email = "NULL"
			}
			sep := ",\n"
			if r == 199 {
				sep = ";\n"
			}
			w.printf("  ('%s %d', %s, %d.%02d, '19%02d-%02d-%02d')%s", escape(name), customers, email,
				customers%100000, customers%100, 40+customers%60, 1+customers%12, 1+customers%28, sep)
		}
		w.changeset("")
		w.printf("INSERT INTO orders (customer_id, total, status, note) VALUES\n")
		for r := range 100 {
			orders++
			sep := ",\n"
			if r == 99 {
				sep = ";\n"
			}
			w.printf("  (%d, %d.%02d, '%s', 'order; with a semicolon -- and dashes #%d')%s", 1+orders%customers,
				orders%5000, orders%100, []string{"new", "paid", "shipped", "cancelled"}[orders%4], orders, sep)
		}
		for e := range 20 {
			if e%5 == 0 {
				w.changeset("")
			}
			w.printf("INSERT INTO events (kind, payload) VALUES ('import', 'batch %d event %d');\n", batch, e)
		}
		w.printf("UPDATE customers SET balance = balance + 1 WHERE id BETWEEN %d AND %d;\n\n", customers-199, customers)
		if batch%200 == 199 && alters < 10 {
			alters++
			w.printf("ALTER TABLE orders ADD COLUMN tag%d VARCHAR(20) NULL;\n", alters)
			w.printf("CREATE INDEX idx_orders_tag%d ON orders (tag%d);\n\n", alters, alters)
		}
	}
	w.changeset(" endDelimiter://")
	if w.liquibase {
		w.clientOnly("DELIMITER //\n")
	} else {
		w.printf("DELIMITER //\n")
	}
	w.printf("CREATE TRIGGER orders_paid AFTER UPDATE ON orders FOR EACH ROW\nBEGIN\n" +
		"  IF NEW.status = 'paid' AND OLD.status <> 'paid' THEN\n    INSERT INTO events (kind, payload) VALUES ('paid', CONCAT('order ', NEW.id));\n" +
		"  END IF;\nEND//\n")
	if w.liquibase {
		w.clientOnly("DELIMITER ;\n")
	} else {
		w.printf("DELIMITER ;\n")
	}
}

func escape(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			out = append(out, '\'', '\'')
		case '\\':
			out = append(out, '\\', '\\')
		default:
			out = append(out, s[i])
		}
	}
	return string(out)
}
