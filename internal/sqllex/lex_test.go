package sqllex

import (
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT `a``b`.c FROM t", "w:SELECT i:a`b p:. w:c w:FROM w:t"},
		{"x = 'it''s' -- comment\n, \"q\\\"\"", `w:x p:= s:it's p:, s:q"`},
		{"a /* not */ b # gone\nc", "w:a w:b w:c"},
		{"/*!50001 CREATE */ /*M!100000 DROP */ v", "w:CREATE w:DROP w:v"},
		{"a--b", "w:a p:- p:- w:b"},
		{"état 'é'", "w:état s:é"},
	}
	for _, c := range cases {
		toks, complete := Tokens(c.in)
		var got []string
		for _, tk := range toks {
			got = append(got, map[Kind]string{Word: "w", Ident: "i", String: "s", Punct: "p"}[tk.Kind]+":"+tk.Text)
			if tk.Start < 0 || tk.End > len(c.in) || tk.Start >= tk.End {
				t.Errorf("%q: bad offsets %+v", c.in, tk)
			}
		}
		if strings.Join(got, " ") != c.want || !complete {
			t.Errorf("%q:\n got %s (complete %v)\nwant %s", c.in, strings.Join(got, " "), complete, c.want)
		}
	}
	for _, in := range []string{"a 'open", "a `open", "a /* open"} {
		if toks, complete := Tokens(in); complete || len(toks) != 1 {
			t.Errorf("%q: %v, complete %v", in, toks, complete)
		}
	}
}

func TestScanUnclosed(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"a 'b' -- c", -1}, {"a /* ok */ 'open", 11}, {"a `open", 2}, {"a 'it''s' /* open", 10}, {"a # c", -1},
	} {
		if _, got := Scan(c.in); got != c.want {
			t.Errorf("Scan(%q): unclosed at %d, want %d", c.in, got, c.want)
		}
	}
}

func TestWords(t *testing.T) {
	got := Words("PREPARE s FROM 'ALTER TABLE users DROP COLUMN fax'; EXECUTE s")
	if strings.Join(got, " ") != "PREPARE s FROM ALTER TABLE users DROP COLUMN fax EXECUTE s" {
		t.Errorf("words: %v", got)
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{"SELECT `a`.b FROM 'x' -- c", "/*!5 x */", "'\\", "`a``"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks, _ := Tokens(s)
		end := 0
		for _, tk := range toks {
			if tk.Start < end || tk.End > len(s) || tk.Start >= tk.End {
				t.Fatalf("%q: token %+v overlaps or leaves the text", s, tk)
			}
			end = tk.End
		}
		_ = Words(s)
	})
}
