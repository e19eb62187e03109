package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
)

// Off is the configured level that turns a rule off.
const Off = "off"

// allRules builds every rule afresh, in the order Registry.Rules documents: first what breaks
// the deployed application (renames, drops, NOT NULL, defaults, types), then what depends on the
// data (keys and constraints), then availability and hygiene, then what the probes measure, the
// parser could not read and the suppression comments say, then the copier's dry run. A function rather than a package variable, so no registry can change
// another's rules.
func allRules() []*Rule {
	return []*Rule{
		renameColumnRule(),
		renameTableRule(),
		dropColumnRule(),
		dropTableRule(),
		dropViewRule(),
		dependentObjectRule(),
		notNullWithoutDefaultRule(),
		tightenNotNullRule(),
		dropDefaultRule(),
		narrowTypeRule(),
		enumChangeRule(),
		collationChangeRule(),
		dropPrimaryKeyRule(),
		engineChangeRule(),
		truncateTableRule(),
		addUniqueRule(),
		addForeignKeyRule(),
		addCheckRule(),
		blockingDDLRule(),
		unboundedDMLRule(),
		mixedDDLDMLRule(),
		missingPrimaryKeyRule(),
		oldAppBreakRule(),
		opaqueStatementRule(),
		badSuppressionRule(),
		copierDataLossRule(),
		copierFailedRule(),
		copierRefusedRule(),
	}
}

// Registry is the set of rules of one check run with their configured levels. The checker
// builds one from the configuration and asks it which rules run and how severe their findings
// are; nothing in it is shared with another registry.
type Registry struct {
	rules []*Rule
	byID  map[finding.RuleID]*Rule
	// levels holds the configured level of the rules the configuration names: a severity, or
	// Off. A rule it does not name keeps the severity of its findings.
	levels map[finding.RuleID]string
}

// NewRegistry builds the registry from the configuration's `rules: {<id>: off|notice|warning|error}`
// (nil for none). Ids and levels compare case-insensitively. Unknown ids and levels are an error
// that names every one of them on one line.
func NewRegistry(levels map[string]string) (*Registry, error) {
	r := &Registry{rules: allRules(), byID: map[finding.RuleID]*Rule{}, levels: map[finding.RuleID]string{}}
	for _, rule := range r.rules {
		r.byID[rule.ID] = rule
	}
	var unknownIDs, badLevels []string
	for id, level := range levels {
		key := normalID(finding.RuleID(id))
		lv := strings.ToLower(strings.TrimSpace(level))
		if r.byID[key] == nil {
			unknownIDs = append(unknownIDs, fmt.Sprintf("%q", id))
			continue
		}
		switch lv {
		case Off, string(finding.Notice), string(finding.Warning), string(finding.Error):
			r.levels[key] = lv
		default:
			badLevels = append(badLevels, fmt.Sprintf("%q for %s", level, key))
		}
	}
	if len(unknownIDs) == 0 && len(badLevels) == 0 {
		return r, nil
	}
	// Map iteration order is random; the message must not be.
	slices.Sort(unknownIDs)
	slices.Sort(badLevels)
	var parts []string
	if len(unknownIDs) > 0 {
		parts = append(parts, "unknown rule "+strings.Join(unknownIDs, ", ")+" (schema-guard explain lists the rules)")
	}
	if len(badLevels) > 0 {
		parts = append(parts, "unknown level "+strings.Join(badLevels, ", ")+" (want off, notice, warning or error)")
	}
	return nil, fmt.Errorf("config rules: %s", strings.Join(parts, "; "))
}

// Rules returns every rule, enabled or not, in a stable order: rename-column, rename-table,
// drop-column, drop-table, drop-view, dependent-object, not-null-without-default,
// tighten-not-null, drop-default, narrow-type, enum-change, collation-change,
// drop-primary-key, engine-change, truncate-table, add-unique, add-foreign-key, add-check,
// blocking-ddl, unbounded-dml, mixed-ddl-dml, missing-primary-key, old-app-break,
// opaque-statement, bad-suppression, then the copier's. The slice is the
// caller's; the rules are the registry's and must not be changed.
func (r *Registry) Rules() []*Rule {
	return slices.Clone(r.rules)
}

// Lookup returns the rule with the id (compared case-insensitively), or nil.
func (r *Registry) Lookup(id finding.RuleID) *Rule {
	return r.byID[normalID(id)]
}

// normalID is how the registry compares ids: case-insensitively, without surrounding space.
func normalID(id finding.RuleID) finding.RuleID {
	return finding.RuleID(strings.ToLower(strings.TrimSpace(string(id))))
}

// Enabled reports whether the rule exists and the configuration does not turn it off.
func (r *Registry) Enabled(id finding.RuleID) bool {
	key := normalID(id)
	return r.byID[key] != nil && r.levels[key] != Off
}

// Level returns the configured level of a rule ("off", "notice", "warning" or "error"), or ""
// when the configuration does not name it.
func (r *Registry) Level(id finding.RuleID) string {
	return r.levels[normalID(id)]
}

// Apply gives a finding its configured level: a level set in the configuration replaces the
// finding's severity, and false means the rule is off and the finding must be dropped. Without a
// configured level the finding keeps its own severity, which may differ from the rule's default
// where the rule says so (tighten-not-null, blocking-ddl). Findings of ids the registry does not
// know (other stages' findings) pass unchanged.
func (r *Registry) Apply(f finding.Finding) (finding.Finding, bool) {
	switch lv := r.Level(f.Rule); lv {
	case "":
		return f, true
	case Off:
		return f, false
	default:
		f.Severity = finding.Severity(lv)
		return f, true
	}
}

// CheckStatement runs every enabled statement rule on one pending statement, then turns the
// probe failures into evidence (old-app-break), and returns the findings with the configured
// levels applied, placed at the statement unless a rule placed them. An opaque statement (one
// the parser cannot read) is judged too, by what the models say it did.
func (r *Registry) CheckStatement(ctx *Context) []finding.Finding {
	if ctx == nil || ctx.Statement == nil {
		return nil
	}
	var out []finding.Finding
	for _, rule := range r.rules {
		if rule.Statement == nil || !r.Enabled(rule.ID) {
			continue
		}
		for _, f := range rule.Statement(ctx) {
			if f, ok := r.Apply(ctx.place(f)); ok {
				out = append(out, f)
			}
		}
	}
	return r.probed(ctx, out)
}

// place puts a finding at the statement, unless its rule placed it.
func (ctx *Context) place(f finding.Finding) finding.Finding {
	if f.File == "" {
		st := ctx.Statement
		f.File, f.Line, f.Column, f.EndLine = st.File, st.Line, st.Column, st.EndLine
	}
	return f
}

// CheckFile runs every enabled file rule on one pending migration file and returns their
// findings with the configured levels applied.
func (r *Registry) CheckFile(ctx *FileContext) []finding.Finding {
	if ctx == nil {
		return nil
	}
	var out []finding.Finding
	for _, rule := range r.rules {
		if rule.File == nil || !r.Enabled(rule.ID) {
			continue
		}
		for _, f := range rule.File(ctx) {
			if f, ok := r.Apply(f); ok {
				out = append(out, f)
			}
		}
	}
	return out
}
