package declared

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// source is one declared file: its text, where its lines start, and the rename hints in its
// line comments.
type source struct {
	path   string
	text   []byte
	starts []int // byte offset of each line's first character; starts[0] is after any BOM
	// lineComments are the "--" and "#" comments, by 1-based line (at most one per line: a line
	// comment runs to the end of its line).
	lineComments map[int]lineComment
	hints        map[int]*hint // the rename hints among them, by line
}

// lineComment is a "--" or "#" comment.
type lineComment struct {
	col int  // 1-based column of the marker
	own bool // only blanks come before it on its line: a comment line, not a trailing comment
}

// hint is one "-- schema-guard:renamed-from <old>" comment.
type hint struct {
	line, col int
	own       bool   // on a line of its own
	from      string // the old name as written, unquoted
	used      bool
}

const bom = "\xef\xbb\xbf"

func newSource(path string, text []byte) (*source, error) {
	s := &source{path: path, text: text, lineComments: map[int]lineComment{}, hints: map[int]*hint{}}
	first := 0
	if bytes.HasPrefix(text, []byte(bom)) {
		first = len(bom)
	}
	s.starts = []int{first}
	for i, b := range text {
		if b == '\n' {
			s.starts = append(s.starts, i+1)
		}
	}
	if err := s.scanComments(first); err != nil {
		return nil, err
	}
	return s, nil
}

// pos turns a byte offset into a 1-based line and character column.
func (s *source) pos(off int) (line, col int) {
	off = min(max(off, 0), len(s.text))
	i := max(sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > off })-1, 0)
	start := min(s.starts[i], off)
	return i + 1, utf8.RuneCount(s.text[start:off]) + 1
}

// offset turns a 1-based line and character column back into a byte offset.
func (s *source) offset(line, col int) int {
	if line < 1 || line > len(s.starts) {
		return len(s.text)
	}
	off := s.starts[line-1]
	for c := 1; c < col && off < len(s.text); c++ {
		_, size := utf8.DecodeRune(s.text[off:])
		off += size
	}
	return off
}

// scanComments finds the line comments the way the splitter reads the file: quoted text and
// block comments hide comment markers, executable comments ("/*!50001 … */") are SQL. A
// "DELIMITER #" file would confuse it, and only costs hint positions.
func (s *source) scanComments(from int) error {
	src := s.text
	inExec := false
	for i := from; i < len(src); {
		c := src[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = quoteEnd(src, i)
		case c == '#' || c == '-' && i+1 < len(src) && src[i+1] == '-' && (i+2 >= len(src) || src[i+2] <= ' ' || src[i+2] == 0x7f):
			end := len(src)
			if n := bytes.IndexByte(src[i:], '\n'); n >= 0 {
				end = i + n
			}
			if err := s.lineComment(i, end); err != nil {
				return err
			}
			i = end
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			rest := src[i:]
			if !inExec && (bytes.HasPrefix(rest, []byte("/*!")) || bytes.HasPrefix(rest, []byte("/*M!")) || bytes.HasPrefix(rest, []byte("/*+"))) {
				inExec = true
				i += 3
				continue
			}
			n := bytes.Index(src[i+2:], []byte("*/"))
			if n < 0 {
				return nil
			}
			i += 2 + n + 2
		case c == '*' && inExec && i+1 < len(src) && src[i+1] == '/':
			inExec = false
			i += 2
		default:
			i++
		}
	}
	return nil
}

// quoteEnd returns the offset past the quote closing the one at src[i] (len(src) if none).
// Inside '…' and "…" a backslash escapes the next byte; a doubled quote stands for itself.
func quoteEnd(src []byte, i int) int {
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
			return j + 1
		}
	}
	return len(src)
}

// lineComment records the comment src[start:end] and reads a rename hint from it.
func (s *source) lineComment(start, end int) error {
	line, col := s.pos(start)
	lineStart := s.starts[line-1]
	own := len(bytes.TrimLeft(s.text[lineStart:start], " \t")) == 0
	s.lineComments[line] = lineComment{col: col, own: own}
	body := string(s.text[start:end])
	if body[0] == '#' {
		body = body[1:]
	} else {
		body = body[2:]
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(body), HintRenamedFrom)
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil // another comment, or another word that starts the same way
	}
	from := hintName(strings.TrimSpace(rest))
	if from == "" {
		return fmt.Errorf("%s:%d:%d: %s needs the old name: -- %s <old_name>", s.path, line, col, HintRenamedFrom, HintRenamedFrom)
	}
	s.hints[line] = &hint{line: line, col: col, own: own, from: from}
	return nil
}

// hintName reads the old name at the start of a hint's argument: a bare word up to the first
// blank, or a `quoted` name. What follows it is free text (a reason, a ticket).
func hintName(arg string) string {
	if strings.HasPrefix(arg, "`") {
		var b strings.Builder
		for i := 1; i < len(arg); i++ {
			if arg[i] != '`' {
				b.WriteByte(arg[i])
				continue
			}
			if i+1 < len(arg) && arg[i+1] == '`' {
				b.WriteByte('`')
				i++
				continue
			}
			return b.String()
		}
		return "" // unterminated
	}
	if i := strings.IndexAny(arg, " \t\r"); i >= 0 {
		arg = arg[:i]
	}
	return strings.TrimRight(arg, ",;")
}

// commentBlockAbove returns the hints on the comment lines directly above line, not going up to
// line stop or beyond. A blank line or any SQL ends the block: a hint belongs to what it touches.
func (s *source) commentBlockAbove(line, stop int) []*hint {
	var hs []*hint
	for l := line - 1; l > stop; l-- {
		c, ok := s.lineComments[l]
		if !ok || !c.own {
			break
		}
		if h := s.hints[l]; h != nil {
			hs = append(hs, h)
		}
	}
	return hs
}

// trailingHint returns the hint at the end of line, after some SQL, if there is one.
func (s *source) trailingHint(line int) *hint {
	if h := s.hints[line]; h != nil && !h.own {
		return h
	}
	return nil
}

// unused returns the first hint no object took.
func (s *source) unused() *hint {
	var first *hint
	for _, h := range s.hints {
		if !h.used && (first == nil || h.line < first.line) {
			first = h
		}
	}
	return first
}

// columnStarts returns, for each column name (in the order of the AST's column definitions),
// the byte offset in text where its definition starts, or -1. The AST says which columns there
// are; the text is only searched for where each one is: the elements of the first parenthesised
// list, in order, whose first token is that name.
func columnStarts(text string, names []string) []int {
	elems := listElements(text)
	offs := make([]int, len(names))
	next := 0
	for i, name := range names {
		offs[i] = -1
		for j := next; j < len(elems); j++ {
			if strings.EqualFold(elems[j].name, name) {
				offs[i], next = elems[j].off, j+1
				break
			}
		}
	}
	return offs
}

// listElement is an element of a parenthesised list that starts with a name.
type listElement struct {
	off  int
	name string
}

// listElements returns the elements of text's first parenthesised list whose first token is a
// name or a quoted identifier, in order.
func listElements(text string) []listElement {
	var elems []listElement
	tokens := sqlTokens{text: text, src: []byte(text)}
	depth, expect := 0, false
	for {
		start, ident, ok := tokens.next()
		if !ok {
			return elems
		}
		if depth == 1 && expect {
			expect = false
			if ident != "" {
				elems = append(elems, listElement{start, ident})
			}
		}
		switch text[start] {
		case '(':
			if depth++; depth == 1 {
				expect = true
			}
		case ')':
			if depth--; depth == 0 {
				return elems // the end of the column list
			}
		case ',':
			expect = depth == 1
		}
	}
}

// sqlTokens steps through SQL text token by token, past whitespace and comments; the text of an
// executable comment ("/*!50100 ... */") is tokens like any other.
type sqlTokens struct {
	text   string
	src    []byte
	i      int // where the next token is looked for
	inExec bool
}

// next returns the offset of the next token and, for a name or a quoted identifier, the name it
// says. ok is false at the end of the text or at a comment that never ends.
func (t *sqlTokens) next() (start int, ident string, ok bool) {
	src := t.src
	for t.i < len(src) {
		i := t.i
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			t.i++
		case c == '#' || c == '-' && i+1 < len(src) && src[i+1] == '-' && (i+2 >= len(src) || src[i+2] <= ' '):
			if n := bytes.IndexByte(src[i:], '\n'); n >= 0 {
				t.i += n
			} else {
				t.i = len(src)
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			if !t.inExec && (bytes.HasPrefix(src[i:], []byte("/*!")) || bytes.HasPrefix(src[i:], []byte("/*M!"))) {
				t.inExec = true
				for t.i += 3; t.i < len(src) && (src[t.i] == '!' || src[t.i] >= '0' && src[t.i] <= '9'); t.i++ {
				}
				continue
			}
			n := bytes.Index(src[i+2:], []byte("*/"))
			if n < 0 {
				return 0, "", false
			}
			t.i += 2 + n + 2
		case c == '*' && t.inExec && i+1 < len(src) && src[i+1] == '/':
			t.inExec = false
			t.i += 2
		case c == '`' || c == '"':
			t.i = quoteEnd(src, i)
			if t.i-i >= 2 {
				ident = strings.ReplaceAll(t.text[i+1:t.i-1], string([]byte{c, c}), string(c))
			}
			return i, ident, true
		case c == '\'':
			t.i = quoteEnd(src, i)
			return i, "", true
		case isWordByte(c):
			for t.i < len(src) && isWordByte(src[t.i]) {
				t.i++
			}
			return i, t.text[i:t.i], true
		default:
			t.i++
			return i, "", true
		}
	}
	return 0, "", false
}

// isWordByte reports whether c can be part of an unquoted identifier (bytes of multi-byte
// characters included, as MySQL allows them).
func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' || c >= 0x80
}
