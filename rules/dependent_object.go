package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/internal/sqllex"
	"github.com/schema-guard/schema-guard/schema"
)

func dependentObjectRule() *Rule {
	return &Rule{
		ID:        finding.DependentObject,
		Severity:  finding.Error,
		Summary:   "a dropped or renamed column or table is still used by a deployed view, trigger or routine",
		Statement: checkDependentObject,
		Doc: `Catches: a pending statement that drops or renames a column or a table which a deployed
view, trigger, stored procedure or function still names. The server accepts the statement and
keeps the object; the object fails the next time it runs. It fires also when the column is
under deprecated: (the application no longer uses it, but the database itself still does).
Views are named by the server's own stored definition (every column qualified by its table);
trigger and routine bodies by their text: a body that names the table and the column. The
old-app probe also reads every deployed view after each pending statement, so a view that the
statement breaks is confirmed by the server's error.

Why it breaks: reading the view fails with 1356 (references invalid table(s) or column(s)); a
trigger that names the column makes every write to its table fail (1054, unknown column); a
routine fails when called.

How to do it safely: in the same migration, before the drop or rename, redefine the object
without the column (CREATE OR REPLACE VIEW, DROP TRIGGER + CREATE TRIGGER, DROP PROCEDURE +
CREATE PROCEDURE), or drop the object if nothing uses it any more.

Example:
  bad:  ALTER TABLE users DROP COLUMN fax;
        -- view contact_list is defined as SELECT name, fax FROM users
  good: CREATE OR REPLACE VIEW contact_list AS SELECT name FROM users;
        ALTER TABLE users DROP COLUMN fax;`,
	}
}

// lost is a column or table a statement took away: dropped, or renamed to another name.
type lost struct {
	table, column string // column "" for a whole table
	how           string // "drops" or "renames"
}

func (l lost) String() string {
	if l.column == "" {
		return schema.QuoteIdent(l.table)
	}
	return schema.QuoteIdent(l.table) + "." + schema.QuoteIdent(l.column)
}

func checkDependentObject(ctx *Context) []finding.Finding {
	if ctx.Deployed == nil {
		return nil
	}
	var out []finding.Finding
	for _, l := range lostObjects(ctx) {
		for _, d := range dependents(ctx.Deployed, l, calledProcedure(ctx)) {
			if (d.kind == "view" && ctx.After != nil && len(ctx.After.Views) > 0 && ctx.After.View(d.name) == nil) || ctx.Deprecated.Table(d.name) {
				continue // gone itself, or deprecated itself
			}
			out = append(out, finding.Finding{
				Rule:     finding.DependentObject,
				Severity: finding.Error,
				Message: fmt.Sprintf("This statement %s %s, which deployed %s %s still uses: %s.",
					l.how, l, d.kind, schema.QuoteIdent(d.name), d.breaks),
				Fix: fmt.Sprintf("Before the statement, in the same migration, redefine %s %s without %s (or drop it if nothing uses it any more):\n%s",
					d.kind, schema.QuoteIdent(d.name), l, d.redefine),
				Table:      d.table,
				ColumnName: l.column,
			})
		}
	}
	return out
}

// lostObjects lists what the statement took away from deployed tables.
func lostObjects(ctx *Context) []lost {
	var out []lost
	for _, tc := range ctx.deployedChanges() {
		switch {
		case tc.Dropped():
			out = append(out, lost{table: tc.Name, how: "drops"})
			continue
		case tc.Renamed():
			out = append(out, lost{table: tc.Name, how: "renames"})
			continue
		}
		for _, c := range tc.DroppedColumns() {
			if columnIn(tc.After, c.Name) == nil { // dropped and added again: the name still resolves
				out = append(out, lost{table: tc.Name, column: c.Name, how: "drops"})
			}
		}
		for _, r := range tc.ColumnRenames() {
			out = append(out, lost{table: tc.Name, column: r[0], how: "renames"})
		}
	}
	return out
}

// dependent is an object that uses a lost column or table.
type dependent struct {
	kind, name string
	table      string // the finding's table: the view itself, a trigger's table, "" for a routine
	breaks     string
	redefine   string
}

// dependents finds the deployed views, triggers and routines that name l; called is the
// procedure the statement calls, which is how it did it rather than what it breaks.
func dependents(deployed *schema.Schema, l lost, called string) []dependent {
	var out []dependent
	for _, v := range deployed.Views {
		if viewUses(v.Definition, l) {
			out = append(out, dependent{kind: "view", name: v.Name, table: v.Name,
				breaks:   "every read of the view fails with error 1356 (references invalid table(s) or column(s))",
				redefine: fmt.Sprintf("CREATE OR REPLACE VIEW %s AS <its SELECT without %s>;", schema.QuoteIdent(v.Name), l)})
		}
	}
	for _, tr := range deployed.Triggers {
		own := strings.EqualFold(tr.Table, l.table)
		if bodyUses(tr.Statement, l, own) {
			out = append(out, dependent{kind: "trigger", name: tr.Name, table: tr.Table,
				breaks:   fmt.Sprintf("every %s on %s fails once the trigger runs (1054, unknown column, or 1146)", strings.ToUpper(tr.Event), schema.QuoteIdent(tr.Table)),
				redefine: fmt.Sprintf("DROP TRIGGER %s;\nCREATE TRIGGER %s %s %s ON %s FOR EACH ROW <its body without %s>;", schema.QuoteIdent(tr.Name), schema.QuoteIdent(tr.Name), tr.Timing, tr.Event, schema.QuoteIdent(tr.Table), l)})
		}
	}
	for _, r := range deployed.Routines {
		if bodyUses(r.Body, l, false) && !strings.EqualFold(r.Name, called) {
			kind := strings.ToLower(r.Type)
			out = append(out, dependent{kind: kind, name: r.Name,
				breaks:   fmt.Sprintf("every call of the %s fails once it reaches that statement", kind),
				redefine: fmt.Sprintf("DROP %s %s;\nCREATE %s %s(…) <its body without %s>;", r.Type, schema.QuoteIdent(r.Name), r.Type, schema.QuoteIdent(r.Name), l)})
		}
	}
	return out
}

// viewUses reads a view's definition as the server stores it, where every column is written
// `table`.`column` (or `db`.`table`.`column`) and every table `db`.`table`.
func viewUses(def string, l lost) bool {
	toks, _ := sqllex.Tokens(def)
	for i, t := range toks {
		if !t.Name(l.table) {
			continue
		}
		if l.column == "" {
			return true
		}
		if i+2 < len(toks) && toks[i+1].Kind == sqllex.Punct && toks[i+1].Text == "." && toks[i+2].Name(l.column) {
			return true
		}
	}
	return false
}

// bodyUses reads a trigger or routine body: it must name the column (and the table, unless it
// is a trigger of that table, which names its columns as NEW.c and OLD.c).
func bodyUses(body string, l lost, ownTable bool) bool {
	var table, column bool
	toks, _ := sqllex.Tokens(body)
	for _, t := range toks {
		table = table || t.Name(l.table)
		column = column || (l.column != "" && t.Name(l.column))
	}
	if l.column == "" {
		return table && !ownTable
	}
	return column && (table || ownTable)
}

// calledProcedure is the name of the procedure a CALL statement calls, or "".
func calledProcedure(ctx *Context) string {
	st := statementFacts(ctx)
	if st == nil {
		return ""
	}
	if st.Parsed {
		return st.Call
	}
	toks, _ := sqllex.Tokens(ctx.Statement.Text)
	if len(toks) > 1 && toks[0].Is("CALL") {
		name := toks[1]
		if len(toks) > 3 && toks[2].Text == "." {
			name = toks[3]
		}
		return name.Text
	}
	return ""
}
