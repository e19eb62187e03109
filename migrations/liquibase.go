package migrations

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/schema-guard/schema-guard/finding"
)

// Liquibase formatted SQL: a file whose first non-blank line is "--liquibase formatted sql" holds
// changesets, each starting at a "--changeset author:id attribute:value…" line. Each changeset is
// a migration of its own, identified by its file (or logicalFilePath), author and id, and runs
// once; --rollback lines and "/* liquibase rollback */" blocks are never run forward. The
// patterns below follow Liquibase's own parser, so that what it refuses is refused here too.
var (
	lbFirstLine        = regexp.MustCompile(`(?i)^\s*--\s*liquibase\s*formatted.*$`)
	lbChangeset        = regexp.MustCompile(`(?i)^\s*--\s*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+).*$`)
	lbChangesetAny     = regexp.MustCompile(`(?i)^\s*--\s*changeset\s*.*$`)
	lbChangesetOneDash = regexp.MustCompile(`(?i)^-\s*changeset\s.*$`)
	lbProperty         = regexp.MustCompile(`(?i)^\s*--\s*property\s+(.*:.*)\s+(.*:.*).*$`)
	lbPropertyOther    = regexp.MustCompile(`(?i)^\s*?-+\s*property\s.*$`)
	lbIgnoreLines      = regexp.MustCompile(`(?i)^--\s*ignoreLines:(\w+)$`)
	lbIgnoreOther      = regexp.MustCompile(`(?i)^(-\s*?ignoreLines:\w+.*|--\s*ignore:\w+)$`)
	lbComment          = regexp.MustCompile(`(?i)^--\s*comment:? (.*)$`)
	lbCommentOther     = regexp.MustCompile(`(?i)^(-\s*comment:? .*|--\s*comments:? .*)$`)
	lbValidCheckSum    = regexp.MustCompile(`(?i)^--\s*validCheckSum:? .*$`)
	lbValidOther       = regexp.MustCompile(`(?i)^-\s*validCheckSum.*$`)
	lbRollback         = regexp.MustCompile(`(?i)^\s*--\s*rollback (.*)$`)
	lbRollbackOneDash  = regexp.MustCompile(`(?i)^\s*-\s*rollback\s.*$`)
	lbRollbackStart    = regexp.MustCompile(`(?i)^\s*/\*\s*liquibase\s*rollback\s*$`)
	lbRollbackEnd      = regexp.MustCompile(`^.*\*/\s*$`)
	lbPreconditions    = regexp.MustCompile(`(?i)^\s*--\s*preconditions.*$`)
	lbPrecondition     = regexp.MustCompile(`(?i)^\s*--\s*precondition-[a-zA-Z0-9-]+( .*)?$`)
	lbPreconditionDash = regexp.MustCompile(`(?i)^\s*-\s*preconditions?.*$`)

	lbAttrs = map[string]*regexp.Regexp{}
)

func init() {
	for _, a := range []string{"runOnChange", "runAlways", "splitStatements", "ignore"} {
		lbAttrs[a] = regexp.MustCompile(`(?i)^.*\b` + a + `:(\w*).*$`)
	}
	lbAttrs["endDelimiter"] = regexp.MustCompile(`(?i)^.*\bendDelimiter:(\S*).*$`)
	lbAttrs["rollbackEndDelimiter"] = regexp.MustCompile(`(?i)^.*\brollbackEndDelimiter:(\S*).*$`)
	lbAttrs["dbms"] = regexp.MustCompile(`(?i)^.*\bdbms:([^,][\w!,]+).*$`)
	lbAttrs["logicalFilePath"] = regexp.MustCompile(`(?i)^.*\blogicalFilePath:(\S*).*$`)
}

// changesetPart is where a changeset's SQL lies in its file and how it is split.
type changesetPart struct {
	masked   []byte       // the file with every line that is not the changeset's SQL blanked out
	text     *sharedText  // the file's line index and UTF-8 check, shared by its changesets
	start    int          // where the changeset begins in the file: its header line
	from, to int          // the changeset's body in masked
	delim    string       // endDelimiter; "" for ";"
	whole    bool         // splitStatements:false
	logical  string       // logicalFilePath, which identifies the changeset instead of its path
	sql      bytes.Buffer // the SQL lines as Liquibase collects them, for the checksum
	// rollback is the changeset's rollback SQL (never replayed; diff --write checks what it
	// wrote there), and rollbackDelim its rollbackEndDelimiter.
	rollback      bytes.Buffer
	rollbackDelim string
}

// isLiquibaseFormatted reports whether the first non-blank line is Liquibase's header.
func isLiquibaseFormatted(content []byte) bool {
	for l := range bytes.Lines(content) {
		t := strings.TrimSpace(string(bytes.TrimPrefix(l, []byte("\ufeff"))))
		if t == "" {
			continue
		}
		return lbFirstLine.MatchString(t)
	}
	return false
}

// collectLiquibase reads every .sql file below the directory in path order, as includeAll does:
// formatted files give their changesets, any other .sql file is one changeset of the whole file
// (Liquibase's id "raw", author "includeAll").
func (d *dirReader) collectLiquibase(set *Set) error {
	all, err := d.allSQL()
	if err != nil {
		return err
	}
	for _, p := range all {
		content, err := d.read(p)
		if err != nil {
			return err
		}
		files, notes, err := liquibaseChangesets(p, content)
		if err != nil {
			return err
		}
		set.Files = append(set.Files, files...)
		set.Ignored = append(set.Ignored, notes...)
	}
	// A master changelog may include the files in another order than includeAll's.
	for _, p := range d.others {
		ext := path.Ext(p)
		if ext != ".xml" && ext != ".yaml" && ext != ".yml" && ext != ".json" {
			continue
		}
		b, err := d.read(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte("databaseChangeLog")) {
			set.Ignored = append(set.Ignored, ignored(p, fmt.Sprintf("%s is a Liquibase changelog: schema-guard runs the formatted SQL files in path order, as includeAll does, and does not follow the include order of this file", d.rel(p))))
		}
	}
	return nil
}

// liquibaseChangesets reads one changelog file into its changesets. Lines of SQL before the
// first changeset, which Liquibase silently skips, are ignored-file warnings. What Liquibase
// refuses to parse is an error at its line.
func liquibaseChangesets(p string, content []byte) ([]*File, []finding.Finding, error) {
	if !isLiquibaseFormatted(content) {
		masked := append([]byte(nil), content...)
		return []*File{{Path: p, Format: Liquibase, Kind: Versioned, ID: "includeAll:raw", Version: TextVersion("includeAll:raw"),
			Content: content, Checksum: checksum(normalizeEOL(content)), Line: 1,
			part: &changesetPart{masked: masked, text: &sharedText{}, from: bomLen(content), to: len(content)}}}, nil, nil
	}
	r := &changelogReader{path: p, content: content, masked: append([]byte(nil), content...), shared: &sharedText{}}
	eachLine(content, bomLen(content), r.readLine)
	if r.parseErr != nil {
		return nil, nil, r.parseErr
	}
	if !r.finish(len(content)) {
		return nil, nil, r.parseErr
	}
	var notes []finding.Finding
	if r.stray > 0 {
		notes = append(notes, finding.Finding{Rule: finding.IgnoredFile, Severity: finding.Warning, File: p, Line: r.stray,
			Message: "SQL before the first --changeset line belongs to no changeset: Liquibase never runs it"})
	}
	return r.files, notes, nil
}

// changelogReader is the state of reading one formatted SQL changelog line by line. Its
// methods return false when the changelog is refused, with the error in parseErr.
type changelogReader struct {
	path    string
	content []byte
	// masked is content with every line that is not a changeset's SQL blanked, so offsets into
	// it are offsets into the file.
	masked   []byte
	shared   *sharedText
	files    []*File
	cur      *File // the changeset being read, nil before the first
	logical  string
	lineNo   int
	ignoring int  // lines still to skip for --ignoreLines:N; -1 until --ignoreLines:end
	inRB     bool // inside a /* --rollback */ block
	stray    int  // first line of SQL outside any changeset
	parseErr error
}

func (r *changelogReader) blank(l line) {
	for i := l.start; i < l.end; i++ {
		if r.masked[i] != '\r' {
			r.masked[i] = ' '
		}
	}
}

func (r *changelogReader) fail(format string, args ...any) bool {
	r.parseErr = &SyntaxError{File: r.path, Line: r.lineNo, Msg: fmt.Sprintf(format, args...)}
	return false
}

// finish ends the current changeset, if any, at offset end.
func (r *changelogReader) finish(end int) bool {
	cur := r.cur
	if cur == nil {
		return true
	}
	cur.part.to = end
	body := bytes.TrimSpace(r.masked[cur.part.from:end])
	if len(body) == 0 {
		return r.fail("changeset %s has no SQL: Liquibase refuses the changelog", cur.ID)
	}
	// Liquibase's checksum covers the changeset's SQL, not its rollback or comment lines.
	cur.Checksum = checksum(bytes.TrimSpace(cur.part.sql.Bytes()))
	r.files = append(r.files, cur)
	r.cur = nil
	return true
}

// readLine reads the changelog's next line.
func (r *changelogReader) readLine(l line) bool {
	r.lineNo++
	text := strings.TrimSuffix(string(r.content[l.start:l.end]), "\r")
	if handled, ok := r.fileDirective(l, text); handled {
		return ok
	}
	if m := lbChangeset.FindStringSubmatch(text); m != nil {
		return r.changeset(l, text, m[1], m[2])
	}
	if lbChangesetOneDash.MatchString(text) || lbChangesetAny.MatchString(text) {
		return r.fail("malformed --changeset line (Liquibase wants --changeset <author>:<id>)")
	}
	if r.cur == nil {
		if lbComment.MatchString(text) {
			return r.fail("a --comment line outside a changeset: Liquibase refuses the changelog")
		}
		if r.stray == 0 && strings.TrimSpace(text) != "" && !strings.HasPrefix(strings.TrimSpace(text), "--") {
			r.stray = r.lineNo
		}
		r.blank(l)
		return true
	}
	return r.changesetLine(l, text)
}

// fileDirective handles the lines that mean the same inside and outside a changeset: lines
// being ignored, rollback blocks, properties, the first line and --ignoreLines. It reports
// whether text was one of them.
func (r *changelogReader) fileDirective(l line, text string) (handled, ok bool) {
	switch {
	case r.ignoring != 0:
		r.blank(l)
		if r.ignoring > 0 {
			r.ignoring--
		} else if m := lbIgnoreLines.FindStringSubmatch(text); m != nil && m[1] == "end" {
			r.ignoring = 0
		}
		return true, true
	case r.inRB:
		r.blank(l)
		r.inRB = !lbRollbackEnd.MatchString(text)
		if r.cur != nil {
			if r.inRB {
				r.cur.part.rollback.WriteString(text + "\n")
			} else {
				r.cur.part.rollback.WriteString(strings.TrimSuffix(strings.TrimRight(text, " \t"), "*/") + "\n")
			}
		}
		return true, true
	case lbProperty.MatchString(text):
		r.blank(l)
		return true, true
	case lbPropertyOther.MatchString(text):
		return true, r.fail("malformed --property line (Liquibase wants --property name:<name> value:<value>)")
	case lbFirstLine.MatchString(text):
		r.blank(l)
		if m := lbAttrs["logicalFilePath"].FindStringSubmatch(text); m != nil {
			r.logical = m[1]
		}
		return true, true
	}
	if m := lbIgnoreLines.FindStringSubmatch(text); m != nil {
		r.blank(l)
		if m[1] == "start" {
			r.ignoring = -1
			return true, true
		}
		n := 0
		if _, err := fmt.Sscanf(m[1], "%d", &n); err != nil || n < 0 || fmt.Sprint(n) != m[1] {
			return true, r.fail("unknown --ignoreLines value %q (Liquibase wants start, end or a number)", m[1])
		}
		r.ignoring = n
		return true, true
	}
	if lbIgnoreOther.MatchString(text) {
		return true, r.fail("malformed --ignoreLines line (Liquibase wants --ignoreLines:<count|start>)")
	}
	return false, false
}

// changeset starts a changeset at its --changeset line, author and id as the line writes them.
func (r *changelogReader) changeset(l line, text, rawAuthor, rawID string) bool {
	author, id := unquote(rawAuthor), unquote(rawID)
	if !strings.Contains(text, rawAuthor+":"+rawID) {
		return r.fail("malformed --changeset line: Liquibase wants --changeset <author>:<id> with nothing between the colon and the id")
	}
	if strings.Trim(id, ": ") == "" {
		return r.fail("the changeset id is empty")
	}
	if !r.finish(l.start) {
		return false
	}
	r.blank(l)
	var err error
	if r.cur, err = newChangeset(r.path, r.content, r.masked, author+":"+id, r.lineNo, l.next, text, r.logical); err != nil {
		return r.fail("%v", err)
	}
	r.cur.part.text, r.cur.part.start = r.shared, l.start
	return true
}

// changesetLine reads a line inside a changeset: one of its attribute lines, or SQL.
func (r *changelogReader) changesetLine(l line, text string) bool {
	cur := r.cur
	switch {
	case lbComment.MatchString(text):
		cur.Description = strings.TrimSpace(lbComment.FindStringSubmatch(text)[1])
		r.blank(l)
	case lbCommentOther.MatchString(text):
		return r.fail("malformed --comment line (Liquibase wants --comment: <comment>)")
	case lbValidCheckSum.MatchString(text):
		r.blank(l)
	case lbValidOther.MatchString(text):
		return r.fail("malformed --validCheckSum line (Liquibase wants --validCheckSum: <checksum>)")
	case lbRollback.MatchString(text):
		r.blank(l)
		cur.part.rollback.WriteString(lbRollback.FindStringSubmatch(text)[1] + "\n")
	case lbRollbackOneDash.MatchString(text):
		return r.fail("malformed --rollback line (Liquibase wants --rollback <SQL>)")
	case lbRollbackStart.MatchString(text):
		r.blank(l)
		r.inRB = true
	case lbPreconditions.MatchString(text), lbPrecondition.MatchString(text):
		r.blank(l)
	case lbPreconditionDash.MatchString(text):
		return r.fail("malformed precondition line (Liquibase wants --preconditions or --precondition-<type>)")
	default:
		cur.part.sql.WriteString(text + "\n")
	}
	return true
}

// newChangeset starts the changeset whose header line is text, at line lineNo; its body starts
// at offset body.
func newChangeset(p string, content, masked []byte, id string, lineNo, body int, text, logical string) (*File, error) {
	f := &File{Path: p, Format: Liquibase, Kind: Versioned, ID: id, Version: TextVersion(id), Content: content, Line: lineNo,
		part: &changesetPart{masked: masked, from: body, logical: logical}}
	flag := func(attr string) (bool, error) {
		m := lbAttrs[attr].FindStringSubmatch(text)
		if m == nil {
			return false, nil
		}
		switch strings.ToLower(m[1]) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return false, fmt.Errorf("%s:%s is not true or false", attr, m[1])
	}
	onChange, err := flag("runOnChange")
	if err != nil {
		return nil, err
	}
	always, err := flag("runAlways")
	if err != nil {
		return nil, err
	}
	if onChange || always {
		f.Kind, f.Always = Repeatable, always
	}
	split := true
	if m := lbAttrs["splitStatements"].FindStringSubmatch(text); m != nil {
		if split, err = flag("splitStatements"); err != nil {
			return nil, err
		}
	}
	f.part.whole = !split
	if m := lbAttrs["endDelimiter"].FindStringSubmatch(text); m != nil {
		f.part.delim = m[1]
	}
	if m := lbAttrs["rollbackEndDelimiter"].FindStringSubmatch(text); m != nil {
		f.part.rollbackDelim = m[1]
	}
	if m := lbAttrs["logicalFilePath"].FindStringSubmatch(text); m != nil && m[1] != "" {
		f.part.logical = m[1]
	}
	if ign, err := flag("ignore"); err != nil {
		return nil, err
	} else if ign {
		f.Skip = "the changeset is marked ignore:true"
	}
	if m := lbAttrs["dbms"].FindStringSubmatch(text); m != nil && !dbmsMatches(m[1], "mysql") && !dbmsMatches(m[1], "mariadb") {
		f.Skip = fmt.Sprintf("dbms:%s: Liquibase runs it on neither MySQL nor MariaDB", m[1])
	}
	return f, nil
}

// dbmsMatches reports whether a dbms: list lets the changeset run on the database short name,
// with Liquibase's rules: "all" and "none", "!name" excludes, a list of only exclusions allows
// every other database.
func dbmsMatches(list, short string) bool {
	var names []string
	for _, n := range strings.Split(list, ",") {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return true
	}
	onlyNegations := true
	for _, n := range names {
		switch {
		case n == "all":
			return true
		case n == "none":
			return false
		case n == "!"+short:
			return false
		case !strings.HasPrefix(n, "!"):
			onlyNegations = false
		}
	}
	if onlyNegations {
		return true
	}
	for _, n := range names {
		if n == short {
			return true
		}
	}
	return false
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// normalizeEOL turns CRLF into LF, so that a checkout's line endings do not count as edits.
func normalizeEOL(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) }

// sharedText is what the changesets of one changelog file share: the file's line index and its
// UTF-8 check. Each changeset is split on its own, and building them for every changeset would
// read the whole file once per changeset: quadratic in a changelog of thousands of them.
type sharedText struct {
	once   sync.Once
	starts []int
	err    error
}

// lines returns the line index of content, the file the changesets come from, and the result
// of its UTF-8 check, both computed on the first call.
func (t *sharedText) lines(path string, content []byte) (*lineIndex, error) {
	t.once.Do(func() {
		x := newLineIndex(content)
		t.starts, t.err = x.starts, checkUTF8(path, content, x)
	})
	return &lineIndex{src: content, starts: t.starts}, t.err
}
