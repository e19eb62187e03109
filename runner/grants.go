package runner

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/internal/sqllex"
	"github.com/schema-guard/schema-guard/introspect"
)

// checkGrants reads the DSN account's grants (SHOW GRANTS, and the grants of its roles) and
// returns an error naming the first privilege that reaches beyond schema_guard_ databases:
// when the account cannot create a sandbox account, migrations run with these grants.
func checkGrants(ctx context.Context, db *sql.DB, account string) error {
	broad, err := broadGrant(ctx, db, "", 0)
	if err != nil {
		return fmt.Errorf("read the account's grants: %w", err)
	}
	if broad == "" {
		return nil
	}
	return fmt.Errorf("the DSN's account %s holds %s, beyond its own schema_guard_ databases, and may not create users, so the migrations — untrusted input — would run with it; "+
		"use an account with only GRANT ALL ON `schema\\_guard\\_%%`.*, or one that may create users "+
		"(GRANT CREATE USER ON *.*, and GRANT ALL ON `schema\\_guard\\_%%`.* WITH GRANT OPTION) so that each run gets an account of its own, "+
		"or pass --throwaway-server (throwaway_server: true) if the server holds nothing but this check's databases", account, broad)
}

// broadGrant returns the first grant of the account (for "", the current one) or role that
// reaches beyond schema_guard_ databases, described, or "".
func broadGrant(ctx context.Context, db *sql.DB, of string, depth int) (string, error) {
	query := "SHOW GRANTS"
	if of != "" {
		query += " FOR " + of
	}
	var grants []string
	err := introspect.QueryRows(ctx, db, query, nil, func(rows *sql.Rows) error {
		var g string
		if err := rows.Scan(&g); err != nil {
			return err
		}
		grants = append(grants, g)
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, g := range grants {
		privileges, object, roles := readGrant(g)
		switch {
		case roles != nil:
			if depth >= 3 {
				return "role " + strings.Join(roles, ", ") + " (roles nested too deep to read)", nil
			}
			for _, r := range roles {
				if broad, err := broadGrant(ctx, db, r, depth+1); err != nil || broad != "" {
					if err != nil {
						return "role " + r + " (whose grants cannot be read)", nil
					}
					return broad + " through role " + r, nil
				}
			}
		case object == "":
			// REVOKE lines (partial revokes) only take privileges away.
		case !confined(privileges, object):
			return fmt.Sprintf("%s ON %s (%s)", privileges, object, oneLineGrant(g)), nil
		}
	}
	return "", nil
}

// readGrant reads one line of SHOW GRANTS: the privileges and the object of a privilege grant,
// or the roles of a role grant (GRANT `r`@`%` TO …). A line that is neither gives "", "", nil.
func readGrant(g string) (privileges, object string, roles []string) {
	toks, _ := sqllex.Tokens(g)
	if len(toks) == 0 || !toks[0].Is("GRANT") {
		return "", "", nil
	}
	on, to := -1, -1
	for i, t := range toks {
		switch {
		case t.Is("ON") && on < 0 && to < 0:
			on = i
		case t.Is("TO") && to < 0:
			to = i
		}
	}
	if to < 0 {
		return "", "", nil
	}
	text := func(from, until int) string {
		if from >= until {
			return ""
		}
		return strings.TrimSpace(g[toks[from].Start:toks[until-1].End])
	}
	if on < 0 {
		for _, r := range strings.Split(text(1, to), ",") {
			roles = append(roles, strings.TrimSpace(r))
		}
		return "", "", roles
	}
	return text(1, on), text(on+1, to), nil
}

// confined reports whether privileges on object stay inside schema_guard_ databases: USAGE
// (no privilege at all) anywhere, anything on a database whose name pattern can only match
// names that start with schema_guard_, or on a table or routine in one.
func confined(privileges, object string) bool {
	if strings.EqualFold(strings.TrimSpace(privileges), "USAGE") {
		return true
	}
	toks, _ := sqllex.Tokens(object)
	if len(toks) > 0 && (toks[0].Is("PROCEDURE") || toks[0].Is("FUNCTION") || toks[0].Is("TABLE")) {
		toks = toks[1:]
	}
	if len(toks) < 3 || toks[1].Text != "." || (toks[0].Kind != sqllex.Ident && toks[0].Kind != sqllex.Word) {
		return false // *.*, a proxy grant, or something this reader does not know
	}
	return likePrefix(toks[0].Text, toks[2].Text == "*")
}

// likePrefix reports whether every name the LIKE pattern matches starts with schema_guard_. A
// database-level grant's name is a pattern (`schema\_guard\_%`), a table-level one's a name.
func likePrefix(pattern string, isPattern bool) bool {
	if !isPattern {
		return strings.HasPrefix(pattern, DatabasePrefix)
	}
	var literal strings.Builder
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern):
			i++
			literal.WriteByte(pattern[i])
		case c == '_' || c == '%':
			return strings.HasPrefix(literal.String(), DatabasePrefix)
		default:
			literal.WriteByte(c)
		}
		if literal.Len() >= len(DatabasePrefix) {
			return strings.HasPrefix(literal.String(), DatabasePrefix)
		}
	}
	return strings.HasPrefix(literal.String(), DatabasePrefix)
}

// oneLineGrant shortens a grant for a message, without the password hash MariaDB prints.
func oneLineGrant(g string) string {
	if i := strings.Index(strings.ToUpper(g), " IDENTIFIED BY"); i >= 0 {
		g = g[:i]
	}
	return g
}
