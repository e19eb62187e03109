package copier

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// The table's own foreign keys (those of other tables that reference it are refused: the
// cut-over's RENAME would leave them on the old table). CREATE TABLE … LIKE does not copy
// foreign keys, and their names are unique in a database while the original holds them, so
// the shadow gets each under a temporary name, and after the cut-over, once the old table is
// dropped, they get their names back in place: dropping and adding a foreign key with
// foreign_key_checks off changes only metadata (ALGORITHM=INPLACE, LOCK=NONE).

// foreignKey is one of the table's own foreign keys, as SHOW CREATE TABLE writes it.
type foreignKey struct {
	name string // the server's name for it
	body string // "FOREIGN KEY (`a`) REFERENCES `p` (`id`) ON DELETE CASCADE"
}

// shadowName is the key's name on the shadow table until the cut-over.
func (fk foreignKey) shadowName() string { return "_" + fk.name }

// foreignKeyLine is a foreign key's line in SHOW CREATE TABLE.
var foreignKeyLine = regexp.MustCompile("^\\s*CONSTRAINT `((?:[^`]|``)+)` (FOREIGN KEY .*?),?$")

// readForeignKeys reads the table's own foreign keys.
func readForeignKeys(ctx context.Context, q querier, table string) ([]foreignKey, error) {
	var name, create string
	if err := q.QueryRowContext(ctx, "SHOW CREATE TABLE "+schema.QuoteIdent(table)).Scan(&name, &create); err != nil {
		return nil, fmt.Errorf("read the foreign keys of %s: %w", table, err)
	}
	var fks []foreignKey
	for _, line := range strings.Split(create, "\n") {
		if m := foreignKeyLine.FindStringSubmatch(line); m != nil {
			fks = append(fks, foreignKey{name: strings.ReplaceAll(m[1], "``", "`"), body: m[2]})
		}
	}
	return fks, nil
}

// checkForeignKeys refuses what the copier cannot do with the table's foreign keys: an ALTER
// that drops one (the shadow does not have it under that name), a key that references the table
// itself, and a name too long for the temporary prefix.
func checkForeignKeys(table string, p *alterPlan, fks []foreignKey) error {
	for _, fk := range fks {
		if slices.Contains(p.droppedForeignKeys, strings.ToLower(fk.name)) {
			return &Refusal{Reason: fmt.Sprintf("the ALTER drops foreign key %s of %s; drop it in place first (ALTER TABLE %s DROP FOREIGN KEY %s changes only metadata), then copy the rest", fk.name, table, schema.QuoteIdent(table), schema.QuoteIdent(fk.name))}
		}
		if strings.Contains(fk.body, "REFERENCES "+schema.QuoteIdent(table)+" ") {
			// On the shadow it would reference the original, and the cut-over's RENAME would
			// take the reference along to the old table.
			return &Refusal{Reason: fmt.Sprintf("foreign key %s of %s references the table itself; the copier does not change self-referencing tables", fk.name, table)}
		}
		if len(fk.shadowName()) > 64 {
			return &Refusal{Reason: fmt.Sprintf("foreign key %s of %s has a name of 64 characters, and the copier needs one more for its temporary name", fk.name, table)}
		}
	}
	return nil
}

// addShadowForeignKeys gives the shadow the table's foreign keys under their temporary names.
func addShadowForeignKeys(ctx context.Context, conn *sql.Conn, n names, fks []foreignKey) error {
	if len(fks) == 0 {
		return nil
	}
	clauses := make([]string, len(fks))
	for i, fk := range fks {
		clauses[i] = "ADD CONSTRAINT " + schema.QuoteIdent(fk.shadowName()) + " " + fk.body
	}
	if _, err := conn.ExecContext(ctx, "ALTER TABLE "+schema.QuoteIdent(n.shadow)+" "+strings.Join(clauses, ", ")); err != nil {
		if me := mysqlError(err); me != nil {
			return &Refusal{Reason: fmt.Sprintf("the server refuses the foreign keys of %s on the shadow table: Error %d: %s", n.table, me.Number, me.Message)}
		}
		return fmt.Errorf("add the foreign keys to the shadow table: %w", err)
	}
	return nil
}

// restoreForeignKeyNames gives the new table's foreign keys their names back, once the old
// table that held them is gone. foreign_key_checks is off for that statement only: the keys
// and the rows are the ones the copy checked, and with checks off the server changes only the
// metadata instead of checking every row again.
func restoreForeignKeyNames(ctx context.Context, conn *sql.Conn, table string, fks []foreignKey) error {
	clauses := make([]string, 0, 2*len(fks))
	for _, fk := range fks {
		clauses = append(clauses, "DROP FOREIGN KEY "+schema.QuoteIdent(fk.shadowName()), "ADD CONSTRAINT "+schema.QuoteIdent(fk.name)+" "+fk.body)
	}
	if _, err := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 0"); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, "ALTER TABLE "+schema.QuoteIdent(table)+" "+strings.Join(clauses, ", ")+", ALGORITHM=INPLACE, LOCK=NONE")
	if _, rerr := conn.ExecContext(ctx, "SET SESSION foreign_key_checks = 1"); err == nil {
		err = rerr
	}
	return err
}

// foreignKeyNotes says which foreign keys keep their temporary names, and how to rename them.
func foreignKeyNotes(table string, fks []foreignKey, why string) []string {
	var notes []string
	for _, fk := range fks {
		notes = append(notes, fmt.Sprintf("foreign key %s of %s is named %s (%s); rename it with: SET foreign_key_checks = 0; ALTER TABLE %s DROP FOREIGN KEY %s, ADD CONSTRAINT %s %s, ALGORITHM=INPLACE, LOCK=NONE",
			fk.name, table, fk.shadowName(), why, schema.QuoteIdent(table), schema.QuoteIdent(fk.shadowName()), schema.QuoteIdent(fk.name), fk.body))
	}
	return notes
}
