package rules

import "github.com/schema-guard/schema-guard/finding"

// The copier's dry run produces the findings of these rules; they are registered for their
// documentation and their configurable level.

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
	}
}
