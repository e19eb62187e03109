package checker

import (
	"slices"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/schema-guard/schema-guard/internal/sqllex"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// scope is what a pending statement may change, and so what is read of the replay database
// just before and just after it.
type scope struct {
	// whole is set for a statement whose effect only the server knows: an EXECUTE of a prepared
	// statement, a CALL, a statement the parser cannot read. Everything is read then.
	whole bool
	// tables are the tables the statement's text names, when one of them is deployed (or the
	// statement creates a table): the rules have nothing to say about the others.
	tables []string
	// views is set for a view statement naming a deployed view.
	views bool
	// created is set for a CREATE TABLE (without IF NOT EXISTS) of a table that is not
	// deployed: had the table existed, the statement would have failed, so nothing is read
	// before it.
	created bool
	// measured is the deployed table an ALTER TABLE, CREATE INDEX or DROP INDEX changes: its
	// online behaviour is measured and the copier dry-runs the change.
	measured string
}

// scopeOf decides the scope of a statement against the state the rules see as deployed.
func scopeOf(st *migrations.Statement, known *schema.Schema) scope {
	if isDynamic(st) {
		return scope{whole: true}
	}
	var sc scope
	names := statementTables(st.Node)
	create, creates := st.Node.(*ast.CreateTableStmt)
	if creates || slices.ContainsFunc(names, func(t string) bool { return known.Table(t) != nil }) {
		// All of them: a rename's new name belongs with the old one.
		sc.tables = names
	}
	sc.created = creates && !create.IfNotExists && known.Table(names[0]) == nil
	for _, v := range statementViews(st.Node) {
		if known.View(v) != nil {
			sc.views = true
		}
	}
	if onlineCandidate(st.Node) && len(names) > 0 && known.Table(names[0]) != nil {
		sc.measured = names[0]
	}
	return sc
}

// isDynamic reports whether only the server knows what the statement changes.
func isDynamic(st *migrations.Statement) bool {
	switch st.Node.(type) {
	case nil, *ast.ExecuteStmt, *ast.CallStmt:
		return true
	}
	return false
}

// dynamicKind names the kind of a dynamic statement for messages.
func dynamicKind(st *migrations.Statement) string {
	switch st.Node.(type) {
	case *ast.ExecuteStmt:
		return "an EXECUTE of a prepared statement"
	case *ast.CallStmt:
		return "a CALL of a stored procedure"
	}
	return "a statement the SQL parser cannot read"
}

// statementViews names the views a view statement creates, changes or drops.
func statementViews(node ast.StmtNode) []string {
	switch n := node.(type) {
	case *ast.CreateViewStmt:
		return []string{n.ViewName.Name.O}
	case *ast.DropTableStmt:
		if !n.IsView {
			return nil
		}
		var out []string
		for _, t := range n.Tables {
			out = append(out, t.Name.O)
		}
		return out
	}
	return nil
}

// changedDeployed reports whether a deployed table or view differs between the two states.
func changedDeployed(before, after, known *schema.Schema) bool {
	pick := func(s *schema.Schema) *schema.Schema {
		out := &schema.Schema{Name: s.Name, Flavor: s.Flavor, Charset: s.Charset, Collation: s.Collation}
		for _, t := range s.Tables {
			if known.Table(t.Name) != nil {
				out.Tables = append(out.Tables, t)
			}
		}
		for _, v := range s.Views {
			if known.View(v.Name) != nil {
				out.Views = append(out.Views, v)
			}
		}
		return out
	}
	return !schema.Diff(pick(before), pick(after), schema.DiffOptions{}).Empty()
}

// without returns s less the named tables and views.
func without(s *schema.Schema, tables, views []string) *schema.Schema {
	out := *s
	out.Tables = slices.DeleteFunc(slices.Clone(s.Tables), func(t *schema.Table) bool {
		return slices.ContainsFunc(tables, func(n string) bool { return strings.EqualFold(n, t.Name) })
	})
	out.Views = slices.DeleteFunc(slices.Clone(s.Views), func(v *schema.View) bool {
		return slices.ContainsFunc(views, func(n string) bool { return strings.EqualFold(n, v.Name) })
	})
	return &out
}

// probed names the deployed tables whose old-app probes run after each pending statement: the
// tables the pending statements change and, for a trigger the parser cannot read, its table.
// A pending change with dynamic statements (EXECUTE, CALL, unreadable SQL) may change any
// table, whatever its own text names: then every deployed table that the pending files or the
// deployed routines mention, strings included (a PREPARE'd ALTER is a string), is probed.
func probed(src *source, deployed *schema.Schema) []string {
	var out []string
	add := func(t string) {
		if dt := deployed.Table(t); dt != nil && !slices.Contains(out, dt.Name) {
			out = append(out, dt.Name)
		}
	}
	var texts []string
	dynamic := false
	for i, st := range src.steps {
		if st.State != migrations.Pending || st.Skip != "" {
			continue
		}
		for j := range src.units[i] {
			stmt := &src.units[i][j]
			texts = append(texts, stmt.Text)
			dynamic = dynamic || isDynamic(stmt)
			for _, t := range probeTables(stmt) {
				add(t)
			}
		}
	}
	if !dynamic {
		return out
	}
	for _, r := range deployed.Routines {
		texts = append(texts, r.Body)
	}
	words := map[string]bool{}
	for _, text := range texts {
		for _, w := range sqllex.Words(text) {
			words[strings.ToLower(w)] = true
		}
	}
	for _, t := range deployed.Tables {
		if words[strings.ToLower(t.Name)] {
			add(t.Name)
		}
	}
	return out
}
