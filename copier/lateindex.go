package copier

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/schema"
)

// Secondary indexes built after the copy.
//
// A chunk's INSERT … SELECT writes each row into every index of the shadow. The chunk key's
// index is written in key order, at the right edge of its tree; a secondary index is written
// in the order of its own values, a page here and a page there, and on a table with several
// of them that is most of what a chunk costs. Built once the rows are in, the same index is
// sorted once and written page by page (InnoDB's sorted index build). So the shadow is copied
// without its plain secondary indexes and gets them back with one ALTER TABLE … ADD KEY …,
// ALGORITHM=INPLACE, LOCK=NONE after the last chunk: an online build, during which the
// triggers go on writing into the shadow (InnoDB logs their changes and applies them at its
// end), as the application goes on writing into the table.
//
// Deferred are only indexes that nothing before the cut-over needs and whose absence changes
// no outcome: non-unique (a unique key is how a copy or a trigger learns that the new table
// cannot hold a row), not the shadow's range index or row key (the chunks and the triggers
// read by them), not on a generated column or an expression, and not serving one of the
// shadow's foreign keys. And only the last ones of the definition: the server lists a table's
// plain indexes in the order they were added (MySQL: those over a virtual column after all
// others), so re-adding a tail keeps SHOW CREATE TABLE as the plain ALTER makes it. A table with
// a FULLTEXT or other special index keeps all of them.
//
// The server is asked before the copy whether it can build them online and where it puts them:
// the empty shadow gets them dropped and added back with LOCK=NONE, and its definition must
// then read exactly as before. Where the server cannot add them online, they stay and the copy
// writes them row by row; where the definition would change, the copy stops and says so.

// keyLine is a plain index's line in SHOW CREATE TABLE: its name, its parts and options.
var keyLine = regexp.MustCompile("^\\s*KEY `((?:[^`]|``)+)` (\\(.*?),?$")

// otherKeyLine is the line of any other index: PRIMARY, UNIQUE, FULLTEXT, SPATIAL, VECTOR.
var otherKeyLine = regexp.MustCompile(`^\s*([A-Z]+) KEY\b`)

// deferredIndex is a secondary index of the shadow that the copy builds after the last chunk.
type deferredIndex struct {
	Name string `json:"name"`
	Def  string `json:"def"` // "KEY `idx_a` (`a`) COMMENT 'x'", as SHOW CREATE TABLE writes it
}

// deferIndexes drops from the empty shadow the secondary indexes it builds after the copy, once
// the server has shown it can add them back online, and records them in r.deferred. It runs
// in the server's settings, as createShadow does: the indexes come back as the plain ALTER
// made them.
func (r *run) deferIndexes(ctx context.Context) error {
	if r.opts.NoDeferIndexes {
		return nil
	}
	before, err := r.shadowDefinition(ctx)
	if err != nil {
		return err
	}
	list, err := r.deferrable(ctx, before)
	if err != nil || len(list) == 0 {
		return err
	}
	return r.asServer(ctx, r.conn, func() error {
		drop := dropIndexes(r.n.shadow, list)
		if _, err := r.conn.ExecContext(ctx, drop); err != nil {
			return fmt.Errorf("copier: drop the indexes built after the copy from the empty shadow: %w", err)
		}
		if _, err := r.conn.ExecContext(ctx, addIndexes(r.n.shadow, list, true)); err != nil {
			// Not online here: the copy writes them row by row.
			r.log.Info("the server cannot add the secondary indexes online; the copy writes them", "table", r.n.table, "error", err)
			if _, err := r.conn.ExecContext(ctx, addIndexes(r.n.shadow, list, false)); err != nil {
				return fmt.Errorf("copier: add the secondary indexes back to the shadow: %w", err)
			}
			return nil
		}
		// The definition must come out as it was: the same indexes in the same order.
		after, err := r.shadowDefinition(ctx)
		if err != nil {
			return err
		}
		if after != before {
			return fmt.Errorf("copier: the server lists the secondary indexes %s in another place when they are added after the copy, so the new table would differ from the plain ALTER's; copy with --no-defer-indexes (Options.NoDeferIndexes):\n%s\nwould be\n%s", indexNames(list), before, after)
		}
		if _, err := r.conn.ExecContext(ctx, drop); err != nil {
			return fmt.Errorf("copier: drop the indexes built after the copy from the empty shadow: %w", err)
		}
		r.deferred = list
		return nil
	})
}

// deferrable returns the indexes of the shadow (create is its definition) that may be built
// after the copy (see the top of this file), in the definition's order.
func (r *run) deferrable(ctx context.Context, create string) ([]deferredIndex, error) {
	indexes, err := readIndexes(ctx, r.conn, r.f, r.n.shadow)
	if err != nil {
		return nil, fmt.Errorf("copier: %w", err)
	}
	// The columns of the shadow's foreign keys — the table's own, added to it under their
	// temporary names, and those the ALTER adds — and, on MySQL, its virtual columns.
	var fkCols [][]string
	var fkNames []string
	err = introspect.QueryRows(ctx, r.conn, `SELECT CONSTRAINT_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL
		ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`, []any{r.n.shadow}, func(rows *sql.Rows) error {
		var name, col string
		if err := rows.Scan(&name, &col); err != nil {
			return err
		}
		if k := len(fkCols); k == 0 || name != fkNames[k-1] {
			fkCols, fkNames = append(fkCols, nil), append(fkNames, name)
		}
		fkCols[len(fkCols)-1] = append(fkCols[len(fkCols)-1], col)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("copier: read the shadow's foreign keys: %w", err)
	}
	virtual := map[string]bool{}
	if r.f.IsMySQL() {
		// MySQL lists the indexes over a virtual column after all other plain ones, wherever
		// they were added: they are not part of the tail.
		err := introspect.QueryRows(ctx, r.conn, `SELECT LOWER(COLUMN_NAME) FROM information_schema.COLUMNS
			WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND EXTRA LIKE '%VIRTUAL%'`, []any{r.n.shadow}, func(rows *sql.Rows) error {
			var c string
			err := rows.Scan(&c)
			virtual[c] = true
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("copier: read the shadow's virtual columns: %w", err)
		}
	}
	lines := strings.Split(create, "\n")
	var tail []deferredIndex
	stopped := false
	for i := len(lines) - 1; i >= 0; i-- {
		m := keyLine.FindStringSubmatch(lines[i])
		if m == nil {
			if m := otherKeyLine.FindStringSubmatch(lines[i]); m != nil && m[1] != "PRIMARY" && m[1] != "UNIQUE" {
				return nil, nil
			}
			continue
		}
		if stopped {
			continue // the lines above are read only for another kind of index
		}
		x := deferredIndex{Name: strings.ReplaceAll(m[1], "``", "`"), Def: strings.TrimSuffix(strings.TrimSpace(lines[i]), ",")}
		j := slices.IndexFunc(indexes, func(ix *indexInfo) bool { return ix.name == x.Name })
		switch {
		case j < 0:
			stopped = true
		case slices.ContainsFunc(indexes[j].cols, func(c string) bool { return virtual[strings.ToLower(c)] }):
		case r.mayDefer(x.Name, m[2], indexes[j].cols, fkCols):
			tail = append(tail, x)
		default:
			stopped = true
		}
	}
	slices.Reverse(tail)
	return tail, nil
}

// shadowDefinition is the shadow's SHOW CREATE TABLE.
func (r *run) shadowDefinition(ctx context.Context) (string, error) {
	var name, create string
	if err := r.conn.QueryRowContext(ctx, "SHOW CREATE TABLE "+schema.QuoteIdent(r.n.shadow)).Scan(&name, &create); err != nil {
		return "", fmt.Errorf("copier: read the shadow's definition: %w", err)
	}
	return create, nil
}

func indexNames(list []deferredIndex) string {
	names := make([]string, len(list))
	for i, x := range list {
		names[i] = x.Name
	}
	return strings.Join(names, ", ")
}

// mayDefer reports whether the plain index name (parts: its line from the opening parenthesis
// on; cols: its columns) may be built after the copy; fkCols are the columns of each of the
// shadow's foreign keys.
func (r *run) mayDefer(name, parts string, cols []string, fkCols [][]string) bool {
	if strings.HasPrefix(parts, "((") {
		return false // an expression (MySQL's functional index)
	}
	for _, k := range []*chunkKey{r.kc.skey, r.kc.rkey} {
		if k != nil && strings.EqualFold(k.index, name) {
			return false
		}
	}
	for _, c := range cols {
		if sc := r.shadow.column(c); sc == nil || sc.Generated {
			return false
		}
	}
	for _, fk := range fkCols {
		if len(fk) <= len(cols) && slices.EqualFunc(fk, cols[:len(fk)], strings.EqualFold) {
			return false
		}
	}
	return true
}

func dropIndexes(table string, list []deferredIndex) string {
	parts := make([]string, len(list))
	for i, x := range list {
		parts[i] = "DROP INDEX " + schema.QuoteIdent(x.Name)
	}
	return "ALTER TABLE " + schema.QuoteIdent(table) + " " + strings.Join(parts, ", ")
}

// addIndexes adds the indexes back in one statement, in their order; online, refusing to lock
// the table if the server cannot build them without.
func addIndexes(table string, list []deferredIndex, online bool) string {
	parts := make([]string, len(list))
	for i, x := range list {
		parts[i] = "ADD " + x.Def
	}
	s := "ALTER TABLE " + schema.QuoteIdent(table) + " " + strings.Join(parts, ", ")
	if online {
		s += ", ALGORITHM=INPLACE, LOCK=NONE"
	}
	return s
}

// buildDeferred builds the deferred indexes on the shadow once the copy is complete, online
// (the triggers keep writing), and records in the checkpoint header that the shadow has them.
// Like the cut-over's RENAME, the ALTER needs the shadow's metadata lock for a moment at its
// start and its end, and waits for it at most LockWaitTimeout each time, retried.
func (r *run) buildDeferred(ctx context.Context) error {
	if len(r.deferred) == 0 {
		return nil
	}
	names := indexNames(r.deferred)
	r.log.Info("building the secondary indexes deferred by the copy", "table", r.n.table, "indexes", names)
	r.progress(phaseIndex)
	began := time.Now()
	err := r.asServer(ctx, r.conn, func() error {
		return retryDDL(ctx, r.conn, addIndexes(r.n.shadow, r.deferred, true), r.opts.CutoverAttempts)
	})
	if err != nil {
		return fmt.Errorf("copier: build the secondary indexes %s on the new table: %w", names, err)
	}
	for _, x := range r.deferred {
		r.res.IndexesBuilt = append(r.res.IndexesBuilt, x.Name)
	}
	r.res.IndexTime = time.Since(began)
	r.deferred = nil
	return r.rewriteHeader(ctx)
}

// rewriteHeader writes the checkpoint header again, after the shadow's definition changed.
func (r *run) rewriteHeader(ctx context.Context) error {
	text, err := r.headerJSON(ctx)
	if err != nil {
		return err
	}
	_, err = r.conn.ExecContext(ctx, "UPDATE "+schema.QuoteIdent(r.n.checkpoint)+" SET hi = "+sqlString(text)+" WHERE seq = 0")
	if err != nil {
		return fmt.Errorf("copier: write the checkpoint header: %w", err)
	}
	return nil
}
