package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// A run's name says when it started and which run it is, and every database and account the
// run creates carries it: schema_guard_<UTC yyyymmddhhmm>_<run>_<n> and sg_<yyyymmddhhmm>_<run>.
// A run killed with SIGKILL cannot clean up; the next run reads the time off the names of what
// it left, names what is older than an hour, and `schema-guard cleanup` removes exactly that —
// never a database or account of a run still going, nor anything not schema-guard's.

// runName identifies one run on a server.
type runName struct {
	stamp string // UTC yyyymmddhhmm
	id    string // 8 hex digits
}

func newRunName(id string, now time.Time) runName {
	if id == "" {
		id = randomHex(4)
	}
	return runName{stamp: now.UTC().Format("200601021504"), id: strings.ToLower(id)}
}

// databasePrefix starts the names of the run's databases: schema_guard_<stamp>_<id>_.
func (r runName) databasePrefix() string {
	return DatabasePrefix + r.stamp + "_" + r.id + "_"
}

// databasePattern is the LIKE pattern of the run's databases, for GRANT and SHOW DATABASES.
func (r runName) databasePattern() string {
	return likeEscape(r.databasePrefix()) + "%"
}

// account is the name of the run's sandbox account: sg_<stamp>_<id> (24 characters, within
// MySQL's 32).
func (r runName) account() string { return "sg_" + r.stamp + "_" + r.id }

// Leftover is a database or account a run left behind.
type Leftover struct {
	Kind    string // "database" or "account"
	Name    string // the database, or the account's user name
	Host    string // the account's host; "" for a database
	Created time.Time
}

func (l Leftover) String() string {
	if l.Kind == "account" {
		return fmt.Sprintf("account '%s'@'%s' (created %s)", l.Name, l.Host, l.Created.Format("2006-01-02 15:04 UTC"))
	}
	return fmt.Sprintf("database %s (created %s)", l.Name, l.Created.Format("2006-01-02 15:04 UTC"))
}

// Run is the id of the run that made it: the 8 hex digits after the time in its name.
func (l Leftover) Run() string {
	re := runDatabase
	if l.Kind == "account" {
		re = runAccount
	}
	run, _, _ := parseRunObject(re, l.Name)
	return run.id
}

var (
	runDatabase = regexp.MustCompile(`^schema_guard_([0-9]{12})_([0-9a-f]{8})_[0-9]+$`)
	runAccount  = regexp.MustCompile(`^sg_([0-9]{12})_([0-9a-f]{8})$`)
)

// parseRunObject reads the run's time off a database or account name; ok is false for names
// that are not a run's.
func parseRunObject(re *regexp.Regexp, name string) (run runName, created time.Time, ok bool) {
	m := re.FindStringSubmatch(name)
	if m == nil {
		return runName{}, time.Time{}, false
	}
	t, err := time.Parse("200601021504", m[1])
	if err != nil {
		return runName{}, time.Time{}, false
	}
	return runName{stamp: m[1], id: m[2]}, t, true
}

// likeEscape escapes LIKE's wildcards (and the escape character) in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `_`, `\_`, `%`, `\%`).Replace(s)
}

// LeftoverAge is how old a run's database or account must be to count as left behind: no
// check runs for an hour.
const LeftoverAge = time.Hour

// Leftovers lists the databases and accounts of runs that started before olderThan ago, as
// their names say (a run's own are never among them). Accounts are read from mysql.user where
// the DSN's account may read it, else derived from the leftover databases' run names.
func (s *Server) Leftovers(ctx context.Context, olderThan time.Duration) ([]Leftover, error) {
	cutoff := time.Now().UTC().Add(-olderThan)
	var out []Leftover
	runs := map[runName]time.Time{}
	err := introspect.QueryRows(ctx, s.admin, `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'schema\_guard\_%'`, nil,
		func(rows *sql.Rows) error {
			var name string
			if err := rows.Scan(&name); err != nil {
				return err
			}
			if run, created, ok := parseRunObject(runDatabase, name); ok && created.Before(cutoff) && run != s.run {
				out = append(out, Leftover{Kind: "database", Name: name, Created: created})
				runs[run] = created
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list databases: %w", err)
	}
	accounts := map[string]bool{}
	err = introspect.QueryRows(ctx, s.admin, `SELECT User, Host FROM mysql.user WHERE User LIKE 'sg\_%'`, nil, func(rows *sql.Rows) error {
		var user, host string
		if err := rows.Scan(&user, &host); err != nil {
			return err
		}
		if run, created, ok := parseRunObject(runAccount, user); ok && created.Before(cutoff) && run != s.run {
			out = append(out, Leftover{Kind: "account", Name: user, Host: host, Created: created})
			accounts[user] = true
		}
		return nil
	})
	if err != nil && !isAccessDenied(err) {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	if err != nil {
		// Without SELECT on mysql.user: the accounts of the runs whose databases are left, on
		// the host the DSN's account connects from, which is where runs create them.
		_, host := splitAccount(s.currentUser(ctx))
		for run, created := range runs {
			if !accounts[run.account()] {
				out = append(out, Leftover{Kind: "account", Name: run.account(), Host: host, Created: created})
			}
		}
	}
	slices.SortFunc(out, func(a, b Leftover) int { return strings.Compare(a.Kind+a.Name, b.Kind+b.Name) })
	return out, nil
}

// RemoveLeftovers drops the databases and accounts Leftovers found: nothing else. Sessions of
// the leftover accounts that still run (a statement of a killed run goes on on the server) are
// ended first where the DSN's account may see and kill them, so that no lock of theirs holds a
// DROP.
func (s *Server) RemoveLeftovers(ctx context.Context, leftovers []Leftover) error {
	var errs []error
	for _, l := range leftovers {
		if l.Kind != "account" {
			continue
		}
		var ids []int64
		introspect.QueryRows(ctx, s.admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?", []any{l.Name}, func(rows *sql.Rows) error {
			var id int64
			err := rows.Scan(&id)
			ids = append(ids, id)
			return err
		})
		for _, id := range ids {
			s.kill(ctx, id)
		}
	}
	slices.SortStableFunc(leftovers, func(a, b Leftover) int { return strings.Compare(b.Kind, a.Kind) }) // databases before accounts
	for _, l := range leftovers {
		var stmt string
		switch {
		case l.Kind == "database" && runDatabase.MatchString(l.Name):
			stmt = "DROP DATABASE IF EXISTS " + schema.QuoteIdent(l.Name)
		case l.Kind == "account" && runAccount.MatchString(l.Name):
			stmt = "DROP USER IF EXISTS " + schema.QuoteString(l.Name) + "@" + schema.QuoteString(l.Host)
		default:
			errs = append(errs, fmt.Errorf("%s is not a run's", l))
			continue
		}
		if _, err := s.admin.ExecContext(ctx, stmt); err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w", l, err))
		}
	}
	return errors.Join(errs...)
}

// currentUser is the DSN account as the server matched it, user@host, or "".
func (s *Server) currentUser(ctx context.Context) string {
	var current string
	if err := s.admin.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&current); err != nil {
		return ""
	}
	return current
}
