package rules

import (
	"testing"

	"github.com/schema-guard/schema-guard/schema"
)

func TestAddUnique(t *testing.T) {
	withEmailKey := func(name string, unique bool, cols ...string) *schema.Table {
		return withIndex(users(), name, unique, cols...)
	}
	cases := []ruleCase{
		{
			name:     "unique over an existing column",
			sql:      "ALTER TABLE users ADD UNIQUE KEY uq_email (email)",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{withEmailKey("uq_email", true, "email")},
			want:     oneWarning,
			contains: []string{"`uq_email`", "`users`.(`email`)", "1062", "SELECT `email`, COUNT(*) AS copies FROM `users` WHERE `email` IS NOT NULL GROUP BY `email` HAVING COUNT(*) > 1 LIMIT 100;"},
		},
		{
			name:     "create unique index",
			sql:      "CREATE UNIQUE INDEX uq_email ON users (email)",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{withEmailKey("uq_email", true, "email")},
			want:     oneWarning,
		},
		{
			name:     "plain index",
			sql:      "CREATE INDEX ix_email ON users (email)",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{withEmailKey("ix_email", false, "email")},
		},
		{
			name:     "implied by an existing unique key",
			sql:      "ALTER TABLE users ADD UNIQUE KEY uq_id_email (id, email)",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{withEmailKey("uq_id_email", true, "id", "email")},
		},
		{
			name:     "renamed index",
			sql:      "ALTER TABLE users RENAME INDEX uq_email TO uq_users_email",
			deployed: []*schema.Table{withEmailKey("uq_email", true, "email")},
			after:    []*schema.Table{withEmailKey("uq_users_email", true, "email")},
		},
		{
			name:     "over a column added in the same change",
			sql:      "ALTER TABLE users ADD COLUMN code int, ADD UNIQUE (code)",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{withIndex(usersWith("code", col("code", "int(11)")), "code", true, "code")},
		},
		{
			name:     "primary key added",
			sql:      "ALTER TABLE events ADD PRIMARY KEY (name, at)",
			deployed: []*schema.Table{tbl("events", col("name", "varchar(50)", notNull), col("at", "datetime", notNull))},
			after: []*schema.Table{func() *schema.Table {
				t := tbl("events", col("name", "varchar(50)", notNull), col("at", "datetime", notNull))
				t.Indexes = []*schema.Index{{Name: "PRIMARY", Primary: true, Unique: true, Parts: []schema.IndexPart{{Column: "name"}, {Column: "at"}}}}
				return t
			}()},
			want:     oneWarning,
			contains: []string{"primary key", "null_keys"},
		},
		{
			name:   "table created in the same change",
			sql:    "ALTER TABLE users ADD UNIQUE KEY uq_email (email)",
			before: []*schema.Table{users()},
			after:  []*schema.Table{withEmailKey("uq_email", true, "email")},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkAddUnique) })
	}
}

func TestAddForeignKey(t *testing.T) {
	orders := func(fks ...*schema.ForeignKey) *schema.Table {
		o := tbl("orders", col("id", "int(11)", autoInc), col("user_id", "int(11)"), col("coupon", "int(11)"))
		o.ForeignKeys = fks
		return o
	}
	fk := &schema.ForeignKey{Name: "fk_orders_user", Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"}, OnDelete: "CASCADE"}
	cases := []ruleCase{
		{
			name:     "foreign key on an existing table",
			sql:      "ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE",
			deployed: []*schema.Table{orders(), users()},
			before:   []*schema.Table{orders()},
			after:    []*schema.Table{orders(fk)},
			want:     oneWarning,
			contains: []string{"`fk_orders_user`", "`orders`.(`user_id`)", "SELECT c.* FROM `orders` AS c LEFT JOIN `users` AS p ON p.`id` = c.`user_id` WHERE c.`user_id` IS NOT NULL AND p.`id` IS NULL LIMIT 100;",
				"SET SESSION foreign_key_checks = 0;", "ADD CONSTRAINT `fk_orders_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE, ALGORITHM=INPLACE, LOCK=NONE;"},
		},
		{
			name:     "already there",
			sql:      "ALTER TABLE orders ADD COLUMN x int",
			deployed: []*schema.Table{orders(fk)},
			after:    []*schema.Table{orders(fk)},
		},
		{
			name:     "over a column added in the same change",
			sql:      "ALTER TABLE orders ADD COLUMN shop_id int, ADD FOREIGN KEY (shop_id) REFERENCES shops (id)",
			deployed: []*schema.Table{orders()},
			after: []*schema.Table{func() *schema.Table {
				o := orders(&schema.ForeignKey{Name: "orders_ibfk_1", Columns: []string{"shop_id"}, RefTable: "shops", RefColumns: []string{"id"}})
				o.Columns = append(o.Columns, col("shop_id", "int(11)"))
				return o
			}()},
		},
		{
			name:   "table created in the same change",
			sql:    "ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id)",
			before: []*schema.Table{orders()},
			after:  []*schema.Table{orders(fk)},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkAddForeignKey) })
	}
}

func TestAddCheck(t *testing.T) {
	items := func(checks ...*schema.Check) *schema.Table {
		t := tbl("order_items", col("id", "int(11)", autoInc), col("qty", "int(11)", notNull, def("1")))
		t.Checks = checks
		return t
	}
	chk := &schema.Check{Name: "chk_qty", Expr: "`qty` > 0", Enforced: true}
	cases := []ruleCase{
		{
			name:     "check on an existing table",
			sql:      "ALTER TABLE order_items ADD CONSTRAINT chk_qty CHECK (qty > 0)",
			deployed: []*schema.Table{items()},
			after:    []*schema.Table{items(chk)},
			want:     oneWarning,
			contains: []string{"`chk_qty`", "`order_items`", "SELECT COUNT(*) AS violations FROM `order_items` WHERE NOT (`qty` > 0);", "ADD CONSTRAINT `chk_qty` CHECK (`qty` > 0);"},
		},
		{
			name:     "not enforced",
			sql:      "ALTER TABLE order_items ADD CONSTRAINT chk_qty CHECK (qty > 0) NOT ENFORCED",
			deployed: []*schema.Table{items()},
			after:    []*schema.Table{items(&schema.Check{Name: "chk_qty", Expr: "`qty` > 0"})},
		},
		{
			name:     "column check on a new column",
			sql:      "ALTER TABLE order_items ADD COLUMN data json",
			deployed: []*schema.Table{items()},
			after: []*schema.Table{func() *schema.Table {
				t := items(&schema.Check{Name: "data", Column: "data", Expr: "json_valid(`data`)", Enforced: true})
				t.Columns = append(t.Columns, col("data", "longtext"))
				return t
			}()},
		},
		{
			name:     "existing column becomes JSON (MariaDB)",
			sql:      "ALTER TABLE order_items MODIFY qty json",
			deployed: []*schema.Table{items()},
			after:    []*schema.Table{items(&schema.Check{Name: "qty", Column: "qty", Expr: "json_valid(`qty`)", Enforced: true})},
			want:     oneWarning,
		},
		{
			name:     "unchanged",
			sql:      "ALTER TABLE order_items ADD COLUMN x int",
			deployed: []*schema.Table{items(chk)},
			after:    []*schema.Table{items(chk)},
		},
		{
			name:   "table created in the same change",
			sql:    "ALTER TABLE order_items ADD CONSTRAINT chk_qty CHECK (qty > 0)",
			before: []*schema.Table{items()},
			after:  []*schema.Table{items(chk)},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkAddCheck) })
	}
}

func TestMissingPrimaryKey(t *testing.T) {
	events := tbl("events", col("name", "varchar(50)", notNull), col("at", "datetime", notNull))
	withUnique := withIndex(tbl("events", col("name", "varchar(50)", notNull), col("at", "datetime", notNull)), "uq_name", true, "name")
	cases := []ruleCase{
		{
			name:     "no primary key",
			sql:      "CREATE TABLE events (name varchar(50) NOT NULL, at datetime NOT NULL)",
			after:    []*schema.Table{events},
			want:     oneWarning,
			contains: []string{"`events`", "`id` bigint unsigned NOT NULL AUTO_INCREMENT", "PRIMARY KEY (`id`)"},
		},
		{
			name:     "a unique NOT NULL key to promote",
			sql:      "CREATE TABLE events (name varchar(50) NOT NULL UNIQUE, at datetime NOT NULL)",
			after:    []*schema.Table{withUnique},
			want:     oneWarning,
			contains: []string{"Promote unique key `uq_name`", "PRIMARY KEY (`name`)"},
		},
		{
			name:  "with a primary key",
			sql:   "CREATE TABLE users (id int NOT NULL AUTO_INCREMENT PRIMARY KEY)",
			after: []*schema.Table{users()},
		},
		{
			name:   "if not exists of a table that exists",
			sql:    "CREATE TABLE IF NOT EXISTS events (name varchar(50))",
			before: []*schema.Table{events},
			after:  []*schema.Table{events},
		},
		{
			name: "temporary",
			sql:  "CREATE TEMPORARY TABLE events (name varchar(50))",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkMissingPrimaryKey) })
	}
}
