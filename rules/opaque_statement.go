package rules

import "github.com/schema-guard/schema-guard/finding"

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
		Statement: checkOpaqueStatement,
	}
}

func checkOpaqueStatement(ctx *Context) []finding.Finding {
	if ctx.Statement.Parsed {
		return nil
	}
	return []finding.Finding{{
		Rule: finding.OpaqueStatement, Severity: finding.Notice,
		Message: "the SQL parser cannot read this statement (" + ctx.Statement.ParseError + "): the rules judged what the server did (the schema before and after it, where a rename looks like a drop and an add), not what only its text says; it was replayed, and the old-app probe ran after it",
	}}
}
