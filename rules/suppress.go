package rules

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/schema-guard/schema-guard/finding"
)

// AllowPrefix starts a suppression comment:
//
//	-- schema-guard:allow drop-column,rename-column the reporting job stopped reading it in 4.2
//	ALTER TABLE users DROP COLUMN surname;
const AllowPrefix = "schema-guard:allow"

// Suppression is one suppression comment.
type Suppression struct {
	Line   int
	Column int
	Rules  []finding.RuleID
	Reason string
}

// Comments indexes one migration file's lines for its suppression comments. Build it once per
// file: a file's statements each look above themselves, and splitting the file again for every
// statement would cost quadratic time on a large migration.
type Comments struct {
	lines [][]byte
}

// NewComments indexes content.
func NewComments(content []byte) *Comments {
	return &Comments{lines: bytes.Split(content, []byte("\n"))}
}

// Suppressions reads the suppression comments of the statement that starts on line (1-based)
// of content: those in the unbroken run of whole-line comments (-- or #) right above it. A blank
// line or a line of SQL ends the run, so a comment never reaches past the statement it stands
// before.
func Suppressions(content []byte, line int) []Suppression {
	return NewComments(content).Above(line)
}

// Above returns the suppression comments of the statement that starts on line (1-based); see
// Suppressions.
func (c *Comments) Above(line int) []Suppression {
	lines := c.lines
	var out []Suppression
	for i := line - 2; i >= 0 && i < len(lines); i-- {
		text := strings.TrimRight(string(lines[i]), "\r")
		trimmed := strings.TrimLeft(text, " \t")
		var body string
		switch {
		case strings.HasPrefix(trimmed, "--"):
			body = trimmed[2:]
		case strings.HasPrefix(trimmed, "#"):
			body = trimmed[1:]
		default:
			return out
		}
		rest, ok := strings.CutPrefix(strings.TrimSpace(body), AllowPrefix)
		if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			continue
		}
		ids, reason, _ := strings.Cut(strings.TrimSpace(rest), " ")
		s := Suppression{Line: i + 1, Column: len(text) - len(trimmed) + 1, Reason: strings.TrimSpace(reason)}
		for _, id := range strings.Split(ids, ",") {
			if id = strings.TrimSpace(id); id != "" {
				s.Rules = append(s.Rules, finding.RuleID(id))
			}
		}
		out = append(out, s)
	}
	return out
}

// Suppress marks the findings the suppressions cover as allowed, with the reason, and returns
// bad-suppression findings for suppressions that cannot count: no rule, no reason (a
// suppression must say why, for the reviewer), or a rule id the registry does not know.
// Findings stay in the report either way.
func (r *Registry) Suppress(file string, sups []Suppression, fs []finding.Finding) []finding.Finding {
	var bad []finding.Finding
	badAt := func(s Suppression, msg string) {
		bad = append(bad, finding.Finding{
			Rule: finding.BadSuppression, Severity: finding.Warning, File: file, Line: s.Line, Column: s.Column,
			Message: msg,
			Fix:     "Write it as: -- " + AllowPrefix + " <rule>[,<rule>] <why this is safe here>",
		})
	}
	for _, s := range sups {
		switch {
		case len(s.Rules) == 0:
			badAt(s, "this suppression names no rule, so it suppresses nothing")
			continue
		case s.Reason == "":
			badAt(s, fmt.Sprintf("this suppression of %s gives no reason, so it suppresses nothing", joinIDs(s.Rules)))
			continue
		}
		for _, id := range s.Rules {
			if r.Lookup(id) == nil {
				badAt(s, fmt.Sprintf("this suppression names %q, which is not a rule (schema-guard explain lists them)", id))
				continue
			}
			for i := range fs {
				if fs[i].Rule == id && !fs[i].Allowed {
					fs[i].Allowed, fs[i].Reason = true, s.Reason
				}
			}
		}
	}
	return bad
}

// joinIDs writes ids as a suppression comment lists them.
func joinIDs(ids []finding.RuleID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = string(id)
	}
	return strings.Join(parts, ",")
}
