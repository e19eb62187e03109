package rules

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
)

// This file reads the TiDB parser's AST: what kind of statement it is, which table and which
// columns it names. Every pointer in the AST may be nil for some spelling of a statement, so
// every accessor is nil-safe.

// node returns the statement's AST, or nil.
func node(ctx *Context) ast.StmtNode {
	if ctx == nil || ctx.Statement == nil {
		return nil
	}
	return ctx.Statement.Node
}

// tableName is the table's name without a database qualifier: migrations run in the database
// they migrate, and the models hold one database.
func tableName(tn *ast.TableName) string {
	if tn == nil {
		return ""
	}
	return tn.Name.O
}

// columnName is the name of a column reference, or "".
func columnName(cn *ast.ColumnName) string {
	if cn == nil {
		return ""
	}
	return cn.Name.O
}

// colDefName is the name a column definition gives, or "".
func colDefName(cd *ast.ColumnDef) string {
	if cd == nil {
		return ""
	}
	return columnName(cd.Name)
}

// specs returns the ALTER's specifications, without nil entries.
func specs(alt *ast.AlterTableStmt) []*ast.AlterTableSpec {
	if alt == nil {
		return nil
	}
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
	name := tableName(alt.Table)
	for _, s := range specs(alt) {
		if s.Tp == ast.AlterTableRenameTable && s.NewTable != nil {
			name = tableName(s.NewTable)
		}
	}
	return name
}

// columnRenames maps the lower-case old name of each column the ALTER renames (CHANGE to
// another name, RENAME COLUMN) to its new name.
func columnRenames(alt *ast.AlterTableStmt) map[string]string {
	out := map[string]string{}
	for _, s := range specs(alt) {
		from, to := renamedColumn(s)
		if from != "" && to != "" {
			out[strings.ToLower(from)] = to
		}
	}
	return out
}

// renamedColumn returns the old and new name of a CHANGE COLUMN or RENAME COLUMN
// specification, or "", "" for any other.
func renamedColumn(s *ast.AlterTableSpec) (from, to string) {
	switch s.Tp {
	case ast.AlterTableRenameColumn:
		return columnName(s.OldColumnName), columnName(s.NewColumnName)
	case ast.AlterTableChangeColumn:
		if len(s.NewColumns) > 0 {
			return columnName(s.OldColumnName), colDefName(s.NewColumns[0])
		}
	}
	return "", ""
}

// statementKind sorts statements for mixed-ddl-dml: schema changes, which commit implicitly,
// and data changes, which a transaction could hold.
type statementKind int

const (
	otherKind statementKind = iota
	ddlKind
	dmlKind
)

func (k statementKind) String() string {
	switch k {
	case ddlKind:
		return "schema change (DDL)"
	case dmlKind:
		return "data change (DML)"
	}
	return "other"
}

// kindOf classifies a parsed statement. SELECT, SET, CALL and the like are neither: they neither
// commit implicitly nor change rows by themselves.
func kindOf(n ast.StmtNode) statementKind {
	switch n.(type) {
	case *ast.InsertStmt, *ast.UpdateStmt, *ast.DeleteStmt, *ast.LoadDataStmt:
		return dmlKind
	case ast.DDLNode:
		return ddlKind
	}
	return otherKind
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
