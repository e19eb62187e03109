package migrations

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
	"github.com/pingcap/tidb/pkg/parser/opcode"

	"github.com/schema-guard/schema-guard/facts"
)

// Facts reads what the statement's text says off its AST, as plain data for the rules (see
// package facts). An opaque statement has its place and text, and no other fact. Every pointer
// in the AST may be nil for some spelling of a statement, so every accessor here is nil-safe.
func (s *Statement) Facts() *facts.Statement {
	out := &facts.Statement{File: s.File, Line: s.Line, Column: s.Column, EndLine: s.EndLine, Text: s.Text}
	if s.Node == nil {
		out.ParseError = s.ParseError
		return out
	}
	out.Parsed = true
	out.Kind = kindOf(s.Node)
	switch n := s.Node.(type) {
	case *ast.RenameTableStmt:
		for _, tt := range n.TableToTables {
			if tt != nil {
				out.TableRenames = append(out.TableRenames, [2]string{factTable(tt.OldTable), factTable(tt.NewTable)})
			}
		}
	case *ast.AlterTableStmt:
		out.Alter = alterFacts(n)
		if n.Table != nil {
			if to := alterTarget(n); to != factTable(n.Table) {
				out.TableRenames = append(out.TableRenames, [2]string{factTable(n.Table), to})
			}
		}
	case *ast.CreateIndexStmt:
		ci := &facts.CreateIndex{Table: factTable(n.Table), Name: n.IndexName, Kind: "INDEX"}
		switch n.KeyType {
		case ast.IndexKeyTypeUnique:
			ci.Kind = "UNIQUE INDEX"
		case ast.IndexKeyTypeFulltext:
			ci.Kind = "FULLTEXT INDEX"
		case ast.IndexKeyTypeSpatial:
			ci.Kind = "SPATIAL INDEX"
		}
		for _, p := range n.IndexPartSpecifications {
			ci.Parts = append(ci.Parts, restore(p))
		}
		out.CreateIndex = ci
	case *ast.DropIndexStmt:
		out.DropIndex = &facts.DropIndex{Table: factTable(n.Table), Name: n.IndexName}
	case *ast.TruncateTableStmt:
		out.Truncate = factTable(n.Table)
	case *ast.UpdateStmt:
		out.Rows = &facts.RowChange{Verb: "UPDATE", Tables: names(targets(n.TableRefs)), Limited: n.Limit != nil, Compared: compared(n.Where)}
	case *ast.DeleteStmt:
		out.Rows = &facts.RowChange{Verb: "DELETE", Tables: names(deleted(n)), Limited: n.Limit != nil, Compared: compared(n.Where)}
	case *ast.CallStmt:
		if n.Procedure != nil {
			out.Call = n.Procedure.FnName.O
		}
	}
	return out
}

// kindOf classifies a parsed statement. SELECT, SET, CALL and the like are neither DDL nor DML:
// they neither commit implicitly nor change rows by themselves.
func kindOf(n ast.StmtNode) facts.Kind {
	switch n.(type) {
	case *ast.InsertStmt, *ast.UpdateStmt, *ast.DeleteStmt, *ast.LoadDataStmt:
		return facts.DML
	case ast.DDLNode:
		return facts.DDL
	}
	return facts.Other
}

func alterFacts(alt *ast.AlterTableStmt) *facts.Alter {
	a := &facts.Alter{Table: factTable(alt.Table)}
	for _, s := range alterSpecs(alt) {
		if from, to := renamedColumn(s); from != "" && to != "" {
			a.ColumnRenames = append(a.ColumnRenames, [2]string{from, to})
		}
		if s.Tp == ast.AlterTableDropColumn {
			a.DropColumns = append(a.DropColumns, factColumn(s.OldColumnName))
		}
		if s.Tp != ast.AlterTableAlgorithm && s.Tp != ast.AlterTableLock {
			a.Clauses = append(a.Clauses, restore(s))
		}
	}
	return a
}

// factTable is the table's name without a database qualifier: migrations run in the database
// they migrate, and the models hold one database.
func factTable(tn *ast.TableName) string {
	if tn == nil {
		return ""
	}
	return tn.Name.O
}

// factColumn is the name of a column reference, or "".
func factColumn(cn *ast.ColumnName) string {
	if cn == nil {
		return ""
	}
	return cn.Name.O
}

// alterSpecs returns the ALTER's specifications, without nil entries.
func alterSpecs(alt *ast.AlterTableStmt) []*ast.AlterTableSpec {
	out := make([]*ast.AlterTableSpec, 0, len(alt.Specs))
	for _, s := range alt.Specs {
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

// alterTarget is the table's name after the ALTER: the last RENAME TO, or its own name.
func alterTarget(alt *ast.AlterTableStmt) string {
	name := factTable(alt.Table)
	for _, s := range alterSpecs(alt) {
		if s.Tp == ast.AlterTableRenameTable && s.NewTable != nil {
			name = factTable(s.NewTable)
		}
	}
	return name
}

// renamedColumn returns the old and new name of a CHANGE COLUMN or RENAME COLUMN
// specification, or "", "" for any other.
func renamedColumn(s *ast.AlterTableSpec) (from, to string) {
	switch s.Tp {
	case ast.AlterTableRenameColumn:
		return factColumn(s.OldColumnName), factColumn(s.NewColumnName)
	case ast.AlterTableChangeColumn:
		if len(s.NewColumns) > 0 && s.NewColumns[0] != nil {
			return factColumn(s.OldColumnName), factColumn(s.NewColumns[0].Name)
		}
	}
	return "", ""
}

// aliased is a table of a statement and the alias it has there.
type aliased struct{ name, alias string }

func names(as []aliased) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.name)
	}
	return out
}

// targets returns the tables of a single-table UPDATE or DELETE, or of each side of a join,
// with their aliases.
func targets(refs *ast.TableRefsClause) []aliased {
	if refs == nil || refs.TableRefs == nil {
		return nil
	}
	var out []aliased
	var walk func(ast.ResultSetNode)
	walk = func(n ast.ResultSetNode) {
		switch n := n.(type) {
		case *ast.Join:
			walk(n.Left)
			if n.Right != nil {
				walk(n.Right)
			}
		case *ast.TableSource:
			if tn, ok := n.Source.(*ast.TableName); ok {
				out = append(out, aliased{name: factTable(tn), alias: n.AsName.O})
			}
		}
	}
	walk(refs.TableRefs)
	return out
}

// deleted returns the tables a multi-table DELETE deletes from, by their names or aliases.
func deleted(n *ast.DeleteStmt) []aliased {
	all := targets(n.TableRefs)
	if !n.IsMultiTable || n.Tables == nil {
		return all
	}
	var out []aliased
	for _, tn := range n.Tables.Tables {
		name := factTable(tn)
		for _, a := range all {
			if strings.EqualFold(a.alias, name) || (a.alias == "" && strings.EqualFold(a.name, name)) {
				out = append(out, a)
			}
		}
	}
	return out
}

// compared returns the column each top-level AND term of a WHERE constrains in a way an index
// can use (see facts.RowChange.Compared).
func compared(where ast.ExprNode) []string {
	var out []string
	for _, term := range andTerms(where) {
		if col := comparedColumn(term); col != "" {
			out = append(out, col)
		}
	}
	return out
}

func andTerms(e ast.ExprNode) []ast.ExprNode {
	switch n := e.(type) {
	case nil:
		return nil
	case *ast.ParenthesesExpr:
		return andTerms(n.Expr)
	case *ast.BinaryOperationExpr:
		if n.Op == opcode.LogicAnd {
			return append(andTerms(n.L), andTerms(n.R)...)
		}
	}
	return []ast.ExprNode{e}
}

// comparedColumn returns the column a sargable comparison constrains, or "".
func comparedColumn(e ast.ExprNode) string {
	colOf := func(e ast.ExprNode) string {
		if c, ok := e.(*ast.ColumnNameExpr); ok && c.Name != nil {
			return c.Name.Name.O
		}
		return ""
	}
	switch n := e.(type) {
	case *ast.BinaryOperationExpr:
		switch n.Op {
		case opcode.EQ, opcode.LT, opcode.LE, opcode.GT, opcode.GE, opcode.NullEQ:
			l, r := colOf(n.L), colOf(n.R)
			switch {
			case l != "" && r == "":
				return l
			case r != "" && l == "":
				return r
			}
		}
	case *ast.PatternInExpr:
		if !n.Not {
			return colOf(n.Expr)
		}
	case *ast.BetweenExpr:
		if !n.Not {
			return colOf(n.Expr)
		}
	case *ast.IsNullExpr:
		if !n.Not {
			return colOf(n.Expr)
		}
	}
	return ""
}

// restore writes an AST node back as SQL, for a fix's text (never to decide anything). It
// returns "" when the parser cannot write the node.
func restore(n ast.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	if err := n.Restore(format.NewRestoreCtx(format.DefaultRestoreFlags, &b)); err != nil {
		return ""
	}
	return b.String()
}
