package copier

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// The copy needs three keys, chosen in this file:
//
//   - the chunk key, a NOT NULL unique key of the original table that the copy walks in index
//     order: the primary key if it can be, else the unique key with the fewest columns. Its
//     columns must keep their values in the new table (same definition, an integer widened or
//     narrowed — strict mode refuses a value that does not fit —, a VARCHAR or VARBINARY
//     lengthened, an ENUM's members appended to), so that a range of the original's key is the
//     same range in the shadow;
//   - the shadow's range index: an index of the shadow whose first columns are the chunk key's,
//     which the chunk's checksum and the clean-up of a range read. It need not be unique: the
//     shadow only holds rows of the original, in which the chunk key is unique;
//   - the row key: a NOT NULL unique key of the shadow over columns copied unchanged, by which the
//     triggers and the clean-up find one row of the shadow — the chunk key's columns when the
//     shadow has such a key, else its primary key, else its shortest. A unique key is needed:
//     an equality on it locks the row and no gap, and an INSERT of a row the shadow holds
//     already fails with a duplicate on it, which is how the UPDATE trigger learns that it must
//     replace the row.
//
// So a change that swaps the primary key and a unique key, turns the primary key into a unique
// key, widens the primary key (id) to (id, i), or renames a unique key is copied; a change that
// leaves no such keys is refused, with the reason for each candidate.

// maxKeyMembers bounds the members of an ENUM key column: a range of such a column is written as
// the list of its members' numbers (the server does not read a comparison of an ENUM column as
// a range of its index), and the list must stay short.
const maxKeyMembers = 256

// indexInfo is one index as information_schema.STATISTICS describes it.
type indexInfo struct {
	name   string
	unique bool
	cols   []string
	usable bool // no prefix or expression part, and the optimizer may use it
}

// readIndexes reads the indexes of table, PRIMARY first, then by name.
func readIndexes(ctx context.Context, q querier, f schema.Flavor, table string) ([]*indexInfo, error) {
	hidden := "0"
	switch {
	case f.MinMySQL(8, 0, 0):
		hidden = "IS_VISIBLE = 'NO'"
	case f.MinMariaDB(10, 6, 0):
		hidden = "IGNORED = 'YES'"
	}
	query := `SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, ` + hidden + ` FROM information_schema.STATISTICS
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX`
	var out []*indexInfo
	err := introspect.QueryRows(ctx, q, query, []any{table}, func(r *sql.Rows) error {
		var name string
		var nonUnique int
		var col sql.NullString
		var sub sql.NullInt64
		var hiddenIdx bool
		if err := r.Scan(&name, &nonUnique, &col, &sub, &hiddenIdx); err != nil {
			return err
		}
		if len(out) == 0 || out[len(out)-1].name != name {
			out = append(out, &indexInfo{name: name, unique: nonUnique == 0, usable: true})
		}
		x := out[len(out)-1]
		if !col.Valid || sub.Valid || hiddenIdx {
			x.usable = false
		}
		x.cols = append(x.cols, col.String)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the keys of %s: %w", table, err)
	}
	return out, nil
}

// keyColumns are t's columns named by x, when each can be part of a key the copier writes
// literals for; nil otherwise.
func keyColumns(t *tableInfo, x *indexInfo) []column {
	if !x.usable || !x.unique {
		return nil
	}
	var cols []column
	for _, name := range x.cols {
		c := t.column(name)
		if c == nil || c.Nullable || !keyType(c) {
			return nil
		}
		cols = append(cols, *c)
	}
	return cols
}

// keyType reports whether values of c can be written back as literals that compare in the
// index's order: not FLOAT (does not print back exactly), BIT or spatial types, nor an ENUM
// with very many members.
func keyType(c *column) bool {
	if c.DataType == "enum" {
		n := len(members(c))
		return n > 0 && n <= maxKeyMembers
	}
	return keyTypes[c.DataType]
}

// members are the members of an ENUM or SET column, in order; nil for other columns.
func members(c *column) []string {
	if c.DataType != "enum" && c.DataType != "set" {
		return nil
	}
	t, err := schema.ParseColumnType(c.Type)
	if err != nil {
		return nil
	}
	return t.Members
}

// findKeys lists the chunk keys the original table offers, in the order they are tried: the
// primary key, then the NOT NULL unique keys by their number of columns, then by name.
func findKeys(ctx context.Context, q querier, f schema.Flavor, t *tableInfo, table string) ([]*chunkKey, error) {
	indexes, err := readIndexes(ctx, q, f, table)
	if err != nil {
		return nil, err
	}
	var keys []*chunkKey
	for _, x := range indexes {
		if cols := keyColumns(t, x); cols != nil {
			keys = append(keys, &chunkKey{index: x.name, columns: cols})
		}
	}
	slices.SortStableFunc(keys, func(a, b *chunkKey) int {
		if (a.index == "PRIMARY") != (b.index == "PRIMARY") {
			if a.index == "PRIMARY" {
				return -1
			}
			return 1
		}
		return len(a.columns) - len(b.columns)
	})
	return keys, nil
}

// keyChoice is what chooseKey found.
type keyChoice struct {
	key   *chunkKey // the chunk key, on the original
	skey  *chunkKey // the shadow's range index, with the shadow's columns of the chunk key
	rkey  *chunkKey // the row key, on the shadow
	notes []string  // why keys tried before it were passed over
}

// chooseKey takes the first candidate chunk key that the shadow keeps, with the shadow's range
// index and row key for it. It refuses when no candidate will do, with each one's reason.
func chooseKey(ctx context.Context, q querier, f schema.Flavor, keys []*chunkKey, orig, shadow *tableInfo, name string, cols *copyColumns) (*keyChoice, error) {
	indexes, err := readIndexes(ctx, q, f, name)
	if err != nil {
		return nil, err
	}
	var why []string
	for _, k := range keys {
		reason := ""
		kc := &keyChoice{key: k, notes: why}
		switch {
		case !keptKey(k.columns, shadow, cols, &reason):
		case !findRangeIndex(kc, indexes, shadow, &reason):
		case !findRowKey(kc, indexes, orig, shadow, cols, &reason):
		default:
			return kc, nil
		}
		why = append(why, k.describe()+": "+reason)
	}
	return nil, &Refusal{Reason: "the copy needs a NOT NULL unique key of the table whose values the ALTER keeps, and an index of the changed table on it; none will do: " + strings.Join(why, "; ")}
}

// keptKey reports whether each of cols is copied into the shadow's column of the same name with
// its value and order kept.
func keptKey(cols []column, shadow *tableInfo, cc *copyColumns, reason *string) bool {
	for i := range cols {
		c := &cols[i]
		s := shadow.column(c.Name)
		switch {
		case s == nil:
			*reason = "the ALTER drops column " + c.Name
		case cc.source(s.Name) != strings.ToLower(c.Name):
			*reason = "the ALTER renames, or drops and re-adds, column " + c.Name
		case s.Nullable:
			*reason = "the ALTER makes column " + c.Name + " nullable"
		case !keepsKeyValues(c, s):
			*reason = fmt.Sprintf("the ALTER changes column %s from %s to %s, which may change its values or their order", c.Name, describeType(c), describeType(s))
		default:
			continue
		}
		return false
	}
	return true
}

func describeType(c *column) string {
	if c.Collation != "" {
		return c.Type + " COLLATE " + c.Collation
	}
	return c.Type
}

// keepsKeyValues reports whether every value of key column a reads back from column b as the
// same value in the same order: the same definition, integer types (strict mode refuses what
// does not fit), a longer VARCHAR or VARBINARY in the same collation, or an ENUM whose members
// start with a's (members appended keep their numbers).
func keepsKeyValues(a, b *column) bool {
	switch {
	case a.Type == b.Type && a.Collation == b.Collation:
		return true
	case isIntegerType(a.DataType) && isIntegerType(b.DataType):
		return true
	case a.DataType == "enum" && b.DataType == "enum":
		return len(members(b)) <= maxKeyMembers && membersAppended(a, b)
	case a.DataType == b.DataType && (a.DataType == "varchar" || a.DataType == "varbinary"):
		return a.Collation == b.Collation && keepsValues(a, b)
	}
	return false
}

// findRangeIndex finds the shadow's index whose first columns are the chunk key's: a unique one on
// exactly them if there is one, else the shortest that starts with them.
func findRangeIndex(kc *keyChoice, indexes []*indexInfo, shadow *tableInfo, reason *string) bool {
	names := kc.key.names()
	var best *indexInfo
	for _, x := range indexes {
		if !x.usable || len(x.cols) < len(names) || !slices.EqualFunc(x.cols[:len(names)], names, strings.EqualFold) {
			continue
		}
		if x.unique && len(x.cols) == len(names) {
			best = x
			break
		}
		if best == nil || len(x.cols) < len(best.cols) {
			best = x
		}
	}
	if best == nil {
		*reason = "the changed table has no index that starts with " + strings.Join(names, ", ")
		return false
	}
	kc.skey = &chunkKey{index: best.name}
	for _, n := range names {
		kc.skey.columns = append(kc.skey.columns, *shadow.column(n))
	}
	return true
}

// findRowKey finds the shadow's row key: a NOT NULL unique key over columns copied unchanged from
// the original's columns of the same names; the chunk key's own columns first, then the primary
// key, then the shortest.
func findRowKey(kc *keyChoice, indexes []*indexInfo, orig, shadow *tableInfo, cc *copyColumns, reason *string) bool {
	names := kc.key.names()
	var best *indexInfo
	var bestCols []column
	for _, x := range indexes {
		cols := keyColumns(shadow, x)
		if cols == nil {
			continue
		}
		var src []column
		for _, c := range cols {
			if o := orig.column(c.Name); o != nil {
				src = append(src, *o)
			}
		}
		var ignored string
		kept := len(src) == len(cols) && keptKey(src, shadow, cc, &ignored)
		switch {
		case !kept:
			continue
		case len(cols) == len(names) && slices.EqualFunc(x.cols, names, strings.EqualFold):
			kc.rkey = &chunkKey{index: x.name, columns: cols}
			return true
		case best == nil || (x.name == "PRIMARY" && best.name != "PRIMARY") || (best.name != "PRIMARY" && len(cols) < len(bestCols)):
			best, bestCols = x, cols
		}
	}
	if best == nil {
		*reason = "the changed table has no NOT NULL unique key over columns it copies unchanged, by which the triggers could find a row"
		return false
	}
	kc.rkey = &chunkKey{index: best.name, columns: bestCols}
	return true
}

// source is the lower-cased name of the original's column that fills the shadow's column dst;
// "" when dst is not copied.
func (cc *copyColumns) source(dst string) string {
	for i, d := range cc.dst {
		if strings.EqualFold(d, dst) {
			return strings.ToLower(cc.src[i])
		}
	}
	return ""
}

// membersAppended reports whether ENUM or SET column b has a's members, in a's order, followed
// by none or more: every value keeps its number and its text.
func membersAppended(a, b *column) bool {
	am, bm := members(a), members(b)
	return a.DataType == b.DataType && a.Collation == b.Collation && len(am) > 0 && len(bm) >= len(am) && slices.Equal(am, bm[:len(am)])
}

// chooseKey chooses the keys once the shadow exists (createShadow).
func (r *run) chooseKey(ctx context.Context) (err error) {
	if r.kc, err = chooseKey(ctx, r.guard, r.f, r.keys, r.orig, r.shadow, r.n.shadow, r.cols); err != nil {
		return err
	}
	r.key = r.kc.key
	for _, why := range r.kc.notes {
		r.log.Info("chunk key passed over", "table", r.n.table, "key", why)
	}
	return nil
}
