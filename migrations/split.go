package migrations

import (
	"bytes"
	"fmt"
	"strings"
)

// splitter cuts SQL text into statements the way the mysql command-line client does: it tracks
// quotes, comments and the DELIMITER client command, and leaves everything else to the server.
// It is a scanner, not a parser: it never decides what a statement means.
type splitter struct {
	path  string
	src   []byte // the whole file, so offsets and positions refer to it
	lines *lineIndex
	stmts []Statement
	// delimiters are the offsets of the DELIMITER commands met, for tools that do not know them.
	delimiters []int
	// delim0 is the delimiter a range starts with when it is not ";" (Liquibase's endDelimiter,
	// Atlas's atlas:delimiter directive).
	delim0 string
}

func (s *splitter) errorAt(off int, format string, args ...any) error {
	line, col := s.lines.pos(off)
	return &SyntaxError{File: s.path, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// emit records the statement src[start:end]; end is just past its last significant character.
func (s *splitter) emit(start, end int) {
	text := strings.TrimRight(string(s.src[start:end]), " \t\r\n\f\v")
	if text == "" {
		return
	}
	line, col := s.lines.pos(start)
	endLine, _ := s.lines.pos(start + len(text) - 1)
	s.stmts = append(s.stmts, Statement{File: s.path, Line: line, Column: col, EndLine: endLine, Text: text})
}

// splitRange splits src[from:to] into statements. The range is scanned as if it were a whole
// file: the delimiter starts as ";" and the end of the range ends a pending statement. With
// whole set, the range is one statement whatever it contains (a goose StatementBegin block):
// only the comments and whitespace around it are dropped, and DELIMITER is not a command.
func (s *splitter) splitRange(from, to int, whole bool) error {
	r := &rangeScan{s: s, src: s.src[:to], from: from, to: to, whole: whole,
		delim: []byte(";"), start: -1, last: -1, execStart: -1}
	if s.delim0 != "" {
		r.delim = []byte(s.delim0)
	}
	for i := from; i < to; {
		var err error
		if i, err = r.step(i); err != nil {
			return err
		}
	}
	return r.finish()
}

// rangeScan is the state of one splitRange: the delimiter in force and the pending statement.
type rangeScan struct {
	s         *splitter
	src       []byte // the file up to the end of the range
	from, to  int
	whole     bool
	delim     []byte
	delimLine int      // where a DELIMITER command set delim, for the error when it never ends
	start     int      // the pending statement's first byte, -1 when none is pending
	last      int      // the end of the pending statement's last token
	execStart int      // the "/*!", "/*M!" or "/*+" we are inside, if any
	block     compound // stored-program blocks of the pending statement
}

// step scans what starts at offset i (a DELIMITER command, a delimiter, a comment, a quoted
// string, a word or a byte) and returns the offset just past it.
func (r *rangeScan) step(i int) (int, error) {
	src, to := r.src, r.to
	c := src[i]
	if r.start < 0 && !r.whole && c|0x20 == 'd' && r.s.atLineStart(r.from, i) {
		if n, d, ok, err := r.s.delimiterCommand(i, to); err != nil {
			return 0, err
		} else if ok {
			r.delim = []byte(d)
			r.delimLine, _ = r.s.lines.pos(i)
			r.s.delimiters = append(r.s.delimiters, i)
			return n, nil
		}
	}
	semicolon := len(r.delim) == 1 && r.delim[0] == ';'
	// The delimiter is looked for before comments, as the client does, so that a delimiter
	// such as "#" or "--" still works; it is never looked for inside an executable comment
	// or hint, since those are statement text that the server reads as a whole.
	if !r.whole && r.execStart < 0 && bytes.HasPrefix(src[i:], r.delim) {
		return r.delimiter(i, semicolon), nil
	}
	next := byte(0)
	if i+1 < to {
		next = src[i+1]
	}
	switch {
	case isSpace(c):
		return i + 1, nil
	case c == '#' || c == '-' && next == '-' && (i+2 >= to || src[i+2] <= ' ' || src[i+2] == 0x7f):
		// MySQL needs a space or control character after "--": "1--1" is arithmetic.
		return lineEnd(src, i), nil
	case c == '/' && next == '*':
		return r.comment(i)
	case c == '*' && next == '/' && r.execStart >= 0:
		r.execStart = -1
		r.last = i + 2
		return r.last, nil
	case c == '\'' || c == '"' || c == '`':
		return r.quoted(i)
	case semicolon && r.execStart < 0 && isWordStart(c) && (i == r.from || !isWordByte(src[i-1])):
		// Words matter only for finding stored-program blocks, which only a ";" delimiter
		// needs; with another delimiter a word could run into it ("END$$").
		r.begin(i)
		j := i + 1
		for j < to && isWordByte(src[j]) {
			j++
		}
		r.block.word(string(src[i:j]))
		r.last = j
		return j, nil
	default:
		r.begin(i)
		// Bytes of a multi-byte character never equal an ASCII byte, so stepping byte by
		// byte cannot mistake part of a character for a quote or delimiter.
		r.last = i + 1
		return r.last, nil
	}
}

// begin starts the pending statement at offset i unless one is pending.
func (r *rangeScan) begin(i int) {
	if r.start < 0 {
		r.start = i
	}
}

// delimiter handles the delimiter at offset i: inside a stored-program block a ";" is part of
// the statement, anywhere else the delimiter ends the pending statement.
func (r *rangeScan) delimiter(i int, semicolon bool) int {
	if semicolon && r.block.open() {
		r.block.semicolon()
		r.last = i + 1
		return r.last
	}
	if r.start >= 0 {
		r.s.emit(r.start, r.last)
		r.start = -1
	}
	r.block = compound{}
	return i + len(r.delim)
}

// comment handles the "/*" at offset i: an executable comment or hint opens statement text,
// any other comment is skipped.
func (r *rangeScan) comment(i int) (int, error) {
	if n := execCommentOpener(r.src[i:]); n > 0 && r.execStart < 0 {
		r.execStart = i
		r.begin(i)
		r.last = i + n
		return r.last, nil
	}
	end := bytes.Index(r.src[i+2:], []byte("*/"))
	if end < 0 {
		return 0, r.s.errorAt(i, "unterminated comment")
	}
	return i + 2 + end + 2, nil
}

// quoted handles the string or quoted identifier that starts at offset i.
func (r *rangeScan) quoted(i int) (int, error) {
	r.begin(i)
	end, ok := quoteEnd(r.src, i)
	if !ok {
		if r.src[i] == '`' {
			return 0, r.s.errorAt(i, "unterminated quoted identifier")
		}
		return 0, r.s.errorAt(i, "unterminated string literal")
	}
	r.last = end
	return end, nil
}

// finish ends the range: the pending statement ends with it, where it may.
func (r *rangeScan) finish() error {
	switch {
	case r.execStart >= 0:
		return r.s.errorAt(r.execStart, "unterminated comment")
	case r.start < 0:
	case r.whole:
		// A goose block is sent as it stands, but its author ends a trigger or routine body
		// with "END;", and that one delimiter is not part of the statement.
		if r.src[r.last-1] == ';' {
			r.last--
		}
		r.s.emit(r.start, r.last)
	case string(r.delim) == ";" || r.s.delim0 != "" && string(r.delim) == r.s.delim0:
		// A statement may end at the end of the file without its delimiter, unless a
		// DELIMITER command changed it and was never set back.
		r.s.emit(r.start, r.last)
	default:
		return r.s.errorAt(r.start, "statement never ends with %q (DELIMITER set at line %d)", r.delim, r.delimLine)
	}
	return nil
}

// atLineStart reports whether only spaces and tabs precede offset i on its line (within the
// scanned range, which always begins at a line start).
func (s *splitter) atLineStart(from, i int) bool {
	for j := i - 1; j >= from; j-- {
		switch s.src[j] {
		case ' ', '\t':
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

// delimiterCommand recognises the client command "DELIMITER <d>" at offset i. It returns the
// offset of the end of its line, the new delimiter and whether it was one. The rest of the
// line after the delimiter is ignored, as the client ignores it.
func (s *splitter) delimiterCommand(i, to int) (int, string, bool, error) {
	const kw = "delimiter"
	src := s.src[:to]
	if len(src)-i < len(kw) || !strings.EqualFold(string(src[i:i+len(kw)]), kw) {
		return 0, "", false, nil
	}
	j := i + len(kw)
	if j < to && src[j] != ' ' && src[j] != '\t' && src[j] != '\r' && src[j] != '\n' {
		return 0, "", false, nil // DELIMITERS, delimiter_table: an ordinary word
	}
	for j < to && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	k := j
	for k < to && !isSpace(src[k]) {
		k++
	}
	if k == j {
		return 0, "", false, s.errorAt(i, "DELIMITER must be followed by the new delimiter")
	}
	return lineEnd(src, k), string(src[j:k]), true, nil
}

// execCommentOpener returns the length of the "/*!", "/*M!" or "/*+" that src starts with, or 0.
// Their contents are SQL the server executes (versioned code, MariaDB-only code, optimizer
// hints), so they belong to the statement rather than being dropped like comments.
func execCommentOpener(src []byte) int {
	switch {
	case bytes.HasPrefix(src, []byte("/*!")), bytes.HasPrefix(src, []byte("/*+")):
		return 3
	case bytes.HasPrefix(src, []byte("/*M!")):
		return 4
	}
	return 0
}

// quoteEnd returns the offset just past the quote that closes the one at src[i]. Inside '…' and
// "…" a backslash escapes the next byte and a doubled quote stands for itself; inside `…` only
// the doubled backtick does (MySQL has no escapes in identifiers).
func quoteEnd(src []byte, i int) (int, bool) {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			if j+1 < len(src) && src[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		}
	}
	return len(src), false
}

// lineEnd returns the offset of the '\n' ending the line that contains offset i (or len(src)).
func lineEnd(src []byte, i int) int {
	if n := bytes.IndexByte(src[i:], '\n'); n >= 0 {
		return i + n
	}
	return len(src)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
