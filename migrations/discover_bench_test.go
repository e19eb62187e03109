package migrations

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// BenchmarkDiscoverFormats reads a directory of 1,000 migrations in each of the new formats
// (Liquibase as 100 files of 10 changesets), the part of a check that runs before any server.
func BenchmarkDiscoverFormats(b *testing.B) {
	const n = 1000
	stmt := "CREATE TABLE t%d (id INT PRIMARY KEY, note VARCHAR(100) DEFAULT 'a;b');\n"
	dirs := map[Format]fstest.MapFS{}
	add := func(f Format, p, content string) {
		if dirs[f] == nil {
			dirs[f] = fstest.MapFS{}
		}
		dirs[f]["m/"+p] = &fstest.MapFile{Data: []byte(content)}
	}
	var atlas []*File
	for i := range n {
		sql := fmt.Sprintf(stmt, i)
		add(Prisma, fmt.Sprintf("2024%010d_m/migration.sql", i), sql)
		name := fmt.Sprintf("2024%010d_m.sql", i)
		add(Atlas, name, sql)
		atlas = append(atlas, &File{Path: "m/" + name, Content: []byte(sql)})
		add(Custom, fmt.Sprintf("V%04d.M.up.sql", i), sql)
		add(Temporal, fmt.Sprintf("v1.%d/a.sql", i), sql)
		add(Temporal, fmt.Sprintf("v1.%d/manifest.json", i), fmt.Sprintf(`{"CurrVersion": "1.%d", "MinCompatibleVersion": "1.0", "SchemaUpdateCqlFiles": ["a.sql"]}`, i))
	}
	add(Atlas, atlasSumFile, string(FormatAtlasSum(AtlasSum(atlas))))
	for f := range n / 10 {
		content := "--liquibase formatted sql\n"
		for c := range 10 {
			content += fmt.Sprintf("--changeset a:%d\n"+stmt+"--rollback DROP TABLE t%d;\n", c, f*10+c, f*10+c)
		}
		add(Liquibase, fmt.Sprintf("%04d.sql", f), content)
	}
	// On disk, as a check reads a working tree (fstest.MapFS lists directories in linear time).
	roots := map[Format]fs.FS{}
	for f, m := range dirs {
		root := b.TempDir()
		for p, file := range m {
			if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, p), file.Data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		roots[f] = os.DirFS(root)
	}
	for _, f := range []Format{Prisma, Liquibase, Atlas, Temporal, Custom} {
		layout := Layout{Format: f}
		if f == Custom {
			layout.Pattern = `^V(?P<version>\d+)\.(?P<description>.+)\.up\.sql$`
		}
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				set, err := DiscoverLayout(roots[f], "m", layout)
				if err != nil || len(set.Files) != n || len(set.Notes) != 0 {
					b.Fatalf("%v: %d files, notes %v", err, len(set.Files), set.Notes)
				}
				for _, file := range set.Files {
					if _, err := file.Statements(); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
