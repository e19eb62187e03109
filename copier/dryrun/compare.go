package dryrun

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// This file compares the copier's table with the reference (the plain ALTER's) after a dry
// run: their definitions (columns, indexes, engine and collation), then their rows by key. The
// two tables live in two databases of one server, each reached through its own pool; rows are
// read into memory as one hash per key from the reference, then streamed from the copy.

// maxExamples is how many keys a difference names.
const maxExamples = 5

// difference is what the comparison found.
type difference struct {
	refRows, copyRows    int64
	lost, added, changed int64 // lost: in the reference, not in the copy
	examples             []string
	// schema lists how the copy's definition differs from the reference's.
	schema []string
}

// same reports whether the copy is the reference.
func (d *difference) same() bool {
	return d.lost == 0 && d.added == 0 && d.changed == 0 && len(d.schema) == 0
}

// compareTables compares table in the database of ref (the reference) with table in the
// database of cp (the copy).
func compareTables(ctx context.Context, ref, cp *sql.DB, table string) (*difference, error) {
	rc, err := compareSession(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	defer rc.Close()
	cc, err := compareSession(ctx, cp)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	defer cc.Close()
	d := &difference{}
	refCols, refDef, err := describe(ctx, rc, table)
	if err != nil {
		return nil, fmt.Errorf("compare: reference: %w", err)
	}
	copyCols, copyDef, err := describe(ctx, cc, table)
	if err != nil {
		return nil, fmt.Errorf("compare: copy: %w", err)
	}
	d.schema = diffDefinitions(refDef, copyDef)
	var cols []schema.Column
	for _, c := range refCols {
		if slices.ContainsFunc(copyCols, func(o schema.Column) bool { return strings.EqualFold(o.Name, c.Name) }) {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return d, nil
	}
	key, err := rowKey(ctx, rc, table, cols)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	if err := d.rows(ctx, rc, cc, table, cols, key); err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	return d, nil
}

func compareSession(ctx context.Context, db *sql.DB) (*sql.Conn, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// Both sides print TIMESTAMP values in one time zone and text in one character set.
	for _, q := range []string{"SET NAMES utf8mb4", "SET SESSION time_zone = '+00:00'"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// queryEach runs a query whose columns are all read as text (NULL as ""). It reads the rows
// with introspect.QueryRows, the row iterator the copier and the introspection use too.
func queryEach(ctx context.Context, conn *sql.Conn, query string, args []any, each func([]string)) error {
	var vals []sql.NullString
	var dest []any
	return introspect.QueryRows(ctx, conn, query, args, func(r *sql.Rows) error {
		if dest == nil {
			n, err := r.Columns()
			if err != nil {
				return err
			}
			vals, dest = make([]sql.NullString, len(n)), make([]any, len(n))
			for i := range vals {
				dest[i] = &vals[i]
			}
		}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		s := make([]string, len(vals))
		for i, v := range vals {
			s[i] = v.String
		}
		each(s)
		return nil
	})
}

// diffDefinitions says, sorted, where the copy's definition differs from the reference's.
func diffDefinitions(ref, cp map[string]string) []string {
	var out []string
	for k, rv := range ref {
		switch cv, ok := cp[k]; {
		case !ok:
			out = append(out, fmt.Sprintf("%s: missing from the copy (the ALTER gives %s)", k, rv))
		case cv != rv:
			out = append(out, fmt.Sprintf("%s: the copy has %s, the ALTER gives %s", k, cv, rv))
		}
	}
	for k, cv := range cp {
		if _, ok := ref[k]; !ok {
			out = append(out, fmt.Sprintf("%s: only in the copy (%s)", k, cv))
		}
	}
	slices.Sort(out)
	return out
}

// rowKey chooses the columns that identify a row (indices into cols): the reference's primary
// key, else its first unique key of whole NOT NULL columns; nil compares whole rows.
func rowKey(ctx context.Context, conn *sql.Conn, table string, cols []schema.Column) ([]int, error) {
	type index struct {
		cols []int
		ok   bool
	}
	var order []string
	idx := map[string]*index{}
	err := queryEach(ctx, conn, `SELECT INDEX_NAME, COALESCE(COLUMN_NAME, ''), COALESCE(SUB_PART, 0)
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 0
		ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX`, []any{table}, func(s []string) {
		x := idx[s[0]]
		if x == nil {
			x = &index{ok: true}
			idx[s[0]] = x
			order = append(order, s[0])
		}
		i := slices.IndexFunc(cols, func(c schema.Column) bool { return strings.EqualFold(c.Name, s[1]) })
		x.ok = x.ok && i >= 0 && s[2] == "0" && !cols[i].Nullable
		if i >= 0 {
			x.cols = append(x.cols, i)
		}
	})
	if err != nil {
		return nil, err
	}
	for _, name := range order {
		if idx[name].ok {
			return idx[name].cols, nil
		}
	}
	return nil, nil
}

// rows compares the tables' rows by key. Without a key, rows are compared whole, as a
// multiset: a changed row then shows as one lost and one added.
func (d *difference) rows(ctx context.Context, rc, cc *sql.Conn, table string, cols []schema.Column, key []int) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = schema.QuoteIdent(c.Name)
	}
	query := "SELECT " + strings.Join(names, ", ") + " FROM " + schema.QuoteIdent(table)
	ref := map[string][]rowDigest{}
	err := scanRows(ctx, rc, query, len(cols), func(vals []sql.RawBytes) {
		d.refRows++
		k, dg := digest(vals, key, cols)
		ref[k] = append(ref[k], dg)
	})
	if err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	var lost, added, changed []string
	err = scanRows(ctx, cc, query, len(cols), func(vals []sql.RawBytes) {
		d.copyRows++
		k, dg := digest(vals, key, cols)
		refs := ref[k]
		switch {
		case len(refs) == 0:
			d.added++
			added = append(added, dg.label)
		case refs[0].sum != dg.sum:
			d.changed++
			changed = append(changed, dg.label)
		}
		if len(refs) <= 1 {
			delete(ref, k)
		} else {
			ref[k] = refs[1:]
		}
	})
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	for _, refs := range ref {
		for _, r := range refs {
			d.lost++
			lost = append(lost, r.label)
		}
	}
	for _, list := range [][]string{lost, changed, added} {
		slices.Sort(list)
		for _, l := range list {
			if len(d.examples) < maxExamples && !slices.Contains(d.examples, l) {
				d.examples = append(d.examples, l)
			}
		}
	}
	return nil
}

// rowDigest is a row reduced to a hash of its values and a label naming it ("id=42").
type rowDigest struct {
	sum   [32]byte
	label string
}

// digest returns a row's key (its key columns' values, or its hash without a key) and digest.
func digest(vals []sql.RawBytes, key []int, cols []schema.Column) (string, rowDigest) {
	h := sha256.New()
	var n [8]byte
	for _, v := range vals {
		if v == nil {
			h.Write([]byte{0})
			continue
		}
		binary.BigEndian.PutUint64(n[:], uint64(len(v)))
		h.Write([]byte{1})
		h.Write(n[:])
		h.Write(v)
	}
	var dg rowDigest
	h.Sum(dg.sum[:0])
	labelCols := key
	if len(key) == 0 {
		labelCols = []int{0}
		if len(cols) > 1 {
			labelCols = []int{0, 1}
		}
	}
	var k strings.Builder
	parts := make([]string, len(labelCols))
	for j, i := range labelCols {
		parts[j] = cols[i].Name + "=" + labelValue(vals[i], cols[i].DataType)
		binary.BigEndian.PutUint64(n[:], uint64(len(vals[i])))
		k.Write(n[:])
		k.Write(vals[i])
	}
	dg.label = strings.Join(parts, " ")
	if len(key) == 0 {
		return string(dg.sum[:]), dg
	}
	return k.String(), dg
}

// labelValue writes a value for a row's label: numbers bare, text quoted and cut short,
// binary strings in hex.
func labelValue(v sql.RawBytes, dataType string) string {
	switch {
	case v == nil:
		return "NULL"
	case numericTypes[dataType]:
		return string(v)
	case strings.Contains(dataType, "binary") || strings.Contains(dataType, "blob"):
		return "0x" + strings.ToUpper(hex.EncodeToString(v[:min(len(v), 16)]))
	}
	return stringLit(shorten(string(v), 40))
}

var numericTypes = map[string]bool{"tinyint": true, "smallint": true, "mediumint": true, "int": true,
	"bigint": true, "decimal": true, "float": true, "double": true, "year": true, "bit": true}

// scanRows runs query, whose rows have n columns, and calls each with every row's raw values,
// which are valid only during the call.
func scanRows(ctx context.Context, conn *sql.Conn, query string, n int, each func([]sql.RawBytes)) error {
	vals := make([]sql.RawBytes, n)
	dest := make([]any, n)
	for i := range vals {
		dest[i] = &vals[i]
	}
	return introspect.QueryRows(ctx, conn, query, nil, func(r *sql.Rows) error {
		if err := r.Scan(dest...); err != nil {
			return err
		}
		each(vals)
		return nil
	})
}
