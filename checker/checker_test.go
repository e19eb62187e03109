package checker

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/runner"

	"github.com/schema-guard/schema-guard/migrations"
)

func TestFormatFixturesReplay(t *testing.T) { eachEngine(t, testFormatFixturesReplay) }

func testFormatFixturesReplay(t *testing.T, eng runner.Options, _ report.Engine) {
	want := ""
	for _, format := range formats() {
		t.Run(string(format), func(t *testing.T) {
			dir := fixtureDir(format)
			res := run(t, Options{WorkDir: dir, Migrations: "db/migrations", Base: NoBase, Engine: eng})
			rep := res.Report
			if rep.Source.Format != string(format) {
				t.Errorf("detected %s", rep.Source.Format)
			}
			if f := beyondNotices(rep); f != "" {
				t.Errorf("findings: %s", f)
			}
			var order []string
			for _, m := range rep.Migrations {
				// Paths are relative to the repository root, which holds the fixture.
				_, rel, _ := strings.Cut(m.File, "testdata/formats/"+string(format)+"/")
				order = append(order, migrationKey(rel, m.ID))
				if m.SkipReason != "" {
					continue // a Liquibase changeset for another dbms
				}
				if !m.Applied || m.State != "pending" || m.Statements == 0 {
					t.Errorf("%s: applied=%v state=%s statements=%d", m.File, m.Applied, m.State, m.Statements)
				}
			}
			if got, want := strings.Join(order, "\n"), strings.Join(readLines(t, filepath.Join(dir, "order.txt")), "\n"); got != want {
				t.Errorf("replay order\n%s\nwant\n%s", got, want)
			}
			if res.Final == nil {
				t.Fatal("no final schema")
			}
			got := comparable(res.Final)
			if len(res.Final.Tables) != 3 || len(res.Final.Views) != 1 || len(res.Final.Triggers) != 1 || len(res.Final.Routines) != 1 {
				t.Errorf("final schema:\n%s", got)
			}
			// Every format's fixture builds the same schema.
			if want == "" {
				want = got
			} else if got != want {
				t.Errorf("final schema differs from the %s fixture's:\n%s\nwant\n%s", formats()[0], got, want)
			}
		})
	}
}

// TestFixtureStatesAgainstBase commits the first part of each fixture on main, adds the rest on
// a branch, and checks that the first part is deployed and the rest pending.
func TestFixtureStatesAgainstBase(t *testing.T) { testenv.EachServer(t, testFixtureStatesAgainstBase) }

func testFixtureStatesAgainstBase(t *testing.T, _ testenv.Server) {
	for _, format := range formats() {
		t.Run(string(format), func(t *testing.T) {
			src := fixtureDir(format)
			order := readLines(t, filepath.Join(src, "order.txt"))
			files := fixtureFiles(order) // a Liquibase file holds several migrations
			dir, git := testenv.GitRepo(t)
			split := len(files) / 2
			for _, f := range files[:split] {
				copyFixtureFile(t, src, dir, f)
			}
			writeAtlasSum(t, format, dir)
			git("add", "-A")
			git("commit", "-qm", "deployed")
			git("checkout", "-qb", "feature")
			for _, f := range files[split:] {
				copyFixtureFile(t, src, dir, f)
			}
			// Whatever the format ignores (down files, undo files) comes along too.
			for _, f := range must(filepath.Glob(filepath.Join(src, "db", "migrations", "*.sql"))) {
				copyFile(t, f, filepath.Join(dir, "db", "migrations", filepath.Base(f)))
			}
			writeAtlasSum(t, format, dir)
			res := run(t, Options{WorkDir: dir, Engine: dsnEngine(t)})
			rep := res.Report
			if rep.Source.BaseRef != "merge-base with main" || rep.Source.BaseSHA == "" {
				t.Errorf("source = %+v", rep.Source)
			}
			if f := beyondNotices(rep); f != "" {
				t.Errorf("findings: %s", f)
			}
			if len(rep.Migrations) != len(order) {
				t.Fatalf("%d migrations, want %d", len(rep.Migrations), len(order))
			}
			deployed := map[string]bool{}
			for _, f := range files[:split] {
				deployed[f] = true
			}
			for i, m := range rep.Migrations {
				want := "pending"
				if deployed[m.File] {
					want = "deployed"
				}
				if migrationKey(m.File, m.ID) != order[i] || m.State != want || m.Applied == (m.SkipReason != "") {
					t.Errorf("migration %d = %s %s applied=%v, want %s %s", i, migrationKey(m.File, m.ID), m.State, m.Applied, order[i], want)
				}
			}
		})
	}
}

// TestHistoryFindings checks that each history finding fires on its case and on nothing else,
// through the whole pipeline: git, discovery, plan, replay.
func TestHistoryFindings(t *testing.T) { testenv.EachServer(t, testHistoryFindings) }

func testHistoryFindings(t *testing.T, _ testenv.Server) {
	deployed := map[string]string{
		"V1__users.sql":  "CREATE TABLE users (id INT PRIMARY KEY);\n",
		"V2__orders.sql": "CREATE TABLE orders (\n  id INT PRIMARY KEY,\n  user_id INT\n);\n",
		"V3__index.sql":  "CREATE INDEX idx_orders_user ON orders (user_id);\n",
	}
	cases := []struct {
		name    string
		change  map[string]string // "" deletes
		want    string
		pending int
	}{
		{name: "clean", change: map[string]string{"V4__email.sql": "ALTER TABLE users ADD email VARCHAR(100);\n"}, pending: 1},
		{name: "edited", change: map[string]string{"V2__orders.sql": "CREATE TABLE orders (\n  id INT PRIMARY KEY,\n  user_id BIGINT\n);\n"},
			want: "edited-migration@db/migrations/V2__orders.sql:3"},
		{name: "deleted", change: map[string]string{"V3__index.sql": ""}, want: "deleted-migration@db/migrations/V3__index.sql:1"},
		{name: "renamed", change: map[string]string{"V3__index.sql": "", "V3__orders_index.sql": deployed["V3__index.sql"]},
			want: "deleted-migration@db/migrations/V3__index.sql:1"},
		{name: "out of order", change: map[string]string{"V2.5__late.sql": "ALTER TABLE users ADD nick VARCHAR(20);\n"},
			want: "out-of-order@db/migrations/V2.5__late.sql:1", pending: 1},
		{name: "duplicate", change: map[string]string{"V3__again.sql": "ALTER TABLE users ADD nick VARCHAR(20);\n"},
			want: "duplicate-version@db/migrations/V3__again.sql:1", pending: 1},
		{name: "pending failure", change: map[string]string{"V4__bad.sql": "-- oops\nALTER TABLE users\n  DROP COLUMN nope;\n"},
			want: "replay-failed@db/migrations/V4__bad.sql:2:1", pending: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, git := testenv.GitRepo(t)
			for name, content := range deployed {
				testenv.WriteFile(t, filepath.Join(dir, "db/migrations", name), content)
			}
			git("add", "-A")
			git("commit", "-qm", "deployed")
			for name, content := range c.change {
				path := filepath.Join(dir, "db/migrations", name)
				if content == "" {
					git("rm", "-q", filepath.Join("db/migrations", name))
					continue
				}
				testenv.WriteFile(t, path, content)
			}
			// Uncommitted work counts: a pre-commit hook sees the working tree.
			res := run(t, Options{WorkDir: dir, Base: "main", Engine: dsnEngine(t)})
			if got := findings(res.Report); got != c.want {
				t.Errorf("findings %q, want %q", got, c.want)
			}
			pending := 0
			for _, m := range res.Report.Migrations {
				if m.State == string(migrations.Pending) {
					pending++
				}
			}
			if pending != c.pending {
				t.Errorf("%d pending migrations, want %d", pending, c.pending)
			}
		})
	}
}

// TestExampleMatchesItsDeclaredSchema keeps the bundled example honest: its migrations produce
// exactly its declared schema.
func TestExampleMatchesItsDeclaredSchema(t *testing.T) {
	testenv.EachServer(t, testExampleMatchesItsDeclaredSchema)
}

func testExampleMatchesItsDeclaredSchema(t *testing.T, _ testenv.Server) {
	dir := filepath.Join("..", "testdata", "examples", "shop")
	res := run(t, Options{WorkDir: dir, Migrations: "db/migrations", Schema: "schema", Base: NoBase, Engine: dsnEngine(t)})
	if f := beyondNotices(res.Report); f != "" {
		t.Errorf("findings: %s", f)
	}
	if res.Drift == nil || !res.Drift.Delta.Empty() {
		t.Errorf("drift: %+v", res.Report.Drift)
	}
}
