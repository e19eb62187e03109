package copier

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// copyColumns pairs each copied column of the shadow with its source in the original.
type copyColumns struct {
	dst, src []string
	// checked are the indexes of the pairs the checksum compares: the columns whose values the
	// ALTER keeps byte for byte (same definition, or a change that keeps every value's text).
	checked []int
	// nullable tells, for each pair, whether either side may hold NULL; float, whether either
	// is a FLOAT (hashCol).
	nullable, float []bool
	// mixedCollations is set when the checked string columns have more than one collation:
	// the checksum then casts every column to binary before joining them.
	mixedCollations bool
}

// createShadow creates the shadow table (the original's definition plus the ALTER) and the
// error table, then reads back what the server made of the ALTER and checks it against what
// the copy needs. The tables are created before the checks: whatever the check finds, the
// caller's cleanup drops them.
func createShadow(ctx context.Context, conn *sql.Conn, f schema.Flavor, n names, p *alterPlan, orig *tableInfo, renames map[string]string) (*tableInfo, *copyColumns, error) {
	if _, err := conn.ExecContext(ctx, "CREATE TABLE "+schema.QuoteIdent(n.shadow)+" LIKE "+schema.QuoteIdent(n.table)); err != nil {
		return nil, nil, fmt.Errorf("create the shadow table: %w", err)
	}
	alter := "ALTER TABLE " + schema.QuoteIdent(n.shadow) + " " + p.clauses
	if p.namesAlgorithm {
		// The last ALGORITHM and LOCK clauses win; a newline ends a trailing "--" comment.
		alter += "\n, ALGORITHM=DEFAULT, LOCK=DEFAULT"
	}
	if _, err := conn.ExecContext(ctx, alter); err != nil {
		if me := mysqlError(err); me != nil {
			return nil, nil, &Refusal{Reason: fmt.Sprintf("the server rejects the ALTER on a copy of %s: Error %d: %s", n.table, me.Number, me.Message)}
		}
		return nil, nil, fmt.Errorf("alter the shadow table: %w", err)
	}
	const errTable = ` (
		id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
		at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
		op VARCHAR(8) NOT NULL,
		errno INT NULL,
		message TEXT NULL,
		row_key TEXT NULL
	) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`
	if _, err := conn.ExecContext(ctx, "CREATE TABLE "+schema.QuoteIdent(n.errors)+errTable); err != nil {
		return nil, nil, fmt.Errorf("create the error table: %w", err)
	}
	shadow, err := readTable(ctx, conn, f, n.shadow)
	if err != nil {
		return nil, nil, err
	}
	if shadow == nil {
		return nil, nil, fmt.Errorf("the shadow table %s vanished", n.shadow)
	}
	if !strings.EqualFold(shadow.Engine, "InnoDB") {
		return nil, nil, &Refusal{Reason: fmt.Sprintf("the ALTER makes %s a %s table; the copier needs InnoDB's transactions and row locks", n.table, shadow.Engine)}
	}
	cols, err := pairColumns(orig, shadow, p, renames)
	if err != nil {
		return nil, nil, err
	}
	return shadow, cols, nil
}

// pairColumns decides which columns are copied: every column of the shadow that is written (not
// generated) and has a source — a declared rename's old column, else the original's column of
// the same name, unless the ALTER dropped and re-added it or renamed it away. A column without
// a source is new and gets its default; one that has none is refused here rather than on the
// first row.
func pairColumns(orig, shadow *tableInfo, p *alterPlan, renames map[string]string) (*copyColumns, error) {
	given := map[string]string{}
	for newName, oldName := range renames {
		given[strings.ToLower(newName)] = oldName
	}
	renamedAway := map[string]bool{}
	for newName, oldName := range given {
		if shadow.column(newName) == nil {
			return nil, &Refusal{Reason: fmt.Sprintf("the rename %s=%s names column %s, which the changed table does not have", newName, oldName, newName)}
		}
		if orig.column(oldName) == nil {
			return nil, &Refusal{Reason: fmt.Sprintf("the rename %s=%s names column %s, which the table does not have", newName, oldName, oldName)}
		}
		renamedAway[strings.ToLower(oldName)] = true
	}
	cc := &copyColumns{}
	collations := map[string]bool{}
	for i := range shadow.Columns {
		s := &shadow.Columns[i]
		if s.Generated {
			continue
		}
		lower := strings.ToLower(s.Name)
		var src *column
		switch {
		case given[lower] != "":
			src = orig.column(given[lower])
		case renamedAway[lower], p.dropped[lower] && p.added[lower]:
		default:
			src = orig.column(s.Name)
		}
		if src == nil {
			if !s.Nullable && !s.HasDefault && !s.AutoIncrement {
				return nil, &Refusal{Reason: fmt.Sprintf("the ALTER adds column %s NOT NULL without a default; the copy cannot fill it for existing rows: give it a DEFAULT", s.Name)}
			}
			continue
		}
		if keepsValues(src, s) {
			cc.checked = append(cc.checked, len(cc.dst))
			if src.Collation != "" {
				collations[src.Collation], collations[s.Collation] = true, true
			}
		}
		cc.dst = append(cc.dst, s.Name)
		cc.src = append(cc.src, src.Name)
		cc.nullable = append(cc.nullable, src.Nullable || s.Nullable)
		cc.float = append(cc.float, src.DataType == "float" || s.DataType == "float")
	}
	cc.mixedCollations = len(collations) > 1
	if len(cc.dst) == 0 {
		return nil, &Refusal{Reason: "the changed table keeps none of the table's columns"}
	}
	return cc, nil
}

// keepsValues reports whether every value of column a, copied into column b, reads back as the
// same bytes: the definition is the same, an ENUM's or SET's members are appended to, or only a
// length or integer width changes within a family whose values are stored as they are. Other changes (a decimal's scale, a character set,
// CHAR's padding) legitimately change a value's text; strict mode and the warnings guard those.
func keepsValues(a, b *column) bool {
	if a.Type == b.Type && a.Collation == b.Collation || membersAppended(a, b) {
		return true
	}
	fam := func(c *column) string {
		switch {
		case isIntegerType(c.DataType):
			return "int"
		case slices.Contains([]string{"varchar", "tinytext", "text", "mediumtext", "longtext"}, c.DataType):
			return "text/" + c.Charset
		case slices.Contains([]string{"varbinary", "tinyblob", "blob", "mediumblob", "longblob"}, c.DataType):
			return "blob"
		}
		return ""
	}
	fa := fam(a)
	return fa != "" && fa == fam(b)
}

func isIntegerType(dataType string) bool {
	switch dataType {
	case "tinyint", "smallint", "mediumint", "int", "bigint":
		return true
	}
	return false
}
