package schema

import (
	"regexp"
	"strings"
)

// MySQL with binary logging (production, almost always) refuses an ALTER TABLE that adds a column
// while any column definition in the statement has a default that may differ on a replica
// (UUID(), RAND(), USER(), …): error 1674, "Statement is unsafe because it uses a system function
// that may return a different value on the replica". That holds for the added column's own
// default and for a MODIFY COLUMN of another column in the same statement; a MODIFY alone, or
// ALTER COLUMN … SET DEFAULT, is accepted. So on MySQL such defaults leave the ALTER TABLE that
// adds a column, and are set right after it with ALTER COLUMN … SET DEFAULT. Rows that exist when
// the column is added get the column's implicit default, as they would under any split.

// unsafeDefaultFunc finds the functions MySQL 9.7 treats so in an expression default (tried on
// the server: the time functions, CONNECTION_ID() and UNIX_TIMESTAMP() are accepted).
var unsafeDefaultFunc = regexp.MustCompile(`(?i)\b(uuid|uuid_short|rand|random_bytes|sysdate|user|current_user|session_user|system_user)\s*\(`)

// unsafeDefault reports whether c's default is an expression with such a function.
func unsafeDefault(c *Column) bool {
	return c != nil && c.Default != nil && strings.HasPrefix(*c.Default, "(") && unsafeDefaultFunc.MatchString(*c.Default)
}

// deferUnsafeDefaults rewrites, on MySQL, the column clauses of an ALTER TABLE that adds a column
// so that no clause carries an unsafe default, and moves those defaults to a follow-up statement.
// A missing column's Fix gets the same split.
func (d *differ) deferUnsafeDefaults(td *tableDiff, tt *Table, tctx colContext, checks *checkPlan) {
	if !d.f.IsMySQL() {
		return
	}
	adds := false
	for _, c := range td.columns {
		adds = adds || strings.HasPrefix(c, "ADD COLUMN ")
	}
	var sets []string
	for _, tc := range tt.Columns {
		if !unsafeDefault(tc) {
			continue
		}
		lower := strings.ToLower(tc.Name)
		def := tctx.columnDef(tc, checks.inline[lower])
		bare := *tc
		bare.Default = nil
		plain := tctx.columnDef(&bare, checks.inline[lower])
		set := "ALTER COLUMN " + quoteIdent(tc.Name) + " SET DEFAULT " + *tc.Default
		for i, clause := range td.columns {
			for _, head := range []string{"ADD COLUMN ", "MODIFY COLUMN "} {
				if adds && strings.HasPrefix(clause, head+def) {
					td.columns[i] = head + plain + strings.TrimPrefix(clause, head+def)
					sets = append(sets, set)
				}
			}
		}
		for i, c := range d.changes {
			if c.Kind == KindColumn && c.Change == Missing && c.Table == tt.Name && strings.EqualFold(c.Name, tc.Name) &&
				len(c.Fix) == 1 && strings.Contains(c.Fix[0], "ADD COLUMN "+def) {
				d.changes[i].Fix = []string{strings.Replace(c.Fix[0], "ADD COLUMN "+def, "ADD COLUMN "+plain, 1),
					alterTable(tt.Name, []string{set})}
			}
		}
	}
	if len(sets) > 0 {
		td.followUp = append([]string{alterTable(tt.Name, sets)}, td.followUp...)
	}
}
