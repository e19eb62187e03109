package checker

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/declared"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/runner"
	"github.com/schema-guard/schema-guard/schema"
)

// Drift is the comparison of the replayed state with the declared one.
type Drift struct {
	Declared *declared.State
	// Schema is the declared state as the server holds it once loaded.
	Schema *schema.Schema
	// Delta turns the replayed state into the declared one; Reverse turns it back.
	Delta, Reverse *schema.Delta
	// Seed and SeedReverse are the data statements that do the same for seed tables' rows.
	Seed, SeedReverse []string
}

// Statements is the whole reconciling script: schema first, then seed data.
func (d *Drift) Statements() []string {
	return append(append([]string(nil), d.Delta.Statements...), d.Seed...)
}

// ReverseStatements undoes Statements.
func (d *Drift) ReverseStatements() []string {
	return append(append([]string(nil), d.SeedReverse...), d.Reverse.Statements...)
}

// Drift loads the declared state into a second scratch database on the same server, introspects
// it, and compares. Both states come from one server and one introspection, so the server itself
// normalises spellings, display widths, implicit defaults and charsets; schema.Diff handles the
// rest. Each difference becomes a drift finding and a drift entry of the report.
func (s *Session) Drift(ctx context.Context) (*Drift, error) {
	began := time.Now()
	defer func() { s.Report.Timings.Drift = time.Since(began).Milliseconds() }()
	work := s.opts.WorkDir
	if work == "" {
		work = "."
	}
	work, err := filepath.Abs(work)
	if err != nil {
		return nil, err
	}
	fsys, rel, err := within(s.src, work, s.opts.Schema)
	if err != nil {
		return nil, fmt.Errorf("declared schema: %w", err)
	}
	st, err := declared.Load(fsys, rel)
	if err != nil {
		return nil, err
	}
	s.Report.Source.Schema = rel
	db, err := s.srv.CreateDatabase(ctx)
	if err != nil {
		return nil, err
	}
	s.opts.Log.Info("loading the declared schema", "path", rel, "statements", len(st.Statements), "database", db.Name)
	dropped, err := db.Load(ctx, st.Statements)
	if err != nil {
		return nil, err
	}
	if len(dropped) > 0 {
		// One notice for the whole declared state, where the first such SET is.
		first := dropped[0].Statement
		s.Report.Add(finding.Finding{
			Rule: finding.DeclaredSQLMode, Severity: finding.Notice,
			File: first.File, Line: first.Line, Column: first.Column,
			Message: runner.SQLModeNotice(dropped),
			Fix:     "nothing to do for the check; to silence this, dump the schema again from a server of this version, or drop the modes from the dump's SET sql_mode statements",
		})
	}
	decl, err := introspect.Introspect(ctx, db.DB, db.Name, s.srv.Flavor)
	if err != nil {
		return nil, err
	}
	d := &Drift{
		Declared: st,
		Schema:   decl,
		Delta:    schema.Diff(s.Final, decl, schema.DiffOptions{Renamed: st.Renamed}),
		// Rename hints read both ways: from the old name to the new one, and back.
		Reverse: schema.Diff(decl, s.Final, schema.DiffOptions{Renamed: st.Renamed}),
	}
	loc := newLocator(st, s.src)
	for _, c := range d.Delta.Changes {
		f := loc.finding(c)
		f.Rule, f.Severity = finding.Drift, finding.Error
		f.Message, f.Fix = driftMessage(c), fixText(c.Fix)
		f.Table = c.Table
		if c.Kind == schema.KindColumn {
			f.ColumnName = c.Name
		}
		s.Report.Add(f)
		s.Report.Drift = append(s.Report.Drift, report.Drift{
			Object: c.Object(), Kind: string(c.Kind), Change: string(c.Change),
			Declared: c.To, Actual: c.From, Fix: f.Fix,
		})
	}
	if err := s.seeds(ctx, db, d, loc); err != nil {
		return nil, err
	}
	return d, nil
}

// driftMessage is one sentence for a reviewer.
func driftMessage(c schema.Change) string {
	kind := strings.ReplaceAll(string(c.Kind), "_", " ")
	obj := "`" + strings.ReplaceAll(c.Object(), ".", "`.`") + "`"
	switch c.Change {
	case schema.Missing:
		return fmt.Sprintf("%s %s is declared, but the migrations do not create it", kind, obj)
	case schema.Extra:
		return fmt.Sprintf("the migrations create %s %s, which the declared schema does not have", kind, obj)
	case schema.Renamed:
		return fmt.Sprintf("%s %s is declared as renamed from `%s`, but the migrations leave the old name", kind, obj, c.OldName)
	}
	if c.Kind == schema.KindTableOptions {
		return fmt.Sprintf("the options of table %s differ: the migrations give %s, the declared schema %s", obj, c.From, c.To)
	}
	return fmt.Sprintf("%s %s differs: the migrations give %s, the declared schema %s", kind, obj, c.From, c.To)
}

// fixText joins statements into a script.
func fixText(stmts []string) string {
	if len(stmts) == 0 {
		return ""
	}
	return strings.Join(stmts, ";\n") + ";"
}
