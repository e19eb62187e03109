package copier

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file finds where an ALTER TABLE's specifications start, so they can be applied to the
// shadow table as written. It knows quotes and comments and nothing else: what the statement
// means is the parser's business (alter.go), and a text this scanner cannot place is refused.

// alterHead is "ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS] [schema.]table".
type alterHead struct {
	ignore        bool
	schema, table string
}

func (h *alterHead) qualified() string {
	if h.schema != "" {
		return h.schema + "." + h.table
	}
	return h.table
}

// splitAlter cuts text into its head (nil when text is only specifications) and the
// specifications, without the statement's closing semicolon.
func splitAlter(text string) (*alterHead, string, error) {
	if strings.Contains(text, "/*!") || strings.Contains(text, "/*M!") {
		return nil, "", errors.New("executable comments (/*! … */) are not supported")
	}
	body, err := trimStatementEnd(text)
	if err != nil {
		return nil, "", err
	}
	s := scanner{text: body}
	s.skip()
	start := s.pos
	if !strings.EqualFold(s.word(), "ALTER") {
		return nil, strings.TrimSpace(body[start:]), nil
	}
	h := &alterHead{}
	for {
		s.skip()
		w := s.word()
		switch strings.ToUpper(w) {
		case "ONLINE":
			continue
		case "IGNORE":
			h.ignore = true
			continue
		case "TABLE":
		default:
			return nil, "", errors.New("not an ALTER TABLE statement")
		}
		break
	}
	s.skip()
	// MariaDB's ALTER TABLE IF EXISTS t: on a table that exists (the copier's), as without it.
	// IF is reserved, so a table of that name is quoted and not read here.
	if at := s.pos; strings.EqualFold(s.word(), "IF") {
		s.skip()
		if !strings.EqualFold(s.word(), "EXISTS") {
			return nil, "", errors.New("IF without EXISTS after ALTER TABLE")
		}
		s.skip()
	} else {
		s.pos = at
	}
	name, ok := s.ident()
	if !ok {
		return nil, "", errors.New("no table name after ALTER TABLE")
	}
	h.table = name
	s.skip()
	if s.peek() == '.' {
		s.pos++
		s.skip()
		if h.table, ok = s.ident(); !ok {
			return nil, "", errors.New("no table name after the schema name")
		}
		h.schema = name
	}
	return h, strings.TrimSpace(body[s.pos:]), nil
}

// trimStatementEnd drops a closing semicolon and what follows it, when that is only space and
// comments; a second statement is an error.
func trimStatementEnd(text string) (string, error) {
	s := scanner{text: text}
	for s.pos < len(text) {
		switch c := text[s.pos]; {
		case c == '\'' || c == '"' || c == '`':
			if !s.quoted(c) {
				return "", errors.New("unterminated quoted string")
			}
		case c == ';':
			end := s.pos
			s.pos++
			s.skip()
			if s.pos < len(text) {
				return "", errors.New("more than one statement")
			}
			return text[:end], nil
		case s.comment():
		default:
			s.pos++
		}
	}
	return text, nil
}

type scanner struct {
	text string
	pos  int
}

func (s *scanner) peek() byte {
	if s.pos < len(s.text) {
		return s.text[s.pos]
	}
	return 0
}

// skip passes white space and comments.
func (s *scanner) skip() {
	for s.pos < len(s.text) {
		r, n := utf8.DecodeRuneInString(s.text[s.pos:])
		if unicode.IsSpace(r) {
			s.pos += n
			continue
		}
		if !s.comment() {
			return
		}
	}
}

// comment passes one comment at pos and reports whether there was one.
func (s *scanner) comment() bool {
	rest := s.text[s.pos:]
	switch {
	case strings.HasPrefix(rest, "/*"):
		end := strings.Index(rest[2:], "*/")
		if end < 0 {
			s.pos = len(s.text)
		} else {
			s.pos += end + 4
		}
	case strings.HasPrefix(rest, "#"), strings.HasPrefix(rest, "--") && (len(rest) == 2 || rest[2] <= ' '):
		end := strings.IndexByte(rest, '\n')
		if end < 0 {
			s.pos = len(s.text)
		} else {
			s.pos += end + 1
		}
	default:
		return false
	}
	return true
}

// quoted passes a string or identifier quoted with q, doubled quotes and (in strings)
// backslash escapes included, and reports whether it was terminated.
func (s *scanner) quoted(q byte) bool {
	for i := s.pos + 1; i < len(s.text); i++ {
		switch s.text[i] {
		case '\\':
			if q != '`' {
				i++
			}
		case q:
			if i+1 < len(s.text) && s.text[i+1] == q {
				i++
				continue
			}
			s.pos = i + 1
			return true
		}
	}
	return false
}

// word reads an unquoted word: letters, digits, _ and $.
func (s *scanner) word() string {
	start := s.pos
	for s.pos < len(s.text) {
		r, n := utf8.DecodeRuneInString(s.text[s.pos:])
		if !(r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			break
		}
		s.pos += n
	}
	return s.text[start:s.pos]
}

// ident reads an identifier, backquoted or not, and returns its name.
func (s *scanner) ident() (string, bool) {
	if s.peek() == '`' {
		start := s.pos
		if !s.quoted('`') {
			return "", false
		}
		return strings.ReplaceAll(s.text[start+1:s.pos-1], "``", "`"), true
	}
	w := s.word()
	return w, w != ""
}
