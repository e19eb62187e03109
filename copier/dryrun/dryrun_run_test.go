package dryrun

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/copier"
	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/schema"
)

func TestReadStatement(t *testing.T) {
	for _, tc := range []struct{ in, clause, ref, err string }{
		{in: "ALTER TABLE t ADD COLUMN c INT;", clause: "ALTER TABLE t ADD COLUMN c INT", ref: "ALTER TABLE t ADD COLUMN c INT"},
		{in: "CREATE UNIQUE INDEX uk ON t (email(10), n DESC) USING BTREE COMMENT 'x'",
			clause: "ALTER TABLE `t` ADD UNIQUE INDEX `uk` (`email`(10), `n` DESC) USING BTREE COMMENT 'x'",
			ref:    "CREATE UNIQUE INDEX uk ON t (email(10), n DESC) USING BTREE COMMENT 'x'"},
		{in: "CREATE INDEX k ON t (a) ALGORITHM=INPLACE LOCK=NONE", clause: "ALTER TABLE `t` ADD INDEX `k` (`a`)",
			ref: "CREATE INDEX k ON t (a) ALGORITHM=INPLACE LOCK=NONE"},
		{in: "ALTER TABLE prod.t ADD COLUMN c INT", clause: "ALTER TABLE `t` ADD COLUMN `c` INT", ref: "ALTER TABLE `t` ADD COLUMN `c` INT"},
		{in: "ALTER TABLE other ADD COLUMN c INT", err: "does not change table t"},
		{in: "DROP TABLE t", err: "not an ALTER TABLE"},
		{in: "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=????", clause: "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=????",
			ref: "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=????"}, // unreadable: passed on
	} {
		st, err := readStatement(tc.in, "t")
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want %q", tc.in, err, tc.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.in, err)
		case st.clause != tc.clause || st.ref != tc.ref:
			t.Errorf("%s:\n got %q / %q\nwant %q / %q", tc.in, st.clause, st.ref, tc.clause, tc.ref)
		}
	}
}

const dryRunTable = `CREATE TABLE t (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(60) NOT NULL,
  name VARCHAR(40),
  qty INT NOT NULL DEFAULT 0,
  price DECIMAL(10,2),
  created DATETIME NOT NULL,
  KEY k_email (email)
) DEFAULT CHARSET=utf8mb4`

// runDry runs Run for alter on dryRunTable (or ddl) with a small sample.
func runDry(t *testing.T, ddl, alter, csv string) *Verdict {
	t.Helper()
	if ddl == "" {
		ddl = dryRunTable
	}
	m := modelOf(t, ddl, alter)
	copyDB, _ := testenv.ScratchDB(t)
	refDB, _ := testenv.ScratchDB(t)
	v, err := Run(testCtx(t), copyDB, refDB, Options{Before: m.before, After: m.after, CreateTable: m.create,
		Alter: alter, Rows: 2000, Seed: 1, Flavor: m.flavor, SampleCSV: csv})
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	t.Logf("%s: %s\n%s", alter, v.Verdict, v.Detail)
	return v
}

func TestDryRunLossless(t *testing.T) { testenv.EachServer(t, testDryRunLossless) }

func testDryRunLossless(t *testing.T, _ testenv.Server) {
	for _, alter := range []string{
		"ALTER TABLE t ADD COLUMN note VARCHAR(20) NULL",
		"ALTER TABLE t MODIFY name VARCHAR(200), MODIFY qty BIGINT NOT NULL DEFAULT 0", // widening
		"CREATE INDEX k_name ON t (name)",
	} {
		t.Run(alter, func(t *testing.T) {
			v := runDry(t, "", alter, "")
			if v.Verdict != Lossless {
				t.Fatalf("verdict %s: %s", v.Verdict, v.Detail)
			}
			if v.SampleRows < 2000 || v.Writes == 0 || v.RowsPerSecond <= 0 {
				t.Errorf("sample %d rows, %d writes, %.0f rows/s", v.SampleRows, v.Writes, v.RowsPerSecond)
			}
		})
	}
}

// TestDryRunLosslessRepeated runs each lossless change 20 times in a row, each time with other
// sample rows and other concurrent writes: a race between the triggers, the chunks and the
// cut-over shows as a run that is not lossless.
func TestDryRunLosslessRepeated(t *testing.T) { testenv.EachServer(t, testDryRunLosslessRepeated) }

func testDryRunLosslessRepeated(t *testing.T, _ testenv.Server) {
	for _, alter := range []string{
		"ALTER TABLE t ADD COLUMN note VARCHAR(20) NULL",
		"ALTER TABLE t ADD INDEX k_name (name)",
		"ALTER TABLE t MODIFY name VARCHAR(200)",
	} {
		t.Run(alter, func(t *testing.T) {
			m := modelOf(t, dryRunTable, alter)
			var writes int64
			for run := range 20 {
				copyDB, _ := testenv.ScratchDB(t)
				refDB, _ := testenv.ScratchDB(t)
				v, err := Run(testCtx(t), copyDB, refDB, Options{Before: m.before, After: m.after, CreateTable: m.create,
					Alter: alter, Rows: 600, Seed: int64(run + 1), Flavor: m.flavor})
				if err != nil {
					t.Fatalf("run %d: %v", run+1, err)
				}
				if v.Verdict != Lossless || v.RowsLost+v.RowsAdded+v.RowsChanged != 0 {
					t.Fatalf("run %d: verdict %s, %d lost, %d added, %d changed: %s", run+1, v.Verdict, v.RowsLost, v.RowsAdded, v.RowsChanged, v.Detail)
				}
				if v.Writes == 0 {
					t.Errorf("run %d: no concurrent writes", run+1)
				}
				writes += v.Writes
			}
			t.Logf("20 runs lossless, %d concurrent writes in all", writes)
		})
	}
}

func TestDryRunRefused(t *testing.T) { testenv.EachServer(t, testDryRunRefused) }

func testDryRunRefused(t *testing.T, _ testenv.Server) {
	for _, tc := range []struct {
		alter, need string
		key         bool
	}{
		{"ALTER TABLE t ADD UNIQUE KEY uk_email (email)", "no two rows share (email)", false},
		{"CREATE UNIQUE INDEX uk_email ON t (email)", "no two rows share (email)", false},
		{"ALTER TABLE t MODIFY name VARCHAR(10)", "every value of name fits 10 characters", true},
		{"ALTER TABLE t MODIFY name VARCHAR(40) NOT NULL", "no NULL in name", false},
	} {
		t.Run(tc.alter, func(t *testing.T) {
			v := runDry(t, "", tc.alter, "")
			if v.Verdict != Refused {
				t.Fatalf("verdict %s, want refused (never lossy): %s", v.Verdict, v.Detail)
			}
			if !strings.Contains(v.Detail, tc.need) || !strings.Contains(v.Detail, "plain ALTER fails too") {
				t.Errorf("detail does not say what the data must look like:\n%s", v.Detail)
			}
			if tc.key && (len(v.Examples) == 0 || !strings.HasPrefix(v.Examples[0], "id=")) {
				t.Errorf("no key of the row that stopped the copy: %q", v.Examples)
			}
			if v.EdgeRows == 0 {
				t.Error("no edge rows")
			}
		})
	}
}

func TestDryRunCSV(t *testing.T) { testenv.EachServer(t, testDryRunCSV) }

func testDryRunCSV(t *testing.T, _ testenv.Server) {
	dir := t.TempDir()
	good := filepath.Join(dir, "t.csv")
	testenv.WriteFile(t, good, "email,name,created\na@x,Ann,2024-01-01 10:00:00\nb@x,,2024-01-02 11:00:00\n")
	v := runDry(t, "", "ALTER TABLE t ADD COLUMN note VARCHAR(20) NULL", good)
	if v.Verdict != Lossless || !strings.Contains(v.Detail, "2 from "+good) {
		t.Fatalf("verdict %s: %s", v.Verdict, v.Detail)
	}
	bad := filepath.Join(dir, "bad.csv")
	testenv.WriteFile(t, bad, "email,name,created\na@x,Ann,2024-01-01\nb@x,Bob,not a date\n")
	m := modelOf(t, dryRunTable, "")
	copyDB, _ := testenv.ScratchDB(t)
	refDB, _ := testenv.ScratchDB(t)
	_, err := Run(testCtx(t), copyDB, refDB, Options{Before: m.before, After: m.after, CreateTable: m.create,
		Alter: "ALTER TABLE t ADD COLUMN c INT", SampleCSV: bad, Flavor: m.flavor})
	if err == nil || !strings.Contains(err.Error(), bad+":3:") {
		t.Fatalf("err = %v, want one naming %s:3", err, bad)
	}
}

// FuzzReadStatement: any statement text is read or refused without a panic.
func FuzzReadStatement(f *testing.F) {
	for _, s := range []string{"ALTER TABLE t ADD c INT", "CREATE INDEX i ON t (a(3) DESC)", "ALTER TABLE db.t DROP x", "CREATE", "ALTER TABLE t ADD UNIQUE ((lower(a)))"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := readStatement(s, "t")
		if err == nil && (st == nil || st.clause == "" && strings.TrimSpace(s) != "" && strings.Trim(s, "; \t\n") != "") {
			t.Fatalf("%q: no statement and no error", s)
		}
	})
}

func TestJudge(t *testing.T) {
	refused := &copier.Refusal{Reason: "a row does not fit", Key: "id=7"}
	refErr := errors.New("Error 1062: Duplicate entry")
	g, err := newGenerator(writerTable(), schema.Flavor{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	dup := g.fresh()
	d := &dryRun{g: g, edges: []edgeRow{{sampleRow: dup, kind: edgeDuplicate, need: "no two rows share (email)"},
		{sampleRow: g.fresh(), kind: edgeAtLimit, passes: true, need: "ignored: it passes"}}}
	for _, tc := range []struct {
		name    string
		runErr  error
		res     *copier.Result
		refErr  error
		verdict string
		detail  []string
	}{
		{"both refuse", refused, &copier.Result{}, refErr, Refused, []string{"plain ALTER fails too", "(row id=7)", "no two rows share (email)"}},
		{"only the ALTER refuses", nil, &copier.Result{CutOver: true}, refErr, Lossy, []string{"the copier completed a change the plain ALTER refuses"}},
		{"only the ALTER refuses, no cut-over", nil, &copier.Result{}, refErr, Failed, []string{"without cutting over"}},
		{"only the copier refuses", fmt.Errorf("wrapped: %w", refused), &copier.Result{}, nil, Refused, []string{"the plain ALTER succeeds", "stricter"}},
		{"copier fails", errors.New("lost connection"), &copier.Result{}, nil, Failed, []string{"the copier failed: lost connection"}},
		{"no cut-over", nil, &copier.Result{}, nil, Failed, []string{"without cutting over"}},
	} {
		v := &Verdict{}
		if err := d.judge(context.Background(), v, tc.runErr, tc.res, tc.refErr, nil, nil, "t"); err != nil {
			t.Fatal(err)
		}
		if v.Verdict != tc.verdict {
			t.Errorf("%s: verdict %s, want %s", tc.name, v.Verdict, tc.verdict)
		}
		for _, s := range tc.detail {
			if !strings.Contains(v.Detail, s) {
				t.Errorf("%s: detail lacks %q:\n%s", tc.name, s, v.Detail)
			}
		}
		if strings.Contains(v.Detail, "ignored") {
			t.Errorf("%s: a passing edge row's need is listed", tc.name)
		}
		if tc.runErr != nil && errors.Is(tc.runErr, refused) && !slices.Equal(v.Examples, []string{"id=7"}) {
			t.Errorf("%s: examples %q", tc.name, v.Examples)
		}
		if tc.verdict == Lossy && !slices.Equal(v.Examples, []string{"id=1"}) {
			t.Errorf("%s: examples %q, want the failing edge row's key", tc.name, v.Examples)
		}
	}
}
