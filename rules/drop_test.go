package rules

import (
	"testing"

	"github.com/schema-guard/schema-guard/schema"
)

func TestDropColumn(t *testing.T) {
	cases := []ruleCase{
		{
			name:     "drop a used column",
			sql:      "ALTER TABLE users DROP COLUMN email",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("email", nil)},
			want:     oneError,
			contains: []string{"`users`.`email`", "- users.email", "ALTER TABLE `users` DROP COLUMN `email`;"},
		},
		{
			name:     "NOT NULL without default: relax it first",
			sql:      "ALTER TABLE users DROP surname",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("surname", nil)},
			want:     oneError,
			contains: []string{"ALTER TABLE `users` MODIFY COLUMN `surname` varchar(50);"},
		},
		{
			name:       "deprecated column",
			sql:        "ALTER TABLE users DROP COLUMN email",
			deployed:   []*schema.Table{users()},
			deprecated: []string{"Users.Email"},
		},
		{
			name:       "deprecated table",
			sql:        "ALTER TABLE users DROP COLUMN email",
			deployed:   []*schema.Table{users()},
			deprecated: []string{"users"},
		},
		{
			name:       "another column deprecated",
			sql:        "ALTER TABLE users DROP COLUMN email",
			deployed:   []*schema.Table{users()},
			after:      []*schema.Table{usersWith("email", nil)},
			deprecated: []string{"users.surname"},
			want:       oneError,
		},
		{
			name:     "column added in the same change",
			sql:      "ALTER TABLE users DROP COLUMN nick",
			deployed: []*schema.Table{users()},
			before:   []*schema.Table{usersWith("nick", col("nick", "int"))},
		},
		{
			name:   "table created in the same change",
			sql:    "ALTER TABLE users DROP COLUMN email",
			before: []*schema.Table{users()},
		},
		{
			name:     "several drops",
			sql:      "ALTER TABLE users DROP COLUMN email, DROP COLUMN IF EXISTS status, ADD COLUMN x int",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{without(usersWith("x", col("x", "int")), "email", "status")},
			want:     errs(2),
		},
		{
			name:     "dropped and added again: the values are gone",
			sql:      "ALTER TABLE users DROP COLUMN email, ADD COLUMN email varchar(255)",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{users()},
			want:     oneError,
		},
		{
			name:     "dropped by a statement the models alone describe",
			sql:      "EXECUTE stmt",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("email", nil)},
			want:     oneError,
		},
		{
			name:     "shrinking a unique key is named",
			sql:      "ALTER TABLE users DROP COLUMN email",
			deployed: []*schema.Table{withIndex(users(), "uq_status_email", true, "status", "email")},
			after:    []*schema.Table{usersWith("email", nil)},
			want:     oneError,
			contains: []string{"Unique key `uq_status_email` also covers other columns", "DROP INDEX `uq_status_email`"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkDropColumn) })
	}
}

func TestDropTable(t *testing.T) {
	orders := tbl("orders", col("id", "int(11)", autoInc), col("user_id", "int(11)", notNull))
	orders.ForeignKeys = []*schema.ForeignKey{{Name: "fk_orders_user", Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"}}}
	cases := []ruleCase{
		{
			name:     "drop a used table",
			sql:      "DROP TABLE users",
			deployed: []*schema.Table{users(), orders},
			after:    []*schema.Table{orders},
			want:     oneError,
			contains: []string{"`users`", "- users", "DROP TABLE `users`;", "ALTER TABLE `orders` DROP FOREIGN KEY `fk_orders_user`;"},
		},
		{
			name:     "if exists, several tables, one deployed",
			sql:      "DROP TABLE IF EXISTS scratch, users",
			deployed: []*schema.Table{users()},
			want:     oneError,
		},
		{
			name:     "two deployed tables",
			sql:      "DROP TABLE users, orders",
			deployed: []*schema.Table{users(), orders},
			want:     errs(2),
		},
		{
			name:       "deprecated",
			sql:        "DROP TABLE users",
			deployed:   []*schema.Table{users()},
			deprecated: []string{"users"},
		},
		{
			name:       "only a column deprecated",
			sql:        "DROP TABLE users",
			deployed:   []*schema.Table{users()},
			deprecated: []string{"users.email"},
			want:       oneError,
		},
		{
			name: "table created in the same change",
			sql:  "DROP TABLE users",
		},
		{
			name:     "temporary table",
			sql:      "DROP TEMPORARY TABLE users",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{users()},
		},
		{
			name:     "a view",
			sql:      "DROP VIEW users",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{users()},
		},
		{
			name:     "dropped by a CALL",
			sql:      "CALL app.cleanup()",
			deployed: []*schema.Table{users(), orders},
			after:    []*schema.Table{orders},
			want:     oneError,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkDropTable) })
	}
}
