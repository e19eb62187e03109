package rules

import (
	"strings"
	"testing"

	"github.com/schema-guard/schema-guard/facts"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// parseSQL splits and parses a migration's text as a plain migration file, and returns what
// each statement's text says, as the checker hands it to the rules.
func parseSQL(t testing.TB, sql string) []facts.Statement {
	t.Helper()
	f := &migrations.File{Path: "db/V2__change.sql", Format: migrations.Plain, Content: []byte(sql)}
	stmts, err := f.Statements()
	if err != nil {
		t.Fatalf("split %q: %v", sql, err)
	}
	migrations.NewParser().Parse(stmts)
	out := make([]facts.Statement, len(stmts))
	for i := range stmts {
		out[i] = *stmts[i].Facts()
	}
	return out
}

// parseOne parses a single statement, which must be readable by the parser.
func parseOne(t testing.TB, sql string) *facts.Statement {
	t.Helper()
	stmts := parseSQL(t, sql)
	if len(stmts) != 1 {
		t.Fatalf("%q: %d statements, want 1", sql, len(stmts))
	}
	if !stmts[0].Parsed {
		t.Fatalf("%q: not parsed", sql)
	}
	return &stmts[0]
}

// colOpt changes a test column.
type colOpt func(*schema.Column)

var notNull colOpt = func(c *schema.Column) { c.Nullable = false }

func def(v string) colOpt { return func(c *schema.Column) { c.Default = &v } }

func charset(cs string) colOpt {
	return func(c *schema.Column) { c.Charset, c.Collation = cs, cs+"_general_ci" }
}

var autoInc colOpt = func(c *schema.Column) { c.AutoIncrement, c.Nullable = true, false }

// col builds a nullable column of the given type (as the model writes it).
func col(name, typ string, opts ...colOpt) *schema.Column {
	ct, _ := schema.ParseColumnType(typ)
	c := &schema.Column{Name: name, Type: typ, DataType: ct.Base, Unsigned: ct.Unsigned, Nullable: true}
	for _, o := range opts {
		o(c)
	}
	if c.Nullable && c.Default == nil && !c.AutoIncrement {
		v := "NULL"
		c.Default = &v
	}
	return c
}

// tbl builds a table; a column named id becomes its primary key.
func tbl(name string, cols ...*schema.Column) *schema.Table {
	t := &schema.Table{Name: name, Options: schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collation: "utf8mb4_general_ci"}}
	for i, c := range cols {
		c.Position = i + 1
		t.Columns = append(t.Columns, c)
		if c.Name == "id" {
			t.Indexes = append([]*schema.Index{{Name: "PRIMARY", Primary: true, Unique: true, Type: "BTREE", Parts: []schema.IndexPart{{Column: "id"}}}}, t.Indexes...)
		}
	}
	return t
}

// withIndex adds an index over whole columns.
func withIndex(t *schema.Table, name string, unique bool, cols ...string) *schema.Table {
	x := &schema.Index{Name: name, Unique: unique, Type: "BTREE"}
	for _, c := range cols {
		x.Parts = append(x.Parts, schema.IndexPart{Column: c})
	}
	t.Indexes = append(t.Indexes, x)
	return t
}

func sch(tables ...*schema.Table) *schema.Schema {
	return &schema.Schema{Name: "app", Flavor: schema.Flavor{Kind: schema.MariaDB, Major: 10, Minor: 11}, Tables: tables}
}

// clone deep-copies a table, so a test can build the state after a statement from the one
// before it.
func clone(t *schema.Table) *schema.Table {
	c := *t
	c.Columns = nil
	for _, col := range t.Columns {
		cc := *col
		c.Columns = append(c.Columns, &cc)
	}
	c.Indexes = append([]*schema.Index(nil), t.Indexes...)
	c.ForeignKeys = append([]*schema.ForeignKey(nil), t.ForeignKeys...)
	c.Checks = append([]*schema.Check(nil), t.Checks...)
	return &c
}

// ruleCase is one statement judged by one rule.
type ruleCase struct {
	name       string
	sql        string
	deployed   []*schema.Table
	before     []*schema.Table // nil: the deployed tables
	after      []*schema.Table
	deprecated []string
	tables     map[string]TableConfig
	// want is the severities of the findings, in order ("" entries are not allowed); nil for none.
	want []finding.Severity
	// contains are strings the first finding's message or fix must contain.
	contains []string
}

func (rc ruleCase) run(t *testing.T, check func(*Context) []finding.Finding) []finding.Finding {
	t.Helper()
	before := rc.before
	if before == nil {
		before = rc.deployed
	}
	ctx := &Context{
		Statement:  parseOne(t, rc.sql),
		Deployed:   sch(rc.deployed...),
		Before:     sch(before...),
		After:      sch(rc.after...),
		Deprecated: NewDeprecated(rc.deprecated),
		Tables:     rc.tables,
		Script:     migrations.Script,
	}
	got := check(ctx)
	var sev []finding.Severity
	for _, f := range got {
		sev = append(sev, f.Severity)
	}
	if !equalSev(sev, rc.want) {
		t.Fatalf("%s: severities %v, want %v\n%s", rc.sql, sev, rc.want, dump(got))
	}
	for _, f := range got {
		if f.Message == "" || f.Rule == "" || f.File != "" || f.Line != 0 {
			t.Errorf("malformed finding %+v", f)
		}
		if strings.Contains(f.Message, "\n") {
			t.Errorf("message is not one sentence on one line: %q", f.Message)
		}
	}
	if len(got) > 0 {
		text := got[0].Message + "\n" + got[0].Fix
		for _, s := range rc.contains {
			if !strings.Contains(text, s) {
				t.Errorf("finding lacks %q:\n%s", s, text)
			}
		}
	}
	return got
}

func equalSev(a, b []finding.Severity) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func dump(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(string(f.Severity) + " " + string(f.Rule) + ": " + f.Message + "\n" + f.Fix + "\n")
	}
	return b.String()
}

func errs(n int) []finding.Severity {
	out := make([]finding.Severity, n)
	for i := range out {
		out[i] = finding.Error
	}
	return out
}

var (
	oneError   = []finding.Severity{finding.Error}
	oneWarning = []finding.Severity{finding.Warning}
	oneNotice  = []finding.Severity{finding.Notice}
)
