package schema

import (
	"slices"
	"strings"
	"testing"
)

func TestColumnDefinition(t *testing.T) {
	tests := []struct {
		name string
		f    Flavor
		c    *Column
		want string
	}{
		{"plain", mariaDB, intCol("a"), "`a` int(11) DEFAULT NULL"},
		{"table charset left out", mariaDB, varchar("v", "10"), "`v` varchar(10) DEFAULT NULL"},
		{"other collation", mariaDB, with(varchar("v", "10"), func(c *Column) { c.Collation = "utf8mb4_bin" }),
			"`v` varchar(10) COLLATE utf8mb4_bin DEFAULT NULL"},
		{"other charset", mariaDB, with(varchar("v", "10"), func(c *Column) { c.Charset, c.Collation = "latin1", "latin1_swedish_ci" }),
			"`v` varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL"},
		{"everything", mariaDB, &Column{Name: "ts", Type: "timestamp(6)", DataType: "timestamp", Default: ptr("CURRENT_TIMESTAMP(6)"),
			OnUpdate: "CURRENT_TIMESTAMP(6)", Invisible: true, Comment: "it's"},
			"`ts` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6) INVISIBLE COMMENT 'it''s'"},
		{"nullable timestamp says NULL", mariaDB, &Column{Name: "ts", Type: "timestamp", DataType: "timestamp", Nullable: true, Default: ptr("NULL")},
			"`ts` timestamp NULL DEFAULT NULL"},
		{"auto_increment", mariaDB, &Column{Name: "id", Type: "bigint(20) unsigned", DataType: "bigint", AutoIncrement: true},
			"`id` bigint(20) unsigned NOT NULL AUTO_INCREMENT"},
		{"virtual", mariaDB, &Column{Name: "g", Type: "int(11)", DataType: "int", Nullable: true, Generated: &Generated{Expr: "`a` + 1"}},
			"`g` int(11) GENERATED ALWAYS AS (`a` + 1) VIRTUAL"},
		{"stored, not null, charset", mySQL, &Column{Name: "g", Type: "varchar(5)", DataType: "varchar", Charset: "latin1",
			Collation: "latin1_bin", Generated: &Generated{Expr: "`a`", Stored: true}, Invisible: true},
			"`g` varchar(5) CHARACTER SET latin1 COLLATE latin1_bin GENERATED ALWAYS AS (`a`) STORED NOT NULL INVISIBLE"},
		{"MySQL text literal default becomes an expression", mySQL, &Column{Name: "t", Type: "text", DataType: "text",
			Nullable: true, Default: ptr("'x'"), Charset: "utf8mb4", Collation: "utf8mb4_general_ci"},
			"`t` text DEFAULT ('x')"},
		{"MariaDB text literal default stays", mariaDB, &Column{Name: "t", Type: "text", DataType: "text",
			Nullable: true, Default: ptr("'x'"), Charset: "utf8mb4", Collation: "utf8mb4_general_ci"},
			"`t` text DEFAULT 'x'"},
		{"binary string", mariaDB, &Column{Name: "b", Type: "binary(4)", DataType: "binary", Nullable: true, Default: ptr(`'ab\0\0'`)},
			"`b` binary(4) DEFAULT 'ab\\0\\0'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tableContext(tt.f, table("t"))
			if got := ctx.column(tt.c); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestCreateTable(t *testing.T) {
	tbl := table("kitchen",
		&Column{Name: "id", Type: "int(10) unsigned", DataType: "int", Unsigned: true, AutoIncrement: true},
		varchar("code", "10"),
		&Column{Name: "j", Type: "longtext", DataType: "longtext", Nullable: true, Default: ptr("NULL"),
			Charset: "utf8mb4", Collation: "utf8mb4_bin"},
		intCol("n"),
	).withIndexes(
		pk("id"),
		&Index{Name: "ft", Type: "FULLTEXT", Parts: parts("code")},
		&Index{Name: "h", Unique: true, Type: "HASH", Parts: parts("j")},
		&Index{Name: "k", Type: "BTREE", Parts: []IndexPart{{Column: "code", SubPart: 4}, {Column: "n", Descending: true}},
			Comment: "c", Invisible: true},
		&Index{Name: "f", Type: "BTREE", Parts: []IndexPart{{Expr: "(`n` + 1)", Descending: true}}},
	).withFKs(&ForeignKey{Name: "fk", Columns: []string{"n"}, RefSchema: "other", RefTable: "p", RefColumns: []string{"id"},
		OnDelete: "SET NULL", OnUpdate: "NO ACTION"}).
		withChecks(&Check{Name: "j", Column: "j", Expr: "json_valid(`j`)", Enforced: true},
			&Check{Name: "CONSTRAINT_1", Expr: "`n` > 0", Enforced: true})
	tbl.Options.RowFormat, tbl.Options.Comment, tbl.Options.CreateOptions = "DYNAMIC", "the 'kitchen'", "stats_persistent=0"
	tbl.Options.AutoIncrement = 99
	s := schemaOf("db", mariaDB, tbl)
	want := "CREATE TABLE `kitchen` (\n" +
		"  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n" +
		"  `code` varchar(10) DEFAULT NULL,\n" +
		"  `j` longtext COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j`)),\n" +
		"  `n` int(11) DEFAULT NULL,\n" +
		"  PRIMARY KEY (`id`),\n" +
		"  FULLTEXT KEY `ft` (`code`),\n" +
		"  UNIQUE KEY `h` (`j`) USING HASH,\n" +
		"  KEY `k` (`code`(4),`n` DESC) COMMENT 'c' IGNORED,\n" +
		"  KEY `f` (((`n` + 1)) DESC),\n" +
		"  CONSTRAINT `fk` FOREIGN KEY (`n`) REFERENCES `other`.`p` (`id`) ON DELETE SET NULL,\n" +
		"  CONSTRAINT `CONSTRAINT_1` CHECK (`n` > 0)\n" +
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci ROW_FORMAT=DYNAMIC COMMENT='the ''kitchen''' stats_persistent=0"
	if got := s.CreateTable(tbl); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	s.Flavor = mySQL
	if got := s.CreateTable(tbl); !strings.Contains(got, "COMMENT 'c' INVISIBLE") {
		t.Errorf("MySQL index visibility:\n%s", got)
	}
	mem := table("m", notNull("id")).withIndexes(&Index{Name: "b", Type: "BTREE", Parts: parts("id")}, &Index{Name: "h", Type: "HASH", Parts: parts("id")})
	mem.Options.Engine = "MEMORY"
	if got := s.CreateTable(mem); !strings.Contains(got, "KEY `b` (`id`) USING BTREE,\n  KEY `h` (`id`) USING HASH") {
		t.Errorf("MEMORY index types:\n%s", got)
	}
}

func TestCreateObjects(t *testing.T) {
	s := &Schema{Name: "db1", Flavor: mariaDB}
	tests := []struct{ got, want string }{
		{s.CreateView(&View{Name: "v", Definition: "select `db1`.`t`.`a` AS `a` from `db1`.`t`", CheckOption: "NONE",
			SecurityType: "DEFINER", Algorithm: "UNDEFINED", Definer: "root@%"}),
			"CREATE VIEW `v` AS select `t`.`a` AS `a` from `t`"},
		{s.CreateView(&View{Name: "v", Definition: "select 1 AS `1`", CheckOption: "CASCADED", SecurityType: "INVOKER", Algorithm: "MERGE"}),
			"CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW `v` AS select 1 AS `1` WITH CASCADED CHECK OPTION"},
		{s.CreateView(&View{Name: "v", Definition: "select 1 AS `1`", CheckOption: "LOCAL"}),
			"CREATE VIEW `v` AS select 1 AS `1` WITH LOCAL CHECK OPTION"},
		{s.CreateTrigger(&Trigger{Name: "tr", Table: "t", Timing: "BEFORE", Event: "UPDATE", Statement: "BEGIN\n  SET NEW.a = 1;\nEND", Definer: "x"}),
			"CREATE TRIGGER `tr` BEFORE UPDATE ON `t` FOR EACH ROW BEGIN\n  SET NEW.a = 1;\nEND"},
		{s.CreateRoutine(&Routine{Name: "p", Type: "PROCEDURE", Params: "IN a int(11), OUT b varchar(5) CHARSET latin1",
			Body: "BEGIN\n  SELECT a;\nEND", DataAccess: "READS SQL DATA", Security: "INVOKER", Comment: "it's", Definer: "x"}),
			"CREATE PROCEDURE `p`(IN a int(11), OUT b varchar(5) CHARSET latin1)\n  READS SQL DATA\n  SQL SECURITY INVOKER\n  COMMENT 'it''s'\nBEGIN\n  SELECT a;\nEND"},
		{s.CreateRoutine(&Routine{Name: "f", Type: "FUNCTION", Params: "x int(11)", Returns: "int(11)", Body: "RETURN x",
			Deterministic: true, DataAccess: "CONTAINS SQL", Security: "DEFINER"}),
			"CREATE FUNCTION `f`(x int(11)) RETURNS int(11)\n  DETERMINISTIC\nRETURN x"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got:\n%s\nwant:\n%s", tt.got, tt.want)
		}
	}
	if s.CreateView(nil) != "" || s.CreateTrigger(nil) != "" || s.CreateRoutine(nil) != "" || s.CreateTable(nil) != "" {
		t.Error("nil objects must render as nothing")
	}
}

func TestCreateStatementsOrder(t *testing.T) {
	s := schemaOf("db", mariaDB,
		table("a", notNull("id"), intCol("b_id")).withIndexes(pk("id")).withFKs(fk("a_b", "b_id", "b", "id")),
		table("b", notNull("id"), intCol("a_id"), intCol("c_id")).withIndexes(pk("id")).
			withFKs(fk("b_a", "a_id", "a", "id"), fk("b_c", "c_id", "c", "id")),
		table("c", notNull("id"), intCol("parent")).withIndexes(pk("id")).withFKs(fk("c_self", "parent", "c", "id")),
	)
	s.Views = []*View{
		{Name: "v1", Definition: "select `db`.`v2`.`x` AS `x` from `db`.`v2`"},
		{Name: "v2", Definition: "select `db`.`a`.`id` AS `x` from `db`.`a`"},
	}
	s.Triggers = []*Trigger{
		{Name: "t2", Table: "a", Timing: "BEFORE", Event: "INSERT", Order: 2, Statement: "SET @x = 2"},
		{Name: "t1", Table: "a", Timing: "BEFORE", Event: "INSERT", Order: 1, Statement: "SET @x = 1"},
	}
	s.Routines = []*Routine{{Name: "p", Type: "PROCEDURE", Body: "SELECT 1"}}
	var got []string
	for _, st := range s.CreateStatements() {
		got = append(got, strings.SplitN(st, "\n", 2)[0])
	}
	// a → b → a is a cycle: b is created first (a is being walked when b points back at it), so
	// a is created with a_b inline and b's key to a waits; c references itself inline.
	want := []string{
		"CREATE TABLE `c` (",
		"CREATE TABLE `b` (",
		"CREATE TABLE `a` (",
		"ALTER TABLE `b` ADD CONSTRAINT `b_a` FOREIGN KEY (`a_id`) REFERENCES `a` (`id`)",
		"CREATE PROCEDURE `p`()",
		"CREATE VIEW `v2` AS select `a`.`id` AS `x` from `a`",
		"CREATE VIEW `v1` AS select `v2`.`x` AS `x` from `v2`",
		"CREATE TRIGGER `t1` BEFORE INSERT ON `a` FOR EACH ROW SET @x = 1",
		"CREATE TRIGGER `t2` BEFORE INSERT ON `a` FOR EACH ROW SET @x = 2",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", joinLines(got), joinLines(want))
	}
}
