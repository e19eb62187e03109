package introspect

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/schema-guard/schema-guard/internal/sqllex"
	"github.com/schema-guard/schema-guard/schema"
)

// This file reads and writes the SQL literals and expressions that information_schema returns,
// for the normalisation in introspect_normalize.go.

// isQuotedLiteral reports whether s is exactly one single-quoted string literal, so that
// 'a' || 'b' or 'a' + 1 (expressions) are not mistaken for one.
func isQuotedLiteral(s string) bool {
	if len(s) < 2 || s[0] != '\'' {
		return false
	}
	end := sqllex.SkipQuoted(s, 0)
	return end == len(s)
}

// isNumericLiteral reports whether s is a plain decimal number: -5, 1.50, -1e-5.
func isNumericLiteral(s string) bool {
	if s == "" {
		return false
	}
	i := 0
	if s[0] == '-' || s[0] == '+' {
		i++
	}
	digits, dot, exp := 0, false, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot && !exp:
			dot = true
		case (c == 'e' || c == 'E') && digits > 0 && !exp:
			exp = true
			digits = 0
			if i+1 < len(s) && (s[i+1] == '-' || s[i+1] == '+') {
				i++
			}
		default:
			return false
		}
	}
	return digits > 0
}

// normalizeBitLiteral writes a bit literal (b'0101' or 0x05) as b'101': both flavours print
// b'…', MySQL has printed hex, and leading zeros carry no meaning.
func normalizeBitLiteral(s string) (string, bool) {
	var bits string
	switch {
	case len(s) >= 3 && (s[0] == 'b' || s[0] == 'B') && s[1] == '\'' && s[len(s)-1] == '\'':
		bits = s[2 : len(s)-1]
		if strings.Trim(bits, "01") != "" {
			return "", false
		}
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		raw, err := hex.DecodeString(evenHex(s[2:]))
		if err != nil || len(s) == 2 {
			return "", false
		}
		var b strings.Builder
		for _, c := range raw {
			b.WriteString(strconv.FormatUint(uint64(c)|0x100, 2)[1:])
		}
		bits = b.String()
	default:
		return "", false
	}
	bits = strings.TrimLeft(bits, "0")
	if bits == "" {
		bits = "0"
	}
	return "b'" + bits + "'", true
}

// hexLiteralToQuoted turns MySQL's hex default of a binary column (0x61620000) into the quoted
// literal MariaDB reports for the same default ('ab\0\0').
func hexLiteralToQuoted(s string) (string, bool) {
	digits := ""
	switch {
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		digits = s[2:]
	case len(s) >= 3 && (s[0] == 'x' || s[0] == 'X') && s[1] == '\'' && s[len(s)-1] == '\'':
		// x'6162', as MariaDB 11.8 reports the default of a BINARY column.
		digits = s[2 : len(s)-1]
	default:
		return "", false
	}
	raw, err := hex.DecodeString(evenHex(digits))
	if err != nil {
		return "", false
	}
	return schema.QuoteString(string(raw)), true
}

func evenHex(h string) string {
	if len(h)%2 == 1 {
		return "0" + h
	}
	return h
}

// wrapExpr writes an expression default in parentheses, as it appears after DEFAULT, unless the
// server already printed it wrapped: MariaDB says "(1 + 2)" for DEFAULT (1+2) but "uuid()" for
// DEFAULT (uuid()); MySQL says "(1 + 2)" and "uuid()". Not doubling keeps both flavours equal.
func wrapExpr(s string) string {
	if fullyParenthesized(s) {
		return s
	}
	return "(" + s + ")"
}

// fullyParenthesized reports whether one pair of parentheses encloses all of s, so that
// "(a) + (b)" is not taken for wrapped.
func fullyParenthesized(s string) bool {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return false
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'', '"', '`':
			i = sqllex.SkipQuoted(s, i) - 1
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return false
			}
		}
	}
	return depth == 0
}

// unescapeMySQLExpr undoes MySQL 8's extra escaping of expressions stored in information_schema
// (default expressions, generated columns, functional key parts, check clauses): it escapes every
// backslash and quote of the expression once more, writing _utf8mb4\'a\\\\b\' where SHOW CREATE
// TABLE says _utf8mb4'a\\b' (tried on MySQL 9.7). MySQL only; MariaDB prints expressions as SHOW
// CREATE TABLE does.
func unescapeMySQLExpr(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '\\' || s[i+1] == '\'') {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// decodeStringLiteral reads s as one string literal in MySQL's syntax, optionally with a
// character set introducer (_utf8mb4'it\'s'), and returns its value. It is how a MySQL expression
// default that is only a string is recognised: MySQL accepts a default on TEXT, BLOB and JSON only
// as an expression, so DEFAULT ('x') comes back as (_utf8mb4'x'), where MariaDB says 'x'. The
// literal itself is read by schema.UnquoteString, as the model's ENUM and SET values are.
func decodeStringLiteral(s string) (string, bool) {
	if strings.HasPrefix(s, "_") {
		i := 1
		for i < len(s) && (s[i] == '_' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
			i++
		}
		s = s[i:]
	}
	if len(s) < 2 || s[0] != '\'' {
		return "", false
	}
	v, n, err := schema.UnquoteString(s)
	if err != nil || n != len(s) {
		return "", false
	}
	return v, true
}
