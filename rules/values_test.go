package rules

import (
	"testing"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func TestNotNullWithoutDefault(t *testing.T) {
	gen := col("full", "varchar(80)", notNull)
	gen.Generated = &schema.Generated{Expr: "concat(`surname`,' ')"}
	gen.Default = nil
	cases := []ruleCase{
		{
			name:     "NOT NULL without default",
			sql:      "ALTER TABLE users ADD COLUMN phone varchar(20) NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("phone", col("phone", "varchar(20)", notNull))},
			want:     oneError,
			contains: []string{"`users`.`phone`", "1364", "ADD COLUMN `phone` varchar(20) NOT NULL DEFAULT '';", "ADD COLUMN `phone` varchar(20);", "-- schema-guard:allow tighten-not-null"},
		},
		{
			name:     "with a default",
			sql:      "ALTER TABLE users ADD COLUMN phone varchar(20) NOT NULL DEFAULT ''",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("phone", col("phone", "varchar(20)", notNull, def("''")))},
		},
		{
			name:     "nullable",
			sql:      "ALTER TABLE users ADD COLUMN phone varchar(20)",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("phone", col("phone", "varchar(20)"))},
		},
		{
			name:     "timestamp the server gave a default",
			sql:      "ALTER TABLE users ADD COLUMN seen timestamp NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("seen", col("seen", "timestamp", notNull, def("CURRENT_TIMESTAMP")))},
		},
		{
			name:     "generated",
			sql:      "ALTER TABLE users ADD COLUMN full varchar(80) AS (concat(surname, ' ')) NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("full", gen)},
		},
		{
			name:     "auto_increment",
			sql:      "ALTER TABLE users ADD COLUMN n bigint NOT NULL AUTO_INCREMENT UNIQUE",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("n", col("n", "bigint(20)", autoInc))},
		},
		{
			name:   "table created in the same change",
			sql:    "ALTER TABLE users ADD COLUMN phone varchar(20) NOT NULL",
			before: []*schema.Table{users()},
			after:  []*schema.Table{usersWith("phone", col("phone", "varchar(20)", notNull))},
		},
		{
			name:     "several columns at once, one bad",
			sql:      "ALTER TABLE users ADD COLUMN (a int NOT NULL, b int NOT NULL DEFAULT 0)",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{tbl("users", append(users().Columns, col("a", "int(11)", notNull), col("b", "int(11)", notNull, def("0")))...)},
			want:     oneError,
			contains: []string{"`a`", "DEFAULT 0"},
		},
		{
			name:     "enum gets its first member as default",
			sql:      "ALTER TABLE users ADD COLUMN kind enum('person','company') NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("kind", col("kind", "enum('person','company')", notNull))},
			want:     oneError,
			contains: []string{"DEFAULT 'person'"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkNotNullWithoutDefault) })
	}
}

func TestTightenNotNull(t *testing.T) {
	cases := []ruleCase{
		{
			name:     "nullable to NOT NULL without default",
			sql:      "ALTER TABLE users MODIFY COLUMN email varchar(255) NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("email", col("email", "varchar(255)", notNull))},
			want:     oneError,
			contains: []string{"`users`.`email`", "MODIFY COLUMN `email` varchar(255) DEFAULT '';", "UPDATE `users` SET `email` = '' WHERE `email` IS NULL LIMIT 1000;", "MODIFY COLUMN `email` varchar(255) NOT NULL DEFAULT '';"},
		},
		{
			name:     "nullable to NOT NULL with a default",
			sql:      "ALTER TABLE users MODIFY COLUMN email varchar(255) NOT NULL DEFAULT 'none'",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("email", col("email", "varchar(255)", notNull, def("'none'")))},
			want:     oneWarning,
			contains: []string{"DEFAULT 'none'", "1048"},
		},
		{
			name:     "through CHANGE with a rename",
			sql:      "ALTER TABLE users CHANGE email mail varchar(255) NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("email", col("mail", "varchar(255)", notNull))},
			want:     oneError,
		},
		{
			name:     "already NOT NULL",
			sql:      "ALTER TABLE users MODIFY COLUMN surname varchar(80) NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("surname", col("surname", "varchar(80)", notNull))},
		},
		{
			name:     "stays nullable",
			sql:      "ALTER TABLE users MODIFY COLUMN email varchar(300)",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("email", col("email", "varchar(300)"))},
		},
		{
			name:     "column added in the same change",
			sql:      "ALTER TABLE users MODIFY COLUMN nick varchar(10) NOT NULL",
			deployed: []*schema.Table{users()},
			before:   []*schema.Table{usersWith("nick", col("nick", "varchar(10)"))},
			after:    []*schema.Table{usersWith("nick", col("nick", "varchar(10)", notNull))},
		},
		{
			name:   "table created in the same change",
			sql:    "ALTER TABLE users MODIFY COLUMN email varchar(255) NOT NULL",
			before: []*schema.Table{users()},
			after:  []*schema.Table{usersWith("email", col("email", "varchar(255)", notNull))},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkTightenNotNull) })
	}
}

func TestDropDefault(t *testing.T) {
	cases := []ruleCase{
		{
			name:     "ALTER COLUMN DROP DEFAULT",
			sql:      "ALTER TABLE users ALTER COLUMN status DROP DEFAULT",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("status", col("status", "varchar(20)", notNull))},
			want:     oneError,
			contains: []string{"`users`.`status`", "'new'", "MODIFY COLUMN `status` varchar(20) NOT NULL DEFAULT 'new';", "-- schema-guard:allow drop-default"},
		},
		{
			name:     "MODIFY restating the column without its default",
			sql:      "ALTER TABLE users MODIFY status varchar(30) NOT NULL",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("status", col("status", "varchar(30)", notNull))},
			want:     oneError,
		},
		{
			name:     "MODIFY keeping the default",
			sql:      "ALTER TABLE users MODIFY status varchar(30) NOT NULL DEFAULT 'new'",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("status", col("status", "varchar(30)", notNull, def("'new'")))},
		},
		{
			name:     "another default",
			sql:      "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'fresh'",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("status", col("status", "varchar(20)", notNull, def("'fresh'")))},
		},
		{
			name:     "nullable column loses its default",
			sql:      "ALTER TABLE users ALTER COLUMN email DROP DEFAULT",
			deployed: []*schema.Table{usersWith("email", col("email", "varchar(255)", def("'x'")))},
			after:    []*schema.Table{users()},
		},
		{
			name:     "column added in the same change",
			sql:      "ALTER TABLE users ALTER COLUMN kind DROP DEFAULT",
			deployed: []*schema.Table{users()},
			before:   []*schema.Table{usersWith("kind", col("kind", "int", notNull, def("0")))},
			after:    []*schema.Table{usersWith("kind", col("kind", "int", notNull))},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, checkDropDefault) })
	}
}

func TestEnumChange(t *testing.T) {
	orders := func(typ string) *schema.Table {
		return tbl("orders", col("id", "int(11)", autoInc), col("status", typ, notNull, def("'new'")))
	}
	base := "enum('new','paid','cancelled')"
	cases := []struct {
		name, to string
		want     []finding.Severity
		contains []string
	}{
		{"append", "enum('new','paid','cancelled','shipped')", nil, nil},
		{"same", base, nil, nil},
		{"remove", "enum('new','paid')", oneError, []string{"loses 'cancelled'", "no longer writes 'cancelled'", "UPDATE `orders` SET `status` = '<value>' WHERE `status` = 'cancelled' LIMIT 1000;"}},
		{"rename", "enum('new','paid','canceled')", oneError, []string{"renames 'cancelled' to 'canceled'", "enum('new','paid','cancelled','canceled')", "SET `status` = 'canceled' WHERE `status` = 'cancelled'"}},
		{"rename by case", "enum('new','paid','Cancelled')", oneError, []string{"renames"}},
		{"reorder", "enum('paid','new','cancelled')", oneWarning, []string{"reorders"}},
		{"insert in the middle", "enum('new','pending','paid','cancelled')", oneWarning, []string{"reorders its members or inserts", "writes still work"}},
		{"to a wide varchar is narrow-type's", "varchar(20)", nil, nil},
		{"set remove", "set('new','paid')", nil, nil}, // another family: narrow-type's
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rc := ruleCase{
				sql:      "ALTER TABLE orders MODIFY status " + tc.to + " NOT NULL DEFAULT 'new'",
				deployed: []*schema.Table{orders(base)},
				after:    []*schema.Table{orders(tc.to)},
				want:     tc.want,
				contains: tc.contains,
			}
			rc.run(t, checkEnumChange)
		})
	}
	t.Run("set member removed", func(t *testing.T) {
		rc := ruleCase{
			sql:      "ALTER TABLE orders MODIFY status set('a','c') NOT NULL DEFAULT 'a'",
			deployed: []*schema.Table{orders("set('a','b','c')")},
			after:    []*schema.Table{orders("set('a','c')")},
			want:     oneError,
		}
		rc.run(t, checkEnumChange)
	})
	t.Run("new table", func(t *testing.T) {
		rc := ruleCase{
			sql:    "ALTER TABLE orders MODIFY status enum('new') NOT NULL DEFAULT 'new'",
			before: []*schema.Table{orders(base)},
			after:  []*schema.Table{orders("enum('new')")},
		}
		rc.run(t, checkEnumChange)
	})
}
