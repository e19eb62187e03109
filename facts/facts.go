// Package facts holds what a migration statement's text says, as plain data: its place, its
// kind, the renames, drops and clauses of an ALTER, the rows an UPDATE or DELETE reaches. The
// migrations package reads them off the SQL parser's AST (migrations.Statement.Facts); the
// rules judge them without the parser, so the rules package stays small and needs no server.
//
// Facts only add what the schema models before and after a statement cannot tell (a rename
// looks like a drop and an add there); what a statement did is the models' to say.
package facts

// Kind sorts statements into schema changes, which commit implicitly, data changes, which a
// transaction could hold, and the others (SELECT, SET, CALL…).
type Kind int

// The kinds of statements.
const (
	Other Kind = iota
	DDL
	DML
)

func (k Kind) String() string {
	switch k {
	case DDL:
		return "schema change (DDL)"
	case DML:
		return "data change (DML)"
	}
	return "other"
}

// Statement is one migration statement as the rules see it.
type Statement struct {
	// File, Line, Column and EndLine place the statement (1-based; Column in characters).
	File                  string
	Line, Column, EndLine int
	// Text is the statement as sent to the server.
	Text string
	// Parsed is false when the SQL parser cannot read the statement (it is opaque): every fact
	// below is then unknown, and the rules judge only what the models say it did.
	Parsed bool
	// ParseError is the parser's message when it could not read the statement.
	ParseError string
	Kind       Kind
	// TableRenames are the renames the text makes (RENAME TABLE, ALTER TABLE … RENAME TO), as
	// old and new names, in the order it makes them.
	TableRenames [][2]string
	// Alter is set for an ALTER TABLE.
	Alter *Alter
	// CreateIndex is set for a CREATE INDEX, DropIndex for a DROP INDEX.
	CreateIndex *CreateIndex
	DropIndex   *DropIndex
	// Truncate is the table a TRUNCATE TABLE empties.
	Truncate string
	// Rows is set for an UPDATE or a DELETE.
	Rows *RowChange
	// Call is the procedure a CALL calls.
	Call string
}

// Alter is what the text of an ALTER TABLE says.
type Alter struct {
	Table string // as written, without a database qualifier
	// ColumnRenames are the columns it renames (CHANGE to another name, RENAME COLUMN), as old
	// and new names, in the order of its clauses.
	ColumnRenames [][2]string
	// DropColumns are the names its DROP COLUMN clauses drop.
	DropColumns []string
	// Clauses are its clauses other than ALGORITHM= and LOCK=, written back as SQL (for a
	// fix's text, never to decide anything).
	Clauses []string
}

// CreateIndex is what the text of a CREATE INDEX says.
type CreateIndex struct {
	Table, Name string
	// Kind is "INDEX", "UNIQUE INDEX", "FULLTEXT INDEX" or "SPATIAL INDEX".
	Kind string
	// Parts are the key parts written back as SQL.
	Parts []string
}

// DropIndex is what the text of a DROP INDEX says.
type DropIndex struct{ Table, Name string }

// RowChange is what the text of an UPDATE or a DELETE says about the rows it reaches.
type RowChange struct {
	Verb string // UPDATE or DELETE
	// Tables are the tables it changes: of a join, each side; of a multi-table DELETE, the
	// tables it deletes from.
	Tables []string
	// Limited is true when it has a LIMIT.
	Limited bool
	// Compared are the columns its WHERE constrains with a comparison an index can use: each a
	// top-level AND term comparing the column with something other than a column (=, <=>, <,
	// <=, >, >=, IN, BETWEEN, IS NULL).
	Compared []string
}
