package migrations

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/schema-guard/schema-guard/finding"
)

// discoverIn discovers directory "m" made of name → content in the layout.
func discoverIn(t *testing.T, layout Layout, files map[string]string) *Set {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys["m/"+name] = &fstest.MapFile{Data: []byte(content)}
	}
	s, err := DiscoverLayout(fsys, "m", layout)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// planned renders Plan's steps ("key:state", "!" for a skip) and findings ("rule@path:line").
func planned(t *testing.T, layout Layout, base, head map[string]string) (string, string) {
	t.Helper()
	var deployed *Set
	if base != nil {
		deployed = discoverIn(t, layout, base)
	}
	steps, findings := Plan(discoverIn(t, layout, head), deployed)
	var s, f []string
	for _, st := range steps {
		mark := ""
		if st.Skip != "" {
			mark = "!"
		}
		s = append(s, strings.TrimPrefix(st.File.Key(), "m/")+":"+string(st.State)+mark)
	}
	for _, x := range findings {
		f = append(f, string(x.Rule)+"@"+strings.TrimPrefix(x.File, "m/")+":"+itoa(x.Line))
	}
	return strings.Join(s, " "), strings.Join(f, " ")
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	if i < 0 {
		return "-" + fmtInt(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return fmtInt(i/10) + string(rune('0'+i%10))
}

// with copies files and applies changes ("" deletes).
func with(files, changes map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range files {
		m[k] = v
	}
	for k, v := range changes {
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

type historyCase struct {
	name            string
	change          map[string]string
	steps, findings string
}

func runHistory(t *testing.T, layout Layout, base map[string]string, cases []historyCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			steps, findings := planned(t, layout, base, with(base, c.change))
			if c.steps != "" && steps != c.steps {
				t.Errorf("steps\n %s\nwant\n %s", steps, c.steps)
			}
			if findings != c.findings {
				t.Errorf("findings %q, want %q", findings, c.findings)
			}
		})
	}
}

const changelog1 = `--liquibase formatted sql

--changeset alice:1
CREATE TABLE a (id INT);
--rollback DROP TABLE a;

--changeset alice:2
ALTER TABLE a ADD b INT;
ALTER TABLE a ADD c INT;
/* liquibase rollback
ALTER TABLE a DROP c;
ALTER TABLE a DROP b;
*/

--changeset alice:view runOnChange:true
CREATE OR REPLACE VIEW v AS SELECT id FROM a;
`

func TestLiquibaseHistory(t *testing.T) {
	base := map[string]string{
		"001.sql": changelog1,
		"002.sql": "--liquibase formatted sql\n--changeset bob:1\nCREATE TABLE z (id INT);\n",
	}
	l := Layout{Format: Liquibase}
	runHistory(t, l, base, []historyCase{
		{name: "unchanged", steps: "001.sql::alice:1:deployed 001.sql::alice:2:deployed 001.sql::alice:view:deployed 002.sql::bob:1:deployed"},
		{name: "appended changeset", change: map[string]string{"002.sql": base["002.sql"] + "--changeset bob:2\nALTER TABLE z ADD n INT;\n"},
			steps: "001.sql::alice:1:deployed 001.sql::alice:2:deployed 001.sql::alice:view:deployed 002.sql::bob:1:deployed 002.sql::bob:2:pending"},
		{name: "edited changeset at its first changed line",
			change:   map[string]string{"001.sql": strings.Replace(changelog1, "ADD c INT", "ADD c BIGINT", 1)},
			findings: "edited-migration@001.sql:9"},
		{name: "rollback edits are no edit",
			change: map[string]string{"001.sql": strings.Replace(strings.Replace(changelog1, "DROP TABLE a", "DROP TABLE IF EXISTS a", 1), "DROP c;", "DROP COLUMN c;", 1)}},
		{name: "runOnChange changeset runs again",
			change: map[string]string{"001.sql": strings.Replace(changelog1, "SELECT id FROM a", "SELECT id, b FROM a", 1)},
			steps:  "001.sql::alice:1:deployed 001.sql::alice:2:deployed 001.sql::alice:view:deployed 002.sql::bob:1:deployed 001.sql::alice:view:pending"},
		{name: "deleted changeset", change: map[string]string{"002.sql": "--liquibase formatted sql\n"},
			findings: "deleted-migration@002.sql:2"},
		{name: "changeset inserted before deployed ones",
			change:   map[string]string{"001.sql": strings.Replace(changelog1, "--changeset alice:2", "--changeset alice:1b\nCREATE TABLE x (id INT);\n\n--changeset alice:2", 1)},
			findings: "out-of-order@001.sql:7"},
		{name: "new file sorting before a deployed one",
			change:   map[string]string{"0015.sql": "--liquibase formatted sql\n--changeset carol:1\nCREATE TABLE y (id INT);\n"},
			findings: "out-of-order@0015.sql:2"},
		{name: "duplicate changeset in a file",
			change:   map[string]string{"002.sql": base["002.sql"] + "--changeset bob:1\nCREATE TABLE w (id INT);\n"},
			findings: "duplicate-version@002.sql:4"},
		{name: "renamed file runs again",
			change:   map[string]string{"002.sql": "", "003.sql": base["002.sql"]},
			steps:    "001.sql::alice:1:deployed 001.sql::alice:2:deployed 001.sql::alice:view:deployed 002.sql::bob:1:deployed 003.sql::bob:1:pending",
			findings: "deleted-migration@002.sql:2"},
	})
}

func TestLiquibaseChangesets(t *testing.T) {
	src := `-- liquibase formatted sql logicalFilePath:db/changelog.sql
CREATE TABLE stray (id INT);
--property name:x value:y
--changeset "Ann Lee":"init 1" context:prod labels:x
--comment: first
CREATE TABLE a (id INT);
INSERT INTO a VALUES (1);
--rollback DROP TABLE a;
--ignoreLines:start
THIS IS NOT SQL
--ignoreLines:end
--changeset ann:trg splitStatements:false
CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.id = 1; SET NEW.id = 2; END;
--changeset ann:proc endDelimiter:$$ runAlways:true
CREATE PROCEDURE p() BEGIN SELECT 1; END$$
SELECT 2$$
--changeset ann:pg dbms:postgresql,h2
CREATE EXTENSION x;
--changeset ann:both dbms:!postgresql
SELECT 3;
--changeset ann:off ignore:true
SELECT 4;
--ignoreLines:1
NOT SQL EITHER
`
	set := discoverIn(t, Layout{Format: Auto}, map[string]string{"changelog.sql": src})
	if set.Format != Liquibase {
		t.Fatalf("detected as %s", set.Format)
	}
	type want struct {
		id, skip string
		kind     Kind
		always   bool
		stmts    string
	}
	wants := []want{
		{id: "Ann Lee:init 1", stmts: "6:CREATE TABLE a (id INT)|7:INSERT INTO a VALUES (1)"},
		{id: "ann:trg", stmts: "13:CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.id = 1; SET NEW.id = 2; END"},
		{id: "ann:proc", kind: Repeatable, always: true, stmts: "15:CREATE PROCEDURE p() BEGIN SELECT 1; END|16:SELECT 2"},
		{id: "ann:pg", skip: "dbms:postgresql,h2: Liquibase runs it on neither MySQL nor MariaDB"},
		{id: "ann:both", stmts: "20:SELECT 3"},
		{id: "ann:off", skip: "the changeset is marked ignore:true", stmts: "22:SELECT 4"},
	}
	if len(set.Files) != len(wants) {
		t.Fatalf("%d changesets, want %d", len(set.Files), len(wants))
	}
	for i, f := range set.Files {
		w := wants[i]
		if f.ID != w.id || f.Skip != w.skip || f.Kind != w.kind || f.Always != w.always {
			t.Errorf("changeset %d = %q skip %q kind %v always %v, want %+v", i, f.ID, f.Skip, f.Kind, f.Always, w)
		}
		if f.Key() != "db/changelog.sql::"+w.id {
			t.Errorf("key %q: logicalFilePath names the changeset", f.Key())
		}
		if w.skip != "" && w.stmts == "" {
			continue
		}
		stmts, notes, err := f.Split()
		if err != nil || len(notes) > 0 {
			t.Fatalf("%s: %v %v", f.ID, err, notes)
		}
		var got []string
		for _, s := range stmts {
			got = append(got, itoa(s.Line)+":"+s.Text)
		}
		if strings.Join(got, "|") != w.stmts {
			t.Errorf("%s statements %q, want %q", f.ID, strings.Join(got, "|"), w.stmts)
		}
	}
	if set.Files[0].Description != "first" {
		t.Errorf("description %q", set.Files[0].Description)
	}
	if len(set.Ignored) != 1 || set.Ignored[0].Line != 2 || !strings.Contains(set.Ignored[0].Message, "Liquibase never runs it") {
		t.Errorf("stray SQL: %+v", set.Ignored)
	}
	// DELIMITER is the mysql client's; Liquibase sends statements to the server.
	f := discoverIn(t, Layout{Format: Liquibase}, map[string]string{"c.sql": "--liquibase formatted sql\n--changeset a:1\nDELIMITER $$\nSELECT 1$$\n"}).Files[0]
	if _, notes, err := f.Split(); err != nil || len(notes) != 1 || notes[0].Rule != finding.ClientCommand || notes[0].Line != 3 {
		t.Errorf("DELIMITER in a changeset: %v %+v", err, notes)
	}
	// A master changelog's include order is not followed, and says so.
	withMaster := discoverIn(t, Layout{Format: Liquibase}, map[string]string{"a.sql": "--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n",
		"changelog.xml": "<databaseChangeLog><include file=\"a.sql\"/></databaseChangeLog>"})
	if len(withMaster.Ignored) != 1 || !strings.Contains(withMaster.Ignored[0].Message, "does not follow the include order") {
		t.Errorf("master changelog: %+v", withMaster.Ignored)
	}
	// A .sql file without the header is one changeset of the whole file, as includeAll reads it.
	raw := discoverIn(t, Layout{Format: Liquibase}, map[string]string{"a.sql": "--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n", "b.sql": "SELECT 2;\nSELECT 3;\n"})
	if len(raw.Files) != 2 || raw.Files[1].ID != "includeAll:raw" {
		t.Errorf("raw file: %+v", raw.Files)
	}
}

func TestLiquibaseErrors(t *testing.T) {
	for src, want := range map[string]string{
		"--liquibase formatted sql\n--changeset alice\nSELECT 1;\n":                  "c.sql:2: malformed --changeset line (Liquibase wants --changeset <author>:<id>)",
		"--liquibase formatted sql\n--changeset alice: 1\nSELECT 1;\n":               "c.sql:2: malformed --changeset line: Liquibase wants --changeset <author>:<id> with nothing between the colon and the id",
		"--liquibase formatted sql\n-changeset a:1\nSELECT 1;\n":                     "c.sql:2: malformed --changeset line (Liquibase wants --changeset <author>:<id>)",
		"--liquibase formatted sql\n--changeset a:1\n--changeset a:2\nSELECT 1;\n":   "c.sql:3: changeset a:1 has no SQL: Liquibase refuses the changelog",
		"--liquibase formatted sql\n--comment: x\n--changeset a:1\nSELECT 1;\n":      "c.sql:2: a --comment line outside a changeset: Liquibase refuses the changelog",
		"--liquibase formatted sql\n--changeset a:1 runOnChange:maybe\nSELECT 1;\n":  "c.sql:2: runOnChange:maybe is not true or false",
		"--liquibase formatted sql\n--changeset a:1\n-rollback DROP x;\nSELECT 1;\n": "c.sql:3: malformed --rollback line (Liquibase wants --rollback <SQL>)",
		"--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n--ignoreLines:x\n":   "c.sql:4: unknown --ignoreLines value \"x\" (Liquibase wants start, end or a number)",
	} {
		fsys := fstest.MapFS{"m/c.sql": {Data: []byte(src)}}
		_, err := Discover(fsys, "m", Liquibase)
		if err == nil || err.Error() != "m/"+want {
			t.Errorf("%q: error %v, want %q", src, err, "m/"+want)
		}
	}
}

func TestPrisma(t *testing.T) {
	base := map[string]string{
		"migration_lock.toml":            "# managed by prisma\nprovider = \"mysql\" # mysql\n",
		"20240101000000_a/migration.sql": "CREATE TABLE a (id INT);\n",
		"20240102000000_b/migration.sql": "CREATE TABLE b (id INT);\n",
	}
	l := Layout{Format: Auto}
	runHistory(t, l, base, []historyCase{
		{name: "new folder", change: map[string]string{"20240103000000_c/migration.sql": "CREATE TABLE c (id INT);\n"},
			steps: "20240101000000_a/migration.sql:deployed 20240102000000_b/migration.sql:deployed 20240103000000_c/migration.sql:pending"},
		{name: "edited", change: map[string]string{"20240102000000_b/migration.sql": "CREATE TABLE b (id BIGINT);\n"},
			findings: "edited-migration@20240102000000_b/migration.sql:1"},
		{name: "deleted", change: map[string]string{"20240101000000_a/migration.sql": ""},
			findings: "deleted-migration@20240101000000_a/migration.sql:1"},
		{name: "out of order", change: map[string]string{"20240101120000_late/migration.sql": "CREATE TABLE l (id INT);\n"},
			findings: "out-of-order@20240101120000_late/migration.sql:1"},
		{name: "same timestamp is no duplicate", change: map[string]string{"20240102000000_c/migration.sql": "CREATE TABLE c (id INT);\n"}},
		{name: "folders equal but for case", change: map[string]string{"20240102000000_B/migration.sql": "CREATE TABLE c (id INT);\n"},
			findings: "duplicate-version@20240102000000_B/migration.sql:1"},
	})
	set := discoverIn(t, l, with(base, map[string]string{"20240101000000_a/down.sql": "DROP TABLE a;\n", "schema.sql": "x"}))
	if set.Format != Prisma || len(set.Ignored) != 2 {
		t.Errorf("format %s, ignored %+v", set.Format, set.Ignored)
	}
	// Without a lock file, the folders tell.
	if set := discoverIn(t, l, with(base, map[string]string{"migration_lock.toml": ""})); set.Format != Prisma {
		t.Errorf("folders detected as %s", set.Format)
	}
	for lock, want := range map[string]string{
		"provider = \"postgresql\"\n": `m/migration_lock.toml:1: the migrations are for provider "postgresql"; schema-guard replays MySQL and MariaDB migrations (provider "mysql")`,
		"# nothing\n":                 `m/migration_lock.toml:1: no provider = "…" line`,
		"provider = mysql\n":          `m/migration_lock.toml:1: provider is not a quoted string: mysql`,
	} {
		fsys := fstest.MapFS{"m/migration_lock.toml": {Data: []byte(lock)}, "m/1_a/migration.sql": {Data: []byte("SELECT 1;")}}
		if _, err := Discover(fsys, "m", Auto); err == nil || err.Error() != want {
			t.Errorf("%q: %v, want %q", lock, err, want)
		}
	}
}

func TestAtlas(t *testing.T) {
	files := map[string]string{
		"1_a.sql":  "CREATE TABLE a (id INT);\n",
		"10_b.sql": "-- atlas:delimiter $$\nCREATE TABLE b (id INT)$$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\n",
		"2_c.sql":  "ALTER TABLE b ADD c INT;\n",
	}
	hashed := func(m map[string]string) map[string]string {
		s := discoverIn(t, Layout{Format: Atlas}, with(m, map[string]string{atlasSumFile: ""}))
		return with(m, map[string]string{atlasSumFile: string(FormatAtlasSum(AtlasSum(s.Files)))})
	}
	base := hashed(files)
	set := discoverIn(t, Layout{Format: Auto}, base)
	// Atlas orders names as text: "10_b.sql" < "1_a.sql" ('0' < '_').
	if set.Format != Atlas || len(set.Notes) != 0 || strings.Join(pathsOf(set), " ") != "m/10_b.sql m/1_a.sql m/2_c.sql" {
		t.Fatalf("format %s, notes %+v, order %v", set.Format, set.Notes, pathsOf(set))
	}
	stmts, _ := set.Files[0].Statements()
	if len(stmts) != 2 || stmts[1].Text != "CREATE PROCEDURE p() BEGIN SELECT 1; END" || stmts[1].Line != 3 {
		t.Errorf("atlas:delimiter: %+v", stmts)
	}
	// atlas migrate validate's verdicts, at the line of atlas.sum it names.
	for name, c := range map[string]struct {
		files map[string]string
		want  string
	}{
		"added without rehash": {with(base, map[string]string{"3_d.sql": "SELECT 1;\n"}), "atlas.sum:5 atlas.sum L5: 3_d.sql was added"},
		"added in the middle":  {with(base, map[string]string{"15_d.sql": "SELECT 1;\n"}), "atlas.sum:3 atlas.sum L3: 15_d.sql was added"},
		"edited":               {with(base, map[string]string{"1_a.sql": "CREATE TABLE a (id BIGINT);\n"}), "atlas.sum:3 atlas.sum L3: 1_a.sql was edited"},
		"removed":              {with(base, map[string]string{"1_a.sql": ""}), "atlas.sum:3 atlas.sum L3: 1_a.sql was removed"},
		"no atlas.sum":         {with(files, nil), "10_b.sql:1 the directory has no atlas.sum"},
		"not atlas's format":   {with(base, map[string]string{atlasSumFile: "h1:x\nnope\n"}), "atlas.sum:2 atlas.sum is not in Atlas's format"},
		"total edited by hand": {with(base, map[string]string{atlasSumFile: "h1:AAAA" + base[atlasSumFile][7:]}), "atlas.sum:1 atlas.sum's first line does not match"},
		"sum ignore":           {hashed(with(files, map[string]string{"3_d.sql": "-- atlas:sum ignore\nSELECT 1;\n"})), ""},
	} {
		var atlasMissing bool
		if c.files[atlasSumFile] == "" {
			delete(c.files, atlasSumFile)
			atlasMissing = true
		}
		s := discoverIn(t, Layout{Format: Atlas}, c.files)
		got := ""
		if len(s.Notes) == 1 {
			n := s.Notes[0]
			got = strings.TrimPrefix(n.File, "m/") + ":" + itoa(n.Line) + " " + n.Message
		}
		if c.want == "" && got != "" || !strings.HasPrefix(got, c.want) || len(s.Notes) > 1 {
			t.Errorf("%s (atlas.sum missing %v): notes %q, want %q", name, atlasMissing, got, c.want)
		}
	}
	deleted := hashed(with(files, map[string]string{"1_a.sql": ""}))
	deleted["1_a.sql"] = "" // the history case deletes it from the base
	runHistory(t, Layout{Format: Atlas}, base, []historyCase{
		{name: "edited", change: hashed(with(files, map[string]string{"2_c.sql": "ALTER TABLE b ADD c BIGINT;\n"})),
			findings: "edited-migration@2_c.sql:1"},
		{name: "out of order as text", change: hashed(with(files, map[string]string{"11_d.sql": "SELECT 1;\n"})),
			findings: "out-of-order@11_d.sql:1"},
		{name: "duplicate version", change: hashed(with(files, map[string]string{"2_e.sql": "SELECT 1;\n"})),
			findings: "duplicate-version@2_e.sql:1"},
		{name: "deleted", change: deleted,
			findings: "deleted-migration@1_a.sql:1"},
	})
	// A checkpoint stands in for everything before it on an empty database.
	steps, _ := planned(t, Layout{Format: Atlas}, nil, hashed(with(files, map[string]string{"3_ck.sql": "-- atlas:checkpoint\n\nCREATE TABLE a (id INT);\n"})))
	if steps != "10_b.sql:pending! 1_a.sql:pending! 2_c.sql:pending! 3_ck.sql:pending" {
		t.Errorf("checkpoint steps %s", steps)
	}
}

func pathsOf(s *Set) []string {
	var out []string
	for _, f := range s.Files {
		out = append(out, f.Path)
	}
	return out
}

func TestTemporal(t *testing.T) {
	manifest := func(v string, files ...string) string {
		return `{"CurrVersion": "` + v + `", "MinCompatibleVersion": "0.1", "Description": "d", "SchemaUpdateCqlFiles": ["` + strings.Join(files, `", "`) + `"]}`
	}
	base := map[string]string{
		"v0.1/manifest.json":  manifest("0.1", "b.sql", "a.sql"),
		"v0.1/a.sql":          "ALTER TABLE t ADD a INT;\n",
		"v0.1/b.sql":          "CREATE TABLE t (id INT);\n",
		"v0.10/manifest.json": manifest("0.10", "c.sql"),
		"v0.10/c.sql":         "ALTER TABLE t ADD c INT;\n",
		"v0.9/manifest.json":  manifest("0.9", "d.sql"),
		"v0.9/d.sql":          "ALTER TABLE t ADD d INT;\n",
	}
	runHistory(t, Layout{Format: Auto}, base, []historyCase{
		{name: "order", steps: "v0.1/b.sql:deployed v0.1/a.sql:deployed v0.9/d.sql:deployed v0.10/c.sql:deployed"},
		{name: "new version", change: map[string]string{"v0.11/manifest.json": manifest("0.11", "e.sql"), "v0.11/e.sql": "SELECT 1;\n"},
			steps: "v0.1/b.sql:deployed v0.1/a.sql:deployed v0.9/d.sql:deployed v0.10/c.sql:deployed v0.11/e.sql:pending"},
		{name: "file added to a deployed version", change: map[string]string{"v0.10/manifest.json": manifest("0.10", "c.sql", "e.sql"), "v0.10/e.sql": "SELECT 1;\n"},
			findings: "out-of-order@v0.10/e.sql:1"},
		{name: "version before the newest", change: map[string]string{"v0.9.5/manifest.json": manifest("0.9.5", "e.sql"), "v0.9.5/e.sql": "SELECT 1;\n"},
			findings: "out-of-order@v0.9.5/e.sql:1"},
		{name: "edited", change: map[string]string{"v0.9/d.sql": "ALTER TABLE t ADD d BIGINT;\n"}, findings: "edited-migration@v0.9/d.sql:1"},
		{name: "removed from its manifest", change: map[string]string{"v0.1/manifest.json": manifest("0.1", "b.sql")},
			findings: "deleted-migration@v0.1/a.sql:1"},
		{name: "two folders of one version", change: map[string]string{"v0.9.0/manifest.json": manifest("0.9.0", "e.sql"), "v0.9.0/e.sql": "SELECT 1;\n"},
			findings: "out-of-order@v0.9.0/e.sql:1 duplicate-version@v0.9.0/e.sql:1"},
	})
	parent := fstest.MapFS{"m/schema.sql": {Data: []byte("SELECT 1;")}, "m/versioned/v1.0/manifest.json": {Data: []byte(manifest("1.0", "a.sql"))},
		"m/versioned/v1.0/a.sql": {Data: []byte("SELECT 1;")}}
	if _, err := Discover(parent, "m", Auto); err == nil || !strings.Contains(err.Error(), "holds Temporal's version folders one level down (versioned): point migrations at that folder") {
		t.Errorf("the schema folder above versioned/: %v", err)
	}
	for name, c := range map[string]struct {
		files map[string]string
		want  string
	}{
		"no manifest":     {map[string]string{"v1.0/a.sql": "SELECT 1;", "v1.1/manifest.json": manifest("1.1", "b.sql"), "v1.1/b.sql": "SELECT 1;"}, "m/v1.0: version folder without a readable manifest.json"},
		"missing file":    {map[string]string{"v1.0/manifest.json": manifest("1.0", "nope.sql")}, "m/v1.0/manifest.json: lists nope.sql, which cannot be read"},
		"not JSON":        {map[string]string{"v1.0/manifest.json": "{", "v1.0/a.sql": "SELECT 1;"}, "m/v1.0/manifest.json: unexpected end of JSON input"},
		"escapes folder":  {map[string]string{"v1.0/manifest.json": manifest("1.0", "../x.sql"), "x.sql": "SELECT 1;"}, `m/v1.0/manifest.json: SchemaUpdateCqlFiles entry "../x.sql" is not a file of the folder`},
		"no files listed": {map[string]string{"v1.0/manifest.json": `{"CurrVersion": "1.0"}`, "v1.0/a.sql": "SELECT 1;"}, "m/v1.0/manifest.json: SchemaUpdateCqlFiles lists no file"},
		"listed twice":    {map[string]string{"v1.0/manifest.json": manifest("1.0", "a.sql", "a.sql"), "v1.0/a.sql": "SELECT 1;"}, "m/v1.0/manifest.json: SchemaUpdateCqlFiles lists a.sql twice"},
	} {
		fsys := fstest.MapFS{}
		for n, content := range c.files {
			fsys["m/"+n] = &fstest.MapFile{Data: []byte(content)}
		}
		if _, err := Discover(fsys, "m", Temporal); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}

func TestCustomPattern(t *testing.T) {
	l := Layout{Format: Custom, Pattern: `^(?:\w+/)?V(?P<version>[\d.]+)\.(?P<description>.+)\.up\.sql$`, Ignore: `\.down\.sql$`}
	base := map[string]string{
		"V0001.Init.up.sql":          "CREATE TABLE a (id INT);\n",
		"V0001.Init.down.sql":        "DROP TABLE a;\n",
		"V0002.Users.up.sql":         "CREATE TABLE u (id INT);\n",
		"2024/V0010.Later.up.sql":    "ALTER TABLE u ADD x INT;\n",
		"V0009.Before_Later.up.sql":  "ALTER TABLE u ADD y INT;\n",
		"V1.2.Dotted_Version.up.sql": "ALTER TABLE u ADD z INT;\n",
		"README.md":                  "not a migration",
	}
	set := discoverIn(t, l, with(base, map[string]string{"notes.sql": "x"}))
	if got := strings.Join(pathsOf(set), " "); got != "m/V0001.Init.up.sql m/V1.2.Dotted_Version.up.sql m/V0002.Users.up.sql m/V0009.Before_Later.up.sql m/2024/V0010.Later.up.sql" {
		t.Errorf("order %s", got)
	}
	if len(set.Ignored) != 1 || set.Ignored[0].File != "m/notes.sql" || set.Files[3].Description != "Before Later" {
		t.Errorf("ignored %+v, description %q", set.Ignored, set.Files[3].Description)
	}
	runHistory(t, l, base, []historyCase{
		{name: "edited", change: map[string]string{"V0002.Users.up.sql": "CREATE TABLE u (id BIGINT);\n"}, findings: "edited-migration@V0002.Users.up.sql:1"},
		{name: "deleted", change: map[string]string{"V0002.Users.up.sql": ""}, findings: "deleted-migration@V0002.Users.up.sql:1"},
		{name: "out of order", change: map[string]string{"V0003.Late.up.sql": "SELECT 1;\n"}, findings: "out-of-order@V0003.Late.up.sql:1"},
		{name: "duplicate", change: map[string]string{"V10.Again.up.sql": "SELECT 1;\n"}, findings: "duplicate-version@V10.Again.up.sql:1"},
		{name: "new", change: map[string]string{"V0011.New.up.sql": "SELECT 1;\n"}},
	})
}

func TestSuggestPattern(t *testing.T) {
	for _, name := range []string{"V0001.Initial_Schema.up.sql", "0001_init.sql", "schema.sql", "sub/12-x.sql", "2024_01_01.sql", "x.sql"} {
		p := suggestPattern(name)
		c, err := compileCustom(Layout{Format: Custom, Pattern: p})
		if err != nil {
			t.Errorf("%s: %s does not compile: %v", name, p, err)
			continue
		}
		if _, ok, err := c.match(name); strings.ContainsAny(name, "0123456789") && (!ok || err != nil) {
			t.Errorf("%s: suggested %s does not match it (%v)", name, p, err)
		}
	}
}
