package checker

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/schema-guard/schema-guard/declared"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// locator places drift findings: at the declared object when the declared state has it, else at
// the migration statement that last created or altered the object, so a reviewer lands where the
// difference comes from.
type locator struct {
	st      *declared.State
	touched map[string]*migrations.Statement // "table:users", "view:v" → last statement on it
}

func newLocator(st *declared.State, src *source) *locator {
	l := &locator{st: st, touched: map[string]*migrations.Statement{}}
	for _, unit := range src.units {
		for i := range unit {
			stmt := &unit[i]
			for _, key := range touches(stmt) {
				l.touched[key] = stmt
			}
		}
	}
	return l
}

// touches names the objects a migration statement creates or changes, as "kind:name".
func touches(st *migrations.Statement) []string {
	switch n := st.Node.(type) {
	case *ast.CreateViewStmt:
		return []string{"view:" + n.ViewName.Name.L}
	case nil:
		if kind, name := declared.Header(st.Text); kind != "" {
			return []string{kind + ":" + strings.ToLower(name)}
		}
		return nil
	}
	var keys []string
	for _, t := range statementTables(st.Node) {
		keys = append(keys, "table:"+strings.ToLower(t))
	}
	return keys
}

// finding returns a finding placed for the change.
func (l *locator) finding(c schema.Change) finding.Finding {
	declaredKey, touchedKey := l.keys(c)
	if c.Change != schema.Extra {
		if c.Kind == schema.KindColumn {
			if p, ok := l.st.Objects[declared.Key{Kind: "column", Name: strings.ToLower(c.Table + "." + c.Name)}]; ok {
				return at(p)
			}
		}
		if p, ok := l.st.Objects[declaredKey]; ok {
			return at(p)
		}
	}
	if st := l.touched[touchedKey]; st != nil {
		return finding.Finding{File: st.File, Line: st.Line, Column: st.Column}
	}
	// An extra column or index of a declared table: the table's declaration.
	if p, ok := l.st.Objects[declaredKey]; ok {
		return at(p)
	}
	return l.fallback()
}

// keys are where to look the change's object up in the declared state and in touched.
func (l *locator) keys(c schema.Change) (declared.Key, string) {
	switch c.Kind {
	case schema.KindView, schema.KindTrigger, schema.KindRoutine:
		return declared.Key{Kind: string(c.Kind), Name: strings.ToLower(c.Name)}, string(c.Kind) + ":" + strings.ToLower(c.Name)
	}
	return declared.Key{Kind: "table", Name: strings.ToLower(c.Table)}, "table:" + strings.ToLower(c.Table)
}

// fallback is the declared state's first statement, for what has no better place.
func (l *locator) fallback() finding.Finding {
	if len(l.st.Statements) > 0 {
		s := l.st.Statements[0]
		return finding.Finding{File: s.File, Line: s.Line, Column: s.Column}
	}
	return finding.Finding{File: l.st.Path, Line: 1}
}

func at(p declared.Pos) finding.Finding {
	return finding.Finding{File: p.File, Line: p.Line, Column: p.Column}
}
