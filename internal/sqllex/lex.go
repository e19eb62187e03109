// Package sqllex splits MySQL and MariaDB SQL text into tokens with their offsets: words (bare
// identifiers and keywords), backquoted identifiers, string literals, and punctuation.
// Whitespace and comments are skipped; the content of executable comments (/*! … */ and
// MariaDB's /*M! … */) is scanned as code, since the server runs it. It decides nothing about
// meaning: callers use it to locate things in text that the parser, or the server, judged.
package sqllex

import "strings"

// Kind is a token's kind.
type Kind int

// The token kinds.
const (
	Word   Kind = iota // a bare word: keyword, identifier, number
	Ident              // a `backquoted` identifier
	String             // a 'single' or "double" quoted string
	Punct              // one byte of punctuation
)

// Token is one token of SQL text.
type Token struct {
	Kind Kind
	// Text is the token's value: a word as written, an identifier or string without its
	// quotes and with its escapes undone (“ ` “ in identifiers, doubled quotes and backslash
	// escapes in strings), the punctuation byte.
	Text string
	// Start and End are the token's byte offsets in the text; End is past its last byte.
	Start, End int
}

// Is reports whether the token is the bare word w, compared case-insensitively.
func (t Token) Is(w string) bool { return t.Kind == Word && strings.EqualFold(t.Text, w) }

// Name reports whether the token names an identifier (bare or quoted) equal to name, compared
// case-insensitively.
func (t Token) Name(name string) bool {
	return (t.Kind == Word || t.Kind == Ident) && strings.EqualFold(t.Text, name)
}

// Tokens splits sql into tokens. An unterminated quote or comment ends the text: what comes
// before it is returned, and complete reports false.
func Tokens(sql string) (toks []Token, complete bool) {
	toks, unclosed := Scan(sql)
	return toks, unclosed < 0
}

// Scan is Tokens that also says where it stopped: unclosed is the offset of the quote or
// comment that is not closed (sql[unclosed] is its quote, or the / of its /*), -1 when the
// text is complete.
func Scan(sql string) (toks []Token, unclosed int) {
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#' || (c == '-' && strings.HasPrefix(sql[i:], "--") && (i+2 == len(sql) || sql[i+2] <= ' ')):
			end := strings.IndexByte(sql[i:], '\n')
			if end < 0 {
				return toks, -1
			}
			i += end + 1
		case c == '/' && strings.HasPrefix(sql[i:], "/*!"), c == '/' && strings.HasPrefix(sql[i:], "/*M!"):
			// Executable comment: its content is code; its closing */ is skipped below.
			i += 3
			if sql[i-1] == 'M' {
				i++
			}
			for i < len(sql) && '0' <= sql[i] && sql[i] <= '9' {
				i++
			}
		case c == '*' && strings.HasPrefix(sql[i:], "*/"):
			i += 2 // the end of an executable comment
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return toks, i
			}
			i += end + 4
		case c == '`' || c == '\'' || c == '"':
			text, end, ok := quoted(sql, i)
			if !ok {
				return toks, i
			}
			kind := String
			if c == '`' {
				kind = Ident
			}
			toks = append(toks, Token{Kind: kind, Text: text, Start: i, End: end})
			i = end
		case isWordByte(c):
			j := i
			for j < len(sql) && isWordByte(sql[j]) {
				j++
			}
			toks = append(toks, Token{Kind: Word, Text: sql[i:j], Start: i, End: j})
			i = j
		default:
			toks = append(toks, Token{Kind: Punct, Text: sql[i : i+1], Start: i, End: i + 1})
			i++
		}
	}
	return toks, -1
}

// quoted reads the quoted token starting at sql[i]: its value and the offset past it.
func quoted(sql string, i int) (string, int, bool) {
	q := sql[i]
	var b strings.Builder
	for j := i + 1; j < len(sql); j++ {
		c := sql[j]
		switch {
		case c == q && j+1 < len(sql) && sql[j+1] == q:
			b.WriteByte(q)
			j++
		case c == q:
			return b.String(), j + 1, true
		case c == '\\' && q != '`' && j+1 < len(sql):
			j++
			b.WriteByte(unescape(sql[j]))
		default:
			b.WriteByte(c)
		}
	}
	return "", len(sql), false
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case '0':
		return 0
	}
	return c
}

// isWordByte reports whether c may be part of a bare word: letters, digits, _ and $, and any
// byte of a multibyte UTF-8 character (MySQL allows those in unquoted identifiers).
func isWordByte(c byte) bool {
	return c >= 0x80 || c == '_' || c == '$' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// Words returns the bare words and identifiers of sql, and the words inside its string
// literals: what a name may be written as in dynamic SQL (PREPARE s FROM 'ALTER TABLE t …').
func Words(sql string) []string {
	toks, _ := Tokens(sql)
	var out []string
	for _, t := range toks {
		switch t.Kind {
		case Word, Ident:
			out = append(out, t.Text)
		case String:
			out = append(out, strings.FieldsFunc(t.Text, func(r rune) bool { return r < 0x80 && !isWordByte(byte(r)) })...)
		}
	}
	return out
}
