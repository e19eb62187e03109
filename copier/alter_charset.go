package copier

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/schema-guard/schema-guard/internal/sqllex"
)

// The TiDB parser refuses an ALTER that names a character set or collation it does not know,
// and it knows a list (migrations/collations.go adds those of the servers tested here). The
// server is the judge of which names exist: a name the parser lacks but the server knows — a
// collation of a newer server — must not stop the copy. The plan only needs the ALTER's
// structure from the parser, never the names: the server applies the ALTER's own text to the
// shadow table. So a name the parser lacks is asked of the server, and when the server knows
// it, the parser reads a copy of the text in which the name is replaced by one it knows.

// unknownName reads the parser's error for a name it does not know.
var unknownName = regexp.MustCompile(`Unknown (character set|collation): '([^']*)'`)

// plainName is a character set or collation name that can be written unquoted.
var plainName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// parseAlterOn is parseAlter with the names of character sets and collations judged by the
// server q is connected to.
func parseAlterOn(ctx context.Context, q querier, table, text string, renames map[string]string) (*alterPlan, error) {
	model := text
	for range 16 {
		p, err := parseAlter(table, model, renames)
		kind, name, ok := unknownCharsetName(err)
		if !ok {
			if p != nil && model != text {
				// The shadow gets the ALTER as written.
				_, p.clauses, _ = splitAlter(text)
			}
			return p, err
		}
		known, err := serverKnows(ctx, q, kind, name)
		if err != nil {
			return nil, fmt.Errorf("copier: %w", err)
		}
		if !known {
			return nil, &Refusal{Reason: fmt.Sprintf("the server does not know the %s %s named in the ALTER", kind, name), BadInput: true}
		}
		standIn := "utf8mb4"
		if kind == "collation" {
			standIn = "utf8mb4_bin"
		}
		replaced := replaceCharsetName(model, name, standIn)
		if replaced == model {
			return p, &Refusal{Reason: fmt.Sprintf("cannot read the ALTER: the %s %s is not where the copier can find it", kind, name), BadInput: true}
		}
		model = replaced
	}
	return nil, &Refusal{Reason: "cannot read the ALTER: it names too many character sets and collations the parser does not know", BadInput: true}
}

// unknownCharsetName reads a refusal of parseAlter for an unknown character set or collation.
func unknownCharsetName(err error) (kind, name string, ok bool) {
	var ref *Refusal
	if !errors.As(err, &ref) {
		return "", "", false
	}
	m := unknownName.FindStringSubmatch(ref.Reason)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// serverKnows asks the server whether it has the character set or collation: an expression
// that uses it fails with 1115 (unknown character set) or 1273 (unknown collation) when it
// does not; 1253 (a collation of another character set) means it knows the collation.
func serverKnows(ctx context.Context, q querier, kind, name string) (bool, error) {
	if !plainName.MatchString(name) {
		return false, nil
	}
	query := "SELECT CHARSET(CONVERT(_binary'' USING " + name + "))"
	if kind == "collation" {
		query = "SELECT COLLATION(_utf8mb4'' COLLATE " + name + ")"
	}
	var got string
	err := q.QueryRowContext(ctx, query).Scan(&got)
	switch {
	case err == nil, isErrno(err, errCollationMismatch):
		return true, nil
	case isErrno(err, errUnknownCharset, errUnknownCollation):
		return false, nil
	}
	return false, fmt.Errorf("ask the server for the %s %s: %w", kind, name, err)
}

// The server's errors for names.
const (
	errUnknownCharset    = 1115 // ER_UNKNOWN_CHARACTER_SET
	errCollationMismatch = 1253 // ER_COLLATION_CHARSET_MISMATCH
	errUnknownCollation  = 1273 // ER_UNKNOWN_COLLATION
)

// replaceCharsetName replaces name, where it follows CHARACTER SET, CHARSET or COLLATE (with
// an optional =), by standIn. Quoted strings, identifiers and comments are passed over whole,
// so a column or a comment of the same name is left alone.
func replaceCharsetName(text, name, standIn string) string {
	toks, _ := sqllex.Tokens(text)
	var b strings.Builder
	last := 0
	var prev, prev2 sqllex.Token
	for _, t := range toks {
		if t.Kind == sqllex.Punct && t.Text == "=" {
			continue
		}
		after := prev.Is("CHARSET") || prev.Is("COLLATE") || (prev.Is("SET") && prev2.Is("CHARACTER"))
		if after && t.Kind != sqllex.Punct && strings.EqualFold(t.Text, name) {
			b.WriteString(text[last:t.Start] + standIn)
			last = t.End
		}
		prev2, prev = prev, t
	}
	b.WriteString(text[last:])
	return b.String()
}
