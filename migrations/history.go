package migrations

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"

	"github.com/schema-guard/schema-guard/finding"
)

// Rule ids of the history findings.
const (
	RuleEditedMigration  = "edited-migration"
	RuleDeletedMigration = "deleted-migration"
	RuleOutOfOrder       = "out-of-order"
	RuleDuplicateVersion = "duplicate-version"
)

// State says whether production already ran a migration.
type State string

// The states of a migration against the base ref.
const (
	// Deployed migrations are in the base ref; production ran their base-ref content.
	Deployed State = "deployed"
	// Pending migrations are added (or, for repeatables, changed) by the change under review.
	Pending State = "pending"
)

// Step is one migration file in replay order.
type Step struct {
	File  *File
	State State
	// Skip, when not empty, says why the step is not replayed (a Flyway baseline covers it).
	Skip string
}

// Plan orders the migrations of head for replay against base: the files of base (deployed, with
// their base content, in base order), then what head adds (pending, in head order). base is nil
// when there is no base ref: then everything in head is pending.
//
// It returns the history findings too: edited-migration (a deployed file's content changed),
// deleted-migration (a deployed file removed or renamed), out-of-order (a pending version sorts
// before the newest deployed one) and duplicate-version (two files with one version).
func Plan(head, base *Set) ([]Step, []finding.Finding) {
	var (
		steps    []Step
		findings []finding.Finding
	)
	headByPath := map[string]*File{}
	for _, f := range head.Files {
		headByPath[f.Path] = f
	}
	var deployed []*File
	if base != nil {
		deployed = base.Files
	}
	baseByPath := map[string]*File{}
	for _, f := range deployed {
		baseByPath[f.Path] = f
	}

	// Deployed: production ran these, with the content they had at the base ref.
	steps = append(steps, baselineSteps(deployed, Deployed)...)
	var newest Version
	for _, f := range deployed {
		if f.Kind != Repeatable && f.Version.Compare(newest) > 0 {
			newest = f.Version
		}
	}

	// Files of head that are new (not at the base ref, and not a deployed file renamed).
	renamedTo := map[string]*File{} // deployed path → the head file with its content
	for _, old := range deployed {
		if headByPath[old.Path] != nil {
			continue
		}
		for _, f := range head.Files {
			if baseByPath[f.Path] == nil && f.Checksum == old.Checksum && renamedFrom(renamedTo, f) == "" {
				renamedTo[old.Path] = f
				break
			}
		}
	}

	var versioned, repeatable []*File
	for _, f := range head.Files {
		old := baseByPath[f.Path]
		switch {
		case old == nil:
			if from := renamedFrom(renamedTo, f); from != "" && baseByPath[from].Version.Compare(f.Version) == 0 {
				// A rename that keeps the version: the tool sees a migration it already ran.
				continue
			}
			if f.Kind == Repeatable {
				repeatable = append(repeatable, f)
			} else {
				versioned = append(versioned, f)
			}
		case old.Checksum == f.Checksum:
			// Deployed and unchanged.
		case f.Kind == Repeatable:
			// A changed repeatable migration runs again: that is what repeatables are for.
			repeatable = append(repeatable, f)
		default:
			findings = append(findings, edited(old, f))
		}
	}
	pending := append(versioned, repeatable...)
	steps = append(steps, baselinePending(pending, len(deployed) > 0)...)

	for _, f := range versioned {
		if f.Kind == Versioned && !newest.IsZero() && f.Version.Compare(newest) < 0 {
			findings = append(findings, finding.Finding{
				Rule: RuleOutOfOrder, Severity: finding.Error, File: f.Path, Line: 1,
				Message: fmt.Sprintf("pending migration version %s sorts before %s, the newest deployed version; environments that already ran %s would skip it or refuse to migrate", f.Version, newest, newest),
				Fix:     fmt.Sprintf("Rename the file to a version after %s.", newest),
			})
		}
	}
	for _, old := range deployed {
		if headByPath[old.Path] != nil {
			continue
		}
		f := finding.Finding{Rule: RuleDeletedMigration, Severity: finding.Error, File: old.Path, Line: 1}
		if to := renamedTo[old.Path]; to != nil {
			f.Message = fmt.Sprintf("deployed migration %s was renamed to %s; the migration history of every environment still names the old file", old.Path, to.Path)
			f.Fix = fmt.Sprintf("Restore the name %s; change the schema in a new migration instead.", old.Path)
		} else {
			f.Message = fmt.Sprintf("deployed migration %s was removed; environments already ran it and new ones would no longer build the same schema", old.Path)
			f.Fix = fmt.Sprintf("Restore %s as it is at the base ref; undo its effect in a new migration instead.", old.Path)
		}
		findings = append(findings, f)
	}
	findings = append(findings, duplicates(steps)...)
	return steps, findings
}

// renamedFrom returns the deployed path that f is a rename of, or "".
func renamedFrom(renamedTo map[string]*File, f *File) string {
	for from, to := range renamedTo {
		if to == f {
			return from
		}
	}
	return ""
}

// edited reports a deployed file whose content changed, at the first line that differs.
func edited(old, f *File) finding.Finding {
	line := firstDifferentLine(old.Content, f.Content)
	return finding.Finding{
		Rule: RuleEditedMigration, Severity: finding.Error, File: f.Path, Line: line,
		Message: fmt.Sprintf("deployed migration was edited (first change at line %d); environments that already ran it keep the old version, so they now differ from new ones", line),
		Fix:     "Revert the edit and put the change in a new migration.",
	}
}

func firstDifferentLine(a, b []byte) int {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < min(len(al), len(bl)); i++ {
		if !bytes.Equal(bytes.TrimSuffix(al[i], []byte("\r")), bytes.TrimSuffix(bl[i], []byte("\r"))) {
			return i + 1
		}
	}
	return min(len(al), len(bl))
}

// baselineSteps turns files into steps, applying Flyway's baseline rule for an empty database:
// the newest baseline migration runs, and no versioned migration up to its version does.
func baselineSteps(files []*File, state State) []Step {
	var newest *File
	for _, f := range files {
		if f.Kind == Baseline && (newest == nil || f.Version.Compare(newest.Version) > 0) {
			newest = f
		}
	}
	steps := make([]Step, 0, len(files))
	for _, f := range files {
		s := Step{File: f, State: state}
		switch {
		case newest == nil:
		case f.Kind == Baseline && f != newest:
			s.Skip = fmt.Sprintf("a newer baseline, %s, is used", newest.Path)
		case f.Kind == Versioned && f.Version.Compare(newest.Version) <= 0:
			s.Skip = fmt.Sprintf("baseline %s covers it", newest.Path)
		}
		steps = append(steps, s)
	}
	return steps
}

// baselinePending is baselineSteps for pending files; a pending baseline on a database that
// already has deployed migrations does not run, as Flyway runs baselines only on empty databases.
func baselinePending(files []*File, hasDeployed bool) []Step {
	if !hasDeployed {
		return baselineSteps(files, Pending)
	}
	steps := make([]Step, 0, len(files))
	for _, f := range files {
		s := Step{File: f, State: Pending}
		if f.Kind == Baseline {
			s.Skip = "baseline migrations run only on an empty database, and deployed migrations exist"
		}
		steps = append(steps, s)
	}
	return steps
}

// duplicates reports every file whose version an earlier file already has. Repeatables have no
// version; a baseline may share its version with the versioned migration it stands in for.
func duplicates(steps []Step) []finding.Finding {
	type seen struct {
		kind Kind
		path string
	}
	var out []finding.Finding
	first := map[string]seen{}
	ordered := slices.Clone(steps)
	// Deployed first, then by version, so the finding lands on the newcomer.
	slices.SortStableFunc(ordered, func(a, b Step) int {
		return cmp.Or(cmp.Compare(stateRank(a.State), stateRank(b.State)), a.File.Version.Compare(b.File.Version))
	})
	for _, s := range ordered {
		f := s.File
		if f.Kind == Repeatable {
			continue
		}
		key := fmt.Sprintf("%d/%s", f.Kind, canonical(f.Version))
		if prev, ok := first[key]; ok && prev.path != f.Path {
			out = append(out, finding.Finding{
				Rule: RuleDuplicateVersion, Severity: finding.Error, File: f.Path, Line: 1,
				Message: fmt.Sprintf("version %s is also the version of %s; migration tools refuse two migrations with one version, or run only one of them", f.Version, prev.path),
				Fix:     "Give this migration the next free version.",
			})
			continue
		}
		first[key] = seen{kind: f.Kind, path: f.Path}
	}
	return out
}

// canonical is a version's comparable form: 1.0 and 1, 001 and 1 give the same string.
func canonical(v Version) string { return fmt.Sprint(v.parts) }

func stateRank(s State) int {
	if s == Deployed {
		return 0
	}
	return 1
}
