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
