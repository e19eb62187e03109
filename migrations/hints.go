package migrations

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// The errors discovery stops with say what the directory holds and what to set, so that a
// layout schema-guard does not read is one clear line, never an empty check that passes.

// noSQL says that the directory has no .sql file, and what it has instead.
func (d *dirReader) noSQL() error {
	deep, _ := d.nestedFiles()
	files := slices.Concat(d.goFiles, d.others, deep)
	if len(files) == 0 {
		return fmt.Errorf("migrations directory %q holds no .sql migration files", d.dir)
	}
	slices.Sort(files)
	return fmt.Errorf("migrations directory %q holds no .sql migration files (it has %d other files, such as %s)", d.dir, len(files), d.rel(files[0]))
}

// nestedHint describes .sql files that sit only in subdirectories, for the error that no format
// was recognised there: what they look like, and which setting reads them.
func (d *dirReader) nestedHint(nested []string) string {
	example := d.rel(nested[0])
	if path.Base(example) == prismaScript {
		if parent := path.Dir(path.Dir(example)); parent != "." {
			return fmt.Sprintf("the .sql files are in subdirectories (%s): is this Prisma? point migrations at %s", example, path.Join(d.dir, parent))
		}
		return fmt.Sprintf("the .sql files are in subdirectories (%s): is this Prisma? set format: prisma", example)
	}
	return fmt.Sprintf("the .sql files are in subdirectories (%s), where no format but Flyway, Liquibase, "+
		"Prisma and Temporal look; %s", example, customHint(example))
}

// customHint proposes the custom format for names no tool's convention matches.
func customHint(example string) string {
	return fmt.Sprintf("if your tool orders them by a number in the name, set format: custom with a pattern "+
		"that names the version, e.g. pattern: '%s'", suggestPattern(example))
}

// nothingRecognised is the error for a directory where the format found no migration: it names
// the format, a file it skipped and why, and the format the files look like, if any.
func (d *dirReader) nothingRecognised(set *Set) error {
	all, err := d.allSQL()
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return d.noSQL()
	}
	msg := fmt.Sprintf("migrations directory %q: format %s recognises none of its %d .sql files", d.dir, set.Format, len(all))
	if len(set.Ignored) > 0 {
		msg += fmt.Sprintf(" (%s: %s)", d.rel(set.Ignored[0].File), set.Ignored[0].Message)
	} else {
		msg += fmt.Sprintf(" (such as %s)", d.rel(all[0]))
	}
	fresh := &dirReader{fsys: d.fsys, dir: d.dir, root: d.root, contents: d.contents}
	if fresh.list() == nil {
		if f, err := fresh.detect(); err == nil && f != set.Format {
			if f == Prisma && len(d.sql) == 0 {
				return fmt.Errorf("%s; %s", msg, d.nestedHint(all))
			}
			return fmt.Errorf("%s; they look like %s files: set format: %s", msg, f, f)
		}
	}
	if len(d.sql) == 0 {
		return fmt.Errorf("%s; %s", msg, d.nestedHint(all))
	}
	return fmt.Errorf("%s; %s", msg, customHint(d.rel(example(all))))
}

// example picks the file a suggested pattern is built from: an up migration where there are
// up and down files.
func example(files []string) string {
	for _, p := range files {
		if strings.HasSuffix(p, ".up.sql") {
			return p
		}
	}
	return files[0]
}
