// Package schema is the model of a MySQL/MariaDB database that every later stage speaks: the
// runner introspects a replayed database into it, the diff compares two of them, the rules judge
// the change between two of them and the copier plans from it.
//
// Values are stored as the server reports them after light, flavour-independent normalisation
// (see the field comments); comparing declared against replayed state, which needs more
// normalisation (implicit charsets, display widths), is the diff's job.
package schema

import (
	"slices"
	"strings"
)

// Schema is one database: its tables, views, triggers and routines, each list sorted by name.
type Schema struct {
	Name      string
	Flavor    Flavor
	Charset   string // database default character set
	Collation string // database default collation
	Tables    []*Table
	Views     []*View
	Triggers  []*Trigger
	Routines  []*Routine
}

// Table returns the table with the given name, or nil. Names compare case-insensitively, as they
// do on servers with lower_case_table_names=1 and for every other identifier kind.
func (s *Schema) Table(name string) *Table {
	i := slices.IndexFunc(s.Tables, func(t *Table) bool { return strings.EqualFold(t.Name, name) })
	if i < 0 {
		return nil
	}
	return s.Tables[i]
}

// View returns the view with the given name, or nil.
func (s *Schema) View(name string) *View {
	i := slices.IndexFunc(s.Views, func(v *View) bool { return strings.EqualFold(v.Name, name) })
	if i < 0 {
		return nil
	}
	return s.Views[i]
}

// Table is a base table.
type Table struct {
	Name        string
	Columns     []*Column // in ordinal position order
	Indexes     []*Index  // the primary key first, then by name
	ForeignKeys []*ForeignKey
	Checks      []*Check
	Options     TableOptions
}

// Column returns the column with the given name, or nil.
func (t *Table) Column(name string) *Column {
	i := slices.IndexFunc(t.Columns, func(c *Column) bool { return strings.EqualFold(c.Name, name) })
	if i < 0 {
		return nil
	}
	return t.Columns[i]
}

// Index returns the index with the given name ("PRIMARY" for the primary key), or nil.
func (t *Table) Index(name string) *Index {
	i := slices.IndexFunc(t.Indexes, func(x *Index) bool { return strings.EqualFold(x.Name, name) })
	if i < 0 {
		return nil
	}
	return t.Indexes[i]
}

// PrimaryKey returns the primary key, or nil when the table has none.
func (t *Table) PrimaryKey() *Index {
	if len(t.Indexes) > 0 && t.Indexes[0].Primary {
		return t.Indexes[0]
	}
	return nil
}

// TableOptions are the table-level options that SHOW CREATE TABLE prints.
type TableOptions struct {
	Engine    string // "InnoDB"
	Charset   string // derived from Collation
	Collation string
	// RowFormat is the ROW_FORMAT given explicitly at CREATE/ALTER time (upper case), or "" when
	// the server's default is in effect.
	RowFormat string
	Comment   string
	// AutoIncrement is the next counter value; informational, never a difference between states.
	// MySQL 8 caches it in information_schema (information_schema_stats_expiry), so it may lag.
	AutoIncrement uint64
	// CreateOptions holds the remaining options as the server lists them in CREATE_OPTIONS (space
	// separated and sorted, e.g. "page_compressed=1 stats_persistent=0"), without row_format and
	// partitioning.
	CreateOptions string
	// Partitioned is true when the table is partitioned; the partitioning itself is not modelled yet.
	Partitioned bool
}

// Column is a table column.
type Column struct {
	Name     string
	Position int // 1-based ordinal position
	// Type is the full column type as the server prints it, lower case outside quotes (enum and
	// set values keep their case): "int(10) unsigned",
	// "varchar(255)", "enum('a','b')", "decimal(10,2)". MySQL 8.0.19+ prints no integer display
	// widths; MariaDB does. The diff normalises that difference, the model keeps what the server said.
	Type string
	// DataType is the base type, lower case: "int", "varchar", "enum", "json".
	DataType string
	Unsigned bool
	Nullable bool
	// Default is the default as it would appear after DEFAULT in a column definition, normalised
	// across flavours: string literals single-quoted ('abc', with '' for a quote and \\, \0, \n,
	// \r for backslash, NUL, newline and carriage return, as SHOW CREATE TABLE writes them; binary
	// defaults too), numbers bare (0, 1.50), NULL (also for a nullable column without DEFAULT),
	// CURRENT_TIMESTAMP or CURRENT_TIMESTAMP(6) in upper case without empty parentheses, bit
	// literals as b'101' without leading zeros, other expressions as the server prints them in
	// one pair of parentheses (not doubled when the server's text is already wrapped). Nil means
	// the column has no default (NOT NULL without DEFAULT, or an auto_increment or generated
	// column).
	Default *string
	// OnUpdate is the ON UPDATE expression, normalised like Default ("CURRENT_TIMESTAMP"), or "".
	OnUpdate      string
	AutoIncrement bool
	// Charset and Collation are set for character and text types (the effective ones, even when
	// inherited from the table), "" otherwise.
	Charset   string
	Collation string
	// Generated is non-nil for generated (virtual or stored) columns.
	Generated *Generated
	Comment   string
	Invisible bool // MySQL 8.0.23+ and MariaDB 10.3+ invisible columns
}

// Generated is a generated column's expression.
type Generated struct {
	Expr   string // as the server prints it
	Stored bool   // STORED (or PERSISTENT); false means VIRTUAL
}

// Index is an index or a key constraint (PRIMARY KEY, UNIQUE).
type Index struct {
	Name    string // "PRIMARY" for the primary key
	Primary bool
	Unique  bool   // true for the primary key too
	Type    string // BTREE, HASH, FULLTEXT, SPATIAL as the server reports it (InnoDB: BTREE for USING HASH)
	Parts   []IndexPart
	// Invisible is MySQL 8.0's INVISIBLE or MariaDB 10.6's IGNORED index.
	Invisible bool
	Comment   string
}

// Columns returns the names of the index's column parts (functional parts are left out).
func (x *Index) Columns() []string {
	var cols []string
	for _, p := range x.Parts {
		if p.Column != "" {
			cols = append(cols, p.Column)
		}
	}
	return cols
}

// IndexPart is one key part: a column, with an optional prefix length, or an expression
// (MySQL 8.0.13+ functional key parts).
type IndexPart struct {
	Column     string
	Expr       string // functional key part expression; Column is "" then
	SubPart    int    // prefix length in characters, 0 for the whole column
	Descending bool
}

// ForeignKey is a foreign key constraint.
type ForeignKey struct {
	Name       string
	Columns    []string
	RefSchema  string // "" when the referenced table is in the same database
	RefTable   string
	RefColumns []string
	OnUpdate   string // RESTRICT, CASCADE, SET NULL, NO ACTION, SET DEFAULT
	OnDelete   string
}

// Check is a CHECK constraint.
type Check struct {
	Name string
	// Column is set for MariaDB column-level checks (CHECK written in the column definition).
	Column   string
	Expr     string // as the server prints it
	Enforced bool   // MySQL's NOT ENFORCED makes this false; MariaDB checks are always enforced
}

// View is a view.
type View struct {
	Name         string
	Definition   string // the SELECT as the server stores it
	CheckOption  string // NONE, CASCADED, LOCAL
	SecurityType string // DEFINER, INVOKER
	Definer      string // user@host
	Algorithm    string // UNDEFINED, MERGE, TEMPTABLE; "" when the server does not say
}

// Trigger is a trigger.
type Trigger struct {
	Name      string
	Table     string
	Timing    string // BEFORE, AFTER
	Event     string // INSERT, UPDATE, DELETE
	Order     int    // ACTION_ORDER: position among triggers of the same table, timing and event
	Statement string // the body, from BEGIN to END or the single statement
	Definer   string
}

// Routine is a stored procedure or function.
type Routine struct {
	Name string
	Type string // PROCEDURE, FUNCTION
	// Params is the parameter list, rebuilt from information_schema.PARAMETERS with the types as
	// the server prints them, e.g. "IN p_id int(11), OUT p_name varchar(50) CHARSET latin1": a
	// procedure's parameters with their mode, CHARSET only where it differs from the database's.
	Params        string
	Returns       string // the FUNCTION's return type, like a parameter's; "" for a procedure
	Body          string // the routine body as the server stores it
	Deterministic bool
	DataAccess    string // CONTAINS SQL, NO SQL, READS SQL DATA, MODIFIES SQL DATA
	Security      string // DEFINER, INVOKER
	Comment       string
	Definer       string
}
