package migrations

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
)

// Atlas keeps its migration files in one directory, applies them in file-name order, and keeps
// atlas.sum next to them: a hash of the whole directory, then one line per file whose hash
// covers that file and every file before it. `atlas migrate apply` and `validate` refuse a
// directory whose files no longer match it.
const atlasSumFile = "atlas.sum"

// atlasDirective matches an Atlas directive comment ("-- atlas:delimiter $$"): anything
// printable before "atlas:", the name, and its arguments.
var atlasDirective = regexp.MustCompile(`^([ -~]*)atlas:(\w+)(?: +(.+))*`)

// directiveOf returns the argument of the directive name at the start of text, and whether it is
// there. prefix, unless "*", must be exactly what precedes "atlas:".
func directiveOf(text, name, prefix string) (string, bool) {
	m := atlasDirective.FindStringSubmatch(text)
	if m == nil || m[2] != name || prefix != "*" && m[1] != prefix {
		return "", false
	}
	return m[3], true
}

// atlasFileDirectives returns the comment lines at the top of an Atlas file that are file
// directives: they must be followed by a blank line, or be all the file holds.
func atlasFileDirectives(content []byte) []string {
	var comments []string
	rest := string(content)
	for strings.HasPrefix(rest, "#") || strings.HasPrefix(rest, "--") {
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			return append(comments, rest)
		}
		comments = append(comments, strings.TrimSpace(rest[:i]))
		rest = rest[i+1:]
	}
	if rest != "" && !strings.HasPrefix(strings.TrimLeft(rest, " \t"), "\n") {
		return nil
	}
	return comments
}

// atlasDelimiter returns the delimiter an "-- atlas:delimiter X" first line sets ("" if none),
// unescaped as Atlas does (\n, \r, \t), and where the statements start.
func atlasDelimiter(content []byte) (string, int) {
	line := content[:lineEnd(content, 0)]
	d, ok := directiveOf(string(line), "delimiter", "-- ")
	if !ok || d == "" {
		return "", 0
	}
	d = strings.NewReplacer(`\n`, "\n", `\r`, "\r", `\t`, "\t").Replace(d)
	return d, min(len(line)+1, len(content))
}

// collectAtlas reads the .sql files of the directory itself (Atlas does not look below it), and
// checks atlas.sum against them.
func (d *dirReader) collectAtlas(set *Set) error {
	var hashed []*File // every .sql file of the directory: atlas.sum covers them all
	for _, p := range d.sql {
		content, err := d.read(p)
		if err != nil {
			return err
		}
		hashed = append(hashed, &File{Path: p, Content: content})
		stem := strings.TrimSuffix(path.Base(p), ".sql")
		ver, desc, _ := strings.Cut(stem, "_")
		if ver == "" {
			set.Ignored = append(set.Ignored, ignored(p, fmt.Sprintf("%s has no version before its first _: Atlas would record it under an empty version", d.rel(p))))
			continue
		}
		f := &File{Path: p, Format: Atlas, Kind: Versioned, Version: TextVersion(ver), Description: describe(desc),
			Content: content, Checksum: checksum(content), Line: 1}
		for _, c := range atlasFileDirectives(content) {
			if _, ok := directiveOf(c, "checkpoint", "*"); ok {
				f.Kind = Baseline
			}
		}
		set.Files = append(set.Files, f)
	}
	nested, err := d.nestedSQL()
	if err != nil {
		return err
	}
	for _, p := range nested {
		set.Ignored = append(set.Ignored, ignored(p, fmt.Sprintf("%s is in a subdirectory: Atlas reads only the .sql files of the migrations directory itself, so it never runs it", d.rel(p))))
	}
	if len(set.Files) == 0 {
		return nil
	}
	sumPath := path.Join(d.root, atlasSumFile)
	var sum []byte
	if d.hasTop(atlasSumFile) {
		if sum, err = d.read(sumPath); err != nil {
			return err
		}
	}
	if f := validateAtlasSum(sumPath, sum, d.hasTop(atlasSumFile), hashed); f != nil {
		set.Notes = append(set.Notes, *f)
	}
	return nil
}

// AtlasHash is one line of atlas.sum: a file name and its hash.
type AtlasHash struct{ Name, Hash string }

// AtlasSum computes the entries of atlas.sum for files (in Atlas's order, the file names sorted
// as strings), as `atlas migrate hash` writes them: a SHA-256 that runs over every file's name
// and content in turn, so each entry covers its file and all files before it. A file that says
// "atlas:sum ignore" on its first line adds its name to the running hash but gets no entry.
func AtlasSum(files []*File) []AtlasHash {
	h := sha256.New()
	var out []AtlasHash
	for _, f := range files {
		h.Write([]byte(path.Base(f.Path)))
		first := f.Content[:lineEnd(f.Content, 0)]
		if mode, ok := directiveOf(string(first), "sum", "*"); ok && mode == "ignore" {
			continue
		}
		h.Write(f.Content)
		out = append(out, AtlasHash{Name: path.Base(f.Path), Hash: base64.StdEncoding.EncodeToString(h.Sum(nil))})
	}
	return out
}

// atlasTotal is the hash on atlas.sum's first line: over every entry's name and hash.
func atlasTotal(entries []AtlasHash) string {
	h := sha256.New()
	for _, e := range entries {
		h.Write([]byte(e.Name))
		h.Write([]byte(e.Hash))
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// FormatAtlasSum writes atlas.sum's content for entries.
func FormatAtlasSum(entries []AtlasHash) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "h1:%s\n", atlasTotal(entries))
	for _, e := range entries {
		fmt.Fprintf(&b, "%s h1:%s\n", e.Name, e.Hash)
	}
	return b.Bytes()
}

// ParseAtlasSum reads atlas.sum. It returns the total on the first line, the entries, and the
// 1-based line of the first line that is not "<name> h1:<hash>" (0 when all are).
func ParseAtlasSum(b []byte) (total string, entries []AtlasHash, badLine int) {
	lines := strings.Split(string(b), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		if i == 0 {
			total = strings.TrimPrefix(l, "h1:")
			continue
		}
		name, hash, ok := strings.Cut(l, "h1:")
		if !ok {
			return total, entries, i + 1
		}
		entries = append(entries, AtlasHash{Name: strings.TrimSpace(name), Hash: hash})
	}
	return total, entries, 0
}

// validateAtlasSum checks atlas.sum as `atlas migrate validate` does and returns the finding
// for the first mismatch, at the line of atlas.sum that Atlas names, or nil.
func validateAtlasSum(sumPath string, sum []byte, exists bool, files []*File) *finding.Finding {
	const fix = "If the change is meant (no environment ran the files involved yet), run 'atlas migrate hash' and commit atlas.sum; " +
		"if a deployed file was edited, revert it and put the change in a new migration."
	mismatch := func(line int, msg string) *finding.Finding {
		return &finding.Finding{Rule: finding.ChecksumMismatch, Severity: finding.Error, File: sumPath, Line: line,
			Message: msg + ": atlas migrate apply refuses to run the directory until atlas.sum matches", Fix: fix}
	}
	if !exists {
		f := mismatch(1, fmt.Sprintf("the directory has no %s (atlas migrate validate: checksum file not found)", atlasSumFile))
		f.File = files[0].Path
		return f
	}
	total, have, bad := ParseAtlasSum(sum)
	switch {
	case bad > 0:
		return mismatch(bad, "atlas.sum is not in Atlas's format (atlas migrate validate: checksum file format invalid)")
	case total != atlasTotal(have):
		return mismatch(1, "atlas.sum's first line does not match the lines after it, as if edited by hand (atlas migrate validate: checksum mismatch)")
	}
	want := AtlasSum(files)
	if atlasTotal(have) == atlasTotal(want) {
		return nil
	}
	for i, h := range have {
		if i < len(want) && want[i] == h {
			continue
		}
		idx := slices.IndexFunc(want, func(w AtlasHash) bool { return w.Name == h.Name })
		switch {
		case idx < 0:
			return mismatch(i+2, fmt.Sprintf("atlas.sum L%d: %s was removed (atlas migrate validate: checksum mismatch)", i+2, h.Name))
		case idx == i:
			return mismatch(i+2, fmt.Sprintf("atlas.sum L%d: %s was edited (atlas migrate validate: checksum mismatch)", i+2, h.Name))
		case i < len(want):
			return mismatch(i+2, fmt.Sprintf("atlas.sum L%d: %s was added (atlas migrate validate: checksum mismatch)", i+2, want[i].Name))
		default:
			return mismatch(i+2, fmt.Sprintf("atlas.sum L%d: %s is listed twice (atlas migrate validate: checksum mismatch)", i+2, h.Name))
		}
	}
	return mismatch(len(have)+2, fmt.Sprintf("atlas.sum L%d: %s was added (atlas migrate validate: checksum mismatch)", len(have)+2, want[len(have)].Name))
}
