package report

import "github.com/schema-guard/schema-guard/finding"

// AlwaysReported are the rules whose findings --diff-only never drops. They are about the whole
// branch, not about the lines that carry them: a history finding (an edited, deleted, out-of-order
// or duplicate migration) sits on a file the change may not otherwise touch, or on a file that
// no longer exists; drift is the sum of every migration, placed wherever the object was last
// declared or changed; a replay failure or a refused statement stopped the replay, so nothing
// after it was judged and the check means nothing until it is fixed. Hiding any of them because
// their line is old would let a broken branch pass.
var AlwaysReported = map[finding.RuleID]bool{
	finding.Drift:            true,
	finding.SeedDrift:        true,
	finding.EditedMigration:  true,
	finding.DeletedMigration: true,
	finding.OutOfOrder:       true,
	finding.DuplicateVersion: true,
	finding.ChecksumMismatch: true, // atlas.sum: about the directory, not the lines of atlas.sum
	finding.ReplayFailed:     true,
	finding.ForeignDatabase:  true,
}

// KeepChanged drops the findings the change did not touch (--diff-only) and returns how many it
// dropped; the summary is recomputed, so the exit code follows what is left. has says whether
// the change touched a line of a file (line 0: the file at all), as migrations.Changed.Has does.
//
// A finding stays when its rule is in AlwaysReported, when it has no file (it is about the server
// or the run), or when any line it spans, Line through EndLine, changed: a statement's finding
// sits on its first line, and an edit to its third line changes the statement just as much. A
// finding with no line (about a whole file) stays when the file changed at all. Allowed findings
// are filtered the same way. The copier and drift sections are left as they are: they describe
// what was measured, and the findings that judge them are what gates.
func (r *Report) KeepChanged(has func(file string, line int) bool) int {
	kept := make([]finding.Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		if AlwaysReported[f.Rule] || f.File == "" || touched(f, has) {
			kept = append(kept, f)
		}
	}
	dropped := len(r.Findings) - len(kept)
	r.Findings = kept
	r.Finish()
	return dropped
}

// touched reports whether the change touched any line the finding spans.
func touched(f finding.Finding, has func(file string, line int) bool) bool {
	if f.Line <= 0 {
		return has(f.File, 0)
	}
	for line := f.Line; line <= max(f.EndLine, f.Line); line++ {
		if has(f.File, line) {
			return true
		}
	}
	return false
}
