package rules

import (
	"testing"

	"github.com/schema-guard/schema-guard/schema"
)

func TestRenameColumn(t *testing.T) {
	lastName := col("last_name", "varchar(50)", notNull)
	cases := []ruleCase{
		{
			name:     "rename column",
			sql:      "ALTER TABLE users RENAME COLUMN surname TO last_name",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("surname", lastName)},
			want:     oneError,
			contains: []string{"`users`.`surname`", "`last_name`", "CREATE TRIGGER `sg_users_last_name_bi`", "- users.surname", "DROP COLUMN `surname`", "DELIMITER $$"},
		},
		{
			name:     "change to another name",
			sql:      "ALTER TABLE users CHANGE COLUMN surname last_name varchar(50) NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("surname", lastName)},
			want:     oneError,
		},
		{
			name:     "change keeping the name",
			sql:      "ALTER TABLE users CHANGE surname surname varchar(60) NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("surname", col("surname", "varchar(60)", notNull))},
		},
		{
			name:     "change of case only",
			sql:      "ALTER TABLE users CHANGE surname Surname varchar(50) NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("surname", col("Surname", "varchar(50)", notNull))},
		},
		{
			name:   "table created in the same change",
			sql:    "ALTER TABLE users RENAME COLUMN surname TO last_name",
			before: []*schema.Table{users()},
			after:  []*schema.Table{usersWith("surname", lastName)},
		},
		{
			name:     "column added in the same change",
			sql:      "ALTER TABLE users RENAME COLUMN nick TO nickname",
			deployed: []*schema.Table{users()},
			before:   []*schema.Table{usersWith("nick", col("nick", "varchar(10)"))},
			after:    []*schema.Table{usersWith("nickname", col("nickname", "varchar(10)"))},
		},
		{
			name:       "deprecated column",
			sql:        "ALTER TABLE users RENAME COLUMN surname TO last_name",
			deployed:   []*schema.Table{users()},
			after:      []*schema.Table{usersWith("surname", lastName)},
			deprecated: []string{"users.surname"},
		},
		{
			name:     "two renames in one statement",
			sql:      "ALTER TABLE users RENAME COLUMN surname TO last_name, RENAME COLUMN email TO mail",
			deployed: []*schema.Table{users()},
			want:     errs(2),
		},
		{
			name:     "rename without models after",
			sql:      "ALTER TABLE users RENAME COLUMN surname TO last_name",
			deployed: []*schema.Table{users()},
			want:     oneError,
			contains: []string{"ADD COLUMN `last_name` varchar(50) AFTER `surname`"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkRenameColumn) })
	}
}

func TestRenameTable(t *testing.T) {
	cases := []ruleCase{
		{
			name:     "rename table",
			sql:      "RENAME TABLE users TO customers",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{renamedTable(users(), "customers")},
			want:     oneError,
			contains: []string{"`users` to `customers`", "CREATE VIEW `customers` AS SELECT * FROM `users`", "RENAME TABLE `customers` TO `customers_sg_view`, `users` TO `customers`", "DROP VIEW `customers_sg_view`"},
		},
		{
			name:     "alter table rename",
			sql:      "ALTER TABLE users RENAME TO customers",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{renamedTable(users(), "customers")},
			want:     oneError,
		},
		{
			name:     "alter table rename as",
			sql:      "ALTER TABLE users RENAME AS customers",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{renamedTable(users(), "customers")},
			want:     oneError,
		},
		{
			name:     "several pairs, one deployed",
			sql:      "RENAME TABLE users TO customers, scratch TO scratch2",
			deployed: []*schema.Table{users()},
			before:   []*schema.Table{users(), tbl("scratch", col("id", "int"))},
			after:    []*schema.Table{renamedTable(users(), "customers"), tbl("scratch2", col("id", "int"))},
			want:     oneError,
		},
		{
			name:     "swap through a temporary name",
			sql:      "RENAME TABLE users TO tmp, accounts TO users, tmp TO accounts",
			deployed: []*schema.Table{users(), renamedTable(users(), "accounts")},
			after:    []*schema.Table{renamedTable(users(), "accounts"), users()},
			want:     errs(2),
		},
		{
			name: "table created in the same change",
			sql:  "RENAME TABLE users TO customers",
		},
		{
			name:       "deprecated table: the contract step",
			sql:        "RENAME TABLE customers TO customers_sg_view, users TO customers",
			deployed:   []*schema.Table{users()},
			deprecated: []string{"users"},
		},
		{
			name:     "alter without rename",
			sql:      "ALTER TABLE users ADD COLUMN x int",
			deployed: []*schema.Table{users()},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkRenameTable) })
	}
}
