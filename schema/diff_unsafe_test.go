package schema

import (
	"slices"
	"testing"
)

// TestDiffDefersUnsafeDefaults: on MySQL, an ALTER TABLE that adds a column carries no default
// MySQL calls unsafe for replication (error 1674 with binary logging); those are set right after
// it. MariaDB has no such rule, and an ALTER without ADD COLUMN keeps them.
func TestDiffDefersUnsafeDefaults(t *testing.T) {
	uuid := func(c *Column) { c.Type, c.DataType, c.Default = "char(36)", "char", ptr("(uuid())") }
	from := &Schema{Tables: []*Table{table("t", notNull("id"), with(varchar("u", "36"), uuid))}}
	to := &Schema{Tables: []*Table{table("t", notNull("id"),
		with(varchar("u", "36"), func(c *Column) { uuid(c); c.Comment = "key" }),
		with(varchar("v", "36"), uuid), intCol("n"))}}
	for _, tc := range []struct {
		f    Flavor
		want []string
	}{
		{mySQL, []string{
			"ALTER TABLE `t`\n  MODIFY COLUMN `u` char(36) COMMENT 'key',\n  ADD COLUMN `v` char(36),\n  ADD COLUMN `n` int(11) DEFAULT NULL",
			"ALTER TABLE `t`\n  ALTER COLUMN `u` SET DEFAULT (uuid()),\n  ALTER COLUMN `v` SET DEFAULT (uuid())",
		}},
		{mariaDB, []string{
			"ALTER TABLE `t`\n  MODIFY COLUMN `u` char(36) DEFAULT (uuid()) COMMENT 'key',\n  ADD COLUMN `v` char(36) DEFAULT (uuid()),\n  ADD COLUMN `n` int(11) DEFAULT NULL",
		}},
	} {
		from.Flavor, to.Flavor = tc.f, tc.f
		d := Diff(from, to, DiffOptions{})
		if !slices.Equal(d.Statements, tc.want) {
			t.Errorf("%s: statements\n%q\nwant\n%q", tc.f.Kind, d.Statements, tc.want)
		}
		for _, c := range d.Changes {
			if c.Name == "v" && tc.f.IsMySQL() && len(c.Fix) != 2 {
				t.Errorf("missing v: fix %q, want the ADD and the SET DEFAULT", c.Fix)
			}
		}
	}
	// Without an added column the MODIFY keeps its default.
	to.Tables[0].Columns = to.Tables[0].Columns[:2]
	from.Flavor, to.Flavor = mySQL, mySQL
	if d := Diff(from, to, DiffOptions{}); !slices.Equal(d.Statements, []string{"ALTER TABLE `t` MODIFY COLUMN `u` char(36) DEFAULT (uuid()) COMMENT 'key'"}) {
		t.Errorf("statements %q", d.Statements)
	}
}
