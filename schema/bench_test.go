package schema

import (
	"fmt"
	"testing"
)

// benchSchema generates n tables shaped like a real application's (ten columns of several kinds,
// three secondary indexes, a foreign key to the previous table, a check), plus a view and a
// trigger per ten tables. drift changes every fifth table: a column type, a new column, an
// index, a reordered column, the check, and some tables' options.
func benchSchema(name string, n int, drift bool) *Schema {
	s := schemaOf(name, mariaDB)
	for i := range n {
		cols := []*Column{
			{Name: "id", Type: "int(10) unsigned", DataType: "int", Unsigned: true, AutoIncrement: true},
			with(intCol("prev_id"), func(c *Column) { c.Type, c.Unsigned = "int(10) unsigned", true }),
			&Column{Name: "name", Type: "varchar(100)", DataType: "varchar", Default: ptr("''"), Charset: "utf8mb4", Collation: "utf8mb4_general_ci"},
			&Column{Name: "amount", Type: "decimal(10,2)", DataType: "decimal", Default: ptr("0.00")},
			&Column{Name: "status", Type: "enum('new','done')", DataType: "enum", Default: ptr("'new'"), Charset: "utf8mb4", Collation: "utf8mb4_general_ci"},
			&Column{Name: "created", Type: "timestamp", DataType: "timestamp", Default: ptr("CURRENT_TIMESTAMP")},
			&Column{Name: "updated", Type: "timestamp", DataType: "timestamp", Nullable: true, Default: ptr("NULL"), OnUpdate: "CURRENT_TIMESTAMP"},
			varchar("email", "255"),
			intCol("counter"),
			&Column{Name: "note", Type: "text", DataType: "text", Nullable: true, Default: ptr("NULL"), Charset: "utf8mb4", Collation: "utf8mb4_general_ci"},
		}
		d := drift && i%5 == 0
		if d {
			cols[3].Type = "decimal(12,2)"
			cols = append(cols, varchar("extra", "20"))
			cols[7], cols[8] = cols[8], cols[7]
		}
		t := table(fmt.Sprintf("t%03d", i), cols...).withIndexes(pk("id"), key("idx_name", "name"),
			key("idx_status_created", "status", "created"), key("prev_id", "prev_id"))
		if d {
			t.withIndexes(key("idx_email", "email"))
		}
		if i > 0 {
			t.withFKs(fk(fmt.Sprintf("fk_t%03d", i), "prev_id", fmt.Sprintf("t%03d", i-1), "id"))
		}
		expr := "`amount` >= 0"
		if d {
			expr = "`amount` >= 1"
		}
		t.withChecks(&Check{Name: fmt.Sprintf("chk_t%03d", i), Expr: expr, Enforced: true})
		if d && i%10 == 0 {
			t.Options.Comment = "changed"
		}
		s.Tables = append(s.Tables, t)
		if i%10 == 0 {
			s.Views = append(s.Views, &View{Name: fmt.Sprintf("v%03d", i),
				Definition: fmt.Sprintf("select `%s`.`t%03d`.`id` AS `id` from `%s`.`t%03d`", name, i, name, i)})
			s.Triggers = append(s.Triggers, &Trigger{Name: fmt.Sprintf("tr%03d", i), Table: t.Name, Timing: "BEFORE",
				Event: "INSERT", Order: 1, Statement: "BEGIN\n  SET NEW.counter = 0;\nEND"})
		}
	}
	return s
}

// BenchmarkDiff compares two 200-table models, a fifth of whose tables differ.
func BenchmarkDiff(b *testing.B) {
	from, to := benchSchema("db_a", 200, false), benchSchema("db_b", 200, true)
	var d *Delta
	for b.Loop() {
		d = Diff(from, to, DiffOptions{})
	}
	b.ReportMetric(float64(len(d.Changes)), "changes")
}

// BenchmarkDiffEqual compares two equal 200-table models: the cost of a run without drift.
func BenchmarkDiffEqual(b *testing.B) {
	from, to := benchSchema("db_a", 200, false), benchSchema("db_b", 200, false)
	for b.Loop() {
		if d := Diff(from, to, DiffOptions{}); !d.Empty() {
			b.Fatalf("changes: %v", changeList(d.Changes))
		}
	}
}

func TestBenchSchemaDrift(t *testing.T) {
	d := Diff(benchSchema("a", 20, false), benchSchema("b", 20, true), DiffOptions{})
	// Per drifted table (0, 5, 10, 15): amount, extra, counter's move, idx_email, the check;
	// and tables 0 and 10 change their comment.
	if len(d.Changes) != 4*5+2 {
		t.Errorf("%d changes:\n%s", len(d.Changes), joinLines(changeList(d.Changes)))
	}
}
