package probe

import (
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// Probes stand in for the application version on the base branch, which keeps running while
// the pending migrations run and until it is replaced. It knows the deployed schema and nothing
// else, so from the deployed schema alone this file writes, for each table, what any version of
// it may send:
//
//   - an INSERT naming only the columns it must supply (NOT NULL, no default, not
//     AUTO_INCREMENT, not generated), with the top of each column's range (probe_values.go);
//   - an UPDATE setting every other column it may write to the other end of the range, on the
//     row a setup INSERT added in the same transaction;
//   - a SELECT of every column by name.
//
// A pending change that the old version does not survive — a renamed or dropped column or
// table, a new NOT NULL column without default, a dropped default, a narrower type or charset,
// an ENUM member removed, a CHECK or trigger that rejects old values — makes one of them fail
// with the server's own error. Calibrate first runs them on the deployed state and takes
// milder values where the deployed schema already rejects the extremes; Run runs them
// after a pending statement. Both roll every probe back (probe_run.go).

// Probe kinds.
const (
	Insert = "insert"
	Update = "update"
	Select = "select"
)

// probePlan is a probe before it is written as SQL: the columns and the values for each, which
// Calibrate switches to mild ones column by column.
type probePlan struct {
	kind  string
	table string
	// insert are the INSERT probe's columns or, for an update, the setup INSERT's; canInsert
	// tells an INSERT with no columns (INSERT INTO t () VALUES ()) from no INSERT at all.
	insert    []probeSlot
	canInsert bool
	set       []probeSlot // the UPDATE's assignments
	// key finds the setup's row for the UPDATE; nil means LIMIT 1.
	key     []probeKey
	columns []string // the SELECT's
}

// probeSlot is one column a write probe gives a value to.
type probeSlot struct {
	column string
	values columnValues
	low    bool // the UPDATE's values (the low end of the range) rather than the INSERT's
	mild   bool // Calibrate' fallback
	// omit leaves an UPDATE's column out: no value passes there in the deployed state.
	omit bool
}

// fixed reports whether the slot has only one value to give, so calibration has no choice.
func (s *probeSlot) fixed() bool {
	v := s.values
	return v.mild == v.high && len(v.low) == 1 && v.low[0] == v.high
}

// literals are the values the slot assigns: one, or an ENUM's members in turn for an UPDATE.
func (s *probeSlot) literals() []string {
	switch {
	case s.mild:
		return []string{s.values.mild}
	case s.low:
		return s.values.low
	}
	return []string{s.values.high}
}

// probeKey is a primary key column and where the UPDATE finds its value: the setup INSERT's
// slot, or LAST_INSERT_ID() for the AUTO_INCREMENT column (slot -1).
type probeKey struct {
	column string
	slot   int
}

// Derive writes the probes for the named tables of the deployed schema, in the order
// given; names that are not deployed tables are skipped. It is pure: the values come from the
// column types alone (see Calibrate for adapting them to the deployed data and rules).
//
// Only tables whose engine can roll back (InnoDB, RocksDB) get INSERT and UPDATE probes: on any
// other engine a rolled-back probe would leave its row behind.
func Derive(deployed *schema.Schema, tables []string) []Probe {
	var probes []Probe
	seen := map[string]bool{}
	for _, name := range tables {
		t := deployed.Table(name)
		if t == nil || seen[t.Name] || len(t.Columns) == 0 {
			continue
		}
		seen[t.Name] = true
		for _, plan := range tablePlans(deployed.Flavor, t) {
			probes = append(probes, plan.render())
		}
	}
	return probes
}

// DeriveViews writes a SELECT of every column of each view of the deployed schema: the
// deployed application reads its views, and a view whose table or column a pending statement
// drops or renames fails (1356) on every read, while the server accepted the statement.
func DeriveViews(deployed *schema.Schema) []Probe {
	var probes []Probe
	for _, v := range deployed.Views {
		probes = append(probes, Probe{Table: v.Name, Kind: Select, SQL: "SELECT * FROM " + schema.QuoteIdent(v.Name) + " LIMIT 1"})
	}
	return probes
}

// transactional reports whether a table engine undoes a rolled-back transaction.
func transactional(engine string) bool {
	return strings.EqualFold(engine, "InnoDB") || strings.EqualFold(engine, "RocksDB")
}

// tablePlans plans a table's probes: SELECT, INSERT when one can be written, UPDATE when there
// is a column to set.
func tablePlans(f schema.Flavor, t *schema.Table) []*probePlan {
	sel := &probePlan{kind: Select, table: t.Name}
	for _, c := range t.Columns {
		sel.columns = append(sel.columns, c.Name)
	}
	plans := []*probePlan{sel}
	if !transactional(t.Options.Engine) {
		return plans
	}

	pk := t.PrimaryKey()
	var keyColumns []string
	if pk != nil {
		keyColumns = pk.Columns()
	}
	ins := &probePlan{kind: Insert, table: t.Name, canInsert: true}
	upd := &probePlan{kind: Update, table: t.Name}
	for _, c := range t.Columns {
		if c.Generated != nil {
			continue
		}
		v, known := valuesFor(f, t, c)
		if required(c) {
			if !known {
				ins.canInsert = false
			}
			ins.insert = append(ins.insert, probeSlot{column: c.Name, values: v})
		}
		// The UPDATE leaves the primary key alone: applications do not move a row to another
		// key, and a new key could collide with an existing row. It leaves AUTO_INCREMENT
		// columns alone too: a large value there would move the table's counter, which a
		// rollback does not undo.
		if known && !c.AutoIncrement && !slices.Contains(keyColumns, c.Name) {
			upd.set = append(upd.set, probeSlot{column: c.Name, values: v, low: true})
		}
	}
	if !ins.canInsert {
		ins.insert = nil
	} else {
		plans = append(plans, ins)
	}
	if len(upd.set) == 0 {
		return plans
	}
	if ins.canInsert {
		upd.insert, upd.canInsert = slices.Clone(ins.insert), true
		upd.key = setupKey(f, t, keyColumns, upd)
	}
	return append(plans, upd)
}

// setupKey adds to the update's setup INSERT the primary key columns it does not already name
// (ones with a default), so that the UPDATE can find the row by the values it gave them. It
// returns nil — the UPDATE then takes any row, LIMIT 1 — when there is no primary key or one of
// its columns cannot be given a value.
func setupKey(f schema.Flavor, t *schema.Table, keyColumns []string, upd *probePlan) []probeKey {
	if len(keyColumns) == 0 {
		return nil
	}
	var key []probeKey
	for _, name := range keyColumns {
		c := t.Column(name)
		if c == nil || c.Generated != nil {
			return nil
		}
		if c.AutoIncrement {
			key = append(key, probeKey{column: c.Name, slot: -1})
			continue
		}
		i := slices.IndexFunc(upd.insert, func(s probeSlot) bool { return s.column == c.Name })
		if i < 0 {
			v, known := valuesFor(f, t, c)
			if !known {
				return nil
			}
			upd.insert = append(upd.insert, probeSlot{column: c.Name, values: v})
			i = len(upd.insert) - 1
		}
		key = append(key, probeKey{column: c.Name, slot: i})
	}
	return key
}

// required reports whether an INSERT must name the column: the server has no value of its own.
func required(c *schema.Column) bool {
	return !c.Nullable && c.Default == nil && !c.AutoIncrement && c.Generated == nil
}

// clone copies a plan so that calibration can change its values.
func (p *probePlan) clone() *probePlan {
	c := *p
	c.insert, c.set = slices.Clone(p.insert), slices.Clone(p.set)
	return &c
}

// slots are the plan's slots, for calibration to switch.
func (p *probePlan) slots() []*probeSlot {
	var out []*probeSlot
	for i := range p.insert {
		out = append(out, &p.insert[i])
	}
	for i := range p.set {
		out = append(out, &p.set[i])
	}
	return out
}

// render writes the plan as a Probe.
func (p *probePlan) render() Probe {
	pr := Probe{Table: p.table, Kind: p.kind, plan: p}
	table := schema.QuoteIdent(p.table)
	switch p.kind {
	case Select:
		cols := make([]string, len(p.columns))
		for i, c := range p.columns {
			cols[i] = schema.QuoteIdent(c)
		}
		pr.SQL = "SELECT " + strings.Join(cols, ", ") + " FROM " + table + " LIMIT 1"
	case Insert:
		pr.SQL = p.insertSQL()
	case Update:
		var set []string
		for i := range p.set {
			if p.set[i].omit {
				continue
			}
			for _, v := range p.set[i].literals() {
				set = append(set, schema.QuoteIdent(p.set[i].column)+" = "+v)
			}
		}
		update := "UPDATE " + table + " SET " + strings.Join(set, ", ")
		pr.SQL = update + " LIMIT 1"
		if p.canInsert {
			pr.Setup, pr.Fallback = p.insertSQL(), pr.SQL
		}
		if p.canInsert && len(p.key) > 0 {
			where := make([]string, len(p.key))
			for i, k := range p.key {
				v := "LAST_INSERT_ID()"
				if k.slot >= 0 {
					v = p.insert[k.slot].literals()[0]
				}
				where[i] = schema.QuoteIdent(k.column) + " = " + v
			}
			pr.SQL = update + " WHERE " + strings.Join(where, " AND ")
		}
	}
	for _, s := range p.slots() {
		switch {
		case s.omit:
			pr.OmittedColumns = append(pr.OmittedColumns, s.column)
		case s.mild && !slices.Contains(pr.MildColumns, s.column):
			pr.MildColumns = append(pr.MildColumns, s.column)
		}
	}
	return pr
}

// insertSQL writes the plan's INSERT.
func (p *probePlan) insertSQL() string {
	cols := make([]string, len(p.insert))
	vals := make([]string, len(p.insert))
	for i := range p.insert {
		cols[i] = schema.QuoteIdent(p.insert[i].column)
		vals[i] = p.insert[i].literals()[0]
	}
	return "INSERT INTO " + schema.QuoteIdent(p.table) + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vals, ", ") + ")"
}
