package copier

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/introspect"
)

// A plain ALTER runs in the session of whoever runs it, which starts with the server's global
// time_zone and sql_mode. The copy must give every row the value that ALTER would give it, so
// the settings that decide values are the server's (or the ones Options names), not the copy
// session's own:
//
//   - The shadow's ALTER runs under the server's sql_mode and time zone, exactly: that is how
//     the new definition is validated (a DEFAULT the server's mode refuses is refused here, with
//     the server's reason, before any row is copied), how its type names are read (REAL under
//     REAL_AS_FLOAT) and in which zone a TIMESTAMP default literal is stored.
//   - The chunks and the triggers convert values in the server's time zone whenever the zone
//     decides a value: a column changed between TIMESTAMP and any other type, or a new DATETIME,
//     DATE or TIME column whose default is an expression (CURRENT_TIMESTAMP). Otherwise they stay
//     in UTC, where a TIMESTAMP reads and writes back as the same instant even in a zone with
//     daylight saving time, whose repeated hour has two instants for one text — the chunk key's
//     bounds and the checksums rely on that.
//   - The chunks and the triggers run strict (STRICT_ALL_TABLES, ERROR_FOR_DIVISION_BY_ZERO,
//     NO_AUTO_VALUE_ON_ZERO), whatever the server's mode, plus the server's modes that only
//     change which values are accepted or how a value is rounded the way the plain ALTER would
//     (NO_ZERO_DATE, NO_ZERO_IN_DATE, ALLOW_INVALID_DATES, TIME_ROUND_FRACTIONAL). Strict never
//     changes a value: without it the server cuts a value that does not fit and only warns, and
//     without NO_AUTO_VALUE_ON_ZERO a key 0 becomes a new id; strict makes such a row stop the
//     copy with its key instead. Refusing to copy on a non-strict server would refuse every
//     change, most of which touch no value; keeping strict refuses exactly the rows whose value
//     would change. The server's other modes are left out, since they change how the copier's
//     own statements read (ANSI_QUOTES, NO_BACKSLASH_ESCAPES, EMPTY_STRING_IS_NULL, ORACLE) or
//     what a value reads as (PAD_CHAR_TO_FULL_LENGTH).

// settings are a session's time zone and sql_mode.
type settings struct {
	zone, mode string
}

// copyBaseMode is the part of the copy's sql_mode that does not depend on the server.
const copyBaseMode = "STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO"

// valueModes are the server's modes the copy keeps: each only narrows what is accepted, or
// rounds as the plain ALTER rounds.
var valueModes = []string{"NO_ZERO_DATE", "NO_ZERO_IN_DATE", "ALLOW_INVALID_DATES", "TIME_ROUND_FRACTIONAL"}

// copySQLMode is the sql_mode of the chunks and triggers for a server whose mode is server.
func copySQLMode(server string) string {
	mode := copyBaseMode
	have := strings.Split(strings.ToUpper(server), ",")
	for _, m := range valueModes {
		if slices.Contains(have, m) {
			mode += "," + m
		}
	}
	return mode
}

// readServerSettings reads the settings a plain ALTER would run in: Options.TimeZone and
// Options.SQLMode where given, else the server's global values.
func (r *run) readServerSettings(ctx context.Context) error {
	var zone, mode string
	if err := r.guard.QueryRowContext(ctx, "SELECT @@GLOBAL.time_zone, @@GLOBAL.sql_mode").Scan(&zone, &mode); err != nil {
		return fmt.Errorf("read the server's time zone and sql_mode: %w", err)
	}
	if r.opts.TimeZone != "" {
		zone = r.opts.TimeZone
	}
	if r.opts.SQLMode != "" {
		mode = r.opts.SQLMode
	}
	r.server = settings{zone: zone, mode: mode}
	r.copySet = settings{zone: "+00:00", mode: copySQLMode(mode)}
	return nil
}

// set gives the session s's settings.
func (s settings) set(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, "SET SESSION time_zone = "+sqlString(s.zone)+", sql_mode = "+sqlString(s.mode))
	return err
}

// asServer runs f on conn under the server's settings, then gives conn the copy's again.
func (r *run) asServer(ctx context.Context, conn *sql.Conn, f func() error) error {
	if err := r.server.set(ctx, conn); err != nil {
		if me := mysqlError(err); me != nil {
			return &Refusal{Reason: fmt.Sprintf("the time zone %q or sql_mode %q is not one this server takes: Error %d: %s", r.server.zone, r.server.mode, me.Number, me.Message), BadInput: true}
		}
		return fmt.Errorf("copier: %w", err)
	}
	ferr := f()
	if err := r.copySet.set(ctx, conn); err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	return ferr
}

// chooseZone decides the zone the chunks and triggers convert in (see above) and gives it to
// the copy session. A chunk key with a TIMESTAMP column is walked by its values as text, which
// must read back as the same instants: in a zone other than a fixed offset they may not, and
// the copy is refused.
func (r *run) chooseZone(ctx context.Context) error {
	need, err := needsZone(ctx, r.conn, r.f.IsMySQL(), r.orig, r.shadow, r.n.shadow, r.cols)
	if err != nil || !need {
		return err
	}
	r.copySet.zone, r.zoned = r.server.zone, true
	if !fixedOffset.MatchString(r.server.zone) {
		for _, c := range r.key.columns {
			if c.DataType == "timestamp" {
				return &Refusal{Reason: fmt.Sprintf("the ALTER converts values between TIMESTAMP and other types, which the copy must do in the server's time zone %s, and the chunk key %s has a TIMESTAMP column, whose values may not read back as the same instants in a zone that is not a fixed offset", r.server.zone, r.key.describe())}
			}
		}
	}
	if err := r.copySet.set(ctx, r.conn); err != nil {
		return fmt.Errorf("copier: %w", err)
	}
	return nil
}

// fixedOffset matches a time zone that is a fixed offset from UTC.
var fixedOffset = regexp.MustCompile(`^(?i:[+-]\d{1,2}:\d{2}|UTC)$`)

// needsZone reports whether the time zone decides a value the copy writes: a copied column
// that changes between TIMESTAMP and another type, or a new temporal column other than
// TIMESTAMP whose default is an expression.
func needsZone(ctx context.Context, q querier, mysql bool, orig, shadow *tableInfo, shadowName string, cols *copyColumns) (bool, error) {
	for i := range cols.dst {
		s, d := orig.column(cols.src[i]), shadow.column(cols.dst[i])
		if (s.DataType == "timestamp") != (d.DataType == "timestamp") {
			return true, nil
		}
	}
	need := false
	err := introspect.QueryRows(ctx, q, `SELECT COLUMN_NAME, DATA_TYPE, COALESCE(COLUMN_DEFAULT, ''), EXTRA FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_DEFAULT IS NOT NULL`, []any{shadowName}, func(r *sql.Rows) error {
		var name, dataType, def, extra string
		if err := r.Scan(&name, &dataType, &def, &extra); err != nil {
			return err
		}
		switch strings.ToLower(dataType) {
		case "datetime", "date", "time", "year":
		default:
			return nil
		}
		if slices.ContainsFunc(cols.dst, func(d string) bool { return strings.EqualFold(d, name) }) {
			return nil
		}
		// MySQL marks an expression default; MariaDB writes a literal default quoted.
		if mysql {
			need = need || strings.Contains(strings.ToUpper(extra), "DEFAULT_GENERATED")
		} else {
			need = need || (!strings.HasPrefix(def, "'") && !strings.EqualFold(def, "NULL"))
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read the defaults of the shadow table: %w", err)
	}
	return need, nil
}

// zonedBody wraps a trigger's body so that it runs in the copy's time zone and gives the
// application's session its own back.
func zonedBody(body, zone string) string {
	return "BEGIN\n  DECLARE sg_zone VARCHAR(64) DEFAULT @@SESSION.time_zone;\n  SET @@SESSION.time_zone = " + sqlString(zone) +
		";\n  " + body + ";\n  SET @@SESSION.time_zone = sg_zone;\nEND"
}
