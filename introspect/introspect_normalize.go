package introspect

import (
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/schema-guard/schema-guard/internal/sqllex"
	"github.com/schema-guard/schema-guard/schema"
)

// This file turns information_schema's raw strings into the model's normal form. MySQL and
// MariaDB disagree on most of them, so every function here is pure, small and tested with both
// flavours' raw inputs (introspect_normalize_test.go): only MariaDB runs in this project's tests,
// the MySQL branches follow the MySQL 8.0/8.4 Reference Manual and the information_schema quirks
// that MySQL schema tools such as Skeema document and work around.

// charsetOfCollation derives a character set from a collation name. Every character set name is
// free of underscores and every collation name starts with its character set's name and an
// underscore ("utf8mb4_0900_ai_ci", "latin1_bin") or is the character set itself ("binary").
// MariaDB 11.x lists collations such as "uca1400_ai_ci" that apply to several character sets in
// COLLATION_CHARACTER_SET_APPLICABILITY, but TABLES.TABLE_COLLATION and COLUMNS.COLLATION_NAME
// always give the full name ("utf8mb4_uca1400_ai_ci"), so the table's own collation decides
// without a join that could match several rows.
func charsetOfCollation(collation string) string {
	charset, _, _ := strings.Cut(collation, "_")
	return charset
}

// splitCreateOptions splits TABLES.CREATE_OPTIONS ("stats_persistent=0 row_format=DYNAMIC
// partitioned") into the explicit row format (upper case), the remaining options, sorted, and
// whether the table is partitioned. The row format is taken from here and not from
// TABLES.ROW_FORMAT, which reports the effective format even when nobody chose it. The rest is
// sorted because MySQL 8's data dictionary lists options in no stable order.
func splitCreateOptions(opts string) (rowFormat, rest string, partitioned bool) {
	var keep []string
	for _, opt := range strings.Fields(opts) {
		name, value, _ := strings.Cut(opt, "=")
		switch strings.ToLower(name) {
		case "row_format":
			rowFormat = strings.ToUpper(value)
		case "partitioned":
			partitioned = true
		default:
			keep = append(keep, opt)
		}
	}
	slices.Sort(keep)
	return rowFormat, strings.Join(keep, " "), partitioned
}

// columnExtra is COLUMNS.EXTRA taken apart. The two flavours spell it differently:
//
//	MariaDB: "auto_increment", "on update current_timestamp(6)", "VIRTUAL GENERATED",
//	         "STORED GENERATED", "INVISIBLE"
//	MySQL:   "auto_increment", "DEFAULT_GENERATED", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP",
//	         "VIRTUAL GENERATED", "STORED GENERATED", "INVISIBLE" (8.0.23+), combined with spaces
type columnExtra struct {
	autoIncrement    bool
	defaultGenerated bool   // MySQL 8.0.13+: the default is an expression
	generated        string // "VIRTUAL", "STORED" or ""
	invisible        bool
	onUpdate         string // the raw ON UPDATE expression
}

// parseExtra reads EXTRA word by word, so that any combination and either case is understood.
func parseExtra(extra string) columnExtra {
	var e columnExtra
	// MariaDB joins some attributes with a comma: "VIRTUAL GENERATED, INVISIBLE".
	words := strings.FieldsFunc(extra, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	for i := 0; i < len(words); i++ {
		w := strings.ToUpper(words[i])
		next := ""
		if i+1 < len(words) {
			next = strings.ToUpper(words[i+1])
		}
		switch {
		case w == "AUTO_INCREMENT":
			e.autoIncrement = true
		case w == "DEFAULT_GENERATED":
			e.defaultGenerated = true
		case w == "INVISIBLE":
			e.invisible = true
		case (w == "VIRTUAL" || w == "STORED" || w == "PERSISTENT") && next == "GENERATED":
			e.generated = "VIRTUAL"
			if w != "VIRTUAL" {
				e.generated = "STORED"
			}
			i++
		case w == "ON" && next == "UPDATE" && i+2 < len(words):
			e.onUpdate = words[i+2]
			i += 2
		}
	}
	return e
}

// rawDefault is what COLUMNS says about a column's default.
type rawDefault struct {
	value    sql.NullString // COLUMN_DEFAULT
	nullable bool
	dataType string // DATA_TYPE, lower case
	extra    columnExtra
}

// normalizeDefault turns COLUMN_DEFAULT into schema.Column.Default's form (see its comment).
//
// MariaDB 10.2.7+ writes COLUMN_DEFAULT as SQL: 'quoted' string literals, the string NULL for
// DEFAULT NULL (also implied for nullable columns) and SQL NULL for "no default".
//
// MySQL (and older MariaDB) writes the bare value, SQL NULL for both "no default" and DEFAULT
// NULL, which only IS_NULLABLE tells apart, and flags expression defaults (8.0.13+) with
// DEFAULT_GENERATED in EXTRA. MySQL 8.0.13–8.0.22 leaves TEXT/BLOB expression defaults out of
// COLUMNS altogether (fixed in 8.0.23); such a column shows up as having no default here.
func normalizeDefault(f schema.Flavor, d rawDefault) *string {
	if d.extra.autoIncrement || d.extra.generated != "" {
		return nil // MariaDB reports 'NULL' for generated columns; they have no default
	}
	if !d.value.Valid {
		if d.nullable && !f.MinMariaDB(10, 2, 7) {
			return stringPtr("NULL")
		}
		return nil
	}
	v := d.value.String
	if f.MinMariaDB(10, 2, 7) {
		return stringPtr(normalizeMariaDBDefault(v))
	}
	return stringPtr(normalizeMySQLDefault(v, d.dataType, d.extra.defaultGenerated))
}

// normalizeMariaDBDefault classifies MariaDB's SQL text: a literal stays as it is, anything else
// is an expression.
func normalizeMariaDBDefault(v string) string {
	switch {
	case v == "NULL", isQuotedLiteral(v), isNumericLiteral(v):
		return v
	}
	if b, ok := normalizeBitLiteral(v); ok {
		return b
	}
	if ts, ok := normalizeCurrentTimestamp(v); ok {
		return ts
	}
	if q, ok := hexLiteralToQuoted(v); ok {
		return q // MariaDB 11.8 writes a BINARY default as x'61620000'
	}
	return wrapExpr(v)
}

// normalizeMySQLDefault writes MySQL's bare value as a literal of the column's type, or an
// expression when EXTRA says DEFAULT_GENERATED.
func normalizeMySQLDefault(v, dataType string, expression bool) string {
	if expression {
		if ts, ok := normalizeCurrentTimestamp(v); ok {
			return ts
		}
		expr := unescapeMySQLExpr(v)
		// An expression that is one string is that string: MySQL takes a TEXT, BLOB or JSON
		// default only as an expression, DEFAULT ('x'), and MariaDB keeps the same as 'x'. The
		// renderer writes it back as an expression where MySQL needs one.
		if lit, ok := decodeStringLiteral(strings.TrimSpace(expr)); ok {
			return schema.QuoteString(lit)
		}
		return wrapExpr(expr)
	}
	switch dataType {
	case "timestamp", "datetime":
		// Before 8.0.13 CURRENT_TIMESTAMP came without DEFAULT_GENERATED.
		if ts, ok := normalizeCurrentTimestamp(v); ok {
			return ts
		}
	case "bit":
		// 8.0 prints b'101'; some versions print a hex literal.
		if b, ok := normalizeBitLiteral(v); ok {
			return b
		}
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		// MySQL 8 shows binary string defaults as hex literals (0x61620000).
		if s, ok := hexLiteralToQuoted(v); ok {
			return s
		}
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint",
		"decimal", "numeric", "float", "double", "real", "year":
		return v
	}
	return schema.QuoteString(v)
}

// normalizeOnUpdate turns EXTRA's ON UPDATE expression into CURRENT_TIMESTAMP[(n)]. Some servers
// leave the fractional precision out of EXTRA although it is part of the clause; it is then
// taken from the column type (datetime(6)).
func normalizeOnUpdate(raw, columnType string) string {
	if raw == "" {
		return ""
	}
	ts, ok := normalizeCurrentTimestamp(raw)
	if !ok {
		return raw
	}
	if !strings.Contains(raw, "(") {
		if p := typePrecision(columnType); p > 0 {
			ts += "(" + strconv.Itoa(p) + ")"
		}
	}
	return ts
}

// typePrecision returns n from "datetime(n)" or "timestamp(n)", else 0.
func typePrecision(columnType string) int {
	base, rest, ok := strings.Cut(columnType, "(")
	if !ok || (base != "datetime" && base != "timestamp") {
		return 0
	}
	digits, _, _ := strings.Cut(rest, ")")
	n, _ := strconv.Atoi(digits)
	return n
}

// normalizeCurrentTimestamp recognises CURRENT_TIMESTAMP and its synonyms in any case, with or
// without (precision), and writes it as CURRENT_TIMESTAMP or CURRENT_TIMESTAMP(n): MariaDB says
// current_timestamp(), MySQL CURRENT_TIMESTAMP, and both mean the same.
func normalizeCurrentTimestamp(s string) (string, bool) {
	name, args, hasParens := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "(")
	switch name {
	case "current_timestamp", "now", "localtime", "localtimestamp":
	default:
		return "", false
	}
	if !hasParens {
		if name == "now" {
			return "", false // NOW is a function: bare, it is a column name
		}
		return "CURRENT_TIMESTAMP", true
	}
	digits, ok := strings.CutSuffix(args, ")")
	if !ok {
		return "", false
	}
	if digits == "" || digits == "0" {
		return "CURRENT_TIMESTAMP", true
	}
	if _, err := strconv.Atoi(digits); err != nil {
		return "", false
	}
	return "CURRENT_TIMESTAMP(" + digits + ")", true
}

// mysqlExpr applies unescapeMySQLExpr on MySQL only.
func mysqlExpr(f schema.Flavor, s string) string {
	if f.IsMySQL() {
		return unescapeMySQLExpr(s)
	}
	return s
}

// lowerType lower-cases a column type outside its quoted parts, so that the keywords are lower
// case ("INT UNSIGNED" → "int unsigned") while enum and set values keep their case.
func lowerType(t string) string {
	var b strings.Builder
	b.Grow(len(t))
	for i := 0; i < len(t); i++ {
		if t[i] == '\'' {
			end := min(sqllex.SkipQuoted(t, i), len(t))
			b.WriteString(t[i:end])
			i = end - 1
			continue
		}
		c := t[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A' // ASCII only: multi-byte characters pass through intact
		}
		b.WriteByte(c)
	}
	return b.String()
}

// indexInvisible reads the index visibility column: MySQL 8's STATISTICS.IS_VISIBLE says NO for
// an invisible index, MariaDB 10.6's STATISTICS.IGNORED says YES for an ignored one.
func indexInvisible(f schema.Flavor, raw sql.NullString) bool {
	if f.IsMariaDB() {
		return isYes(raw)
	}
	return strings.EqualFold(raw.String, "NO")
}

// quoteIdentIfNeeded leaves plain identifiers bare and backquotes anything else, with
// schema.QuoteIdent. It is not schema.QuoteIdent itself because it rebuilds text the way the
// server prints it in the places it reads (routine parameter lists, where names are bare unless
// they must be quoted), so that the text compares equal to the server's own.
func quoteIdentIfNeeded(name string) string {
	plain := name != ""
	allDigits := true
	for _, r := range name {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r == '$':
			allDigits = false
		default:
			plain = false
		}
	}
	if plain && !allDigits {
		return name
	}
	return schema.QuoteIdent(name)
}

// typeWithCharset appends CHARSET cs to a routine parameter or return type when its character set
// differs from the database default. DTD_IDENTIFIER leaves the character set out, and a routine's
// string parameters take the database default unless the CREATE said otherwise, so this writes
// the clause exactly when it matters.
func typeWithCharset(dtd, charset, dbCharset string) string {
	dtd = lowerType(dtd)
	if charset == "" || strings.EqualFold(charset, dbCharset) || strings.Contains(dtd, "charset") ||
		strings.Contains(dtd, "character set") {
		return dtd
	}
	return dtd + " CHARSET " + charset
}

// stringPtr returns a pointer to a copy of s.
func stringPtr(s string) *string { return &s }
