package schema

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// oneChange diffs two single-table schemas and returns the only change, failing otherwise.
func oneChange(t *testing.T, f Flavor, from, to *Table) Change {
	t.Helper()
	d := Diff(schemaOf("a", f, from), schemaOf("b", f, to), DiffOptions{})
	if len(d.Changes) != 1 {
		t.Fatalf("want one change, got %v", changeList(d.Changes))
	}
	return d.Changes[0]
}

func TestDiffChangeKinds(t *testing.T) {
	base := func() *Table { return table("t", notNull("id"), intCol("a")).withIndexes(pk("id")) }
	tests := []struct {
		name     string
		f        Flavor
		from, to *Table
		want     Change
	}{
		{"column missing", mariaDB, base(), table("t", notNull("id"), intCol("a"), varchar("b", "10")).withIndexes(pk("id")),
			Change{Kind: KindColumn, Change: Missing, Table: "t", Name: "b", To: "`b` varchar(10) DEFAULT NULL",
				Fix: []string{"ALTER TABLE `t` ADD COLUMN `b` varchar(10) DEFAULT NULL"}}},
		{"column extra", mariaDB, base(), table("t", notNull("id")).withIndexes(pk("id")),
			Change{Kind: KindColumn, Change: Extra, Table: "t", Name: "a", From: "`a` int(11) DEFAULT NULL",
				Fix: []string{"ALTER TABLE `t` DROP COLUMN `a`"}}},
		{"column different", mariaDB, base(),
			table("t", notNull("id"), with(notNull("a"), func(c *Column) {
				c.Type, c.Unsigned, c.Default, c.Comment = "int(10) unsigned", true, ptr("0"), "it's"
			})).withIndexes(pk("id")),
			Change{Kind: KindColumn, Change: Different, Table: "t", Name: "a", From: "`a` int(11) DEFAULT NULL",
				To:  "`a` int(10) unsigned NOT NULL DEFAULT 0 COMMENT 'it''s'",
				Fix: []string{"ALTER TABLE `t` MODIFY COLUMN `a` int(10) unsigned NOT NULL DEFAULT 0 COMMENT 'it''s'"}}},
		{"column becomes virtual", mariaDB, base(),
			table("t", notNull("id"), with(intCol("a"), func(c *Column) {
				c.Default, c.Generated = nil, &Generated{Expr: "`id` + 1"}
			})).withIndexes(pk("id")),
			Change{Kind: KindColumn, Change: Different, Table: "t", Name: "a", From: "`a` int(11) DEFAULT NULL",
				To:  "`a` int(11) GENERATED ALWAYS AS (`id` + 1) VIRTUAL",
				Fix: []string{"ALTER TABLE `t`\n  DROP COLUMN `a`,\n  ADD COLUMN `a` int(11) GENERATED ALWAYS AS (`id` + 1) VIRTUAL"}}},
		{"index missing", mariaDB, base(), base().withIndexes(key("k", "a")),
			Change{Kind: KindIndex, Change: Missing, Table: "t", Name: "k", To: "KEY `k` (`a`)",
				Fix: []string{"ALTER TABLE `t` ADD KEY `k` (`a`)"}}},
		{"index different", mariaDB, base().withIndexes(key("k", "a")),
			base().withIndexes(&Index{Name: "k", Unique: true, Type: "BTREE", Parts: []IndexPart{{Column: "a", Descending: true}}, Comment: "c"}),
			Change{Kind: KindIndex, Change: Different, Table: "t", Name: "k", From: "KEY `k` (`a`)",
				To:  "UNIQUE KEY `k` (`a` DESC) COMMENT 'c'",
				Fix: []string{"ALTER TABLE `t`\n  DROP INDEX `k`,\n  ADD UNIQUE KEY `k` (`a` DESC) COMMENT 'c'"}}},
		{"index ignored on MariaDB", mariaDB, base().withIndexes(key("k", "a")),
			base().withIndexes(&Index{Name: "k", Type: "BTREE", Parts: parts("a"), Invisible: true}),
			Change{Kind: KindIndex, Change: Different, Table: "t", Name: "k", From: "KEY `k` (`a`)", To: "KEY `k` (`a`) IGNORED",
				Fix: []string{"ALTER TABLE `t` ALTER INDEX `k` IGNORED"}}},
		{"index visible on MySQL", mySQL, base().withIndexes(&Index{Name: "k", Type: "BTREE", Parts: parts("a"), Invisible: true}),
			base().withIndexes(key("k", "a")),
			Change{Kind: KindIndex, Change: Different, Table: "t", Name: "k", From: "KEY `k` (`a`) INVISIBLE", To: "KEY `k` (`a`)",
				Fix: []string{"ALTER TABLE `t` ALTER INDEX `k` VISIBLE"}}},
		{"primary key different", mariaDB, base(), table("t", notNull("id"), intCol("a")).withIndexes(pk("id", "a")),
			Change{Kind: KindIndex, Change: Different, Table: "t", Name: "PRIMARY", From: "PRIMARY KEY (`id`)",
				To:  "PRIMARY KEY (`id`,`a`)",
				Fix: []string{"ALTER TABLE `t`\n  DROP PRIMARY KEY,\n  ADD PRIMARY KEY (`id`,`a`)"}}},
		{"foreign key different", mariaDB, base().withFKs(fk("fk", "a", "p", "id")),
			base().withFKs(with2(fk("fk", "a", "p", "id"), func(f *ForeignKey) { f.OnDelete = "CASCADE" })),
			Change{Kind: KindForeignKey, Change: Different, Table: "t", Name: "fk",
				From: "CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`id`)",
				To:   "CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`id`) ON DELETE CASCADE",
				Fix: []string{"ALTER TABLE `t` DROP FOREIGN KEY `fk`",
					"ALTER TABLE `t` ADD CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`id`) ON DELETE CASCADE"}}},
		{"check missing on MySQL", mySQL, base(), base().withChecks(&Check{Name: "c", Expr: "(`a` > 0)"}),
			Change{Kind: KindCheck, Change: Missing, Table: "t", Name: "c", To: "CONSTRAINT `c` CHECK ((`a` > 0)) NOT ENFORCED",
				Fix: []string{"ALTER TABLE `t` ADD CONSTRAINT `c` CHECK ((`a` > 0)) NOT ENFORCED"}}},
		{"check enforcement on MySQL", mySQL, base().withChecks(&Check{Name: "c", Expr: "(`a` > 0)"}),
			base().withChecks(&Check{Name: "c", Expr: "(`a` > 0)", Enforced: true}),
			Change{Kind: KindCheck, Change: Different, Table: "t", Name: "c", From: "CONSTRAINT `c` CHECK ((`a` > 0)) NOT ENFORCED",
				To: "CONSTRAINT `c` CHECK ((`a` > 0))", Fix: []string{"ALTER TABLE `t` ALTER CHECK `c` ENFORCED"}}},
		{"check extra on MySQL", mySQL, base().withChecks(&Check{Name: "c", Expr: "(`a` > 0)", Enforced: true}), base(),
			Change{Kind: KindCheck, Change: Extra, Table: "t", Name: "c", From: "CONSTRAINT `c` CHECK ((`a` > 0))",
				Fix: []string{"ALTER TABLE `t` DROP CHECK `c`"}}},
		{"check different on MariaDB", mariaDB, base().withChecks(&Check{Name: "c", Expr: "`a` > 0", Enforced: true}),
			base().withChecks(&Check{Name: "c", Expr: "`a` > 1", Enforced: true}),
			Change{Kind: KindCheck, Change: Different, Table: "t", Name: "c", From: "CONSTRAINT `c` CHECK (`a` > 0)",
				To:  "CONSTRAINT `c` CHECK (`a` > 1)",
				Fix: []string{"ALTER TABLE `t`\n  DROP CONSTRAINT `c`,\n  ADD CONSTRAINT `c` CHECK (`a` > 1)"}}},
		{"column-level check added inside its column", mariaDB, base(),
			base().withChecks(&Check{Name: "a", Column: "a", Expr: "`a` > 0", Enforced: true}),
			Change{Kind: KindCheck, Change: Missing, Table: "t", Name: "a", To: "CONSTRAINT `a` CHECK (`a` > 0)",
				Fix: []string{"ALTER TABLE `t` MODIFY COLUMN `a` int(11) DEFAULT NULL CHECK (`a` > 0)"}}},
		{"column-level check removed by MODIFY", mariaDB, base().withChecks(&Check{Name: "a", Column: "a", Expr: "`a` > 0", Enforced: true}),
			base(),
			Change{Kind: KindCheck, Change: Extra, Table: "t", Name: "a", From: "CONSTRAINT `a` CHECK (`a` > 0)",
				Fix: []string{"ALTER TABLE `t` MODIFY COLUMN `a` int(11) DEFAULT NULL"}}},
		{"column-level check changed", mariaDB, base().withChecks(&Check{Name: "a", Column: "a", Expr: "`a` > 0", Enforced: true}),
			base().withChecks(&Check{Name: "a", Column: "a", Expr: "`a` > 1", Enforced: true}),
			Change{Kind: KindCheck, Change: Different, Table: "t", Name: "a", From: "CONSTRAINT `a` CHECK (`a` > 0)",
				To:  "CONSTRAINT `a` CHECK (`a` > 1)",
				Fix: []string{"ALTER TABLE `t` MODIFY COLUMN `a` int(11) DEFAULT NULL CHECK (`a` > 1)"}}},
		{"table options", mariaDB, base(), with3(base(), func(o *TableOptions) {
			o.Engine, o.RowFormat, o.Comment, o.CreateOptions, o.AutoIncrement = "Aria", "PAGE", "x", "transactional=1", 50
		}),
			Change{Kind: KindTableOptions, Change: Different, Table: "t",
				From: "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
				To:   "ENGINE=Aria DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=PAGE COMMENT='x' transactional=1",
				Fix:  []string{"ALTER TABLE `t` ENGINE=Aria ROW_FORMAT=PAGE COMMENT='x' transactional=1"}}},
		{"options reset", mariaDB, with3(base(), func(o *TableOptions) {
			o.RowFormat, o.CreateOptions = "COMPACT", "max_rows=10 stats_persistent=0 `page_compressed`='1'"
		}), base(),
			Change{Kind: KindTableOptions, Change: Different, Table: "t",
				From: "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=COMPACT max_rows=10 stats_persistent=0 `page_compressed`='1'",
				To:   "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
				Fix:  []string{"ALTER TABLE `t` ROW_FORMAT=DEFAULT max_rows=0 `page_compressed`=DEFAULT stats_persistent=DEFAULT"}}},
		{"partitioning is reported without a fix", mariaDB, base(), with3(base(), func(o *TableOptions) { o.Partitioned = true }),
			Change{Kind: KindTableOptions, Change: Different, Table: "t",
				From: "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
				To:   "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci /* partitioned; partitioning is not compared */"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := oneChange(t, tt.f, tt.from, tt.to)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func with2(f *ForeignKey, fn func(*ForeignKey)) *ForeignKey {
	fn(f)
	return f
}

func with3(t *Table, fn func(*TableOptions)) *Table {
	fn(&t.Options)
	return t
}

func TestDiffNoDifference(t *testing.T) {
	p := table("p", notNull("id")).withIndexes(pk("id"))
	tests := []struct {
		name     string
		from, to *Schema
	}{
		{"NO ACTION is RESTRICT",
			schemaOf("a", mariaDB, table("t", intCol("a")).withFKs(fk("fk", "a", "p", "id")), p),
			schemaOf("b", mariaDB, table("t", intCol("a")).withFKs(with2(fk("fk", "a", "p", "id"), func(f *ForeignKey) {
				f.OnDelete, f.OnUpdate = "NO ACTION", ""
			})), p)},
		{"auto_increment counter and generated names",
			schemaOf("a", mariaDB, with3(table("t", intCol("a"), intCol("b")).withIndexes(key("a", "a", "b"), key("a_2", "a")).
				withChecks(&Check{Name: "CONSTRAINT_1", Expr: "`a` > 0", Enforced: true}).
				withFKs(fk("t_ibfk_1", "a", "p", "id")), func(o *TableOptions) { o.AutoIncrement = 7 }), p),
			schemaOf("b", mariaDB, table("t", intCol("a"), intCol("b")).withIndexes(key("a", "a"), key("idx_ab", "a", "b")).
				withChecks(&Check{Name: "chk_a", Expr: "`a` > 0", Enforced: true}).
				withFKs(fk("fk_a", "a", "p", "id")), p)},
		{"view qualifier and definer, bodies re-indented",
			&Schema{Name: "db_a", Views: []*View{{Name: "v", Definition: "select `db_a`.`t`.`a` AS `a` from `db_a`.`t`", Definer: "x@%"}},
				Triggers: []*Trigger{{Name: "tr", Table: "t", Timing: "BEFORE", Event: "INSERT", Order: 1, Statement: "BEGIN\n  SET @a = 1;\nEND", Definer: "x@%"}},
				Routines: []*Routine{{Name: "p", Type: "PROCEDURE", Body: "BEGIN\n\tSELECT 1;\nEND", Definer: "x@%"}}},
			&Schema{Name: "db_b", Views: []*View{{Name: "v", Definition: "select `db_b`.`t`.`a` AS `a` from `db_b`.`t`", Definer: "y@h"}},
				Triggers: []*Trigger{{Name: "tr", Table: "t", Timing: "BEFORE", Event: "INSERT", Order: 1, Statement: "BEGIN SET @a = 1; END", Definer: "y@h"}},
				Routines: []*Routine{{Name: "p", Type: "PROCEDURE", Body: "BEGIN SELECT 1; END", Definer: "y@h"}}}},
		{"column-level and table-level check",
			schemaOf("a", mariaDB, table("t", intCol("a")).withChecks(&Check{Name: "a", Column: "a", Expr: "`a` > 0", Enforced: true})),
			schemaOf("b", mariaDB, table("t", intCol("a")).withChecks(&Check{Name: "CONSTRAINT_1", Expr: "`a` > 0", Enforced: true}))},
		{"integer display widths", schemaOf("a", mariaDB, table("t", with(notNull("a"), func(c *Column) { c.Type = "int(10) unsigned" }))),
			schemaOf("b", mariaDB, table("t", with(notNull("a"), func(c *Column) { c.Type = "int(11) unsigned" })))},
		{"nil and empty", nil, &Schema{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, d := range []*Delta{Diff(tt.from, tt.to, DiffOptions{}), Diff(tt.to, tt.from, DiffOptions{})} {
				if !d.Empty() || len(d.Statements) > 0 {
					t.Errorf("changes %v, statements %q", changeList(d.Changes), d.Statements)
				}
			}
		})
	}
}

func TestDiffScriptOrder(t *testing.T) {
	// from: p ← c (fk_c), old (extra, referenced by c), view v, trigger tr on c, procedure pr.
	// to: c without fk_old, with a new fk to a new table n, which has a cycle with m.
	p := table("p", notNull("id")).withIndexes(pk("id"))
	from := schemaOf("a", mariaDB,
		p,
		table("old", notNull("id")).withIndexes(pk("id")),
		table("c", notNull("id"), intCol("pid"), intCol("oid")).withIndexes(pk("id"), key("pid", "pid"), key("oid", "oid")).
			withFKs(fk("fk_c", "pid", "p", "id"), fk("fk_old", "oid", "old", "id")),
	)
	from.Views = []*View{{Name: "v", Definition: "select 1 AS `x`"}}
	from.Triggers = []*Trigger{{Name: "tr", Table: "c", Timing: "BEFORE", Event: "INSERT", Order: 1, Statement: "SET @a = 1"}}
	from.Routines = []*Routine{{Name: "pr", Type: "PROCEDURE", Body: "SELECT 1"}}
	to := schemaOf("b", mariaDB,
		p,
		table("c", notNull("id"), intCol("pid"), intCol("nid")).withIndexes(pk("id"), key("pid", "pid"), key("nid", "nid")).
			withFKs(fk("fk_c", "pid", "p", "id"), fk("fk_n", "nid", "n", "id")),
		table("m", notNull("id"), intCol("nid")).withIndexes(pk("id"), key("nid", "nid")).withFKs(fk("fk_mn", "nid", "n", "id")),
		table("n", notNull("id"), intCol("mid")).withIndexes(pk("id"), key("mid", "mid")).withFKs(fk("fk_nm", "mid", "m", "id")),
	)
	to.Views = []*View{
		{Name: "v", Definition: "select `b`.`w`.`x` AS `x` from `b`.`w`"},
		{Name: "w", Definition: "select `b`.`m`.`id` AS `x` from `b`.`m`"},
	}
	to.Triggers = []*Trigger{{Name: "tr", Table: "c", Timing: "BEFORE", Event: "INSERT", Order: 1, Statement: "SET @a = 2"}}
	to.Routines = []*Routine{{Name: "pr", Type: "PROCEDURE", Body: "SELECT 2"}}
	d := Diff(from, to, DiffOptions{})
	want := []string{
		"ALTER TABLE `c` DROP FOREIGN KEY `fk_old`",
		"DROP VIEW `v`",
		"DROP TRIGGER `tr`",
		"DROP PROCEDURE `pr`",
		"CREATE TABLE `m` (",
		"CREATE TABLE `n` (",
		"ALTER TABLE `c`\n  DROP INDEX `oid`,\n  DROP COLUMN `oid`,\n  ADD COLUMN `nid` int(11) DEFAULT NULL,\n  ADD KEY `nid` (`nid`)",
		"DROP TABLE `old`",
		"ALTER TABLE `c` ADD CONSTRAINT `fk_n` FOREIGN KEY (`nid`) REFERENCES `n` (`id`)",
		"ALTER TABLE `m` ADD CONSTRAINT `fk_mn` FOREIGN KEY (`nid`) REFERENCES `n` (`id`)",
		"ALTER TABLE `n` ADD CONSTRAINT `fk_nm` FOREIGN KEY (`mid`) REFERENCES `m` (`id`)",
		"CREATE PROCEDURE `pr`()\nSELECT 2",
		"CREATE VIEW `w` AS select `m`.`id` AS `x` from `m`",
		"CREATE VIEW `v` AS select `w`.`x` AS `x` from `w`",
		"CREATE TRIGGER `tr` BEFORE INSERT ON `c` FOR EACH ROW SET @a = 2",
	}
	if len(d.Statements) != len(want) {
		t.Fatalf("statements:\n%s", joinLines(d.Statements))
	}
	for i, w := range want {
		if !strings.HasPrefix(d.Statements[i], w) {
			t.Errorf("statement %d:\n%s\nwant prefix:\n%s", i+1, d.Statements[i], w)
		}
	}
	for _, s := range d.Statements {
		if strings.Contains(s, "CREATE TABLE") && strings.Contains(s, "FOREIGN KEY") {
			t.Errorf("a table is created with its foreign keys: %s", s)
		}
	}
}

func TestDiffForeignKeyInTheWay(t *testing.T) {
	p := func(typ string) *Table {
		return table("p", with(notNull("id"), func(c *Column) { c.Type = typ })).withIndexes(pk("id"))
	}
	c := func(typ string) *Table {
		return table("c", notNull("id"), with(intCol("pid"), func(c *Column) { c.Type = typ })).
			withIndexes(pk("id"), key("fk", "pid")).withFKs(fk("fk", "pid", "p", "id"))
	}
	d := Diff(schemaOf("a", mariaDB, p("int(11)"), c("int(11)")), schemaOf("b", mariaDB, p("bigint(20)"), c("bigint(20)")), DiffOptions{})
	if got := changeList(d.Changes); !slices.Equal(got, []string{"column different c.pid", "column different p.id"}) {
		t.Errorf("changes %v", got)
	}
	if first, last := d.Statements[0], d.Statements[len(d.Statements)-1]; first != "ALTER TABLE `c` DROP FOREIGN KEY `fk`" ||
		last != "ALTER TABLE `c` ADD CONSTRAINT `fk` FOREIGN KEY (`pid`) REFERENCES `p` (`id`)" {
		t.Errorf("the unchanged foreign key must be dropped first and added last:\n%s", joinLines(d.Statements))
	}
}

func TestDiffDoesNotModifyItsArguments(t *testing.T) {
	build := func() (*Schema, *Schema) {
		from := schemaOf("a", mariaDB,
			table("clients", notNull("id"), varchar("name", "10")).withIndexes(pk("id"), key("name", "name")).
				withChecks(&Check{Name: "name", Column: "name", Expr: "`name` <> ''", Enforced: true}),
			table("orders", notNull("id"), intCol("cid")).withFKs(fk("fk", "cid", "clients", "id")))
		from.Triggers = []*Trigger{{Name: "tr", Table: "clients", Timing: "AFTER", Event: "DELETE", Statement: "SET @a = 1"}}
		to := schemaOf("b", mariaDB,
			table("customers", notNull("id"), varchar("full_name", "20")).withIndexes(pk("id"), key("name", "full_name")),
			table("orders", notNull("id"), intCol("cid")).withFKs(fk("fk", "cid", "customers", "id")))
		return from, to
	}
	from, to := build()
	opts := DiffOptions{Renamed: map[string]string{"customers": "clients", "customers.full_name": "name"}}
	d1 := Diff(from, to, opts)
	wantFrom, wantTo := build()
	if !reflect.DeepEqual(from, wantFrom) || !reflect.DeepEqual(to, wantTo) {
		t.Error("Diff modified its arguments")
	}
	if d2 := Diff(from, to, opts); !reflect.DeepEqual(d1, d2) {
		t.Error("Diff is not deterministic")
	}
}

func TestDiffSurvivesOddModels(t *testing.T) {
	odd := []*Schema{
		nil,
		{},
		{Tables: []*Table{nil, {}, {Name: "t", Columns: []*Column{nil, {}}, Indexes: []*Index{nil, {}, {Name: "PRIMARY", Primary: true}},
			ForeignKeys: []*ForeignKey{nil, {}}, Checks: []*Check{nil, {}, {Column: "missing"}}}}},
		{Tables: []*Table{{Name: "t"}, {Name: "T"}}, Views: []*View{nil, {}, {Name: "v", Definition: "`"}},
			Triggers: []*Trigger{nil, {}, {Name: "x", Order: -1}}, Routines: []*Routine{nil, {}, {Name: "r", Type: "FUNCTION"}}},
		{Tables: []*Table{{Name: "t", Columns: []*Column{{Name: "a", Generated: &Generated{}}, {Name: "a", Default: ptr("'")}}}}},
	}
	hints := map[string]string{"t": "T", "t.a": "b", ".": "", "": "x", "v": "t"}
	for i, a := range odd {
		for j, b := range odd {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("Diff(odd[%d], odd[%d]) panicked: %v", i, j, r)
					}
				}()
				Diff(a, b, DiffOptions{Renamed: hints})
				a.CreateStatements()
				if a != nil {
					for _, tbl := range a.Tables {
						a.CreateTable(tbl)
					}
				}
			}()
		}
	}
}
