package dryrun

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

func TestParseCSV(t *testing.T) {
	recs, err := parseCSV([]byte("\xef\xbb\xbfa,b,c\r\n1,,\"\"\n\n\"x,\"\"y\"\"\nz\",plain text,\"\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []csvRecord{
		{line: 1, fields: []csvField{{text: "a"}, {text: "b"}, {text: "c"}}},
		{line: 2, fields: []csvField{{text: "1"}, {}, {quoted: true}}},
		{line: 4, fields: []csvField{{text: "x,\"y\"\nz", quoted: true}, {text: "plain text"}, {quoted: true}}},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records: %+v", len(recs), recs)
	}
	for i := range want {
		if recs[i].line != want[i].line || !slices.Equal(recs[i].fields, want[i].fields) {
			t.Errorf("record %d: got %+v, want %+v", i, recs[i], want[i])
		}
	}
	for in, line := range map[string]int{
		"a,b\n1,x\"y\n":         2,
		"a\n\"open\n\nstill":    2,
		"a,b\n\"q\"x,1\n":       2,
		"a\n1\n\"two\nlines\"z": 4,
	} {
		_, err := parseCSV([]byte(in))
		if err == nil || !strings.HasPrefix(err.Error(), "line "+string(rune('0'+line))+":") {
			t.Errorf("%q: err = %v, want one at line %d", in, err, line)
		}
	}
}

func TestReadSampleCSVErrors(t *testing.T) { testenv.EachServer(t, testReadSampleCSVErrors) }

func testReadSampleCSVErrors(t *testing.T, srv testenv.Server) {
	m := modelOf(t, everyFamilyFor(srv), "")
	dir := t.TempDir()
	for name, tc := range map[string]struct{ content, want string }{
		"unknown.csv":   {"id,nope\n1,2\n", "unknown.csv:1: header: table t has no column \"nope\""},
		"generated.csv": {"id,total\n1,2\n", "generated.csv:1: header: column \"total\" is generated"},
		"twice.csv":     {"id,ID\n1,2\n", "twice.csv:1: header: column \"ID\" appears twice"},
		"fields.csv":    {"id,email\n1,a@b\n2\n", "fields.csv:3: 1 fields, the header has 2"},
		"bit.csv":       {"id,b1\n1,yes\n", "bit.csv:2: column b1: \"yes\" is not a number"},
		"quote.csv":     {"id,email\n1,\"a\n", "quote.csv:2: a quoted field is not closed"},
		"empty.csv":     {"\n\n", "empty.csv: empty"},
	} {
		path := filepath.Join(dir, name)
		testenv.WriteFile(t, path, tc.content)
		g, err := newGenerator(m.before, m.flavor, 1)
		if err != nil {
			t.Fatal(err)
		}
		_, err = g.readSampleCSV(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
}

func TestSampleCSVLoads(t *testing.T) { testenv.EachServer(t, testSampleCSVLoads) }

func testSampleCSVLoads(t *testing.T, srv testenv.Server) {
	m := modelOf(t, everyFamilyFor(srv), "")
	_, conn, _ := sampleTable(t, m)
	path := filepath.Join(t.TempDir(), "t.csv")
	testenv.WriteFile(t, path, strings.Join([]string{
		"email,code,si,price,status,latin,tt,b64,bin,d,pt",
		`a@x,aaa,1,1.50,new,,"",5,AB,2020-01-02,POINT(1 2)`,
		`"b@x, with ""quotes""",bbb,2,-3,paid,"multi` + "\n" + `line",\back,b'101',CD,,`,
		`c@x,ccc,3,0,shipped,é,"",,,2020-01-03,`,
	}, "\n")+"\n")
	g, err := newGenerator(m.before, m.flavor, 1)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := g.readSampleCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].line != 2 || rows[1].line != 3 || rows[2].line != 5 {
		t.Fatalf("rows %d, lines %d %d", len(rows), rows[0].line, rows[1].line)
	}
	if _, _, err := g.load(testCtx(t), conn, rows, false); err != nil {
		t.Fatal(err)
	}
	check := func(query, want string) {
		t.Helper()
		var got string
		if err := conn.QueryRowContext(testCtx(t), query).Scan(&got); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", query, got, want)
		}
	}
	check("SELECT COUNT(*) FROM t WHERE latin IS NULL", "1") // empty unquoted: NULL
	check("SELECT COUNT(*) FROM t WHERE tt = ''", "2")       // "": an empty string
	check("SELECT COUNT(*) FROM t WHERE tt IS NULL", "0")    //
	check("SELECT email FROM t WHERE code = 'bbb'", `b@x, with "quotes"`)
	check("SELECT latin FROM t WHERE code = 'bbb'", "multi\nline")
	check("SELECT tt FROM t WHERE code = 'bbb'", `\back`)
	check("SELECT b64 + 0 FROM t WHERE code = 'bbb'", "5")
	check("SELECT HEX(bin) FROM t WHERE code = 'aaa'", "41420000")
	check("SELECT ST_AsText(pt) FROM t WHERE code = 'aaa'", "POINT(1 2)")
	check("SELECT MAX(id) FROM t", "3") // auto_increment, left to the server

	// A row the table refuses names its line.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	testenv.WriteFile(t, bad, "email,code,si,price,status\nok@x,ddd,4,1,new\nlong@x,toolong,5,1,new\n")
	rows, err = g.readSampleCSV(bad)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = g.load(testCtx(t), conn, rows, false)
	var re *rowError
	if !errors.As(err, &re) || rows[re.row].line != 3 {
		t.Fatalf("err = %v, want the row on line 3", err)
	}
}

// FuzzParseCSV: any input parses or fails without a panic, and what parses writes back (every
// field quoted) to the same records.
func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\"x\"\"y\",\n", "a\r\n\"multi\nline\",", "\xef\xbb\xbfh\n\n", "\"open", "a\"b"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := parseCSV(data)
		if err != nil {
			return
		}
		var b strings.Builder
		for _, r := range recs {
			for i, fl := range r.fields {
				if i > 0 {
					b.WriteByte(',')
				}
				if fl.quoted || fl.text != "" {
					b.WriteString(`"` + strings.ReplaceAll(fl.text, `"`, `""`) + `"`)
				}
			}
			b.WriteByte('\n')
		}
		again, err := parseCSV([]byte(b.String()))
		if err != nil {
			t.Fatalf("%q parsed, its rewrite %q does not: %v", data, b.String(), err)
		}
		if len(again) != len(recs) {
			t.Fatalf("%q: %d records, rewritten %d", data, len(recs), len(again))
		}
		for i := range recs {
			for j, fl := range recs[i].fields {
				if j >= len(again[i].fields) || again[i].fields[j].text != fl.text {
					t.Fatalf("%q: record %d field %d changed in the rewrite", data, i, j)
				}
			}
		}
	})
}
