package checker

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/schema-guard/schema-guard/facts"
	"github.com/schema-guard/schema-guard/finding"
	"github.com/schema-guard/schema-guard/introspect"
	"github.com/schema-guard/schema-guard/migrations"
	"github.com/schema-guard/schema-guard/probe"
	"github.com/schema-guard/schema-guard/report"
	"github.com/schema-guard/schema-guard/rules"
	"github.com/schema-guard/schema-guard/schema"
)

// compat judges the pending statements while they are replayed: the rules see what each
// statement did to the tables and views it touches (their models just before and just after
// it), the server measures how an ALTER would run online, and the deployed application's own
// statements (the probes) are run after each one to find what breaks it in fact.
type compat struct {
	s        *Session
	reg      *rules.Registry
	deployed *schema.Schema
	// known is the deployed state less the tables and views the pending change has dropped or
	// renamed away so far: a table of that name created again later is new, with no old
	// readers and no old rows. It is what the rules see as deployed.
	known *schema.Schema
	ctx   rules.Context // the fields shared by every statement

	probes  []probe.Probe
	failing map[string]bool // probes (by SQL) that fail since an earlier statement

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
	c := &compat{s: s, reg: s.rules, deployed: deployed, known: deployed, failing: map[string]bool{}, found: map[*migrations.Statement][]finding.Finding{}}
	c.ctx = rules.Context{Deprecated: rules.NewDeprecated(s.deprecated), Tables: s.opts.Tables, SeedTables: s.opts.SeedTables, Script: migrations.Script}
	used := withoutDeprecated(deployed, c.ctx.Deprecated)
	derived := append(probe.Derive(used, probed(s.src, deployed)), probe.DeriveViews(used)...)
	probes, dropped, err := probe.Calibrate(ctx, s.Replayed, derived)
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

// statement is one pending statement on its way through the judging: what the hook learnt
// before it ran, handed to judge after it ran.
type statement struct {
	st     *migrations.Statement
	scope  scope
	before *schema.Schema
	// createTable is the SHOW CREATE TABLE of the table an ALTER changes, before it: the
	// online-DDL measurement and the copier's dry run start from it. "" when neither runs.
	createTable string
}

// beforeStatement reads what the statement may change, and returns the judging of the
// statement for the replay to call once it ran.
func (c *compat) beforeStatement(ctx context.Context, st *migrations.Statement) (func(context.Context) error, error) {
	defer c.timed(time.Now())
	p := &statement{st: st, scope: scopeOf(st, c.known)}
	var err error
	if p.scope.created {
		p.before = &schema.Schema{Name: c.s.Replayed.Name, Flavor: c.s.srv.Flavor}
	} else if p.before, err = c.introspect(ctx, p.scope); err != nil {
		return nil, err
	}
	if t := p.scope.measured; t != "" && p.before.Table(t) != nil {
		if p.createTable, err = c.s.Replayed.ShowCreateTable(ctx, t); err != nil {
			return nil, err
		}
	}
	return func(ctx context.Context) error { return c.judge(ctx, p) }, nil
}

// judge gathers what the statement did — the models of what it touched before and after it,
// how the server runs it online, the copier's dry run on an ALTER, the probes after it — and
// hands it to the rules, which make every finding.
func (c *compat) judge(ctx context.Context, p *statement) error {
	defer c.timed(time.Now())
	st := p.st
	c.order = append(c.order, st)
	after, err := c.introspectAfter(ctx, p.scope)
	if err != nil {
		return err
	}
	rc := c.ctx
	rc.Statement, rc.Before, rc.After, rc.Deployed = st.Facts(), p.before, after, c.known
	if rc.Online, rc.NotMeasured, err = c.measure(ctx, p, after); err != nil {
		return err
	}
	if t := p.scope.measured; !c.s.opts.NoCopier && p.createTable != "" && copierCandidate(st.Node) && after.Table(t) != nil {
		if rc.DryRun, err = c.dryRun(ctx, st, t, p.before.Table(t), after.Table(t), p.createTable); err != nil {
			return err
		}
	}
	if rc.ProbeFailures, err = c.probe(ctx); err != nil {
		return err
	}
	c.found[st] = append(c.found[st], c.reg.CheckStatement(&rc)...)
	c.forget(&rc)
	return nil
}

// measure asks the server how an ALTER of a deployed table runs online. The reason it was not
// measured is returned instead where the statement changed a deployed table and could not be:
// the rules say so rather than stay silent.
func (c *compat) measure(ctx context.Context, p *statement, after *schema.Schema) (*schema.Online, string, error) {
	if p.createTable == "" {
		if p.scope.whole && changedDeployed(p.before, after, c.known) {
			return nil, "the statement's effect is only known once it ran (" + dynamicKind(p.st) + "), so how the server runs it was not measured", nil
		}
		return nil, "", nil
	}
	// Foreign keys are checked on the copy as in production, so the tables the changed table
	// references must exist there too: as the statement leaves them, since it may add a key.
	var referenced []string
	if t := after.Table(p.scope.measured); t != nil {
		for _, fk := range t.ForeignKeys {
			if fk.RefSchema != "" || strings.EqualFold(fk.RefTable, t.Name) || slices.Contains(referenced, fk.RefTable) {
				continue
			}
			referenced = append(referenced, fk.RefTable)
		}
	}
	var creates []string
	for _, ref := range referenced {
		r, err := c.s.Replayed.ShowCreateTable(ctx, ref)
		if err != nil {
			return nil, "", err
		}
		creates = append(creates, r)
	}
	online, err := c.s.srv.MeasureOnline(ctx, p.createTable, p.st, creates...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		c.s.opts.Log.Debug("online DDL not measured", "file", p.st.File, "line", p.st.Line, "err", err)
		return nil, "how the server runs it was not measured: " + strings.TrimPrefix(err.Error(), "measure online: "), nil
	}
	return online, "", nil
}

// forget takes the tables and views the statement dropped or renamed away out of the state the
// rules see as deployed.
func (c *compat) forget(rc *rules.Context) {
	var gone []string
	for _, tc := range rc.TableChanges() {
		if tc.Deployed != nil && (tc.Dropped() || tc.Renamed()) {
			gone = append(gone, tc.Name)
		}
	}
	var goneViews []string
	if rc.Before != nil && rc.After != nil {
		for _, v := range rc.Before.Views {
			if c.known.View(v.Name) != nil && rc.After.View(v.Name) == nil {
				goneViews = append(goneViews, v.Name)
			}
		}
	}
	if len(gone)+len(goneViews) > 0 {
		c.known = without(c.known, gone, goneViews)
	}
}

// probe runs the deployed application's statements and returns those that fail after this
// statement and did not before it: evidence against it, for the rules.
func (c *compat) probe(ctx context.Context) ([]rules.ProbeFailure, error) {
	if len(c.probes) == 0 {
		return nil, nil
	}
	failures, err := probe.Run(ctx, c.s.Replayed, c.probes)
	if err != nil {
		return nil, err
	}
	now := map[string]bool{}
	var out []rules.ProbeFailure
	for _, f := range failures {
		now[f.Probe.SQL] = true
		if c.failing[f.Probe.SQL] {
			continue // an earlier statement broke it already
		}
		out = append(out, rules.ProbeFailure{Table: f.Probe.Table, SQL: f.Probe.SQL, Number: f.Number, Message: f.Message})
	}
	c.failing = now
	return out, nil
}

// finish runs the file rules on every pending migration, applies suppression comments and
// returns every finding of the pending phase.
func (c *compat) finish(files map[string]*migrations.File, units map[string][]migrations.Statement) []finding.Finding {
	for key, f := range files {
		stmts := units[key]
		fc := &rules.FileContext{Path: f.Path, Statements: make([]facts.Statement, len(stmts)), Deployed: c.deployed}
		for i := range stmts {
			fc.Statements[i] = *stmts[i].Facts()
		}
		for _, fd := range c.reg.CheckFile(fc) {
			// A file rule places its finding; it belongs to the statement there.
			for i := range stmts {
				if stmts[i].File == fd.File && stmts[i].Line == fd.Line {
					c.found[&stmts[i]] = append(c.found[&stmts[i]], fd)
				}
			}
		}
	}
	// Suppression comments are read from each file's text, indexed once per file (a Liquibase
	// file holds several migrations).
	comments := map[string]*rules.Comments{}
	for _, f := range files {
		if comments[f.Path] == nil {
			comments[f.Path] = rules.NewComments(f.Content)
		}
	}
	var out []finding.Finding
	for _, st := range c.order {
		fs := c.found[st]
		if cm := comments[st.File]; cm != nil {
			out = append(out, c.reg.Suppress(st.File, cm.Above(st.Line), fs)...)
		}
		out = append(out, fs...)
	}
	return out
}

// timed adds the time since began to what judging took.
func (c *compat) timed(began time.Time) { c.spent += time.Since(began) }

// introspect reads what a statement may change of the replay database: everything, its tables,
// its views, or nothing.
func (c *compat) introspect(ctx context.Context, sc scope) (*schema.Schema, error) {
	db, name, flavor := c.s.Replayed.DB, c.s.Replayed.Name, c.s.srv.Flavor
	switch {
	case sc.whole:
		return introspect.Introspect(ctx, db, name, flavor)
	case len(sc.tables) > 0 || sc.views:
		var out *schema.Schema
		var err error
		if len(sc.tables) > 0 {
			out, err = introspect.IntrospectTables(ctx, db, name, flavor, sc.tables)
		} else {
			out = &schema.Schema{Name: name, Flavor: flavor}
		}
		if err == nil && sc.views {
			out.Views, err = introspect.IntrospectViews(ctx, db, name, flavor)
		}
		return out, err
	}
	return &schema.Schema{Name: name, Flavor: flavor}, nil
}

// introspectAfter reads what the statement changed. A table the change created anew has no
// deployed readers: the only rule about it is missing-primary-key, so it is read in full only
// when the server says it has no primary key (one cheap question instead of the model's
// queries, around every CREATE TABLE of a pull request that adds a whole schema).
func (c *compat) introspectAfter(ctx context.Context, sc scope) (*schema.Schema, error) {
	if sc.created && len(sc.tables) == 1 {
		hasKey, err := c.s.Replayed.HasPrimaryKey(ctx, sc.tables[0])
		if err != nil || hasKey {
			return &schema.Schema{Name: c.s.Replayed.Name, Flavor: c.s.srv.Flavor}, err
		}
	}
	return c.introspect(ctx, sc)
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
	out.Views = nil
	for _, v := range s.Views {
		if !dep.Table(v.Name) {
			out.Views = append(out.Views, v)
		}
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
