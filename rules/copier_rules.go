package rules

import (
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
)

// These rules judge the verdict of the online copier's dry run, which the checker runs on
// sampled data for a pending ALTER of a deployed table and hands over in Context.DryRun.

func copierDataLossRule() *Rule {
	return &Rule{
		ID:       finding.CopierDataLoss,
		Severity: finding.Error,
		Summary:  "the online copier's dry run lost, added or changed rows compared with the plain ALTER",
		Doc: `Catches: a pending ALTER TABLE (or CREATE INDEX) on a deployed table whose online copy, dry-run
on sampled data while a synthetic writer inserts, updates and deletes through the table, ends
with rows the plain ALTER would not give: rows lost, added or changed. The finding gives the
counts and up to five example keys.

Why it matters: big tables are changed with an online copier, not a blocking ALTER. The copiers
people use copy with INSERT IGNORE and turn strict-mode errors into warnings, so a unique key
added over duplicates drops rows and a narrowed column truncates, silently. schema-guard's own
copier refuses instead; this finding means a copy went wrong anyway, and must be looked at
before this change runs on production data.

How to do it safely: make the data fit the new definition first (the finding's examples show
which rows), or change the ALTER; then run it with schema-guard copy.

Example:
  ALTER TABLE users ADD UNIQUE KEY uq_email (email);  -- over duplicate emails
  -> a copier with INSERT IGNORE keeps one row per email and drops the others`,
		Statement: checkCopierDataLoss,
	}
}

func copierFailedRule() *Rule {
	return &Rule{
		ID:       finding.CopierFailed,
		Severity: finding.Error,
		Summary:  "the online copier's dry run failed",
		Doc: `Catches: a pending ALTER TABLE (or CREATE INDEX) on a deployed table whose online copy failed in
the dry run for a reason other than the data: the ALTER did not apply to the shadow table, the
cut-over did not get its lock, a chunk diverged twice from the original.

Why it matters: the same run on production would fail too, after copying part of the table.

How to do it safely: read the detail; run the statement with schema-guard copy on a copy of the
table, or split the ALTER.

Example:
  ALTER TABLE orders ADD COLUMN total INT AS (qty * price) STORED;  -- overflows for some rows`,
		Statement: checkCopierFailed,
	}
}

func copierRefusedRule() *Rule {
	return &Rule{
		ID:       finding.CopierRefused,
		Severity: finding.Warning,
		Summary:  "the online copier would refuse this change, and says what the data must look like",
		Doc: `Catches: a pending ALTER TABLE (or CREATE INDEX) on a deployed table that the online copier
refuses: the table has no key to copy it by, other tables' foreign keys reference it, it has
triggers, the ALTER renames a column or drops the copy key — or, in the dry run, a sampled or
edge row (a duplicate for a new unique key, a value too long for a narrowed column, a NULL for a
column becoming NOT NULL) that the new definition cannot hold. The finding says why, with the
row's key when a row stopped it, and what the data must look like for the copy to pass.

Why it matters: the copier stops safely rather than lose the row, so production is not harmed;
but the change cannot be made online as written.

How to do it safely: clean the data first (the finding says which constraint), or give the copier
what it needs (a primary key, a rename mapping); or accept a blocking ALTER in a maintenance
window on a small table.

Example:
  ALTER TABLE users MODIFY name VARCHAR(20);  -- some names are longer
  -> refused at row id=42: Data too long for column 'name'`,
		Statement: checkCopierRefused,
	}
}

func checkCopierDataLoss(ctx *Context) []finding.Finding {
	v := ctx.DryRun
	if v == nil || v.Verdict != Lossy {
		return nil
	}
	return []finding.Finding{{
		Rule: finding.CopierDataLoss, Severity: finding.Error, Table: v.Table,
		Message: fmt.Sprintf("the online copy of `%s`, dry-run on %d sampled rows under concurrent writes, loses %d rows, adds %d and changes %d compared with the plain ALTER (%s)",
			v.Table, v.SampleRows, v.RowsLost, v.RowsAdded, v.RowsChanged, strings.Join(v.Examples, ", ")),
		Fix: v.Detail,
	}}
}

func checkCopierFailed(ctx *Context) []finding.Finding {
	v := ctx.DryRun
	if v == nil || v.Verdict != Failed {
		return nil
	}
	return []finding.Finding{{
		Rule: finding.CopierFailed, Severity: finding.Error, Table: v.Table,
		Message: fmt.Sprintf("the online copy of `%s` failed in the dry run: %s", v.Table, firstLine(v.Detail)),
		Fix:     v.Detail,
	}}
}

func checkCopierRefused(ctx *Context) []finding.Finding {
	v := ctx.DryRun
	if v == nil || v.Verdict != Refused {
		return nil
	}
	if v.BeforeCopy && ctx.Online != nil && !ctx.Online.Blocking() {
		// The server runs this ALTER online in place: production needs no copier, and a
		// refusal for the table's shape (not its data) changes nothing there.
		return nil
	}
	f := finding.Finding{
		Rule: finding.CopierRefused, Severity: finding.Warning, Table: v.Table,
		Message: fmt.Sprintf("the online copier would refuse this change of `%s`: %s", v.Table,
			strings.TrimPrefix(firstLine(v.Detail), "the copier refuses: ")),
		Fix: v.Detail,
	}
	if v.BeforeCopy {
		f.Fix = "The copier cannot change this table as it is; change it another way: an ALTER the server runs " +
			"online (ALGORITHM=INSTANT, or INPLACE with LOCK=NONE), or first remove what the copier refuses.\n" + v.Detail
	}
	return []finding.Finding{f}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
