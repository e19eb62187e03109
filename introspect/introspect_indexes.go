package introspect

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/internal/sqllex"
	"github.com/schema-guard/schema-guard/schema"
)

// introspectIndexes reads every index of every table from STATISTICS, one row per key part.
func introspectIndexes(ctx context.Context, q Querier, sc scope, f schema.Flavor, tables map[string]*schema.Table) error {
	// Visibility: MySQL 8.0 has IS_VISIBLE, MariaDB 10.6 IGNORED (the inverse); functional key
	// parts: MySQL 8.0.13+ has EXPRESSION (COLUMN_NAME is NULL for them), MariaDB has none.
	visible, expr := "NULL", "NULL"
	switch {
	case f.MinMySQL(8, 0, 0):
		visible = "IS_VISIBLE"
		if f.Min(8, 0, 13) {
			expr = "EXPRESSION"
		}
	case f.MinMariaDB(10, 6, 0):
		visible = "IGNORED"
	}
	query := `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, COLLATION, SUB_PART,
		INDEX_TYPE, INDEX_COMMENT, ` + visible + `, ` + expr + `
		FROM information_schema.STATISTICS WHERE `
	type key struct{ table, index string }
	type part struct {
		seq int64
		schema.IndexPart
	}
	indexes := map[key]*schema.Index{}
	parts := map[key][]part{}
	where, args := sc.where("TABLE_SCHEMA", "TABLE_NAME")
	err := QueryRows(ctx, q, query+where, args, func(rows *sql.Rows) error {
		var (
			table, name            string
			nonUnique, seq         int64
			column, collation      sql.NullString
			subPart                sql.NullInt64
			typ, comment, vis, exp sql.NullString
		)
		if err := rows.Scan(&table, &name, &nonUnique, &seq, &column, &collation, &subPart,
			&typ, &comment, &vis, &exp); err != nil {
			return err
		}
		t := tables[table]
		if t == nil {
			return nil
		}
		k := key{table, name}
		x := indexes[k]
		if x == nil {
			x = &schema.Index{
				Name:      name,
				Primary:   name == "PRIMARY",
				Unique:    nonUnique == 0,
				Type:      strings.ToUpper(typ.String),
				Invisible: indexInvisible(f, vis),
				Comment:   comment.String,
			}
			indexes[k] = x
			t.Indexes = append(t.Indexes, x)
		}
		p := schema.IndexPart{
			Column:     column.String,
			Descending: collation.String == "D",
		}
		if !column.Valid {
			p.Expr = mysqlExpr(f, exp.String)
		}
		// SPATIAL indexes report SUB_PART 32 (the MBR size) although no prefix was given.
		if x.Type != "SPATIAL" && subPart.Valid {
			p.SubPart = int(subPart.Int64)
		}
		parts[k] = append(parts[k], part{seq, p})
		return nil
	})
	if err != nil {
		return fmt.Errorf("introspect indexes: %w", err)
	}
	for k, x := range indexes {
		ps := parts[k]
		slices.SortFunc(ps, func(a, b part) int { return cmp.Compare(a.seq, b.seq) })
		for _, p := range ps {
			x.Parts = append(x.Parts, p.IndexPart)
		}
	}
	return nil
}

// introspectForeignKeys reads every foreign key with its columns in order, in two queries joined
// here rather than by the server: MariaDB evaluates REFERENTIAL_CONSTRAINTS JOIN
// KEY_COLUMN_USAGE by scanning KEY_COLUMN_USAGE of every database on the server (EXPLAIN:
// "Scanned all databases"), six times slower than two queries on a 200-table schema, and more
// on a server with many databases. KEY_COLUMN_USAGE is filtered by TABLE_SCHEMA, the column the
// server can look up directly. The second query is skipped when there are no foreign keys.
func introspectForeignKeys(ctx context.Context, q Querier, sc scope, _ schema.Flavor, tables map[string]*schema.Table) error {
	const rcQuery = `SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
		FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE `
	type key struct{ table, name string }
	fks := map[key]*schema.ForeignKey{}
	where, args := sc.where("CONSTRAINT_SCHEMA", "TABLE_NAME")
	err := QueryRows(ctx, q, rcQuery+where, args, func(rows *sql.Rows) error {
		var table, name string
		var onUpdate, onDelete sql.NullString
		if err := rows.Scan(&table, &name, &onUpdate, &onDelete); err != nil {
			return err
		}
		t := tables[table]
		if t == nil {
			return nil
		}
		fk := &schema.ForeignKey{
			Name:     name,
			OnUpdate: strings.ToUpper(onUpdate.String),
			OnDelete: strings.ToUpper(onDelete.String),
		}
		fks[key{table, name}] = fk
		t.ForeignKeys = append(t.ForeignKeys, fk)
		return nil
	})
	if err != nil {
		return fmt.Errorf("introspect foreign keys: %w", err)
	}
	if len(fks) == 0 {
		return nil
	}

	const kcuQuery = `SELECT TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION, COLUMN_NAME,
		REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
		FROM information_schema.KEY_COLUMN_USAGE
		WHERE REFERENCED_TABLE_NAME IS NOT NULL AND `
	type part struct {
		pos            int64
		column, refCol string
	}
	parts := map[key][]part{}
	where, args = sc.where("TABLE_SCHEMA", "TABLE_NAME")
	err = QueryRows(ctx, q, kcuQuery+where, args, func(rows *sql.Rows) error {
		var table, name string
		var pos int64
		var column, refSchema, refTable, refColumn sql.NullString
		if err := rows.Scan(&table, &name, &pos, &column, &refSchema, &refTable, &refColumn); err != nil {
			return err
		}
		k := key{table, name}
		fk := fks[k]
		if fk == nil {
			return nil
		}
		fk.RefTable = refTable.String
		if !strings.EqualFold(refSchema.String, sc.database) {
			fk.RefSchema = refSchema.String
		}
		parts[k] = append(parts[k], part{pos, column.String, refColumn.String})
		return nil
	})
	if err != nil {
		return fmt.Errorf("introspect foreign key columns: %w", err)
	}
	for k, ps := range parts {
		slices.SortFunc(ps, func(a, b part) int { return cmp.Compare(a.pos, b.pos) })
		fk := fks[k]
		for _, p := range ps {
			fk.Columns = append(fk.Columns, p.column)
			fk.RefColumns = append(fk.RefColumns, p.refCol)
		}
	}
	return nil
}

// introspectChecks reads CHECK constraints. Where they live differs:
//
//   - MySQL 8.0.16+: CHECK_CONSTRAINTS has name and clause only; TABLE_CONSTRAINTS (joined on
//     schema and name, which MySQL keeps unique per schema) gives the table and ENFORCED. MySQL
//     turns a column-level CHECK into a table-level one, so Column stays "".
//   - MariaDB 10.3.10+: CHECK_CONSTRAINTS has TABLE_NAME; 10.5.10+ adds LEVEL ('Column' for a
//     CHECK written in a column definition). A column-level check is named after its column,
//     which is how Column is found, and how it is guessed when LEVEL is missing. MariaDB checks
//     are always enforced. JSON columns come with a json_valid() column check, reported as is.
//
// Older servers parse CHECK and ignore it, so there is nothing to read.
func introspectChecks(ctx context.Context, q Querier, sc scope, f schema.Flavor, tables map[string]*schema.Table) error {
	var query string
	var args []any
	switch {
	case f.MinMySQL(8, 0, 16):
		where, whereArgs := sc.where("tc.CONSTRAINT_SCHEMA", "tc.TABLE_NAME")
		query = `SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, tc.ENFORCED, NULL
			FROM information_schema.CHECK_CONSTRAINTS cc
			JOIN information_schema.TABLE_CONSTRAINTS tc
			  ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
			 AND tc.CONSTRAINT_TYPE = 'CHECK'
			WHERE cc.CONSTRAINT_SCHEMA = ? AND ` + where
		args = append([]any{sc.database}, whereArgs...)
	case f.MinMariaDB(10, 3, 10):
		level := "NULL"
		if f.Min(10, 5, 10) {
			level = "LEVEL"
		}
		var where string
		where, args = sc.where("CONSTRAINT_SCHEMA", "TABLE_NAME")
		query = `SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, 'YES', ` + level + `
			FROM information_schema.CHECK_CONSTRAINTS WHERE ` + where
	default:
		return nil
	}
	err := QueryRows(ctx, q, query, args, func(rows *sql.Rows) error {
		var table, name string
		var clause, enforced, level sql.NullString
		if err := rows.Scan(&table, &name, &clause, &enforced, &level); err != nil {
			return err
		}
		t := tables[table]
		if t == nil {
			return nil
		}
		c := &schema.Check{
			Name:     name,
			Expr:     mysqlExpr(f, clause.String),
			Enforced: !strings.EqualFold(enforced.String, "NO"),
		}
		if f.IsMariaDB() && checkIsColumnLevel(level, name, t) {
			c.Column = t.Column(name).Name
		} else if f.IsMariaDB() && strings.EqualFold(level.String, "Column") {
			// After RENAME COLUMN, MariaDB keeps reporting the column's check under the old
			// column name; a column-level check can only refer to its own column.
			c.Column = soleColumn(c.Expr, t)
		}
		t.Checks = append(t.Checks, c)
		return nil
	})
	if err != nil {
		return fmt.Errorf("introspect checks: %w", err)
	}
	return nil
}

// checkIsColumnLevel decides whether a MariaDB check was written in a column definition: LEVEL
// says so where it exists; without it (before 10.5.10), a check named after one of the table's
// columns is taken for one. Columns must already be loaded.
func checkIsColumnLevel(level sql.NullString, name string, t *schema.Table) bool {
	if t.Column(name) == nil {
		return false
	}
	if level.Valid {
		return strings.EqualFold(level.String, "Column")
	}
	return true
}

// soleColumn returns the one column of t that expr names (backquoted, as the server prints
// check clauses), or "" when it names none or several.
func soleColumn(expr string, t *schema.Table) string {
	found := ""
	for i := 0; i < len(expr); i++ {
		switch expr[i] {
		case '\'', '"':
			i = sqllex.SkipQuoted(expr, i) - 1
		case '`':
			end := min(sqllex.SkipQuoted(expr, i), len(expr))
			name := strings.ReplaceAll(strings.Trim(expr[i:end], "`"), "``", "`")
			if col := t.Column(name); col != nil {
				if found != "" && found != col.Name {
					return ""
				}
				found = col.Name
			}
			i = end - 1
		}
	}
	return found
}
