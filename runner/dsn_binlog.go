package runner

import (
	"context"
	"database/sql"
	"fmt"
)

// storedProgramsNeedSuper reports whether, on this server and for this account, CREATE FUNCTION
// and CREATE TRIGGER fail with error 1419: binary logging is on (MySQL 8.0+'s default),
// log_bin_trust_function_creators is off (the default), and the account lacks SUPER. A migration
// that creates a trigger or a function then fails on the dsn engine although a production server
// that runs it (set to trust creators, or migrated with SUPER) takes it, and so does the online
// copier's dry run, whose capture is triggers.
func storedProgramsNeedSuper(ctx context.Context, q *sql.DB) (bool, error) {
	var logBin, trust int
	if err := q.QueryRowContext(ctx, "SELECT @@log_bin, @@log_bin_trust_function_creators").Scan(&logBin, &trust); err != nil {
		return false, err
	}
	if logBin == 0 || trust == 1 {
		return false, nil
	}
	// information_schema.USER_PRIVILEGES lists the current account's global privileges (and
	// everybody's to an account that may read the grant tables): GRANTEE picks its own.
	var super int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES
		WHERE PRIVILEGE_TYPE = 'SUPER' AND GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',
		SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')`).Scan(&super)
	if err != nil {
		return false, err
	}
	return super == 0, nil
}

// warnStoredPrograms logs, once per run, that stored programs will fail on this server.
func (s *Server) warnStoredPrograms(ctx context.Context) error {
	// The account that runs the migrations: the run's own where there is one.
	pool := s.admin
	if s.runPool != nil {
		pool = s.runPool
	}
	need, err := storedProgramsNeedSuper(ctx, pool)
	if err != nil {
		return fmt.Errorf("read the binary log settings: %w", err)
	}
	if need {
		s.log.Warn("this server logs binary and does not trust function creators, and the account has no SUPER: " +
			"CREATE TRIGGER and CREATE FUNCTION fail here (error 1419), in migrations and in the copier's dry run; " +
			"start the server with --log-bin-trust-function-creators=ON, or use the container engine, " +
			"or, on a server that holds nothing else (a service container of the job), pass --throwaway-server so they run with the DSN's own account")
	}
	return nil
}
