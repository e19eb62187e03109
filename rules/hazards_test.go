package rules

import (
	"slices"
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func TestDropView(t *testing.T) {
	view := &schema.View{Name: "active_users", Definition: "select `app`.`users`.`id` AS `id` from `app`.`users`"}
	run := func(deployed, before, after []*schema.View, deprecated ...string) []finding.Finding {
		ctx := &Context{Statement: parseOne(t, "DROP VIEW active_users"), Deprecated: NewDeprecated(deprecated),
			Deployed: &schema.Schema{Views: deployed}, Before: &schema.Schema{Views: before}, After: &schema.Schema{Views: after}}
		return checkDropView(ctx)
	}
	one := []*schema.View{view}
	if got := run(one, one, nil); len(got) != 1 || got[0].Severity != finding.Error || got[0].Table != "active_users" {
		t.Errorf("dropped deployed view: %v", got)
	}
	if got := run(one, one, nil, "active_users"); len(got) != 0 {
		t.Errorf("deprecated view: %v", got)
	}
	if got := run(nil, one, nil); len(got) != 0 {
		t.Errorf("view created in the change: %v", got)
	}
	if got := run(one, one, one); len(got) != 0 {
		t.Errorf("CREATE OR REPLACE keeps it: %v", got)
	}
}

func TestDependentObject(t *testing.T) {
	u := users()
	deployed := sch(u)
	deployed.Views = []*schema.View{
		{Name: "contacts", Definition: "select `app`.`users`.`surname` AS `surname`,`app`.`users`.`email` AS `email` from `app`.`users`"},
		{Name: "other", Definition: "select `app`.`orders`.`email` AS `email` from `app`.`orders`"},
	}
	deployed.Triggers = []*schema.Trigger{{Name: "users_bi", Table: "users", Timing: "BEFORE", Event: "INSERT", Statement: "SET NEW.status = LOWER(NEW.status)"}}
	deployed.Routines = []*schema.Routine{
		{Name: "report", Type: "PROCEDURE", Body: "BEGIN SELECT surname FROM users; END"},
		{Name: "drop_surname", Type: "PROCEDURE", Body: "BEGIN ALTER TABLE users DROP COLUMN surname; END"},
	}
	cases := []struct {
		name, sql string
		after     *schema.Table
		want      []string // dependents named, in order
	}{
		{"a view and a routine", "ALTER TABLE users DROP COLUMN surname", usersWith("surname", nil), []string{"contacts", "report", "drop_surname"}},
		{"the procedure that does it is not broken by it", "CALL drop_surname()", usersWith("surname", nil), []string{"contacts", "report"}},
		{"email: only the view that reads users.email", "ALTER TABLE users DROP COLUMN email", usersWith("email", nil), []string{"contacts"}},
		{"the table's own trigger", "ALTER TABLE users RENAME COLUMN status TO state", renamed(users(), "status", "state"), []string{"users_bi"}},
		{"nothing uses it", "ALTER TABLE users DROP COLUMN code", usersWith("code", nil), nil},
		{"dropped and added again", "ALTER TABLE users DROP COLUMN email, ADD COLUMN email int", users(), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := &Context{Statement: parseOne(t, tc.sql), Deployed: deployed, Before: sch(u), After: sch(tc.after), Deprecated: NewDeprecated([]string{"users.surname"})}
			var got []string
			for _, f := range checkDependentObject(ctx) {
				got = append(got, dependentName(f.Message))
			}
			if !equalStrings(got, tc.want) {
				t.Errorf("dependents %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTruncateTable(t *testing.T) {
	run := func(seed, deprecated []string) int {
		ctx := &Context{Statement: parseOne(t, "TRUNCATE TABLE users"), Deployed: sch(users()), SeedTables: seed, Deprecated: NewDeprecated(deprecated)}
		return len(checkTruncateTable(ctx))
	}
	if run(nil, nil) != 1 || run([]string{"Users"}, nil) != 0 || run(nil, []string{"users"}) != 0 {
		t.Errorf("truncate: plain %d, seed %d, deprecated %d", run(nil, nil), run([]string{"Users"}, nil), run(nil, []string{"users"}))
	}
	ctx := &Context{Statement: parseOne(t, "TRUNCATE TABLE scratch"), Deployed: sch(users())}
	if got := checkTruncateTable(ctx); len(got) != 0 {
		t.Errorf("table created in the change: %v", got)
	}
}

func TestUnboundedDML(t *testing.T) {
	events := withIndex(tbl("events", col("id", "bigint"), col("kind", "int"), col("at", "datetime")), "idx_at", false, "at")
	big := map[string]TableConfig{"events": {Rows: 40_000_000}}
	cases := map[string]int{
		"UPDATE events SET kind = 1":                                   1,
		"DELETE FROM events":                                           1,
		"UPDATE events SET kind = 1 WHERE 1 = 1":                       1,
		"UPDATE events SET kind = 1 WHERE kind = 2":                    1,
		"UPDATE events SET kind = 1 WHERE id = at":                     1,
		"UPDATE events SET kind = 1 WHERE kind = 2 OR id = 3":          1,
		"UPDATE events SET kind = 1 WHERE id BETWEEN 1 AND 5000":       0,
		"UPDATE events SET kind = 1 WHERE kind = 2 AND at < NOW()":     0,
		"UPDATE events SET kind = 1 WHERE (id IN (1, 2))":              0,
		"DELETE FROM events WHERE kind = 2 LIMIT 1000":                 0,
		"DELETE e FROM events e JOIN users u ON u.id = e.kind":         1,
		"UPDATE events e JOIN users u ON u.id = e.kind SET e.kind = 0": 1,
	}
	for sql, want := range cases {
		ctx := &Context{Statement: parseOne(t, sql), Deployed: sch(events, users()), Tables: big}
		if got := checkUnboundedDML(ctx); len(got) != want {
			t.Errorf("%s: %d findings, want %d", sql, len(got), want)
		}
	}
	ctx := &Context{Statement: parseOne(t, "UPDATE events SET kind = 1"), Deployed: sch(events), Tables: map[string]TableConfig{"events": {Rows: 5000}}}
	if got := checkUnboundedDML(ctx); len(got) != 0 {
		t.Errorf("small table: %v", got)
	}
}

func TestDropPrimaryKeyEngineChange(t *testing.T) {
	noPK := clone(users())
	noPK.Indexes = nil
	myisam := clone(users())
	myisam.Options.Engine = "MyISAM"
	cases := []ruleCase{
		{name: "no primary key left", sql: "ALTER TABLE users DROP PRIMARY KEY", deployed: []*schema.Table{users()}, after: []*schema.Table{noPK}, want: oneError},
		{name: "the key replaced", sql: "ALTER TABLE users DROP PRIMARY KEY, ADD PRIMARY KEY (id, surname)", deployed: []*schema.Table{users()}, after: []*schema.Table{users()}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkDropPrimaryKey) })
	}
	engine := []ruleCase{
		{name: "to MyISAM", sql: "ALTER TABLE users ENGINE=MyISAM", deployed: []*schema.Table{users()}, after: []*schema.Table{myisam}, want: oneError, contains: []string{"MyISAM"}},
		{name: "from MyISAM", sql: "ALTER TABLE users ENGINE=InnoDB", deployed: []*schema.Table{myisam}, after: []*schema.Table{users()}},
	}
	for _, tc := range engine {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkEngineChange) })
	}
}

func TestCollationChange(t *testing.T) {
	bin := func(c *schema.Column) { c.Collation = "utf8mb4_bin" }
	u := withIndex(users(), "uq_email", true, "email")
	u.Columns[2] = col("email", "varchar(255)", charset("utf8mb4"))
	after := clone(u)
	after.Columns[2] = col("email", "varchar(255)", charset("utf8mb4"), bin)
	cases := []ruleCase{
		{name: "unique column", sql: "ALTER TABLE users MODIFY email varchar(255) COLLATE utf8mb4_bin", deployed: []*schema.Table{u}, after: []*schema.Table{after}, want: oneWarning, contains: []string{"uq_email", "duplicates"}},
		{name: "column in no index", sql: "ALTER TABLE users MODIFY email varchar(255) COLLATE utf8mb4_bin", deployed: []*schema.Table{usersWith("email", u.Columns[2])}, after: []*schema.Table{after}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkCollationChange) })
	}
}

// dependentName picks the dependent object's name out of a dependent-object message.
func dependentName(msg string) string {
	for _, kind := range []string{"view `", "trigger `", "procedure `", "function `"} {
		if i := strings.Index(msg, kind); i >= 0 {
			rest := msg[i+len(kind):]
			return rest[:strings.Index(rest, "`")]
		}
	}
	return msg
}

// renamed returns t with column from renamed to to.
func renamed(t *schema.Table, from, to string) *schema.Table {
	c := clone(t)
	for i, col := range c.Columns {
		if col.Name == from {
			cc := *col
			cc.Name = to
			c.Columns[i] = &cc
		}
	}
	return c
}

func equalStrings(a, b []string) bool { return slices.Equal(a, b) }
