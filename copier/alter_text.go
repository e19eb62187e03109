package copier

import (
	"errors"
	"strings"

	"github.com/schema-guard/schema-guard/internal/sqllex"
)

// This file finds where an ALTER TABLE's specifications start, so they can be applied to the
// shadow table as written. It reads the text's tokens (internal/sqllex), which know quotes and
// comments and nothing else: what the statement means is the parser's business (alter.go), and
// a text whose head cannot be placed is refused.

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
	toks, _ := sqllex.Tokens(body)
	// rest is the text from token i on: the specifications once the head is read.
	rest := func(i int) string {
		if i < len(toks) {
			return strings.TrimSpace(body[toks[i].Start:])
		}
		return ""
	}
	is := func(i int, w string) bool { return i < len(toks) && toks[i].Is(w) }
	if !is(0, "ALTER") {
		return nil, rest(0), nil
	}
	h := &alterHead{}
	i := 1
	for ; is(i, "ONLINE") || is(i, "IGNORE"); i++ {
		h.ignore = h.ignore || toks[i].Is("IGNORE")
	}
	if !is(i, "TABLE") {
		return nil, "", errors.New("not an ALTER TABLE statement")
	}
	i++
	// MariaDB's ALTER TABLE IF EXISTS t: on a table that exists (the copier's), as without it.
	// IF is reserved, so a table of that name is quoted and not read here.
	if is(i, "IF") {
		if !is(i+1, "EXISTS") {
			return nil, "", errors.New("IF without EXISTS after ALTER TABLE")
		}
		i += 2
	}
	if !isName(toks, i) {
		return nil, "", errors.New("no table name after ALTER TABLE")
	}
	h.table = toks[i].Text
	i++
	if i < len(toks) && toks[i].Kind == sqllex.Punct && toks[i].Text == "." {
		if !isName(toks, i+1) {
			return nil, "", errors.New("no table name after the schema name")
		}
		h.schema, h.table = h.table, toks[i+1].Text
		// What follows a qualified name is cut as written, comments included.
		return h, strings.TrimSpace(body[toks[i+1].End:]), nil
	}
	return h, rest(i), nil
}

// isName reports whether toks[i] is an identifier, bare or backquoted.
func isName(toks []sqllex.Token, i int) bool {
	return i < len(toks) && (toks[i].Kind == sqllex.Word || toks[i].Kind == sqllex.Ident)
}

// trimStatementEnd drops a closing semicolon and what follows it, when that is only space and
// comments; a second statement is an error. A comment left open runs to the end of the text.
func trimStatementEnd(text string) (string, error) {
	toks, unclosed := sqllex.Scan(text)
	openQuote := unclosed >= 0 && text[unclosed] != '/'
	for i, t := range toks {
		if t.Kind == sqllex.Punct && t.Text == ";" {
			if i+1 < len(toks) || openQuote {
				return "", errors.New("more than one statement")
			}
			return text[:t.Start], nil
		}
	}
	if openQuote {
		return "", errors.New("unterminated quoted string")
	}
	return text, nil
}
