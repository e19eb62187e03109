package checker

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/rules"
	"github.com/schema-guard/schema-guard/schema"
)

// TestPlansPassTheOldAppProbe proves the safe plans safe: the first migration of every plan the
// rules propose, checked as a pending migration against the deployed state it was made for,
// raises no error and does not break the deployed application (the old-app probe).
func TestPlansPassTheOldAppProbe(t *testing.T) { testenv.EachServer(t, testPlansPassTheOldAppProbe) }

func testPlansPassTheOldAppProbe(t *testing.T, _ testenv.Server) {
	const deployedSQL = `CREATE TABLE users (
  id INT AUTO_INCREMENT PRIMARY KEY,
  surname VARCHAR(100) NOT NULL,
  email VARCHAR(100) NULL,
  status VARCHAR(10) NULL,
  KEY idx_surname (surname)
) DEFAULT CHARSET=utf8mb4;
INSERT INTO users (surname, email, status) VALUES ('Lovelace', 'ada@example.com', NULL), ('Hopper', NULL, 'active'), ('Turing', 'alan@example.com', 'active');
`
	dir, git := testenv.GitRepo(t)
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__users.sql"), deployedSQL)
	git("add", "-A")
	git("commit", "-qm", "deployed")
	git("checkout", "-qb", "change")

	// The deployed model, as the rules see it.
	s, err := Start(context.Background(), Options{WorkDir: dir, Base: NoBase, Engine: dsnEngine(t)})
	if err != nil {
		t.Fatal(err)
	}
	deployed := s.Final
	s.Close()
	users := deployed.Table("users")
	column := func(name string) *schema.Column { return users.Column(name) }
	changed := func(c *schema.Column, edit func(*schema.Column)) *schema.Column {
		cp := *c
		edit(&cp)
		return &cp
	}
	tier := &schema.Column{Name: "tier", Type: "varchar(10)", DataType: "varchar", Charset: "utf8mb4", Collation: users.Options.Collation}

	plans := map[string]rules.Plan{
		"rename column": rules.PlanRenameColumn(deployed, users, column("surname"), changed(column("surname"), func(c *schema.Column) { c.Name = "last_name" })),
		"narrow":        rules.PlanNarrowColumn(deployed, users, column("surname"), changed(column("surname"), func(c *schema.Column) { c.Type = "varchar(40)" }), ""),
		"rename table":  rules.PlanRenameTable(users, "clients"),
		"add not null":  rules.PlanAddNotNull(deployed, users, tier),
		"tighten":       rules.PlanTightenNotNull(deployed, users, column("status"), changed(column("status"), func(c *schema.Column) { c.Nullable = false })),
	}
	for name, plan := range plans {
		var first []rules.Phase
		for _, ph := range plan.Phases {
			if strings.HasPrefix(ph.Title, "Expand") || strings.HasPrefix(ph.Title, "Either") || strings.HasPrefix(ph.Title, "Or") {
				first = append(first, ph)
			}
		}
		if len(first) == 0 {
			t.Fatalf("%s: no first migration in the plan:\n%s", name, plan.Text(migrations.Script))
		}
		for i, ph := range first {
			t.Run(name+"/"+string(rune('a'+i)), func(t *testing.T) {
				script, err := migrations.Script(ph.SQL)
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(dir, "db/migrations/V2__phase1.sql")
				testenv.WriteFile(t, path, script)
				res := run(t, Options{WorkDir: dir, Engine: dsnEngine(t)})
				for _, f := range res.Report.Findings {
					if f.Fails() || f.Rule == finding.OldAppBreak || len(f.Evidence) > 0 {
						t.Errorf("%s %s:%d %s: %s %v", f.Severity, f.File, f.Line, f.Rule, f.Message, f.Evidence)
					}
				}
				if t.Failed() {
					t.Logf("the migration:\n%s", script)
				}
			})
		}
	}
}
