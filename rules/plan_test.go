package rules

import (
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

func TestFitName(t *testing.T) {
	long := strings.Repeat("very_long_table_name_", 5)
	a := fitName("sg", long, "a_column_with_a_long_name", "bi")
	b := fitName("sg", long, "a_column_with_a_long_name", "bu")
	if len([]rune(a)) > maxIdent || len([]rune(b)) > maxIdent || a == b {
		t.Errorf("fitName: %q, %q", a, b)
	}
	if a != fitName("sg", long, "a_column_with_a_long_name", "bi") {
		t.Error("fitName is not stable")
	}
	if got := fitName("sg", "users", "email", "bi"); got != "sg_users_email_bi" {
		t.Errorf("short name changed: %q", got)
	}
	if got := fitName(strings.Repeat("é", 70)); len([]rune(got)) > maxIdent {
		t.Errorf("multibyte name of %d characters", len([]rune(got)))
	}
}

func TestColumnCopyNames(t *testing.T) {
	long := strings.Repeat("t", 64)
	users := tbl(long, col("id", "int(11)", autoInc), col(strings.Repeat("c", 64), "varchar(10)"))
	to := col(strings.Repeat("d", 64), "varchar(10)")
	p := PlanRenameColumn(nil, users, users.Columns[1], to)
	n := ColumnCopy{Table: users, From: users.Columns[1], To: to}.Names()
	for _, name := range []string{n.InsertTrigger, n.UpdateTrigger, n.Backfill} {
		if len(name) > maxIdent {
			t.Errorf("%q longer than 64", name)
		}
	}
	// The plan's SQL reads back through the migrations splitter and parser as the same
	// statements (the stored programs as opaque ones).
	for _, ph := range p.Phases {
		text := Script(migrations.Script).write(ph.SQL)
		f := &migrations.File{Path: "V9__x.sql", Format: migrations.Flyway, Content: []byte(text)}
		stmts, err := f.Statements()
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		if len(stmts) != len(ph.SQL) {
			t.Errorf("%d statements read back, %d written:\n%s", len(stmts), len(ph.SQL), text)
		}
	}
}

func TestColumnCopySpecialColumns(t *testing.T) {
	users := users()
	p := PlanRenameColumn(nil, users, users.Column("id"), col("user_id", "int(11)", autoInc))
	if len(p.Phases) != 1 || !strings.Contains(p.Text(migrations.Script), "AUTO_INCREMENT column cannot be copied") {
		t.Errorf("auto_increment:\n%s", p.Text(migrations.Script))
	}
	gen := col("full", "varchar(80)")
	gen.Generated = &schema.Generated{Expr: "concat(`surname`,'!')"}
	gen.Default = nil
	users.Columns = append(users.Columns, gen)
	to := *gen
	to.Name = "full_name"
	text := PlanRenameColumn(nil, users, gen, &to).Text(migrations.Script)
	if strings.Contains(text, "TRIGGER") || !strings.Contains(text, "ADD COLUMN `full_name` varchar(80) GENERATED ALWAYS AS (concat(`surname`,'!')) VIRTUAL AFTER `full`") {
		t.Errorf("generated:\n%s", text)
	}
}

func TestColumnCopyKeys(t *testing.T) {
	orders := tbl("orders", col("id", "int(11)", autoInc), col("user_id", "int(11)", notNull), col("sku", "varchar(20)", notNull))
	orders.Indexes = append(orders.Indexes,
		&schema.Index{Name: "uq_user_sku", Unique: true, Parts: []schema.IndexPart{{Column: "user_id"}, {Column: "sku", SubPart: 10}}},
		&schema.Index{Name: "user_id", Parts: []schema.IndexPart{{Column: "user_id", Descending: true}}},
	)
	orders.ForeignKeys = []*schema.ForeignKey{{Name: "fk_orders_user_id", Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"}, OnDelete: "CASCADE", OnUpdate: "RESTRICT"}}
	refs := tbl("refunds", col("id", "int(11)", autoInc), col("order_user", "int(11)"))
	refs.ForeignKeys = []*schema.ForeignKey{{Name: "fk_refund", Columns: []string{"order_user"}, RefTable: "orders", RefColumns: []string{"user_id"}}}
	s := sch(orders, refs)
	to := col("customer_id", "int(11)", notNull)
	text := PlanRenameColumn(s, orders, orders.Column("user_id"), to).Text(migrations.Script)
	for _, want := range []string{
		"ADD UNIQUE INDEX `uq_user_sku_customer_id` (`customer_id`, `sku`(10))",
		"ADD INDEX `customer_id` (`customer_id` DESC)",
		"DROP INDEX `uq_user_sku`",
		"DROP FOREIGN KEY `fk_orders_user_id`",
		"ADD CONSTRAINT `fk_orders_customer_id` FOREIGN KEY (`customer_id`) REFERENCES `users` (`id`) ON DELETE CASCADE",
		"-- schema-guard:allow tighten-not-null,add-foreign-key",
		"Foreign key `fk_refund` of `refunds` references `user_id`",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
	// A primary key over the column moves in the contract step.
	pk := tbl("pairs", col("a", "int(11)", notNull), col("b", "int(11)", notNull))
	pk.Indexes = []*schema.Index{{Name: "PRIMARY", Primary: true, Unique: true, Parts: []schema.IndexPart{{Column: "a"}, {Column: "b"}}}}
	text = PlanRenameColumn(nil, pk, pk.Column("a"), col("left_id", "int(11)", notNull)).Text(migrations.Script)
	for _, want := range []string{"DROP PRIMARY KEY", "ADD PRIMARY KEY (`left_id`, `b`)", "allow add-unique,tighten-not-null"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
}

// TestPlansNilSafe calls every plan generator without what it needs.
func TestPlansNilSafe(t *testing.T) {
	u := users()
	c := u.Column("email")
	for _, p := range []Plan{
		PlanRenameColumn(nil, nil, nil, nil), PlanRenameColumn(nil, u, c, nil),
		PlanNarrowColumn(nil, nil, nil, nil, ""), PlanRenameTable(nil, "x"), PlanRenameTable(u, ""),
		PlanDropColumn(nil, nil, nil), PlanDropTable(nil, nil), PlanAddNotNull(nil, nil, nil),
		PlanTightenNotNull(nil, nil, nil, nil), PlanKeepDefault(nil, u, u.Column("surname"), c), PlanEnumChange(nil, nil, nil, nil),
		PlanAddUnique("t", nil), PlanAddForeignKey("t", nil), PlanAddForeignKey("t", &schema.ForeignKey{Columns: []string{"a"}}), PlanAddCheck("t", nil),
	} {
		if len(p.Phases) != 0 {
			t.Errorf("a plan without its inputs: %s", p.Text(migrations.Script))
		}
	}
	if got := (Plan{}).Text(migrations.Script); got != "" {
		t.Errorf("empty plan text %q", got)
	}
}
