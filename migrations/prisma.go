package migrations

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// Prisma Migrate keeps one folder per migration, named <timestamp>_<name>, holding migration.sql,
// and a migration_lock.toml naming the database provider next to them. `prisma migrate deploy`
// applies the folders in name order and sends each script to the server as a whole.
const (
	prismaLockFile = "migration_lock.toml"
	prismaScript   = "migration.sql"
)

// prismaFolders returns the migration scripts among the .sql files: <folder>/migration.sql one
// level below the directory.
func (d *dirReader) prismaFolders(all []string) []string {
	var out []string
	for _, p := range all {
		rel := d.rel(p)
		if dir, base := path.Split(rel); base == prismaScript && dir != "" && !strings.Contains(strings.TrimSuffix(dir, "/"), "/") {
			out = append(out, p)
		}
	}
	return out
}

// collectPrisma reads the migration folders, after checking that the lock file names MySQL.
func (d *dirReader) collectPrisma(set *Set) error {
	if d.hasTop(prismaLockFile) {
		lock := path.Join(d.root, prismaLockFile)
		b, err := d.read(lock)
		if err != nil {
			return err
		}
		provider, line, err := prismaProvider(b)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", lock, line, err)
		}
		if provider != "mysql" {
			return fmt.Errorf("%s:%d: the migrations are for provider %q; schema-guard replays MySQL and MariaDB migrations (provider \"mysql\")", lock, line, provider)
		}
	}
	all, err := d.allSQL()
	if err != nil {
		return err
	}
	scripts := map[string]bool{}
	for _, p := range d.prismaFolders(all) {
		scripts[p] = true
		folder := path.Base(path.Dir(p))
		_, desc, _ := strings.Cut(folder, "_")
		if err := d.add(set, p, name{version: TextVersion(folder), desc: describe(desc)}); err != nil {
			return err
		}
	}
	deep, err := d.nestedFiles()
	if err != nil {
		return err
	}
	for _, p := range deep {
		sub := path.Join(d.root, strings.SplitN(d.rel(p), "/", 2)[0])
		if !scripts[path.Join(sub, prismaScript)] {
			return fmt.Errorf("prisma migration folder %s has no %s: prisma migrate deploy fails on it", sub, prismaScript)
		}
	}
	for _, p := range all {
		if !scripts[p] {
			set.Ignored = append(set.Ignored, ignored(p, fmt.Sprintf("%s is not a Prisma migration (<folder>/%s one level below the migrations directory): prisma migrate never runs it", d.rel(p), prismaScript)))
		}
	}
	return nil
}

// prismaProvider reads `provider = "…"` from a migration_lock.toml, with the line it is on.
// The file is tiny and machine-written; anything but comments, blank lines and key = "string"
// pairs is an error rather than a guess.
func prismaProvider(b []byte) (string, int, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		key, value, ok := strings.Cut(t, "=")
		if !ok {
			return "", line, fmt.Errorf("not a key = value line: %q", t)
		}
		if strings.TrimSpace(key) != "provider" {
			continue
		}
		value = strings.TrimSpace(value)
		if i := strings.Index(value, "#"); i >= 0 && strings.Count(value[:i], `"`)%2 == 0 {
			value = strings.TrimSpace(value[:i])
		}
		s, err := strconv.Unquote(value)
		if err != nil {
			return "", line, fmt.Errorf("provider is not a quoted string: %s", value)
		}
		return s, line, nil
	}
	if err := sc.Err(); err != nil {
		return "", line, err
	}
	return "", max(line, 1), fmt.Errorf("no provider = \"…\" line")
}
