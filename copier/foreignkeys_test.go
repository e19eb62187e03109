package copier

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// fkTables makes parent and child, whose foreign key cascades deletes, with rows.
func fkTables(t *testing.T) *sql.DB {
	t.Helper()
	db := scratch(t)
	mustExec(t, db,
		"CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB",
		"INSERT INTO parent SELECT seq FROM "+testenv.Seq(100),
		"CREATE TABLE child (id INT PRIMARY KEY, p INT NULL, note VARCHAR(20) NULL, CONSTRAINT fk_child_parent FOREIGN KEY (p) REFERENCES parent (id) ON DELETE CASCADE) ENGINE=InnoDB",
		"INSERT INTO child SELECT seq, seq % 100 + 1, CONCAT('n', seq) FROM "+testenv.Seq(5000))
	return db
}

// TestRunOwnForeignKeys: a table with its own foreign key is copied with the key checked and
// enforced on the shadow, and after the cut-over the key has its own name again.
func TestRunOwnForeignKeys(t *testing.T) { testenv.EachServer(t, testRunOwnForeignKeys) }

func testRunOwnForeignKeys(t *testing.T, _ testenv.Server) {
	db := fkTables(t)
	res, err := Run(context.Background(), db, Options{Table: "child", Alter: "ADD COLUMN qty INT NULL", Execute: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.CutOver || res.Rows != 5000 || len(res.Notes) != 0 {
		t.Errorf("result %+v", res)
	}
	create := createTable(t, db, "child")
	if !strings.Contains(create, "CONSTRAINT `fk_child_parent` FOREIGN KEY (`p`) REFERENCES `parent` (`id`) ON DELETE CASCADE") || !strings.Contains(create, "`qty`") {
		t.Errorf("after the cut-over:\n%s", create)
	}
	if _, err := db.Exec("INSERT INTO child (id, p) VALUES (9999, 12345)"); err == nil {
		t.Error("the new table does not enforce the foreign key")
	}
	mustExec(t, db, "DELETE FROM parent WHERE id = 1")
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM child WHERE p = 1").Scan(&n); err != nil || n != 0 {
		t.Errorf("the cascade does not reach the new table: %d rows, %v", n, err)
	}
	assertClean(t, db)
}

// TestRunOwnForeignKeysKeepOld: the old table keeps the key's name, so the new one keeps the
// temporary name, and the result says how to rename it.
func TestRunOwnForeignKeysKeepOld(t *testing.T) { testenv.EachServer(t, testRunOwnForeignKeysKeepOld) }

func testRunOwnForeignKeysKeepOld(t *testing.T, _ testenv.Server) {
	db := fkTables(t)
	res, err := Run(context.Background(), db, Options{Table: "child", Alter: "ADD COLUMN qty INT NULL", Execute: true, KeepOld: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "ADD CONSTRAINT `fk_child_parent`") {
		t.Errorf("notes %q", res.Notes)
	}
	if create := createTable(t, db, "child"); !strings.Contains(create, "CONSTRAINT `_fk_child_parent`") {
		t.Errorf("after the cut-over:\n%s", create)
	}
	mustExec(t, db, "DROP TABLE "+res.OldTable)
}

// TestRunForeignKeyAddedOverOrphans: a foreign key the ALTER adds is checked row by row, so an
// orphan stops the copy with its key, as the plain ALTER would fail.
func TestRunForeignKeyAddedOverOrphans(t *testing.T) {
	testenv.EachServer(t, testRunForeignKeyAddedOverOrphans)
}

func testRunForeignKeyAddedOverOrphans(t *testing.T, _ testenv.Server) {
	db := fkTables(t)
	mustExec(t, db,
		"CREATE TABLE other (id INT PRIMARY KEY, ref INT NULL) ENGINE=InnoDB",
		"INSERT INTO other SELECT seq, IF(seq = 77, 4242, seq % 100 + 1) FROM "+testenv.Seq(500))
	_, err := Run(context.Background(), db, Options{Table: "other", Alter: "ADD CONSTRAINT fk_other_parent FOREIGN KEY (ref) REFERENCES parent (id)", Execute: true})
	var ref *Refusal
	if !errors.As(err, &ref) || ref.Key != "id=77" {
		t.Errorf("Run: %v, want a refusal at id=77", err)
	}
	assertClean(t, db)
}

// TestRunSelfReferenceRefused: on the shadow a self-referencing key would point at the original,
// and the RENAME would carry it to the old table.
func TestRunSelfReferenceRefused(t *testing.T) { testenv.EachServer(t, testRunSelfReferenceRefused) }

func testRunSelfReferenceRefused(t *testing.T, _ testenv.Server) {
	db := scratch(t)
	mustExec(t, db, "CREATE TABLE node (id INT PRIMARY KEY, up INT NULL, CONSTRAINT fk_node_up FOREIGN KEY (up) REFERENCES node (id)) ENGINE=InnoDB",
		"INSERT INTO node VALUES (1, NULL), (2, 1)")
	_, err := Run(context.Background(), db, Options{Table: "node", Alter: "ADD COLUMN x INT NULL", Execute: true})
	var ref *Refusal
	if !errors.As(err, &ref) || !strings.Contains(ref.Reason, "references the table itself") {
		t.Errorf("Run: %v, want a refusal for the self-reference", err)
	}
	assertClean(t, db)
}
