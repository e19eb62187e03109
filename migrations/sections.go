package migrations

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
)

// Statements splits the file into the statements its tool would send to the server, in order.
// For goose and dbmate only the up section counts; the down section is never replayed. Positions
// always refer to the file as written. Errors are *SyntaxError values.
func (f *File) Statements() ([]Statement, error) {
	stmts, _, err := f.Split()
	return stmts, err
}

// Split is Statements plus what the file's own tool would trip on: a DELIMITER command in a
// golang-migrate, goose or dbmate file. Those tools send SQL to the server, which does not know
// the mysql client's commands, so the deploy would fail where schema-guard's replay succeeds.
func (f *File) Split() ([]Statement, []finding.Finding, error) {
	if f.Format == Liquibase && f.part == nil {
		return splitChangelog(f)
	}
	lines, err := f.lines()
	if err != nil {
		return nil, nil, err
	}
	s := &splitter{path: f.Path, src: f.Content, lines: lines}
	from := bomLen(f.Content)
	switch f.Format {
	case Goose:
		err = s.splitGoose(from)
	case Dbmate:
		err = s.splitDbmate(from)
	case Liquibase:
		s.src, s.delim0 = f.part.masked, f.part.delim
		err = s.splitRange(f.part.from, f.part.to, f.part.whole)
	case Atlas:
		d, start := atlasDelimiter(f.Content[from:])
		s.delim0 = d
		err = s.splitRange(from+start, len(f.Content), false)
	default:
		err = s.splitRange(from, len(f.Content), false)
	}
	if err != nil {
		return nil, nil, err
	}
	var notes []finding.Finding
	if sendsToServer(f.Format) {
		for _, off := range s.delimiters {
			line, col := s.lines.pos(off)
			notes = append(notes, finding.Finding{
				Rule: finding.ClientCommand, Severity: finding.Error, File: f.Path, Line: line, Column: col,
				Message: fmt.Sprintf("DELIMITER is a command of the mysql client, not SQL: %s sends the file to the server, which will reject it", f.Format),
				Fix:     "Remove the DELIMITER lines: the server reads a trigger or routine's BEGIN … END as one statement" + gooseHint(f.Format) + ".",
			})
		}
	}
	return s.stmts, notes, nil
}

// lines indexes the lines of the file and checks that it is UTF-8; the changesets of a
// Liquibase file share one index and one check.
func (f *File) lines() (*lineIndex, error) {
	if f.part != nil && f.part.text != nil {
		return f.part.text.lines(f.Path, f.Content)
	}
	x := newLineIndex(f.Content)
	return x, checkUTF8(f.Path, f.Content, x)
}

// sendsToServer reports whether the format's tool sends the SQL to the server (whole, or split
// by its own rules) rather than through the mysql client, so that DELIMITER is an error there.
func sendsToServer(f Format) bool {
	switch f {
	case GolangMigrate, Goose, Dbmate, Prisma, Liquibase, Temporal:
		return true
	}
	return false
}

// splitChangelog splits every changeset of a Liquibase file that Discover did not cut into
// changesets (a file composed or fuzzed on its own).
func splitChangelog(f *File) ([]Statement, []finding.Finding, error) {
	if err := checkUTF8(f.Path, f.Content, newLineIndex(f.Content)); err != nil {
		return nil, nil, err
	}
	sets, _, err := liquibaseChangesets(f.Path, f.Content)
	if err != nil {
		return nil, nil, err
	}
	var stmts []Statement
	var notes []finding.Finding
	for _, cs := range sets {
		st, n, err := cs.Split()
		if err != nil {
			return nil, nil, err
		}
		stmts, notes = append(stmts, st...), append(notes, n...)
	}
	return stmts, notes, nil
}

func gooseHint(f Format) string {
	if f == Goose {
		return "; in goose, wrap it in -- +goose StatementBegin and -- +goose StatementEnd"
	}
	return ""
}

// line is one line of a file: src[start:end] without its '\n'; next is where the next one starts.
type line struct{ start, end, next int }

// eachLine calls fn for every line of src from offset from on, until fn returns false.
func eachLine(src []byte, from int, fn func(line) bool) {
	for i := from; i < len(src); {
		end := lineEnd(src, i)
		next := min(end+1, len(src))
		if !fn(line{start: i, end: end, next: next}) {
			return
		}
		i = next
	}
}

// The goose annotations that change how the up section is split.
const (
	gooseUp             = "up"
	gooseDown           = "down"
	gooseStatementBegin = "statementbegin"
	gooseStatementEnd   = "statementend"
)

// gooseAnnotation returns the lower-cased command of a "-- +goose <command>" line, or "".
// Goose reads annotations line by line without looking at SQL, and so do we: the command is
// case-insensitive and inner spaces are kept ("no transaction").
func gooseAnnotation(text []byte) string {
	t := strings.TrimSpace(string(text))
	rest, ok := strings.CutPrefix(t, "-- +goose")
	if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t') {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(rest))
}

// splitGoose splits the "-- +goose Up" section: up to "-- +goose Down" or the end of the file.
// A StatementBegin … StatementEnd block is one statement whatever it contains; goose sends it
// as written, which is how triggers and routines are written for goose (there is no DELIMITER).
func (s *splitter) splitGoose(from int) error {
	src := s.src
	region, end := -1, len(src)    // the plain region being collected; -1 until the Up line
	blockLine, block := line{}, -1 // the StatementBegin line and where its block starts
	var err error
	eachLine(src, from, func(l line) bool {
		cmd := gooseAnnotation(src[l.start:l.end])
		switch {
		case region < 0:
			if cmd == gooseUp {
				region = l.next
			}
		case block >= 0:
			// Inside a block every other line is content, annotations included.
			if cmd == gooseStatementEnd {
				err = s.splitRange(block, l.start, true)
				block, region = -1, l.next
			}
		case cmd == gooseDown:
			end = l.start
			return false
		case cmd == gooseStatementBegin:
			err = s.splitRange(region, l.start, false)
			blockLine, block = l, l.next
		case cmd == gooseStatementEnd:
			err = s.errorAt(s.firstNonSpace(l), "-- +goose StatementEnd without StatementBegin")
		}
		return err == nil
	})
	switch {
	case err != nil:
		return err
	case region < 0:
		return &SyntaxError{File: s.path, Line: 1,
			Msg: `no "-- +goose Up" annotation: goose refuses to run this migration`}
	case block >= 0:
		return s.errorAt(s.firstNonSpace(blockLine), "-- +goose StatementBegin without StatementEnd")
	}
	return s.splitRange(region, end, false)
}

// firstNonSpace is the offset of the first non-blank character of l, for pointing at it.
func (s *splitter) firstNonSpace(l line) int {
	i := l.start
	for i < l.end && (s.src[i] == ' ' || s.src[i] == '\t') {
		i++
	}
	return i
}

// dbmateMarker reports whether the line is dbmate's "-- migrate:<dir>" marker. Dbmate allows
// options after it ("-- migrate:up transaction:false") and any spaces after the dashes.
func dbmateMarker(text []byte, dir string) bool {
	t := strings.TrimSpace(string(text))
	rest, ok := strings.CutPrefix(t, "--")
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(strings.TrimLeft(rest, " \t"), "migrate:"+dir)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// splitDbmate splits the "-- migrate:up" section: up to "-- migrate:down" or the end of the file.
func (s *splitter) splitDbmate(from int) error {
	up, down := -1, len(s.src)
	eachLine(s.src, from, func(l line) bool {
		text := s.src[l.start:l.end]
		if up < 0 {
			if dbmateMarker(text, "up") {
				up = l.next
			}
			return true
		}
		if dbmateMarker(text, "down") {
			down = l.start
			return false
		}
		return true
	})
	if up < 0 {
		return &SyntaxError{File: s.path, Line: 1,
			Msg: `no "-- migrate:up" section: dbmate refuses to run this migration`}
	}
	return s.splitRange(up, down, false)
}

// hasLine reports whether any line of content satisfies match; detection uses it.
func hasLine(content []byte, match func([]byte) bool) bool {
	for l := range bytes.Lines(content) {
		if match(bytes.TrimRight(l, "\r\n")) {
			return true
		}
	}
	return false
}

// isGooseUp and isDbmateUp recognise the lines that identify a goose or dbmate file.
func isGooseUp(text []byte) bool  { return gooseAnnotation(text) == gooseUp }
func isDbmateUp(text []byte) bool { return dbmateMarker(text, "up") }
