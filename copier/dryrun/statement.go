package dryrun

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"

	// The parser needs a value-expression driver registered before parser.New, or it panics.
	_ "github.com/pingcap/tidb/pkg/parser/test_driver"

	"github.com/schema-guard/schema-guard/schema"
)

// This file reads the pending statement: what copier.Run is given, and what the reference runs.

// statement is the pending statement in the two forms the dry run needs.
type statement struct {
	clause string // what Run takes: an ALTER TABLE
	ref    string // what the reference runs: the statement itself, unqualified
}

// readStatement reads an ALTER TABLE or CREATE INDEX on table. A CREATE INDEX becomes the
// equivalent ALTER TABLE … ADD INDEX for the copier. A statement the parser does not know
// (MariaDB-only syntax) is passed on as it is: the copier and the server judge it.
func readStatement(text, table string) (st *statement, err error) {
	text = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), ";"))
	defer func() {
		if r := recover(); r != nil { // the parser is generated code fed untrusted text
			st, err = &statement{clause: text, ref: text}, nil
		}
	}()
	p := parser.New()
	p.SetMariaDB(true)
	node, perr := p.ParseOneStmt(text, "", "")
	if perr != nil {
		return &statement{clause: text, ref: text}, nil
	}
	var tn *ast.TableName
	switch n := node.(type) {
	case *ast.AlterTableStmt:
		tn = n.Table
	case *ast.CreateIndexStmt:
		tn = n.Table
	default:
		return nil, errors.New("not an ALTER TABLE or CREATE INDEX statement")
	}
	if tn == nil || !strings.EqualFold(tn.Name.O, table) {
		return nil, fmt.Errorf("the statement does not change table %s", table)
	}
	st = &statement{clause: text, ref: text}
	if tn.Schema.O != "" { // the dry run's databases are not the one the statement names
		if st.ref, err = restoreNode(node); err != nil {
			return nil, err
		}
		st.clause = st.ref
	}
	if ci, ok := node.(*ast.CreateIndexStmt); ok {
		if st.clause, err = indexClause(ci); err != nil {
			return nil, err
		}
	}
	return st, nil
}

func restoreNode(n ast.Node) (string, error) {
	var b strings.Builder
	flags := format.DefaultRestoreFlags | format.RestoreWithoutSchemaName
	if err := n.Restore(format.NewRestoreCtx(flags, &b)); err != nil {
		return "", fmt.Errorf("rewrite the statement: %w", err)
	}
	return b.String(), nil
}

// indexClause writes CREATE INDEX as ALTER TABLE … ADD INDEX. LOCK and ALGORITHM are left
// out: they choose how the server would run it, and the copier runs it its own way.
func indexClause(ci *ast.CreateIndexStmt) (string, error) {
	var b strings.Builder
	b.WriteString("ALTER TABLE " + schema.QuoteIdent(ci.Table.Name.O) + " ADD ")
	switch ci.KeyType {
	case ast.IndexKeyTypeUnique:
		b.WriteString("UNIQUE ")
	case ast.IndexKeyTypeFulltext:
		b.WriteString("FULLTEXT ")
	case ast.IndexKeyTypeSpatial:
		b.WriteString("SPATIAL ")
	case ast.IndexKeyTypeNone:
	default:
		return "", errors.New("an index kind MySQL and MariaDB do not have")
	}
	b.WriteString("INDEX " + schema.QuoteIdent(ci.IndexName) + " (")
	for i, part := range ci.IndexPartSpecifications {
		if i > 0 {
			b.WriteString(", ")
		}
		s, err := restoreNode(part)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	b.WriteString(")")
	if ci.IndexOption != nil && !ci.IndexOption.IsEmpty() {
		s, err := restoreNode(ci.IndexOption)
		if err != nil {
			return "", err
		}
		b.WriteString(" " + s)
	}
	return b.String(), nil
}
