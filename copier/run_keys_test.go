package copier

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
)

// keyCase is a table, an ALTER that changes its keys, and the application's writes made while
// the copy runs: "during" before any row is copied (the triggers meet rows the shadow does not
// hold yet), "after" once every row is copied (they meet rows it holds).
type keyCase struct {
	name, create, fill, alter string
	during, after             []string
	order                     string // ORDER BY of the comparison
}

var keyCases = []keyCase{
	{name: "enum in the primary key",
		create: "CREATE TABLE %s (e ENUM('x','y','z') NOT NULL, n INT NOT NULL, v VARCHAR(20) NULL, PRIMARY KEY (e, n))",
		fill:   "SELECT ELT(1 + seq % 3, 'x', 'y', 'z'), seq, CONCAT('v', seq) FROM %s",
		alter:  "ADD COLUMN f INT NULL",
		during: []string{"UPDATE %s SET v = 'd' WHERE n % 7 = 0", "DELETE FROM %s WHERE n % 11 = 0", "UPDATE %s SET e = 'z' WHERE n % 13 = 1 AND e <> 'z'"},
		after:  []string{"UPDATE %s SET v = 'a' WHERE n % 5 = 0", "INSERT INTO %s (e, n, v) VALUES ('x', 100000, 'new')", "UPDATE %s SET e = 'x' WHERE n % 17 = 2 AND e <> 'x'"},
		order:  "e, n"},
	{name: "enum member appended to the key",
		create: "CREATE TABLE %s (e ENUM('x','y','z') NOT NULL, n INT NOT NULL, v VARCHAR(20) NULL, PRIMARY KEY (e, n))",
		fill:   "SELECT ELT(1 + seq % 3, 'x', 'y', 'z'), seq, CONCAT('v', seq) FROM %s",
		alter:  "MODIFY e ENUM('x','y','z','w') NOT NULL",
		during: []string{"DELETE FROM %s WHERE n % 11 = 0"},
		after:  []string{"UPDATE %s SET v = 'a' WHERE n % 5 = 0"},
		order:  "e, n"},
	{name: "primary key widened",
		create: "CREATE TABLE %s (id INT NOT NULL, i INT NOT NULL, v VARCHAR(20) NULL, PRIMARY KEY (id))",
		fill:   "SELECT seq, seq % 10, CONCAT('v', seq) FROM %s",
		alter:  "DROP PRIMARY KEY, ADD PRIMARY KEY (id, i)",
		during: []string{"UPDATE %s SET i = i + 1 WHERE id % 7 = 0", "DELETE FROM %s WHERE id % 11 = 0"},
		after:  []string{"UPDATE %s SET i = i + 1 WHERE id % 5 = 0", "UPDATE %s SET id = id + 100000 WHERE id % 9 = 0"},
		order:  "id"},
	{name: "primary and unique key swap",
		create: "CREATE TABLE %s (a INT NOT NULL, b INT NOT NULL, v VARCHAR(20) NULL, PRIMARY KEY (a), UNIQUE KEY ub (b))",
		fill:   "SELECT seq, 10 * seq, CONCAT('v', seq) FROM %s",
		alter:  "DROP PRIMARY KEY, DROP INDEX ub, ADD PRIMARY KEY (b), ADD UNIQUE KEY ua (a)",
		during: []string{"UPDATE %s SET b = b + 1 WHERE a % 7 = 0", "UPDATE %s SET a = a + 100000 WHERE a % 13 = 0"},
		after:  []string{"UPDATE %s SET b = b + 1000000 WHERE a % 5 = 0", "UPDATE %s SET a = a + 200000 WHERE a % 3 = 0"},
		order:  "a"},
	{name: "primary key to unique key",
		create: "CREATE TABLE %s (id INT NOT NULL, v VARCHAR(20) NULL, PRIMARY KEY (id))",
		fill:   "SELECT seq, CONCAT('v', seq) FROM %s",
		alter:  "DROP PRIMARY KEY, ADD UNIQUE KEY uid (id)",
		during: []string{"UPDATE %s SET id = id + 100000 WHERE id % 7 = 0"},
		after:  []string{"UPDATE %s SET v = 'a' WHERE id % 5 = 0"},
		order:  "id"},
	{name: "unique key renamed",
		create: "CREATE TABLE %s (b INT NOT NULL, v VARCHAR(20) NULL, UNIQUE KEY u (b))",
		fill:   "SELECT seq, CONCAT('v', seq) FROM %s",
		alter:  "DROP INDEX u, ADD UNIQUE KEY u2 (b)",
		during: []string{"DELETE FROM %s WHERE b % 7 = 0"},
		after:  []string{"UPDATE %s SET b = b + 100000 WHERE b % 5 = 0"},
		order:  "b"},
	{name: "primary key updated beside another unique key",
		create: "CREATE TABLE %s (id INT NOT NULL, u INT NOT NULL, v VARCHAR(20) NULL, PRIMARY KEY (id), UNIQUE KEY uu (u))",
		fill:   "SELECT seq, seq, CONCAT('v', seq) FROM %s",
		alter:  "ADD COLUMN f INT NULL",
		during: []string{"UPDATE %s SET id = id + 100000 WHERE id % 7 = 0"},
		after:  []string{"UPDATE %s SET id = id + 200000 WHERE id % 4 = 0", "UPDATE %s SET u = u + 300000, id = id + 300000 WHERE id % 9 = 1"},
		order:  "id"},
	{name: "varchar key lengthened",
		create: "CREATE TABLE %s (k VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL, v INT NULL, PRIMARY KEY (k))",
		fill:   "SELECT CONCAT(ELT(1 + seq % 4, 'a', 'B', 'é', 'Ä'), seq), seq FROM %s",
		alter:  "MODIFY k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL",
		during: []string{"DELETE FROM %s WHERE v % 7 = 0"},
		after:  []string{"UPDATE %s SET k = UPPER(k) WHERE v % 5 = 0"},
		order:  "k"},
}

// TestRunKeyCases copies tables whose keys the ALTER changes in ways the copy can follow, with
// writes through the triggers before and after the rows are copied, and compares the result with
// the same writes and a plain ALTER on a reference table.
func TestRunKeyCases(t *testing.T) { testenv.EachServer(t, testRunKeyCases) }

func testRunKeyCases(t *testing.T, _ testenv.Server) {
	for _, kc := range keyCases {
		t.Run(strings.ReplaceAll(kc.name, " ", "_"), func(t *testing.T) {
			db := scratch(t)
			for _, table := range []string{"t", "ref"} {
				mustExec(t, db, strings.ReplaceAll(kc.create, "%s", table),
					"INSERT INTO "+table+" "+strings.ReplaceAll(kc.fill, "%s", testenv.Seq(3000)))
			}
			for _, w := range append(append([]string{}, kc.during...), kc.after...) {
				mustExec(t, db, strings.ReplaceAll(w, "%s", "ref"))
			}
			mustExec(t, db, "ALTER TABLE ref "+kc.alter)
			res, err := runWithWrites(t, db, Options{Table: "t", Alter: kc.alter, Execute: true, ChunkTime: time.Millisecond}, kc, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := queryDigest(t, db, "SELECT * FROM ref ORDER BY "+kc.order)
			if got := queryDigest(t, db, "SELECT * FROM t ORDER BY "+kc.order); got != want || !res.CutOver || res.Chunks < 3 {
				t.Errorf("the copy differs from the plain ALTER (%s vs %s), result %+v", got, want, res)
			}
			if got, want := createTable(t, db, "t"), strings.Replace(createTable(t, db, "ref"), "`ref`", "`t`", 1); got != want {
				t.Errorf("definition\n%s\nwant\n%s", got, want)
			}
			assertClean(t, db)
		})
	}
}

// runWithWrites runs the copy with a throttle flag file that holds it before its first chunk,
// makes kc.during's writes once it is paused (the triggers exist then), lets it go, and makes
// kc.after's writes before the cut-over, then calls then (when not nil).
func runWithWrites(t *testing.T, db *sql.DB, opts Options, kc keyCase, then func()) (*Result, error) {
	flag := filepath.Join(t.TempDir(), "throttle")
	if err := os.WriteFile(flag, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	opts.ThrottleFlagFile = flag
	wrote := false
	opts.Progress = func(p Progress) {
		if p.Paused == "" || wrote {
			return
		}
		wrote = true
		if p.Copied != 0 {
			t.Errorf("%d rows copied while the flag file exists", p.Copied)
		}
		for _, w := range kc.during {
			mustExec(t, db, strings.ReplaceAll(w, "%s", "t"))
		}
		if err := os.Remove(flag); err != nil {
			t.Error(err)
		}
	}
	opts.BeforeCutover = func(ctx context.Context) error {
		if !wrote {
			t.Error("the copy never paused for the flag file")
		}
		for _, w := range kc.after {
			mustExec(t, db, strings.ReplaceAll(w, "%s", "t"))
		}
		if then != nil {
			then()
		}
		return nil
	}
	return Run(context.Background(), db, opts)
}
