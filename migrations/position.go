package migrations

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// SyntaxError is a problem that stops a migration file from being split into statements. It
// prints as one line, "path:line:column: message", which editors and CI logs turn into a link.
type SyntaxError struct {
	File   string
	Line   int // 1-based
	Column int // 1-based, in characters; 0 when only the line is known
	Msg    string
}

// Error formats the error as "path:line:column: message", or "path:line: message".
func (e *SyntaxError) Error() string {
	if e.Column == 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// bom is the UTF-8 byte order mark some Windows editors put at the start of a file.
const bom = "\xef\xbb\xbf"

// bomLen is the length of a leading byte order mark in src, 0 when there is none.
func bomLen(src []byte) int {
	if len(src) >= len(bom) && string(src[:len(bom)]) == bom {
		return len(bom)
	}
	return 0
}

// lineIndex turns byte offsets into the line and column an editor shows. Lines end at '\n' only
// (the mysql client reads lines the same way), so a "\r\n" file has the same line numbers, and
// the '\r' is merely the last character of its line.
type lineIndex struct {
	src    []byte
	starts []int // byte offset of each line's first character; starts[0] is after any BOM
	// The last position asked for: statements come in file order, so counting characters from
	// there keeps a long line with many statements linear rather than quadratic.
	lastOff, lastLine, lastCol int
}

func newLineIndex(src []byte) *lineIndex {
	starts := []int{bomLen(src)}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{src: src, starts: starts}
}

// pos returns the 1-based line and character column of byte offset off.
func (x *lineIndex) pos(off int) (line, col int) {
	off = min(max(off, 0), len(x.src))
	// The last line starting at or before off.
	i := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off }) - 1
	i = max(i, 0)
	start, col := min(x.starts[i], off), 1
	if x.lastLine == i+1 && x.lastOff >= start && x.lastOff <= off {
		start, col = x.lastOff, x.lastCol
	}
	col += utf8.RuneCount(x.src[start:off])
	x.lastOff, x.lastLine, x.lastCol = off, i+1, col
	return i + 1, col
}

// checkUTF8 reports the first byte of src that is not valid UTF-8. The server would reject or
// mangle such a file depending on the connection character set, and the columns we report are
// only meaningful in characters of a known encoding.
func checkUTF8(path string, src []byte, lines *lineIndex) error {
	if utf8.Valid(src) {
		return nil
	}
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			line, col := lines.pos(i)
			return &SyntaxError{File: path, Line: line,
				Msg: fmt.Sprintf("not valid UTF-8 (byte 0x%02x at column %d)", src[i], col)}
		}
		i += size
	}
	return nil
}
