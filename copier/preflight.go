package copier

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// column is a column as information_schema describes it.
type column struct {
	Name          string
	DataType      string // DATA_TYPE, lower case: "int", "varchar"
	Type          string // COLUMN_TYPE: "int(10) unsigned", "varchar(64)"
	Charset       string // "" for non-string columns
	Collation     string
	Nullable      bool
	Generated     bool // VIRTUAL or STORED generated: never written
	HasDefault    bool
	AutoIncrement bool
}

// tableInfo is what the copier reads about a table.
type tableInfo struct {
	Engine  string
	Rows    int64 // information_schema's estimate
	Columns []column
}

func (t *tableInfo) column(name string) *column {
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			return &t.Columns[i]
		}
	}
	return nil
}

// readTable reads a base table of the current database; nil when there is none.
func readTable(ctx context.Context, q querier, f schema.Flavor, table string) (*tableInfo, error) {
	var t tableInfo
	var engine sql.NullString
	var rows sql.NullInt64
	err := q.QueryRowContext(ctx, "SELECT ENGINE, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'", table).Scan(&engine, &rows)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read table %s: %w", table, err)
	}
	t.Engine, t.Rows = engine.String, rows.Int64
	const query = `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME, IS_NULLABLE,
		COLUMN_DEFAULT, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
		ORDER BY ORDINAL_POSITION`
	err = introspect.QueryRows(ctx, q, query, []any{table}, func(r *sql.Rows) error {
		var c column
		var charset, collation, nullable, def, extra sql.NullString
		if err := r.Scan(&c.Name, &c.DataType, &c.Type, &charset, &collation, &nullable, &def, &extra); err != nil {
			return err
		}
		c.DataType = strings.ToLower(c.DataType)
		c.Charset, c.Collation = charset.String, collation.String
		c.Nullable = strings.EqualFold(nullable.String, "YES")
		x := strings.ToUpper(extra.String)
		// MySQL says DEFAULT_GENERATED for an expression default; only these two are generated.
		c.Generated = strings.Contains(x, "VIRTUAL GENERATED") || strings.Contains(x, "STORED GENERATED") ||
			strings.Contains(x, "PERSISTENT GENERATED")
		c.AutoIncrement = strings.Contains(x, "AUTO_INCREMENT")
		// MariaDB writes a nullable column's implicit default as the string NULL; a NOT NULL
		// column without a default has none on both flavours.
		c.HasDefault = def.Valid
		t.Columns = append(t.Columns, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", table, err)
	}
	return &t, nil
}

// chunkKey is the unique key the copy walks.
type chunkKey struct {
	index   string // "PRIMARY" or the unique index's name
	columns []column
}

func (k *chunkKey) names() []string {
	out := make([]string, len(k.columns))
	for i, c := range k.columns {
		out[i] = c.Name
	}
	return out
}

func (k *chunkKey) describe() string {
	if k.index == "PRIMARY" {
		return "(the primary key on " + strings.Join(k.names(), ", ") + ")"
	}
	return "(unique key " + k.index + " on " + strings.Join(k.names(), ", ") + ")"
}

// keyTypes are the column types a chunk key may have: types whose order in the index is the
// order of the comparison operators on literals the copier writes. ENUM sorts by its index but
// compares as a string, FLOAT does not print back exactly, BIT and spatial types have no useful
// literal form.
var keyTypes = map[string]bool{
	"tinyint": true, "smallint": true, "mediumint": true, "int": true, "bigint": true, "decimal": true,
	"char": true, "varchar": true, "binary": true, "varbinary": true,
	"date": true, "datetime": true, "timestamp": true, "time": true, "year": true,
}

// foreignKeys returns the foreign keys of other tables that reference table, and the table's own.
func foreignKeys(ctx context.Context, q querier, table string) (incoming, own []string, err error) {
	const query = `SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, UNIQUE_CONSTRAINT_SCHEMA
		FROM information_schema.REFERENTIAL_CONSTRAINTS
		WHERE (UNIQUE_CONSTRAINT_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME = ?)
		   OR (CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?)
		ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME`
	var current string
	if err := q.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&current); err != nil {
		return nil, nil, fmt.Errorf("read foreign keys: %w", err)
	}
	err = introspect.QueryRows(ctx, q, query, []any{table, table}, func(r *sql.Rows) error {
		var schemaName, child, name, parent, parentSchema string
		if err := r.Scan(&schemaName, &child, &name, &parent, &parentSchema); err != nil {
			return err
		}
		if schemaName == current && child == table {
			own = append(own, name)
		} else {
			child = fmt.Sprintf("%s (%s)", child, name)
			if schemaName != current {
				child = schemaName + "." + child
			}
			incoming = append(incoming, child)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read foreign keys: %w", err)
	}
	return incoming, own, nil
}

// multipleTriggers reports whether the server allows several triggers per event and timing.
func multipleTriggers(f schema.Flavor) bool {
	return f.MinMySQL(5, 7, 2) || f.MinMariaDB(10, 2, 3)
}

// leftovers names the copier's tables and triggers for n that exist.
func leftovers(ctx context.Context, q querier, n names) ([]string, error) {
	tables, triggers := n.tables(), n.triggers()
	found, err := existing(ctx, q, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?"+strings.Repeat(", ?", len(tables)-1)+")", tables)
	if err != nil {
		return nil, err
	}
	more, err := existing(ctx, q, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME IN (?, ?, ?)", triggers)
	if err != nil {
		return nil, err
	}
	found = append(found, more...)
	// information_schema compares names case-insensitively on some servers; keep exact matches.
	found = slices.DeleteFunc(found, func(s string) bool {
		return !slices.Contains(tables, s) && !slices.Contains(triggers, s)
	})
	slices.Sort(found)
	return found, nil
}

// existing runs query, which names the objects among names that exist, and returns them.
func existing(ctx context.Context, q querier, query string, names []string) ([]string, error) {
	args := make([]any, len(names))
	for i, n := range names {
		args[i] = n
	}
	var found []string
	err := introspect.QueryRows(ctx, q, query, args, func(r *sql.Rows) error {
		var name string
		err := r.Scan(&name)
		found = append(found, name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("look for leftovers: %w", err)
	}
	return found, nil
}

// querier is what the read helpers need: *sql.DB, *sql.Conn and *sql.Tx have it.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ReferencedBy names the foreign keys of other tables that reference table in the database db
// is bound to ("child (fk_name)", "otherdb.child (fk_name)"): the copier refuses such a table, and a dry run, which
// copies the table alone, must be told (dryrun.Options.ReferencedBy).
func ReferencedBy(ctx context.Context, db *sql.DB, table string) ([]string, error) {
	incoming, _, err := foreignKeys(ctx, db, table)
	return incoming, err
}
