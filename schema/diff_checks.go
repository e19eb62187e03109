package schema

import "strings"

// Checks are compared whatever their level: `a INT CHECK (a > 0)` and a table's `CHECK (a > 0)`
// are the same constraint (MySQL does not even keep the difference), and a column-level check's
// name is the server's choice, like CONSTRAINT_1. The level matters only to the script, because
// MariaDB keeps a column-level check inside its column's definition: it refuses DROP CONSTRAINT
// on it, and MODIFY COLUMN drops it unless the new definition repeats it. So:
//
//   - a table-level check is dropped with DROP CONSTRAINT (MySQL: DROP CHECK) and added with ADD
//     CONSTRAINT;
//   - a column-level check of `from` is removed by a MODIFY COLUMN that leaves it out, and kept,
//     when its column is rewritten for another reason, by repeating it;
//   - a column-level check of `to` is added inside its column's ADD or MODIFY COLUMN, so that it
//     ends at the level `to` has it.

// checkPlan is what the check comparison asks of the column clauses.
type checkPlan struct {
	// inline maps a column (lower case) to the check its ADD or MODIFY COLUMN must carry.
	inline map[string]string
	// needClause holds the columns that need a MODIFY COLUMN for their check alone.
	needClause map[string]bool
	// changes are the check changes, reported after the table's other changes.
	changes []Change
}

// checkOp is one check to remove (from), add (to), or both.
type checkOp struct {
	from, to *Check
	change   ChangeType // "" for a rebuild that is no difference
}

// compareChecks compares the checks of a table present in both states; td.recreate must be set.
func (d *differ) compareChecks(td *tableDiff, ft, tt *Table, fctx, tctx colContext) *checkPlan {
	plan := &checkPlan{inline: map[string]string{}, needClause: map[string]bool{}}
	m := checkMatcher()
	pairs, extra, missing := matchObjects(ft.Checks, tt.Checks, m)
	added := map[string]bool{}
	for _, c := range missing {
		added[strings.ToLower(c.Name)] = true
	}
	renamed := renamedInPlace(pairs, m, added)
	var ops []checkOp
	for i, p := range pairs {
		switch {
		case sameCheck(p.from, p.to) && !renamed[i]:
			if col := columnOf(fctx, p.from); col != "" {
				plan.inline[col] = p.from.Expr // repeated if the column is rewritten
			}
		case sameCheck(p.from, p.to):
			ops = append(ops, checkOp{p.from, p.to, ""}) // its name is wanted by a check being added
		case p.from.Expr == p.to.Expr && !d.f.IsMariaDB():
			clause := "ALTER CHECK " + quoteIdent(p.from.Name) + " ENFORCED"
			if !p.to.Enforced {
				clause = "ALTER CHECK " + quoteIdent(p.from.Name) + " NOT ENFORCED"
			}
			td.addChecks = append(td.addChecks, clause)
			plan.changes = append(plan.changes, Change{Kind: KindCheck, Change: Different, Table: td.name, Name: p.to.Name,
				From: checkDef(d.f, p.from), To: checkDef(d.f, p.to), Fix: alterFix(td.name, clause)})
		default:
			ops = append(ops, checkOp{p.from, p.to, Different})
		}
	}
	for _, c := range extra {
		ops = append(ops, checkOp{from: c, change: Extra})
	}
	for _, c := range missing {
		ops = append(ops, checkOp{to: c, change: Missing})
	}

	for _, op := range ops {
		if op.from != nil {
			if col := columnOf(fctx, op.from); col == "" {
				td.dropChecks = append(td.dropChecks, d.dropCheck(op.from))
			} else if tt.Column(col) != nil {
				plan.needClause[col] = true // a dropped or recreated column takes its check along
			}
		}
		if op.to != nil {
			if col := columnOf(tctx, op.to); col == "" {
				td.addChecks = append(td.addChecks, "ADD "+checkDef(d.f, op.to))
			} else {
				plan.inline[col] = op.to.Expr
				plan.needClause[col] = true
			}
		}
	}
	for _, op := range ops {
		if op.change == "" {
			continue
		}
		c := Change{Kind: KindCheck, Change: op.change, Table: td.name, Fix: d.checkFix(td.name, ft, fctx, tctx, op)}
		if op.from != nil {
			c.Name, c.From = op.from.Name, checkDef(d.f, op.from)
		}
		if op.to != nil {
			c.Name, c.To = op.to.Name, checkDef(d.f, op.to)
		}
		plan.changes = append(plan.changes, c)
	}
	return plan
}

// checkFix writes the statement that makes one check change alone, on `from`: a column-level
// check is removed or added by a MODIFY COLUMN that keeps the column's `from` definition.
func (d *differ) checkFix(table string, ft *Table, fctx, tctx colContext, op checkOp) []string {
	var clauses []string
	fromCol, toCol := "", ""
	if op.from != nil {
		fromCol = columnOf(fctx, op.from)
	}
	if op.to != nil {
		toCol = columnOf(tctx, op.to)
	}
	modify := func(col, check string) string {
		return "MODIFY COLUMN " + fctx.columnDef(ft.Column(col), check)
	}
	switch {
	case op.from == nil:
	case fromCol == "":
		clauses = append(clauses, d.dropCheck(op.from))
	case fromCol != toCol:
		clauses = append(clauses, modify(fromCol, ""))
	}
	switch {
	case op.to == nil:
	case toCol != "" && ft.Column(toCol) != nil:
		clauses = append(clauses, modify(toCol, op.to.Expr))
	default:
		clauses = append(clauses, "ADD "+checkDef(d.f, op.to))
	}
	return alterFix(table, clauses...)
}

// columnOf returns the column (lower case) whose definition holds check c, or "" for a
// table-level check.
func columnOf(ctx colContext, c *Check) string {
	col := strings.ToLower(c.Column)
	if c.Column != "" && ctx.colChecks[col] == c {
		return col
	}
	return ""
}

// dropCheck is MariaDB's DROP CONSTRAINT or MySQL's DROP CHECK (8.0.16+; DROP CONSTRAINT only
// came in 8.0.19).
func (d *differ) dropCheck(c *Check) string {
	if d.f.IsMariaDB() {
		return "DROP CONSTRAINT " + quoteIdent(c.Name)
	}
	return "DROP CHECK " + quoteIdent(c.Name)
}
