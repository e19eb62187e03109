package migrations

import (
	"database/sql"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

var composeNow = time.Date(2025, 3, 4, 5, 6, 7, 890_000_000, time.FixedZone("CET", 3600))

// composeIn discovers a set from files (under db/migrations) and composes a migration in it.
func composeIn(t *testing.T, format Format, files map[string]string, up, down []string) ([]NewFile, error) {
	t.Helper()
	set, err := Discover(mapFS(files), dir, format)
	if err != nil {
		t.Fatal(err)
	}
	return set.Compose("add email", up, down, composeNow)
}

func TestComposeNames(t *testing.T) {
	const goose, dbmate = "-- +goose Up\nSELECT 1;\n", "-- migrate:up\nSELECT 1;\n"
	cases := []struct {
		name   string
		format Format
		files  []string
		want   []string // paths under db/migrations
	}{
		{"flyway next", Flyway, []string{"V1__a.sql", "V2__b.sql", "R__views.sql", "U2__undo.sql"}, []string{"V3__add_email.sql"}},
		{"flyway parts", Flyway, []string{"V1.9__a.sql", "V1.10__b.sql", "V1.2__c.sql"}, []string{"V1.11__add_email.sql"}},
		{"flyway underscores", Flyway, []string{"V1_1__a.sql", "V1_09__b.sql"}, []string{"V1_10__add_email.sql"}},
		{"flyway padded", Flyway, []string{"V006__a.sql", "V007__b.sql"}, []string{"V008__add_email.sql"}},
		{"flyway baseline and subdirectory", Flyway, []string{"V1__a.sql", "B5__base.sql", "sub/V4__c.sql"}, []string{"V6__add_email.sql"}},
		{"flyway timestamps", Flyway, []string{"V20240101120000__a.sql"}, []string{"V20250304040607__add_email.sql"}},
		{"golang-migrate padded", GolangMigrate, []string{"0008_a.up.sql", "0009_b.up.sql", "0009_b.down.sql"},
			[]string{"0010_add_email.up.sql", "0010_add_email.down.sql"}},
		{"golang-migrate timestamps", GolangMigrate, []string{"20240101120000_a.up.sql"},
			[]string{"20250304040607_add_email.up.sql", "20250304040607_add_email.down.sql"}},
		{"golang-migrate timestamp in the future", GolangMigrate, []string{"20991231235959_a.up.sql"},
			[]string{"20991231235960_add_email.up.sql", "20991231235960_add_email.down.sql"}},
		{"golang-migrate unix time", GolangMigrate, []string{"1700000000_a.up.sql"},
			[]string{"1700000001_add_email.up.sql", "1700000001_add_email.down.sql"}},
		{"goose sequential", Goose, []string{"00001_a.sql", "00002_b.sql"}, []string{"00003_add_email.sql"}},
		{"goose timestamps", Goose, []string{"20240101120000_a.sql"}, []string{"20250304040607_add_email.sql"}},
		{"dbmate timestamps", Dbmate, []string{"20240101120000_a.sql"}, []string{"20250304040607_add_email.sql"}},
		{"dbmate minutes", Dbmate, []string{"202401011200_a.sql"}, []string{"202503040406_add_email.sql"}},
		{"dbmate milliseconds", Dbmate, []string{"20240101120000123_a.sql"}, []string{"20250304040607890_add_email.sql"}},
		{"plain", Plain, []string{"001_init.sql", "2-users.sql", "notes.sql"}, []string{"3_add_email.sql"}},
		{"plain overflowing its width", Plain, []string{"1_a.sql", "9_b.sql"}, []string{"10_add_email.sql"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for _, f := range tc.files {
				files[f] = map[Format]string{Goose: goose, Dbmate: dbmate}[tc.format]
			}
			got, err := composeIn(t, tc.format, files, []string{"ALTER TABLE users ADD email TEXT"}, []string{"ALTER TABLE users DROP email"})
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, f := range got {
				paths = append(paths, strings.TrimPrefix(f.Path, dir+"/"))
			}
			if !slices.Equal(paths, tc.want) {
				t.Errorf("files %q, want %q", paths, tc.want)
			}
		})
	}
}

func TestComposeEmptySet(t *testing.T) {
	for format, want := range map[Format]string{
		Flyway: "V1__add_email.sql", GolangMigrate: "1_add_email.up.sql", Goose: "20250304040607_add_email.sql",
		Dbmate: "20250304040607_add_email.sql", Plain: "1_add_email.sql",
	} {
		set := &Set{Dir: "db/migrations/", Format: format}
		got, err := set.Compose("  add \t email ", []string{"SELECT 1"}, nil, composeNow)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if len(got) != 1 || got[0].Path != "db/migrations/"+want {
			t.Errorf("%s: %+v, want one file %s", format, got, want)
		}
	}
}

const composeTrigger = `CREATE TRIGGER comments_ai AFTER INSERT ON comments FOR EACH ROW
BEGIN
  IF NEW.post_id IS NOT NULL THEN
    UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id;
  END IF;
END`

func TestComposeContent(t *testing.T) {
	up := []string{"ALTER TABLE users ADD email TEXT", composeTrigger, "CREATE INDEX ix ON users (email)"}
	down := []string{"DROP INDEX ix ON users", "DROP TRIGGER comments_ai", "ALTER TABLE users DROP email"}
	delimited := "ALTER TABLE users ADD email TEXT;\n\nDELIMITER $$\n" + composeTrigger + "$$\nDELIMITER ;\n\nCREATE INDEX ix ON users (email);\n"
	plainDown := "DROP INDEX ix ON users;\n\nDROP TRIGGER comments_ai;\n\nALTER TABLE users DROP email;\n"
	bare := "ALTER TABLE users ADD email TEXT;\n\n" + composeTrigger + ";\n\nCREATE INDEX ix ON users (email);\n"
	cases := []struct {
		format Format
		want   []string
	}{
		{Flyway, []string{delimited}},
		{Plain, []string{delimited}},
		{GolangMigrate, []string{bare, plainDown}},
		{Dbmate, []string{"-- migrate:up\n" + bare + "\n-- migrate:down\n" + plainDown}},
		{Goose, []string{"-- +goose Up\nALTER TABLE users ADD email TEXT;\n\n-- +goose StatementBegin\n" + composeTrigger +
			";\n-- +goose StatementEnd\n\nCREATE INDEX ix ON users (email);\n\n-- +goose Down\n" + plainDown}},
	}
	for _, tc := range cases {
		set := &Set{Dir: "db", Format: tc.format}
		got, err := set.Compose("x", up, down, composeNow)
		if err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %d files, want %d", tc.format, len(got), len(tc.want))
		}
		for i := range got {
			if string(got[i].Content) != tc.want[i] {
				t.Errorf("%s: %s\n got:\n%s\nwant:\n%s", tc.format, got[i].Path, got[i].Content, tc.want[i])
			}
		}
	}
}

// composeStatements exercise what a statement can hold: stored programs of every kind, a ";"
// and "$$" inside strings, comments, and a last line that ends in a comment.
var composeStatements = []string{
	"CREATE TABLE audit (\n  id INT PRIMARY KEY,\n  note VARCHAR(100) DEFAULT 'a;b'\n)",
	composeTrigger,
	"CREATE PROCEDURE archive(IN days INT)\nBEGIN\n  DECLARE n INT DEFAULT 0;\n  CASE WHEN days > 0 THEN SET n = days; ELSE SET n = 1; END CASE;\n" +
		"  WHILE n > 0 DO\n    DELETE FROM audit WHERE note = 'x$$y;' LIMIT 1;\n    SET n = n - 1;\n  END WHILE;\nEND",
	"CREATE DEFINER=`app`@`%` FUNCTION f(x INT) RETURNS INT DETERMINISTIC\nBEGIN\n  RETURN CASE x WHEN 1 THEN 2 ELSE 3 END;\nEND",
	// It starts tomorrow: MySQL's event scheduler is on by default and would otherwise run it at
	// once, emptying audit while TestComposeReplays counts its row.
	"CREATE EVENT purge_audit ON SCHEDULE EVERY 1 DAY STARTS CURRENT_TIMESTAMP + INTERVAL 1 DAY DO\nBEGIN\n  DELETE FROM audit;\nEND",
	"INSERT INTO audit (id, note) VALUES (1, 'line one;\nline two')",
	"UPDATE audit SET note = 'x' -- reset\n  WHERE id = 1 -- only the first",
	"-- a leading comment\nALTER TABLE audit ADD COLUMN at DATETIME",
	"CREATE VIEW v AS SELECT id FROM audit",
}

// TestComposeRoundTrip is the property Compose promises: in every format, Discover and Split on
// the result read back exactly the up statements, and never replay the down ones.
func TestComposeRoundTrip(t *testing.T) {
	want, err := expected(composeStatements, "up")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(want[6], "WHERE id = 1") || strings.HasPrefix(want[7], "--") {
		t.Fatalf("comments should not be part of the expected statements: %q", want)
	}
	down := []string{"DROP VIEW v", "DROP EVENT purge_audit", "DROP FUNCTION f", "DROP PROCEDURE archive", "DROP TRIGGER comments_ai", "DROP TABLE audit"}
	for _, format := range Formats {
		t.Run(string(format), func(t *testing.T) {
			fsys := fixtureFS(t, format)
			set, err := Discover(fsys, "db/migrations", format)
			if err != nil {
				t.Fatal(err)
			}
			files, err := set.Compose("audit trail", composeStatements, down, composeNow)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if _, ok := fsys[f.Path]; ok != f.Replaces {
					t.Fatalf("%s: exists %v, replaces %v", f.Path, ok, f.Replaces)
				}
				fsys[f.Path] = &fstest.MapFile{Data: f.Content}
			}
			again, err := Discover(fsys, "db/migrations", Auto)
			if err != nil {
				t.Fatal(err)
			}
			if again.Format != format {
				t.Errorf("detected as %s", again.Format)
			}
			if len(again.Ignored) != len(set.Ignored) {
				t.Errorf("ignored %+v, was %+v", again.Ignored, set.Ignored)
			}
			var last *File
			for _, f := range again.Files {
				if f.Kind != Repeatable {
					last = f
				}
			}
			if last == nil || last.Path != files[0].Path || len(again.Files) != len(set.Files)+1 {
				t.Fatalf("the new migration %s does not run last: %v", files[0].Path, paths(again))
			}
			stmts, notes, err := last.Split()
			if err != nil || len(notes) > 0 {
				t.Fatalf("split: %v %+v", err, notes)
			}
			var got []string
			for _, s := range stmts {
				got = append(got, s.Text)
			}
			if !slices.Equal(got, want) {
				t.Errorf("read back\n%q\nwant\n%q\nfile:\n%s", got, want, last.Content)
			}
			if format == GolangMigrate {
				if len(files) != 2 || !strings.HasSuffix(files[1].Path, ".down.sql") {
					t.Fatalf("files %v, want an up and a down file", files)
				}
				df := &File{Path: files[1].Path, Format: format, Content: files[1].Content}
				if ds, err := df.Statements(); err != nil || len(ds) != len(down) {
					t.Errorf("down file reads as %d statements (%v), want %d", len(ds), err, len(down))
				}
			}
		})
	}
}

// fixtureFS copies testdata/formats/<format> into memory, rooted like the fixture's repository.
func fixtureFS(t *testing.T, format Format) fstest.MapFS {
	t.Helper()
	root := path.Join("..", "testdata", "formats", string(format))
	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS(root), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path.Join(root, p))
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

func TestComposeErrors(t *testing.T) {
	v1, _ := ParseVersion("1")
	cases := []struct {
		name string
		set  *Set
		desc string
		up   []string
		err  string
	}{
		{"no up", &Set{Format: Flyway}, "x", nil, "compose a migration: no up statements"},
		{"unknown format", &Set{Format: Auto}, "x", []string{"SELECT 1"}, `compose a migration: unknown format "auto"`},
		{"empty description", &Set{Format: Flyway}, " \t", []string{"SELECT 1"}, "compose a migration: the description is empty"},
		{"slash in description", &Set{Format: Flyway}, "a/b", []string{"SELECT 1"},
			`compose a migration: the description "a/b" holds '/', which has no place in a file name`},
		{"two statements in one", &Set{Format: GolangMigrate}, "x", []string{"SELECT 1; SELECT 2"},
			`compose a migration: up statement 1 is not one SQL statement: "SELECT 1; SELECT 2"`},
		{"empty statement", &Set{Format: GolangMigrate}, "x", []string{"SELECT 1", " -- nothing"},
			`compose a migration: up statement 2 is not one SQL statement: "-- nothing"`},
		{"collision", &Set{Dir: "db", Format: Plain, Files: []*File{{Path: "db/2_X.sql", Version: v1}}}, "x", []string{"SELECT 1"},
			"compose a migration: db/2_x.sql already exists"},
		{"dbmate name order", &Set{Dir: "db", Format: Dbmate, Files: []*File{{Path: "db/9_a.sql", Version: mustVersion(t, "9")}}},
			"x", []string{"SELECT 1"}, "compose a migration: db/10_x.sql would not run after db/9_a.sql; rename the migrations to one numbering"},
		{"golang-migrate version too large", &Set{Format: GolangMigrate, Files: []*File{{Path: "18446744073709551615_a.up.sql",
			Version: mustVersion(t, "18446744073709551615")}}}, "x", []string{"SELECT 1"},
			"compose a migration: 20250304040607890000_x.up.sql would not be read as a golang-migrate migration"},
		{"goose annotation inside a statement", &Set{Format: Goose}, "x", []string{"CREATE TABLE t (\n-- +goose Down\na INT)"},
			`compose a migration: "CREATE TABLE t ( -- +goose Down a INT)" cannot be written so that goose reads it back as one statement`},
		{"dbmate marker inside a statement", &Set{Format: Dbmate}, "x", []string{"SELECT 1", "SELECT\n-- migrate:down\n2"},
			`compose a migration: "SELECT -- migrate:down 2" cannot be written so that dbmate reads it back as one statement`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files, err := tc.set.Compose(tc.desc, tc.up, nil, composeNow)
			if err == nil || err.Error() != tc.err {
				t.Errorf("error %v, want %q (files %v)", err, tc.err, files)
			}
		})
	}
}

func mustVersion(t *testing.T, s string) Version {
	t.Helper()
	v, err := ParseVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestComposeDownErrors(t *testing.T) {
	set := &Set{Format: Goose}
	_, err := set.Compose("x", []string{"SELECT 1"}, []string{"SELECT\n-- +goose StatementEnd\n1"}, composeNow)
	want := `compose a migration: the down section of 20250304040607_x.sql does not split: -- +goose StatementEnd without StatementBegin`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestComposeReplays runs each format's composed migration on the test server the way its tool
// does: golang-migrate and dbmate send the whole section in one multi-statement query, so the
// server itself must read each BEGIN … END whole; the others go statement by statement as split.
func TestComposeReplays(t *testing.T) { testenv.EachServer(t, testComposeReplays) }

func testComposeReplays(t *testing.T, _ testenv.Server) {
	stmts := append([]string{"CREATE TABLE comments (post_id INT)", "CREATE TABLE posts (id INT, comment_count INT)"}, composeStatements...)
	for i := range stmts {
		stmts[i] = StripDefiner(stmts[i]) // the test account may not name another definer
	}
	for _, format := range Formats {
		t.Run(string(format), func(t *testing.T) {
			_, name := testenv.ScratchDB(t)
			cfg, err := mysql.ParseDSN(testenv.DSN(t))
			if err != nil {
				t.Fatal(err)
			}
			cfg.DBName, cfg.MultiStatements = name, true
			db, err := sql.Open("mysql", cfg.FormatDSN())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			files, err := (&Set{Dir: "db", Format: format}).Compose("audit", stmts, []string{"DROP TABLE audit"}, composeNow)
			if err != nil {
				t.Fatal(err)
			}
			switch content := string(files[0].Content); format {
			case GolangMigrate, Dbmate:
				up, _, _ := strings.Cut(strings.TrimPrefix(content, "-- migrate:up\n"), "-- migrate:down")
				if _, err := db.Exec(up); err != nil {
					t.Fatalf("the server rejects the file: %v\n%s", err, up)
				}
			default:
				f := &File{Path: files[0].Path, Format: format, Content: files[0].Content}
				split, err := f.Statements()
				if err != nil {
					t.Fatal(err)
				}
				for _, st := range split {
					if _, err := db.Exec(st.Text); err != nil {
						t.Fatalf("the server rejects %q: %v", st.Text, err)
					}
				}
			}
			var objects int
			err = db.QueryRow(`SELECT (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = DATABASE())
				+ (SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE())
				+ (SELECT COUNT(*) FROM information_schema.events WHERE event_schema = DATABASE())
				+ (SELECT COUNT(*) FROM information_schema.views WHERE table_schema = DATABASE())
				+ (SELECT COUNT(*) FROM audit)`).Scan(&objects)
			if err != nil || objects != 6 {
				t.Errorf("2 routines, a trigger, an event, a view and a row make 6; got %d (%v)", objects, err)
			}
		})
	}
}

// FuzzCompose feeds statements through Compose in every format: it must never panic, and what it
// writes must read back as the statements asked for, with the new migration last.
func FuzzCompose(f *testing.F) {
	for _, s := range composeStatements {
		f.Add(s, "SELECT 1", uint8(0))
	}
	f.Add("CREATE TABLE t (\n-- +goose Down\na INT)", "DELIMITER $$", uint8(2))
	f.Add("SELECT '$$' -- x", "SELECT 1; SELECT 2", uint8(1))
	f.Fuzz(func(t *testing.T, a, b string, which uint8) {
		format := Formats[int(which)%len(Formats)]
		up := []string{a, b}
		want, err := expected(up, "up")
		files, cerr := (&Set{Dir: "db", Format: format}).Compose("fuzz", up, []string{b}, composeNow)
		if cerr != nil {
			if strings.Contains(cerr.Error(), "\n") {
				t.Fatalf("multi-line error %q", cerr)
			}
			return
		}
		if err != nil {
			t.Fatalf("Compose accepted %q, which is not one statement each: %v", up, err)
		}
		fsys := fstest.MapFS{}
		for _, nf := range files {
			fsys[nf.Path] = &fstest.MapFile{Data: nf.Content}
		}
		set, err := Discover(fsys, "db", format)
		if err != nil || len(set.Files) != 1 {
			t.Fatalf("discover: %v %+v", err, set)
		}
		stmts, err := set.Files[0].Statements()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range stmts {
			got = append(got, s.Text)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("read back %q, want %q\n%s", got, want, files[0].Content)
		}
	})
}

// TestComposeLiquibaseAppends: changelogs whose names carry no number get the changeset
// appended to the last one, with its rollback, and the result reads back as one new changeset.
func TestComposeLiquibaseAppends(t *testing.T) {
	fsys := fstest.MapFS{"db/changelog.sql": {Data: []byte("--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id INT);")}}
	set, err := Discover(fsys, "db", Auto)
	if err != nil {
		t.Fatal(err)
	}
	up := []string{"CREATE TABLE audit (id INT)", composeTrigger}
	files, err := set.Compose("audit", up, []string{"DROP TRIGGER comments_ai", "DROP TABLE audit"}, composeNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Path != "db/changelog.sql" || !files[0].Replaces {
		t.Fatalf("files %+v", files)
	}
	content := string(files[0].Content)
	for _, want := range []string{"CREATE TABLE t (id INT);\n\n--changeset schema-guard:20250304040607-audit endDelimiter:$$\n",
		"--rollback DROP TRIGGER comments_ai;\n--rollback DROP TABLE audit;\n"} {
		if !strings.Contains(content, want) {
			t.Errorf("no %q in\n%s", want, content)
		}
	}
	fsys["db/changelog.sql"] = &fstest.MapFile{Data: files[0].Content}
	again, err := Discover(fsys, "db", Liquibase)
	if err != nil || len(again.Files) != 2 || again.Files[0].Checksum != set.Files[0].Checksum {
		t.Fatalf("read back: %v %+v", err, again)
	}
	stmts, err := again.Files[1].Statements()
	if err != nil || len(stmts) != 2 || !strings.HasPrefix(stmts[1].Text, "CREATE TRIGGER") {
		t.Errorf("new changeset reads as %+v (%v)", stmts, err)
	}
}
