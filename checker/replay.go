package checker

import (
	"context"
	"time"

	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/runner"
)

// replay runs the deployed steps, then the pending ones, each phase on its own session as they
// run in production, and introspects the final state (left nil when a statement failed).
func (s *Session) replay(ctx context.Context) error {
	began := time.Now()
	defer func() { s.Report.Timings.Replay = time.Since(began).Milliseconds() }()
	db, err := s.srv.CreateDatabase(ctx)
	if err != nil {
		return err
	}
	s.Replayed = db
	src, rep := s.src, s.Report
	total := 0
	for i, st := range src.steps {
		rep.Migrations = append(rep.Migrations, report.Migration{
			File: st.File.Path, Version: st.File.Version.String(), Kind: st.File.Kind.String(),
			State: string(st.State), Statements: len(src.units[i]), Checksum: st.File.Checksum,
			SkipReason: st.Skip, Description: st.File.Description,
		})
		if st.Skip == "" {
			total++
		}
	}

	done := 0
	for _, phase := range []migrations.State{migrations.Deployed, migrations.Pending} {
		n, failed, err := s.replayPhase(ctx, phase, done, total)
		if err != nil || failed {
			return err
		}
		done += n
	}

	final, err := introspect.Introspect(ctx, db.DB, db.Name, s.srv.Flavor)
	if err != nil {
		return err
	}
	s.Final = final
	rep.Schema = &report.SchemaSummary{
		Tables: len(final.Tables), Views: len(final.Views), Triggers: len(final.Triggers), Routines: len(final.Routines),
	}
	return nil
}

// replayPhase replays the steps of one phase, the pending one judged as it goes, and records
// what happened in the report. It returns how many migrations it replayed and whether a
// statement failed (the replay stops there).
func (s *Session) replayPhase(ctx context.Context, phase migrations.State, done, total int) (int, bool, error) {
	src, rep, db := s.src, s.Report, s.Replayed
	var units []runner.Unit
	var index []int // position of each unit in src.steps
	files := map[string]*migrations.File{}
	stmts := map[string][]migrations.Statement{}
	for i, st := range src.steps {
		if st.State == phase && st.Skip == "" {
			units = append(units, runner.Unit{Path: st.File.Path, Statements: src.units[i]})
			index = append(index, i)
			// By the migration's key: a Liquibase file holds several migrations.
			files[st.File.Key()], stmts[st.File.Key()] = st.File, src.units[i]
		}
	}
	if len(units) == 0 {
		return 0, false, nil
	}
	hooks := runner.Hooks{Progress: func(i int, u *runner.Unit) {
		if s.opts.Progress != nil {
			s.opts.Progress(done+i, total, u.Path)
		}
	}}
	var c *compat
	if phase == migrations.Pending {
		// The deployed state is what the running application knows; the rules judge the
		// pending statements against it.
		deployed, err := introspect.Introspect(ctx, db.DB, db.Name, s.srv.Flavor)
		if err != nil {
			return 0, false, err
		}
		if c, err = newCompat(ctx, s, deployed); err != nil {
			return 0, false, err
		}
		hooks.Statement = c.beforeStatement
	}
	s.opts.Log.Info("replaying", "phase", string(phase), "migrations", len(units), "database", db.Name)
	res, err := db.Replay(ctx, units, hooks)
	if err != nil {
		return 0, false, err
	}
	for j, ur := range res.Units {
		m := &rep.Migrations[index[j]]
		m.Applied, m.DurationMS = ur.Applied, ur.Duration.Milliseconds()
	}
	rep.Add(res.Findings...)
	if c != nil {
		rep.Add(c.finish(files, stmts)...)
		rep.Timings.Rules = c.spent.Milliseconds()
		rep.Timings.Copier = c.copierTime.Milliseconds()
		rep.Copier = append(rep.Copier, c.copies...)
	}
	return len(units), res.Failed, nil
}
