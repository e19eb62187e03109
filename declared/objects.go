package declared

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"github.com/schema-guard/schema-guard/migrations"
)

// Header reads the kind ("table", "view", "trigger" or "routine") and the name (as written,
// unquoted, without a database qualifier) of the object a CREATE statement declares, for
// statements the parser cannot read. kind is "" for any other statement, and for temporary
// tables, which are no part of a schema.
func Header(sql string) (kind, name string) {
	h, ok := migrations.ReadHeader(sql)
	if !ok || h.Verb != "create" || h.Temporary || len(h.Names) != 1 {
		return "", ""
	}
	if k := keyKind(h.Kind); k != "" {
		return k, h.Names[0]
	}
	return "", ""
}

// keyKind maps a statement's object kind to the kind of a Key; "" for objects State does not
// track (events, indexes, databases, …).
func keyKind(kind string) string {
	switch kind {
	case "table", "view", "trigger":
		return kind
	case "procedure", "function":
		return "routine"
	}
	return ""
}

// decl is a declared object that is live at this point of the load: created and not dropped.
type decl struct {
	kind string // "table", "view", "trigger", "procedure" or "function"
	name string // as written
	pos  Pos
	seq  int // load order, so that Objects keeps the first of a procedure and a function of one name
	// Columns of a table: where each is declared, and rename hints.
	columns     map[string]Pos
	renamedFrom string
	columnsFrom map[string]string
}

// namespace is the key under which the server keeps the object's name unique: tables and views
// share one, procedures and functions each have their own.
func namespace(kind, name string) string {
	if kind == "table" || kind == "view" {
		kind = "relation"
	}
	return kind + ":" + strings.ToLower(name)
}

// builder follows the statements in load order, as the server would run them, so that a
// mysqldump DROP … IF EXISTS before each CREATE, and its view stand-ins that are dropped before
// the real view is created, do not count as declaring an object twice.
type builder struct {
	live  map[string]*decl
	seq   int
	seeds map[string]Pos
	// database is the database the first USE selected (mysqldump --databases writes one), and
	// where; replay ignores USE, so a second database would merge into the first.
	database   string
	databaseAt Pos
}

func newBuilder() *builder {
	return &builder{live: map[string]*decl{}, seeds: map[string]Pos{}}
}

// statement takes one parsed statement of src, whose index in src's statements is i.
func (b *builder) statement(src *source, stmts []migrations.Statement, i int) error {
	st := &stmts[i]
	at := Pos{File: st.File, Line: st.Line, Column: st.Column}
	switch n := st.Node.(type) {
	case *ast.CreateTableStmt:
		if n.TemporaryKeyword != ast.TemporaryNone {
			return nil
		}
		d, err := b.create("table", n.Table.Name.O, at)
		if err != nil {
			return err
		}
		return b.table(src, stmts, i, d, n)
	case *ast.CreateViewStmt:
		_, err := b.create("view", n.ViewName.Name.O, at)
		return err
	case *ast.ProcedureInfo:
		_, err := b.create("procedure", n.ProcedureName.Name.O, at)
		return err
	case *ast.DropTableStmt:
		if n.TemporaryKeyword != ast.TemporaryNone {
			return nil
		}
		kind := "table"
		if n.IsView {
			kind = "view"
		}
		for _, t := range n.Tables {
			b.drop(kind, t.Name.O)
		}
	case *ast.DropProcedureStmt:
		b.drop("procedure", n.ProcedureName.Name.O)
	case *ast.InsertStmt:
		if name := insertTable(n); name != "" {
			b.seed(name, at)
		}
	case *ast.UseStmt:
		switch {
		case b.database == "":
			b.database, b.databaseAt = n.DBName, at
		case !strings.EqualFold(b.database, n.DBName):
			return fmt.Errorf("%s:%d:%d: USE %s switches to a second database (USE %s is at %s:%d): a declared schema is one database",
				at.File, at.Line, at.Column, n.DBName, b.database, b.databaseAt.File, b.databaseAt.Line)
		}
	case nil:
		return b.opaque(src, stmts, i, at)
	}
	return nil
}

// opaque reads what it can of a statement the parser could not: its header.
func (b *builder) opaque(src *source, stmts []migrations.Statement, i int, at Pos) error {
	h, ok := migrations.ReadHeader(stmts[i].Text)
	if !ok || h.Temporary {
		return nil
	}
	switch h.Verb {
	case "create":
		if keyKind(h.Kind) == "" {
			return nil
		}
		d, err := b.create(h.Kind, h.Names[0], at)
		if err != nil || d.kind != "table" {
			return err
		}
		// The parser could not read the table, so its columns are unknown; a rename hint
		// above it still renames it, but one of its columns cannot be placed.
		for line := stmts[i].Line; line <= stmts[i].EndLine; line++ {
			if h := src.hints[line]; h != nil {
				return fmt.Errorf("%s:%d:%d: %s hint cannot be applied: the parser cannot read this CREATE TABLE, so its columns are unknown",
					src.path, h.line, h.col, HintRenamedFrom)
			}
		}
		return b.tableHint(src, stmts, i, d)
	case "drop":
		for _, name := range h.Names {
			b.drop(h.Kind, name)
		}
	case "insert", "replace":
		b.seed(h.Names[0], at)
	}
	return nil
}

// create declares an object, or says where it already was.
func (b *builder) create(kind, name string, at Pos) (*decl, error) {
	key := namespace(kind, name)
	if prev := b.live[key]; prev != nil {
		// A mysqldump stand-in: the dump creates a table (MySQL 5.7) or a view (MariaDB, MySQL
		// 8) of the view's name so that views can refer to each other in any order, and
		// normally drops it before the real view; without the drop, a view replacing a table
		// of its own file is still that stand-in.
		standIn := kind == "view" && prev.kind == "table" && prev.pos.File == at.File
		if !standIn {
			as := ""
			if prev.kind != kind {
				as = " as a " + prev.kind
			}
			return nil, fmt.Errorf("%s:%d:%d: %s %s is already declared%s at %s:%d",
				at.File, at.Line, at.Column, kind, name, as, prev.pos.File, prev.pos.Line)
		}
	}
	b.seq++
	d := &decl{kind: kind, name: name, pos: at, seq: b.seq}
	b.live[key] = d
	return d, nil
}

// drop forgets an object, as DROP does on the server. DROP TABLE does not drop a view nor DROP
// VIEW a table, so the kinds must match.
func (b *builder) drop(kind, name string) {
	key := namespace(kind, name)
	if d := b.live[key]; d != nil && d.kind == kind {
		delete(b.live, key)
	}
}

// seed records the first INSERT into a table.
func (b *builder) seed(table string, at Pos) {
	key := strings.ToLower(table)
	if _, ok := b.seeds[key]; !ok {
		b.seeds[key] = at
	}
}

// insertTable is the table an INSERT or REPLACE writes to.
func insertTable(n *ast.InsertStmt) string {
	if n.Table == nil || n.Table.TableRefs == nil {
		return ""
	}
	var src ast.ResultSetNode = n.Table.TableRefs
	if j, ok := src.(*ast.Join); ok {
		src = j.Left
	}
	if ts, ok := src.(*ast.TableSource); ok {
		src = ts.Source
	}
	if t, ok := src.(*ast.TableName); ok {
		return t.Name.O
	}
	return ""
}

// table records a parsed CREATE TABLE's columns and the rename hints of the table and columns.
func (b *builder) table(src *source, stmts []migrations.Statement, i int, d *decl, n *ast.CreateTableStmt) error {
	if err := b.tableHint(src, stmts, i, d); err != nil {
		return err
	}
	st := &stmts[i]
	names := make([]string, len(n.Cols))
	for j, c := range n.Cols {
		names[j] = c.Name.Name.O
	}
	stmtOff := src.offset(st.Line, st.Column)
	d.columns = map[string]Pos{}
	byLine := map[int][]string{} // the columns whose definition starts on each line
	lines := map[string]int{}
	for j, off := range columnStarts(st.Text, names) {
		key := strings.ToLower(names[j])
		if _, dup := d.columns[key]; dup {
			continue
		}
		at := Pos{File: st.File, Line: st.Line, Column: st.Column}
		if off >= 0 {
			at.Line, at.Column = src.pos(stmtOff + off)
			byLine[at.Line] = append(byLine[at.Line], names[j])
			lines[key] = at.Line
		}
		d.columns[key] = at
	}
	for j, name := range names {
		line, ok := lines[strings.ToLower(name)]
		if !ok {
			continue
		}
		hs := src.commentBlockAbove(line, st.Line)
		if h := src.trailingHint(line); h != nil {
			hs = append(hs, h)
		}
		if len(hs) == 0 {
			continue
		}
		if on := byLine[line]; len(on) > 1 {
			return fmt.Errorf("%s:%d:%d: %s hint is ambiguous: columns %s and %s both start on line %d; put each column on its own line",
				st.File, hs[0].line, hs[0].col, HintRenamedFrom, on[0], on[1], line)
		}
		if err := takeHint(src, hs, "column "+d.name+"."+names[j]); err != nil {
			return err
		}
		if d.columnsFrom == nil {
			d.columnsFrom = map[string]string{}
		}
		d.columnsFrom[strings.ToLower(name)] = hs[0].from
	}
	return nil
}

// tableHint reads a rename hint from the comment lines right above the statement.
func (b *builder) tableHint(src *source, stmts []migrations.Statement, i int, d *decl) error {
	st := &stmts[i]
	stop := 0
	if i > 0 {
		stop = stmts[i-1].EndLine
	}
	if st.Line <= stop {
		return nil // the statement shares its first line with the one before
	}
	hs := src.commentBlockAbove(st.Line, stop)
	if len(hs) == 0 {
		return nil
	}
	if err := takeHint(src, hs, "table "+d.name); err != nil {
		return err
	}
	d.renamedFrom = hs[0].from
	return nil
}

// takeHint marks the hints of one object used; an object has at most one. hs are in any order.
func takeHint(src *source, hs []*hint, what string) error {
	first, second := hs[0], (*hint)(nil)
	for _, h := range hs[1:] {
		if h.line < first.line {
			first, second = h, first
		} else if second == nil || h.line < second.line {
			second = h
		}
	}
	for _, h := range hs {
		h.used = true
	}
	if second != nil {
		return fmt.Errorf("%s:%d:%d: second %s hint for %s (the first is at line %d)",
			src.path, second.line, second.col, HintRenamedFrom, what, first.line)
	}
	return nil
}

// state fills in what the live objects say.
func (b *builder) state(st *State) {
	st.Objects = map[Key]Pos{}
	st.Seeds = b.seeds
	st.Renamed = map[string]string{}
	seqs := map[Key]int{}
	for _, d := range b.live {
		name := strings.ToLower(d.name)
		key := Key{Kind: keyKind(d.kind), Name: name}
		if seq, ok := seqs[key]; ok && seq < d.seq {
			continue // a procedure and a function of the same name: the first one declared
		}
		seqs[key] = d.seq
		st.Objects[key] = d.pos
		for col, at := range d.columns {
			st.Objects[Key{Kind: "column", Name: name + "." + col}] = at
		}
		if d.renamedFrom != "" {
			st.Renamed[name] = d.renamedFrom
		}
		for col, from := range d.columnsFrom {
			st.Renamed[name+"."+col] = from
		}
	}
}
