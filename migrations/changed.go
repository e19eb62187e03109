package migrations

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Changed is what a change touched: per file, the lines of the file as it is now that differ
// from the base. Paths are slash paths relative to the repository's top level, the form every
// finding's File has (checker/source.go makes findings relative to the top level wherever the
// command runs), so Has takes a finding's File as it is.
type Changed struct {
	// Root is the absolute path of the repository's top level, the directory the paths are
	// relative to.
	Root  string
	files map[string]*changedFile
}

// changedFile is one file of a Changed.
type changedFile struct {
	// whole is set when every line counts as changed: the file is new at its path (added,
	// untracked, renamed or copied there) or was deleted.
	whole  bool
	ranges []lineRange
}

// lineRange is the lines from..to (1-based, inclusive) of the file as it is now.
type lineRange struct{ from, to int }

// Has reports whether the change touched the line of file. Line 0 (or less) stands for the
// file itself: true when the file has any change, even one that left no line of it behind (a
// deletion of lines, a mode change). file may be relative to the top level (as findings'
// paths are) or absolute.
func (c Changed) Has(file string, line int) bool {
	f := c.files[c.key(file)]
	if f == nil {
		return false
	}
	if line <= 0 || f.whole {
		return true
	}
	// The ranges are sorted and disjoint (addHunks): a report of thousands of findings on a
	// file of thousands of hunks asks in logarithmic time.
	i := sort.Search(len(f.ranges), func(i int) bool { return f.ranges[i].to >= line })
	return i < len(f.ranges) && f.ranges[i].from <= line
}

// Files returns the changed paths, for messages and tests; the order is unspecified.
func (c Changed) Files() []string {
	out := make([]string, 0, len(c.files))
	for p := range c.files {
		out = append(out, p)
	}
	return out
}

// key normalises a path the way the map holds it.
func (c Changed) key(file string) string {
	if filepath.IsAbs(file) && c.Root != "" {
		if rel, err := filepath.Rel(c.Root, file); err == nil {
			file = rel
		}
	}
	return path.Clean(filepath.ToSlash(file))
}

func (c *Changed) file(p string) *changedFile {
	f := c.files[p]
	if f == nil {
		f = &changedFile{}
		c.files[p] = f
	}
	return f
}

// ChangedLines compares the commit base with the working tree of the repository that holds
// repoDir, so that uncommitted and untracked files count: a pre-commit hook checks what is about
// to be committed, and CI checks the checkout. repoDir may be any directory inside the working
// tree; the paths are relative to its top level all the same, since that is how findings name
// files, and a change outside repoDir still counts (a migration directory and a declared schema
// often sit side by side).
//
// Lines are those of the files as they are now. A file that is new at its path counts whole:
// added, untracked, or renamed or copied there (a migration's path is its identity: a renamed
// migration is a new one to the tool, which replays it again). A deleted file counts whole too.
// Lines removed without replacement (a hunk "+c,0") leave no line behind; the lines on both
// sides of the cut, c and c+1, count as changed, because that is where the removal shows: a
// statement that lost lines spans the cut, and a statement whose suppression comment was removed
// starts right after it.
func ChangedLines(ctx context.Context, repoDir, base string) (Changed, error) {
	repo, err := OpenRepo(ctx, repoDir)
	if err != nil {
		return Changed{}, fmt.Errorf("changed lines: %s: %w", repoDir, err)
	}
	sha, err := repo.Resolve(ctx, base)
	if err != nil {
		return Changed{}, fmt.Errorf("changed lines: %w", err)
	}
	c := Changed{Root: repo.Root, files: map[string]*changedFile{}}
	// Every git command runs at the top level: output paths are then relative to it even when
	// diff.relative is configured.
	git := func(args ...string) ([]byte, error) { return gitOutput(ctx, repo.Root, args...) }

	// -z prints paths as they are; the patch below quotes unusual ones.
	status, err := git("diff", "--name-status", "-z", "--find-renames", "--no-ext-diff", sha, "--")
	if err != nil {
		return Changed{}, fmt.Errorf("changed lines: %w", err)
	}
	if err := c.addStatus(status); err != nil {
		return Changed{}, fmt.Errorf("changed lines: %w", err)
	}

	// --text gives line hunks for files git would call binary (a migration with a stray NUL
	// byte); --no-textconv keeps the lines those of the file itself.
	patch, err := git("diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "--text",
		"--find-renames", "--src-prefix=a/", "--dst-prefix=b/", sha, "--")
	if err != nil {
		return Changed{}, fmt.Errorf("changed lines: %w", err)
	}
	if err := c.addHunks(patch); err != nil {
		return Changed{}, fmt.Errorf("changed lines: %w", err)
	}

	untracked, err := git("ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return Changed{}, fmt.Errorf("changed lines: %w", err)
	}
	for _, p := range bytes.Split(untracked, []byte{0}) {
		if len(p) > 0 {
			c.file(string(p)).whole = true
		}
	}
	return c, nil
}

// addStatus reads `git diff --name-status -z`: records of a status, then one path, or two for
// a rename or copy (from, to; copies appear when diff.renames=copies is configured).
func (c *Changed) addStatus(out []byte) error {
	fields := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	for i := 0; i < len(fields); {
		st := fields[i]
		if st == "" {
			i++
			continue
		}
		paths := 1
		if st[0] == 'R' || st[0] == 'C' {
			paths = 2
		}
		if i+paths >= len(fields) {
			return fmt.Errorf("unexpected git diff --name-status record %q", strings.Join(fields[i:], " "))
		}
		switch st[0] {
		case 'A', 'D':
			c.file(fields[i+1]).whole = true
		case 'R':
			c.file(fields[i+1]).whole = true // the old path: gone, as a deletion
			c.file(fields[i+2]).whole = true
		case 'C':
			c.file(fields[i+2]).whole = true
		default: // M, T (type change), U (unmerged), X: the hunks say which lines
			c.file(fields[i+1])
		}
		i += 1 + paths
	}
	return nil
}

// addHunks reads the hunk headers of a zero-context patch into line ranges of the files' new
// versions. Content lines are skipped by count, never by their look: an added line may well
// read "+++ b/x" or "@@ -1 +1 @@".
func (c *Changed) addHunks(patch []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(patch))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<30)
	var (
		cur        *changedFile // nil for a deleted file
		oldN, newN int          // content lines of the current hunk still to skip
		inHeader   bool
		lineNo     int
	)
	for sc.Scan() {
		line := sc.Text()
		lineNo++
		if oldN > 0 || newN > 0 {
			switch {
			case strings.HasPrefix(line, "-"):
				oldN--
			case strings.HasPrefix(line, "+"):
				newN--
			case strings.HasPrefix(line, `\`): // "\ No newline at end of file"
			default:
				return fmt.Errorf("git diff line %d: hunk ends early at %q", lineNo, line)
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "diff --git "):
			cur, inHeader = nil, true
		case inHeader && strings.HasPrefix(line, "+++ "):
			name := strings.TrimSuffix(strings.TrimPrefix(line, "+++ "), "\t")
			if name == "/dev/null" {
				cur = nil
				continue
			}
			if strings.HasPrefix(name, `"`) { // C-quoted: control characters, quotes, non-ASCII
				unq, err := strconv.Unquote(name)
				if err != nil {
					return fmt.Errorf("git diff line %d: path %s: %w", lineNo, name, err)
				}
				name = unq
			}
			cur = c.file(strings.TrimPrefix(name, "b/"))
		case strings.HasPrefix(line, "@@ -"):
			inHeader = false
			r, o, n, err := parseHunkHeader(line)
			if err != nil {
				return fmt.Errorf("git diff line %d: %w", lineNo, err)
			}
			oldN, newN = o, n
			if cur != nil {
				cur.ranges = append(cur.ranges, r)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, f := range c.files {
		f.ranges = mergeRanges(f.ranges)
	}
	return nil
}

// mergeRanges sorts ranges and joins those that overlap or touch.
func mergeRanges(rs []lineRange) []lineRange {
	if len(rs) < 2 {
		return rs
	}
	slices.SortFunc(rs, func(a, b lineRange) int { return cmp.Compare(a.from, b.from) })
	out := rs[:1]
	for _, r := range rs[1:] {
		if last := &out[len(out)-1]; r.from <= last.to+1 {
			last.to = max(last.to, r.to)
			continue
		}
		out = append(out, r)
	}
	return out
}

// parseHunkHeader reads "@@ -a[,b] +c[,d] @@ …" into the new file's changed range and the
// numbers of old and new lines that follow. A pure deletion (d = 0) yields the lines on both
// sides of the cut: c and c+1 (c is 0 when the cut is at the top of the file).
func parseHunkHeader(h string) (r lineRange, oldN, newN int, err error) {
	fields := strings.Fields(h)
	if len(fields) < 4 || fields[0] != "@@" || fields[3] != "@@" ||
		!strings.HasPrefix(fields[1], "-") || !strings.HasPrefix(fields[2], "+") {
		return r, 0, 0, fmt.Errorf("bad hunk header %q", h)
	}
	_, oldN, err = hunkSpan(fields[1][1:])
	if err != nil {
		return r, 0, 0, fmt.Errorf("bad hunk header %q: %w", h, err)
	}
	start, newN, err := hunkSpan(fields[2][1:])
	if err != nil {
		return r, 0, 0, fmt.Errorf("bad hunk header %q: %w", h, err)
	}
	if newN == 0 {
		return lineRange{from: max(start, 1), to: start + 1}, oldN, 0, nil
	}
	return lineRange{from: start, to: start + newN - 1}, oldN, newN, nil
}

// hunkSpan reads "start[,count]"; the count is 1 when left out.
func hunkSpan(s string) (start, count int, err error) {
	a, b, found := strings.Cut(s, ",")
	if start, err = strconv.Atoi(a); err != nil || start < 0 {
		return 0, 0, fmt.Errorf("bad line number %q", a)
	}
	count = 1
	if found {
		if count, err = strconv.Atoi(b); err != nil || count < 0 {
			return 0, 0, fmt.Errorf("bad line count %q", b)
		}
	}
	return start, count, nil
}
