package schema

import (
	"strconv"
	"strings"
)

// This file writes tables and their parts as SQL, in one canonical form used for the dump, for
// the From/To fragments of a Change and for the reconciling statements: backquoted identifiers,
// no database qualifier, no AUTO_INCREMENT counter, clauses in a fixed order. Partitioning is not
// in the model (TableOptions.Partitioned only says that a table is partitioned), so a
// partitioned table is written without its PARTITION BY clause.

// CreateTable writes the CREATE TABLE statement of t, with its foreign keys, in the syntax of the
// schema's flavour. Column character sets and collations are written only where they differ from
// the table's; the AUTO_INCREMENT counter and partitioning are left out.
func (s *Schema) CreateTable(t *Table) string {
	if t == nil {
		return ""
	}
	t = sanitizeTable(t)
	return createTableFKs(s.flavor(), t, t.ForeignKeys)
}

// flavor returns the schema's flavour; a nil schema has the zero flavour.
func (s *Schema) flavor() Flavor {
	if s == nil {
		return Flavor{}
	}
	return s.Flavor
}

// createTableFKs writes CREATE TABLE with the given foreign keys inline: all of them for the
// dump, none for the script, which adds them once every table exists.
func createTableFKs(f Flavor, t *Table, fks []*ForeignKey) string {
	ctx := tableContext(f, t)
	var lines []string
	for _, c := range t.Columns {
		if c != nil {
			lines = append(lines, ctx.column(c))
		}
	}
	for _, x := range t.Indexes {
		if x != nil {
			lines = append(lines, indexDef(f, x, t.Options.Engine))
		}
	}
	for _, fk := range fks {
		lines = append(lines, fkDef(fk))
	}
	for _, c := range ctx.tableChecks {
		lines = append(lines, checkDef(f, c))
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	b.WriteString(quoteIdent(t.Name))
	b.WriteString(" (\n  ")
	b.WriteString(strings.Join(lines, ",\n  "))
	b.WriteString("\n)")
	if opts := optionClauses(t.Options); len(opts) > 0 {
		b.WriteByte(' ')
		b.WriteString(strings.Join(opts, " "))
	}
	return b.String()
}

// colContext is what a column definition is written relative to: the table's default character
// set and collation, which columns inherit and so need not repeat, and the column-level checks
// that MariaDB keeps inside column definitions.
type colContext struct {
	flavor    Flavor
	charset   string // "" writes every column's character set and collation
	collation string
	// colChecks are the column-level checks (Check.Column) by lower-case column name, written
	// inside their columns' definitions as MariaDB keeps them (see diff_checks.go).
	colChecks map[string]*Check
	// tableChecks are the other checks, written as table constraints.
	tableChecks []*Check
}

// tableContext is the context of t's own CREATE TABLE.
func tableContext(f Flavor, t *Table) colContext {
	ctx := colContext{flavor: f, charset: t.Options.Charset, collation: t.Options.Collation}
	if ctx.charset == "" {
		ctx.charset = charsetOf(ctx.collation)
	}
	ctx.colChecks, ctx.tableChecks = splitChecks(t)
	return ctx
}

// splitChecks separates column-level checks (one per column, the column must exist) from
// table-level ones.
func splitChecks(t *Table) (byColumn map[string]*Check, table []*Check) {
	for _, c := range t.Checks {
		if c == nil {
			continue
		}
		key := strings.ToLower(c.Column)
		if c.Column != "" && t.Column(c.Column) != nil && byColumn[key] == nil {
			if byColumn == nil {
				byColumn = map[string]*Check{}
			}
			byColumn[key] = c
			continue
		}
		table = append(table, c)
	}
	return byColumn, table
}

// charsetOf derives a character set from a collation name: every collation name starts with
// its character set's name and an underscore.
func charsetOf(collation string) string {
	cs, _, _ := strings.Cut(collation, "_")
	return cs
}

// column writes a column definition as in CREATE TABLE, with its column-level check.
func (ctx colContext) column(c *Column) string {
	check := ""
	if chk := ctx.colChecks[strings.ToLower(c.Name)]; chk != nil {
		check = chk.Expr
	}
	return ctx.columnDef(c, check)
}

// columnDef writes a column definition with the given column-level check ("" for none):
//
//	`name` type [CHARACTER SET x] [COLLATE y] [NOT NULL] [DEFAULT …] [ON UPDATE …]
//	[AUTO_INCREMENT] [INVISIBLE] [COMMENT '…'] [CHECK (…)]
//
// and for a generated column `name` type [CHARACTER SET x] [COLLATE y] GENERATED ALWAYS AS (…)
// VIRTUAL|STORED [NOT NULL] [INVISIBLE] [COMMENT '…']: MySQL's grammar wants the generation
// clause right after the type, and both flavours accept it there.
func (ctx colContext) columnDef(c *Column, check string) string {
	var b strings.Builder
	b.WriteString(quoteIdent(c.Name))
	b.WriteByte(' ')
	typ := c.Type
	if typ == "" {
		typ = c.DataType
	}
	b.WriteString(typ)
	charset := c.Charset
	if charset == "" {
		charset = charsetOf(c.Collation)
	}
	if charset != "" && !strings.EqualFold(charset, ctx.charset) {
		b.WriteString(" CHARACTER SET " + charset)
	}
	if c.Collation != "" && !strings.EqualFold(c.Collation, ctx.collation) {
		b.WriteString(" COLLATE " + c.Collation)
	}
	if g := c.Generated; g != nil {
		b.WriteString(" GENERATED ALWAYS AS (" + g.Expr + ")")
		if g.Stored {
			b.WriteString(" STORED")
		} else {
			b.WriteString(" VIRTUAL")
		}
		if !c.Nullable {
			b.WriteString(" NOT NULL")
		}
	} else {
		switch {
		case !c.Nullable:
			b.WriteString(" NOT NULL")
		case c.DataType == "timestamp" || strings.HasPrefix(typ, "timestamp"):
			// Without it a server running with explicit_defaults_for_timestamp=OFF makes the
			// column NOT NULL; SHOW CREATE TABLE writes it for the same reason.
			b.WriteString(" NULL")
		}
		if c.Default != nil {
			b.WriteString(" DEFAULT " + ctx.defaultValue(c))
		}
		if c.OnUpdate != "" {
			b.WriteString(" ON UPDATE " + c.OnUpdate)
		}
		if c.AutoIncrement {
			b.WriteString(" AUTO_INCREMENT")
		}
	}
	if c.Invisible {
		b.WriteString(" INVISIBLE")
	}
	if c.Comment != "" {
		b.WriteString(" COMMENT " + QuoteString(c.Comment))
	}
	if check != "" {
		b.WriteString(" CHECK (" + check + ")")
	}
	return b.String()
}

// defaultValue writes the default. MySQL accepts a default on BLOB, TEXT, JSON and geometry
// columns only as an expression, so a literal one is wrapped there; MariaDB takes the literal.
func (ctx colContext) defaultValue(c *Column) string {
	d := *c.Default
	if ctx.flavor.IsMySQL() && strings.HasPrefix(d, "'") && expressionDefaultOnly(c.DataType) {
		return "(" + d + ")"
	}
	return d
}

// expressionDefaultOnly lists MySQL's types whose defaults must be expressions.
func expressionDefaultOnly(dataType string) bool {
	switch dataType {
	case "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob",
		"json", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
		"multipolygon", "geometrycollection", "geomcollection":
		return true
	}
	return false
}

// indexDef writes an index as in CREATE TABLE: "PRIMARY KEY (`id`)", "UNIQUE KEY `u` (`a`,`b`(10)
// DESC) COMMENT 'x' IGNORED". USING is written where it is not the engine's default: HASH always
// (MariaDB's long unique keys, MEMORY's default), BTREE on MEMORY.
func indexDef(f Flavor, x *Index, engine string) string {
	var b strings.Builder
	switch {
	case x.Primary:
		b.WriteString("PRIMARY KEY")
	case x.Type == "FULLTEXT":
		b.WriteString("FULLTEXT KEY " + quoteIdent(x.Name))
	case x.Type == "SPATIAL":
		b.WriteString("SPATIAL KEY " + quoteIdent(x.Name))
	case x.Unique:
		b.WriteString("UNIQUE KEY " + quoteIdent(x.Name))
	default:
		b.WriteString("KEY " + quoteIdent(x.Name))
	}
	b.WriteString(" (")
	for i, p := range x.Parts {
		if i > 0 {
			b.WriteByte(',')
		}
		if p.Column == "" && p.Expr != "" {
			b.WriteString("(" + p.Expr + ")")
		} else {
			b.WriteString(quoteIdent(p.Column))
			if p.SubPart > 0 {
				b.WriteString("(" + strconv.Itoa(p.SubPart) + ")")
			}
		}
		if p.Descending {
			b.WriteString(" DESC")
		}
	}
	b.WriteByte(')')
	memory := strings.EqualFold(engine, "MEMORY") || strings.EqualFold(engine, "HEAP")
	if x.Type == "HASH" || (x.Type == "BTREE" && memory) {
		b.WriteString(" USING " + x.Type)
	}
	if x.Comment != "" {
		b.WriteString(" COMMENT " + QuoteString(x.Comment))
	}
	if x.Invisible {
		b.WriteString(" " + invisibleKeyword(f))
	}
	return b.String()
}

// invisibleKeyword is MariaDB's IGNORED or MySQL's INVISIBLE.
func invisibleKeyword(f Flavor) string {
	if f.IsMariaDB() {
		return "IGNORED"
	}
	return "INVISIBLE"
}

// visibleKeyword is the opposite of invisibleKeyword.
func visibleKeyword(f Flavor) string {
	if f.IsMariaDB() {
		return "NOT IGNORED"
	}
	return "VISIBLE"
}

// fkDef writes a foreign key constraint. RESTRICT and NO ACTION, the same thing in InnoDB and the
// default, are left out.
func fkDef(fk *ForeignKey) string {
	var b strings.Builder
	b.WriteString("CONSTRAINT " + quoteIdent(fk.Name) + " FOREIGN KEY (" + quoteIdents(fk.Columns) + ") REFERENCES ")
	if fk.RefSchema != "" {
		b.WriteString(quoteIdent(fk.RefSchema) + ".")
	}
	b.WriteString(quoteIdent(fk.RefTable) + " (" + quoteIdents(fk.RefColumns) + ")")
	if a := fkAction(fk.OnDelete); a != "" {
		b.WriteString(" ON DELETE " + a)
	}
	if a := fkAction(fk.OnUpdate); a != "" {
		b.WriteString(" ON UPDATE " + a)
	}
	return b.String()
}

// fkAction normalises a referential action: "" for the default (RESTRICT, NO ACTION, which
// InnoDB treats alike, or nothing), the action in upper case otherwise.
func fkAction(a string) string {
	a = strings.ToUpper(strings.Join(strings.Fields(a), " "))
	if a == "RESTRICT" || a == "NO ACTION" {
		return ""
	}
	return a
}

// checkDef writes a table-level check constraint; NOT ENFORCED is MySQL's only.
func checkDef(f Flavor, c *Check) string {
	s := "CONSTRAINT " + quoteIdent(c.Name) + " CHECK (" + c.Expr + ")"
	if !c.Enforced && !f.IsMariaDB() {
		s += " NOT ENFORCED"
	}
	return s
}

// optionClauses writes the table options in a fixed order: ENGINE, DEFAULT CHARSET, COLLATE,
// ROW_FORMAT, COMMENT, then the other create options as the server listed them.
func optionClauses(o TableOptions) []string {
	var opts []string
	if o.Engine != "" {
		opts = append(opts, "ENGINE="+o.Engine)
	}
	charset := o.Charset
	if charset == "" {
		charset = charsetOf(o.Collation)
	}
	if charset != "" {
		opts = append(opts, "DEFAULT CHARSET="+charset)
	}
	if o.Collation != "" {
		opts = append(opts, "COLLATE="+o.Collation)
	}
	if o.RowFormat != "" {
		opts = append(opts, "ROW_FORMAT="+o.RowFormat)
	}
	if o.Comment != "" {
		opts = append(opts, "COMMENT="+QuoteString(o.Comment))
	}
	opts = append(opts, strings.Fields(o.CreateOptions)...)
	return opts
}

// ColumnDefinition writes column c of table t as it stands in t's CREATE TABLE ("`email`
// varchar(255) NOT NULL DEFAULT ”"), without its column-level check: what a migration that
// adds or modifies the column needs.
func (s *Schema) ColumnDefinition(t *Table, c *Column) string {
	return tableContext(s.flavor(), t).columnDef(c, "")
}
