package rules

import (
	"slices"

	"github.com/schema-guard/schema-guard/schema"
)

// users is the deployed table most rule tests change: a surrogate key, a NOT NULL column
// without a default, a nullable one, and a NOT NULL one with a default.
func users() *schema.Table {
	return tbl("users",
		col("id", "int(11)", autoInc),
		col("surname", "varchar(50)", notNull),
		col("email", "varchar(255)"),
		col("status", "varchar(20)", notNull, def("'new'")),
	)
}

// usersWith returns users with column name replaced by c (or appended when absent, or removed
// when c is nil).
func usersWith(name string, c *schema.Column) *schema.Table {
	t := clone(users())
	for i, old := range t.Columns {
		if old.Name == name {
			if c == nil {
				t.Columns = append(t.Columns[:i], t.Columns[i+1:]...)
			} else {
				t.Columns[i] = c
			}
			return t
		}
	}
	if c != nil {
		t.Columns = append(t.Columns, c)
	}
	return t
}

// renamedTable returns a copy of t under another name.
func renamedTable(t *schema.Table, name string) *schema.Table {
	c := clone(t)
	c.Name = name
	return c
}

// without returns t without the named columns.
func without(t *schema.Table, names ...string) *schema.Table {
	c := clone(t)
	c.Columns = nil
	for _, col := range t.Columns {
		if !slices.Contains(names, col.Name) {
			c.Columns = append(c.Columns, col)
		}
	}
	return c
}
