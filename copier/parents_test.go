package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/schema"
)

// parentSchema is a parent with two children: c1 cascades deletes, c2 restricts them and
// cascades updates.
var parentSchema = []string{
	"CREATE TABLE p (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL) ENGINE=InnoDB",
	"CREATE TABLE c1 (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, p_id INT NOT NULL, KEY (p_id), CONSTRAINT fk_c1_p FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE) ENGINE=InnoDB",
	"CREATE TABLE c2 (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, p_id INT NULL, KEY (p_id), CONSTRAINT fk_c2_p FOREIGN KEY (p_id) REFERENCES p (id) ON UPDATE CASCADE) ENGINE=InnoDB",
}

// fillParent loads 3000 parents, 6000 c1 rows over all of them, and c2 rows for the even ids.
func fillParent(t *testing.T, db *sql.DB) {
	t.Helper()
	mustExec(t, db, parentSchema...)
	var p, c1, c2 []string
	for i := 1; i <= 3000; i++ {
		p = append(p, fmt.Sprintf("(%d, 'p%d')", i, i))
		c1 = append(c1, fmt.Sprintf("(%d), (%d)", i, i))
		if i%2 == 0 {
			c2 = append(c2, fmt.Sprintf("(%d)", i))
		}
	}
	mustExec(t, db, "INSERT INTO p (id, name) VALUES "+strings.Join(p, ", "),
		"INSERT INTO c1 (p_id) VALUES "+strings.Join(c1, ", "), "INSERT INTO c2 (p_id) VALUES "+strings.Join(c2, ", "))
}

// childKeyState is what the server says of the children's foreign keys: name, referenced table
// and rules, and the constraint lines of SHOW CREATE TABLE.
func childKeyState(t *testing.T, db *sql.DB) string {
	t.Helper()
	var out []string
	rows, err := db.Query(`SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS
		WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b, c, d, e string
		if err := rows.Scan(&a, &b, &c, &d, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join([]string{a, b, c, d, e}, " "))
	}
	for _, tbl := range []string{"c1", "c2"} {
		for _, line := range strings.Split(createTable(t, db, tbl), "\n") {
			if strings.Contains(line, "CONSTRAINT") {
				out = append(out, strings.TrimSpace(line))
			}
		}
	}
	return strings.Join(out, "\n")
}

// parentWriter writes the parent and both children at random, as an application does. Errors a
// foreign key explains (a child row for a parent deleted meanwhile, a restricted delete) are
// expected; any other stops it.
type parentWriter struct {
	db        *sql.DB
	rng       *rand.Rand
	ops, errs atomic.Int64
	err       error
}

func (w *parentWriter) step(ctx context.Context) error {
	id := 1 + w.rng.IntN(3000)
	var stmt string
	switch w.rng.IntN(6) {
	case 0:
		// Explicit ids below writer B's range: the counter would follow B's.
		stmt = fmt.Sprintf("INSERT INTO p (id, name) VALUES (%d, 'new')", 3000+w.ops.Load())
	case 1:
		stmt = fmt.Sprintf("UPDATE p SET name = CONCAT(name, 'u') WHERE id = %d", id)
	case 2:
		stmt = fmt.Sprintf("DELETE FROM p WHERE id = %d", id)
	case 3:
		stmt = fmt.Sprintf("INSERT INTO c1 (p_id) VALUES (%d)", id)
	case 4:
		stmt = fmt.Sprintf("INSERT INTO c2 (p_id) VALUES (%d)", id)
	default:
		stmt = fmt.Sprintf("DELETE FROM c1 WHERE p_id = %d LIMIT 1", id)
	}
	w.ops.Add(1)
	if _, err := w.db.ExecContext(ctx, stmt); err != nil {
		if isErrno(err, 1451, 1452) {
			w.errs.Add(1)
			return nil
		}
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return nil
}

// TestRunParent changes a table that two others reference while an application writes all three;
// on MariaDB the cut-over moves both children's keys to the new table, on MySQL it refuses.
func TestRunParent(t *testing.T) { testenv.EachServer(t, testRunParent) }

func testRunParent(t *testing.T, srv testenv.Server) {
	db := scratch(t)
	fillParent(t, db)
	before := childKeyState(t, db)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &parentWriter{db: db, rng: rand.New(rand.NewPCG(1, 2))}
	var wg sync.WaitGroup
	wg.Add(1)
	stopA, aDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer wg.Done()
		defer close(aDone)
		for {
			select {
			case <-stopA:
				return
			default:
			}
			if err := w.step(ctx); err != nil {
				w.err = err
				return
			}
		}
	}()
	// Writer B inserts parents at ids the old table never had, and a child row for each, right
	// through the cut-over: a child insert fails (1452) if the children ever reference a table
	// that lacks its parent.
	var bOps atomic.Int64
	var bErr error
	bDone := make(chan struct{})
	go func() {
		defer close(bDone)
		for id := 1000001; ctx.Err() == nil; id++ {
			for _, s := range []string{fmt.Sprintf("INSERT INTO p (id, name) VALUES (%d, 'b')", id), fmt.Sprintf("INSERT INTO c1 (p_id) VALUES (%d)", id)} {
				if _, err := db.ExecContext(ctx, s); err != nil {
					if ctx.Err() == nil {
						bErr = fmt.Errorf("%s: %w", s, err)
					}
					return
				}
			}
			bOps.Add(1)
		}
	}()
	res, err := Run(ctx, db, Options{Table: "p", Alter: "ADD COLUMN note VARCHAR(20) NULL", Execute: true, KeepOld: true, ChunkTime: 20 * 1e6,
		BeforeCutover: func(ctx context.Context) error {
			// Writer A's writes reach the new table through the triggers until now: wait for
			// enough of them whatever the machine's speed, then stop it.
			for w.ops.Load() < 100 {
				select {
				case <-aDone: // it failed: its error is w.err
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(2 * time.Millisecond):
					continue
				}
				break
			}
			close(stopA)
			wg.Wait()
			return w.err
		}})
	// Let B write to the new table for a while, then stop it.
	for n := bOps.Load(); bOps.Load() < n+50 && bErr == nil && err == nil; {
		if e := sleep(ctx, 2e6); e != nil {
			break
		}
	}
	cancel()
	<-bDone
	if srv.MySQL() {
		var ref *Refusal
		if !errors.As(err, &ref) || !strings.Contains(ref.Reason, "MySQL locks both parents") || !strings.Contains(ref.Reason, "ALTER TABLE `c1` DROP FOREIGN KEY `fk_c1_p`") {
			t.Fatalf("Run on MySQL: %v, want the refusal with the statements", err)
		}
		assertClean(t, db)
		if got := childKeyState(t, db); got != before {
			t.Errorf("the children's keys changed:\n%s\nwant\n%s", got, before)
		}
		return
	}
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if w.err != nil || bErr != nil {
		t.Fatalf("writers: %v; %v", w.err, bErr)
	}
	if !res.CutOver || w.ops.Load() < 100 || bOps.Load() < 50 {
		t.Fatalf("cut over %v, writer A %d ops, writer B %d", res.CutOver, w.ops.Load(), bOps.Load())
	}
	t.Logf("writer A: %d ops (%d refused by a foreign key); writer B: %d parent+child inserts", w.ops.Load(), w.errs.Load(), bOps.Load())
	if got := childKeyState(t, db); got != before {
		t.Errorf("the children's keys after the cut-over:\n%s\nwant\n%s", got, before)
	}
	// Zero divergence: the rows the old table had (writer A stopped before the cut-over) are
	// the new table's, beside writer B's.
	_, oldDigest := digestRows(t, db, "SELECT id, name FROM "+schema.QuoteIdent(res.OldTable)+" WHERE id < 1000000 ORDER BY id")
	_, newDigest := digestRows(t, db, "SELECT id, name FROM p WHERE id < 1000000 ORDER BY id")
	if oldDigest != newDigest {
		t.Errorf("the new table differs from the old one")
	}
	for _, c := range []string{"c1", "c2"} {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + c + " LEFT JOIN p ON p.id = " + c + ".p_id WHERE " + c + ".p_id IS NOT NULL AND p.id IS NULL").Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d orphans (%v)", c, n, err)
		}
	}
	// The keys act on the new table: a delete cascades to c1, is refused for a parent with c2
	// rows, and a key update cascades to c2.
	var victim int
	if err := db.QueryRow("SELECT MIN(p_id) FROM c1 WHERE p_id NOT IN (SELECT p_id FROM c2 WHERE p_id IS NOT NULL)").Scan(&victim); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, fmt.Sprintf("DELETE FROM p WHERE id = %d", victim))
	var left int
	if err := db.QueryRow("SELECT COUNT(*) FROM c1 WHERE p_id = ?", victim).Scan(&left); err != nil || left != 0 {
		t.Errorf("c1 rows of the deleted parent: %d (%v)", left, err)
	}
	var kept int
	if err := db.QueryRow("SELECT MIN(p_id) FROM c2").Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DELETE FROM p WHERE id = ?", kept); !isErrno(err, 1451) {
		t.Errorf("delete of a parent with c2 rows: %v, want 1451", err)
	}
	// c1 restricts key updates (its ON UPDATE is the default): clear its rows first.
	mustExec(t, db, fmt.Sprintf("DELETE FROM c1 WHERE p_id = %d", kept), fmt.Sprintf("UPDATE p SET id = 5000000 WHERE id = %d", kept))
	if err := db.QueryRow("SELECT COUNT(*) FROM c2 WHERE p_id = 5000000").Scan(&left); err != nil || left == 0 {
		t.Errorf("c2 rows after the key update: %d (%v)", left, err)
	}
	// The old table is referenced by nothing: dropping it is safe.
	mustExec(t, db, "DROP TABLE "+schema.QuoteIdent(res.OldTable))
}

// TestRunParentRefusals: on MariaDB, a change the children's keys cannot follow and a child row
// without its parent stop the run before the cut-over, and nothing is left behind.
func TestRunParentRefusals(t *testing.T) { testenv.EachServer(t, testRunParentRefusals) }

func testRunParentRefusals(t *testing.T, srv testenv.Server) {
	db := scratch(t)
	fillParent(t, db)
	before := childKeyState(t, db)
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO c1 (p_id) VALUES (7777)"); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, alter, want, key string }{
		{"key type changes", "MODIFY id BIGINT NOT NULL AUTO_INCREMENT", "cannot reference p as the ALTER changes it", ""},
		{"orphan", "ADD COLUMN note INT NULL", "a row of c1 has no parent row in the new p", "p_id=7777"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(ctx, db, Options{Table: "p", Alter: tt.alter, Execute: true})
			var ref *Refusal
			want := tt.want
			if srv.MySQL() {
				want = "MySQL locks both parents"
			}
			if !errors.As(err, &ref) || !strings.Contains(ref.Reason, want) || (!srv.MySQL() && ref.Key != tt.key) {
				t.Fatalf("Run: %v, want a refusal %q (row %q)", err, want, tt.key)
			}
			assertClean(t, db)
			if got := childKeyState(t, db); got != before {
				t.Errorf("the children's keys changed:\n%s", got)
			}
		})
	}
}

// TestForeignKeyMoveServerFacts pins the server behaviour the cut-over's design rests on: the move
// is metadata-only with foreign_key_checks off (no row is touched), no server takes a DROP and an
// ADD of one name in one statement, and MariaDB's ALTER of a child does not wait for a WRITE lock
// on a parent without children while MySQL's does.
func TestForeignKeyMoveServerFacts(t *testing.T) {
	testenv.EachServer(t, testForeignKeyMoveServerFacts)
}

func testForeignKeyMoveServerFacts(t *testing.T, srv testenv.Server) {
	db := scratch(t)
	fillParent(t, db)
	mustExec(t, db, "CREATE TABLE p2 LIKE p", "INSERT INTO p2 SELECT * FROM p")
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0, lock_wait_timeout = 1"); err != nil {
		t.Fatal(err)
	}
	_, err = conn.ExecContext(ctx, "ALTER TABLE c1 DROP FOREIGN KEY fk_c1_p, ADD CONSTRAINT fk_c1_p FOREIGN KEY (p_id) REFERENCES p2 (id) ON DELETE CASCADE")
	if !isErrno(err, 1826) {
		t.Errorf("DROP and ADD of one name: %v, want 1826", err)
	}
	k := childKey{child: "c1", name: "fk_c1_p", body: "FOREIGN KEY (`p_id`) REFERENCES `p2` (`id`) ON DELETE CASCADE"}
	for _, stmt := range k.moveStatements() {
		res, err := conn.ExecContext(ctx, stmt)
		if err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
		if n, _ := res.RowsAffected(); n != 0 {
			t.Errorf("%s: %d rows affected, want 0 (a copy would count the rows)", stmt, n)
		}
	}
	// Another session holds a WRITE lock on the new parent, which has no children yet.
	hold, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	mustExec(t, db, "CREATE TABLE p3 LIKE p", "INSERT INTO p3 SELECT * FROM p")
	if _, err := hold.ExecContext(ctx, "LOCK TABLES p3 WRITE"); err != nil {
		t.Fatal(err)
	}
	back := childKey{child: "c1", name: "fk_c1_p", body: "FOREIGN KEY (`p_id`) REFERENCES `p3` (`id`) ON DELETE CASCADE"}
	_, err = conn.ExecContext(ctx, back.moveStatements()[0])
	if _, uerr := hold.ExecContext(ctx, "UNLOCK TABLES"); uerr != nil {
		t.Fatal(uerr)
	}
	switch {
	case srv.MySQL() && !isErrno(err, errLockWait):
		t.Errorf("MySQL: the child's ALTER beside a WRITE lock on the new parent: %v, want 1205", err)
	case !srv.MySQL() && err != nil:
		t.Errorf("MariaDB: the child's ALTER beside a WRITE lock on the new parent: %v, want it to run", err)
	}
}

// TestRunParentHoldReleased makes an application transaction hold a child while it waits for
// the new parent, right after the cut-over's RENAME: it has written the child, and its next
// write is to the parent, which the hold keeps locked. Moving the child's foreign key then
// waits for the transaction, and the transaction for the hold. The copier must let go of the
// hold (the move's first statement times out), let the transaction finish, then move the key
// and check for orphans, and say that the new table took writes before its keys were moved.
// That window is an error for a reason: in it the children still reference the old table, so
// a child row for a parent written to the new one fails (1452) and a delete from the new table
// does not cascade; the orphan check then finds any row that lost its parent.
func TestRunParentHoldReleased(t *testing.T) {
	testenv.EachServer(t, func(t *testing.T, srv testenv.Server) {
		db := scratch(t)
		fillParent(t, db)
		ctx := context.Background()
		if srv.MySQL() {
			// The copier refuses a parent table on MySQL before it makes anything.
			_, err := Run(ctx, db, Options{Table: "p", Alter: "ADD COLUMN note VARCHAR(20) NULL", Execute: true})
			var ref *Refusal
			if !errors.As(err, &ref) || !strings.Contains(ref.Reason, "referenced by foreign keys") {
				t.Errorf("Run on MySQL: %v, want the parent refusal", err)
			}
			return
		}
		app, appID := session(t, db)
		appDone := make(chan error, 1)
		hook := func(stage string) {
			if stage != "held" {
				return
			}
			go func() {
				for _, q := range []string{"BEGIN", "INSERT INTO c1 (p_id) VALUES (5)", "INSERT INTO p (id, name) VALUES (900001, 'during')", "COMMIT"} {
					if _, err := app.ExecContext(ctx, q); err != nil {
						_, _ = app.ExecContext(ctx, "ROLLBACK")
						appDone <- fmt.Errorf("%s: %w", q, err)
						return
					}
				}
				appDone <- nil
			}()
			waitFor(t, time.Minute, "the application's insert to wait for the hold", func() bool {
				return count(t, db, fmt.Sprintf("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %d AND STATE LIKE '%%metadata lock%%' AND INFO LIKE 'INSERT INTO p %%'", appID)) > 0
			})
		}
		res, err := Run(ctx, db, Options{Table: "p", Alter: "ADD COLUMN note VARCHAR(20) NULL", Execute: true,
			LockWaitTimeout: time.Second, CutoverAttempts: 2, testHook: hook})
		if aerr := <-appDone; aerr != nil {
			t.Errorf("the application's transaction failed: %v", aerr)
		}
		if err == nil || !strings.Contains(err.Error(), "took writes before the foreign keys referencing it were moved") {
			t.Fatalf("Run: %v, want the window reported", err)
		}
		if !res.CutOver || res.OldTable == "" {
			t.Errorf("result %+v, want the cut-over done and the old table kept", res)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME = 'p'"); n != 2 {
			t.Errorf("%d foreign keys reference the new p, want both children's:\n%s", n, childKeyState(t, db))
		}
		if n := count(t, db, "SELECT COUNT(*) FROM c1 LEFT JOIN p ON p.id = c1.p_id WHERE p.id IS NULL"); n != 0 {
			t.Errorf("%d rows of c1 have no parent in the new p", n)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM p WHERE id = 900001"); n != 1 {
			t.Errorf("the parent the application inserted during the cut-over is not in the new p")
		}
	})
}
