package migrations

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
	// The parser needs a value-expression driver registered before parser.New, or it panics.
	_ "github.com/pingcap/tidb/pkg/parser/test_driver"
)

// Parser parses statements with the TiDB parser. Creating one is costly (it allocates the
// parser's tables and caches), so make one and reuse it for every file. A Parser is not safe for
// concurrent use: give each goroutine its own.
type Parser struct {
	p *parser.Parser
}

// NewParser returns a parser that accepts MySQL syntax plus the MariaDB extensions the TiDB
// parser knows.
func NewParser() *Parser {
	return &Parser{p: newTiDBParser()}
}

func newTiDBParser() *parser.Parser {
	p := parser.New()
	p.SetMariaDB(true)
	return p
}

// Parse fills in Node for each statement the TiDB parser understands, and ParseError for the
// others. A statement it cannot parse (CREATE TRIGGER, CREATE EVENT, MariaDB-only syntax such as
// CREATE OR REPLACE TABLE) is opaque, not wrong: it is still replayed, and the server decides.
func (p *Parser) Parse(stmts []Statement) {
	for i := range stmts {
		p.parseOne(&stmts[i])
	}
}

func (p *Parser) parseOne(st *Statement) {
	defer func() {
		// The parser is generated code fed with untrusted text; if it ever panics, the
		// statement is merely opaque, and the parser, whose state is now unknown, is replaced.
		if r := recover(); r != nil {
			st.Node, st.ParseError = nil, fmt.Sprintf("parser failed: %v", r)
			p.p = newTiDBParser()
		}
	}()
	node, err := p.p.ParseOneStmt(st.Text, "", "")
	if err != nil {
		st.Node, st.ParseError = nil, oneLine(err.Error())
		return
	}
	st.Node, st.ParseError = node, ""
}

// ParseFile splits f into statements and parses each one.
func (p *Parser) ParseFile(f *File) ([]Statement, error) {
	stmts, err := f.Statements()
	if err != nil {
		return nil, err
	}
	p.Parse(stmts)
	return stmts, nil
}

// oneLine keeps a parser message to one short line, as findings and logs want it: the TiDB
// parser quotes the whole rest of the statement after "near".
func oneLine(s string) string {
	const limit = 200
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit]) + "…"
	}
	return s
}
