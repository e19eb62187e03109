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
	src := s.src[:to]
	delim, delimLine := []byte(";"), 0
	if s.delim0 != "" {
		delim = []byte(s.delim0)
	}
	start, last := -1, -1 // the pending statement: its first byte and the end of its last token
	execStart := -1       // the "/*!", "/*M!" or "/*+" we are inside, if any
	var block compound    // stored-program blocks of the pending statement
	for i := from; i < to; {
		c := src[i]
		if start < 0 && !whole && c|0x20 == 'd' && s.atLineStart(from, i) {
			if n, d, ok, err := s.delimiterCommand(i, to); err != nil {
				return err
			} else if ok {
				delim = []byte(d)
				delimLine, _ = s.lines.pos(i)
				s.delimiters = append(s.delimiters, i)
				i = n
				continue
			}
		}
		semicolon := len(delim) == 1 && delim[0] == ';'
		// The delimiter is looked for before comments, as the client does, so that a delimiter
		// such as "#" or "--" still works; it is never looked for inside an executable comment
		// or hint, since those are statement text that the server reads as a whole.
		if !whole && execStart < 0 && bytes.HasPrefix(src[i:], delim) {
			if semicolon && block.open() {
				block.semicolon()
				i++
				last = i
				continue
			}
			if start >= 0 {
				s.emit(start, last)
				start = -1
			}
			block = compound{}
			i += len(delim)
			continue
		}
		next := byte(0)
		if i+1 < to {
			next = src[i+1]
		}
		switch {
		case isSpace(c):
			i++
		case c == '#' || c == '-' && next == '-' && (i+2 >= to || src[i+2] <= ' ' || src[i+2] == 0x7f):
			// MySQL needs a space or control character after "--": "1--1" is arithmetic.
			i = lineEnd(src, i)
		case c == '/' && next == '*':
			if n := execCommentOpener(src[i:]); n > 0 && execStart < 0 {
				execStart = i
				if start < 0 {
					start = i
				}
				i += n
				last = i
				continue
			}
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return s.errorAt(i, "unterminated comment")
			}
			i += 2 + end + 2
		case c == '*' && next == '/' && execStart >= 0:
			execStart = -1
			i += 2
			last = i
		case c == '\'' || c == '"' || c == '`':
			if start < 0 {
				start = i
			}
			end, ok := quoteEnd(src, i)
			if !ok {
				if c == '`' {
					return s.errorAt(i, "unterminated quoted identifier")
				}
				return s.errorAt(i, "unterminated string literal")
			}
			i = end
			last = i
		case semicolon && execStart < 0 && isWordStart(c) && (i == from || !isWordByte(src[i-1])):
			// Words matter only for finding stored-program blocks, which only a ";" delimiter
			// needs; with another delimiter a word could run into it ("END$$").
			if start < 0 {
				start = i
			}
			j := i + 1
			for j < to && isWordByte(src[j]) {
				j++
			}
			block.word(string(src[i:j]))
			i = j
			last = i
		default:
			if start < 0 {
				start = i
			}
			// Bytes of a multi-byte character never equal an ASCII byte, so stepping byte by
			// byte cannot mistake part of a character for a quote or delimiter.
			i++
			last = i
		}
	}
	switch {
	case execStart >= 0:
		return s.errorAt(execStart, "unterminated comment")
	case start < 0:
	case whole:
		// A goose block is sent as it stands, but its author ends a trigger or routine body
		// with "END;", and that one delimiter is not part of the statement.
		if src[last-1] == ';' {
			last--
		}
		s.emit(start, last)
	case string(delim) == ";" || s.delim0 != "" && string(delim) == s.delim0:
		// A statement may end at the end of the file without its delimiter, unless a
		// DELIMITER command changed it and was never set back.
		s.emit(start, last)
	default:
		return s.errorAt(start, "statement never ends with %q (DELIMITER set at line %d)", delim, delimLine)
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
