package schema

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// simulateAlter applies the column clauses of one ALTER TABLE to a column list the way
// MariaDB's and MySQL's mysql_prepare_alter_table do: dropped columns leave, modified columns
// without a position stay where they are, then every clause with a position and every added
// column is applied in the order written, a moved column leaving its old place only when its own
// clause runs.
func simulateAlter(cols []string, clauses []string) ([]string, error) {
	out := slices.Clone(cols)
	for _, c := range clauses {
		if name, ok := strings.CutPrefix(c, "DROP COLUMN "); ok {
			i := slices.Index(out, unquoteIdent(name))
			if i < 0 {
				return nil, fmt.Errorf("drop of unknown column in %q", c)
			}
			out = slices.Delete(out, i, i+1)
		}
	}
	for _, c := range clauses {
		var rest string
		var add bool
		switch {
		case strings.HasPrefix(c, "ADD COLUMN "):
			rest, add = strings.TrimPrefix(c, "ADD COLUMN "), true
		case strings.HasPrefix(c, "MODIFY COLUMN "):
			rest = strings.TrimPrefix(c, "MODIFY COLUMN ")
		default:
			continue
		}
		end := quotedEnd(rest, 0)
		name := unquoteIdent(rest[:end])
		var after string
		first := strings.HasSuffix(rest, " FIRST")
		if i := strings.LastIndex(rest, " AFTER `"); i >= 0 {
			after = unquoteIdent(rest[i+len(" AFTER "):])
		}
		if !add && !first && after == "" {
			continue // modified in place
		}
		if !add {
			i := slices.Index(out, name)
			if i < 0 {
				return nil, fmt.Errorf("modify of unknown column in %q", c)
			}
			out = slices.Delete(out, i, i+1)
		}
		switch {
		case first:
			out = slices.Insert(out, 0, name)
		case after != "":
			i := slices.Index(out, after)
			if i < 0 {
				return nil, fmt.Errorf("unknown column %s in %q (list %v)", after, c, out)
			}
			out = slices.Insert(out, i+1, name)
		default:
			out = append(out, name)
		}
	}
	return out, nil
}

// orderCase runs compareColumns on two column lists and simulates its clauses.
func orderCase(from, to []string, changed map[string]bool) ([]string, *tableDiff, []Change) {
	var fc, tc []*Column
	for _, n := range from {
		fc = append(fc, intCol(n))
	}
	for _, n := range to {
		c := intCol(n)
		if changed[n] {
			c.Type = "bigint(20)"
		}
		tc = append(tc, c)
	}
	ft, tt := table("t", fc...), table("t", tc...)
	d := &differ{f: mariaDB}
	td := &tableDiff{name: "t", recreate: map[string]bool{}, typeChanged: map[string]bool{}}
	d.compareColumns(td, ft, tt, tableContext(mariaDB, ft), tableContext(mariaDB, tt),
		&checkPlan{inline: map[string]string{}, needClause: map[string]bool{}})
	got, err := simulateAlter(from, append(slices.Clone(td.dropColumns), td.columns...))
	if err != nil {
		got = []string{err.Error()}
	}
	return got, td, d.changes
}

func TestColumnOrderEveryPermutation(t *testing.T) {
	for n := 1; n <= 6; n++ {
		from := make([]string, n)
		for i := range from {
			from[i] = string(rune('a' + i))
		}
		for _, to := range permutations(from) {
			got, td, changes := orderCase(from, to, nil)
			if !slices.Equal(got, to) {
				t.Fatalf("%v → %v: clauses %q give %v", from, to, td.columns, got)
			}
			// Every moved column is one change, and the fewest columns move.
			if want := n - len(longestIncreasing(indexesIn(from, to))); len(changes) != want {
				t.Fatalf("%v → %v: %d changes, want %d", from, to, len(changes), want)
			}
		}
	}
}

func TestColumnOrderRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		from, to, changed := randomColumns(r)
		got, td, _ := orderCase(from, to, changed)
		if !slices.Equal(got, to) {
			t.Fatalf("case %d: %v → %v: clauses %q %q give %v", i, from, to, td.dropColumns, td.columns, got)
		}
	}
}

// randomColumns draws a column list and a target: some columns dropped, some added, the rest
// shuffled, some changed.
func randomColumns(r *rand.Rand) (from, to []string, changed map[string]bool) {
	n := 1 + r.IntN(10)
	changed = map[string]bool{}
	for i := range n {
		from = append(from, fmt.Sprintf("c%d", i))
	}
	for _, c := range from {
		if r.IntN(5) > 0 {
			to = append(to, c)
			if r.IntN(4) == 0 {
				changed[c] = true
			}
		}
	}
	for i := range r.IntN(4) {
		to = append(to, fmt.Sprintf("n%d", i))
	}
	if len(to) == 0 {
		to = append(to, "n9")
	}
	r.Shuffle(len(to), func(i, j int) { to[i], to[j] = to[j], to[i] })
	if r.IntN(3) == 0 { // often nearly sorted: undo most of the shuffle
		slices.SortStableFunc(to, func(a, b string) int { return strings.Compare(a[:1], b[:1]) })
	}
	return from, to, changed
}

func indexesIn(from, to []string) []int {
	var seq []int
	for _, c := range to {
		if i := slices.Index(from, c); i >= 0 {
			seq = append(seq, i)
		}
	}
	return seq
}

func permutations(xs []string) [][]string {
	if len(xs) <= 1 {
		return [][]string{slices.Clone(xs)}
	}
	var out [][]string
	for i := range xs {
		rest := slices.Concat(xs[:i], xs[i+1:])
		for _, p := range permutations(rest) {
			out = append(out, append([]string{xs[i]}, p...))
		}
	}
	return out
}

func TestColumnPositionChange(t *testing.T) {
	_, td, changes := orderCase([]string{"id", "a", "b", "c"}, []string{"id", "c", "a", "b"}, nil)
	if len(changes) != 1 {
		t.Fatalf("changes: %v", changeList(changes))
	}
	c := changes[0]
	if c.Change != Different || c.Name != "c" || c.From != "`c` int(11) DEFAULT NULL AFTER `b`" ||
		c.To != "`c` int(11) DEFAULT NULL AFTER `id`" {
		t.Errorf("change = %+v", c)
	}
	if want := "ALTER TABLE `t` MODIFY COLUMN `c` int(11) DEFAULT NULL AFTER `id`"; joinLines(c.Fix) != want {
		t.Errorf("fix = %q", c.Fix)
	}
	if !slices.Equal(td.columns, []string{"MODIFY COLUMN `c` int(11) DEFAULT NULL AFTER `id`"}) {
		t.Errorf("clauses = %q", td.columns)
	}
	// A new column at the end needs no position; one in the middle does.
	_, td, _ = orderCase([]string{"id", "a"}, []string{"id", "n", "a", "m"}, nil)
	if want := []string{"ADD COLUMN `n` int(11) DEFAULT NULL AFTER `id`", "ADD COLUMN `m` int(11) DEFAULT NULL"}; !slices.Equal(td.columns, want) {
		t.Errorf("clauses = %q, want %q", td.columns, want)
	}
}

func TestLongestIncreasing(t *testing.T) {
	tests := []struct {
		seq  []int
		want int
	}{
		{nil, 0}, {[]int{0}, 1}, {[]int{0, 1, 2}, 3}, {[]int{2, 1, 0}, 1}, {[]int{1, 0, 2}, 2},
		{[]int{3, 0, 1, 2}, 3}, {[]int{0, 5, 1, 2, 6, 3}, 4},
	}
	for _, tt := range tests {
		got := longestIncreasing(tt.seq)
		if len(got) != tt.want {
			t.Errorf("longestIncreasing(%v) = %v, want length %d", tt.seq, got, tt.want)
		}
		for i := 1; i < len(got); i++ {
			if got[i] <= got[i-1] || tt.seq[got[i]] <= tt.seq[got[i-1]] {
				t.Errorf("longestIncreasing(%v) = %v is not increasing", tt.seq, got)
			}
		}
	}
}
