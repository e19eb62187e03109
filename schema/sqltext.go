package schema

import (
	"errors"
	"strings"

	"github.com/schema-guard/schema-guard/internal/sqllex"
)

// This file holds the few text operations the diff allows itself. They only ever read text the
// server generated (view definitions, stored bodies, expressions from information_schema), whose
// identifiers are backquoted and whose string literals are quoted; user SQL is never scanned.

// quoteIdent backquotes an identifier, doubling backquotes inside it. Every name the diff writes
// goes through here, so reserved words and odd characters never break a statement.
func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// quoteIdents quotes and comma-joins names: "`a`,`b`".
func quoteIdents(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ",")
}

// QuoteString writes s as a single-quoted literal escaped the way SHOW CREATE TABLE escapes
// defaults and comments on both flavours: a quote doubled, and backslash, NUL, newline and
// carriage return backslash-escaped; nothing else is escaped. The model keeps comments
// unescaped, so this is where they turn back into SQL; MariaDB's COLUMN_DEFAULT uses exactly
// this form, so the runner quotes MySQL's defaults with it to compare them.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			b.WriteString("''")
		case '\\':
			b.WriteString(`\\`)
		case 0:
			b.WriteString(`\0`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// UnquoteString reads the string literal quoted with ' or " at the start of s, in MySQL's and
// MariaDB's syntax, and returns its value and its length in s. A doubled quote is one quote;
// \0, \b, \n, \r, \t and \Z are NUL, backspace, newline, carriage return, tab and Ctrl-Z;
// \% and \_ keep their backslash (the servers keep it, for LIKE patterns); any other escaped
// character is itself. It reads the values of ENUM and SET types and the string defaults the
// introspection finds in expressions; it is the only string-literal decoder of the model.
func UnquoteString(s string) (string, int, error) {
	if s == "" || (s[0] != '\'' && s[0] != '"') {
		return "", 0, errors.New("not a quoted value")
	}
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q && i+1 < len(s) && s[i+1] == q:
			b.WriteByte(q)
			i++
		case c == q:
			return b.String(), i + 1, nil
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case '0':
				b.WriteByte(0)
			case 'b':
				b.WriteByte('\b')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'Z':
				b.WriteByte(0x1a)
			case '%', '_':
				b.WriteByte('\\')
				b.WriteByte(e)
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, errors.New("unterminated quoted value")
}

// quotedEnd returns the index just past the quoted token (', " or `) that starts at s[i], or
// len(s) when it is not closed (sqllex.SkipQuoted, which says len(s)+1 for that).
func quotedEnd(s string, i int) int {
	return min(sqllex.SkipQuoted(s, i), len(s))
}

// unquoteIdent returns the name inside a backquoted token ("`a“b`" → "a`b").
func unquoteIdent(tok string) string {
	tok = strings.TrimPrefix(tok, "`")
	tok = strings.TrimSuffix(tok, "`")
	return strings.ReplaceAll(tok, "``", "`")
}

// stripQualifier removes the database qualifier `db`. that the server writes in front of every
// table it names in a view definition, so that views of two databases compare equal and render
// for any database. Only a backquoted db immediately followed by a dot, and not itself preceded
// by one, is a qualifier; the same name as a column alias or inside a string stays.
func stripQualifier(def, db string) string {
	if db == "" || !strings.Contains(def, "`") {
		return def
	}
	var b strings.Builder
	b.Grow(len(def))
	for i := 0; i < len(def); {
		c := def[i]
		if c != '\'' && c != '"' && c != '`' {
			b.WriteByte(c)
			i++
			continue
		}
		end := quotedEnd(def, i)
		tok := def[i:end]
		if c == '`' && end < len(def) && def[end] == '.' && (i == 0 || def[i-1] != '.') &&
			strings.EqualFold(unquoteIdent(tok), db) {
			i = end + 1
			continue
		}
		b.WriteString(tok)
		i = end
	}
	return b.String()
}

// collapseSpace normalises a stored body for comparison: every run of whitespace outside quoted
// strings and identifiers becomes one space (a newline after a -- or # comment, which ends it),
// and the ends are trimmed. Re-indenting a trigger or routine is then no difference; any other
// edit is.
func collapseSpace(body string) string {
	var b strings.Builder
	b.Grow(len(body))
	pendingSpace, lineComment := false, false
	flush := func() {
		if pendingSpace && b.Len() > 0 {
			if lineComment {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		pendingSpace, lineComment = false, false
	}
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			pendingSpace = true
			i++
		case c == '\'' || c == '"' || c == '`':
			flush()
			end := quotedEnd(body, i)
			b.WriteString(body[i:end])
			i = end
		case c == '#' || isDashComment(body, i):
			flush()
			end := strings.IndexByte(body[i:], '\n')
			if end < 0 {
				end = len(body) - i
			}
			b.WriteString(body[i : i+end])
			i += end
			lineComment, pendingSpace = true, true
		case c == '/' && strings.HasPrefix(body[i:], "/*"):
			flush()
			end := strings.Index(body[i+2:], "*/")
			if end < 0 {
				end = len(body) - i
			} else {
				end += 4
			}
			b.WriteString(body[i : i+end])
			i += end
		default:
			flush()
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// renameIdents rewrites backquoted identifiers outside string literals through renames (keys
// lower case), as the server does to check clauses and generated-column expressions when a
// column is renamed. Used to apply rename hints to the `from` side before comparing.
func renameIdents(expr string, renames map[string]string) string {
	if len(renames) == 0 || !strings.Contains(expr, "`") {
		return expr
	}
	var b strings.Builder
	b.Grow(len(expr))
	for i := 0; i < len(expr); {
		c := expr[i]
		if c != '\'' && c != '"' && c != '`' {
			b.WriteByte(c)
			i++
			continue
		}
		end := quotedEnd(expr, i)
		tok := expr[i:end]
		if c == '`' {
			if to, ok := renames[strings.ToLower(unquoteIdent(tok))]; ok {
				tok = quoteIdent(to)
			}
		}
		b.WriteString(tok)
		i = end
	}
	return b.String()
}

// backquotedNames returns the lower-case names of the backquoted identifiers in s, outside
// string literals: the tables and views a server-generated view definition reads, among others.
func backquotedNames(s string) map[string]bool {
	names := map[string]bool{}
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\'' && c != '"' && c != '`' {
			i++
			continue
		}
		end := quotedEnd(s, i)
		if c == '`' {
			names[strings.ToLower(unquoteIdent(s[i:end]))] = true
		}
		i = end
	}
	return names
}

// isDashComment reports whether a -- comment starts at s[i]: two dashes followed by whitespace
// or the end, as MySQL and MariaDB require ("a--1" is arithmetic).
func isDashComment(s string, i int) bool {
	if !strings.HasPrefix(s[i:], "--") {
		return false
	}
	if i+2 == len(s) {
		return true
	}
	switch s[i+2] {
	case ' ', '\t', '\n', '\r', '\f', '\v':
		return true
	}
	return false
}

// normalizeIntWidths removes integer display widths from a type or a parameter list, for
// comparison: int(11) and int(10) are the same type. MySQL 8.0.19+ prints none; MariaDB keeps
// the width it was given or its default, so INT(11) UNSIGNED and INT UNSIGNED differ in the
// model. Like MySQL, it keeps tinyint(1), the conventional boolean, and widths under ZEROFILL,
// where they pad values.
func normalizeIntWidths(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			end := quotedEnd(s, i)
			b.WriteString(s[i:end])
			i = end
		case isIdentByte(c) && (i == 0 || !isIdentByte(s[i-1])):
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			b.WriteString(s[i:j])
			word := strings.ToLower(s[i:j])
			i = j
			if !isIntType(word) || j >= len(s) || s[j] != '(' {
				continue
			}
			k := j + 1
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			if k == j+1 || k >= len(s) || s[k] != ')' {
				continue
			}
			if (word == "tinyint" && s[j+1:k] == "1") || zerofillFollows(s, k+1) {
				continue
			}
			i = k + 1
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIntType(word string) bool {
	switch word {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint":
		return true
	}
	return false
}

// zerofillFollows reports whether ZEROFILL comes after s[i] before the type ends (a comma or a
// closing parenthesis, as in a parameter list).
func zerofillFollows(s string, i int) bool {
	end := strings.IndexAny(s[i:], ",)")
	if end < 0 {
		end = len(s) - i
	}
	for _, w := range strings.Fields(s[i : i+end]) {
		if strings.EqualFold(w, "zerofill") {
			return true
		}
	}
	return false
}

// QuoteIdent backquotes an identifier, doubling backquotes inside it, for the packages that
// write SQL around the model (the probes, the runner).
func QuoteIdent(name string) string { return quoteIdent(name) }
