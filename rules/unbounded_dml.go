package rules

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func unboundedDMLRule() *Rule {
	return &Rule{
		ID:        finding.UnboundedDML,
		Severity:  finding.Error,
		Summary:   "an UPDATE or DELETE goes through a big table in one statement",
		Statement: checkUnboundedDML,
		Doc: `Catches: an UPDATE or DELETE of a deployed table configured with at least 1,000,000 rows in
production (tables: {<table>: {rows: N}}) that has no LIMIT and no WHERE condition an index
can bound: no WHERE at all, a constant one (WHERE 1 = 1), or one on columns that lead no
index of the table.

Why it matters: the statement is one transaction over the whole table. It locks every row it
reads (InnoDB locks what it scans, not only what it changes), so the running application's
writes to the table wait or time out (1205) for as long as it runs; the undo log grows with
every row; and replicas apply it as one event after the primary finished it, so they lag by
its whole duration. A failure or a kill part way rolls everything back, which takes as long
again.

How to do it safely: change the rows in batches of a few thousand by primary key, each its own
transaction, outside the migration or in a loop that commits between batches:
  UPDATE events SET archived = 1 WHERE id BETWEEN 1 AND 5000 AND archived = 0;   -- and so on
or with a LIMIT repeated until it changes no row. Tables without a configured row count are
not judged.

Example:
  bad:  UPDATE events SET archived = 1;                 -- 40,000,000 rows
  good: UPDATE events SET archived = 1 WHERE id BETWEEN ? AND ? ;   -- batches of 5,000`,
	}
}

func checkUnboundedDML(ctx *Context) []finding.Finding {
	var tables []aliased
	var where ast.ExprNode
	var limited bool
	verb := "UPDATE"
	switch n := node(ctx).(type) {
	case *ast.UpdateStmt:
		tables, where, limited = targets(n.TableRefs), n.Where, n.Limit != nil
	case *ast.DeleteStmt:
		verb = "DELETE"
		tables, where, limited = deleted(n), n.Where, n.Limit != nil
	default:
		return nil
	}
	if limited {
		return nil
	}
	var out []finding.Finding
	for _, tn := range tables {
		table := tn.name
		t := ctx.deployedTable(table)
		rows, known := ctx.rows(table)
		if t == nil || !known || rows < bigTable || boundedBy(where, t) {
			continue
		}
		pk := "id"
		if k := t.PrimaryKey(); k != nil && len(k.Columns()) > 0 {
			pk = k.Columns()[0]
		}
		out = append(out, finding.Finding{
			Rule:     finding.UnboundedDML,
			Severity: finding.Error,
			Message: fmt.Sprintf("This %s goes through %s (%d rows in production) in one statement, with no LIMIT and no WHERE an index can bound: one transaction that locks the rows it scans while the application writes to them, and that replicas apply only after it finished.",
				verb, qi(t.Name), rows),
			Fix: fmt.Sprintf("Change the rows in batches, each its own transaction: add a range of the primary key (WHERE %s BETWEEN <from> AND <from + 4999> AND …) and repeat it over the table, or add LIMIT 5000 and repeat until no row changes — from a script or job rather than one migration statement.",
				qi(pk)),
			Table: t.Name,
		})
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
				out = append(out, aliased{name: tableName(tn), alias: n.AsName.O})
			}
		}
	}
	walk(refs.TableRefs)
	return out
}

// aliased is a table of a statement and the alias it has there.
type aliased struct{ name, alias string }

// deleted returns the tables a multi-table DELETE deletes from, by their names or aliases.
func deleted(n *ast.DeleteStmt) []aliased {
	all := targets(n.TableRefs)
	if !n.IsMultiTable || n.Tables == nil {
		return all
	}
	var out []aliased
	for _, tn := range n.Tables.Tables {
		name := tableName(tn)
		for _, a := range all {
			if strings.EqualFold(a.alias, name) || (a.alias == "" && strings.EqualFold(a.name, name)) {
				out = append(out, a)
			}
		}
	}
	return out
}

// boundedBy reports whether a WHERE condition can be bounded by an index of t: one of its
// top-level AND terms compares a column that leads an index of t with something other than a
// column (=, IN, BETWEEN, <, <=, >, >=, IS NULL).
func boundedBy(where ast.ExprNode, t *schema.Table) bool {
	for _, term := range andTerms(where) {
		if col := comparedColumn(term); col != "" && leadsIndex(t, col) {
			return true
		}
	}
	return false
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

func leadsIndex(t *schema.Table, column string) bool {
	for _, x := range t.Indexes {
		if len(x.Parts) > 0 && strings.EqualFold(x.Parts[0].Column, column) {
			return true
		}
	}
	return false
}
