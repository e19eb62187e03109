package migrations

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// bigMigration is a migration of about size bytes in the mix of a data migration: multi-row
// INSERTs, single-row INSERTs, UPDATEs, comments and now and then an ALTER TABLE.
func bigMigration(size int) []byte {
	var b strings.Builder
	b.WriteString("CREATE TABLE customers (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100), note TEXT);\n")
	for batch := 0; b.Len() < size; batch++ {
		fmt.Fprintf(&b, "-- batch %d\nINSERT INTO customers (name, note) VALUES\n", batch)
		for r := range 100 {
			sep := ",\n"
			if r == 99 {
				sep = ";\n"
			}
			fmt.Fprintf(&b, "  ('O''Brien %d', 'Zoë; -- not a comment \\' #%d')%s", r, batch, sep)
		}
		for e := range 10 {
			fmt.Fprintf(&b, "INSERT INTO customers (name) VALUES ('e%d');\n", e)
		}
		fmt.Fprintf(&b, "UPDATE customers SET note = 'x' WHERE id = %d;\n", batch)
		if batch%100 == 99 {
			fmt.Fprintf(&b, "ALTER TABLE customers ADD COLUMN c%d INT NULL;\n", batch)
		}
	}
	return []byte(b.String())
}

// bigChangelog is a Liquibase changelog of about size bytes: one changeset per batch.
func bigChangelog(size int) []byte {
	var b strings.Builder
	b.WriteString("--liquibase formatted sql\n--changeset a:0\nCREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(50));\n")
	for i := 1; b.Len() < size; i++ {
		fmt.Fprintf(&b, "--changeset a:%d\nINSERT INTO t VALUES (%d, 'a;b'), (%d, 'c');\n--rollback DELETE FROM t WHERE id = %d;\n", i, 2*i, 2*i+1, 2*i)
	}
	return []byte(b.String())
}

// BenchmarkBigFile discovers, checksums, splits and parses one migration file of 1 and 4 MB in
// several formats: the time per byte must not grow with the size.
func BenchmarkBigFile(b *testing.B) {
	for _, mb := range []int{1, 4} {
		for _, c := range []struct {
			name    string
			path    string
			content []byte
		}{
			{"flyway", "m/V1__big.sql", bigMigration(mb << 20)},
			{"goose", "m/00001_big.sql", append([]byte("-- +goose Up\n"), bigMigration(mb<<20)...)},
			{"liquibase", "m/changelog.sql", bigChangelog(mb << 20)},
		} {
			fsys := fstest.MapFS{c.path: &fstest.MapFile{Data: c.content}}
			b.Run(fmt.Sprintf("%s/%dMB", c.name, mb), func(b *testing.B) {
				b.SetBytes(int64(len(c.content)))
				p := NewParser()
				for b.Loop() {
					set, err := Discover(fsys, "m", Auto)
					if err != nil {
						b.Fatal(err)
					}
					for _, f := range set.Files {
						stmts, _, err := f.Split()
						if err != nil {
							b.Fatal(err)
						}
						p.Parse(stmts)
					}
				}
			})
		}
	}
}
