package checker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/schema"
)

// DumpFile is one file of a dumped declared state.
type DumpFile struct {
	Path    string // slash path relative to the output directory
	Content []byte
}

// seedBatch is how many rows one INSERT of a dumped seed table holds.
const seedBatch = 100

// Dump renders the replayed schema as declared-state files in canonical form: tables/<name>.sql
// (with the table's triggers and, for seed tables, its rows), views/<name>.sql,
// procedures/<name>.sql and functions/<name>.sql. Loaded as the declared state, they give no drift.
func (s *Session) Dump(ctx context.Context) ([]DumpFile, error) {
	if s.Final == nil {
		return nil, errors.New("dump: the migrations do not replay, so there is no state to dump")
	}
	final := s.Final
	var files []DumpFile
	add := func(dir, name string, stmts []string) error {
		text, err := migrations.Script(stmts)
		if err != nil {
			return fmt.Errorf("dump %s %s: %w", dir, name, err)
		}
		files = append(files, DumpFile{Path: dir + "/" + fileName(name) + ".sql", Content: []byte(text)})
		return nil
	}
	seeds := map[string]bool{}
	for _, name := range s.opts.SeedTables {
		seeds[strings.ToLower(name)] = true
	}
	for _, t := range final.Tables {
		stmts := []string{final.CreateTable(t)}
		var triggers []*schema.Trigger
		for _, tr := range final.Triggers {
			if strings.EqualFold(tr.Table, t.Name) {
				triggers = append(triggers, tr)
			}
		}
		slices.SortStableFunc(triggers, func(a, b *schema.Trigger) int {
			return cmp.Or(cmp.Compare(a.Timing, b.Timing), cmp.Compare(a.Event, b.Event), cmp.Compare(a.Order, b.Order))
		})
		for _, tr := range triggers {
			stmts = append(stmts, final.CreateTrigger(tr))
		}
		if seeds[strings.ToLower(t.Name)] {
			rows, err := s.seedRows(ctx, t)
			if err != nil {
				return nil, err
			}
			stmts = append(stmts, rows...)
		}
		if err := add("tables", t.Name, stmts); err != nil {
			return nil, err
		}
	}
	for _, v := range final.Views {
		if err := add("views", v.Name, []string{final.CreateView(v)}); err != nil {
			return nil, err
		}
	}
	for _, r := range final.Routines {
		if err := add(strings.ToLower(r.Type)+"s", r.Name, []string{final.CreateRoutine(r)}); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// seedRows reads a seed table's rows as INSERT statements of seedBatch rows each.
func (s *Session) seedRows(ctx context.Context, t *schema.Table) ([]string, error) {
	pk := t.PrimaryKey()
	if pk == nil {
		return nil, fmt.Errorf("seed table %s has no primary key: seed tables need one, to match rows", t.Name)
	}
	tbl := seedTable{name: t.Name, cols: t.Columns, key: pk.Columns()}
	rows, err := s.Replayed.Rows(ctx, t.Name, columnNames(t.Columns), tbl.key)
	if err != nil {
		return nil, err
	}
	var stmts []string
	for batch := range slices.Chunk(rows, seedBatch) {
		tuples := make([]string, len(batch))
		for i, r := range batch {
			tuples[i] = tbl.tuple(r)
		}
		stmts = append(stmts, fmt.Sprintf("INSERT INTO %s (%s) VALUES\n  %s", schema.QuoteIdent(t.Name),
			strings.Join(idents(columnNames(t.Columns)), ", "), strings.Join(tuples, ",\n  ")))
	}
	return stmts, nil
}

// fileName makes an identifier safe as a file name; identifiers may hold any character.
func fileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' {
			return '_'
		}
		return r
	}, name)
}
