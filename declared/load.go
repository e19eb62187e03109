package declared

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/migrations"
)

// Load reads the declared schema at p in fsys. fsys is rooted at the repository root, so every
// position names a file by its slash path from there. p is a .sql file (a dump, mysqldump
// --no-data output included) or a directory whose .sql files, in any layout, are read
// recursively in path order. Names starting with a dot (editor and VCS files) are skipped.
//
// Every error is one line that starts with the file it is about: the path does not exist or
// holds no .sql file, a file does not split into statements (a *migrations.SyntaxError), a
// malformed or misplaced rename hint, or an object declared twice.
func Load(fsys fs.FS, p string) (*State, error) {
	files, err := list(fsys, p)
	if err != nil {
		return nil, err
	}
	st := &State{Path: p}
	parser := migrations.NewParser()
	b := newBuilder()
	for _, name := range files {
		content, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("%s: read declared schema file: %w", name, oneLine(err))
		}
		stmts, err := loadFile(b, parser, name, content)
		if err != nil {
			return nil, err
		}
		st.Statements = append(st.Statements, stmts...)
	}
	b.state(st)
	return st, nil
}

// loadFile splits, parses and reads one file's statements into b.
func loadFile(b *builder, parser *migrations.Parser, name string, content []byte) ([]migrations.Statement, error) {
	f := &migrations.File{Path: name, Format: migrations.Plain, Content: content}
	stmts, err := f.Statements()
	if err != nil {
		return nil, err
	}
	src, err := newSource(name, content)
	if err != nil {
		return nil, err
	}
	parser.Parse(stmts)
	for i := range stmts {
		if err := b.statement(src, stmts, i); err != nil {
			return nil, err
		}
	}
	if h := src.unused(); h != nil {
		return nil, fmt.Errorf("%s:%d:%d: %s hint renames nothing: put it on the comment lines right before "+
			"a CREATE TABLE, or on the line before a column definition or at the end of it", name, h.line, h.col, HintRenamedFrom)
	}
	return stmts, nil
}

// list returns the .sql files to load, in load order.
func list(fsys fs.FS, p string) ([]string, error) {
	root := "."
	if p != "" {
		root = path.Clean(p)
	}
	shown := p
	if shown == "" {
		shown = "."
	}
	if !fs.ValidPath(root) {
		// An absolute path or one that climbs out: fs.FS paths are relative to the repository.
		return nil, fmt.Errorf("%s: declared schema path is not inside the repository", shown)
	}
	info, err := fs.Stat(fsys, root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: declared schema does not exist", shown)
	case err != nil:
		return nil, fmt.Errorf("%s: read declared schema: %w", shown, oneLine(err))
	case !info.IsDir():
		if !strings.HasSuffix(root, ".sql") {
			return nil, fmt.Errorf("%s: declared schema is neither a .sql file nor a directory holding .sql files", shown)
		}
		return []string{root}, nil
	}
	var files []string
	err = fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(name, ".sql") {
			files = append(files, name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: list declared schema: %w", shown, oneLine(err))
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: declared schema is neither a .sql file nor a directory holding .sql files", shown)
	}
	// WalkDir goes directory by directory, which is not path order: "a/x.sql" comes before
	// "a.sql" there, after it here.
	slices.Sort(files)
	return files, nil
}

// oneLine keeps an error from the file system to one line.
func oneLine(err error) error {
	if s := err.Error(); strings.ContainsAny(s, "\r\n") {
		return errors.New(strings.Join(strings.Fields(s), " "))
	}
	return err
}
