package rules

import (
	"github.com/schema-guard/schema-guard/finding"
)

// Builtin documents the findings that other stages produce without a rule of the registry: the
// replay (replay-failed, skipped-statement, foreign-database), the migration history
// (edited-migration, deleted-migration, out-of-order, duplicate-version), discovery and splitting
// (ignored-file, client-command) and the drift check (drift, seed-drift). They are not in the
// registry because the configuration cannot turn them off or change their level: each one says
// the check itself could not be trusted, or that production and the repository disagree. They
// are documented here so that `schema-guard explain` and reports that carry rule metadata (SARIF)
// know every id a report can hold. Severity is the one the producing stage gives its findings.
// Every call builds fresh values, like the registry does, so no caller can change another's.
func Builtin() []*Rule {
	return []*Rule{
		replayFailedRule(),
		editedMigrationRule(),
		deletedMigrationRule(),
		outOfOrderRule(),
		duplicateVersionRule(),
		clientCommandRule(),
		foreignDatabaseRule(),
		ignoredFileRule(),
		checksumMismatchRule(),
		driftRule(),
		seedDriftRule(),
		declaredSQLModeRule(),
		skippedStatementRule(),
	}
}

// Describe returns the documentation of any rule id a report can hold, whether a registry rule
// or a builtin one (compared case-insensitively), or nil for an unknown id.
func Describe(id finding.RuleID) *Rule {
	reg, err := NewRegistry(nil)
	if err == nil {
		if r := reg.Lookup(id); r != nil {
			return r
		}
	}
	key := normalID(id)
	for _, r := range Builtin() {
		if r.ID == key {
			return r
		}
	}
	return nil
}

func replayFailedRule() *Rule {
	return &Rule{
		ID:       finding.ReplayFailed,
		Severity: finding.Error,
		Summary:  "a migration statement fails on the server; replay stops there",
		Doc: `Catches: a statement, deployed or pending, that the server rejects while the migrations are
replayed in order on an empty scratch database. The finding carries the server's error number,
SQLSTATE and text. Replay stops at the failing statement, so nothing after it was replayed or
judged: fix this finding first, then look at the rest.

Why it matters: the deploy would fail at the same statement, leaving the migration half
applied on servers that cannot roll DDL back (MySQL and MariaDB commit every DDL statement),
and every environment built from scratch (a new developer, CI, a restore) cannot get past it.

How to do it safely: make the statement run on a database in exactly the state the migrations
before it leave: name columns and keys that exist at that point, create what it references in
an earlier statement, and do not depend on data, users or settings only production has. A
statement that works only on another server version shows as such here; run the check with
that version (--image).

Example:
  bad:  ALTER TABLE payments ADD INDEX idx_provider (provider_id);
        -- Error 1072: Key column 'provider_id' doesn't exist in table
  good: ALTER TABLE payments ADD COLUMN provider_id BIGINT NULL,
                             ADD INDEX idx_provider (provider_id);`,
	}
}

func editedMigrationRule() *Rule {
	return &Rule{
		ID:       finding.EditedMigration,
		Severity: finding.Error,
		Summary:  "a deployed migration's content changed",
		Doc: `Catches: a migration file that exists at the base ref (production ran it) and whose content
differs in the change under review. The finding points at the first changed line. Replay uses
the base-ref content, as production did; a changed Flyway repeatable migration (R__) is not an
edit, it runs again.

Why it matters: environments that already ran the file never run it again, so the edit reaches
only new environments: production and a fresh database now differ, silently. Flyway and other
tools that checksum applied migrations refuse to migrate at all once they notice.

How to do it safely: revert the edit and put the change in a new migration after the newest
one. Only whitespace or a comment changed? Revert it anyway: checksums see every byte.

Example:
  bad:  V3__users.sql (deployed), edited from  email VARCHAR(100)  to  email VARCHAR(255)
  good: V3__users.sql as at the base ref, and a new
        V9__widen_email.sql: ALTER TABLE users MODIFY email VARCHAR(255) NOT NULL;`,
	}
}

func deletedMigrationRule() *Rule {
	return &Rule{
		ID:       finding.DeletedMigration,
		Severity: finding.Error,
		Summary:  "a deployed migration was removed or renamed",
		Doc: `Catches: a migration file that exists at the base ref but not in the change under review,
either removed or renamed (a file with the same content under another name). It is still
replayed, as production ran it. The finding names the file as it is at the base ref.

Why it matters: the migration history of every environment names the old file. A removed
migration stops new environments from building the schema production has. A renamed one is,
depending on the tool and the new name, an applied migration missing from the directory, a
description that no longer matches the history (Flyway's validate fails), or a new version
that runs a second time where the old one already ran.

How to do it safely: restore the file exactly as at the base ref. To undo what it did, write a
new migration that reverses it; to tidy a long history, squash it only with a baseline the
tool understands (Flyway B<version>__), agreed with whoever runs production.

Example:
  bad:  git mv db/migrations/V2__orders.sql db/migrations/V2__create_orders.sql
  good: keep V2__orders.sql; add V10__drop_legacy_orders.sql to undo it if need be`,
	}
}

func outOfOrderRule() *Rule {
	return &Rule{
		ID:       finding.OutOfOrder,
		Severity: finding.Error,
		Summary:  "a pending migration's version sorts before the newest deployed one",
		Doc: `Catches: a pending versioned migration whose version is lower than the newest version that
is already deployed, typically a branch that was started before another one was merged.

Why it matters: production has already run the newer version. Flyway and goose refuse to
migrate unless told to allow it; golang-migrate records only the newest version, so it never
runs the file anywhere that is already past it; the tools that do run it run it after the
newer migration, while a fresh database runs it before: production and new environments end up
built in different orders, one of which no test saw.

How to do it safely: rename the file to a version after the newest deployed one, and check
that it still makes sense on top of what that version did.

Example:
  bad:  deployed V7__orders.sql; pending V5__add_email.sql
  good: pending V8__add_email.sql`,
	}
}

func duplicateVersionRule() *Rule {
	return &Rule{
		ID:       finding.DuplicateVersion,
		Severity: finding.Error,
		Summary:  "two migrations have the same version",
		Doc: `Catches: a migration whose version another migration of the directory already has, compared
as the tool compares them (Flyway's V3 and V3.0 are one version). The finding is on the newer
file: the pending one, or the later in replay order. Repeatable migrations have no version; a
Flyway baseline may share the version of the migrations it stands in for.

Why it matters: migration tools key their history by version. Most refuse to start with two
migrations of one version; others run one of them and mark the version done, so the other
never runs anywhere. Two branches that picked the next free number at the same time do this.

How to do it safely: give the pending migration the next free version after the newest one.

Example:
  bad:  V12__add_email.sql and V12__add_phone.sql
  good: V12__add_email.sql and V13__add_phone.sql`,
	}
}

func clientCommandRule() *Rule {
	return &Rule{
		ID:       finding.ClientCommand,
		Severity: finding.Error,
		Summary:  "a mysql client command (DELIMITER) in a file whose tool sends SQL to the server",
		Doc: `Catches: a DELIMITER line in a golang-migrate, goose or dbmate migration. DELIMITER is a
command of the mysql command-line client, not SQL; Flyway and the plain format, which follow
the client, accept it.

Why it matters: those tools send the file's statements straight to the server, which answers
a syntax error at DELIMITER: the deploy fails although schema-guard's replay, which reads
DELIMITER, succeeded.

How to do it safely: remove the DELIMITER lines. The server reads a trigger's or a routine's
BEGIN … END as one statement when it gets it as one; in goose, wrap it in
-- +goose StatementBegin and -- +goose StatementEnd so goose does not split it at the inner
semicolons.

Example:
  bad:  DELIMITER $$
        CREATE TRIGGER users_bi BEFORE INSERT ON users FOR EACH ROW BEGIN ... END$$
        DELIMITER ;
  good: -- +goose StatementBegin
        CREATE TRIGGER users_bi BEFORE INSERT ON users FOR EACH ROW BEGIN ... END;
        -- +goose StatementEnd`,
	}
}

func foreignDatabaseRule() *Rule {
	return &Rule{
		ID:       finding.ForeignDatabase,
		Severity: finding.Error,
		Summary:  "a statement names another database; replay refuses it and stops",
		Doc: `Catches: a statement that reaches beyond the database being migrated: a table or column
qualified with a database name (CREATE TABLE shop.orders, a foreign key to billing.accounts),
ALTER DATABASE with another database's name, DROP DATABASE. schema-guard replays into its own
scratch database (schema_guard_<random>) and refuses such a statement rather than touch a
database that is not its own; replay stops there.

Why it matters: a migration that names its database works only in an environment where the
database has that name, and a cross-database reference ties the deploy of one schema to the
state of another, which this check cannot see. On a shared server, running it could change
data that belongs to someone else.

How to do it safely: leave the database qualifier out; the migration tool's connection picks
the database. A reference to another database belongs in the application, or in a migration of
that database's own directory.

Example:
  bad:  CREATE TABLE shop.orders (id BIGINT PRIMARY KEY);
  good: CREATE TABLE orders (id BIGINT PRIMARY KEY);`,
	}
}

func ignoredFileRule() *Rule {
	return &Rule{
		ID:       finding.IgnoredFile,
		Severity: finding.Warning,
		Summary:  "a file in the migrations directory that the format's tool would skip",
		Doc: `Catches: a .sql file in the migrations directory whose name the format does not recognise
(Flyway's V3_add.sql with one underscore, a golang-migrate file without .up.sql, a plain file
without a leading number), a Flyway callback (beforeMigrate.sql and the like), and a goose Go
migration, which schema-guard cannot replay.

Why it matters: the tool skips the file without a word, so what its author meant to change
never reaches any database, and this check, which replays what the tool would run, does not
judge it either. For a goose Go migration the check misses whatever the Go code changes.

How to do it safely: rename the file to the format's pattern (see the message), or move files
that are not migrations out of the directory. For goose Go migrations, keep the schema change
in a .sql migration and leave only data work to Go.

Example:
  bad:  db/migrations/V3_add_email.sql        -- one underscore: Flyway skips it
  good: db/migrations/V3__add_email.sql`,
	}
}

func checksumMismatchRule() *Rule {
	return &Rule{
		ID:       finding.ChecksumMismatch,
		Severity: finding.Error,
		Summary:  "Atlas's atlas.sum no longer matches the migration files",
		Doc: `Catches: an Atlas migration directory whose atlas.sum does not match its files: a file added,
edited or removed without atlas migrate hash, or atlas.sum edited by hand. The finding sits at
the line of atlas.sum that atlas migrate validate names ("L5: 3_add.sql was added").

Why it matters: atlas migrate apply validates the directory before it runs anything and
refuses to run any migration when the sum does not match, so the deploy fails; and a deployed
file edited behind the sum's back leaves environments that ran the old and the new content.

How to fix it: if no environment has run the files involved, run atlas migrate hash and
commit atlas.sum; if a deployed file was edited, revert it and put the change in a new
migration.

Example:
  bad:  a new 20240105_add_email.sql committed without rehashing
  good: atlas migrate new add_email (or atlas migrate hash after writing it)`,
	}
}

func driftRule() *Rule {
	return &Rule{
		ID:       finding.Drift,
		Severity: finding.Error,
		Summary:  "the migrations' result differs from the declared schema",
		Doc: `Catches: a difference between the schema the migrations produce and the declared state kept
in the repository (--schema): a table, column, index, foreign key, check, option, view,
trigger or routine that is missing, extra or different. Both are loaded on the same server and
introspected the same way, so spelling the server normalises does not count. The finding sits
on the declared object, or on the migration statement that made an object the declaration
lacks, and its fix is the SQL that reconciles.

Why it matters: the declared schema is what reviewers read and what tools such as Skeema or
Atlas apply; when the migrations build something else, production (built by the migrations)
is not what everybody believes it is.

How to do it safely: decide which side is right. If the declaration is, add a migration with
the fix (schema-guard diff --write writes it in the directory's format). If the migrations
are, update the declared file (schema-guard dump writes one per object). A rename looks like a
drop and an add: say so in the declared file with -- schema-guard:renamed-from <old name>.

Example:
  declared: CREATE TABLE users (id BIGINT PRIMARY KEY, email VARCHAR(255) NOT NULL);
  migrations create email as VARCHAR(100)
  fix:      ALTER TABLE users MODIFY COLUMN email varchar(255) NOT NULL;`,
	}
}

func declaredSQLModeRule() *Rule {
	return &Rule{
		ID:       finding.DeclaredSQLMode,
		Severity: finding.Notice,
		Summary:  "the declared schema sets sql_mode values this server does not accept; they were left out",
		Doc: `Catches: a SET sql_mode in the declared state (usually a dump) that names modes the server
rejects, such as NO_AUTO_CREATE_USER, which mysqldump 5.7 writes before every trigger and
routine and which MySQL 8.0 removed, or MySQL's TIME_TRUNCATE_FRACTIONAL on MariaDB. Each mode is
tried on the server alone; the ones it rejects are left out and the rest is set, so the state
loads. One notice lists them all, at the first such statement.

Why it matters: the modes describe the server that wrote the dump, not the schema; without
this the declared state would not load on a newer server at all. The triggers and routines
after the SET are created without those modes, which is what that server would do with them.

How to do it safely: nothing is needed for the check. To silence the notice, dump the declared
schema again from a server of the version you run (schema-guard dump writes one), or remove the
modes from the SET sql_mode statements.

Example:
  declared: /*!50003 SET sql_mode = 'STRICT_TRANS_TABLES,NO_AUTO_CREATE_USER' */ ;
  on MySQL 8.0+ it loads as SET sql_mode = 'STRICT_TRANS_TABLES', with this notice`,
	}
}

func seedDriftRule() *Rule {
	return &Rule{
		ID:       finding.SeedDrift,
		Severity: finding.Error,
		Summary:  "a row of a seed table differs from the declared INSERTs after the migrations",
		Doc: `Catches: a row of a seed table (seed_tables: in .schema-guard.yaml, or --seed-tables) that is
missing, extra or different after the migrations, compared by primary key with the declared
state's INSERTs. The fix is the INSERT, DELETE or UPDATE that reconciles the row.

Why it matters: seed tables hold reference data the application relies on (countries, plans,
permissions). A row the migrations forgot is a feature that fails in production and works in a
developer's database loaded from the declared files, or the other way round.

How to do it safely: add the fix to a new migration, or change the declared INSERTs when the
migrations are right. Seed tables need a primary key, so rows can be matched.

Example:
  declared:   INSERT INTO plans (id, name) VALUES (1, 'free'), (2, 'pro');
  migrations: insert only (1, 'free')
  fix:        INSERT INTO plans (id, name) VALUES (2, 'pro');`,
	}
}

func skippedStatementRule() *Rule {
	return &Rule{
		ID:       finding.SkippedStatement,
		Severity: finding.Notice,
		Summary:  "a statement was deliberately not run during replay",
		Doc: `Catches: a statement replay leaves out on purpose, and goes on: USE and CREATE DATABASE
(replay runs in its own scratch database), and on a shared server (the dsn engine) statements
that act on the whole server: accounts, roles and grants, SET GLOBAL, FLUSH, KILL. The
container engine runs the server-level statements.

Why it matters: nothing broke, but nothing checked the statement either: whether it works, and
what it changes, was not seen. A migration that depends on a USE to pick its database works
only where that database exists under that name.

How to do it safely: usually nothing to do. Prefer migrations that leave database selection to
the tool's connection, and keep accounts and server settings out of schema migrations
(provisioning owns them).

Example:
  USE shop;                 -- notice: not run, replay uses its own database
  CREATE TABLE orders (id BIGINT PRIMARY KEY);`,
	}
}
