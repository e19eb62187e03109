package rules

import (
	"context"
	"database/sql"
	"strconv"
	"testing"

	"github.com/schema-guard/schema-guard/internal/testenv"
	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// These tests run the fixes' plans on the real MariaDB server: each phase's statements as a
// migration tool would send them, with the deployed application's and the new application's
// writes in between, to prove that the plans keep both working and end in the wanted shape.

// liveDB is a scratch database with helpers that fail the test on any error.
type liveDB struct {
	t    *testing.T
	db   *sql.DB
	name string
	ctx  context.Context
}

func newLiveDB(t *testing.T) *liveDB {
	t.Helper()
	db, name := testenv.ScratchDB(t)
	// One connection: the statements of a migration run on one session, as a tool runs them.
	db.SetMaxOpenConns(1)
	return &liveDB{t: t, db: db, name: name, ctx: context.Background()}
}

func (l *liveDB) exec(stmts ...string) {
	l.t.Helper()
	for _, s := range stmts {
		if _, err := l.db.ExecContext(l.ctx, s); err != nil {
			l.t.Fatalf("%s\n: %v", s, err)
		}
	}
}

func (l *liveDB) execErr(s string) error {
	_, err := l.db.ExecContext(l.ctx, s)
	return err
}

func (l *liveDB) int(query string) int64 {
	l.t.Helper()
	var n sql.NullInt64
	if err := l.db.QueryRowContext(l.ctx, query).Scan(&n); err != nil {
		l.t.Fatalf("%s: %v", query, err)
	}
	return n.Int64
}

func (l *liveDB) str(query string) string {
	l.t.Helper()
	var s sql.NullString
	if err := l.db.QueryRowContext(l.ctx, query).Scan(&s); err != nil {
		l.t.Fatalf("%s: %v", query, err)
	}
	if !s.Valid {
		return "NULL"
	}
	return s.String
}

// model introspects the scratch database.
func (l *liveDB) model() *schema.Schema {
	l.t.Helper()
	f, err := introspect.ReadFlavor(l.ctx, l.db)
	if err != nil {
		l.t.Fatal(err)
	}
	s, err := introspect.Introspect(l.ctx, l.db, l.name, f)
	if err != nil {
		l.t.Fatal(err)
	}
	return s
}

// usersDDL is a realistic deployed table: a NOT NULL column without a default (indexed), a
// nullable one, a NOT NULL one with a default (in a unique key with another column).
const usersDDL = "CREATE TABLE users (" +
	"id int NOT NULL AUTO_INCREMENT PRIMARY KEY, " +
	"surname varchar(50) NOT NULL, " +
	"email varchar(255) NULL, " +
	"status varchar(20) NOT NULL DEFAULT 'new', " +
	"code varchar(255) NOT NULL DEFAULT '', " +
	"price decimal(10,4) NOT NULL DEFAULT 0, " +
	"KEY idx_surname (surname), " +
	"UNIQUE KEY uq_status_email (status, email)" +
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"

// seedUsers inserts rows the way the deployed application does: some with NULL email.
func (l *liveDB) seedUsers(n int) {
	l.exec(usersDDL)
	for i := range n {
		email := "NULL"
		if i%3 != 0 {
			email = "CONCAT('u', " + strconv.Itoa(i) + ", '@example.com')"
		}
		l.exec("INSERT INTO users (surname, email, code, price) VALUES (CONCAT('s', " + strconv.Itoa(i) + "), " + email + ", CONCAT('c', " + strconv.Itoa(i) + "), " + strconv.Itoa(i) + " + 0.25)")
	}
}

// oldAppInsert is the deployed application's INSERT: it names only the columns it knows and
// must supply.
const oldAppInsert = "INSERT INTO users (surname, email, code, price) VALUES ('old-app', 'old@example.com', 'c-old', 1.50)"

func TestLivePlanRenameColumn(t *testing.T) { testenv.EachServer(t, testLivePlanRenameColumn) }

func testLivePlanRenameColumn(t *testing.T, _ testenv.Server) {
	cases := []struct {
		from, to string
		// newAppInsert names the new column instead of the old one.
		newAppInsert string
		newValue     string // what newAppInsert writes into the new column
	}{
		{"surname", "last_name", "INSERT INTO users (last_name, email, code, price) VALUES ('new-app', 'n@example.com', 'c-new', 2)", "new-app"},
		{"email", "mail", "INSERT INTO users (surname, mail, code, price) VALUES ('s-new', 'new@example.com', 'c-new', 2)", "new@example.com"},
		{"status", "state", "INSERT INTO users (surname, state, code, price) VALUES ('s-new', 'active', 'c-new', 2)", "active"},
	}
	for _, tc := range cases {
		t.Run(tc.from, func(t *testing.T) {
			l := newLiveDB(t)
			l.seedUsers(25)
			s := l.model()
			users := s.Table("users")
			from := users.Column(tc.from)
			to := *from
			to.Name = tc.to
			plan := PlanRenameColumn(s, users, from, &to)
			if len(plan.Phases) != 3 {
				t.Fatalf("plan has %d phases:\n%s", len(plan.Phases), plan.Text(migrations.Script))
			}
			t.Logf("plan:\n%s", plan.Text(migrations.Script))

			l.exec(plan.Phases[0].SQL...)
			o, n := schema.QuoteIdent(tc.from), schema.QuoteIdent(tc.to)
			if got := l.int("SELECT COUNT(*) FROM users WHERE NOT (" + o + " <=> " + n + ")"); got != 0 {
				t.Fatalf("after the backfill %d rows differ", got)
			}
			if got := l.int("SELECT COUNT(*) FROM users WHERE " + n + " IS NOT NULL"); got != l.int("SELECT COUNT(*) FROM users WHERE "+o+" IS NOT NULL") {
				t.Fatalf("backfill left rows out")
			}
			// The deployed application inserts naming only its columns; the new one is filled.
			l.exec(oldAppInsert)
			if got := l.str("SELECT " + n + " FROM users WHERE code = 'c-old'"); got != l.str("SELECT "+o+" FROM users WHERE code = 'c-old'") {
				t.Errorf("old app's insert: new column %q", got)
			}
			// The new application inserts naming only the new column; the old one is filled.
			l.exec(tc.newAppInsert)
			if got := l.str("SELECT " + o + " FROM users WHERE code = 'c-new'"); got != tc.newValue {
				t.Errorf("new app's insert: old column %q, want %q", got, tc.newValue)
			}
			// Updates of either column reach the other.
			l.exec("UPDATE users SET " + o + " = 'from-old' WHERE id = 2")
			if got := l.str("SELECT " + n + " FROM users WHERE id = 2"); got != "from-old" {
				t.Errorf("update of the old column: new column %q", got)
			}
			l.exec("UPDATE users SET " + n + " = 'from-new' WHERE id = 3")
			if got := l.str("SELECT " + o + " FROM users WHERE id = 3"); got != "from-new" {
				t.Errorf("update of the new column: old column %q", got)
			}
			// An update of another column leaves both alone.
			before := l.str("SELECT " + o + " FROM users WHERE id = 4")
			l.exec("UPDATE users SET code = 'other' WHERE id = 4")
			if l.str("SELECT "+o+" FROM users WHERE id = 4") != before || l.str("SELECT "+n+" FROM users WHERE id = 4") != before {
				t.Error("an unrelated update changed the pair")
			}

			l.exec(plan.Phases[2].SQL...)
			after := l.model()
			ut := after.Table("users")
			if ut.Column(tc.from) != nil || ut.Column(tc.to) == nil {
				t.Fatalf("columns after the contract: %v", columnNames(ut))
			}
			want := s.ColumnDefinition(users, &to)
			if got := after.ColumnDefinition(ut, ut.Column(tc.to)); got != want {
				t.Errorf("final definition %q, want %q", got, want)
			}
			if len(after.Triggers) != 0 {
				t.Errorf("triggers left: %v", after.Triggers)
			}
			for _, x := range users.Indexes {
				if containsFold(x.Columns(), tc.from) {
					copied := false
					for _, y := range ut.Indexes {
						if y.Unique == x.Unique && containsFold(y.Columns(), tc.to) && len(y.Parts) == len(x.Parts) {
							copied = true
						}
					}
					if !copied {
						t.Errorf("index %s not moved to %s: %v", x.Name, tc.to, ut.Indexes)
					}
				}
			}
			// The application of phase 2 keeps working.
			l.exec("DELETE FROM users WHERE code = 'c-new'", tc.newAppInsert)
		})
	}
}

func columnNames(t *schema.Table) []string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, c.Name)
	}
	return out
}

func TestLivePlanRenameTable(t *testing.T) { testenv.EachServer(t, testLivePlanRenameTable) }

func testLivePlanRenameTable(t *testing.T, _ testenv.Server) {
	l := newLiveDB(t)
	l.seedUsers(10)
	s := l.model()
	plan := PlanRenameTable(s.Table("users"), "customers")
	t.Logf("plan:\n%s", plan.Text(migrations.Script))

	l.exec(plan.Phases[0].SQL...)
	// Both names read and write the same rows.
	l.exec(oldAppInsert)
	l.exec("INSERT INTO customers (surname, email, code, price) VALUES ('via-view', NULL, 'c-view', 3)")
	l.exec("UPDATE customers SET status = 'vip' WHERE code = 'c-old'")
	l.exec("DELETE FROM customers WHERE code = 'c0'")
	if a, b := l.int("SELECT COUNT(*) FROM users"), l.int("SELECT COUNT(*) FROM customers"); a != 11 || b != 11 {
		t.Fatalf("rows through the table %d, through the view %d, want 11", a, b)
	}
	if got := l.str("SELECT status FROM users WHERE code = 'c-old'"); got != "vip" {
		t.Errorf("update through the view: %q", got)
	}
	if l.int("SELECT LAST_INSERT_ID()") == 0 {
		t.Error("no auto-increment id through the view")
	}

	l.exec(plan.Phases[2].SQL...)
	if got := l.str("SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customers'"); got != "BASE TABLE" {
		t.Errorf("customers is a %s", got)
	}
	if got := l.int("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"); got != 1 {
		t.Errorf("%d tables and views left, want only customers", got)
	}
	if got := l.int("SELECT COUNT(*) FROM customers"); got != 11 {
		t.Errorf("%d rows after the swap", got)
	}
}

func TestLivePlanNarrowColumn(t *testing.T) { testenv.EachServer(t, testLivePlanNarrowColumn) }

func testLivePlanNarrowColumn(t *testing.T, _ testenv.Server) {
	cases := []struct {
		column, narrow string
		misfits        int64
		fits, tooWide  string // values the deployed application writes
	}{
		{"code", "varchar(20) NOT NULL DEFAULT ''", 0, "'short'", "REPEAT('x', 30)"},
		// decimal(10,4) → (8,2) keeps six integer digits: no write of the deployed application
		// can fail, values only round, so there is no too-wide value.
		{"price", "decimal(8,2) NOT NULL DEFAULT 0", 0, "12.50", ""},
		// Values with more decimals than the new type: the check counts them, and the backfill
		// (which rounds into the new column) must not rewrite the old one.
		{"price", "decimal(10,1) NOT NULL DEFAULT 0", 25, "3.5", ""},
	}
	for _, tc := range cases {
		t.Run(tc.column+" "+tc.narrow, func(t *testing.T) {
			l := newLiveDB(t)
			l.seedUsers(25)
			s := l.model()
			users := s.Table("users")
			// The narrow definition, as the server reads it back.
			l.exec("CREATE TABLE shape LIKE users", "ALTER TABLE shape MODIFY "+tc.column+" "+tc.narrow)
			narrow := l.model().Table("shape").Column(tc.column)
			l.exec("DROP TABLE shape")

			plan := PlanNarrowColumn(s, users, users.Column(tc.column), narrow, "")
			t.Logf("plan:\n%s", plan.Text(migrations.Script))
			if len(plan.Phases) != 4 || len(plan.Phases[0].SQL) != 1 {
				t.Fatalf("want a check and three phases:\n%s", plan.Text(migrations.Script))
			}
			if got := l.int(plan.Phases[0].SQL[0]); got != tc.misfits {
				t.Errorf("check counts %d misfits, want %d", got, tc.misfits)
			}
			oldSum := l.str("SELECT GROUP_CONCAT(" + tc.column + " ORDER BY id) FROM users")
			l.exec(plan.Phases[1].SQL...)
			if got := l.str("SELECT GROUP_CONCAT(" + tc.column + " ORDER BY id) FROM users"); got != oldSum {
				t.Fatalf("the backfill changed the old column:\n%s\n%s", oldSum, got)
			}
			n := schema.QuoteIdent(fitName(tc.column, "v2"))
			if got := l.int("SELECT COUNT(*) FROM users WHERE " + n + " IS NULL"); got != 0 {
				t.Fatalf("backfill left %d rows", got)
			}
			if tc.misfits > 0 {
				return // the plan says to stop here until the check returns 0
			}
			// The deployed application's INSERT, naming only its columns, still works.
			l.exec(oldAppInsert)
			l.exec("INSERT INTO users (surname, " + tc.column + ") VALUES ('fits', " + tc.fits + ")")
			if l.int("SELECT COUNT(*) FROM users WHERE surname = 'fits' AND "+n+" = "+tc.column) != 1 {
				t.Errorf("the old application's insert was not copied")
			}
			// A value the narrow type cannot hold is still accepted: the deployed application must
			// not fail. It is not copied, and the switch phase's check counts the row.
			if tc.tooWide != "" {
				if err := l.execErr("INSERT INTO users (surname, " + tc.column + ") VALUES ('wide', " + tc.tooWide + ")"); err != nil {
					t.Errorf("the deployed application's write of a too-wide value failed: %v", err)
				} else if l.int("SELECT COUNT(*) FROM users WHERE surname = 'wide' AND "+n+" IS NULL") != 1 {
					t.Error("a value too wide for the new column was copied")
				}
				l.exec("DELETE FROM users WHERE surname = 'wide'")
			}
			l.exec("UPDATE users SET " + n + " = " + tc.fits + " WHERE id = 5")
			if l.int("SELECT COUNT(*) FROM users WHERE id = 5 AND "+n+" = "+tc.column) != 1 {
				t.Errorf("an update of the new column was not copied")
			}

			l.exec(plan.Phases[3].SQL...)
			after := l.model()
			ut := after.Table("users")
			if ut.Column(tc.column) != nil || ut.Column(fitName(tc.column, "v2")) == nil {
				t.Fatalf("columns after the contract: %v", columnNames(ut))
			}
			final := ut.Column(fitName(tc.column, "v2"))
			if final.Type != narrow.Type || final.Nullable != narrow.Nullable || *final.Default != *narrow.Default {
				t.Errorf("final column %+v, want the type of %+v", final, narrow)
			}
		})
	}
}

// TestLivePlansRun runs the other plans' SQL on the server: they must be valid as written.
func TestLivePlansRun(t *testing.T) { testenv.EachServer(t, testLivePlansRun) }

func testLivePlansRun(t *testing.T, _ testenv.Server) {
	l := newLiveDB(t)
	l.seedUsers(12)
	// A NOT NULL default collides in a unique key where NULLs did not: the plan says so, and
	// this table has none.
	l.exec("ALTER TABLE users DROP INDEX uq_status_email")
	s := l.model()
	users := s.Table("users")

	tighten := PlanTightenNotNull(s, users, users.Column("email"), func() *schema.Column {
		c := *users.Column("email")
		c.Nullable, c.Default = false, nil
		return &c
	}())
	l.exec(tighten.Phases[0].SQL...)
	if got := l.int("SELECT COUNT(*) FROM users WHERE email IS NULL"); got != 0 {
		t.Errorf("tighten expand left %d NULLs", got)
	}
	l.exec(oldAppInsert, "INSERT INTO users (surname, email) VALUES ('null-mail', NULL)")
	l.exec(tighten.Phases[2].SQL...)
	if got := l.str("SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' AND COLUMN_NAME = 'email'"); got != "NO" {
		t.Errorf("email nullable after tightening: %s", got)
	}

	s = l.model()
	users = s.Table("users")
	phone := &schema.Column{Name: "phone", Type: "varchar(20)", DataType: "varchar"}
	add := PlanAddNotNull(s, users, phone)
	l.exec(add.Phases[0].SQL...) // with a DEFAULT
	l.exec(oldAppInsert)
	l.exec("ALTER TABLE users DROP COLUMN phone")
	l.exec(add.Phases[1].SQL...) // nullable
	l.exec(oldAppInsert)
	l.exec(add.Phases[3].SQL...) // backfill and tighten
	if got := l.int("SELECT COUNT(*) FROM users WHERE phone IS NULL"); got != 0 {
		t.Errorf("%d NULL phones", got)
	}
	// From here on the application writes phone (the release the plan waited for).
	l.exec("ALTER TABLE users ALTER COLUMN phone SET DEFAULT ''")

	s = l.model()
	users = s.Table("users")
	status := users.Column("status")
	dropped := *status
	dropped.Default = nil
	keep := PlanKeepDefault(s, users, status, &dropped)
	l.exec(keep.Phases[0].SQL...)
	l.exec(oldAppInsert)
	l.exec(keep.Phases[2].SQL...)
	l.exec("ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new'") // for the inserts below

	l.exec("ALTER TABLE users ADD COLUMN kind enum('person','firm','gov') NOT NULL DEFAULT 'person'", "UPDATE users SET kind = 'firm' WHERE id % 2 = 0")
	s = l.model()
	users = s.Table("users")
	kind := users.Column("kind")
	renamed := *kind
	renamed.Type = "enum('person','company','gov')"
	enum := PlanEnumChange(s, users, kind, &renamed)
	t.Logf("enum plan:\n%s", enum.Text(migrations.Script))
	l.exec(enum.Phases[0].SQL...)
	l.exec(oldAppInsert, "INSERT INTO users (surname, kind) VALUES ('old-kind', 'firm')")
	l.exec(enum.Phases[2].SQL...)
	l.exec(enum.Phases[3].SQL...)
	if got := l.int("SELECT COUNT(*) FROM users WHERE kind = 'company'"); got == 0 {
		t.Error("no row migrated to the renamed member")
	}

	for _, p := range []Plan{
		PlanAddUnique("users", &schema.Index{Name: "uq_code", Unique: true, Parts: []schema.IndexPart{{Column: "code"}, {Column: "surname", SubPart: 3}}}),
		PlanAddCheck("users", &schema.Check{Name: "chk_price", Expr: "`price` >= 0", Enforced: true}),
	} {
		l.exec(p.Phases[0].SQL...)
		l.exec(p.Phases[len(p.Phases)-1].SQL...)
	}
	l.exec("CREATE TABLE orders (id int PRIMARY KEY, user_id int, KEY (user_id))", "INSERT INTO orders VALUES (1, 1), (2, NULL)")
	fk := PlanAddForeignKey("orders", &schema.ForeignKey{Name: "fk_orders_user", Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"}})
	l.exec(fk.Phases[0].SQL...)
	l.exec(fk.Phases[2].SQL...)

	s = l.model()
	drop := PlanDropColumn(s, s.Table("users"), s.Table("users").Column("surname"))
	l.exec(drop.Phases[0].SQL...)
	l.exec("INSERT INTO users (code) VALUES ('no-surname')") // the release without the column
	l.exec(drop.Phases[2].SQL...)
	dt := PlanDropTable(s, s.Table("users"))
	l.exec(dt.Phases[0].SQL...)
	l.exec(dt.Phases[2].SQL...)
}
