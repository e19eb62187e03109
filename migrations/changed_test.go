package migrations

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// numbered returns n lines "<prefix>1" … "<prefix>n".
func numbered(prefix string, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%s%d\n", prefix, i)
	}
	return b.String()
}

func TestChangedLines(t *testing.T) {
	dir, git := testenv.GitRepo(t)
	write := func(p, content string) { t.Helper(); testenv.WriteFile(t, filepath.Join(dir, p), content) }
	write("db/m/V1__a.sql", numbered("a", 10))
	write("db/m/V2__b.sql", numbered("b", 5))
	write("db/m/V5__top.sql", numbered("t", 3))
	write("db/m/old.sql", numbered("o", 20))
	write("db/m/same.sql", numbered("s", 3))
	write("gone.sql", "x\n")
	write("dir with space/café.sql", numbered("c", 3))
	write(".gitignore", "*.log\n")
	git("add", "-A")
	git("commit", "-qm", "base")
	base := git("rev-parse", "HEAD")

	// Committed after the base: lines appended to V1.
	write("db/m/V1__a.sql", numbered("a", 10)+"a11\na12\n")
	git("commit", "-qam", "append")
	// Uncommitted edits of the working tree.
	write("db/m/V1__a.sql", strings.Replace(numbered("a", 10), "a3\n", "A3\n", 1)+"a11\na12\n")
	write("db/m/V2__b.sql", "b1\nb4\nb5\n")                                  // b2, b3 removed
	write("db/m/V5__top.sql", "t2\nt3\n")                                    // t1 removed
	write("dir with space/café.sql", "c1\n++ b/evil\n@@ -1 +1 @@\nc2\nc3\n") // lines 2 and 3 added
	write("db/m/V3__c.sql", numbered("n", 4))
	git("add", "db/m/V3__c.sql")                  // staged, not committed
	write("db/m/V4__d.sql", numbered("u", 2))     // untracked
	write("db/m/debug.log", "ignored\n")          // ignored
	git("mv", "db/m/old.sql", "db/m/renamed.sql") // renamed
	write("db/m/renamed.sql", strings.Replace(numbered("o", 20), "o10\n", "O10\n", 1))
	if err := os.Remove(filepath.Join(dir, "gone.sql")); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	c, err := ChangedLines(ctx, dir, base)
	if err != nil {
		t.Fatal(err)
	}
	check := func(c Changed) {
		t.Helper()
		for _, tc := range []struct {
			file  string
			lines []int
			want  bool
		}{
			// Modified: the edited line and the committed additions, nothing else.
			{"db/m/V1__a.sql", []int{0, 3, 11, 12}, true},
			{"db/m/V1__a.sql", []int{1, 2, 4, 10, 13}, false},
			// Lines removed: the lines around the cut (b1 and the new line 2, b4).
			{"db/m/V2__b.sql", []int{0, 1, 2}, true},
			{"db/m/V2__b.sql", []int{3}, false},
			// Removed at the top: the new first line.
			{"db/m/V5__top.sql", []int{0, 1}, true},
			{"db/m/V5__top.sql", []int{2}, false},
			// Added lines whose text looks like patch headers are content, not headers.
			{"dir with space/café.sql", []int{0, 2, 3}, true},
			{"dir with space/café.sql", []int{1, 4, 5}, false},
			{"evil", []int{0, 1}, false},
			// New at their path: every line.
			{"db/m/V3__c.sql", []int{0, 1, 4, 100}, true},
			{"db/m/V4__d.sql", []int{0, 1, 2}, true},
			{"db/m/renamed.sql", []int{0, 1, 10, 20}, true},
			// Gone: the file counts as changed.
			{"db/m/old.sql", []int{0}, true},
			{"gone.sql", []int{0, 1}, true},
			// Untouched and ignored files.
			{"db/m/same.sql", []int{0, 1}, false},
			{"db/m/debug.log", []int{0}, false},
			{"db/m/nope.sql", []int{0}, false},
		} {
			for _, line := range tc.lines {
				if got := c.Has(tc.file, line); got != tc.want {
					t.Errorf("Has(%q, %d) = %v, want %v", tc.file, line, got, tc.want)
				}
			}
		}
		if !c.Has("./db/m/V1__a.sql", 3) || !c.Has(filepath.Join(c.Root, "db", "m", "V1__a.sql"), 3) {
			t.Error("Has does not normalise ./ or absolute paths")
		}
	}
	check(c)
	if real, _ := filepath.EvalSymlinks(dir); c.Root != real && c.Root != dir {
		t.Errorf("Root = %s, want %s", c.Root, dir)
	}

	// From a subdirectory: the same paths, relative to the top level, and changes outside the
	// subdirectory still count.
	sub, err := ChangedLines(ctx, filepath.Join(dir, "db", "m"), base)
	if err != nil {
		t.Fatal(err)
	}
	check(sub)

	// A ref works as well as a sha.
	git("tag", "base", base)
	if byRef, err := ChangedLines(ctx, dir, "base"); err != nil || !byRef.Has("db/m/V1__a.sql", 11) {
		t.Errorf("ChangedLines(base tag) = %v", err)
	}
}

func TestChangedLinesErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := ChangedLines(ctx, t.TempDir(), "main"); !errors.Is(err, ErrNotGit) {
		t.Errorf("outside a repository: %v, want ErrNotGit", err)
	}
	dir, git := testenv.GitRepo(t)
	testenv.WriteFile(t, filepath.Join(dir, "f"), "x\n")
	git("add", "-A")
	git("commit", "-qm", "one")
	_, err := ChangedLines(ctx, dir, "no-such-ref")
	if err == nil || !strings.Contains(err.Error(), "git does not know it") {
		t.Errorf("unknown base: %v", err)
	}
	c, err := ChangedLines(ctx, dir, "HEAD")
	if err != nil || len(c.Files()) != 0 || c.Has("f", 0) {
		t.Errorf("no change: %v, %v", c.Files(), err)
	}
	var zero Changed
	if zero.Has("f", 0) {
		t.Error("the zero Changed has a change")
	}
}

func TestParseHunkHeader(t *testing.T) {
	for _, tc := range []struct {
		in         string
		from, to   int
		oldN, newN int
	}{
		{"@@ -3 +3 @@", 3, 3, 1, 1},
		{"@@ -3,0 +4,2 @@ some context", 4, 5, 0, 2},
		{"@@ -2,2 +1,0 @@", 1, 2, 2, 0}, // removed after line 1: lines 1 and 2 border the cut
		{"@@ -1 +0,0 @@", 1, 1, 1, 0},   // removed at the top
		{"@@ -0,0 +1,7 @@", 1, 7, 0, 7},
	} {
		r, o, n, err := parseHunkHeader(tc.in)
		if err != nil || r.from != tc.from || r.to != tc.to || o != tc.oldN || n != tc.newN {
			t.Errorf("parseHunkHeader(%q) = %d-%d, %d, %d, %v; want %d-%d, %d, %d",
				tc.in, r.from, r.to, o, n, err, tc.from, tc.to, tc.oldN, tc.newN)
		}
	}
	for _, bad := range []string{"@@ -a +1 @@", "@@ -1 +1", "@@ +1 -1 @@", "@@ -1,x +1 @@", "@@ -1 +-2 @@"} {
		if _, _, _, err := parseHunkHeader(bad); err == nil {
			t.Errorf("parseHunkHeader(%q) accepted", bad)
		}
	}
}

// FuzzChangedHunks feeds arbitrary patches to the parser: it may refuse them, never panic.
func FuzzChangedHunks(f *testing.F) {
	f.Add([]byte("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1 @@\n-a\n-b\n+c\n\\ No newline at end of file\n"))
	f.Add([]byte("diff --git a/x b/x\n+++ \"b/\\303\\251\\t\"\n@@ -0,0 +1 @@\n+++ b/y\n"))
	f.Fuzz(func(t *testing.T, patch []byte) {
		c := Changed{files: map[string]*changedFile{}}
		_ = c.addHunks(patch)
		_ = c.addStatus(patch)
		for p := range c.files {
			c.Has(p, 1)
		}
	})
}

// TestChangedHasAgreesWithTheRanges: Has answers from merged, sorted ranges what a scan of the
// hunks as git printed them (out of order, overlapping, touching) answers.
func TestChangedHasAgreesWithTheRanges(t *testing.T) {
	hunks := []lineRange{{40, 45}, {3, 3}, {10, 20}, {12, 14}, {21, 22}, {30, 31}, {46, 46}, {100, 100}}
	c := Changed{files: map[string]*changedFile{"x.sql": {ranges: mergeRanges(slices.Clone(hunks))}}}
	if got := len(c.files["x.sql"].ranges); got != 5 {
		t.Errorf("merged into %d ranges %v, want 5", got, c.files["x.sql"].ranges)
	}
	for line := 1; line <= 110; line++ {
		want := slices.ContainsFunc(hunks, func(r lineRange) bool { return line >= r.from && line <= r.to })
		if got := c.Has("x.sql", line); got != want {
			t.Errorf("Has(x.sql, %d) = %v, want %v", line, got, want)
		}
	}
}
