package migrations

import (
	"bytes"
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
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
	h := newHistory(head, base)
	// Deployed: production ran these, with the content they had at the base ref.
	steps := baselineSteps(h.deployed, Deployed, h.order)
	h.findRenames()
	pending, findings := h.pending()
	steps = append(steps, baselinePending(pending, len(h.deployed) > 0, h.order)...)
	findings = append(findings, h.outOfOrder(pending)...)
	findings = append(findings, h.deleted()...)
	if head.Format == Liquibase {
		findings = append(findings, duplicates(fileSteps(head.Files))...)
	} else {
		findings = append(findings, duplicates(steps)...)
	}
	return steps, findings
}

// history is what Plan compares: the files of head and of base, by key.
type history struct {
	head      *Set
	deployed  []*File // base's files, nil without a base ref
	order     func(a, b *File) int
	headByKey map[string]*File // the first file of each key in head
	baseByKey map[string]*File
	// newest is the newest deployed migration, where it now sits in head (a Liquibase
	// changeset's line moves when lines are added above it); nil when none is deployed.
	newest *File
	// renamedTo maps the key of a deployed file gone from head to the new head file with its
	// content; renamedFrom is the reverse.
	renamedTo   map[string]*File
	renamedFrom map[*File]string
}

func newHistory(head, base *Set) *history {
	h := &history{head: head, order: replayOrder(head.Format), headByKey: map[string]*File{}, baseByKey: map[string]*File{}}
	for _, f := range head.Files {
		if h.headByKey[f.Key()] == nil { // a second one of the same key is a duplicate, reported below
			h.headByKey[f.Key()] = f
		}
	}
	if base != nil {
		h.deployed = base.Files
	}
	for _, f := range h.deployed {
		h.baseByKey[f.Key()] = f
	}
	for _, old := range h.deployed {
		if positionless(old) || old.Skip != "" {
			continue
		}
		at := old
		if f := h.headByKey[old.Key()]; f != nil {
			at = f
		}
		if h.newest == nil || h.order(at, h.newest) > 0 {
			h.newest = at
		}
	}
	return h
}

// findRenames finds the files of head that are new (not at the base ref) but a deployed file
// renamed: each deployed file that is gone takes the first new file of the same content not
// taken yet. The new files are grouped by checksum and each group taken from the front, so
// that a history of thousands of files stays linear.
func (h *history) findRenames() {
	h.renamedTo, h.renamedFrom = map[string]*File{}, map[*File]string{}
	newByChecksum := map[string][]*File{}
	for _, f := range h.head.Files {
		if h.baseByKey[f.Key()] == nil {
			newByChecksum[f.Checksum] = append(newByChecksum[f.Checksum], f)
		}
	}
	for _, old := range h.deployed {
		if h.headByKey[old.Key()] != nil {
			continue
		}
		if same := newByChecksum[old.Checksum]; len(same) > 0 {
			h.renamedTo[old.Key()], h.renamedFrom[same[0]] = same[0], old.Key()
			newByChecksum[old.Checksum] = same[1:]
		}
	}
}

// pending returns the files to replay after the deployed ones, in head's order (where Flyway's
// repeatables already come last), and an edited-migration finding for each deployed file whose
// content changed.
func (h *history) pending() (pending []*File, findings []finding.Finding) {
	for _, f := range h.head.Files {
		if h.headByKey[f.Key()] != f {
			continue // a duplicate of an earlier migration: the tool refuses it
		}
		old := h.baseByKey[f.Key()]
		switch {
		case old == nil:
			if from := h.renamedFrom[f]; from != "" && h.baseByKey[from].Version.Compare(f.Version) == 0 && keepsIdentity(f.Format) {
				// A rename that keeps the version: the tool sees a migration it already ran.
				continue
			}
			pending = append(pending, f)
		case old.Checksum == f.Checksum && !f.Always:
			// Deployed and unchanged.
		case f.Kind == Repeatable:
			// A changed repeatable migration runs again: that is what repeatables are for.
			pending = append(pending, f)
		default:
			findings = append(findings, edited(old, f))
		}
	}
	return pending, findings
}

// outOfOrder finds the pending migrations that sort before the newest deployed one.
func (h *history) outOfOrder(pending []*File) []finding.Finding {
	var findings []finding.Finding
	newest := h.newest
	for _, f := range pending {
		if f.Kind == Baseline || positionless(f) || f.Skip != "" || newest == nil || h.baseByKey[f.Key()] != nil {
			continue
		}
		late := h.order(f, newest) < 0 && historyKey(f) != historyKey(newest)
		if f.Format == Temporal && f.Version.Compare(newest.Version) == 0 {
			late = true // a file added to a deployed version folder never runs where that version is
		}
		if late {
			findings = append(findings, finding.Finding{
				Rule: finding.OutOfOrder, Severity: finding.Error, File: f.Path, Line: f.startLine(),
				Message: fmt.Sprintf("pending %s sorts before %s, the newest deployed one; environments that already ran it would skip it, run it out of order or refuse to migrate", describeMigration(f), describeMigration(newest)),
				Fix:     fmt.Sprintf("Move it after %s: %s.", describeMigration(newest), laterHow(f.Format)),
			})
		}
	}
	return findings
}

// deleted finds the deployed migrations gone from head, removed or renamed.
func (h *history) deleted() []finding.Finding {
	var findings []finding.Finding
	for _, old := range h.deployed {
		if h.headByKey[old.Key()] != nil {
			continue
		}
		f := finding.Finding{Rule: finding.DeletedMigration, Severity: finding.Error, File: old.Path, Line: old.startLine()}
		if to := h.renamedTo[old.Key()]; to != nil {
			f.Message = fmt.Sprintf("deployed migration %s was renamed to %s; the migration history of every environment still names the old one", old.Name(), to.Name())
			f.Fix = fmt.Sprintf("Restore %s; change the schema in a new migration instead.", old.Name())
		} else {
			f.Message = fmt.Sprintf("deployed migration %s was removed; environments already ran it and new ones would no longer build the same schema", old.Name())
			f.Fix = fmt.Sprintf("Restore %s as it is at the base ref; undo its effect in a new migration instead.", old.Name())
		}
		findings = append(findings, f)
	}
	return findings
}

// positionless reports whether a migration has no place in the order: Flyway's repeatables run
// after all versioned ones, whatever their names.
func positionless(f *File) bool { return f.Format == Flyway && f.Kind == Repeatable }

// keepsIdentity reports whether the tool knows a migration by its version, so that a rename
// that keeps the version is not a new migration to it. Tools that know migrations by file name
// (Prisma's folders, Liquibase's changelog path, Atlas's and dbmate's versions are names too)
// run a renamed file again.
func keepsIdentity(f Format) bool {
	switch f {
	case Prisma, Liquibase:
		return false
	}
	return true
}

// describeMigration names a migration in a history message: by version where versions order,
// else by name.
func describeMigration(f *File) string {
	switch f.Format {
	case Liquibase:
		return f.Name()
	case Prisma:
		return "migration " + path.Base(path.Dir(f.Path))
	}
	return "version " + f.Version.String()
}

// laterHow says how to move a migration later in the format's order.
func laterHow(f Format) string {
	switch f {
	case Liquibase:
		return "put the changeset after the deployed ones, in the last changelog file or a new one that sorts last"
	case Prisma:
		return "rename its folder with a newer timestamp"
	case Temporal:
		return "put it in a new version folder"
	}
	return "rename the file to a later version"
}

func fileSteps(files []*File) []Step {
	out := make([]Step, len(files))
	for i, f := range files {
		out[i] = Step{File: f, State: Pending}
	}
	return out
}

// edited reports a deployed migration whose content changed, at the first line that differs.
func edited(old, f *File) finding.Finding {
	line := f.startLine() - 1 + firstDifferentLine(old.region(), f.region())
	what := "deployed migration was edited"
	if f.ID != "" {
		what = fmt.Sprintf("deployed changeset %s was edited", f.ID)
	}
	return finding.Finding{
		Rule: finding.EditedMigration, Severity: finding.Error, File: f.Path, Line: line,
		Message: fmt.Sprintf("%s (first change at line %d); environments that already ran it keep the old version, so they now differ from new ones", what, line),
		Fix:     "Revert the edit and put the change in a new migration.",
	}
}

// region is the part of the file that is the migration: from its first line to its end.
func (f *File) region() []byte {
	if f.part == nil {
		return f.Content
	}
	return f.Content[f.part.start:f.part.to]
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

// baselineSteps turns files into steps, applying the baseline rule for an empty database
// (Flyway's baselines, Atlas's checkpoints): the newest baseline migration runs, and no
// migration before it does.
func baselineSteps(files []*File, state State, order func(a, b *File) int) []Step {
	var newest *File
	for _, f := range files {
		if f.Kind == Baseline && (newest == nil || order(f, newest) > 0) {
			newest = f
		}
	}
	steps := make([]Step, 0, len(files))
	for _, f := range files {
		s := Step{File: f, State: state, Skip: f.Skip}
		switch {
		case s.Skip != "" || newest == nil:
		case f.Kind == Baseline && f != newest:
			s.Skip = fmt.Sprintf("a newer baseline, %s, is used", newest.Path)
		case f.Kind == Versioned && order(f, newest) < 0:
			s.Skip = fmt.Sprintf("baseline %s covers it", newest.Path)
		}
		steps = append(steps, s)
	}
	return steps
}

// baselinePending is baselineSteps for pending files; a pending baseline on a database that
// already has deployed migrations does not run, as Flyway runs baselines only on empty databases.
func baselinePending(files []*File, hasDeployed bool, order func(a, b *File) int) []Step {
	if !hasDeployed {
		return baselineSteps(files, Pending, order)
	}
	steps := make([]Step, 0, len(files))
	for _, f := range files {
		s := Step{File: f, State: Pending, Skip: f.Skip}
		if f.Kind == Baseline {
			s.Skip = "baseline migrations run only on an empty database, and deployed migrations exist"
		}
		steps = append(steps, s)
	}
	return steps
}

// duplicates reports every migration whose identity an earlier one already has: the version
// for most tools, the folder name (ignoring case, which checkouts on macOS and Windows fold)
// for Prisma, the file and author:id for a Liquibase changeset. Flyway's repeatables have no
// version; a baseline may share its version with the versioned migration it stands in for.
func duplicates(steps []Step) []finding.Finding {
	type seen struct{ group, path string }
	var out []finding.Finding
	first := map[string]seen{}
	ordered := slices.Clone(steps)
	// Deployed first, then by version, so the finding lands on the newcomer.
	slices.SortStableFunc(ordered, func(a, b Step) int {
		return cmp.Or(cmp.Compare(stateRank(a.State), stateRank(b.State)), a.File.Version.Compare(b.File.Version))
	})
	for _, s := range ordered {
		f := s.File
		if positionless(f) {
			continue
		}
		key, group := historyKey(f), duplicateGroup(f)
		if prev, ok := first[key]; ok && prev.group != group {
			msg := fmt.Sprintf("version %s is also the version of %s; migration tools refuse two migrations with one version, or run only one of them", f.Version, prev.path)
			fix := "Give this migration the next free version."
			switch f.Format {
			case Liquibase:
				msg = fmt.Sprintf("changeset %s is also at line %s of %s; Liquibase refuses a changelog with two changesets of one author and id", f.ID, strings.TrimPrefix(prev.group, f.Path+":"), f.Path)
				fix = "Give this changeset an id of its own."
			case Prisma:
				msg = fmt.Sprintf("migration folder %s differs from %s only in case; on a case-insensitive checkout they are one folder", path.Dir(f.Path), path.Dir(prev.path))
				fix = "Rename the folder."
			}
			out = append(out, finding.Finding{
				Rule: finding.DuplicateVersion, Severity: finding.Error, File: f.Path, Line: f.startLine(),
				Message: msg, Fix: fix,
			})
			continue
		}
		first[key] = seen{group: group, path: f.Path}
	}
	return out
}

// historyKey is what must be unique among a history's migrations.
func historyKey(f *File) string {
	switch f.Format {
	case Liquibase:
		return "changeset:" + f.Key()
	case Prisma:
		return "folder:" + strings.ToLower(path.Dir(f.Path))
	}
	return fmt.Sprintf("%d/%s", f.Kind, canonical(f.Version))
}

// duplicateGroup says which migrations may share a history key: the files of one Temporal
// version folder share its version; otherwise only a migration with itself.
func duplicateGroup(f *File) string {
	switch f.Format {
	case Temporal:
		return path.Dir(f.Path)
	case Liquibase:
		return fmt.Sprintf("%s:%d", f.Path, f.Line)
	}
	return f.Path
}

// canonical is a version's comparable form: 1.0 and 1, 001 and 1 give the same string.
func canonical(v Version) string {
	if v.text {
		return "text:" + v.raw
	}
	return fmt.Sprint(v.parts)
}

func stateRank(s State) int {
	if s == Deployed {
		return 0
	}
	return 1
}
