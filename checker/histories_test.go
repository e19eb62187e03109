package checker

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/migrations"
)

// TestSeveralHistories replays two Flyway histories into one schema, as Conductor keeps them:
// each has its own versions (both have a V1 and a V2, which is no duplicate), the deployed
// migrations of both run before the pending ones, each in the order listed.
func TestSeveralHistories(t *testing.T) {
	dir, git := testenv.GitRepo(t)
	write := func(rel, content string) { testenv.WriteFile(t, filepath.Join(dir, rel), content) }
	write("db/core/V1__users.sql", "CREATE TABLE users (id INT PRIMARY KEY);\n")
	write("db/billing/V1__invoices.sql", "CREATE TABLE invoices (id INT PRIMARY KEY, user_id INT,\n  FOREIGN KEY (user_id) REFERENCES users (id));\n")
	git("add", "-A")
	git("commit", "-qm", "deployed")
	git("checkout", "-qb", "feature")
	write("db/core/V2__email.sql", "ALTER TABLE users ADD email VARCHAR(100) NULL;\n")
	write("db/billing/V2__total.sql", "ALTER TABLE invoices ADD total INT NULL;\n")

	res := run(t, Options{WorkDir: dir, MigrationDirs: []string{"db/core", "db/billing"}, Engine: dsnEngine(t)})
	rep := res.Report
	if f := beyondNotices(rep); f != "" {
		t.Errorf("findings: %s", f)
	}
	var got []string
	for _, m := range rep.Migrations {
		got = append(got, m.File+":"+m.State)
		if !m.Applied {
			t.Errorf("%s not applied", m.File)
		}
	}
	want := "db/core/V1__users.sql:deployed db/billing/V1__invoices.sql:deployed db/core/V2__email.sql:pending db/billing/V2__total.sql:pending"
	if strings.Join(got, " ") != want {
		t.Errorf("order\n %s\nwant\n %s", strings.Join(got, " "), want)
	}
	if len(rep.Source.Histories) != 2 || rep.Source.Histories[1].Dir != "db/billing" || rep.Source.Histories[1].Format != "flyway" {
		t.Errorf("histories %+v", rep.Source.Histories)
	}
	if res.Final == nil || res.Final.Table("invoices") == nil || res.Final.Table("users").Column("email") == nil {
		t.Error("the histories did not replay into one schema")
	}

	// The history rules still hold within each history.
	write("db/billing/V2__again.sql", "ALTER TABLE invoices ADD paid INT NULL;\n")
	write("db/core/V0.5__early.sql", "ALTER TABLE users ADD nick VARCHAR(10) NULL;\n")
	res = run(t, Options{WorkDir: dir, MigrationDirs: []string{"db/core", "db/billing"}, Engine: dsnEngine(t)})
	if got := beyondNotices(res.Report); got != "duplicate-version@db/billing/V2__total.sql:1 out-of-order@db/core/V0.5__early.sql:1" {
		t.Errorf("findings %q", got)
	}

	for _, dirs := range [][]string{{"db/core", "db/core"}, {"db", "db/core"}} {
		_, err := Run(t.Context(), Options{WorkDir: dir, MigrationDirs: dirs, Engine: dsnEngine(t)})
		if err == nil || !strings.Contains(err.Error(), "each history needs a directory of its own") {
			t.Errorf("%v: %v", dirs, err)
		}
	}
}

// TestCustomFixture replays the custom-pattern fixture (Authelia's V0001.Name.up.sql layout):
// the pattern orders V0003 before V0010, down files are ignored without a warning.
func TestCustomFixture(t *testing.T) {
	dir := filepath.Join("..", "testdata", "formats", "custom")
	lines := readLines(t, filepath.Join(dir, "pattern.txt"))
	res := run(t, Options{WorkDir: dir, Migrations: "db/migrations", Format: migrations.Custom, Pattern: lines[0], Ignore: lines[1],
		Base: NoBase, Engine: dsnEngine(t)})
	if f := beyondNotices(res.Report); f != "" {
		t.Errorf("findings: %s", f)
	}
	var order []string
	for _, m := range res.Report.Migrations {
		_, rel, _ := strings.Cut(m.File, "testdata/formats/custom/")
		order = append(order, rel)
	}
	if got, want := strings.Join(order, "\n"), strings.Join(readLines(t, filepath.Join(dir, "order.txt")), "\n"); got != want {
		t.Errorf("order\n%s\nwant\n%s", got, want)
	}
	if res.Final == nil || len(res.Final.Tables) != 3 || len(res.Final.Triggers) != 1 {
		t.Errorf("final schema %+v", res.Final)
	}
	if _, err := os.Stat(filepath.Join(dir, "db", "migrations", "V0001.Create_Users.down.sql")); err != nil {
		t.Fatal(err)
	}
}
