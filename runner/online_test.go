package runner

import (
	"context"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/migrations"
)

// statement parses one statement as the replay does.
func statement(t *testing.T, text string) *migrations.Statement {
	t.Helper()
	sts := []migrations.Statement{{File: "m.sql", Line: 1, Text: text}}
	migrations.NewParser().Parse(sts)
	return &sts[0]
}

func TestWithClauses(t *testing.T) {
	cases := []struct{ in, want string }{
		{"ALTER TABLE t ADD COLUMN c INT", "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INPLACE, LOCK=NONE"},
		// The statement's own clauses go, wherever they are and however they are written.
		{"ALTER TABLE t ALGORITHM=COPY, ADD COLUMN c INT, LOCK = SHARED", "ALTER TABLE t ADD COLUMN c INT, ALGORITHM=INPLACE, LOCK=NONE"},
		{"ALTER TABLE `t` ADD COLUMN `lock` INT DEFAULT 1,\n  ALGORITHM INSTANT -- was instant",
			"ALTER TABLE `t` ADD COLUMN `lock` INT DEFAULT 1, ALGORITHM=INPLACE, LOCK=NONE"},
		{"ALTER TABLE t ALGORITHM=COPY", "ALTER TABLE t ALGORITHM=INPLACE, LOCK=NONE"},
		// Commas inside parentheses and strings are not specification separators.
		{"ALTER TABLE t ADD INDEX i (a, b), COMMENT 'x, ALGORITHM=COPY'",
			"ALTER TABLE t ADD INDEX i (a, b), COMMENT 'x, ALGORITHM=COPY', ALGORITHM=INPLACE, LOCK=NONE"},
		{"ALTER TABLE t ENGINE=InnoDB ROW_FORMAT=DYNAMIC", "ALTER TABLE t ENGINE=InnoDB ROW_FORMAT=DYNAMIC, ALGORITHM=INPLACE, LOCK=NONE"},
		{"CREATE INDEX i ON t (a) COMMENT 'lock' ALGORITHM=COPY LOCK=SHARED", "CREATE INDEX i ON t (a) COMMENT 'lock' ALGORITHM=INPLACE LOCK=NONE"},
		{"CREATE UNIQUE INDEX algorithm ON t (a) USING BTREE", "CREATE UNIQUE INDEX algorithm ON t (a) USING BTREE ALGORITHM=INPLACE LOCK=NONE"},
		{"DROP INDEX i ON t", "ALTER TABLE `t` DROP INDEX `i`, ALGORITHM=INPLACE, LOCK=NONE"},
		{"DROP INDEX i ON t ALGORITHM=COPY", "ALTER TABLE `t` DROP INDEX `i`, ALGORITHM=INPLACE, LOCK=NONE"},
	}
	for _, c := range cases {
		write, err := withClauses(statement(t, c.in))
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if got := write("INPLACE", "NONE"); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.in, got, c.want)
		}
	}
	if write, err := withClauses(statement(t, "CREATE INDEX i ON t (a)")); err != nil || write("INSTANT", "") != "CREATE INDEX i ON t (a) ALGORITHM=INSTANT" {
		t.Errorf("INSTANT without a lock: %v", err)
	}

	refused := map[string]string{
		"ALTER TABLE t ADD COLUMN c INT PARTITION BY HASH(c) PARTITIONS 2": "partition",
		"ALTER TABLE t DROP PARTITION p0":                                  "partition",
		"ALTER TABLE t ADD COLUMN c INT /*!, ALGORITHM=COPY */":            "executable comments",
		"ALTER TABLE t ADD COLUMN c INT, ALGORITHM=NOCOPY":                 "parser cannot read",
		"SELECT 1":                 "not an ALTER TABLE",
		"CREATE TABLE t2 (id INT)": "not an ALTER TABLE",
	}
	for in, want := range refused {
		_, err := withClauses(statement(t, in))
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

func testMeasureOnline(t *testing.T, _ testenv.Server) {
	srv := startDSNServer(t)
	ctx := context.Background()
	cases := []struct {
		stmt            string
		algorithm, lock string
	}{
		{"ALTER TABLE orders ADD COLUMN extra INT", "INSTANT", ""},
		{"ALTER TABLE orders ADD INDEX idx_note (note)", "NOCOPY", "NONE"},
		{"ALTER TABLE orders MODIFY qty BIGINT NOT NULL DEFAULT 0", "COPY", "SHARED"},
		{"ALTER TABLE orders DROP PRIMARY KEY, ADD PRIMARY KEY (id, qty)", "INPLACE", "NONE"},
		{"ALTER TABLE orders MODIFY note VARCHAR(100) CHARACTER SET latin1", "COPY", "SHARED"},
		{"ALTER TABLE orders CONVERT TO CHARACTER SET latin1", "COPY", "SHARED"},
		{"ALTER TABLE orders ADD FULLTEXT INDEX ft_body (body)", "INPLACE", "SHARED"},
		// The statement's own ALGORITHM=COPY is replaced: what the server could do is measured.
		{"ALTER TABLE orders ADD COLUMN extra INT, ALGORITHM=COPY", "INSTANT", ""},
		{"ALTER TABLE orders ALGORITHM=COPY, LOCK=EXCLUSIVE, ADD COLUMN extra INT", "INSTANT", ""},
		{"CREATE INDEX idx_note ON orders (note)", "NOCOPY", "NONE"},
		{"CREATE INDEX idx_note ON orders (note) ALGORITHM=COPY LOCK=SHARED", "NOCOPY", "NONE"},
		{"CREATE FULLTEXT INDEX ft_body ON orders (body)", "INPLACE", "SHARED"},
		{"DROP INDEX idx_qty ON orders", "NOCOPY", "NONE"},
		// With foreign_key_checks on, as in production, a foreign key is added by copying.
		{"ALTER TABLE orders ADD CONSTRAINT fk_again FOREIGN KEY (customer_id) REFERENCES customers (id)", "COPY", "SHARED"},
		{"ALTER TABLE orders MODIFY note VARCHAR(100) NOT NULL", "INPLACE", "NONE"},
		{"ALTER TABLE orders ADD CONSTRAINT chk_qty CHECK (qty >= 0)", "COPY", "SHARED"},
	}
	for _, c := range cases {
		o, err := srv.MeasureOnline(ctx, onlineCreate, statement(t, c.stmt), onlineParent)
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
		if blocking := o.Blocking(); blocking != (c.lock == "SHARED" || c.lock == "EXCLUSIVE") {
			t.Errorf("%s: Blocking() = %v", c.stmt, blocking)
		}
		if (o.Algorithm == "INSTANT") != (o.Refusal == "") {
			t.Errorf("%s: refusal %q", c.stmt, o.Refusal)
		}
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
