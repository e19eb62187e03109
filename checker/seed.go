package checker

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/schema-guard/schema-guard/declared"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/runner"
	"github.com/schema-guard/schema-guard/schema"
)

// seeds compares the rows of the seed tables, matched by primary key, between the replayed
// database and the declared one. Each missing, extra or changed row is a seed-drift finding
// with the statement that fixes it.
func (s *Session) seeds(ctx context.Context, declDB *runner.Database, d *Drift, loc *locator) error {
	for _, name := range s.opts.SeedTables {
		dt := d.Schema.Table(name)
		if dt == nil {
			return fmt.Errorf("seed table %s is not in the declared schema %s", name, d.Declared.Path)
		}
		pk := dt.PrimaryKey()
		if pk == nil {
			return fmt.Errorf("seed table %s has no primary key: seed tables need one, to match rows", dt.Name)
		}
		replayed := s.Final.Table(name)
		if replayed == nil {
			continue // the missing table is a drift finding already
		}
		var cols []*schema.Column
		for _, c := range dt.Columns {
			if replayed.Column(c.Name) != nil {
				cols = append(cols, c)
			}
		}
		key := pk.Columns()
		if !hasAll(cols, key) {
			continue // the key columns differ: a drift finding already; rows cannot be matched
		}
		names := columnNames(cols)
		actual, err := s.Replayed.Rows(ctx, replayed.Name, names, key)
		if err != nil {
			return err
		}
		want, err := declDB.Rows(ctx, dt.Name, names, key)
		if err != nil {
			return err
		}
		pos, ok := d.Declared.Seeds[strings.ToLower(dt.Name)]
		if !ok {
			pos = d.Declared.Objects[declared.Key{Kind: "table", Name: strings.ToLower(dt.Name)}]
		}
		t := seedTable{name: dt.Name, cols: cols, key: key}
		for _, c := range t.compare(actual, want) {
			f := at(pos)
			f.Rule, f.Severity, f.Table = finding.SeedDrift, finding.Error, dt.Name
			f.Message, f.Fix = c.message, c.fix+";"
			s.Report.Add(f)
			s.Report.Drift = append(s.Report.Drift, report.Drift{
				Object: dt.Name + "[" + c.key + "]", Kind: "row", Change: c.change,
				Declared: c.declared, Actual: c.actual, Fix: f.Fix,
			})
			d.Seed = append(d.Seed, c.fix)
			d.SeedReverse = append([]string{c.revert}, d.SeedReverse...)
		}
	}
	return nil
}

// seedTable is a seed table's shape for comparing rows.
type seedTable struct {
	name string
	cols []*schema.Column
	key  []string
}

// rowChange is one differing row.
type rowChange struct {
	key              string // "id=3"
	change           string // missing | extra | different
	declared, actual string // the rows as (a, b, c) tuples
	fix, revert      string
	message          string
}

// compare matches rows by key and reports, in key order of the declared rows first, what differs.
func (t seedTable) compare(actual, want [][]runner.Value) []rowChange {
	index := func(rows [][]runner.Value) map[string][]runner.Value {
		m := map[string][]runner.Value{}
		for _, r := range rows {
			m[t.keyOf(r)] = r
		}
		return m
	}
	have, wanted := index(actual), index(want)
	var out []rowChange
	for _, w := range want {
		k := t.keyOf(w)
		a, ok := have[k]
		switch {
		case !ok:
			out = append(out, rowChange{key: t.keyText(w), change: "missing", declared: t.tuple(w),
				fix: t.insert(w), revert: t.delete(w),
				message: fmt.Sprintf("seed row %s (%s) is declared, but the migrations do not insert it", t.name, t.keyText(w))})
		case !sameRow(a, w):
			out = append(out, rowChange{key: t.keyText(w), change: "different", declared: t.tuple(w), actual: t.tuple(a),
				fix: t.update(w, a), revert: t.update(a, w),
				message: fmt.Sprintf("seed row %s (%s) differs: the migrations give %s, the declared schema %s", t.name, t.keyText(w), t.tuple(a), t.tuple(w))})
		}
	}
	for _, a := range actual {
		if _, ok := wanted[t.keyOf(a)]; !ok {
			out = append(out, rowChange{key: t.keyText(a), change: "extra", actual: t.tuple(a),
				fix: t.delete(a), revert: t.insert(a),
				message: fmt.Sprintf("the migrations insert seed row %s (%s), which the declared schema does not have", t.name, t.keyText(a))})
		}
	}
	return out
}

func (t seedTable) keyOf(r []runner.Value) string {
	var b strings.Builder
	for _, k := range t.key {
		v := r[t.col(k)]
		if v == nil {
			b.WriteString("\x00N")
		} else {
			b.WriteString("\x00V" + *v)
		}
	}
	return b.String()
}

func (t seedTable) keyText(r []runner.Value) string {
	var parts []string
	for _, k := range t.key {
		i := t.col(k)
		parts = append(parts, t.cols[i].Name+"="+literal(r[i], t.cols[i]))
	}
	return strings.Join(parts, ", ")
}

func (t seedTable) col(name string) int {
	for i, c := range t.cols {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

func (t seedTable) tuple(r []runner.Value) string {
	vals := make([]string, len(r))
	for i, v := range r {
		vals[i] = literal(v, t.cols[i])
	}
	return "(" + strings.Join(vals, ", ") + ")"
}

func (t seedTable) insert(r []runner.Value) string {
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES %s", schema.QuoteIdent(t.name), strings.Join(idents(columnNames(t.cols)), ", "), t.tuple(r))
}

func (t seedTable) delete(r []runner.Value) string {
	return fmt.Sprintf("DELETE FROM %s WHERE %s", schema.QuoteIdent(t.name), t.where(r))
}

// update sets the columns of `from` that differ from `to`'s.
func (t seedTable) update(to, from []runner.Value) string {
	var set []string
	for i, c := range t.cols {
		if !sameValue(to[i], from[i]) {
			set = append(set, schema.QuoteIdent(c.Name)+" = "+literal(to[i], c))
		}
	}
	return fmt.Sprintf("UPDATE %s SET %s WHERE %s", schema.QuoteIdent(t.name), strings.Join(set, ", "), t.where(to))
}

func (t seedTable) where(r []runner.Value) string {
	var conds []string
	for _, k := range t.key {
		i := t.col(k)
		conds = append(conds, schema.QuoteIdent(t.cols[i].Name)+" = "+literal(r[i], t.cols[i]))
	}
	return strings.Join(conds, " AND ")
}

func sameRow(a, b []runner.Value) bool {
	for i := range a {
		if !sameValue(a[i], b[i]) {
			return false
		}
	}
	return true
}

func sameValue(a, b runner.Value) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// literal renders a value read in the text protocol as SQL for its column: numbers bare, binary
// data (and anything not UTF-8) in hex, the rest as a quoted string.
func literal(v runner.Value, c *schema.Column) string {
	if v == nil {
		return "NULL"
	}
	s := *v
	switch c.DataType {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float", "double", "real":
		return s
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit":
		if s == "" {
			return "''"
		}
		return "0x" + hex.EncodeToString([]byte(s))
	}
	if !utf8.ValidString(s) {
		return "0x" + hex.EncodeToString([]byte(s))
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `''`, "\x00", `\0`)
	return "'" + r.Replace(s) + "'"
}

func hasAll(cols []*schema.Column, names []string) bool {
	for _, n := range names {
		found := false
		for _, c := range cols {
			if strings.EqualFold(c.Name, n) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func columnNames(cols []*schema.Column) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

func idents(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = schema.QuoteIdent(n)
	}
	return out
}
