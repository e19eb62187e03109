package migrations

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
)

// NewFile is a file of a new migration.
type NewFile struct {
	Path    string // slash path from the file system root, in the set's directory
	Content []byte
	// Replaces marks a file that already exists and is rewritten whole: Atlas's atlas.sum, or a
	// Liquibase changelog that gets the new changeset appended. It is written last.
	Replaces bool
}

// Compose returns the file(s) of a new migration that comes after every migration in s: named
// with the next version in s's own numbering, in s's format, holding up (and, where the format
// has a place for it, down) statements. Statements are given without their delimiter; stored
// programs (CREATE TRIGGER … BEGIN …; END) are written the way the tool needs them: DELIMITER
// for Flyway and plain files (the mysql client), StatementBegin/End for goose, and nothing for
// golang-migrate and dbmate, which send the file to the server, where BEGIN … END is read whole.
// Flyway and plain files have no down section (Flyway's undo migrations are a paid feature), so
// down is ignored for them; golang-migrate's down file is written only when down is not empty.
//
// What is written is checked by splitting it again, as Discover and Split will: the up section
// must give back exactly the up statements, in order, or Compose fails rather than write a
// migration that replays differently from what was asked.
func (s *Set) Compose(desc string, up, down []string, now time.Time) ([]NewFile, error) {
	if len(up) == 0 {
		return nil, fmt.Errorf("compose a migration: no up statements")
	}
	if !slices.Contains(Formats, s.Format) && s.Format != Custom {
		return nil, fmt.Errorf("compose a migration: unknown format %q", s.Format)
	}
	slug, err := slugOf(desc)
	if err != nil {
		return nil, fmt.Errorf("compose a migration: %w", err)
	}
	switch s.Format {
	case Flyway, Plain, Prisma, Atlas, Temporal, Custom:
		down = nil
	}
	upText, err := expected(up, "up")
	if err != nil {
		return nil, err
	}
	downText, err := expected(down, "down")
	if err != nil {
		return nil, err
	}
	switch s.Format {
	case Prisma, Liquibase, Atlas, Temporal, Custom:
		return s.composeOwn(slug, up, down, upText, downText, now)
	}
	version := s.nextVersion(now)
	files, err := s.newFiles(version, slug, up, down)
	if err != nil {
		return nil, err
	}
	if err := s.checkName(files[0].Path); err != nil {
		return nil, err
	}
	if err := verify(s.Format, files[0], upText, ""); err != nil {
		return nil, err
	}
	if len(down) > 0 {
		if s.Format == GolangMigrate {
			err = verify(GolangMigrate, files[1], downText, "")
		} else {
			err = verify(s.Format, files[0], downText, "down")
		}
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// slugOf turns a description into the descriptive part of a file name: spaces become
// underscores. A path separator or control character has no place in a file name.
func slugOf(desc string) (string, error) {
	slug := strings.Join(strings.Fields(desc), "_")
	if slug == "" {
		return "", fmt.Errorf("the description is empty")
	}
	for _, r := range slug {
		if r == '/' || r == '\\' || unicode.IsControl(r) {
			return "", fmt.Errorf("the description %q holds %q, which has no place in a file name", desc, r)
		}
	}
	return slug, nil
}

// expected returns what the splitter reads each statement as on its own: its text without the
// comments around it. Each must be exactly one statement.
func expected(stmts []string, section string) ([]string, error) {
	var out []string
	for i, st := range stmts {
		f := &File{Path: "statement", Format: Plain, Content: []byte(st)}
		got, err := f.Statements()
		if err != nil || len(got) != 1 {
			return nil, fmt.Errorf("compose a migration: %s statement %d is not one SQL statement: %s", section, i+1, excerpt(st))
		}
		out = append(out, got[0].Text)
	}
	return out, nil
}

func excerpt(st string) string {
	st = strings.Join(strings.Fields(st), " ")
	if r := []rune(st); len(r) > 60 {
		st = string(r[:60]) + "…"
	}
	return fmt.Sprintf("%q", st)
}

// nextVersion is the version after the highest in s, in its numbering: a timestamp of now for
// timestamped sets (12 digits or more), else the last part plus one, keeping its zero padding.
func (s *Set) nextVersion(now time.Time) string {
	var high *File
	for _, f := range s.Files {
		if f.Kind != Repeatable && (high == nil || f.Version.Compare(high.Version) > 0) {
			high = f
		}
	}
	if high == nil {
		if s.Format == Goose || s.Format == Dbmate {
			ts, _ := timestamp(now, 14) // their tools name new migrations by the time
			return ts
		}
		return "1"
	}
	raw := high.Version.raw
	if i := strings.LastIndexAny(raw, "._"); i >= 0 {
		return raw[:i+1] + increment(raw[i+1:]) // Flyway's 1.10 → 1.11
	}
	if len(raw) >= 12 {
		// Same width, so comparing the strings compares the numbers.
		if ts, ok := timestamp(now, len(raw)); ok && ts > raw {
			return ts
		}
	}
	return increment(raw)
}

// timestamp formats now in UTC as yyyyMMddHHmmss and fractions of a second, cut to width digits.
func timestamp(now time.Time, width int) (string, bool) {
	now = now.UTC()
	ts := now.Format("20060102150405") + fmt.Sprintf("%09d", now.Nanosecond())
	if width > len(ts) {
		return "", false
	}
	return ts[:width], true
}

// increment adds one to a string of decimal digits, keeping its width unless it overflows
// (0009 → 0010, 99 → 100).
func increment(digits string) string {
	b := []byte(digits)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

// newFiles names and writes the migration's files.
func (s *Set) newFiles(version, slug string, up, down []string) ([]NewFile, error) {
	file := func(name, content string) NewFile {
		return NewFile{Path: path.Join(s.Dir, name), Content: []byte(content)}
	}
	body := func(stmts []string) (string, error) { return render(s.Format, stmts) }
	upBody, err := body(up)
	if err != nil {
		return nil, err
	}
	downBody, err := body(down)
	if err != nil {
		return nil, err
	}
	switch s.Format {
	case Flyway:
		return []NewFile{file("V"+version+"__"+slug+".sql", upBody)}, nil
	case GolangMigrate:
		files := []NewFile{file(version+"_"+slug+".up.sql", upBody)}
		if len(down) > 0 {
			files = append(files, file(version+"_"+slug+".down.sql", downBody))
		}
		return files, nil
	case Goose:
		return []NewFile{file(version+"_"+slug+".sql", "-- +goose Up\n"+upBody+"\n-- +goose Down\n"+downBody)}, nil
	case Dbmate:
		return []NewFile{file(version+"_"+slug+".sql", "-- migrate:up\n"+upBody+"\n-- migrate:down\n"+downBody)}, nil
	}
	return []NewFile{file(version+"_"+slug+".sql", upBody)}, nil
}

// checkName makes sure the tool reads the new file as a migration that runs after every other
// one, and that it is not the name of a file already there.
func (s *Set) checkName(p string) error {
	n, _, ok := parseName(s.Format, path.Base(p))
	if !ok || n.skip {
		return fmt.Errorf("compose a migration: %s would not be read as a %s migration", p, s.Format)
	}
	mine := &File{Path: p, Format: s.Format, Kind: n.kind, Version: n.version, Description: n.desc}
	order := replayOrder(s.Format)
	for _, f := range s.Files {
		if strings.EqualFold(f.Path, p) {
			return fmt.Errorf("compose a migration: %s already exists", p)
		}
		if f.Kind != Repeatable && order(f, mine) >= 0 {
			return fmt.Errorf("compose a migration: %s would not run after %s; rename the migrations to one numbering", p, f.Path)
		}
	}
	for _, w := range s.Ignored {
		if strings.EqualFold(w.File, p) {
			return fmt.Errorf("compose a migration: %s already exists", p)
		}
	}
	return nil
}

// verify splits the composed file as the tool would and compares with what was asked. section
// "down" reads the down section of a goose or dbmate file instead of the up one.
func verify(format Format, nf NewFile, want []string, section string) error {
	content := nf.Content
	if section == "down" {
		content = []byte(downAsUp(format, string(content)))
	}
	f := &File{Path: nf.Path, Format: format, Content: content}
	got, notes, err := f.Split()
	var se *SyntaxError
	switch {
	case err != nil && section == "down" && errors.As(err, &se):
		// Positions in the rearranged text would point nowhere.
		return fmt.Errorf("compose a migration: the down section of %s does not split: %s", nf.Path, se.Msg)
	case err != nil:
		return fmt.Errorf("compose a migration: the composed file does not split: %w", err)
	}
	if len(notes) > 0 {
		return fmt.Errorf("compose a migration: %s", notes[0].Message)
	}
	return sameStatements(got, want, format)
}

// sameStatements checks that what the splitter read back is what was asked for.
func sameStatements(got []Statement, want []string, format Format) error {
	for i := range max(len(got), len(want)) {
		if i >= len(got) || i >= len(want) || got[i].Text != want[i] {
			which := min(i, len(want)-1)
			return fmt.Errorf("compose a migration: %s cannot be written so that %s reads it back as one statement",
				excerpt(want[max(which, 0)]), format)
		}
	}
	return nil
}

// downAsUp moves the down section of a goose or dbmate file into the place of its up section,
// so that the splitter reads it.
func downAsUp(format Format, content string) string {
	marker, up := "\n-- migrate:down\n", "-- migrate:up\n"
	if format == Goose {
		marker, up = "\n-- +goose Down\n", "-- +goose Up\n"
	}
	if _, rest, ok := strings.Cut(content, marker); ok {
		return up + rest
	}
	return content
}

// render writes statements in format, each ended the way its tool reads it.
func render(format Format, stmts []string) (string, error) {
	var b strings.Builder
	delim := "" // the DELIMITER in force in a Flyway or plain file; "" while it is ";"
	for i, st := range stmts {
		st = strings.TrimSpace(st)
		// A statement whose last line ends in a comment gets its delimiter on the next line,
		// where the comment cannot swallow it.
		end := ""
		if want, err := expected([]string{st}, ""); err == nil && !strings.HasSuffix(st, want[0]) {
			end = "\n"
		}
		program := bareSemicolon(st)
		switch {
		case (format == Flyway || format == Plain) && program:
			// The mysql client, and Flyway, which follows it, end a statement at the first
			// ";" unless DELIMITER says otherwise.
			d := pickDelimiter(st + end)
			if d == "" {
				return "", fmt.Errorf("compose a migration: no DELIMITER fits %s", excerpt(st))
			}
			if d != delim {
				if delim != "" {
					b.WriteString("DELIMITER ;\n")
				}
				if i > 0 {
					b.WriteString("\n")
				}
				fmt.Fprintf(&b, "DELIMITER %s\n", d)
				delim = d
			} else if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(st + end + d + "\n")
			continue
		case delim != "":
			b.WriteString("DELIMITER ;\n")
			delim = ""
		}
		if i > 0 {
			b.WriteString("\n")
		}
		if format == Goose && (program || innerLineEndsWithSemicolon(st)) {
			// Goose ends a statement at any line ending in ";" unless the block says otherwise.
			b.WriteString("-- +goose StatementBegin\n" + st + end + ";\n-- +goose StatementEnd\n")
			continue
		}
		// golang-migrate and dbmate send the file to the server, which reads BEGIN … END of
		// a stored program as one statement; the splitter counts the blocks the same way.
		b.WriteString(st + end + ";\n")
	}
	if delim != "" {
		b.WriteString("DELIMITER ;\n")
	}
	return b.String(), nil
}

// bareSemicolon reports whether st holds a ";" outside quotes and comments: a stored program's
// body, which a client splitting on ";" would cut. The contents of executable comments count:
// mysqldump puts its triggers in them and still needs DELIMITER.
func bareSemicolon(st string) bool {
	src := []byte(st)
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ';':
			return true
		case c == '\'' || c == '"' || c == '`':
			end, _ := quoteEnd(src, i)
			i = end
		case c == '#' || c == '-' && i+2 < len(src) && src[i+1] == '-' && (src[i+2] <= ' ' || src[i+2] == 0x7f):
			i = lineEnd(src, i)
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			if n := execCommentOpener(src[i:]); n > 0 {
				i += n
				continue
			}
			end := strings.Index(st[i+2:], "*/")
			if end < 0 {
				return false
			}
			i += 2 + end + 2
		default:
			i++
		}
	}
	return false
}

// innerLineEndsWithSemicolon reports whether a line of st other than the last ends in ";", where
// goose, which reads lines, would end the statement whatever the ";" is inside of.
func innerLineEndsWithSemicolon(st string) bool {
	lines := strings.Split(st, "\n")
	for _, l := range lines[:len(lines)-1] {
		if strings.HasSuffix(strings.TrimRight(l, " \t\r"), ";") {
			return true
		}
	}
	return false
}

// pickDelimiter returns a DELIMITER that first occurs in st+delimiter right after st, or "".
func pickDelimiter(st string) string {
	for _, d := range []string{"$$", "//", ";;", "$$$$", "@@@"} {
		if strings.Index(st+d, d) == len(st) {
			return d
		}
	}
	return ""
}

// Script renders statements as one SQL script for the mysql client: each ends with ";", stored
// programs sit in DELIMITER blocks. It is how schema-guard prints SQL and writes declared state.
func Script(stmts []string) (string, error) { return render(Plain, stmts) }
