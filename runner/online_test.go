package runner

import (
	"context"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// statement parses one statement as the replay does.
func statement(t *testing.T, text string) *migrations.Statement {
	t.Helper()
	sts := []migrations.Statement{{File: "m.sql", Line: 1, Text: text}}
	migrations.NewParser().Parse(sts)
	return &sts[0]
}

func TestOnlineForms(t *testing.T) {
	cases := []struct{ in, want string }{
		{"ALTER TABLE t ADD COLUMN c INT", "ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE, ADD COLUMN c INT"},
		// The clauses go in front of the specifications, where a comma never continues a list.
		{"ALTER TABLE t ADD INDEX i (a, b), COMMENT 'x, ALGORITHM=COPY'",
			"ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE, ADD INDEX i (a, b), COMMENT 'x, ALGORITHM=COPY'"},
		{"ALTER TABLE `t` ADD COLUMN `lock` INT DEFAULT 1,\n  ALGORITHM INPLACE -- in place",
			"ALTER TABLE `t` ALGORITHM=INPLACE, LOCK=NONE, ADD COLUMN `lock` INT DEFAULT 1"},
		{"ALTER TABLE t ROW_FORMAT=DYNAMIC", "ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE, ROW_FORMAT=DYNAMIC"},
		{"CREATE UNIQUE INDEX algorithm ON t (a) USING BTREE", "CREATE UNIQUE INDEX algorithm ON t (a) USING BTREE ALGORITHM=INPLACE LOCK=NONE"},
		{"CREATE INDEX i ON t (a) COMMENT 'lock' ALGORITHM=INPLACE", "CREATE INDEX i ON t (a) COMMENT 'lock' ALGORITHM=INPLACE LOCK=NONE"},
		{"DROP INDEX i ON t", "ALTER TABLE `t` ALGORITHM=INPLACE, LOCK=NONE, DROP INDEX `i`"},
	}
	for _, c := range cases {
		f, err := readOnlineForm(statement(t, c.in))
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got := f.write("INPLACE", "NONE"); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.in, got, c.want)
		}
	}
	if f, err := readOnlineForm(statement(t, "CREATE INDEX i ON t (a)")); err != nil || f.write("INSTANT", "") != "CREATE INDEX i ON t (a) ALGORITHM=INSTANT" {
		t.Errorf("INSTANT without a lock: %v", err)
	}

	// The statement's own ALGORITHM and LOCK are what production runs: they bound the forms.
	mariadb := schema.Flavor{Kind: schema.MariaDB, Major: 10, Minor: 11}
	bounded := []struct {
		in       string
		attempts string
		sql      string // the first attempt's statement
	}{
		{"ALTER TABLE t ALGORITHM=COPY, ADD COLUMN c INT", "COPY/", "ALTER TABLE t ALGORITHM=COPY, ADD COLUMN c INT"},
		{"ALTER TABLE t ADD COLUMN c INT, LOCK = SHARED", "DEFAULT/SHARED", "ALTER TABLE t ADD COLUMN c INT, LOCK = SHARED"},
		{"ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT", "INSTANT/", "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INSTANT"},
		{"ALTER TABLE t ADD INDEX i (a), ALGORITHM=INPLACE", "INPLACE/NONE INPLACE/SHARED INPLACE/EXCLUSIVE", "ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE, ADD INDEX i (a)"},
		{"ALTER TABLE t ADD INDEX i (a), ALGORITHM=DEFAULT, LOCK=DEFAULT", "INSTANT/ NOCOPY/NONE INPLACE/NONE INPLACE/SHARED COPY/SHARED COPY/EXCLUSIVE", "ALTER TABLE t ALGORITHM=INSTANT, ADD INDEX i (a)"},
		{"CREATE INDEX i ON t (a) ALGORITHM=COPY LOCK=SHARED", "COPY/SHARED", "CREATE INDEX i ON t (a) ALGORITHM=COPY LOCK=SHARED"},
		{"DROP INDEX i ON t ALGORITHM=COPY", "COPY/", "ALTER TABLE `t` ALGORITHM=COPY, DROP INDEX `i`"},
	}
	for _, c := range bounded {
		f, err := readOnlineForm(statement(t, c.in))
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		var got []string
		for _, a := range f.attempts(mariadb) {
			got = append(got, a[0]+"/"+a[1])
		}
		if strings.Join(got, " ") != c.attempts {
			t.Errorf("%s: attempts %v, want %s", c.in, got, c.attempts)
		}
		if sql := f.sql(f.attempts(mariadb)[0]); sql != c.sql {
			t.Errorf("%s: first attempt %s, want %s", c.in, sql, c.sql)
		}
	}

	// What rebuilds a table with rows is a copy, whatever an empty copy answers.
	rebuilds := map[string]string{
		"ALTER TABLE t ENGINE=InnoDB":                                      "ENGINE=",
		"ALTER TABLE t ADD COLUMN c INT, ENGINE=InnoDB":                    "ENGINE=",
		"ALTER TABLE t FORCE":                                              "FORCE",
		"ALTER TABLE t ORDER BY a, b":                                      "ORDER BY",
		"ALTER TABLE t PARTITION BY HASH(id) PARTITIONS 2":                 "partitioning",
		"ALTER TABLE t ADD COLUMN c INT PARTITION BY HASH(c) PARTITIONS 2": "partitioning",
		"ALTER TABLE t DROP PARTITION p0":                                  "partitioning",
	}
	for in, want := range rebuilds {
		f, err := readOnlineForm(statement(t, in))
		if err != nil || !strings.Contains(f.rebuild, want) {
			t.Errorf("%s: rebuild %q (%v), want %q", in, f.rebuild, err, want)
		}
	}

	refused := map[string]string{
		"ALTER TABLE t ADD COLUMN c INT /*!, ALGORITHM=COPY */": "executable comments",
		"ALTER TABLE t ADD COLUMN c INT, ALGORITHM=NOCOPY":      "parser cannot read",
		"SELECT 1":                 "not an ALTER TABLE",
		"CREATE TABLE t2 (id INT)": "not an ALTER TABLE",
	}
	for in, want := range refused {
		_, err := readOnlineForm(statement(t, in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", in, err, want)
		}
	}
}

// onlineCreate is the table the online cases alter, as SHOW CREATE TABLE prints it.
const onlineCreate = "CREATE TABLE `orders` (\n" +
	"  `id` int(11) NOT NULL,\n" +
	"  `customer_id` int(11) NOT NULL,\n" +
	"  `qty` int(11) NOT NULL DEFAULT 0,\n" +
	"  `note` varchar(100) DEFAULT NULL,\n" +
	"  `body` text DEFAULT NULL,\n" +
	"  PRIMARY KEY (`id`),\n" +
	"  KEY `idx_customer` (`customer_id`),\n" +
	"  KEY `idx_qty` (`qty`),\n" +
	"  CONSTRAINT `fk_customer` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`)\n" +
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"

const onlineParent = "CREATE TABLE `customers` (`id` int(11) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB"

// TestMeasureOnline records what the servers answer; the code decides nothing of it. The
// expectations are MariaDB's (10.11 and 11.8 answer alike); MySQL 9.7 answers the same but for
// MariaDB's NOCOPY, which MySQL does not have: it does those without a rebuild as INPLACE.
func TestMeasureOnline(t *testing.T) { testenv.EachServer(t, testMeasureOnline) }

func testMeasureOnline(t *testing.T, server testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	// MariaDB 11.2+ copies online (ALGORITHM=COPY, LOCK=NONE) what it cannot change in place.
	// Before that, LOCK=NONE on such a change is refused ("" here).
	// A FULLTEXT index is added in place with a shared lock, or copied online.
	copyLock, onlineCopy, onlineCopyLock := "SHARED", "", ""
	fulltext, fulltextLock := "INPLACE", "SHARED"
	if srv.Flavor.MinMariaDB(11, 2, 0) {
		copyLock, onlineCopy, onlineCopyLock = "NONE", "DEFAULT", "NONE"
		fulltext, fulltextLock = "COPY", "NONE"
	}
	cases := []struct {
		stmt            string
		algorithm, lock string
	}{
		{"ALTER TABLE orders ADD COLUMN extra INT", "INSTANT", ""},
		{"ALTER TABLE orders ADD INDEX idx_note (note)", "NOCOPY", "NONE"},
		{"ALTER TABLE orders MODIFY qty BIGINT NOT NULL DEFAULT 0", "COPY", copyLock},
		{"ALTER TABLE orders DROP PRIMARY KEY, ADD PRIMARY KEY (id, qty)", "INPLACE", "NONE"},
		{"ALTER TABLE orders MODIFY note VARCHAR(100) CHARACTER SET latin1", "COPY", copyLock},
		{"ALTER TABLE orders CONVERT TO CHARACTER SET latin1", "COPY", copyLock},
		{"ALTER TABLE orders ADD FULLTEXT INDEX ft_body (body)", fulltext, fulltextLock},
		// The statement's own ALGORITHM and LOCK are what production runs.
		{"ALTER TABLE orders ADD COLUMN extra INT, ALGORITHM=COPY", "COPY", ""},
		{"ALTER TABLE orders ALGORITHM=COPY, LOCK=EXCLUSIVE, ADD COLUMN extra INT", "COPY", "EXCLUSIVE"},
		{"ALTER TABLE orders ADD INDEX idx_note (note), ALGORITHM=INPLACE", "INPLACE", "NONE"},
		{"ALTER TABLE orders MODIFY qty BIGINT NOT NULL DEFAULT 0, LOCK=NONE", onlineCopy, onlineCopyLock},
		{"CREATE INDEX idx_note ON orders (note)", "NOCOPY", "NONE"},
		{"CREATE INDEX idx_note ON orders (note) ALGORITHM=COPY LOCK=SHARED", "COPY", "SHARED"},
		{"CREATE FULLTEXT INDEX ft_body ON orders (body)", fulltext, fulltextLock},
		{"DROP INDEX idx_qty ON orders", "NOCOPY", "NONE"},
		// With foreign_key_checks on, as in production, a foreign key is added by copying.
		{"ALTER TABLE orders ADD CONSTRAINT fk_again FOREIGN KEY (customer_id) REFERENCES customers (id)", "COPY", copyLock},
		{"ALTER TABLE orders MODIFY note VARCHAR(100) NOT NULL", "INPLACE", "NONE"},
		{"ALTER TABLE orders ADD CONSTRAINT chk_qty CHECK (qty >= 0)", "COPY", copyLock},
	}
	for _, c := range cases {
		o, err := srv.MeasureOnline(ctx, onlineCreate, statement(t, c.stmt), onlineParent)
		if c.algorithm == "" {
			// LOCK=NONE on a change the server cannot make online: it refuses the statement
			// itself, which the replay reports.
			if err == nil || !strings.Contains(err.Error(), "rejects every form") {
				t.Errorf("%s: %+v, %v; want the server's refusal", c.stmt, o, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.stmt, err)
			continue
		}
		algorithm := c.algorithm
		if srv.Flavor.IsMySQL() && algorithm == "NOCOPY" {
			algorithm = "INPLACE"
		}
		if o.Algorithm != algorithm || o.Lock != c.lock {
			t.Errorf("%s: %s/%s, want %s/%s", c.stmt, o.Algorithm, o.Lock, algorithm, c.lock)
		}
		last := o.Attempts[len(o.Attempts)-1]
		if last.Number != 0 || last.Algorithm != o.Algorithm {
			t.Errorf("%s: attempts %+v", c.stmt, o.Attempts)
		}
		if blocking := o.Blocking(); blocking != ((c.algorithm == "COPY" && c.lock == "") || c.lock == "SHARED" || c.lock == "EXCLUSIVE") {
			t.Errorf("%s: Blocking() = %v", c.stmt, blocking)
		}
		if !o.Named && (o.Algorithm == "INSTANT") != (o.Refusal == "") {
			t.Errorf("%s: refusal %q", c.stmt, o.Refusal)
		}
	}
	// ENGINE= is a rebuild however the empty copy answers (MariaDB says INSTANT for
	// ENGINE=InnoDB on an InnoDB table; a table with rows is copied).
	if o, err := srv.MeasureOnline(ctx, onlineCreate, statement(t, "ALTER TABLE orders ENGINE=InnoDB"), onlineParent); err != nil ||
		!o.Blocking() || !strings.Contains(o.Rebuild, "ENGINE=") {
		t.Errorf("ENGINE=InnoDB: %+v, %v", o, err)
	}

	// The server's own refusal of the statement itself is an error, not an answer: here, the
	// index a foreign key needs.
	_, err := srv.MeasureOnline(ctx, onlineCreate, statement(t, "DROP INDEX idx_customer ON orders"), onlineParent)
	if err == nil || !strings.Contains(err.Error(), "rejects every form") {
		t.Errorf("dropping the foreign key's index: err = %v", err)
	}
	// Without the referenced table the copy is still created (foreign key checks are off then).
	if o, err := srv.MeasureOnline(ctx, onlineCreate, statement(t, "ALTER TABLE orders ADD COLUMN extra INT")); err != nil || o.Algorithm != "INSTANT" {
		t.Errorf("without the referenced table: %+v, %v", o, err)
	}
	if _, err := srv.MeasureOnline(ctx, onlineCreate, statement(t, "ALTER TABLE shop.orders ADD COLUMN extra INT")); err == nil ||
		!strings.Contains(err.Error(), "names database shop") {
		t.Errorf("another database: err = %v", err)
	}

	// One scratch database for every measurement, empty between them and gone after Close.
	db := srv.online
	if db == nil {
		t.Fatal("no scratch database")
	}
	var n int
	if err := db.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", db.Name).Scan(&n); err != nil || n != 0 {
		t.Errorf("scratch database holds %d tables, %v", n, err)
	}
	db.mu.Lock()
	if len(db.threads) != 0 {
		t.Errorf("measurement sessions still tracked: %v", db.threads)
	}
	db.mu.Unlock()
	srv.mu.Lock()
	count := len(srv.databases)
	srv.mu.Unlock()
	if count != 1 {
		t.Errorf("%d databases created for measurements, want 1", count)
	}
	if err := srv.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if databaseExists(t, db.Name) {
		t.Errorf("%s survived Close", db.Name)
	}
}

func TestShowCreateTable(t *testing.T) { testenv.EachServer(t, testShowCreateTable) }

func testShowCreateTable(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	db, err := srv.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, db.DB, []string{"CREATE TABLE a (id INT PRIMARY KEY)", "CREATE VIEW v AS SELECT id FROM a"})
	create, err := db.ShowCreateTable(ctx, "a")
	if err != nil || !strings.HasPrefix(create, "CREATE TABLE `a` (") {
		t.Errorf("create = %q, %v", create, err)
	}
	if _, err := db.ShowCreateTable(ctx, "v"); err == nil || !strings.Contains(err.Error(), "not a base table") {
		t.Errorf("view: err = %v", err)
	}
	if _, err := db.ShowCreateTable(ctx, "missing"); err == nil {
		t.Error("missing table: no error")
	}
}
