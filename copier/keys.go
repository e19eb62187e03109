package copier

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// This file writes the key conditions of the copy's queries. Key values are read from the
// server as raw bytes (the copy session has character_set_results = NULL, so a string comes in
// its column's own character set) and written back as literals of the column's type: a string
// as _<charset> X'…' COLLATE <collation>, so it compares under the column's collation exactly as
// the index orders it, whatever the connection's character set; a binary string as X'…'; a
// number or a temporal value as its text. No value is bound as a parameter: the driver would
// send strings as binary, and a binary comparison disagrees with a case-insensitive index.

// keyLiteral writes a key value of column c as a literal. An ENUM's value is read as its number
// (keySelect), the order of its index.
func keyLiteral(c column, raw []byte) (string, error) {
	switch {
	case isIntegerType(c.DataType), c.DataType == "decimal", c.DataType == "year", c.DataType == "enum":
		if !onlyBytes(raw, "0123456789+-.eE") || len(raw) == 0 {
			return "", fmt.Errorf("key column %s: unexpected value %q", c.Name, raw)
		}
		return string(raw), nil
	case c.DataType == "binary", c.DataType == "varbinary":
		return "X'" + hex.EncodeToString(raw) + "'", nil
	case c.DataType == "char", c.DataType == "varchar":
		if !onlyBytes([]byte(c.Charset+c.Collation), "abcdefghijklmnopqrstuvwxyz0123456789_") {
			return "", fmt.Errorf("key column %s: unexpected collation %q", c.Name, c.Collation)
		}
		return "_" + c.Charset + " X'" + hex.EncodeToString(raw) + "' COLLATE " + c.Collation, nil
	case c.DataType == "date", c.DataType == "datetime", c.DataType == "timestamp", c.DataType == "time":
		if !onlyBytes(raw, "0123456789-: .") {
			return "", fmt.Errorf("key column %s: unexpected value %q", c.Name, raw)
		}
		return "'" + string(raw) + "'", nil
	}
	return "", fmt.Errorf("key column %s: type %s cannot be a chunk key", c.Name, c.DataType)
}

func onlyBytes(b []byte, allowed string) bool {
	for _, c := range b {
		if strings.IndexByte(allowed, c) < 0 {
			return false
		}
	}
	return true
}

// keyValues turns one key's raw values into literals.
func keyValues(cols []column, raw [][]byte) ([]string, error) {
	out := make([]string, len(cols))
	for i, c := range cols {
		lit, err := keyLiteral(c, raw[i])
		if err != nil {
			return nil, err
		}
		out[i] = lit
	}
	return out, nil
}

// keySelect is the select list that reads a key's values for keyValues: an ENUM column as its
// number.
func keySelect(cols []column) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = schema.QuoteIdent(c.Name)
		if c.DataType == "enum" {
			parts[i] += "+0"
		}
	}
	return strings.Join(parts, ", ")
}

// after is the condition "key > lits" in the key's order, written so the range optimizer reads
// it as a range of the index: (a > x) OR (a = x AND (b > y)). With no lits it is empty.
func after(prefix string, cols []column, lits []string) string {
	if lits == nil {
		return ""
	}
	return compare(prefix, cols, lits, ">", ">")
}

// upTo is "key <= lits".
func upTo(prefix string, cols []column, lits []string) string {
	return compare(prefix, cols, lits, "<", "<=")
}

func compare(prefix string, cols []column, lits []string, op, last string) string {
	c := prefix + schema.QuoteIdent(cols[0].Name)
	if len(cols) == 1 {
		return order(c, cols[0], last, lits[0])
	}
	return "(" + order(c, cols[0], op, lits[0]) + " OR (" + c + " = " + lits[0] + " AND " +
		compare(prefix, cols[1:], lits[1:], op, last) + "))"
}

// order is "c op lit". For an ENUM column it is the list of the members' numbers on that side
// of lit (0, the number of the empty value of a row written without strict mode, included): the
// servers read a comparison of an ENUM column as a string or a number but never as a range of
// its index, while they read a list of its values as one.
func order(c string, col column, op, lit string) string {
	if col.DataType != "enum" {
		return c + " " + op + " " + lit
	}
	var n int
	_, _ = fmt.Sscan(lit, &n) // keyLiteral checked the digits
	lo, hi := 0, len(members(&col))
	switch op {
	case ">":
		lo = n + 1
	case "<":
		hi = n - 1
	case "<=":
		hi = n
	}
	if lo > hi {
		return "FALSE"
	}
	nums := make([]string, 0, hi-lo+1)
	for i := lo; i <= hi; i++ {
		nums = append(nums, fmt.Sprint(i))
	}
	return c + " IN (" + strings.Join(nums, ", ") + ")"
}

// keyRange is "lo < key <= hi"; lo nil means from the start.
func keyRange(cols []column, lo, hi []string) string {
	if lo == nil {
		return upTo("", cols, hi)
	}
	return after("", cols, lo) + " AND " + upTo("", cols, hi)
}

// keyMatch is "(a = 1 AND b = 'x')": one key, matched by equality.
func keyMatch(cols, lits []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = schema.QuoteIdent(c) + " = " + lits[i]
	}
	return "(" + strings.Join(parts, " AND ") + ")"
}

// keyEquals is "a = NEW.a AND b = NEW.b", for the triggers.
func keyEquals(cols []string, row string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = schema.QuoteIdent(c) + " = " + row + "." + schema.QuoteIdent(c)
	}
	return strings.Join(parts, " AND ")
}

// keyDisplay is an expression that renders a row's key as "id=42" or "a=1, b='x'", in utf8mb4.
// The triggers (row "NEW" or "OLD") and the copier's own queries (row "") use the same
// expression, so a key reads the same wherever the copier found the row.
func keyDisplay(cols []column, row string) string {
	if row != "" {
		row += "."
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		v := row + schema.QuoteIdent(c.Name)
		switch {
		case isIntegerType(c.DataType), c.DataType == "decimal", c.DataType == "year":
		case c.DataType == "binary", c.DataType == "varbinary":
			v = "CONCAT('0x', HEX(" + v + "))"
		default:
			v = "QUOTE(" + v + ")"
		}
		parts[i] = "CONCAT(" + sqlString(c.Name+"=") + ", " + v + ")"
	}
	return "CONVERT(CONCAT_WS(', ', " + strings.Join(parts, ", ") + ") USING utf8mb4)"
}
