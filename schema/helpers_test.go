package schema

import "strings"

// Builders for unit-test models, shaped like what the runner introspects on MariaDB 10.11.

var (
	mariaDB = Flavor{Kind: MariaDB, Major: 10, Minor: 11, Patch: 6, Version: "10.11.6-MariaDB"}
	mySQL   = Flavor{Kind: MySQL, Major: 8, Minor: 4, Patch: 3, Version: "8.4.3"}
)

func ptr(s string) *string { return &s }

// intCol is a nullable int(11) column with DEFAULT NULL.
func intCol(name string) *Column {
	return &Column{Name: name, Type: "int(11)", DataType: "int", Nullable: true, Default: ptr("NULL")}
}

// notNull is an int(11) NOT NULL column without default.
func notNull(name string) *Column {
	return &Column{Name: name, Type: "int(11)", DataType: "int"}
}

func varchar(name string, n string) *Column {
	return &Column{Name: name, Type: "varchar(" + n + ")", DataType: "varchar", Nullable: true, Default: ptr("NULL"),
		Charset: "utf8mb4", Collation: "utf8mb4_general_ci"}
}

func with(c *Column, f func(*Column)) *Column {
	f(c)
	return c
}

// table builds a table with default options and numbered columns.
func table(name string, cols ...*Column) *Table {
	for i, c := range cols {
		c.Position = i + 1
	}
	return &Table{Name: name, Columns: cols, Options: TableOptions{Engine: "InnoDB", Charset: "utf8mb4",
		Collation: "utf8mb4_general_ci"}}
}

func (t *Table) withIndexes(xs ...*Index) *Table {
	t.Indexes = append(t.Indexes, xs...)
	return t
}

func (t *Table) withFKs(fks ...*ForeignKey) *Table {
	t.ForeignKeys = append(t.ForeignKeys, fks...)
	return t
}

func (t *Table) withChecks(cs ...*Check) *Table {
	t.Checks = append(t.Checks, cs...)
	return t
}

func pk(cols ...string) *Index {
	return &Index{Name: "PRIMARY", Primary: true, Unique: true, Type: "BTREE", Parts: parts(cols...)}
}

func key(name string, cols ...string) *Index {
	return &Index{Name: name, Type: "BTREE", Parts: parts(cols...)}
}

func parts(cols ...string) []IndexPart {
	ps := make([]IndexPart, len(cols))
	for i, c := range cols {
		ps[i] = IndexPart{Column: c}
	}
	return ps
}

func fk(name, col, refTable, refCol string) *ForeignKey {
	return &ForeignKey{Name: name, Columns: []string{col}, RefTable: refTable, RefColumns: []string{refCol},
		OnUpdate: "RESTRICT", OnDelete: "RESTRICT"}
}

func schemaOf(name string, f Flavor, tables ...*Table) *Schema {
	return &Schema{Name: name, Flavor: f, Charset: "utf8mb4", Collation: "utf8mb4_general_ci", Tables: tables}
}

// changeList describes changes as "kind change object" for comparisons.
func changeList(cs []Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c.Kind) + " " + string(c.Change) + " " + c.Object()
	}
	return out
}

func joinLines(ss []string) string { return strings.Join(ss, "\n") }
