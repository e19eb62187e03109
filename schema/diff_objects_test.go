package schema

import (
	"slices"
	"testing"
)

func trg(name string, order int, body string) *Trigger {
	return &Trigger{Name: name, Table: "t", Timing: "BEFORE", Event: "INSERT", Order: order, Statement: body}
}

func TestDiffTriggerPlacement(t *testing.T) {
	tests := []struct {
		name     string
		from, to []*Trigger
		changes  []string
		script   []string
	}{
		{"new first trigger precedes the ones that stay",
			[]*Trigger{trg("a", 1, "SET @a = 1"), trg("b", 2, "SET @b = 1")},
			[]*Trigger{trg("n", 1, "SET @n = 1"), trg("a", 2, "SET @a = 1"), trg("b", 3, "SET @b = 1")},
			[]string{"trigger missing n"},
			[]string{"CREATE TRIGGER `n` BEFORE INSERT ON `t` FOR EACH ROW PRECEDES `a` SET @n = 1"}},
		{"new trigger in the middle follows its predecessor",
			[]*Trigger{trg("a", 1, "SET @a = 1"), trg("b", 2, "SET @b = 1")},
			[]*Trigger{trg("a", 1, "SET @a = 1"), trg("n", 2, "SET @n = 1"), trg("b", 3, "SET @b = 1")},
			[]string{"trigger missing n"},
			[]string{"CREATE TRIGGER `n` BEFORE INSERT ON `t` FOR EACH ROW FOLLOWS `a` SET @n = 1"}},
		{"swapped order moves one trigger",
			[]*Trigger{trg("a", 1, "SET @a = 1"), trg("b", 2, "SET @b = 1")},
			[]*Trigger{trg("b", 1, "SET @b = 1"), trg("a", 2, "SET @a = 1")},
			[]string{"trigger different b"},
			[]string{"DROP TRIGGER `b`", "CREATE TRIGGER `b` BEFORE INSERT ON `t` FOR EACH ROW PRECEDES `a` SET @b = 1"}},
		{"re-indented body is the same",
			[]*Trigger{trg("a", 1, "BEGIN\n  SET @a = 1;\nEND")},
			[]*Trigger{trg("a", 1, "BEGIN SET @a = 1; END")}, nil, nil},
		{"body changed",
			[]*Trigger{trg("a", 1, "SET @a = 1")}, []*Trigger{trg("a", 1, "SET @a = 2")},
			[]string{"trigger different a"},
			[]string{"DROP TRIGGER `a`", "CREATE TRIGGER `a` BEFORE INSERT ON `t` FOR EACH ROW SET @a = 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diff(&Schema{Flavor: mariaDB, Triggers: tt.from}, &Schema{Flavor: mariaDB, Triggers: tt.to}, DiffOptions{})
			if got := changeList(d.Changes); !slices.Equal(got, tt.changes) {
				t.Errorf("changes %v, want %v", got, tt.changes)
			}
			if !slices.Equal(d.Statements, tt.script) {
				t.Errorf("script:\n%s\nwant:\n%s", joinLines(d.Statements), joinLines(tt.script))
			}
		})
	}
}

func TestDiffViewsAndRoutines(t *testing.T) {
	from := &Schema{Name: "a", Flavor: mariaDB,
		Views: []*View{
			{Name: "same", Definition: "select `a`.`t`.`x` AS `x` from `a`.`t`", Algorithm: "UNDEFINED", SecurityType: "DEFINER", CheckOption: "NONE"},
			{Name: "opts", Definition: "select 1 AS `1`", Algorithm: "UNDEFINED", SecurityType: "DEFINER", CheckOption: "NONE"},
			{Name: "gone", Definition: "select 1 AS `1`"},
		},
		Routines: []*Routine{
			{Name: "p", Type: "PROCEDURE", Params: "IN a int(11)", Body: "SELECT a"},
			{Name: "same", Type: "PROCEDURE", Params: "IN a int(11)", Body: "SELECT a"},
			{Name: "f", Type: "FUNCTION", Returns: "int(11)", Body: "RETURN 1", Deterministic: true},
		},
	}
	to := &Schema{Name: "b", Flavor: mariaDB,
		Views: []*View{
			{Name: "same", Definition: "select `b`.`t`.`x` AS `x` from `b`.`t`", Algorithm: "UNDEFINED", SecurityType: "DEFINER", CheckOption: "NONE"},
			{Name: "opts", Definition: "select 1 AS `1`", Algorithm: "MERGE", SecurityType: "INVOKER", CheckOption: "LOCAL"},
			{Name: "new", Definition: "select `b`.`same`.`x` AS `x` from `b`.`same`"},
		},
		Routines: []*Routine{
			{Name: "p", Type: "PROCEDURE", Params: "IN a bigint(20)", Body: "SELECT  a"},
			{Name: "same", Type: "PROCEDURE", Params: "IN a int(10)", Body: "SELECT\n  a"},
			{Name: "f", Type: "PROCEDURE", Body: "SELECT 1"},
		},
	}
	d := Diff(from, to, DiffOptions{})
	want := []string{"view extra gone", "view missing new", "view different opts",
		"routine extra f", "routine missing f", "routine different p"}
	if got := changeList(d.Changes); !slices.Equal(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
	wantScript := []string{
		"DROP VIEW `gone`",
		"DROP VIEW `opts`",
		"DROP FUNCTION `f`",
		"DROP PROCEDURE `p`",
		"CREATE PROCEDURE `f`()\nSELECT 1",
		"CREATE PROCEDURE `p`(IN a bigint(20))\nSELECT  a",
		"CREATE VIEW `new` AS select `same`.`x` AS `x` from `same`",
		"CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW `opts` AS select 1 AS `1` WITH LOCAL CHECK OPTION",
	}
	if !slices.Equal(d.Statements, wantScript) {
		t.Errorf("script:\n%s\nwant:\n%s", joinLines(d.Statements), joinLines(wantScript))
	}
}
