package migrations

import (
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/schema-guard/schema-guard/finding"
)

const dir = "db/migrations"

// mapFS puts files (name → content) under db/migrations.
func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[path.Join(dir, name)] = &fstest.MapFile{Data: []byte(content)}
	}
	return fsys
}

func paths(set *Set) []string {
	var out []string
	for _, f := range set.Files {
		out = append(out, strings.TrimPrefix(f.Path, dir+"/"))
	}
	return out
}

func ignoredPaths(set *Set) []string {
	var out []string
	for _, f := range set.Ignored {
		out = append(out, strings.TrimPrefix(f.File, dir+"/"))
	}
	return out
}

func TestDiscoverOrder(t *testing.T) {
	const goose = "-- +goose Up\nSELECT 1;\n"
	const dbmate = "-- migrate:up\nSELECT 1;\n"
	cases := []struct {
		name    string
		format  Format // Auto to check detection too
		want    Format
		files   map[string]string
		order   []string
		ignored []string
	}{
		{
			name: "flyway", format: Auto, want: Flyway,
			files: map[string]string{
				"V2__b.sql": "", "V1.10__d.sql": "", "V1.2__c.sql": "", "V1__a.sql": "", "V1_1__x.sql": "",
				"R__z_views.sql": "", "R__a_funcs.sql": "", "U2__undo.sql": "", "B1.2__base.sql": "",
				"sub/deeper/V1.3__nested.sql": "", "V3_missing_separator.sql": "", "v4__lower.sql": "",
				"R__.sql": "", "notes.txt": "", "sub/README.md": "",
			},
			order: []string{"V1__a.sql", "V1_1__x.sql", "V1.2__c.sql", "B1.2__base.sql",
				"sub/deeper/V1.3__nested.sql", "V1.10__d.sql", "V2__b.sql", "R__a_funcs.sql", "R__z_views.sql"},
			ignored: []string{"R__.sql", "V3_missing_separator.sql", "v4__lower.sql"},
		},
		{
			name: "flyway equal versions kept", format: Flyway, want: Flyway,
			files: map[string]string{"V1.0__b.sql": "", "V1__a.sql": "", "V01__c.sql": ""},
			order: []string{"V01__c.sql", "V1.0__b.sql", "V1__a.sql"},
		},
		{
			name: "golang-migrate", format: Auto, want: GolangMigrate,
			files: map[string]string{
				"10_c.up.sql": "", "10_c.down.sql": "", "2_b.up.sql": "", "2_b.down.sql": "",
				"1_a.up.sql": "", "0001_a_again.up.sql": "", "3.up.sql": "", "schema.sql": "",
				"sub/4_nested.up.sql": "", "99999999999999999999_huge.up.sql": "",
			},
			order:   []string{"0001_a_again.up.sql", "1_a.up.sql", "2_b.up.sql", "10_c.up.sql"},
			ignored: []string{"3.up.sql", "99999999999999999999_huge.up.sql", "schema.sql"},
		},
		{
			name: "goose", format: Auto, want: Goose,
			files: map[string]string{
				"20240102000000_b.sql": goose, "3_a.sql": goose, "20240101000000_a.sql": goose,
				"0_zero.sql": goose, "seed.sql": "", "00004_go.go": "package m", "helpers.go": "package m",
				"00005_x_test.go": "package m", "sub/5_nested.sql": goose,
			},
			order:   []string{"3_a.sql", "20240101000000_a.sql", "20240102000000_b.sql"},
			ignored: []string{"00004_go.go", "0_zero.sql", "seed.sql"},
		},
		{
			name: "dbmate sorts by name", format: Auto, want: Dbmate,
			files: map[string]string{
				"20240102_b.sql": dbmate, "20240101_a.sql": dbmate, "2_x.sql": dbmate, "10_y.sql": dbmate,
				"schema.sql": "", "sub/1_nested.sql": dbmate,
			},
			order:   []string{"10_y.sql", "20240101_a.sql", "20240102_b.sql", "2_x.sql"},
			ignored: []string{"schema.sql"},
		},
		{
			name: "plain", format: Auto, want: Plain,
			files: map[string]string{
				"10.sql": "", "2-users.sql": "", "001_init.sql": "", "02_again.sql": "", "seed.sql": "",
				"sub/3_nested.sql": "", "README.md": "",
			},
			order:   []string{"001_init.sql", "02_again.sql", "2-users.sql", "10.sql"},
			ignored: []string{"seed.sql"},
		},
		{
			name: "format given: plain reads flyway names by number", format: Plain, want: Plain,
			files: map[string]string{"V1__a.sql": "", "1_a.sql": ""},
			order: []string{"1_a.sql"}, ignored: []string{"V1__a.sql"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set, err := Discover(mapFS(tc.files), dir, tc.format)
			if err != nil {
				t.Fatal(err)
			}
			if set.Format != tc.want || set.Dir != dir {
				t.Errorf("format, dir = %s, %s; want %s, %s", set.Format, set.Dir, tc.want, dir)
			}
			if got := paths(set); !slices.Equal(got, tc.order) {
				t.Errorf("order:\n got %q\nwant %q", got, tc.order)
			}
			if got := ignoredPaths(set); !slices.Equal(got, tc.ignored) {
				t.Errorf("ignored:\n got %q\nwant %q", got, tc.ignored)
			}
			for _, f := range set.Ignored {
				if f.Rule != finding.IgnoredFile || f.Severity != finding.Warning || f.Line != 1 || f.Message == "" {
					t.Errorf("bad ignored-file finding %+v", f)
				}
			}
		})
	}
}

func TestDiscoverFileFields(t *testing.T) {
	fsys := mapFS(map[string]string{
		"V1_2__add_email.sql": "\ufeffSELECT 1;", "R__all_views.sql": "", "B3__base_line.sql": "",
	})
	set, err := Discover(fsys, dir+"/", Auto)
	if err != nil {
		t.Fatal(err)
	}
	want := []File{
		{Path: "db/migrations/V1_2__add_email.sql", Format: Flyway, Kind: Versioned, Description: "add email",
			Content: []byte("\ufeffSELECT 1;"), Checksum: "a35432496aa3b58f1818bc547ae78c87d1a5e702dcc7f28e2e1fdb38ff3bbf52"},
		{Path: "db/migrations/B3__base_line.sql", Format: Flyway, Kind: Baseline, Description: "base line"},
		{Path: "db/migrations/R__all_views.sql", Format: Flyway, Kind: Repeatable, Description: "all views"},
	}
	if len(set.Files) != len(want) {
		t.Fatalf("got %d files, want %d", len(set.Files), len(want))
	}
	for i, f := range set.Files {
		w := want[i]
		if f.Path != w.Path || f.Format != w.Format || f.Kind != w.Kind || f.Description != w.Description {
			t.Errorf("file %d = %+v, want %+v", i, f, w)
		}
	}
	if v := set.Files[0].Version.String(); v != "1.2" {
		t.Errorf("version = %q, want 1.2", v)
	}
	if !set.Files[2].Version.IsZero() {
		t.Errorf("repeatable has version %q", set.Files[2].Version)
	}
	// The checksum is of the raw bytes, BOM included.
	if got := set.Files[0].Checksum; got != want[0].Checksum {
		t.Errorf("checksum = %s, want %s", got, want[0].Checksum)
	}
	if set.Files[1].Checksum != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("checksum of empty file = %s", set.Files[1].Checksum)
	}
	if string(set.Files[0].Content) != "\ufeffSELECT 1;" {
		t.Errorf("content = %q", set.Files[0].Content)
	}
}

func TestDiscoverErrors(t *testing.T) {
	cases := []struct {
		name   string
		fsys   fstest.MapFS
		dir    string
		format Format
		want   string
	}{
		{"missing dir", mapFS(nil), "nope/migrations", Auto, `migrations directory "nope/migrations" does not exist`},
		{"file not dir", mapFS(map[string]string{"1.sql": ""}), "db/migrations/1.sql", Auto,
			`migrations directory "db/migrations/1.sql" is not a directory`},
		{"empty", fstest.MapFS{dir: {Mode: fs.ModeDir | 0o755}}, dir, Auto,
			`migrations directory "db/migrations" holds no .sql migration files`},
		{"no sql", mapFS(map[string]string{"README.md": ""}), dir, Auto,
			`migrations directory "db/migrations" holds no .sql migration files (it has 1 other files, such as README.md)`},
		{"no sql, format given", mapFS(map[string]string{"README.md": ""}), dir, Goose,
			`migrations directory "db/migrations" holds no .sql migration files (it has 1 other files, such as README.md)`},
		{"sql only in a subdirectory", mapFS(map[string]string{"sub/1_a.sql": ""}), dir, Auto,
			`migrations directory "db/migrations": the .sql files are in subdirectories (sub/1_a.sql), where no format but Flyway, Liquibase, Prisma and Temporal look; if your tool orders them by a number in the name, set format: custom with a pattern that names the version, e.g. pattern: '^sub/(?P<version>\d+)_(?P<description>.+)\.sql$'`},
		{"prisma folders, format given", mapFS(map[string]string{"01_init/migration.sql": "", "02_more/migration.sql": ""}), dir, Plain,
			`migrations directory "db/migrations": format plain recognises none of its 2 .sql files (such as 01_init/migration.sql); the .sql files are in subdirectories (01_init/migration.sql): is this Prisma? set format: prisma`},
		{"prisma folders one level too deep", mapFS(map[string]string{"migrations/01_init/migration.sql": ""}), dir, Auto,
			`migrations directory "db/migrations": the .sql files are in subdirectories (migrations/01_init/migration.sql): is this Prisma? point migrations at db/migrations/migrations`},
		{"nothing recognisable", mapFS(map[string]string{"schema.sql": "", "seed.sql": ""}), dir, Auto,
			`migrations directory "db/migrations": cannot tell which tool its .sql files are for (schema.sql matches no format schema-guard knows); if your tool orders them by a number in the name, set format: custom with a pattern that names the version, e.g. pattern: '^(?P<version>\d+)_(?P<description>.+)\.sql$'`},
		// A check that would replay nothing fails instead (issue 9): Authelia's names.
		{"none recognised by the format given", mapFS(map[string]string{"V0001.Initial_Schema.up.sql": "", "V0001.Initial_Schema.down.sql": ""}), dir, GolangMigrate,
			`migrations directory "db/migrations": format golang-migrate recognises none of its 2 .sql files (V0001.Initial_Schema.down.sql: V0001.Initial_Schema.down.sql is not a golang-migrate migration name (<version>_<title>.up.sql): golang-migrate would silently skip it); if your tool orders them by a number in the name, set format: custom with a pattern that names the version, e.g. pattern: '^V(?P<version>\d+)\.(?P<description>.+)\.up\.sql$'`},
		{"none recognised, detected", mapFS(map[string]string{"V0001.Initial_Schema.up.sql": ""}), dir, Auto,
			`migrations directory "db/migrations": cannot tell which tool its .sql files are for (V0001.Initial_Schema.up.sql matches no format schema-guard knows); if your tool orders them by a number in the name, set format: custom with a pattern that names the version, e.g. pattern: '^V(?P<version>\d+)\.(?P<description>.+)\.up\.sql$'`},
		{"nested only, flyway given", mapFS(map[string]string{"a/b.sql": ""}), dir, Flyway,
			`migrations directory "db/migrations": format flyway recognises none of its 1 .sql files (a/b.sql: b.sql is not a Flyway migration name (V<version>__<description>.sql): Flyway would silently skip it); the .sql files are in subdirectories (a/b.sql), where no format but Flyway, Liquibase, Prisma and Temporal look; if your tool orders them by a number in the name, set format: custom with a pattern that names the version, e.g. pattern: '^(?P<version>\d+)_(?P<description>.+)\.sql$'`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Discover(tc.fsys, tc.dir, tc.format)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDetectByContent(t *testing.T) {
	for _, tc := range []struct {
		content string
		want    Format
	}{
		{"-- +goose Up\nSELECT 1;", Goose},
		{"SELECT 0;\r\n  -- +goose UP\r\n", Goose},
		{"-- migrate:up\nSELECT 1;", Dbmate},
		{"--migrate:up transaction:false\n", Dbmate},
		{"-- +goose StatementBegin\n-- migrate:upgrade\n", Plain},
	} {
		set, err := Discover(mapFS(map[string]string{"1_a.sql": "", "2_b.sql": tc.content}), dir, Auto)
		if err != nil {
			t.Fatal(err)
		}
		if set.Format != tc.want {
			t.Errorf("%q detected as %s, want %s", tc.content, set.Format, tc.want)
		}
	}
}

// TestFixtureOrder checks Discover against the order.txt of every fixture in testdata/formats,
// both detecting the format and being told it.
func TestFixtureOrder(t *testing.T) {
	for _, format := range Formats {
		t.Run(string(format), func(t *testing.T) {
			root := path.Join("..", "testdata", "formats", string(format))
			order, err := os.ReadFile(path.Join(root, "order.txt"))
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Fields(string(order))
			for _, asked := range []Format{Auto, format} {
				set, err := Discover(os.DirFS(root), dir, asked)
				if err != nil {
					t.Fatal(err)
				}
				if set.Format != format {
					t.Errorf("format = %s, want %s", set.Format, format)
				}
				var got []string
				for _, f := range set.Files {
					got = append(got, f.Key())
				}
				if !slices.Equal(got, want) {
					t.Errorf("order:\n got %q\nwant %q", got, want)
				}
				if len(set.Ignored) > 0 {
					t.Errorf("unexpected warnings: %+v", set.Ignored)
				}
			}
		})
	}
}

func TestFlywayCallbacksAreNamed(t *testing.T) {
	fsys := fstest.MapFS{
		"m/V1__a.sql":                  {Data: []byte("SELECT 1;")},
		"m/afterMigrate.sql":           {Data: []byte("SELECT 2;")},
		"m/beforeEachMigrate__log.sql": {Data: []byte("SELECT 3;")},
		"m/V2_typo.sql":                {Data: []byte("SELECT 4;")},
	}
	s, err := Discover(fsys, "m", Flyway)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range s.Ignored {
		got[f.File] = f.Message
	}
	if !strings.Contains(got["m/afterMigrate.sql"], "Flyway afterMigrate callback") ||
		!strings.Contains(got["m/beforeEachMigrate__log.sql"], "Flyway beforeEachMigrate callback") ||
		!strings.Contains(got["m/V2_typo.sql"], "not a Flyway migration name") || len(got) != 3 {
		t.Errorf("ignored = %v", got)
	}
}
