// Package introspect reads a database on a live server into the schema model: tables, columns,
// indexes, foreign keys, checks, options, views, triggers and routines, from information_schema
// with a fixed number of queries per call, normalised so that MySQL and MariaDB spell the same
// schema the same way (the flavour differences are in introspect_normalize.go and
// introspect_literals.go).
package introspect

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// Querier is what introspection needs: *sql.DB, *sql.Conn and *sql.Tx satisfy it.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ReadFlavor reads VERSION() and @@version_comment and parses them with schema.ParseFlavor.
func ReadFlavor(ctx context.Context, q Querier) (schema.Flavor, error) {
	var version, comment sql.NullString
	err := QueryRows(ctx, q, "SELECT VERSION(), @@version_comment", nil, func(rows *sql.Rows) error {
		return rows.Scan(&version, &comment)
	})
	if err != nil {
		return schema.Flavor{}, fmt.Errorf("read flavor: %w", err)
	}
	f, err := schema.ParseFlavor(version.String, comment.String)
	if err != nil {
		return schema.Flavor{}, fmt.Errorf("read flavor: %w", err)
	}
	return f, nil
}

// Introspect reads database `database` into the model.
//
// It issues a fixed, small number of queries over information_schema for the whole database (at
// most eleven, whatever the number of tables), never one per table: on a 200-table schema a
// query per table would cost more than the replay it follows. The price is that a few details
// MySQL 8 only gets right in SHOW CREATE TABLE (see introspect_normalize.go) are taken from
// information_schema as it is. The queries run one after another on q, so q may be a single
// connection. information_schema is not transactional: the database must not change meanwhile,
// which holds after a replay.
func Introspect(ctx context.Context, q Querier, database string, flavor schema.Flavor) (*schema.Schema, error) {
	s, err := introspect(ctx, q, allTables(database), flavor)
	if err != nil {
		return nil, err
	}
	if s.Views, err = introspectViews(ctx, q, database, flavor); err != nil {
		return nil, err
	}
	if s.Routines, err = introspectRoutines(ctx, q, database, s.Charset); err != nil {
		return nil, err
	}
	return s, nil
}

// IntrospectTables reads only the named tables of database, with their triggers, into the model;
// views and routines are left out. A name matches a table only exactly as the server stores it
// (on a server with lower_case_table_names=1 that is in lower case), and a table that does not
// exist is simply absent. Like Introspect it issues a fixed number of queries (at most eight),
// whatever the number of tables: every per-table query is narrowed with TABLE_NAME IN (…).
func IntrospectTables(ctx context.Context, q Querier, database string, flavor schema.Flavor, tables []string) (*schema.Schema, error) {
	return introspect(ctx, q, someTables(database, tables), flavor)
}

// IntrospectViews reads the views of database.
func IntrospectViews(ctx context.Context, q Querier, database string, flavor schema.Flavor) ([]*schema.View, error) {
	return introspectViews(ctx, q, database, flavor)
}

// introspect reads the database's defaults and the tables of sc with their triggers.
func introspect(ctx context.Context, q Querier, sc scope, flavor schema.Flavor) (*schema.Schema, error) {
	s := &schema.Schema{Name: sc.database, Flavor: flavor}
	if err := introspectDatabase(ctx, q, s); err != nil {
		return nil, err
	}
	tables, err := introspectTables(ctx, q, sc)
	if err != nil {
		return nil, err
	}
	// steps fill the tables found above; rows for other objects (views in COLUMNS, say) are
	// dropped by each step.
	steps := []func(context.Context, Querier, scope, schema.Flavor, map[string]*schema.Table) error{
		introspectColumns,
		introspectIndexes,
		introspectForeignKeys,
		introspectChecks,
	}
	for _, step := range steps {
		if err := step(ctx, q, sc, flavor, tables); err != nil {
			return nil, err
		}
	}
	for _, t := range tables {
		s.Tables = append(s.Tables, t)
		sortTable(t)
	}
	slices.SortFunc(s.Tables, func(a, b *schema.Table) int { return cmp.Compare(a.Name, b.Name) })
	if s.Triggers, err = introspectTriggers(ctx, q, sc); err != nil {
		return nil, err
	}
	return s, nil
}

// introspectDatabase reads the database's default charset and collation, and fails clearly when
// the database does not exist (information_schema would otherwise just return nothing).
func introspectDatabase(ctx context.Context, q Querier, s *schema.Schema) error {
	const query = `SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME
		FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`
	found := false
	err := QueryRows(ctx, q, query, []any{s.Name}, func(rows *sql.Rows) error {
		var charset, collation sql.NullString
		if err := rows.Scan(&charset, &collation); err != nil {
			return err
		}
		found = true
		s.Charset, s.Collation = charset.String, collation.String
		return nil
	})
	if err != nil {
		return fmt.Errorf("introspect database: %w", err)
	}
	if !found {
		return fmt.Errorf("introspect database: database %q does not exist", s.Name)
	}
	return nil
}

// introspectTables reads base tables and their options, keyed by table name.
func introspectTables(ctx context.Context, q Querier, sc scope) (map[string]*schema.Table, error) {
	// SYSTEM VERSIONED is MariaDB's name for a base table WITH SYSTEM VERSIONING; views and
	// MariaDB sequences (SEQUENCE) are not tables here.
	where, args := sc.where("TABLE_SCHEMA", "TABLE_NAME")
	query := `SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT, AUTO_INCREMENT
		FROM information_schema.TABLES
		WHERE ` + where + ` AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')`
	tables := map[string]*schema.Table{}
	err := QueryRows(ctx, q, query, args, func(rows *sql.Rows) error {
		var name string
		// AUTO_INCREMENT is BIGINT UNSIGNED: a string scan survives values above MaxInt64.
		var engine, collation, createOptions, comment, autoInc sql.NullString
		if err := rows.Scan(&name, &engine, &collation, &createOptions, &comment, &autoInc); err != nil {
			return err
		}
		if !sc.keep(name) {
			return nil
		}
		opts := schema.TableOptions{
			Engine:    engine.String,
			Collation: collation.String,
			Charset:   charsetOfCollation(collation.String),
			Comment:   comment.String,
		}
		opts.RowFormat, opts.CreateOptions, opts.Partitioned = splitCreateOptions(createOptions.String)
		if autoInc.Valid {
			n, err := strconv.ParseUint(autoInc.String, 10, 64)
			if err != nil {
				return fmt.Errorf("table %s: AUTO_INCREMENT %q: %w", name, autoInc.String, err)
			}
			opts.AutoIncrement = n
		}
		tables[name] = &schema.Table{Name: name, Options: opts}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("introspect tables: %w", err)
	}
	return tables, nil
}

// sortTable puts a table's lists in the model's order: the primary key first, then everything
// by name. information_schema's own order differs between flavours and versions.
func sortTable(t *schema.Table) {
	slices.SortFunc(t.Columns, func(a, b *schema.Column) int { return cmp.Compare(a.Position, b.Position) })
	slices.SortFunc(t.Indexes, func(a, b *schema.Index) int {
		if a.Primary != b.Primary {
			if a.Primary {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	slices.SortFunc(t.ForeignKeys, func(a, b *schema.ForeignKey) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(t.Checks, func(a, b *schema.Check) int { return cmp.Compare(a.Name, b.Name) })
}

// QueryRows runs query and calls scan for every row, closing the rows on every path.
func QueryRows(ctx context.Context, q Querier, query string, args []any, scan func(*sql.Rows) error) (err error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, rows.Close()) }()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// isYes reads information_schema's YES/NO columns.
func isYes(s sql.NullString) bool { return strings.EqualFold(s.String, "YES") }
