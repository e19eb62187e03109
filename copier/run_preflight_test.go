package copier

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/schema"
)

// TestRunPreflightRefusals checks every refusal made before anything is created: each is a
// *Refusal with a reason that says what is wrong, and the database holds nothing of the copier's.
func TestRunPreflightRefusals(t *testing.T) { testenv.EachServer(t, testRunPreflightRefusals) }

func testRunPreflightRefusals(t *testing.T, s testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 50)
	mustExec(t, db,
		"CREATE TABLE nokey (a INT NULL, b INT NULL, UNIQUE KEY (a))",
		"CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB",
		"CREATE TABLE child (id INT PRIMARY KEY, p INT, CONSTRAINT fk_child_parent FOREIGN KEY (p) REFERENCES parent (id)) ENGINE=InnoDB",
		"CREATE TABLE audited (id INT PRIMARY KEY, v INT)",
		"CREATE TABLE audit (n INT)",
		"CREATE TRIGGER audited_ai AFTER INSERT ON audited FOR EACH ROW INSERT INTO audit VALUES (NEW.id)",
		"CREATE TRIGGER audited_bu BEFORE UPDATE ON audited FOR EACH ROW SET NEW.v = NEW.v + 1",
		"CREATE TABLE isam (id INT PRIMARY KEY) ENGINE=MyISAM",
		"CREATE TABLE fkey (f FLOAT NOT NULL, v INT, UNIQUE KEY (f))",
		"CREATE TABLE skey (code VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL, v INT, UNIQUE KEY uk (code))",
	)
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"missing table", Options{Table: "nope", Alter: "ADD c INT"}, "does not exist"},
		{"no key", Options{Table: "nokey", Alter: "ADD c INT"}, "no primary key and no NOT NULL unique key"},
		{"float key only", Options{Table: "fkey", Alter: "ADD c INT"}, "no primary key"},
		{"drops its own foreign key", Options{Table: "child", Alter: "DROP FOREIGN KEY fk_child_parent"}, "drop it in place first"},
		{"a trigger the change breaks", Options{Table: "audited", Alter: "DROP COLUMN v", Execute: true}, "trigger audited_bu of audited cannot be re-created on the changed table at the cut-over: Error 1054"},
		{"MyISAM", Options{Table: "isam", Alter: "ADD c INT"}, "MyISAM engine"},
		{"rename column", Options{Table: "t", Alter: "RENAME COLUMN b TO bb"}, "renames column b to bb"},
		{"change column name", Options{Table: "t", Alter: "CHANGE COLUMN b bb VARCHAR(40) NOT NULL"}, "renames column b to bb"},
		{"drops the key column", Options{Table: "t", Alter: "DROP COLUMN id"}, "drops column id"},
		{"drops the primary key", Options{Table: "t", Alter: "MODIFY id INT NOT NULL, DROP PRIMARY KEY"}, "no index that starts with id"},
		{"retypes the key", Options{Table: "t", Alter: "MODIFY id VARCHAR(20) NOT NULL"}, "changes column id from int"},
		{"converts the key's character set", Options{Table: "skey", Alter: "CONVERT TO CHARACTER SET latin1"}, "changes column code from varchar(20) COLLATE utf8mb4_general_ci to varchar(20) COLLATE latin1"},
		{"drops the only key", Options{Table: "skey", Alter: "DROP INDEX uk"}, "no index that starts with code"},
		{"another table", Options{Table: "t", Alter: "ALTER TABLE audited ADD c INT"}, "is on audited"},
		{"rename table", Options{Table: "t", Alter: "RENAME TO t2"}, "RENAME TO"},
		{"partitioning", Options{Table: "t", Alter: "PARTITION BY HASH(id) PARTITIONS 2"}, "partition"},
		{"unparseable", Options{Table: "t", Alter: "ADD COLUMN c INT DEFAULT"}, "cannot parse"},
		{"ignore", Options{Table: "t", Alter: "ALTER IGNORE TABLE t ADD UNIQUE (a)"}, "IGNORE"},
		{"not null without default", Options{Table: "t", Alter: "ADD COLUMN n INT NOT NULL"}, "NOT NULL without a default"},
		{"server rejects", Options{Table: "t", Alter: "ADD COLUMN a INT"}, "rejects the ALTER"},
		{"unknown rename source", Options{Table: "t", Alter: "ADD COLUMN z INT", Renames: map[string]string{"z": "nope"}}, "does not have"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(context.Background(), db, tt.opts)
			var ref *Refusal
			if !errors.As(err, &ref) {
				t.Fatalf("Run: %v, want a refusal", err)
			}
			if !strings.Contains(ref.Reason, tt.want) {
				t.Errorf("reason %q, want %q", ref.Reason, tt.want)
			}
			if res == nil || res.CutOver {
				t.Errorf("result %+v", res)
			}
			assertClean(t, db)
		})
	}
	// The user's trigger is still there, untouched.
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = 'audited_ai'").Scan(&n); err != nil || n != 1 {
		t.Errorf("the user's trigger: %d, %v", n, err)
	}
}

// TestRunLeftovers simulates a crashed run: the next run names what it left and refuses,
// Leftovers lists it, Cleanup drops it, and then the run goes through.
func TestRunLeftovers(t *testing.T) { testenv.EachServer(t, testRunLeftovers) }

func testRunLeftovers(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 100)
	n := namesFor("", "t")
	mustExec(t, db,
		"CREATE TABLE "+schema.QuoteIdent(n.shadow)+" LIKE t",
		"CREATE TABLE "+schema.QuoteIdent(n.errors)+" (id INT)",
		"CREATE TRIGGER "+schema.QuoteIdent(n.insTrigger)+" AFTER INSERT ON t FOR EACH ROW INSERT INTO "+schema.QuoteIdent(n.errors)+" VALUES (NEW.id)",
	)
	_, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD x INT", Execute: true})
	var ref *Refusal
	if !errors.As(err, &ref) || !strings.Contains(ref.Reason, "_t_sg_new") || !strings.Contains(ref.Reason, "_t_sg_ins") ||
		!strings.Contains(ref.Reason, "schema-guard copy --cleanup") {
		t.Fatalf("Run: %v", err)
	}
	left, err := Leftovers(context.Background(), db, "t")
	if err != nil || strings.Join(left, ",") != "_t_sg_err,_t_sg_ins,_t_sg_new" {
		t.Fatalf("Leftovers = %v, %v", left, err)
	}
	if _, err := Cleanup(context.Background(), db, "t"); err != nil {
		t.Fatal(err)
	}
	assertClean(t, db)
	if left, err := Leftovers(context.Background(), db, "t"); err != nil || len(left) != 0 {
		t.Fatalf("Leftovers after Cleanup = %v, %v", left, err)
	}
	// The trigger wrote nothing on its way out, and the table still takes writes.
	mustExec(t, db, "INSERT INTO t (a, b) VALUES (1, 'after cleanup')")
	if _, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD x INT", Execute: true}); err != nil {
		t.Fatal(err)
	}
	assertClean(t, db)
}

// TestRunRefusesConcurrentRun: a second run on the same table waits for nothing and refuses.
func TestRunRefusesConcurrentRun(t *testing.T) { testenv.EachServer(t, testRunRefusesConcurrentRun) }

func testRunRefusesConcurrentRun(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	fillTable(t, db, "t", 2000)
	started := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD x INT", ChunkTime: 1,
			Progress: func(Progress) {
				select {
				case <-started:
				default:
					close(started)
					<-release
				}
			}})
		done <- err
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("the first run ended before its first chunk: %v", err)
	}
	_, err := Run(context.Background(), db, Options{Table: "t", Alter: "ADD y INT"})
	var ref *Refusal
	if !errors.As(err, &ref) || !strings.Contains(ref.Reason, "another copy of t is running") {
		t.Errorf("second run: %v", err)
	}
	if _, err := Cleanup(context.Background(), db, "t"); err == nil || !strings.Contains(err.Error(), "is running") {
		t.Errorf("Cleanup during a run: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	assertClean(t, db)
}
