package checker

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/runner"
)

// symlinkRepo makes a git repository with one migration, a shared directory inside it and a
// directory outside it, and returns the repository and the outside directory.
func symlinkRepo(t *testing.T) (dir, outside string, git func(...string) string) {
	t.Helper()
	dir, git = testenv.GitRepo(t)
	outside = filepath.Join(t.TempDir(), "outside")
	testenv.WriteFile(t, filepath.Join(outside, "V3__x.sql"), "CREATE TABLE leaked (secret VARCHAR(50));\n")
	testenv.WriteFile(t, filepath.Join(outside, "schema.sql"), "CREATE TABLE leaked (secret VARCHAR(50));\n")
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__a.sql"), "CREATE TABLE a (id INT PRIMARY KEY);\n")
	testenv.WriteFile(t, filepath.Join(dir, "shared/V2__b.sql"), "CREATE TABLE b (id INT PRIMARY KEY);\n")
	testenv.WriteFile(t, filepath.Join(dir, "schema/a.sql"), "CREATE TABLE a (id INT PRIMARY KEY);\n")
	return dir, outside, git
}

func symlink(t *testing.T, target, at string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(at), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(at); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, at); err != nil {
		t.Fatal(err)
	}
}

// TestSymlinksOutOfTheRepositoryAreRefused: whatever way a symbolic link takes a read out of the
// repository — a migration, a subdirectory, the directory itself or its parent, one of several
// histories, the declared schema (file, directory, or a file in it), a link into .git, a chain of
// links, a relative ../ escape — the check stops with one line naming the link, and nothing of
// the linked file reaches a report.
func TestSymlinksOutOfTheRepositoryAreRefused(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, dir, outside string)
		opts  Options
		want  string
	}{
		{"migration to /etc/passwd", func(t *testing.T, dir, _ string) {
			symlink(t, "/etc/passwd", filepath.Join(dir, "db/migrations/V2__passwd.sql"))
		}, Options{}, "db/migrations/V2__passwd.sql is a symbolic link to /etc/passwd, outside the repository"},
		{"relative escape", func(t *testing.T, dir, outside string) {
			rel, _ := filepath.Rel(filepath.Join(dir, "db/migrations"), filepath.Join(outside, "V3__x.sql"))
			symlink(t, rel, filepath.Join(dir, "db/migrations/V3__x.sql"))
		}, Options{}, "db/migrations/V3__x.sql is a symbolic link to ../"},
		{"subdirectory", func(t *testing.T, dir, outside string) {
			symlink(t, outside, filepath.Join(dir, "db/migrations/more"))
		}, Options{}, "db/migrations/more is a symbolic link to " + "OUTSIDE"},
		{"into .git", func(t *testing.T, dir, _ string) {
			symlink(t, "../../.git/config", filepath.Join(dir, "db/migrations/V2__token.sql"))
		}, Options{}, "db/migrations/V2__token.sql is a symbolic link to ../../.git/config, into the git directory"},
		{"chain of links", func(t *testing.T, dir, _ string) {
			symlink(t, "/etc/passwd", filepath.Join(dir, "shared/passwd"))
			symlink(t, "../../shared/passwd", filepath.Join(dir, "db/migrations/V2__chain.sql"))
		}, Options{}, "db/migrations/V2__chain.sql is a symbolic link to ../../shared/passwd, outside the repository"},
		{"the directory itself", func(t *testing.T, dir, outside string) {
			symlink(t, outside, filepath.Join(dir, "db/migrations"))
		}, Options{Migrations: "db/migrations"}, "migrations directory: db/migrations is a symbolic link to OUTSIDE"},
		{"the default directory", func(t *testing.T, dir, outside string) {
			symlink(t, outside, filepath.Join(dir, "db/migrations"))
		}, Options{Migrations: ""}, "migrations directory: db/migrations is a symbolic link to OUTSIDE"},
		{"its parent", func(t *testing.T, dir, outside string) {
			if err := os.RemoveAll(filepath.Join(dir, "db")); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(filepath.Join(outside, "migrations"), 0o755); err != nil {
				t.Fatal(err)
			}
			symlink(t, outside, filepath.Join(dir, "db"))
		}, Options{Migrations: "db/migrations"}, "db (on the way to db/migrations) is a symbolic link to OUTSIDE"},
		{"one of several histories", func(t *testing.T, dir, outside string) {
			symlink(t, outside, filepath.Join(dir, "db/billing"))
		}, Options{MigrationDirs: []string{"db/migrations", "db/billing"}}, "db/billing is a symbolic link to OUTSIDE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, outside, _ := symlinkRepo(t)
			c.setup(t, dir, outside)
			opts := c.opts
			opts.WorkDir, opts.Base, opts.Engine = dir, NoBase, runner.Options{Kind: runner.DSN, DSN: "unused:unused@tcp([::1]:1)/"}
			if opts.Migrations == "" && opts.MigrationDirs == nil && c.name != "the default directory" {
				opts.Migrations = "db/migrations"
			}
			_, err := Run(context.Background(), opts)
			want := strings.ReplaceAll(c.want, "OUTSIDE", outside)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want it to say %q", err, want)
			}
			if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "leaked") || strings.Contains(err.Error(), "root:") {
				t.Errorf("the refusal spans lines or quotes the file: %q", err)
			}
		})
	}
}

// TestDeclaredSchemaSymlinksAreRefused covers the declared state: a link as the schema path
// (file or directory), and a link among its files.
func TestDeclaredSchemaSymlinksAreRefused(t *testing.T) {
	eng := dsnEngine(t)
	for _, c := range []struct {
		name   string
		setup  func(t *testing.T, dir, outside string)
		schema string
		want   string
	}{
		{"a file in it", func(t *testing.T, dir, _ string) {
			symlink(t, "/etc/passwd", filepath.Join(dir, "schema/passwd.sql"))
		}, "schema", "schema/passwd.sql is a symbolic link to /etc/passwd, outside the repository"},
		{"the directory", func(t *testing.T, dir, outside string) {
			symlink(t, outside, filepath.Join(dir, "decl"))
		}, "decl", "decl is a symbolic link to OUTSIDE, outside the repository"},
		{"the dump file", func(t *testing.T, dir, outside string) {
			symlink(t, filepath.Join(outside, "schema.sql"), filepath.Join(dir, "dump.sql"))
		}, "dump.sql", "dump.sql is a symbolic link to OUTSIDE/schema.sql, outside the repository"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, outside, _ := symlinkRepo(t)
			c.setup(t, dir, outside)
			_, err := Run(context.Background(), Options{WorkDir: dir, Migrations: "db/migrations", Schema: c.schema, Base: NoBase, Engine: eng, NoCopier: true})
			want := strings.ReplaceAll(c.want, "OUTSIDE", outside)
			if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line saying %q", err, want)
			}
		})
	}
}

// TestSymlinksInsideTheRepositoryAreFollowed: a link that stays inside the repository is read
// like the file it points to, in the working tree and at the base ref alike, and a link that
// left the repository at the base ref is never followed there.
func TestSymlinksInsideTheRepositoryAreFollowed(t *testing.T) {
	eng := dsnEngine(t)
	dir, _, git := symlinkRepo(t)
	symlink(t, "../../shared/V2__b.sql", filepath.Join(dir, "db/migrations/V2__b.sql"))
	symlink(t, "../schema", filepath.Join(dir, "db/declared"))
	symlink(t, "/etc/passwd", filepath.Join(dir, "db/migrations/V3__c.sql"))
	git("add", "-A")
	git("commit", "-qm", "base")
	// The pull request replaces the link out of the repository with a migration.
	if err := os.Remove(filepath.Join(dir, "db/migrations/V3__c.sql")); err != nil {
		t.Fatal(err)
	}
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V3__c.sql"), "CREATE TABLE c (id INT PRIMARY KEY);\n")
	git("checkout", "-qb", "pr")
	git("add", "-A")
	git("commit", "-qm", "pr")

	res := run(t, Options{WorkDir: dir, Migrations: "db/migrations", Schema: "db/declared", Base: "main", Engine: eng, NoCopier: true})
	rep := res.Report
	var states []string
	for _, m := range rep.Migrations {
		states = append(states, m.File+":"+m.State)
	}
	want := "db/migrations/V1__a.sql:deployed db/migrations/V2__b.sql:deployed db/migrations/V3__c.sql:pending"
	if strings.Join(states, " ") != want {
		t.Errorf("migrations = %s, want %s", strings.Join(states, " "), want)
	}
	if got := findings(rep); strings.Contains(got, "edited-migration") || strings.Contains(got, "replay-failed") {
		t.Errorf("findings = %s", got)
	}
	if rep.Schema == nil || rep.Schema.Tables != 3 {
		t.Errorf("schema = %+v, want the 3 tables of V1, the linked V2 and V3", rep.Schema)
	}
	// The declared schema, reached through a link inside the repository, has only table a:
	// b and c are extra.
	var extra []string
	for _, d := range rep.Drift {
		extra = append(extra, d.Object+":"+d.Change)
	}
	if strings.Join(extra, " ") != "b:extra c:extra" {
		t.Errorf("drift = %v, want b and c extra", extra)
	}
}

// TestNoGitTreeIsTheWorkingDirectory: outside git, reads stay inside the working directory.
func TestNoGitTreeIsTheWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__a.sql"), "CREATE TABLE a (id INT);\n")
	symlink(t, "/etc/passwd", filepath.Join(dir, "db/migrations/V2__passwd.sql"))
	_, err := Run(context.Background(), Options{WorkDir: dir, Base: NoBase, Engine: runner.Options{Kind: runner.DSN, DSN: "unused:unused@tcp([::1]:1)/"}})
	real, _ := filepath.EvalSymlinks(dir)
	want := "db/migrations/V2__passwd.sql is a symbolic link to /etc/passwd, outside the working directory " + real
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

// TestSampleSymlinkIsRefused: the copier's dry run reads the user's sample of a table, whose
// rows can reach the report; a sample that links out of the repository is refused.
func TestSampleSymlinkIsRefused(t *testing.T) {
	eng := dsnEngine(t)
	dir, git := testenv.GitRepo(t)
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V1__t.sql"), "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20));\n")
	git("add", "-A")
	git("commit", "-qm", "base")
	testenv.WriteFile(t, filepath.Join(dir, "db/migrations/V2__alter.sql"), "ALTER TABLE t ADD COLUMN w INT NULL;\n")
	symlink(t, "/etc/passwd", filepath.Join(dir, "samples/t.csv"))
	_, err := Run(context.Background(), Options{WorkDir: dir, Migrations: "db/migrations", Base: "main", Engine: eng,
		SampleDir: filepath.Join(dir, "samples")})
	want := "samples/t.csv is a symbolic link to /etc/passwd, outside the repository"
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "root:") {
		t.Fatalf("err = %v, want %q", err, want)
	}
}
