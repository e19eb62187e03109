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

// Layout says how a migrations directory is read: its format and, for Custom, the pattern.
type Layout struct {
	Format Format
	// Pattern is the Custom format's regular expression, matched against each file's path
	// relative to the directory (subdirectories included); its named group "version" orders the
	// files, its optional group "description" describes them.
	Pattern string
	// Ignore is, for Custom, a regular expression for files that are not migrations (down
	// files, seeds): they are left out without a warning.
	Ignore string
}

// Check reports what is wrong with the layout before any file is read: an unknown format, or
// a custom pattern that is not a valid regular expression or lacks its version group.
func (l Layout) Check() error {
	if l.Format == Custom {
		_, err := compileCustom(l)
		return err
	}
	if (l.Pattern != "" || l.Ignore != "") && l.Format != Auto && l.Format != "" {
		return fmt.Errorf("a pattern is only read with format: custom (the format is %s)", l.Format)
	}
	return nil
}

// Set is the migrations of one directory, in the order the tool would apply them.
type Set struct {
	Dir    string // dir as given to Discover (slash path inside the file system)
	Format Format // the concrete format (detected when Auto was asked)
	// Layout is how the directory was read, with the format it was detected as.
	Layout Layout
	// Files are in replay order: the order the tool applies them to an empty database.
	Files []*File
	// Ignored has one "ignored-file" warning per .sql file (or goose .go migration) that the
	// format does not recognise: the tool would skip it, which is rarely what its author meant.
	Ignored []finding.Finding
	// Notes are findings about the directory as a whole, such as an atlas.sum that no longer
	// matches its files.
	Notes []finding.Finding

	custom *customPattern // the compiled Layout.Pattern, for Custom
}

// Discover reads the migrations in dir of fsys in the given format (Auto detects it).
func Discover(fsys fs.FS, dir string, format Format) (*Set, error) {
	return DiscoverLayout(fsys, dir, Layout{Format: format})
}

// DiscoverLayout reads the migrations in dir of fsys. fsys is rooted at the repository root, so
// the working tree (os.DirFS) and a git commit (an in-memory fs.FS) are read the same way, and
// every File.Path is the file's slash path from that root. With format Auto the format is
// detected from the names and contents of the files.
//
// A directory that holds .sql files none of which the format recognises is an error, not an
// empty set: a check that replays nothing must never pass.
func DiscoverLayout(fsys fs.FS, dir string, layout Layout) (*Set, error) {
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
	if layout.Format == "" {
		layout.Format = Auto
	}
	if (layout.Pattern != "" || layout.Ignore != "") && layout.Format != Custom {
		return nil, fmt.Errorf("a pattern is only read with format: custom (the format is %s)", layout.Format)
	}
	d := &dirReader{fsys: fsys, dir: dir, root: root, contents: map[string][]byte{}}
	if err := d.list(); err != nil {
		return nil, err
	}
	if layout.Format == Auto {
		if layout.Format, err = d.detect(); err != nil {
			return nil, err
		}
	}
	set := &Set{Dir: dir, Format: layout.Format, Layout: layout}
	if layout.Format == Custom {
		if set.custom, err = compileCustom(layout); err != nil {
			return nil, err
		}
	}
	if err := d.collect(set); err != nil {
		return nil, err
	}
	if len(set.Files) == 0 {
		return nil, d.nothingRecognised(set)
	}
	return set, nil
}

// dirReader lists a migrations directory once and reads each file at most once.
type dirReader struct {
	fsys      fs.FS
	dir, root string
	sql       []string // .sql files directly in root (full paths, sorted)
	goFiles   []string // .go files directly in root
	others    []string // other files directly in root (atlas.sum, migration_lock.toml)
	subdirs   []string // subdirectories of root (full paths)
	deep      []string // every file in the subdirectories of root; nil until walked
	contents  map[string][]byte
}

// list reads the directory itself; subdirectories are only walked when a format needs them.
func (d *dirReader) list() error {
	entries, err := fs.ReadDir(d.fsys, d.root)
	if err != nil {
		return fmt.Errorf("list migrations directory %q: %w", d.dir, err)
	}
	for _, e := range entries {
		p := path.Join(d.root, e.Name())
		switch {
		case e.IsDir():
			d.subdirs = append(d.subdirs, p)
		case strings.HasSuffix(p, ".sql"):
			d.sql = append(d.sql, p)
		case strings.HasSuffix(p, ".go"):
			d.goFiles = append(d.goFiles, p)
		default:
			d.others = append(d.others, p)
		}
	}
	return nil
}

// nestedFiles lists every file in the subdirectories of the directory.
func (d *dirReader) nestedFiles() ([]string, error) {
	if len(d.subdirs) == 0 || d.deep != nil {
		return d.deep, nil
	}
	d.deep = []string{}
	for _, sub := range d.subdirs {
		err := fs.WalkDir(d.fsys, sub, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !e.IsDir() {
				d.deep = append(d.deep, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list migrations directory %q: %w", d.dir, err)
		}
	}
	slices.Sort(d.deep)
	return d.deep, nil
}

// nestedSQL lists the .sql files in the subdirectories of the directory.
func (d *dirReader) nestedSQL() ([]string, error) {
	deep, err := d.nestedFiles()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range deep {
		if strings.HasSuffix(p, ".sql") {
			out = append(out, p)
		}
	}
	return out, nil
}

// allSQL is every .sql file in the directory and below, sorted by path.
func (d *dirReader) allSQL() ([]string, error) {
	nested, err := d.nestedSQL()
	if err != nil {
		return nil, err
	}
	all := slices.Concat(d.sql, nested)
	slices.Sort(all)
	return all, nil
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

// rel is p relative to the migrations directory, as patterns and messages name it.
func (d *dirReader) rel(p string) string {
	if d.root == "." {
		return p
	}
	return strings.TrimPrefix(p, d.root+"/")
}

// hasTop reports whether the directory itself holds a file of that name.
func (d *dirReader) hasTop(name string) bool {
	return slices.Contains(d.others, path.Join(d.root, name))
}

// detect tries the formats from the most to the least distinctive: the files Atlas and Prisma
// keep next to their migrations, Temporal's manifests, golang-migrate's .up.sql and Flyway's
// V…__ names, Liquibase's header line; goose and dbmate files are named like plain ones and
// only their annotations tell them apart.
func (d *dirReader) detect() (Format, error) {
	switch {
	case d.hasTop(atlasSumFile):
		return Atlas, nil
	case d.hasTop(prismaLockFile):
		return Prisma, nil
	}
	if dirs, err := d.temporalDirs(); err != nil {
		return "", err
	} else if len(dirs) > 0 {
		return Temporal, nil
	}
	if deep, err := d.nestedFiles(); err != nil {
		return "", err
	} else if i := slices.IndexFunc(deep, isTemporalBelow(d.root)); i >= 0 {
		return "", fmt.Errorf("migrations directory %q holds Temporal's version folders one level down (%s): "+
			"point migrations at that folder, as temporal-sql-tool update-schema --schema-dir does", d.dir, d.rel(path.Dir(path.Dir(deep[i]))))
	}
	for _, p := range d.sql {
		if _, ok := golangMigrateName(path.Base(p)); ok {
			return GolangMigrate, nil
		}
	}
	all, err := d.allSQL()
	if err != nil {
		return "", err
	}
	if len(all) == 0 {
		return "", d.noSQL()
	}
	for _, p := range all {
		b, err := d.read(p)
		if err != nil {
			return "", err
		}
		if isLiquibaseFormatted(b) {
			return Liquibase, nil
		}
	}
	for _, p := range all {
		if _, ok := flywayName(path.Base(p)); ok {
			return Flyway, nil
		}
	}
	if len(d.prismaFolders(all)) > 0 {
		return Prisma, nil
	}
	if len(d.sql) == 0 {
		return "", fmt.Errorf("migrations directory %q: %s", d.dir, d.nestedHint(all))
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
		"(%s matches no format schema-guard knows); %s", d.dir, d.rel(d.sql[0]), customHint(d.rel(example(d.sql))))
}

// collect builds set.Files and set.Ignored for set.Format.
func (d *dirReader) collect(set *Set) error {
	var err error
	switch set.Format {
	case Prisma:
		err = d.collectPrisma(set)
	case Liquibase:
		err = d.collectLiquibase(set)
	case Atlas:
		err = d.collectAtlas(set)
	case Temporal:
		err = d.collectTemporal(set)
	case Custom:
		err = d.collectCustom(set)
	default:
		err = d.collectByName(set)
	}
	if err != nil {
		return err
	}
	slices.SortStableFunc(set.Files, replayOrder(set.Format))
	finding.Sort(set.Ignored)
	return nil
}

// collectByName reads the formats whose file names say everything: Flyway, golang-migrate,
// goose, dbmate and plain.
func (d *dirReader) collectByName(set *Set) error {
	candidates := d.sql
	if set.Format == Flyway {
		// Flyway scans its locations recursively; the other tools read one directory.
		all, err := d.allSQL()
		if err != nil {
			return err
		}
		candidates = all
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
		if err := d.add(set, p, n); err != nil {
			return err
		}
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
	return nil
}

// add reads the file at p and adds it to set as one migration.
func (d *dirReader) add(set *Set, p string, n name) error {
	content, err := d.read(p)
	if err != nil {
		return err
	}
	set.Files = append(set.Files, &File{
		Path: p, Format: set.Format, Kind: n.kind, Version: n.version, Description: n.desc,
		Content: content, Checksum: checksum(content), Line: 1,
	})
	return nil
}

func checksum(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func ignored(p, why string) finding.Finding {
	return finding.Finding{Rule: finding.IgnoredFile, Severity: finding.Warning, File: p, Line: 1, Message: why}
}

// replayOrder compares migrations the way their tool orders them.
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
	case Atlas:
		// Atlas sorts the file names as strings.
		return func(a, b *File) int { return cmp.Compare(a.Path, b.Path) }
	case Prisma:
		// Prisma sorts the migration folders by name.
		return func(a, b *File) int {
			return cmp.Or(cmp.Compare(path.Dir(a.Path), path.Dir(b.Path)), cmp.Compare(a.Path, b.Path))
		}
	case Liquibase:
		// includeAll takes the files in path order; each file's changesets run top to bottom.
		return func(a, b *File) int { return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line)) }
	case Temporal:
		// Version folders by version, each folder's files as its manifest lists them.
		return func(a, b *File) int {
			return cmp.Or(a.Version.Compare(b.Version), cmp.Compare(path.Dir(a.Path), path.Dir(b.Path)), cmp.Compare(a.seq, b.seq))
		}
	default:
		return func(a, b *File) int {
			return cmp.Or(a.Version.Compare(b.Version), cmp.Compare(a.Path, b.Path))
		}
	}
}
