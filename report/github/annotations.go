package github

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sethvargo/go-githubactions"

	"github.com/schema-guard/schema-guard/finding"
)

// annotationsPerLevel is how many workflow-command annotations of each level GitHub shows for a
// step; it drops the rest without a word, so annotate stops there and says how many it left out.
const annotationsPerLevel = 10

// annotate writes the findings as workflow-command annotations, at most annotationsPerLevel of
// each level, then one notice naming how many were left out and where all of them are. That
// notice counts against GitHub's notices too, so when it is needed it takes the last notice slot.
// Allowed findings are notices: they must not look like something to fix.
func annotate(action *githubactions.Action, fs []finding.Finding, elsewhere string) {
	limit := map[string]int{"error": annotationsPerLevel, "warning": annotationsPerLevel, "notice": annotationsPerLevel}
	byLevel := map[string]int{}
	for _, f := range fs {
		byLevel[commandLevel(f)]++
	}
	for level, n := range byLevel {
		if n > limit[level] {
			limit["notice"] = annotationsPerLevel - 1
			break
		}
	}

	written := map[string]int{}
	left := 0
	for _, f := range fs {
		level := commandLevel(f)
		if written[level] == limit[level] {
			left++
			continue
		}
		written[level]++
		a := action.WithFieldsMap(commandProperties(f))
		msg := annotationMessage(f)
		// The message goes through "%s": it is data, and go-githubactions escapes it.
		switch level {
		case "error":
			a.Errorf("%s", msg)
		case "warning":
			a.Warningf("%s", msg)
		default:
			a.Noticef("%s", msg)
		}
	}
	if left > 0 {
		action.Noticef("schema-guard: %s not annotated here (GitHub shows %d annotations of each level per step); %s lists all %d",
			plural(left, "more finding"), annotationsPerLevel, elsewhere, len(fs))
	}
}

// commandLevel is the workflow command for a finding.
func commandLevel(f finding.Finding) string {
	switch {
	case f.Allowed:
		return "notice"
	case f.Severity == finding.Error:
		return "error"
	case f.Severity == finding.Warning:
		return "warning"
	default:
		return "notice"
	}
}

// commandProperties places an annotation: file, line, endLine, col and title. A finding without a
// file gets no position, since a line means nothing without it.
func commandProperties(f finding.Finding) map[string]string {
	props := map[string]string{"title": annotationTitle(f)}
	if f.File == "" {
		return props
	}
	props["file"] = f.File
	if f.Line > 0 {
		props["line"] = strconv.Itoa(f.Line)
		if f.EndLine > f.Line {
			props["endLine"] = strconv.Itoa(f.EndLine)
		}
		if f.Column > 0 {
			props["col"] = strconv.Itoa(f.Column)
		}
	}
	return props
}

// annotationTitle is the rule id, marked when a suppression allows the finding.
func annotationTitle(f finding.Finding) string {
	if f.Allowed {
		return string(f.Rule) + " (allowed)"
	}
	return string(f.Rule)
}

// annotationMessage is the finding's message with its fix, or with the reason it is allowed.
func annotationMessage(f finding.Finding) string {
	var b strings.Builder
	b.WriteString(f.Message)
	if f.Allowed {
		fmt.Fprintf(&b, "\nAllowed (%s): %s", f.Severity, f.Reason)
		return b.String()
	}
	if f.Fix != "" {
		b.WriteString("\nFix: " + strings.TrimRight(f.Fix, "\n"))
	}
	return b.String()
}

// evidenceText lists what the deployed application's statements got from the server after the
// change: the proof behind a compatibility finding.
func evidenceText(es []finding.Evidence) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "old app: %s\n  → %s\n", e.SQL, e.Error)
	}
	return b.String()
}

// counts are the findings by severity; allowed findings are counted apart, not in their severity.
type counts struct {
	errors, warnings, notices, allowed int
}

// tally counts findings. It does not rely on report.Summary so that a report that was never
// Finish-ed still counts right.
func tally(fs []finding.Finding) counts {
	var c counts
	for _, f := range fs {
		switch {
		case f.Allowed:
			c.allowed++
		case f.Severity == finding.Error:
			c.errors++
		case f.Severity == finding.Warning:
			c.warnings++
		default:
			c.notices++
		}
	}
	return c
}

// String is "3 errors, 1 warning, 1 allowed", or "No findings".
func (c counts) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		word string
	}{{c.errors, "error"}, {c.warnings, "warning"}, {c.notices, "notice"}} {
		if p.n > 0 {
			parts = append(parts, plural(p.n, p.word))
		}
	}
	if c.allowed > 0 {
		parts = append(parts, fmt.Sprintf("%d allowed", c.allowed))
	}
	if len(parts) == 0 {
		return "No findings"
	}
	return strings.Join(parts, ", ")
}

// plural is "1 error", "2 errors".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// clip shortens s to at most limit bytes, cutting at a character boundary and marking the cut.
// Bytes bound GitHub's character limits from above.
func clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	const mark = "…"
	cut := limit - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}
