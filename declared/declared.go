// Package declared reads a declared schema: the CREATE statements (and seed-data INSERTs) a team
// keeps in the repository as the state its migrations must produce, as a directory of .sql files
// in any layout or as one dump file (mysqldump --no-data output included). It knows where each
// object is declared, so drift findings point at the right line, and it reads rename hints.
package declared

import "github.com/schema-guard/schema-guard/migrations"

// HintRenamedFrom is the comment that says an object was renamed, so that the reconciling SQL
// renames it rather than dropping the old one and adding the new:
//
//	-- schema-guard:renamed-from customers
//	CREATE TABLE clients (
//	  id INT PRIMARY KEY,
//	  -- schema-guard:renamed-from name
//	  full_name VARCHAR(100)
//	);
const HintRenamedFrom = "schema-guard:renamed-from"

// Pos is a place in a declared file.
type Pos struct {
	File   string
	Line   int
	Column int
}

// Key identifies a declared object. Kind is "table", "column", "view", "trigger" or "routine";
// Name is lower case, "table.column" for a column.
type Key struct {
	Kind string
	Name string
}

// State is a declared schema read from files.
type State struct {
	// Path is the --schema path as given (slash-separated, relative to the file system root).
	Path string
	// Statements are all statements, files in path order, each file's in its order: the order
	// in which they are loaded.
	Statements []migrations.Statement
	// Objects says where each table, column, view, trigger and routine is declared. A column's
	// place is its line inside the CREATE TABLE statement.
	Objects map[Key]Pos
	// Seeds says where the first INSERT into each table (lower-case name) is.
	Seeds map[string]Pos
	// Renamed holds the rename hints in the form schema.DiffOptions.Renamed takes.
	Renamed map[string]string
}
