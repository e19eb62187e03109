package schema

import (
	"fmt"
	"testing"
)

func TestGeneratedNames(t *testing.T) {
	tbl := table("t", intCol("a"), intCol("user_id")).withFKs(fk("fk_user", "user_id", "u", "id"))
	idx := []struct {
		x    *Index
		want bool
	}{
		{key("a", "a"), true},
		{key("a_2", "a", "user_id"), true},
		{key("A_12", "a"), true},
		{key("a_x", "a"), false},
		{key("ab", "a"), false},
		{key("idx_a", "a"), false},
		{key("fk_user", "user_id"), true},       // the index InnoDB adds for fk_user
		{key("fk_user", "user_id", "a"), false}, // not the FK's columns
		{key("user_id", "user_id"), true},       // an unnamed FK's index
		{pk("a"), false},
		{&Index{Name: "e", Parts: []IndexPart{{Expr: "`a` + 1"}}}, false},
	}
	for _, tt := range idx {
		if got := generatedIndexName(tbl, tt.x); got != tt.want {
			t.Errorf("generatedIndexName(%s %v) = %v, want %v", tt.x.Name, tt.x.Columns(), got, tt.want)
		}
	}
	fks := map[string]bool{"t_ibfk_1": true, "orders_ibfk_12": true, "T_IBFK_3": true, "fk_t": false,
		"_ibfk_1": false, "t_ibfk_": false, "t_ibfk_1a": false}
	for name, want := range fks {
		if got := fkMatcher().generatedFrom(&ForeignKey{Name: name}); got != want {
			t.Errorf("foreign key %s generated = %v, want %v", name, got, want)
		}
	}
	checks := map[string]bool{"CONSTRAINT_1": true, "constraint_22": true, "t_chk_1": true, "chk_a": false,
		"CONSTRAINT_": false, "CONSTRAINT_x": false}
	for name, want := range checks {
		if got := checkMatcher().generatedFrom(&Check{Name: name}); got != want {
			t.Errorf("check %s generated = %v, want %v", name, got, want)
		}
	}
}

func TestMatchObjects(t *testing.T) {
	m := matcher[*Check]{
		name:          func(c *Check) string { return c.Name },
		same:          sameCheck,
		generatedFrom: checkMatcher().generatedFrom,
		generatedTo:   checkMatcher().generatedTo,
	}
	chk := func(name, expr string) *Check { return &Check{Name: name, Expr: expr, Enforced: true} }
	tests := []struct {
		name           string
		from, to       []*Check
		pairs          []string // "from=to"
		extra, missing []string
	}{
		{"by name", []*Check{chk("a", "x"), chk("b", "y")}, []*Check{chk("B", "y"), chk("a", "z")},
			[]string{"a=a", "b=B"}, nil, nil},
		{"generated names swapped pair crosswise",
			[]*Check{chk("CONSTRAINT_1", "x"), chk("CONSTRAINT_2", "y")},
			[]*Check{chk("CONSTRAINT_1", "y"), chk("CONSTRAINT_2", "x")},
			[]string{"CONSTRAINT_1=CONSTRAINT_2", "CONSTRAINT_2=CONSTRAINT_1"}, nil, nil},
		{"generated against chosen name", []*Check{chk("chk_x", "x")}, []*Check{chk("CONSTRAINT_1", "x")},
			[]string{"chk_x=CONSTRAINT_1"}, nil, nil},
		{"two chosen names are two objects", []*Check{chk("chk_x", "x")}, []*Check{chk("chk_y", "x")},
			nil, []string{"chk_x"}, []string{"chk_y"}},
		{"same name, other definition, after definitions", []*Check{chk("CONSTRAINT_1", "x")},
			[]*Check{chk("CONSTRAINT_1", "y")}, []string{"CONSTRAINT_1=CONSTRAINT_1"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pairs, extra, missing := matchObjects(tt.from, tt.to, m)
			var got []string
			for _, p := range pairs {
				got = append(got, p.from.Name+"="+p.to.Name)
			}
			names := func(cs []*Check) []string {
				var out []string
				for _, c := range cs {
					out = append(out, c.Name)
				}
				return out
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.pairs) || fmt.Sprint(names(extra)) != fmt.Sprint(tt.extra) ||
				fmt.Sprint(names(missing)) != fmt.Sprint(tt.missing) {
				t.Errorf("pairs %v extra %v missing %v; want %v %v %v", got, names(extra), names(missing),
					tt.pairs, tt.extra, tt.missing)
			}
		})
	}
}

func TestRenamedInPlace(t *testing.T) {
	ft := table("t", intCol("a"), intCol("b"))
	m := indexMatcher(ft, ft)
	// from: a (a,b) kept as to's a_2; to also adds a new `a` (a), which needs the name, and then
	// b (b) kept as b_2 is free.
	pairs := []pair[*Index]{
		{key("a", "a", "b"), key("a_2", "a", "b")},
		{key("b", "b"), key("b_2", "b")},
	}
	got := renamedInPlace(pairs, m, map[string]bool{"a": true})
	if !got[0] || got[1] {
		t.Errorf("rebuild = %v, want only the first pair", got)
	}
	// A chain: re-adding a_2 takes the name a_2, which a kept pair holds.
	pairs = append(pairs, pair[*Index]{key("a_2", "a"), key("a_3", "a")})
	got = renamedInPlace(pairs, m, map[string]bool{"a": true})
	if !got[0] || got[1] || !got[2] {
		t.Errorf("rebuild = %v, want pairs 0 and 2", got)
	}
}
