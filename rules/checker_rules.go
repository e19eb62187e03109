package rules

import "github.com/schema-guard/schema-guard/finding"

// The rules in this file have no Statement or File function: the checker produces their
// findings (it runs the probes, sees the parser fail, reads the suppression comments). They are
// registered so that `schema-guard explain` documents them and the configuration can set their
// level like any other rule's.

func oldAppBreakRule() *Rule {
	return &Rule{
		ID:       finding.OldAppBreak,
		Severity: finding.Error,
		Summary:  "the deployed application's own statements fail after the change (measured, not guessed)",
		Doc: `Catches: a pending statement after which statements of the deployed application fail on
the replayed database. After every pending statement schema-guard runs probes derived from the
deployed schema of each touched table: an INSERT naming only the columns the application must
supply, an UPDATE and a SELECT naming every deployed column. A probe that worked before the
statement and fails after it is evidence; the finding lists each probe and the server's error.

Why it matters: the deployed application keeps serving while the migration runs and until the
new release replaces it. A probe failure is what its own queries will do in production: 1054
(unknown column), 1364 (no default), 1048 (NULL), 1406 (data too long), 1146 (no such table).

When a compatibility rule has already flagged the same statement and table, the evidence is
attached to that rule's finding instead (one problem, one finding; a suppression of it covers the
evidence), and that rule's severity stands: the probe writes the extremes of each deployed type,
which the application may or may not write. Evidence never joins an availability finding
(blocking-ddl), where a break would hide behind a notice. A rule turned off does not hide what the
probe sees: the break is then reported here; turn this rule off, or suppress it, to silence it.

How to do it safely: follow the fix of the rule that names the change (expand first, switch the
application, contract in a later release), or make the change accept what the application does.

Example:
  bad:  ALTER TABLE users ADD COLUMN email varchar(255) NOT NULL;
        -- probe: INSERT INTO users (name) VALUES (...) -> Error 1364
  good: ALTER TABLE users ADD COLUMN email varchar(255) NOT NULL DEFAULT '';`,
	}
}

func opaqueStatementRule() *Rule {
	return &Rule{
		ID:       finding.OpaqueStatement,
		Severity: finding.Notice,
		Summary:  "the SQL parser could not read the statement: it was judged by what the server did, not by its text",
		Doc: `Catches: a pending statement the SQL parser cannot read: CREATE TRIGGER, CREATE EVENT,
some MariaDB-only syntax (CREATE OR REPLACE TABLE, SEQUENCE, WITH SYSTEM VERSIONING,
ALGORITHM=NOCOPY), ADD SPATIAL INDEX.

Why it matters: the rules still judged what the server did — the whole schema is read just
before and just after such a statement, and a dropped column, a new NOT NULL column or a new
unique key are reported like those of any ALTER — but not what only the text says: a rename
looks like a drop and an add, and how the server runs it (ALGORITHM, LOCK) is not measured.
It was replayed on the real server, so a syntax or semantic error would have failed the
check, and the old-app probes ran after it.

How to do it safely: review the statement by hand for what its text says. When it is a
stored program that schema-guard's own fixes produce (sync triggers, backfill procedures),
nothing more is needed. Turn the rule off (rules: {opaque-statement: off}) if such notices
are noise for the project.

Example:
  CREATE TRIGGER users_bi BEFORE INSERT ON users FOR EACH ROW SET NEW.email = LOWER(NEW.email);
  -- notice: replayed and probed, judged by what it did, not by its text`,
	}
}

func badSuppressionRule() *Rule {
	return &Rule{
		ID:       finding.BadSuppression,
		Severity: finding.Warning,
		Summary:  "a schema-guard:allow comment without a reason or naming an unknown rule",
		Doc: `Catches: a suppression comment that cannot count: one that names no rule, gives no
reason, or names a rule id that does not exist (a typo, or a rule of another tool).

Why it matters: a suppression lets a forbidden change through, so a reviewer must see why it is
safe here; a comment without a reason, or with a misspelt rule id, suppresses nothing and
leaves the finding standing, which is confusing in review.

How to do it right: put the comment on the lines right before the statement, name the rules
(comma separated, no spaces), then say why the change is safe:

  -- schema-guard:allow <rule>[,<rule>] <why this is safe here>

Example:
  bad:  -- schema-guard:allow drop-colum
        ALTER TABLE users DROP COLUMN surname;
  good: -- schema-guard:allow drop-column the reporting job stopped reading it in 4.2
        ALTER TABLE users DROP COLUMN surname;`,
	}
}
