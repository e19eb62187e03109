package schema_test

import (
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/schema"
)

// TestCharsetMaxLenMatchesServer holds the one character-width table to each server's own:
// every character set the server has must be in it, with the server's MAXLEN.
func TestCharsetMaxLenMatchesServer(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, _ testenv.Server) {
		db, _ := testenv.ScratchDB(t)
		rows, err := db.QueryContext(t.Context(), "SELECT CHARACTER_SET_NAME, MAXLEN FROM information_schema.CHARACTER_SETS")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		known := map[string]bool{}
		for _, name := range schema.Charsets() {
			known[name] = true
		}
		n := 0
		for rows.Next() {
			var name string
			var maxLen int
			if err := rows.Scan(&name, &maxLen); err != nil {
				t.Fatal(err)
			}
			n++
			if !known[strings.ToLower(name)] {
				t.Errorf("character set %s (MAXLEN %d) is not in schema's table", name, maxLen)
			} else if got := schema.CharsetMaxLen(name); got != maxLen {
				t.Errorf("CharsetMaxLen(%s) = %d, the server says %d", name, got, maxLen)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n < 30 {
			t.Fatalf("the server listed %d character sets; expected its full list", n)
		}
	})
}

func TestCharBytes(t *testing.T) {
	for _, c := range []struct {
		cs   string
		r    rune
		want int
	}{
		{"utf8mb4", 'a', 1}, {"utf8mb4", '€', 3}, {"utf8mb4", '😀', 4}, {"UTF8MB3", 'é', 2},
		{"utf16", 'a', 2}, {"utf16", '😀', 4}, {"ucs2", 'a', 2}, {"utf32", 'a', 4},
		{"latin1", 'a', 1}, {"eucjpms", 'a', 3}, {"sjis", 'a', 2}, {"nosuchset", 'a', 4},
	} {
		if got := schema.CharBytes(c.cs, c.r); got != c.want {
			t.Errorf("CharBytes(%s, %q) = %d, want %d", c.cs, c.r, got, c.want)
		}
	}
	if schema.CharsetMaxLen("") != 4 || schema.CharsetMaxLen("utf8") != 3 {
		t.Error("CharsetMaxLen: unknown sets are 4 bytes, utf8 is utf8mb3")
	}
}
