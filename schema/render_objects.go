package schema

import (
	"cmp"
	"slices"
	"strings"
)

// CreateView writes the CREATE VIEW statement of v without its definer (the view then belongs to
// whoever loads it) and without the schema's database name, which the server writes in front of
// every table a view reads. ALGORITHM and SQL SECURITY are written only when not the default.
func (s *Schema) CreateView(v *View) string {
	if v == nil {
		return ""
	}
	return createView(v, s.name())
}

// name returns the database name; "" for a nil schema.
func (s *Schema) name() string {
	if s == nil {
		return ""
	}
	return s.Name
}

func createView(v *View, db string) string {
	var b strings.Builder
	b.WriteString("CREATE ")
	if a := strings.ToUpper(v.Algorithm); a != "" && a != "UNDEFINED" {
		b.WriteString("ALGORITHM=" + a + " ")
	}
	if strings.EqualFold(v.SecurityType, "INVOKER") {
		b.WriteString("SQL SECURITY INVOKER ")
	}
	b.WriteString("VIEW " + quoteIdent(v.Name) + " AS " + stripQualifier(v.Definition, db))
	switch strings.ToUpper(v.CheckOption) {
	case "CASCADED":
		b.WriteString(" WITH CASCADED CHECK OPTION")
	case "LOCAL":
		b.WriteString(" WITH LOCAL CHECK OPTION")
	}
	return b.String()
}

// CreateTrigger writes the CREATE TRIGGER statement of tr, with its body as stored and without
// its definer. It carries no FOLLOWS/PRECEDES: triggers of one table, timing and event run in the
// order they are created, so they must be created in Order (CreateStatements does).
func (s *Schema) CreateTrigger(tr *Trigger) string {
	if tr == nil {
		return ""
	}
	return createTrigger(tr, "")
}

// createTrigger writes CREATE TRIGGER with an optional ordering clause ("FOLLOWS `x`").
func createTrigger(tr *Trigger, order string) string {
	var b strings.Builder
	b.WriteString("CREATE TRIGGER " + quoteIdent(tr.Name) + " " + strings.ToUpper(tr.Timing) + " " +
		strings.ToUpper(tr.Event) + " ON " + quoteIdent(tr.Table) + " FOR EACH ROW ")
	if order != "" {
		b.WriteString(order + " ")
	}
	b.WriteString(tr.Statement)
	return b.String()
}

// CreateRoutine writes the CREATE PROCEDURE or CREATE FUNCTION statement of r, without its
// definer, with its characteristics where they are not the default and its body as stored.
func (s *Schema) CreateRoutine(r *Routine) string {
	if r == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("CREATE " + routineType(r) + " " + quoteIdent(r.Name) + "(" + r.Params + ")")
	if routineType(r) == "FUNCTION" {
		b.WriteString(" RETURNS " + r.Returns)
	}
	if r.Deterministic {
		b.WriteString("\n  DETERMINISTIC")
	}
	if a := strings.ToUpper(r.DataAccess); a != "" && a != "CONTAINS SQL" {
		b.WriteString("\n  " + a)
	}
	if strings.EqualFold(r.Security, "INVOKER") {
		b.WriteString("\n  SQL SECURITY INVOKER")
	}
	if r.Comment != "" {
		b.WriteString("\n  COMMENT " + QuoteString(r.Comment))
	}
	b.WriteString("\n" + r.Body)
	return b.String()
}

// routineType is PROCEDURE or FUNCTION; anything unknown is taken for a procedure.
func routineType(r *Routine) string {
	if strings.EqualFold(r.Type, "FUNCTION") {
		return "FUNCTION"
	}
	return "PROCEDURE"
}

// CreateStatements writes the whole schema as statements that recreate it in an empty database,
// in an order that applies with foreign key checks on: each table after the tables its foreign
// keys reference, with those keys inline (a key that closes a cycle is added by ALTER TABLE once
// every table exists); then routines, which views may call and which bind their own references
// only when they run; then views, each after the views it reads; then triggers, in the order
// they run. Statements carry no delimiter.
func (s *Schema) CreateStatements() []string {
	if s == nil {
		return nil
	}
	s = sanitize(s)
	f := s.Flavor
	var stmts, deferred []string
	for _, t := range tablesInFKOrder(s) {
		var inline []*ForeignKey
		for _, fk := range t.fks {
			if t.deferred[fk] {
				deferred = append(deferred, "ALTER TABLE "+quoteIdent(t.Name)+" ADD "+fkDef(fk))
			} else {
				inline = append(inline, fk)
			}
		}
		stmts = append(stmts, createTableFKs(f, t.Table, inline))
	}
	stmts = append(stmts, deferred...)
	for _, r := range s.Routines {
		stmts = append(stmts, s.CreateRoutine(r))
	}
	for _, v := range viewsInOrder(s.Views, s.Name) {
		stmts = append(stmts, s.CreateView(v))
	}
	for _, tr := range triggersInOrder(s.Triggers) {
		stmts = append(stmts, s.CreateTrigger(tr))
	}
	return stmts
}

// orderedTable is a table with the foreign keys that must wait until every table exists.
type orderedTable struct {
	*Table
	fks      []*ForeignKey
	deferred map[*ForeignKey]bool
}

// tablesInFKOrder orders the tables of a sanitized schema so that a table comes after those its foreign keys reference,
// by a depth-first walk in name order; a key pointing back at a table still being walked closes
// a cycle and is deferred.
func tablesInFKOrder(s *Schema) []orderedTable {
	tables := slices.Clone(s.Tables)
	slices.SortStableFunc(tables, func(a, b *Table) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	byName := map[string]*Table{}
	for _, t := range tables {
		byName[strings.ToLower(t.Name)] = t
	}
	const visiting, done = 1, 2
	state := map[*Table]int{}
	var out []orderedTable
	var visit func(t *Table)
	visit = func(t *Table) {
		state[t] = visiting
		ot := orderedTable{Table: t, fks: t.ForeignKeys, deferred: map[*ForeignKey]bool{}}
		for _, fk := range ot.fks {
			ref := byName[strings.ToLower(fk.RefTable)]
			if fk.RefSchema != "" || ref == nil || ref == t {
				continue
			}
			switch state[ref] {
			case 0:
				visit(ref)
			case visiting:
				ot.deferred[fk] = true
			}
		}
		state[t] = done
		out = append(out, ot)
	}
	for _, t := range tables {
		if state[t] == 0 {
			visit(t)
		}
	}
	return out
}

// viewsInOrder orders views so that a view comes after the views (of the list) it reads, by a
// depth-first walk in name order. Dependencies are the backquoted names in the definition,
// which the server writes for every table and view a view reads; a column alias that happens
// to be a view's name only adds an ordering constraint, and a cycle (impossible among real
// views) is broken where it is found.
func viewsInOrder(views []*View, db string) []*View {
	views = slices.Clone(views)
	slices.SortStableFunc(views, func(a, b *View) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	byName := map[string]*View{}
	for _, v := range views {
		byName[strings.ToLower(v.Name)] = v
	}
	state := map[*View]int{}
	var out []*View
	var visit func(v *View)
	visit = func(v *View) {
		state[v] = 1
		names := backquotedNames(stripQualifier(v.Definition, db))
		deps := make([]string, 0, len(names))
		for n := range names {
			deps = append(deps, n)
		}
		slices.Sort(deps)
		for _, n := range deps {
			if dep := byName[n]; dep != nil && dep != v && state[dep] == 0 {
				visit(dep)
			}
		}
		state[v] = 2
		out = append(out, v)
	}
	for _, v := range views {
		if state[v] == 0 {
			visit(v)
		}
	}
	return out
}

// triggerGroup identifies the triggers whose relative order matters: same table, timing and
// event.
type triggerGroup struct{ table, timing, event string }

func groupOf(tr *Trigger) triggerGroup {
	return triggerGroup{strings.ToLower(tr.Table), strings.ToUpper(tr.Timing), strings.ToUpper(tr.Event)}
}

// triggersInOrder sorts triggers by table, timing, event, then execution order (name breaks
// ties), so that creating them in this order reproduces each group's order.
func triggersInOrder(triggers []*Trigger) []*Trigger {
	triggers = slices.Clone(triggers)
	slices.SortStableFunc(triggers, func(a, b *Trigger) int {
		ga, gb := groupOf(a), groupOf(b)
		return cmp.Or(cmp.Compare(ga.table, gb.table), cmp.Compare(ga.timing, gb.timing),
			cmp.Compare(ga.event, gb.event), cmp.Compare(a.Order, b.Order),
			cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)))
	})
	return triggers
}

// nonNil returns the list without nil entries, so that no model input can make the diff or the
// renderer dereference nil.
func nonNil[T any](xs []*T) []*T {
	out := make([]*T, 0, len(xs))
	for _, x := range xs {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}
