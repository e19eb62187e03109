package checker

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/rules"
	"github.com/schema-guard/schema-guard/runner"
	"github.com/schema-guard/schema-guard/schema"
)

// compat judges the pending statements while they are replayed: the rules see each statement
// with the touched tables just before and just after it, the server measures how an ALTER would
// run online, and the deployed application's own statements (the probes) are run after each one
// to find what breaks it in fact.
type compat struct {
	s        *Session
	reg      *rules.Registry
	deployed *schema.Schema
	ctx      rules.Context // the fields shared by every statement

	probes  []runner.Probe
	failing map[string]bool // probes (by SQL) that fail since an earlier statement

	// the statement in progress
	before      *schema.Schema
	tables      []string
	online      *runner.Online
	createTable string // SHOW CREATE TABLE of the first touched table before the statement

	copies     []report.Copier // the copier's dry-run verdicts
	copierTime time.Duration

	found map[*migrations.Statement][]finding.Finding
	order []*migrations.Statement
	spent time.Duration // judging, for the report's timings
}

// newCompat prepares the rules for the pending phase: the deployed state, the probes of every
// table a pending statement touches, calibrated on the deployed state.
func newCompat(ctx context.Context, s *Session, deployed *schema.Schema) (*compat, error) {
	began := time.Now()
	c := &compat{s: s, reg: s.rules, deployed: deployed, failing: map[string]bool{}, found: map[*migrations.Statement][]finding.Finding{}}
	c.ctx = rules.Context{Deployed: deployed, Deprecated: rules.NewDeprecated(s.deprecated), Tables: s.opts.Tables}
	var touched []string
	for i, st := range s.src.steps {
		if st.State != migrations.Pending || st.Skip != "" {
			continue
		}
		for _, stmt := range s.src.units[i] {
			for _, t := range probeTables(&stmt) {
				if deployed.Table(t) != nil && !slices.Contains(touched, t) {
					touched = append(touched, t)
				}
			}
		}
	}
	probes, dropped, err := s.Replayed.CalibrateProbes(ctx, runner.DeriveProbes(withoutDeprecated(deployed, c.ctx.Deprecated), touched))
	if err != nil {
		return nil, err
	}
	for _, d := range dropped {
		s.opts.Log.Debug("probe dropped: it fails on the deployed state already", "sql", d.Probe.SQL, "error", d.Message)
	}
	c.probes = probes
	c.spent += time.Since(began)
	return c, nil
}

// beforeStatement introspects what the statement touches and measures an ALTER online.
func (c *compat) beforeStatement(ctx context.Context, st *migrations.Statement) error {
	defer c.timed(time.Now())
	c.before, c.online, c.tables, c.createTable = nil, nil, nil, ""
	if st.Node == nil {
		return nil
	}
	c.tables = statementTables(st.Node)
	if len(c.tables) == 0 {
		return nil
	}
	var err error
	if c.before, err = c.introspect(ctx, c.tables); err != nil {
		return err
	}
	if onlineCandidate(st.Node) && c.deployed.Table(c.tables[0]) != nil && c.before.Table(c.tables[0]) != nil {
		var create string
		var referenced []string
		create, err = c.s.Replayed.ShowCreateTable(ctx, c.tables[0])
		c.createTable = create
		for _, ref := range referencedTables(st.Node) {
			if err != nil {
				break
			}
			var r string
			if r, err = c.s.Replayed.ShowCreateTable(ctx, ref); err == nil {
				referenced = append(referenced, r)
			}
		}
		if err == nil {
			// Foreign keys are checked on the copy as in production, so what they point at
			// must exist there too.
			c.online, err = c.s.srv.MeasureOnline(ctx, create, st, referenced...)
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			c.s.opts.Log.Debug("online DDL not measured", "file", st.File, "line", st.Line, "err", err)
			c.online = nil
		}
	}
	return nil
}

// afterStatement runs the rules on the statement and the probes after it.
func (c *compat) afterStatement(ctx context.Context, st *migrations.Statement) error {
	defer c.timed(time.Now())
	c.order = append(c.order, st)
	if st.Node == nil {
		c.add(st, finding.Finding{
			Rule: rules.OpaqueStatement, Severity: finding.Notice,
			Message: "no rule checked this statement: the SQL parser cannot read it (" + st.ParseError + "); it was replayed, and the old-app probe still ran after it",
		})
	} else if len(c.tables) > 0 {
		after, err := c.introspect(ctx, c.tables)
		if err != nil {
			return err
		}
		rc := c.ctx
		rc.Statement, rc.Before, rc.After, rc.Online = st, c.before, after, c.online
		for _, r := range c.reg.Rules() {
			if r.Statement != nil {
				for _, f := range r.Statement(&rc) {
					c.add(st, f)
				}
			}
		}
		t := c.tables[0]
		if !c.s.opts.NoCopier && c.createTable != "" && copierCandidate(st.Node) && after.Table(t) != nil {
			if err := c.dryRun(ctx, st, t, c.before.Table(t), after.Table(t), c.createTable); err != nil {
				return err
			}
		}
	}
	return c.probe(ctx, st)
}

// probe runs the deployed application's statements; a probe that starts failing after this
// statement is evidence against it.
func (c *compat) probe(ctx context.Context, st *migrations.Statement) error {
	if len(c.probes) == 0 {
		return nil
	}
	failures, err := c.s.Replayed.RunProbes(ctx, c.probes)
	if err != nil {
		return err
	}
	now := map[string]bool{}
	var evidence []finding.Evidence
	var tables []string
	for _, f := range failures {
		now[f.Probe.SQL] = true
		if c.failing[f.Probe.SQL] {
			continue // an earlier statement broke it already
		}
		evidence = append(evidence, finding.Evidence{SQL: f.Probe.SQL, Error: fmt.Sprintf("Error %d: %s", f.Number, f.Message)})
		if !slices.Contains(tables, f.Probe.Table) {
			tables = append(tables, f.Probe.Table)
		}
	}
	c.failing = now
	if len(evidence) == 0 {
		return nil
	}
	// One problem, one finding: a rule that fired on this statement about the same table gets
	// the evidence (and a suppression of it covers the evidence); its severity stands, since
	// the probe writes the extremes of each deployed type, which the application may or may not
	// write.
	found := c.found[st]
	for i := range found {
		if !notCompatibility[found[i].Rule] && slices.ContainsFunc(tables, func(t string) bool { return strings.EqualFold(t, found[i].Table) }) {
			found[i].Evidence = append(found[i].Evidence, evidence...)
			return nil
		}
	}
	c.add(st, finding.Finding{
		Rule: rules.OldAppBreak, Severity: c.reg.Lookup(rules.OldAppBreak).Severity, Table: tables[0], Evidence: evidence,
		Message: fmt.Sprintf("after this statement the deployed application's own statements on %s fail (%s): it breaks while and after this migration runs",
			quoteList(tables), evidence[0].Error),
		Fix: "Make the change accept what the deployed application does (the evidence lists its statements and the server's answer), or ship the application change first and make this change in a later release.",
	})
	return nil
}

// notCompatibility are the rules whose findings are about something else than the deployed
// application's compatibility (availability, hygiene): a broken application is never folded
// into one of them, where it would hide behind their severity.
var notCompatibility = map[string]bool{
	rules.BlockingDDL: true, rules.OpaqueStatement: true, rules.MixedDDLDML: true,
	rules.MissingPrimaryKey: true, rules.BadSuppression: true,
}

// add records a finding of a statement, placed at the statement unless the rule placed it,
// with the configured level.
func (c *compat) add(st *migrations.Statement, f finding.Finding) {
	if f.File == "" {
		f.File, f.Line, f.Column, f.EndLine = st.File, st.Line, st.Column, st.EndLine
	}
	f, ok := c.reg.Apply(f)
	if !ok {
		return
	}
	c.found[st] = append(c.found[st], f)
}

// finish runs the file rules on every pending migration, applies suppression comments and
// returns every finding of the pending phase.
func (c *compat) finish(files map[string]*migrations.File, units map[string][]migrations.Statement) []finding.Finding {
	for path, f := range files {
		stmts := units[path]
		for _, r := range c.reg.Rules() {
			if r.File == nil {
				continue
			}
			for _, fd := range r.File(&rules.FileContext{File: f, Statements: stmts, Deployed: c.deployed}) {
				// A file rule places its finding; it belongs to the statement there.
				for i := range stmts {
					if stmts[i].File == fd.File && stmts[i].Line == fd.Line {
						c.add(&stmts[i], fd)
					}
				}
			}
		}
	}
	var out []finding.Finding
	for _, st := range c.order {
		fs := c.found[st]
		if f := files[st.File]; f != nil {
			out = append(out, c.reg.Suppress(st.File, rules.Suppressions(f.Content, st.Line), fs)...)
		}
		out = append(out, fs...)
	}
	return out
}

// timed adds the time since began to what judging took.
func (c *compat) timed(began time.Time) { c.spent += time.Since(began) }

// introspect reads the given tables of the replay database.
func (c *compat) introspect(ctx context.Context, tables []string) (*schema.Schema, error) {
	return runner.IntrospectTables(ctx, c.s.Replayed.DB, c.s.Replayed.Name, c.s.srv.Flavor, tables)
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, ", ")
}

// withoutDeprecated is the deployed state as the deployed application uses it: without the
// tables and columns `deprecated:` says it no longer touches, so their drop is no break.
func withoutDeprecated(s *schema.Schema, dep *rules.Deprecated) *schema.Schema {
	out := *s
	out.Tables = nil
	for _, t := range s.Tables {
		if dep.Table(t.Name) {
			continue
		}
		tc := *t
		tc.Columns = nil
		for _, c := range t.Columns {
			if !dep.Column(t.Name, c.Name) {
				tc.Columns = append(tc.Columns, c)
			}
		}
		out.Tables = append(out.Tables, &tc)
	}
	return &out
}

// probeTables names the tables whose deployed users a pending statement may break: those it
// changes, and for a statement the parser cannot read, what its header names — a trigger's
// table, above all, since a trigger can reject every write of the deployed application.
func probeTables(st *migrations.Statement) []string {
	if st.Node != nil {
		return statementTables(st.Node)
	}
	h, ok := migrations.ReadHeader(st.Text)
	switch {
	case !ok:
		return nil
	case h.Kind == "trigger" && h.On != "":
		return []string{h.On}
	case h.Kind == "table":
		return h.Names
	}
	return nil
}
