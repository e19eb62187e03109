package runner

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// Value is a column value as the server sends it in the text protocol; nil is SQL NULL.
type Value *string

// Rows reads the given columns of every row of table, ordered by the key columns, as text. Both
// sides of a seed-data comparison are read by one server, so equal values are equal strings.
func (d *Database) Rows(ctx context.Context, table string, columns, key []string) ([][]Value, error) {
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = schema.QuoteIdent(c)
	}
	order := make([]string, len(key))
	for i, c := range key {
		order[i] = schema.QuoteIdent(c)
	}
	query := fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", strings.Join(quoted, ", "), schema.QuoteIdent(table), strings.Join(order, ", "))
	rows, err := d.DB.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("read rows of %s: %w", table, err)
	}
	defer rows.Close()
	var out [][]Value
	raw := make([]sql.RawBytes, len(columns))
	dest := make([]any, len(columns))
	for i := range raw {
		dest[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read rows of %s: %w", table, err)
		}
		row := make([]Value, len(columns))
		for i, b := range raw {
			if b != nil {
				s := string(b)
				row[i] = &s
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read rows of %s: %w", table, err)
	}
	return out, nil
}
