package introspect

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// introspectViews reads every view. VIEW_DEFINITION is the SELECT as the server rewrote it (fully
// qualified names on both flavours).
func introspectViews(ctx context.Context, q Querier, database string, f schema.Flavor) ([]*schema.View, error) {
	// MySQL's VIEWS has no ALGORITHM column (only SHOW CREATE VIEW tells), MariaDB's has one
	// (checked on 10.11); the model leaves Algorithm "" where the server does not say.
	algorithm := "NULL"
	if f.IsMariaDB() {
		algorithm = "ALGORITHM"
	}
	query := `SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE, DEFINER, ` + algorithm + `
		FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`
	var views []*schema.View
	err := QueryRows(ctx, q, query, []any{database}, func(rows *sql.Rows) error {
		var name string
		var def, check, security, definer, alg sql.NullString
		if err := rows.Scan(&name, &def, &check, &security, &definer, &alg); err != nil {
			return err
		}
		views = append(views, &schema.View{
			Name:         name,
			Definition:   def.String,
			CheckOption:  strings.ToUpper(check.String),
			SecurityType: strings.ToUpper(security.String),
			Definer:      definer.String,
			Algorithm:    strings.ToUpper(alg.String),
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("introspect views: %w", err)
	}
	slices.SortFunc(views, func(a, b *schema.View) int { return cmp.Compare(a.Name, b.Name) })
	return views, nil
}

// introspectTriggers reads every trigger. ACTION_ORDER (MySQL 5.7.2+, MariaDB 10.2.3+) is the
// trigger's position among those of the same table, timing and event.
//
// A trigger lives in its table's database, so filtering on EVENT_OBJECT_SCHEMA is the same as on
// TRIGGER_SCHEMA, but MariaDB can look only the former up directly: on TRIGGER_SCHEMA it reads
// the triggers of every database on the server (EXPLAIN: "Scanned all databases").
func introspectTriggers(ctx context.Context, q Querier, sc scope) ([]*schema.Trigger, error) {
	const query = `SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION,
		ACTION_ORDER, ACTION_STATEMENT, DEFINER
		FROM information_schema.TRIGGERS WHERE `
	where, args := sc.where("EVENT_OBJECT_SCHEMA", "EVENT_OBJECT_TABLE")
	var triggers []*schema.Trigger
	err := QueryRows(ctx, q, query+where, args, func(rows *sql.Rows) error {
		var name string
		var table, timing, event, statement, definer sql.NullString
		var order sql.NullInt64
		if err := rows.Scan(&name, &table, &timing, &event, &order, &statement, &definer); err != nil {
			return err
		}
		if !sc.keep(table.String) {
			return nil
		}
		triggers = append(triggers, &schema.Trigger{
			Name:      name,
			Table:     table.String,
			Timing:    strings.ToUpper(timing.String),
			Event:     strings.ToUpper(event.String),
			Order:     int(order.Int64),
			Statement: statement.String,
			Definer:   definer.String,
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("introspect triggers: %w", err)
	}
	slices.SortFunc(triggers, func(a, b *schema.Trigger) int { return cmp.Compare(a.Name, b.Name) })
	return triggers, nil
}

// introspectRoutines reads stored procedures and functions, and their parameters from PARAMETERS
// in a second query (skipped when there are no routines). Both flavours list every parameter
// there, with position 0 for a function's return value, which ROUTINES gives already. Reading
// SHOW CREATE per routine would keep the parameter list exactly as written, at one query per
// routine; rebuilding it gives "IN p_id int(11), OUT p_name varchar(50)": MariaDB and MySQL
// before 8.0.19 keep integer display widths there, as in column types.
func introspectRoutines(ctx context.Context, q Querier, database, dbCharset string) ([]*schema.Routine, error) {
	const query = `SELECT ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, CHARACTER_SET_NAME, ROUTINE_DEFINITION,
		IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT, DEFINER
		FROM information_schema.ROUTINES
		WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE IN ('PROCEDURE', 'FUNCTION')`
	type key struct{ typ, name string }
	byKey := map[key]*schema.Routine{}
	var routines []*schema.Routine
	err := QueryRows(ctx, q, query, []any{database}, func(rows *sql.Rows) error {
		var name, typ string
		var returns, charset, body, deterministic, access, security, comment, definer sql.NullString
		if err := rows.Scan(&name, &typ, &returns, &charset, &body, &deterministic, &access,
			&security, &comment, &definer); err != nil {
			return err
		}
		r := &schema.Routine{
			Name:          name,
			Type:          strings.ToUpper(typ),
			Body:          body.String,
			Deterministic: isYes(deterministic),
			DataAccess:    strings.ToUpper(access.String),
			Security:      strings.ToUpper(security.String),
			Comment:       comment.String,
			Definer:       definer.String,
		}
		if r.Type == "FUNCTION" {
			r.Returns = typeWithCharset(returns.String, charset.String, dbCharset)
		}
		byKey[key{r.Type, name}] = r
		routines = append(routines, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("introspect routines: %w", err)
	}
	if len(routines) == 0 {
		return nil, nil
	}

	const paramQuery = `SELECT SPECIFIC_NAME, ROUTINE_TYPE, ORDINAL_POSITION, PARAMETER_MODE, PARAMETER_NAME,
		DTD_IDENTIFIER, CHARACTER_SET_NAME
		FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ? AND ORDINAL_POSITION > 0`
	type param struct {
		pos  int64
		text string
	}
	params := map[key][]param{}
	err = QueryRows(ctx, q, paramQuery, []any{database}, func(rows *sql.Rows) error {
		var name, typ string
		var pos int64
		var mode, pname, dtd, charset sql.NullString
		if err := rows.Scan(&name, &typ, &pos, &mode, &pname, &dtd, &charset); err != nil {
			return err
		}
		k := key{strings.ToUpper(typ), name}
		if byKey[k] == nil {
			return nil
		}
		params[k] = append(params[k], param{pos, routineParam(k.typ, mode.String, pname.String,
			typeWithCharset(dtd.String, charset.String, dbCharset))})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("introspect routine parameters: %w", err)
	}
	for k, ps := range params {
		slices.SortFunc(ps, func(a, b param) int { return cmp.Compare(a.pos, b.pos) })
		texts := make([]string, len(ps))
		for i, p := range ps {
			texts[i] = p.text
		}
		byKey[k].Params = strings.Join(texts, ", ")
	}
	slices.SortFunc(routines, func(a, b *schema.Routine) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Type, b.Type))
	})
	return routines, nil
}

// routineParam writes one parameter as it is declared: "IN p_id int(11)" for a procedure. A
// function's parameters take no mode (MariaDB reports IN for them, MySQL NULL).
func routineParam(routineType, mode, name, typ string) string {
	text := quoteIdentIfNeeded(name) + " " + typ
	if routineType == "PROCEDURE" && mode != "" {
		text = strings.ToUpper(mode) + " " + text
	}
	return text
}
