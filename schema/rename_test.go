package schema

import (
	"slices"
	"testing"
)

func TestRenameHints(t *testing.T) {
	clients := func(col string) *Table {
		return table("clients", notNull("id"), varchar(col, "50")).withIndexes(pk("id"))
	}
	customers := func(col string) *Table {
		return table("customers", notNull("id"), varchar(col, "50")).withIndexes(pk("id"))
	}
	tests := []struct {
		name     string
		f        Flavor
		from, to *Table
		hints    map[string]string
		changes  []string
		script   []string
	}{
		{"table forward", mariaDB, clients("a"), customers("a"), map[string]string{"customers": "clients"},
			[]string{"table renamed customers"}, []string{"RENAME TABLE `clients` TO `customers`"}},
		{"table backward", mariaDB, customers("a"), clients("a"), map[string]string{"customers": "clients"},
			[]string{"table renamed clients"}, []string{"RENAME TABLE `customers` TO `clients`"}},
		{"column forward", mariaDB, clients("name"), clients("full_name"), map[string]string{"clients.full_name": "name"},
			[]string{"column renamed clients.full_name"},
			[]string{"ALTER TABLE `clients` RENAME COLUMN `name` TO `full_name`"}},
		{"column backward", mariaDB, clients("full_name"), clients("name"), map[string]string{"clients.full_name": "name"},
			[]string{"column renamed clients.name"},
			[]string{"ALTER TABLE `clients` RENAME COLUMN `full_name` TO `name`"}},
		{"table and column backward", mariaDB, customers("full_name"), clients("name"),
			map[string]string{"customers": "clients", "customers.full_name": "name"},
			[]string{"table renamed clients", "column renamed clients.name"},
			[]string{"RENAME TABLE `customers` TO `clients`", "ALTER TABLE `clients` RENAME COLUMN `full_name` TO `name`"}},
		{"table and column, hints inverted for the way back", mariaDB, customers("full_name"), clients("name"),
			map[string]string{"clients": "customers", "customers.name": "full_name"},
			[]string{"table renamed clients", "column renamed clients.name"},
			[]string{"RENAME TABLE `customers` TO `clients`", "ALTER TABLE `clients` RENAME COLUMN `full_name` TO `name`"}},
		{"table and column forward, column hint by the old table name", mariaDB, clients("name"), customers("full_name"),
			map[string]string{"customers": "clients", "clients.full_name": "name"},
			[]string{"table renamed customers", "column renamed customers.full_name"},
			[]string{"RENAME TABLE `clients` TO `customers`", "ALTER TABLE `customers` RENAME COLUMN `name` TO `full_name`"}},
		{"column on MariaDB 10.4", Flavor{Kind: MariaDB, Major: 10, Minor: 4}, clients("name"), clients("full_name"),
			map[string]string{"clients.full_name": "name"},
			[]string{"column renamed clients.full_name"},
			[]string{"ALTER TABLE `clients` CHANGE COLUMN `name` `full_name` varchar(50) DEFAULT NULL"}},
		{"column on MySQL 5.7", Flavor{Kind: MySQL, Major: 5, Minor: 7, Patch: 44}, clients("name"), clients("full_name"),
			map[string]string{"clients.full_name": "name"},
			[]string{"column renamed clients.full_name"},
			[]string{"ALTER TABLE `clients` CHANGE COLUMN `name` `full_name` varchar(50) DEFAULT NULL"}},
		{"renamed and changed", mariaDB, clients("name"), table("clients", notNull("id"), varchar("full_name", "99")).withIndexes(pk("id")),
			map[string]string{"clients.full_name": "name"},
			[]string{"column renamed clients.full_name", "column different clients.full_name"},
			[]string{"ALTER TABLE `clients` RENAME COLUMN `name` TO `full_name`",
				"ALTER TABLE `clients` MODIFY COLUMN `full_name` varchar(99) DEFAULT NULL"}},
		{"both names exist: no rename", mariaDB, table("t", intCol("a"), intCol("b")), table("t", intCol("b")),
			map[string]string{"t.b": "a"}, []string{"column extra t.a"}, []string{"ALTER TABLE `t` DROP COLUMN `a`"}},
		{"old name missing: no rename", mariaDB, table("t", intCol("x")), table("t", intCol("x"), intCol("b")),
			map[string]string{"t.b": "a"}, []string{"column missing t.b"},
			[]string{"ALTER TABLE `t` ADD COLUMN `b` int(11) DEFAULT NULL"}},
		{"hint for another table", mariaDB, clients("a"), customers("a"), map[string]string{"users": "clients"},
			[]string{"table extra clients", "table missing customers"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diff(schemaOf("a", tt.f, tt.from), schemaOf("b", tt.f, tt.to), DiffOptions{Renamed: tt.hints})
			if got := changeList(d.Changes); !slices.Equal(got, tt.changes) {
				t.Errorf("changes %v, want %v", got, tt.changes)
			}
			if tt.script != nil && !slices.Equal(d.Statements, tt.script) {
				t.Errorf("script:\n%s\nwant:\n%s", joinLines(d.Statements), joinLines(tt.script))
			}
			for _, c := range d.Changes {
				if c.Change == Renamed && (c.OldName == "" || len(c.Fix) != 1) {
					t.Errorf("renamed change %+v", c)
				}
			}
		})
	}
}

func TestRenameFollowers(t *testing.T) {
	// What follows a renamed table or column on the server follows it in the comparison too:
	// foreign keys pointing at it, its triggers, indexes, checks and generated columns.
	from := schemaOf("a", mariaDB,
		table("clients", notNull("id"), varchar("name", "50"),
			with(intCol("len"), func(c *Column) { c.Default, c.Generated = nil, &Generated{Expr: "char_length(`name`)"} })).
			withIndexes(pk("id"), key("idx_name", "name")).
			withChecks(&Check{Name: "chk", Expr: "`name` <> ''", Enforced: true}),
		table("orders", notNull("id"), intCol("cid")).withIndexes(pk("id")).
			withFKs(&ForeignKey{Name: "fk", Columns: []string{"cid"}, RefTable: "clients", RefColumns: []string{"id"}}))
	from.Triggers = []*Trigger{{Name: "tr", Table: "clients", Timing: "AFTER", Event: "DELETE", Order: 1, Statement: "SET @a = 1"}}
	to := schemaOf("b", mariaDB,
		table("customers", notNull("id"), varchar("full_name", "50"),
			with(intCol("len"), func(c *Column) { c.Default, c.Generated = nil, &Generated{Expr: "char_length(`full_name`)"} })).
			withIndexes(pk("id"), key("idx_name", "full_name")).
			withChecks(&Check{Name: "chk", Expr: "`full_name` <> ''", Enforced: true}),
		table("orders", notNull("id"), intCol("cid")).withIndexes(pk("id")).
			withFKs(&ForeignKey{Name: "fk", Columns: []string{"cid"}, RefTable: "customers", RefColumns: []string{"id"}}))
	to.Triggers = []*Trigger{{Name: "tr", Table: "customers", Timing: "AFTER", Event: "DELETE", Order: 1, Statement: "SET @a = 1"}}
	d := Diff(from, to, DiffOptions{Renamed: map[string]string{"customers": "clients", "customers.full_name": "name"}})
	want := []string{"table renamed customers", "column renamed customers.full_name"}
	if got := changeList(d.Changes); !slices.Equal(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
}
