package runner

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// verdict is what the guard decides about a statement before it is sent.
type verdict struct {
	skip   bool   // do not run it, but go on
	refuse bool   // do not run it and stop the replay
	reason string // why, for the finding
}

// guard keeps replay inside the scratch database. Migrations are written for an application
// database; here they run in schema_guard_<random>, so a statement that names another database
// would, on a shared server (dsn engine), touch something that is not schema-guard's, and even in
// a container it would build state the checks cannot see. Statements that only select the
// application database are skipped; statements that reach beyond the scratch database are refused.
// Server-level statements (accounts and roles, which the parser reads as user statements; global
// variables) are skipped on a shared server.
//
// Opaque statements (ones the parser cannot read, such as CREATE TRIGGER) are not checked: on a
// shared server the account's grants, limited to schema\_guard\_%, are the remaining fence.
func guard(node ast.StmtNode, database string, shared bool) verdict {
	if node == nil {
		return verdict{}
	}
	switch n := node.(type) {
	case *ast.UseStmt:
		return verdict{skip: true, reason: fmt.Sprintf("USE %s is not run: schema-guard replays into its own scratch database", n.DBName)}
	case *ast.CreateDatabaseStmt:
		return verdict{skip: true, reason: fmt.Sprintf("CREATE DATABASE %s is not run: schema-guard replays into its own scratch database", n.Name.O)}
	case *ast.DropDatabaseStmt:
		return verdict{refuse: true, reason: fmt.Sprintf("DROP DATABASE %s is refused: schema-guard only drops its own scratch databases", n.Name.O)}
	case *ast.AlterDatabaseStmt:
		if !n.AlterDefaultDatabase && n.Name.O != "" && !strings.EqualFold(n.Name.O, database) {
			return verdict{refuse: true, reason: fmt.Sprintf("ALTER DATABASE %s names a database other than the one being replayed; write ALTER DATABASE without a name", n.Name.O)}
		}
	case *ast.CreateUserStmt, *ast.AlterUserStmt, *ast.DropUserStmt, *ast.GrantStmt, *ast.GrantRoleStmt,
		*ast.RevokeStmt, *ast.RevokeRoleStmt, *ast.SetPwdStmt, *ast.RestartStmt,
		*ast.SetRoleStmt, *ast.SetDefaultRoleStmt, *ast.RenameUserStmt, *ast.FlushStmt, *ast.KillStmt,
		*ast.ShutdownStmt:
		if shared {
			return verdict{skip: true, reason: "server-level statement is not run on a shared server (dsn engine); the container engine runs it"}
		}
		return verdict{}
	case *ast.SetStmt:
		for _, v := range n.Variables {
			if v.IsGlobal && shared {
				return verdict{skip: true, reason: fmt.Sprintf("SET GLOBAL %s is not run on a shared server (dsn engine); the container engine runs it", v.Name)}
			}
		}
		return verdict{}
	}
	v := &otherDatabaseVisitor{current: database}
	node.Accept(v)
	if v.found != "" {
		return verdict{refuse: true, reason: fmt.Sprintf("statement names database %s; schema-guard replays into its own scratch database, so leave out the database qualifier", v.found)}
	}
	return verdict{}
}

// otherDatabaseVisitor finds the first qualified table or column name whose database is not the
// current one.
type otherDatabaseVisitor struct {
	current string
	found   string
}

func (v *otherDatabaseVisitor) Enter(n ast.Node) (ast.Node, bool) {
	if v.found != "" {
		return n, true
	}
	var schema string
	switch x := n.(type) {
	case *ast.TableName:
		schema = x.Schema.O
	case *ast.ColumnName:
		schema = x.Schema.O
	case *ast.ColumnOption:
		// ColumnOption.Accept does not visit an inline REFERENCES (which MariaDB 10.5+ enforces).
		if x.Refer != nil && x.Refer.Table != nil {
			schema = x.Refer.Table.Schema.O
		}
	}
	if schema != "" && !strings.EqualFold(schema, v.current) {
		v.found = schema
	}
	return n, false
}

func (v *otherDatabaseVisitor) Leave(n ast.Node) (ast.Node, bool) { return n, true }
