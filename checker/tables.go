package checker

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
)

// statementTables names the tables a DDL statement touches, with the new names of renamed
// tables: what to introspect around it. DML and anything else touch no table's definition.
func statementTables(node ast.StmtNode) []string {
	name := func(n *ast.TableName) string { return n.Name.O }
	switch n := node.(type) {
	case *ast.CreateTableStmt:
		return []string{name(n.Table)}
	case *ast.AlterTableStmt:
		out := []string{name(n.Table)}
		for _, spec := range n.Specs {
			if spec.Tp == ast.AlterTableRenameTable && spec.NewTable != nil {
				out = append(out, name(spec.NewTable))
			}
		}
		return out
	case *ast.DropTableStmt:
		if n.IsView {
			return nil
		}
		var out []string
		for _, t := range n.Tables {
			out = append(out, name(t))
		}
		return out
	case *ast.RenameTableStmt:
		var out []string
		for _, t := range n.TableToTables {
			out = append(out, name(t.OldTable), name(t.NewTable))
		}
		return out
	case *ast.CreateIndexStmt:
		return []string{name(n.Table)}
	case *ast.DropIndexStmt:
		return []string{name(n.Table)}
	case *ast.TruncateTableStmt:
		return []string{name(n.Table)}
	}
	return nil
}

// onlineCandidate reports whether the server's online-DDL behaviour for the statement is worth
// measuring: an ALTER TABLE other than a bare rename, or an index created or dropped.
func onlineCandidate(node ast.StmtNode) bool {
	switch n := node.(type) {
	case *ast.AlterTableStmt:
		for _, spec := range n.Specs {
			if spec.Tp != ast.AlterTableRenameTable && spec.Tp != ast.AlterTableAlgorithm && spec.Tp != ast.AlterTableLock {
				return true
			}
		}
	case *ast.CreateIndexStmt, *ast.DropIndexStmt:
		return true
	}
	return false
}
