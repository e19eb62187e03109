package introspect

import (
	"slices"
	"strings"
)

// scope is what one introspection reads: a database, and either all of its tables or only some.
//
// A filter narrows every per-table query with TABLE_NAME IN (?, …), so the number of queries
// stays the same whatever the number of tables. information_schema compares names with its own
// collation (case-insensitive on MariaDB), so the SQL filter may let through a table whose name
// differs in case; keep drops those, so that a name matches only exactly as the server stores it.
type scope struct {
	database string
	// tables are the only tables read when only is set; a set filter with no tables reads none.
	tables []string
	only   bool
}

// allTables reads the whole database.
func allTables(database string) scope { return scope{database: database} }

// someTables reads only the named tables of database.
func someTables(database string, tables []string) scope {
	return scope{database: database, tables: tables, only: true}
}

// filter returns the condition to add to a query's WHERE clause, " AND <column> IN (?, …)", and
// its arguments, or "" when the whole database is read.
func (s scope) filter(column string) (string, []any) {
	if !s.only {
		return "", nil
	}
	if len(s.tables) == 0 {
		return " AND 1 = 0", nil
	}
	args := make([]any, len(s.tables))
	for i, t := range s.tables {
		args[i] = t
	}
	return " AND " + column + " IN (?" + strings.Repeat(", ?", len(s.tables)-1) + ")", args
}

// where is "<column> = ?" for the database followed by the table filter on tableColumn, with
// the arguments in order.
func (s scope) where(schemaColumn, tableColumn string) (string, []any) {
	cond, args := s.filter(tableColumn)
	return schemaColumn + " = ?" + cond, append([]any{s.database}, args...)
}

// keep reports whether a table the server listed is one the scope reads.
func (s scope) keep(table string) bool {
	return !s.only || slices.Contains(s.tables, table)
}
