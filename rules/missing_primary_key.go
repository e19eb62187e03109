package rules

import (
	"fmt"
	"slices"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

func missingPrimaryKeyRule() *Rule {
	return &Rule{
		ID:        finding.MissingPrimaryKey,
		Severity:  finding.Warning,
		Summary:   "a table is created without a primary key",
		Statement: checkMissingPrimaryKey,
		Doc: `Catches: a pending CREATE TABLE (including CREATE TABLE … LIKE and … AS SELECT) after which
the new table has no PRIMARY KEY. Temporary tables are not judged.

Why it matters: InnoDB then clusters the rows on the first UNIQUE NOT NULL key, or on a
hidden 6-byte row id shared by every such table of the server (a point of contention).
Row-based replication applies each UPDATE or DELETE of the table with a full table scan on
the replicas, so they fall behind; Galera/Group Replication refuse writes to it; online
schema change tools (gh-ost, pt-online-schema-change) need a primary or unique key to copy
it, so later changes of the table cannot run online. Adding the key later is itself a table
rebuild that data must allow.

How to do it safely: give the table a primary key when creating it: a surrogate
id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, or the NOT NULL columns that identify a row
(promote the natural unique key).

Example:
  bad:  CREATE TABLE events (name varchar(50) NOT NULL, at datetime NOT NULL);
  good: CREATE TABLE events (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
          name varchar(50) NOT NULL, at datetime NOT NULL);`,
	}
}

func checkMissingPrimaryKey(ctx *Context) []finding.Finding {
	var out []finding.Finding
	for _, tc := range ctx.TableChanges() {
		if !tc.Created() || tc.After.PrimaryKey() != nil {
			continue
		}
		out = append(out, finding.Finding{
			Rule:     finding.MissingPrimaryKey,
			Severity: finding.Warning,
			Message: fmt.Sprintf("Table %s is created without a PRIMARY KEY: replicas apply its row changes with full table scans, and online schema change tools cannot copy it later.",
				schema.QuoteIdent(tc.Name)),
			Fix:   primaryKeyFix(ctx.After, tc.After, tc.Name),
			Table: tc.Name,
		})
	}
	return out
}

// primaryKeyFix writes the CREATE TABLE with a primary key: the first unique key over NOT NULL
// columns promoted, else a surrogate AUTO_INCREMENT column.
func primaryKeyFix(s *schema.Schema, t *schema.Table, name string) string {
	const advice = "Create the table with a primary key: the NOT NULL columns that identify a row, or a surrogate id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY."
	if t == nil {
		return advice
	}
	fixed := *t
	fixed.Indexes = slices.Clone(t.Indexes)
	for i, x := range fixed.Indexes {
		if x != nil && x.Unique && notNullParts(t, x) {
			pk := *x
			pk.Name, pk.Primary = "PRIMARY", true
			fixed.Indexes = append([]*schema.Index{&pk}, slices.Delete(fixed.Indexes, i, i+1)...)
			return fmt.Sprintf("Promote unique key %s to the primary key:\n\n%s;", schema.QuoteIdent(x.Name), s.CreateTable(&fixed))
		}
	}
	id := "id"
	if t.Column(id) != nil {
		id = fitName(name, "id")
	}
	col := &schema.Column{Name: id, Type: "bigint unsigned", DataType: "bigint", Unsigned: true, AutoIncrement: true}
	fixed.Columns = append([]*schema.Column{col}, t.Columns...)
	fixed.Indexes = append([]*schema.Index{{Name: "PRIMARY", Primary: true, Unique: true, Type: "BTREE", Parts: []schema.IndexPart{{Column: id}}}}, t.Indexes...)
	return fmt.Sprintf("Add a surrogate key (or make the columns that identify a row the primary key):\n\n%s;", s.CreateTable(&fixed))
}

// notNullParts reports whether every part of x is a whole NOT NULL column.
func notNullParts(t *schema.Table, x *schema.Index) bool {
	for _, p := range x.Parts {
		c := t.Column(p.Column)
		if p.Column == "" || p.SubPart != 0 || c == nil || c.Nullable {
			return false
		}
	}
	return len(x.Parts) > 0
}
