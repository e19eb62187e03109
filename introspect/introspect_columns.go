package introspect

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// introspectColumns reads every column of every table in one query. COLUMNS also lists view
// columns; they are dropped because only base tables are in tables.
func introspectColumns(ctx context.Context, q Querier, sc scope, f schema.Flavor, tables map[string]*schema.Table) error {
	// GENERATION_EXPRESSION exists since MySQL 5.7.6 and MariaDB 10.2.5. MySQL fills it with ''
	// for ordinary columns, MariaDB with NULL; EXTRA decides whether a column is generated.
	genExpr := "NULL"
	if f.MinMySQL(5, 7, 6) || f.MinMariaDB(10, 2, 5) {
		genExpr = "GENERATION_EXPRESSION"
	}
	query := `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE,
		DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME, EXTRA, COLUMN_COMMENT, ` + genExpr + `
		FROM information_schema.COLUMNS WHERE `
	where, args := sc.where("TABLE_SCHEMA", "TABLE_NAME")
	err := QueryRows(ctx, q, query+where, args, func(rows *sql.Rows) error {
		var (
			table, name string
			position    int64
			def         sql.NullString
			nullable    sql.NullString
			dataType    sql.NullString
			columnType  sql.NullString
			charset     sql.NullString
			collation   sql.NullString
			extra       sql.NullString
			comment     sql.NullString
			generation  sql.NullString
		)
		if err := rows.Scan(&table, &name, &position, &def, &nullable, &dataType, &columnType,
			&charset, &collation, &extra, &comment, &generation); err != nil {
			return err
		}
		t := tables[table]
		if t == nil {
			return nil
		}
		col := buildColumn(f, rawColumn{
			name: name, position: int(position), def: def, nullable: isYes(nullable),
			dataType: dataType.String, columnType: columnType.String, charset: charset.String,
			collation: collation.String, extra: extra.String, comment: comment.String,
			generation: generation.String,
		})
		t.Columns = append(t.Columns, col)
		return nil
	})
	if err != nil {
		return fmt.Errorf("introspect columns: %w", err)
	}
	return nil
}

// rawColumn is one COLUMNS row.
type rawColumn struct {
	name, dataType, columnType, charset, collation, extra, comment, generation string
	position                                                                   int
	def                                                                        sql.NullString
	nullable                                                                   bool
}

// buildColumn turns a COLUMNS row into the model's column. Pure, so that both flavours' rows are
// unit-tested.
func buildColumn(f schema.Flavor, r rawColumn) *schema.Column {
	extra := parseExtra(r.extra)
	typ := lowerType(r.columnType)
	dataType := strings.ToLower(r.dataType)
	col := &schema.Column{
		Name:          r.name,
		Position:      r.position,
		Type:          typ,
		DataType:      dataType,
		Unsigned:      strings.Contains(typ, " unsigned"),
		Nullable:      r.nullable,
		AutoIncrement: extra.autoIncrement,
		Charset:       r.charset,
		Collation:     r.collation,
		Comment:       r.comment,
		Invisible:     extra.invisible,
		OnUpdate:      normalizeOnUpdate(extra.onUpdate, typ),
		Default: normalizeDefault(f, rawDefault{
			value: r.def, nullable: r.nullable, dataType: dataType, extra: extra,
		}),
	}
	// Binary strings have no character set. MariaDB says NULL for them; "binary" (which some MySQL
	// versions may report) is taken to mean the same.
	if strings.EqualFold(col.Charset, "binary") || strings.EqualFold(col.Collation, "binary") {
		col.Charset, col.Collation = "", ""
	}
	if col.Collation != "" && col.Charset == "" {
		col.Charset = charsetOfCollation(col.Collation)
	}
	if extra.generated != "" {
		col.Generated = &schema.Generated{
			Expr:   mysqlExpr(f, r.generation),
			Stored: extra.generated == "STORED",
		}
	}
	return col
}
