package schema

// ObjectKind is the kind of a schema object a Change is about.
type ObjectKind string

// The kinds of objects Diff compares.
const (
	KindTable        ObjectKind = "table"
	KindColumn       ObjectKind = "column"
	KindIndex        ObjectKind = "index"
	KindForeignKey   ObjectKind = "foreign_key"
	KindCheck        ObjectKind = "check"
	KindTableOptions ObjectKind = "table_options"
	KindView         ObjectKind = "view"
	KindTrigger      ObjectKind = "trigger"
	KindRoutine      ObjectKind = "routine"
)

// ChangeType says how an object differs between the two states.
type ChangeType string

// The ways an object can differ. Missing and extra are seen from the `from` state: Diff(from, to)
// reports as missing what `to` has and `from` lacks.
const (
	Missing   ChangeType = "missing"
	Extra     ChangeType = "extra"
	Different ChangeType = "different"
	Renamed   ChangeType = "renamed" // only with a rename hint: the object exists in `from` under its old name
)

// Change is one difference between two states of a database.
type Change struct {
	Kind   ObjectKind
	Change ChangeType
	// Table is the table the object belongs to (a column's, an index's, a trigger's), or the
	// table itself; "" for views and routines.
	Table string
	// Name is the object's own name: the column, index, foreign key, check, view, trigger or
	// routine; "" for tables and table options.
	Name string
	// OldName is the name in `from` when Change is Renamed.
	OldName string
	// From and To are the object's definitions in each state, as SQL fragments ("`email`
	// varchar(255) NOT NULL", "KEY `idx` (`a`,`b`(10))"); "" where the object does not exist.
	From, To string
	// Fix holds the statements that make `from` match `to` for this change alone.
	Fix []string
}

// Object names the object: "users" for a table or its options, "users.email" for a column, index,
// foreign key or check, the name itself for views, triggers and routines.
func (c Change) Object() string {
	switch c.Kind {
	case KindTable, KindTableOptions:
		return c.Table
	case KindView, KindTrigger, KindRoutine:
		return c.Name
	default:
		return c.Table + "." + c.Name
	}
}

// Delta is what turns one state of a database into another.
type Delta struct {
	Changes []Change
	// Statements is the whole reconciling script, ordered so that it applies: foreign keys are
	// dropped before the indexes and tables they use, tables are created before the foreign keys
	// that point at them, views after the tables they read. Changes to one table are one ALTER
	// TABLE where the server allows it, so the table is rebuilt at most once.
	Statements []string
}

// Empty reports whether the two states are the same.
func (d *Delta) Empty() bool { return len(d.Changes) == 0 }

// DiffOptions tune Diff.
type DiffOptions struct {
	// Renamed maps new names to old ones, from the declared state's rename hints: "users" →
	// "customers" renames a table, "users.full_name" → "name" a column of table users. Without a
	// hint a rename is indistinguishable from a drop and an add.
	Renamed map[string]string
}
