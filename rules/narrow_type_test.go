package rules

import (
	"testing"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func TestNarrowType(t *testing.T) {
	cases := []struct {
		name, sql string
		before    *schema.Column
		after     *schema.Column
		want      []finding.Severity
		contains  []string
	}{
		{
			name:   "shorter varchar",
			sql:    "ALTER TABLE users MODIFY email varchar(100)",
			before: col("email", "varchar(255)"), after: col("email", "varchar(100)"),
			want: oneError,
			contains: []string{"`users`.`email`", "varchar(255) to varchar(100)", "SELECT COUNT(*) AS misfits FROM `users` WHERE CHAR_LENGTH(`email`) > 100;",
				"ADD COLUMN `email_v2` varchar(100) AFTER `email`", "-- schema-guard:allow narrow-type"},
		},
		{
			name:   "longer varchar",
			sql:    "ALTER TABLE users MODIFY email varchar(500)",
			before: col("email", "varchar(255)"), after: col("email", "varchar(500)"),
		},
		{
			name:   "int to bigint",
			sql:    "ALTER TABLE users MODIFY n bigint",
			before: col("n", "int(11)"), after: col("n", "bigint(20)"),
		},
		{
			name:   "signed to unsigned",
			sql:    "ALTER TABLE users MODIFY n int unsigned",
			before: col("n", "int(11)"), after: col("n", "int(10) unsigned"),
			want: oneError, contains: []string{"negative", "`n` < 0 OR `n` > 4294967295"},
		},
		{
			name:   "decimal scale",
			sql:    "ALTER TABLE users MODIFY price decimal(10,1)",
			before: col("price", "decimal(10,2)"), after: col("price", "decimal(10,1)"),
			want: oneError, contains: []string{"rounds", "`price` <> ROUND(`price`, 1)"},
		},
		{
			name:   "utf8mb4 to utf8mb3",
			sql:    "ALTER TABLE users MODIFY email varchar(255) CHARACTER SET utf8mb3",
			before: col("email", "varchar(255)", charset("utf8mb4")), after: col("email", "varchar(255)", charset("utf8mb3")),
			want: oneError, contains: []string{"varchar(255) utf8mb4 to varchar(255) utf8mb3", "emoji", "HEX(`email`) <> HEX(CONVERT(CONVERT(`email` USING utf8mb3) USING utf8mb4))"},
		},
		{
			name:   "latin1 to utf8mb4",
			sql:    "ALTER TABLE users MODIFY email varchar(255) CHARACTER SET utf8mb4",
			before: col("email", "varchar(255)", charset("latin1")), after: col("email", "varchar(255)", charset("utf8mb4")),
		},
		{
			name:   "text shrink",
			sql:    "ALTER TABLE users MODIFY bio text",
			before: col("bio", "mediumtext"), after: col("bio", "text"),
			want: oneError, contains: []string{"LENGTH(`bio`) > 65535"},
		},
		{
			name:   "fractional seconds",
			sql:    "ALTER TABLE users MODIFY at datetime",
			before: col("at", "datetime(6)"), after: col("at", "datetime"),
			want: oneError, contains: []string{"MICROSECOND(`at`) % 1000000 <> 0"},
		},
		{
			name:   "another family, no exact check",
			sql:    "ALTER TABLE users MODIFY code int",
			before: col("code", "varchar(10)"), after: col("code", "int(11)"),
			want: oneError, contains: []string{"type family", "no exact query"},
		},
		{
			name:   "enum member removed is enum-change's",
			sql:    "ALTER TABLE users MODIFY kind enum('a')",
			before: col("kind", "enum('a','b')"), after: col("kind", "enum('a')"),
		},
		{
			name:   "unreadable type is not judged",
			sql:    "ALTER TABLE users MODIFY g int",
			before: col("g", "weird((("), after: col("g", "int(11)"),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rc := ruleCase{
				sql:      tc.sql,
				deployed: []*schema.Table{usersWith(tc.before.Name, tc.before)},
				after:    []*schema.Table{usersWith(tc.before.Name, tc.after)},
				want:     tc.want,
				contains: tc.contains,
			}
			rc.run(t, checkNarrowType)
		})
	}
	t.Run("column added in the same change", func(t *testing.T) {
		rc := ruleCase{
			sql:      "ALTER TABLE users MODIFY nick varchar(5)",
			deployed: []*schema.Table{users()},
			before:   []*schema.Table{usersWith("nick", col("nick", "varchar(50)"))},
			after:    []*schema.Table{usersWith("nick", col("nick", "varchar(5)"))},
		}
		rc.run(t, checkNarrowType)
	})
	t.Run("convert to character set narrows every text column", func(t *testing.T) {
		before := tbl("notes", col("id", "int(11)", autoInc), col("a", "varchar(10)", charset("utf8mb4")), col("b", "text", charset("utf8mb4")))
		after := tbl("notes", col("id", "int(11)", autoInc), col("a", "varchar(10)", charset("latin1")), col("b", "text", charset("latin1")))
		rc := ruleCase{
			sql:      "ALTER TABLE notes CONVERT TO CHARACTER SET latin1",
			deployed: []*schema.Table{before},
			after:    []*schema.Table{after},
			want:     errs(2),
		}
		rc.run(t, checkNarrowType)
	})
	t.Run("rename and narrow in one CHANGE", func(t *testing.T) {
		rc := ruleCase{
			sql:      "ALTER TABLE users CHANGE email mail varchar(20)",
			deployed: []*schema.Table{users()},
			after:    []*schema.Table{usersWith("email", col("mail", "varchar(20)"))},
			want:     oneError,
		}
		rc.run(t, checkNarrowType)
	})
}
