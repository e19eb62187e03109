package migrations

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/schema-guard/schema-guard/finding"
)

// offsetOf turns a statement's 1-based line and character column back into a byte offset, the
// way an editor would find it, so the fuzzer checks positions independently of the splitter.
func offsetOf(src []byte, line, col int) (int, bool) {
	off := 0
	if line == 1 {
		off = bomLen(src)
	}
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return 0, false
		}
		off += i + 1
	}
	for c := 1; c < col; c++ {
		if off >= len(src) || src[off] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off, true
}

func addSeedFiles(f *testing.F, add func([]byte)) {
	for _, s := range []string{triggerDollar, procedureSlash, mysqldumpTrigger, gooseTrigger, dbmateMigration,
		"SELECT 'a\\'b', \"c\"\"d\", `e``f` -- x\n# y\n/* z */;", "\ufeffDELIMITER ;;\r\nSELECT 1;;\r\n",
		"-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n", "/*!", "'", "DELIMITER", "\xff"} {
		add([]byte(s))
	}
	_ = filepath.WalkDir(filepath.Join("..", "testdata", "formats"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".sql") {
			if b, err := os.ReadFile(p); err == nil {
				add(b)
			}
		}
		return nil
	})
}

func FuzzSplit(f *testing.F) {
	addSeedFiles(f, func(b []byte) {
		for i := range Formats {
			f.Add(b, uint8(i))
		}
	})
	p := NewParser()
	f.Fuzz(func(t *testing.T, src []byte, which uint8) {
		file := &File{Path: "m.sql", Format: Formats[int(which)%len(Formats)], Content: src}
		stmts, err := file.Statements()
		lines := bytes.Count(src, []byte("\n")) + 1
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is %T, want *SyntaxError", err, err)
			}
			if se.Line < 1 || se.Line > lines || se.Column < 0 || strings.Contains(err.Error(), "\n") {
				t.Fatalf("bad error position or text: %q (file has %d lines)", err, lines)
			}
			return
		}
		for _, s := range stmts {
			if s.Text == "" || s.Line < 1 || s.Column < 1 || s.EndLine < s.Line || s.EndLine > lines {
				t.Fatalf("bad statement %+v (file has %d lines)", s, lines)
			}
			off, ok := offsetOf(src, s.Line, s.Column)
			if !ok || !bytes.HasPrefix(src[off:], []byte(s.Text)) {
				t.Fatalf("statement %q not found at %d:%d", s.Text, s.Line, s.Column)
			}
			if end := s.Line + strings.Count(s.Text, "\n"); end != s.EndLine {
				t.Fatalf("statement %q at line %d ends at %d, EndLine %d", s.Text, s.Line, end, s.EndLine)
			}
		}
		// The parser must survive whatever the splitter lets through.
		p.Parse(stmts[:min(len(stmts), 3)])
	})
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range [][2]string{{"1", "1.0"}, {"1.2", "1.10"}, {"1_1", "001.1"}, {"20240101", "2"}, {"", "."}, {"1..2", "0"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		va, errA := ParseVersion(a)
		vb, errB := ParseVersion(b)
		if errA != nil {
			return
		}
		if va.Compare(va) != 0 {
			t.Fatalf("%q does not equal itself", a)
		}
		again, err := ParseVersion(va.String())
		if err != nil || again.Compare(va) != 0 {
			t.Fatalf("%q: String() %q does not read back (%v)", a, va.String(), err)
		}
		if errB == nil && va.Compare(vb) != -vb.Compare(va) {
			t.Fatalf("Compare(%q, %q) is not antisymmetric", a, b)
		}
	})
}

// FuzzDiscoverNames feeds file names (one per line) through Discover in every format.
func FuzzDiscoverNames(f *testing.F) {
	for _, s := range []string{
		"V1__a.sql\nV1.10__b.sql\nR__c.sql\nU1__d.sql\nB1__e.sql\nsub/V2__f.sql\nV1..2__g.sql",
		"1_a.up.sql\n1_a.down.sql\n18446744073709551616_x.up.sql\n_1.up.sql",
		"1_a.sql\n0_b.sql\n9223372036854775808_c.sql\n2_d.go\n3_e_test.go",
		"20240101_a.sql\n1.sql\n.sql\nV__.sql\nR__.sql\nV1__.sql",
	} {
		f.Add(s, "-- +goose Up\nSELECT 1;\n")
		f.Add(s, "-- migrate:up\nSELECT 1;\n")
	}
	f.Fuzz(func(t *testing.T, names, content string) {
		fsys := fstest.MapFS{}
		for _, n := range strings.Split(names, "\n") {
			p := path.Join(dir, n)
			if n == "" || !fs.ValidPath(p) || !strings.HasPrefix(p, dir+"/") {
				continue
			}
			fsys[p] = &fstest.MapFile{Data: []byte(content)}
		}
		for _, format := range append([]Format{Auto}, Formats...) {
			set, err := Discover(fsys, dir, format)
			if err != nil {
				if strings.Contains(err.Error(), "\n") {
					t.Fatalf("multi-line error %q", err)
				}
				continue
			}
			cmp := replayOrder(set.Format)
			for i, file := range set.Files {
				if _, ok := fsys[file.Path]; !ok {
					t.Fatalf("%s: path %q is not in the file system", format, file.Path)
				}
				if i > 0 && cmp(set.Files[i-1], file) > 0 {
					t.Fatalf("%s: %s sorted before %s", format, set.Files[i-1].Path, file.Path)
				}
				if file.Kind != Repeatable && file.Version.IsZero() {
					t.Fatalf("%s: %s has no version", format, file.Path)
				}
			}
			for _, w := range set.Ignored {
				if _, ok := fsys[w.File]; !ok || strings.Contains(w.Message, "\n") && !strings.Contains(w.File, "\n") {
					t.Fatalf("%s: bad warning %+v", format, w)
				}
			}
		}
	})
}

// FuzzLiquibaseChangelog feeds changelogs through Liquibase's reading: it must never panic,
// errors are one line at a line of the file, and every changeset's statements lie inside its
// own lines, never on a metadata line (header, rollback, comment).
func FuzzLiquibaseChangelog(f *testing.F) {
	for _, s := range []string{
		changelog1,
		"--liquibase formatted sql\n--changeset \"a b\":\"c d\" runOnChange:true endDelimiter:// dbms:!h2\nSELECT 1//\n--rollback SELECT 2;\n",
		"--liquibase formatted sql\n--changeset a:1 splitStatements:false\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a = 1; END;\n",
		"--liquibase formatted sql\n--ignoreLines:start\n--changeset a:1\n--ignoreLines:end\n--changeset a:2\nSELECT 1;\n/* liquibase rollback\nDROP x;\n*/\n",
		"--liquibase formatted sql\n--changeset a:\n", "--liquibase formatted sql\n--changeset :b\nSELECT 1;\n", "--LIQUIBASE FORMATTED SQL\r\n--changeset a:1\r\nSELECT 1;\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		files, _, err := liquibaseChangesets("c.sql", src)
		lines := bytes.Count(src, []byte("\n")) + 1
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Line > lines || strings.Contains(err.Error(), "\n") {
				t.Fatalf("bad error %q (%T)", err, err)
			}
			return
		}
		for i, cs := range files {
			if cs.ID == "" || cs.Line < 1 || cs.Line > lines || i > 0 && cs.Line <= files[i-1].Line {
				t.Fatalf("changeset %d: id %q at line %d", i, cs.ID, cs.Line)
			}
			stmts, _, err := cs.Split()
			if err != nil {
				var se *SyntaxError
				if !errors.As(err, &se) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("bad split error %q", err)
				}
				continue
			}
			for _, s := range stmts {
				if s.Line < cs.Line || s.EndLine > lines || s.Text == "" {
					t.Fatalf("changeset %s at %d: statement %+v out of place", cs.ID, cs.Line, s)
				}
				if isLiquibaseFormatted(src) && lbChangeset.MatchString(strings.TrimSuffix(lineAt(src, s.Line), "\r")) {
					t.Fatalf("statement %q starts on a changeset header", s.Text)
				}
			}
		}
	})
}

// lineAt is the 1-based line n of src.
func lineAt(src []byte, n int) string {
	ls := strings.Split(string(src), "\n")
	if n < 1 || n > len(ls) {
		return ""
	}
	return ls[n-1]
}

// FuzzCustomPattern feeds patterns and file names through the custom format: an invalid
// pattern is one clear error, never a panic; discovered files match the pattern and are in
// version order.
func FuzzCustomPattern(f *testing.F) {
	for _, s := range [][2]string{
		{`^V(?P<version>\d+)\.(?P<description>.+)\.up\.sql$`, "V0001.Init.up.sql\nV0001.Init.down.sql\nV0010.X.up.sql\nV2.Y.up.sql"},
		{`^(?P<version>[\d._-]+)_(?P<description>.+)\.sql$`, "1.2_a.sql\n1.10_b.sql\n2024-01-01_c.sql\nsub/3_d.sql"},
		{`(?P<version>`, "x.sql"}, {`^(?P<v>\d+)`, "1.sql"}, {`(?P<version>\w+)`, "abc.sql"}, {`(?P<version>\d*)`, "x.sql"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, names string) {
		fsys := fstest.MapFS{}
		for _, n := range strings.Split(names, "\n") {
			p := path.Join(dir, n)
			if n == "" || !fs.ValidPath(p) || !strings.HasPrefix(p, dir+"/") {
				continue
			}
			fsys[p] = &fstest.MapFile{Data: []byte("SELECT 1;\n")}
		}
		if len(fsys) == 0 {
			return
		}
		set, err := DiscoverLayout(fsys, dir, Layout{Format: Custom, Pattern: pattern})
		if err != nil {
			if strings.Contains(err.Error(), "\n") && !strings.Contains(pattern+names, "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		order := replayOrder(Custom)
		for i, file := range set.Files {
			if !set.custom.re.MatchString(strings.TrimPrefix(file.Path, dir+"/")) {
				t.Fatalf("%s does not match %q", file.Path, pattern)
			}
			if i > 0 && order(set.Files[i-1], file) > 0 {
				t.Fatalf("%s sorted before %s", set.Files[i-1].Path, file.Path)
			}
		}
	})
}

// FuzzAtlasSum feeds atlas.sum contents and files through the validation: never a panic, at
// most one finding, on a line atlas.sum has; a sum written by FormatAtlasSum always validates.
func FuzzAtlasSum(f *testing.F) {
	f.Add([]byte("h1:abc=\n1_a.sql h1:xyz=\n"), []byte("CREATE TABLE a (id INT);\n"), []byte("-- atlas:sum ignore\nSELECT 1;"))
	f.Add([]byte(""), []byte(""), []byte("-- atlas:delimiter \\n\\n\nSELECT 1\n\nSELECT 2"))
	f.Add([]byte("h1:\nh1:\n h1:h1:\r\n"), []byte("x"), []byte("y"))
	f.Fuzz(func(t *testing.T, sum, a, b []byte) {
		files := []*File{{Path: "m/1_a.sql", Content: a}, {Path: "m/2_b.sql", Content: b}}
		lines := bytes.Count(sum, []byte("\n")) + 2
		if fd := validateAtlasSum("m/atlas.sum", sum, true, files); fd != nil {
			if fd.Line < 1 || fd.Line > lines || fd.Rule != finding.ChecksumMismatch {
				t.Fatalf("finding at line %d of a %d-line file: %+v", fd.Line, lines, fd)
			}
		}
		good := FormatAtlasSum(AtlasSum(files))
		if fd := validateAtlasSum("m/atlas.sum", good, true, files); fd != nil {
			t.Fatalf("a freshly written atlas.sum does not validate: %+v\n%s", fd, good)
		}
		total, entries, bad := ParseAtlasSum(good)
		if bad != 0 || total != atlasTotal(entries) {
			t.Fatalf("FormatAtlasSum does not parse back: %q", good)
		}
		for _, file := range files {
			s := &File{Path: file.Path, Format: Atlas, Content: file.Content}
			if _, err := s.Statements(); err != nil {
				var se *SyntaxError
				if !errors.As(err, &se) {
					t.Fatalf("split error %T %v", err, err)
				}
			}
		}
	})
}
