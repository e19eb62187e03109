package migrations

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
)

// Set is the migration files of one directory, in the order the tool would apply them.
type Set struct {
	Dir    string // dir as given to Discover (slash path inside the file system)
	Format Format // the concrete format (detected when Auto was asked)
	// Files are in replay order: the order the tool applies them to an empty database.
	Files []*File
	// Ignored has one "ignored-file" warning per .sql file (or goose .go migration) that the
	// format does not recognise: the tool would skip it, which is rarely what its author meant.
	Ignored []finding.Finding
}

// RuleIgnoredFile is the rule id of the warnings in Set.Ignored.
const RuleIgnoredFile = "ignored-file"

// Discover reads the migrations in dir of fsys. fsys is rooted at the repository root, so the
// working tree (os.DirFS) and a git commit (an in-memory fs.FS) are read the same way, and every
// File.Path is the file's slash path from that root. With format Auto the format is detected
// from the names and contents of the files.
func Discover(fsys fs.FS, dir string, format Format) (*Set, error) {
	root := path.Clean(strings.TrimSuffix(dir, "/"))
	if dir == "" {
		root = "."
	}
	info, err := fs.Stat(fsys, root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("migrations directory %q does not exist", dir)
	case err != nil:
		return nil, fmt.Errorf("read migrations directory %q: %w", dir, err)
	case !info.IsDir():
		return nil, fmt.Errorf("migrations directory %q is not a directory", dir)
	}
	d := &dirReader{fsys: fsys, dir: dir, root: root, contents: map[string][]byte{}}
	if err := d.list(); err != nil {
		return nil, err
	}
	if format == Auto {
		if format, err = d.detect(); err != nil {
			return nil, err
		}
	}
	set := &Set{Dir: dir, Format: format}
	if err := d.collect(set); err != nil {
		return nil, err
	}
	return set, nil
}

// dirReader lists a migrations directory once and reads each file at most once.
type dirReader struct {
	fsys      fs.FS
	dir, root string
	sql       []string // .sql files directly in root (full paths, sorted)
	goFiles   []string // .go files directly in root
	subdirs   bool     // whether root has subdirectories
	nested    []string // .sql files in subdirectories of root, which only Flyway reads; nil until listed
	contents  map[string][]byte
}

// list reads the directory itself; subdirectories are only walked when Flyway needs them.
func (d *dirReader) list() error {
	entries, err := fs.ReadDir(d.fsys, d.root)
	if err != nil {
		return fmt.Errorf("list migrations directory %q: %w", d.dir, err)
	}
	for _, e := range entries {
		p := path.Join(d.root, e.Name())
		switch {
		case e.IsDir():
			d.subdirs = true
		case strings.HasSuffix(p, ".sql"):
			d.sql = append(d.sql, p)
		case strings.HasSuffix(p, ".go"):
			d.goFiles = append(d.goFiles, p)
		}
	}
	return nil
}

// nestedSQL lists the .sql files in the subdirectories of the directory, for Flyway.
func (d *dirReader) nestedSQL() ([]string, error) {
	if !d.subdirs || d.nested != nil {
		return d.nested, nil
	}
	d.nested = []string{}
	err := fs.WalkDir(d.fsys, d.root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && path.Dir(p) != d.root && strings.HasSuffix(p, ".sql") {
			d.nested = append(d.nested, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list migrations directory %q: %w", d.dir, err)
	}
	return d.nested, nil
}

func (d *dirReader) read(p string) ([]byte, error) {
	if b, ok := d.contents[p]; ok {
		return b, nil
	}
	b, err := fs.ReadFile(d.fsys, p)
	if err != nil {
		return nil, fmt.Errorf("read migration: %w", err)
	}
	d.contents[p] = b
	return b, nil
}

// detect tries the formats from the most to the least distinctive: golang-migrate's .up.sql
// and Flyway's V…__ names cannot be mistaken; goose and dbmate files are named like plain ones
// and only their annotations tell them apart.
func (d *dirReader) detect() (Format, error) {
	for _, p := range d.sql {
		base := path.Base(p)
		if _, ok := golangMigrateName(base); ok {
			return GolangMigrate, nil
		}
	}
	nested, err := d.nestedSQL()
	if err != nil {
		return "", err
	}
	if len(d.sql) == 0 && len(nested) == 0 {
		return "", fmt.Errorf("migrations directory %q holds no .sql migration files", d.dir)
	}
	for _, p := range slices.Concat(d.sql, nested) {
		if _, ok := flywayName(path.Base(p)); ok {
			return Flyway, nil
		}
	}
	if len(d.sql) == 0 {
		// Only Flyway reads subdirectories, and none of those files is Flyway's.
		return "", fmt.Errorf("migrations directory %q holds no .sql migration files", d.dir)
	}
	for _, f := range []struct {
		format Format
		match  func([]byte) bool
	}{{Goose, isGooseUp}, {Dbmate, isDbmateUp}} {
		for _, p := range d.sql {
			b, err := d.read(p)
			if err != nil {
				return "", err
			}
			if hasLine(b, f.match) {
				return f.format, nil
			}
		}
	}
	for _, p := range d.sql {
		if _, ok := leadingNumberName(path.Base(p)); ok {
			return Plain, nil
		}
	}
	return "", fmt.Errorf("migrations directory %q: cannot tell which tool its .sql files are for "+
		"(no golang-migrate, Flyway, goose, dbmate or numbered names); set the format", d.dir)
}

// collect builds set.Files and set.Ignored for set.Format.
func (d *dirReader) collect(set *Set) error {
	candidates := d.sql
	if set.Format == Flyway {
		// Flyway scans its locations recursively; the other tools read one directory.
		nested, err := d.nestedSQL()
		if err != nil {
			return err
		}
		candidates = slices.Concat(d.sql, nested)
		slices.Sort(candidates)
	}
	if len(candidates) == 0 {
		return fmt.Errorf("migrations directory %q holds no .sql migration files", d.dir)
	}
	for _, p := range candidates {
		n, why, ok := parseName(set.Format, path.Base(p))
		if !ok {
			set.Ignored = append(set.Ignored, ignored(p, why))
			continue
		}
		if n.skip {
			continue
		}
		content, err := d.read(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(content)
		set.Files = append(set.Files, &File{
			Path: p, Format: set.Format, Kind: n.kind, Version: n.version, Description: n.desc,
			Content: content, Checksum: hex.EncodeToString(sum[:]),
		})
	}
	if set.Format == Goose {
		for _, p := range d.goFiles {
			base := path.Base(p)
			if _, ok := gooseName(base, ".go"); ok && !strings.HasSuffix(base, "_test.go") {
				set.Ignored = append(set.Ignored, ignored(p, base+" is a goose Go migration: "+
					"schema-guard cannot replay Go code, so the check misses whatever it changes"))
			}
		}
	}
	slices.SortStableFunc(set.Files, replayOrder(set.Format))
	finding.Sort(set.Ignored)
	return nil
}

func ignored(p, why string) finding.Finding {
	return finding.Finding{Rule: RuleIgnoredFile, Severity: finding.Warning, File: p, Line: 1, Message: why}
}

// replayOrder compares files the way their tool orders them.
func replayOrder(format Format) func(a, b *File) int {
	switch format {
	case Flyway:
		// Versioned and baseline migrations by version (a baseline after the versioned
		// migration of the same version), then repeatables by description.
		return func(a, b *File) int {
			ra, rb := a.Kind == Repeatable, b.Kind == Repeatable
			switch {
			case ra && rb:
				return cmp.Or(cmp.Compare(a.Description, b.Description), cmp.Compare(a.Path, b.Path))
			case ra != rb:
				if ra {
					return 1
				}
				return -1
			}
			return cmp.Or(a.Version.Compare(b.Version), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Path, b.Path))
		}
	case Dbmate:
		// Dbmate sorts by file name, not by number: 10_x.sql runs before 2_x.sql. Its names are
		// normally fixed-width timestamps, where the two orders agree.
		return func(a, b *File) int {
			return cmp.Or(cmp.Compare(path.Base(a.Path), path.Base(b.Path)), cmp.Compare(a.Path, b.Path))
		}
	default:
		return func(a, b *File) int {
			return cmp.Or(a.Version.Compare(b.Version), cmp.Compare(a.Path, b.Path))
		}
	}
}
