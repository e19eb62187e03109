package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/schema"
)

// ColumnCopy is the expand/contract replacement of a column of a live table by a new one: the
// safe form of a column rename, and of a type change that old values or old writes may not
// survive. The new column is added beside the old one, triggers copy every write from either
// column to the other, a batched backfill fills the existing rows, the application switches to
// the new column, and only then does a later migration drop the old one.
type ColumnCopy struct {
	// Schema is the deployed schema: its flavour writes the SQL, and its tables' foreign keys
	// that reference the old column are listed. It may be nil.
	Schema *schema.Schema
	// Table is the table as deployed; From is its column the deployed application uses.
	Table *schema.Table
	From  *schema.Column
	// To is the column that replaces From: its final name and definition.
	To *schema.Column
	// Batch is the number of rows each backfill UPDATE changes; 0 means 1000.
	Batch int
	// Misfit, when set, writes the condition under which writing a value (the SQL expression
	// given) into the new column fails. Such values are not copied: the deployed application may
	// still write them, and a trigger that failed its write would break it. The new column stays
	// NULL for them, which the switch phase checks before the application relies on it.
	Misfit func(expr string) string
}

// fits is the guard around a copy of expr into the new column: "" when every value fits.
func (cc ColumnCopy) fits(expr string) string {
	if cc.Misfit == nil {
		return ""
	}
	if cond := cc.Misfit(expr); cond != "" {
		return "NOT COALESCE(" + cond + ", FALSE)"
	}
	return ""
}

// CopyNames are the names of the objects a ColumnCopy creates. Each fits 64 characters and is
// derived from the table and the new column alone, so the contract migration can drop what
// the expand migration created.
type CopyNames struct {
	InsertTrigger, UpdateTrigger, Backfill string
}

// BackfillFlag is the session variable the backfill sets while it runs: the update trigger then
// leaves the old column alone, so a backfill into a narrower column can never rewrite an old
// value with its converted (rounded, truncated) copy.
const BackfillFlag = "@schema_guard_backfill"

// Names returns the names of the triggers and the backfill procedure.
func (cc ColumnCopy) Names() CopyNames {
	t, n := cc.Table.Name, cc.To.Name
	return CopyNames{
		InsertTrigger: fitName("sg", t, n, "bi"),
		UpdateTrigger: fitName("sg", t, n, "bu"),
		Backfill:      fitName("sg_backfill", t, n),
	}
}

func (cc ColumnCopy) batch() int {
	if cc.Batch > 0 {
		return cc.Batch
	}
	return 1000
}

// expandColumn is the new column as phase 1 adds it: the final type, but nullable and without a
// default, so the old application's INSERTs, which do not name it, still work, and so a NULL in
// a BEFORE INSERT trigger means "not given" (a default would hide that).
func (cc ColumnCopy) expandColumn() *schema.Column {
	c := *cc.To
	c.Nullable, c.Default, c.OnUpdate, c.AutoIncrement, c.Invisible = true, nil, "", false, false
	return &c
}

// Expand is phase 1: the migration that adds the new column, the sync triggers and the backfill,
// and the new column's copies of the old column's secondary indexes.
func (cc ColumnCopy) Expand() Phase {
	t, o, n := schema.QuoteIdent(cc.Table.Name), schema.QuoteIdent(cc.From.Name), schema.QuoteIdent(cc.To.Name)
	names := cc.Names()
	ph := Phase{
		Title: "Expand: a migration of its own, deployed while the current application runs",
		Notes: []string{
			fmt.Sprintf("Add %s beside %s, nullable and without a default so that the deployed application's INSERTs, which do not name it, keep working.", n, o),
			fmt.Sprintf("The triggers copy every write to either column into the other: an INSERT that names only %s fills %s and the reverse; an UPDATE of either column is copied (NULL-safe, <=>).", o, n),
			fmt.Sprintf("The backfill copies the existing rows %d at a time; it sets %s so that the update trigger, which fires for every batch, leaves %s untouched. Run the CALL outside a transaction on a large table, so that each batch commits on its own.", cc.batch(), BackfillFlag, o),
		},
	}
	if cc.From.Generated != nil {
		// A generated column computes itself: no triggers, no backfill.
		ph.Notes = []string{fmt.Sprintf("%s is generated, so %s is added with the same expression; it needs neither triggers nor a backfill.", o, n)}
		ph.SQL = []string{fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s AFTER %s", t, cc.Schema.ColumnDefinition(cc.Table, cc.To), o)}
		return ph
	}
	// copyOld is the new column's value for a write of the old one: the value, or NULL when it
	// does not fit the new column.
	copyOld := "NEW." + o
	if guard := cc.fits("NEW." + o); guard != "" {
		copyOld = fmt.Sprintf("IF(%s, NEW.%s, NULL)", guard, o)
		ph.Notes = append(ph.Notes, fmt.Sprintf("A value of %s that %s cannot hold is not copied, so no write of the deployed application fails; %s stays NULL in that row, and the switch phase finds such rows.", o, n, n))
	}
	ph.SQL = []string{
		fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s AFTER %s", t, cc.Schema.ColumnDefinition(cc.Table, cc.expandColumn()), o),
		fmt.Sprintf(`CREATE TRIGGER %s BEFORE INSERT ON %s FOR EACH ROW
BEGIN
  IF NEW.%s IS NULL THEN
    SET NEW.%s = %s;
  ELSE
    SET NEW.%s = NEW.%s;
  END IF;
END`, schema.QuoteIdent(names.InsertTrigger), t, n, n, copyOld, o, n),
		fmt.Sprintf(`CREATE TRIGGER %s BEFORE UPDATE ON %s FOR EACH ROW
BEGIN
  IF NOT (NEW.%s <=> OLD.%s) THEN
    SET NEW.%s = %s;
  ELSEIF NOT (NEW.%s <=> OLD.%s) AND %s IS NULL THEN
    SET NEW.%s = NEW.%s;
  END IF;
END`, schema.QuoteIdent(names.UpdateTrigger), t, o, o, n, copyOld, n, n, BackfillFlag, o, n),
	}
	where := fmt.Sprintf("%s IS NULL AND %s IS NOT NULL", n, o)
	if guard := cc.fits(o); guard != "" {
		where += " AND " + guard
	}
	ph.SQL = append(ph.SQL, backfill(names.Backfill, t, fmt.Sprintf("%s = %s", n, o), where, cc.batch(), true)...)
	if add := cc.indexCopies(false); len(add) > 0 {
		ph.SQL = append(ph.SQL, fmt.Sprintf("ALTER TABLE %s %s", t, strings.Join(add, ", ")))
	}
	return ph
}

// backfill writes a batched UPDATE as a temporary procedure, its CALL and its DROP: a single
// UPDATE of a large table holds its row locks, and grows the undo log, until it ends; batches of
// a fixed size commit as they go. With flag, BackfillFlag is set while it runs.
func backfill(proc, table, set, where string, batch int, flag bool) []string {
	body := fmt.Sprintf(`  REPEAT
    UPDATE %s SET %s WHERE %s LIMIT %d;
  UNTIL ROW_COUNT() = 0 END REPEAT;`, table, set, where, batch)
	if flag {
		// The handler clears the flag when a batch fails, so the session's later writes are
		// synced again.
		body = fmt.Sprintf("  DECLARE EXIT HANDLER FOR SQLEXCEPTION\n  BEGIN\n    SET %s = NULL;\n    RESIGNAL;\n  END;\n  SET %s = 1;\n%s\n  SET %s = NULL;",
			BackfillFlag, BackfillFlag, body, BackfillFlag)
	}
	return []string{
		fmt.Sprintf("CREATE PROCEDURE %s()\nBEGIN\n%s\nEND", schema.QuoteIdent(proc), body),
		fmt.Sprintf("CALL %s()", schema.QuoteIdent(proc)),
		fmt.Sprintf("DROP PROCEDURE %s", schema.QuoteIdent(proc)),
	}
}

// Switch is phase 2: the application release and the deprecation.
func (cc ColumnCopy) Switch() Phase {
	return Phase{
		Title: "Switch: release the application, then deprecate the old column",
		Notes: []string{
			fmt.Sprintf("Release the application that reads and writes %s instead of %s. While old and new releases run side by side, the triggers keep both columns equal.",
				schema.QuoteIdent(cc.To.Name), schema.QuoteIdent(cc.From.Name)),
			fmt.Sprintf("Once no instance of the old release runs, list the old column in .schema-guard.yaml and merge that; the contract migration is allowed only once this is on the base branch:\n\ndeprecated:\n  - %s.%s",
				cc.Table.Name, cc.From.Name),
		},
	}
}

// Contract is phase 3: the migration that drops the triggers and the old column, moves the old
// column's keys to the new one and gives the new column its final definition.
func (cc ColumnCopy) Contract() Phase {
	t, o, n := schema.QuoteIdent(cc.Table.Name), schema.QuoteIdent(cc.From.Name), schema.QuoteIdent(cc.To.Name)
	names := cc.Names()
	ph := Phase{Title: "Contract: a later migration, once the deprecation is deployed"}
	if cc.From.Generated == nil {
		ph.SQL = append(ph.SQL, "DROP TRIGGER "+schema.QuoteIdent(names.InsertTrigger), "DROP TRIGGER "+schema.QuoteIdent(names.UpdateTrigger))
	}
	var clauses, allow []string
	for _, x := range cc.indexesWith() {
		if x.Primary {
			clauses = append(clauses, "DROP PRIMARY KEY")
			allow = append(allow, string(finding.AddUnique))
		} else {
			clauses = append(clauses, "DROP INDEX "+schema.QuoteIdent(x.Name))
		}
	}
	fks := cc.foreignKeysWith()
	for _, fk := range fks {
		clauses = append(clauses, "DROP FOREIGN KEY "+schema.QuoteIdent(fk.Name))
	}
	clauses = append(clauses, "DROP COLUMN "+o)
	final := cc.Schema.ColumnDefinition(cc.Table, cc.To)
	if cc.From.Generated == nil && !cc.sameAsExpand() {
		clauses = append(clauses, "MODIFY COLUMN "+final)
		if !cc.To.Nullable {
			allow = append(allow, string(finding.TightenNotNull))
		}
	}
	clauses = append(clauses, cc.indexCopies(true)...)
	for _, fk := range fks {
		clauses = append(clauses, "ADD "+cc.foreignKeyCopy(fk))
		allow = append(allow, string(finding.AddForeignKey))
	}
	alter := fmt.Sprintf("ALTER TABLE %s\n  %s", t, strings.Join(clauses, ",\n  "))
	if len(allow) > 0 {
		alter = fmt.Sprintf("-- %s %s the application released in phase 2 writes %s in every row\n%s",
			AllowPrefix, strings.Join(dedupe(allow), ","), cc.To.Name, alter)
		ph.Notes = append(ph.Notes, fmt.Sprintf("The suppression comment is for the rules that judge %s as if the old application still ran; the release of phase 2 writes it.", n))
	}
	ph.SQL = append(ph.SQL, alter)
	for _, ref := range cc.referencing() {
		ph.Notes = append(ph.Notes, fmt.Sprintf("Foreign key %s of %s references %s: point it at %s before this migration.", schema.QuoteIdent(ref.fk.Name), schema.QuoteIdent(ref.table), o, n))
	}
	return ph
}

// sameAsExpand reports whether the final column is the one phase 1 added: nullable, no
// default (the model writes a nullable column's missing default as NULL), nothing else.
func (cc ColumnCopy) sameAsExpand() bool {
	to := *cc.To
	if to.Default != nil && *to.Default == "NULL" {
		to.Default = nil
	}
	return cc.Schema.ColumnDefinition(cc.Table, &to) == cc.Schema.ColumnDefinition(cc.Table, cc.expandColumn())
}

// Plan is the whole replacement, with a summary naming the change.
func (cc ColumnCopy) Plan(summary string) Plan {
	if cc.From == nil || cc.To == nil || cc.Table == nil {
		return Plan{Summary: summary}
	}
	if cc.From.AutoIncrement {
		return Plan{Summary: summary, Phases: []Phase{{
			Title: "Keep the column: an AUTO_INCREMENT column cannot be copied by triggers",
			Notes: []string{fmt.Sprintf("A BEFORE INSERT trigger does not see the value AUTO_INCREMENT gives %s, so no trigger can keep a copy in step. Keep the column and alias it in the application (SELECT %s AS %s), or rebuild the table with gh-ost or pt-online-schema-change while the application is stopped.",
				schema.QuoteIdent(cc.From.Name), schema.QuoteIdent(cc.From.Name), schema.QuoteIdent(cc.To.Name))},
		}}}
	}
	return Plan{Summary: summary, Phases: []Phase{cc.Expand(), cc.Switch(), cc.Contract()}}
}

// PlanRenameColumn is the safe rename of column from of table t (as deployed) to the column to,
// whose name and definition are the wanted ones.
func PlanRenameColumn(s *schema.Schema, t *schema.Table, from, to *schema.Column) Plan {
	cc := ColumnCopy{Schema: s, Table: t, From: from, To: to}
	if from == nil || to == nil || t == nil {
		return Plan{}
	}
	return cc.Plan(fmt.Sprintf("Rename %s.%s to %s in three releases, so that every running release finds the column it uses:",
		schema.QuoteIdent(t.Name), schema.QuoteIdent(from.Name), schema.QuoteIdent(to.Name)))
}

// indexesWith returns the table's indexes that have the old column as a key part.
func (cc ColumnCopy) indexesWith() []*schema.Index {
	var out []*schema.Index
	for _, x := range cc.Table.Indexes {
		if x == nil {
			continue
		}
		for _, p := range x.Parts {
			if strings.EqualFold(p.Column, cc.From.Name) {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// indexCopies writes the ADD clauses of the old column's indexes over the new column. Phase 1
// builds the secondary ones (after the backfill, so each is built once); contract builds the
// primary key, which needs the new column NOT NULL, and SPATIAL indexes, which do too.
func (cc ColumnCopy) indexCopies(contract bool) []string {
	var out []string
	for _, x := range cc.indexesWith() {
		if (x.Primary || x.Type == "SPATIAL") != contract {
			continue
		}
		var parts []string
		for _, p := range x.Parts {
			switch {
			case p.Column == "":
				parts = append(parts, "("+p.Expr+")")
				continue
			case strings.EqualFold(p.Column, cc.From.Name):
				p.Column = cc.To.Name
			}
			s := schema.QuoteIdent(p.Column)
			if p.SubPart > 0 {
				s += fmt.Sprintf("(%d)", p.SubPart)
			}
			if p.Descending {
				s += " DESC"
			}
			parts = append(parts, s)
		}
		kind := "INDEX " + schema.QuoteIdent(cc.renamed(x.Name))
		switch {
		case x.Primary:
			kind = "PRIMARY KEY"
		case x.Type == "FULLTEXT" || x.Type == "SPATIAL":
			kind = x.Type + " " + kind
		case x.Unique:
			kind = "UNIQUE " + kind
		}
		out = append(out, fmt.Sprintf("ADD %s (%s)", kind, strings.Join(parts, ", ")))
	}
	return out
}

// renamed is the name of the new column's copy of a key named name: the old column's name
// replaced by the new one's where it appears, else the new column's name appended.
func (cc ColumnCopy) renamed(name string) string {
	lower, from := strings.ToLower(name), strings.ToLower(cc.From.Name)
	if i := strings.Index(lower, from); i >= 0 && from != "" {
		if n := name[:i] + cc.To.Name + name[i+len(from):]; !strings.EqualFold(n, name) {
			return fitName(n)
		}
	}
	return fitName(name, cc.To.Name)
}

// foreignKeysWith returns the table's foreign keys over the old column.
func (cc ColumnCopy) foreignKeysWith() []*schema.ForeignKey {
	var out []*schema.ForeignKey
	for _, fk := range cc.Table.ForeignKeys {
		if fk != nil && containsFold(fk.Columns, cc.From.Name) {
			out = append(out, fk)
		}
	}
	return out
}

// foreignKeyCopy writes the constraint of fk over the new column.
func (cc ColumnCopy) foreignKeyCopy(fk *schema.ForeignKey) string {
	cols := make([]string, len(fk.Columns))
	for i, c := range fk.Columns {
		cols[i] = c
		if strings.EqualFold(c, cc.From.Name) {
			cols[i] = cc.To.Name
		}
	}
	return fkConstraint(cc.renamed(fk.Name), cols, fk)
}

// fkConstraint writes a foreign key constraint named name over cols, referencing what fk
// references, with fk's actions. RESTRICT and NO ACTION, InnoDB's default, are left out.
func fkConstraint(name string, cols []string, fk *schema.ForeignKey) string {
	ref := schema.QuoteIdent(fk.RefTable)
	if fk.RefSchema != "" {
		ref = schema.QuoteIdent(fk.RefSchema) + "." + ref
	}
	s := fmt.Sprintf("CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)", schema.QuoteIdent(name), qis(cols), ref, qis(fk.RefColumns))
	for _, a := range []struct{ on, action string }{{"DELETE", fk.OnDelete}, {"UPDATE", fk.OnUpdate}} {
		if act := strings.ToUpper(strings.TrimSpace(a.action)); act != "" && act != "RESTRICT" && act != "NO ACTION" {
			s += " ON " + a.on + " " + act
		}
	}
	return s
}

type tableFK struct {
	table string
	fk    *schema.ForeignKey
}

// referencing returns the foreign keys of the schema's tables that reference the old column.
func (cc ColumnCopy) referencing() []tableFK {
	if cc.Schema == nil {
		return nil
	}
	var out []tableFK
	for _, t := range cc.Schema.Tables {
		if t == nil {
			continue
		}
		for _, fk := range t.ForeignKeys {
			if fk != nil && fk.RefSchema == "" && strings.EqualFold(fk.RefTable, cc.Table.Name) && containsFold(fk.RefColumns, cc.From.Name) {
				out = append(out, tableFK{t.Name, fk})
			}
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !containsFold(out, id) {
			out = append(out, id)
		}
	}
	return out
}
