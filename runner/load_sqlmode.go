package runner

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// errWrongValueForVar is ER_WRONG_VALUE_FOR_VAR: SET sql_mode = '…' names a mode the server does
// not know.
const errWrongValueForVar = 1231

// DroppedSQLModes is a declared SET sql_mode whose value named modes the server does not accept,
// which Load left out. Dumps carry the sql_mode of the server that wrote them: mysqldump 5.7
// writes NO_AUTO_CREATE_USER, which MySQL 8.0 removed, before every trigger and routine, and a
// MySQL 8 dump's TIME_TRUNCATE_FRACTIONAL is unknown to MariaDB. The modes are a property of the
// dump's origin, not of the declared schema, so loading goes on without them.
type DroppedSQLModes struct {
	Statement *migrations.Statement
	Modes     []string
}

// sqlModeValue returns the literal a SET statement gives the session's sql_mode, if it gives
// one: SET sql_mode = '…' and SET @OLD = @@SQL_MODE, SQL_MODE = '…' as dumps write them.
func sqlModeValue(node ast.StmtNode) (string, bool) {
	set, ok := node.(*ast.SetStmt)
	if !ok {
		return "", false
	}
	for _, v := range set.Variables {
		if !v.IsSystem || v.IsGlobal || !strings.EqualFold(v.Name, "sql_mode") {
			continue
		}
		if val, ok := v.Value.(ast.ValueExpr); ok {
			if s, ok := val.GetValue().(string); ok {
				return s, true
			}
		}
	}
	return "", false
}

// withoutUnknownSQLModes runs a declared SET sql_mode that the server rejected again without the
// modes the server does not accept, which it finds by setting each one alone: the server decides,
// not a list of removed modes. It returns the modes it left out, or ok=false when the statement
// is not such a SET or every mode is accepted (the error is then something else).
func withoutUnknownSQLModes(ctx context.Context, conn *sql.Conn, st *migrations.Statement) (dropped []string, ok bool, err error) {
	value, isSet := sqlModeValue(st.Node)
	if !isSet {
		return nil, false, nil
	}
	var saved string
	if err := conn.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode").Scan(&saved); err != nil {
		return nil, false, err
	}
	var kept []string
	for _, mode := range strings.Split(value, ",") {
		mode = strings.TrimSpace(mode)
		if mode == "" {
			continue
		}
		if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = "+schema.QuoteString(mode)); err != nil {
			dropped = append(dropped, mode)
			continue
		}
		kept = append(kept, mode)
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION sql_mode = "+schema.QuoteString(saved)); err != nil {
		return nil, false, err
	}
	if len(dropped) == 0 {
		return nil, false, nil
	}
	// The literal is located in the statement's text, so that the rest of the statement (other
	// assignments, a version comment) runs as written.
	text, found := replaceLiteral(st.Text, value, strings.Join(kept, ","))
	if !found {
		return nil, false, fmt.Errorf("%s:%d: cannot find the sql_mode value %q in the statement", st.File, st.Line, value)
	}
	if _, err := conn.ExecContext(ctx, migrations.StripDefiner(text)); err != nil {
		return nil, false, err
	}
	return dropped, true, nil
}

// replaceLiteral replaces the one quoted string literal whose content is old in text by new.
func replaceLiteral(text, old, repl string) (string, bool) {
	for _, q := range []string{"'", `"`} {
		lit := q + old + q
		if strings.Count(text, lit) == 1 {
			return strings.Replace(text, lit, q+repl+q, 1), true
		}
	}
	return text, false
}

// SQLModeNotice is the one sentence that reports every mode Load left out.
func SQLModeNotice(dropped []DroppedSQLModes) string {
	var modes []string
	seen := map[string]bool{}
	for _, d := range dropped {
		for _, m := range d.Modes {
			if !seen[strings.ToUpper(m)] {
				seen[strings.ToUpper(m)] = true
				modes = append(modes, m)
			}
		}
	}
	s := "s"
	if len(dropped) == 1 {
		s = ""
	}
	return fmt.Sprintf("the declared schema sets sql_mode %s, which this server does not accept; "+
		"schema-guard loaded it without %s (%d statement%s): such modes come from the server that wrote "+
		"the dump and are no part of the schema", strings.Join(modes, ", "), oneOrThem(len(modes)), len(dropped), s)
}

func oneOrThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
