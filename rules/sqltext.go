package rules

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"

	"github.com/schema-guard/schema-guard/schema"
)

// This file writes the small pieces of SQL the fixes are made of. Identifiers and strings are
// always quoted, so a plan is valid SQL whatever the names are.

// maxIdent is MySQL's and MariaDB's limit on the length of an identifier (a trigger, a
// procedure, an index, a column), in characters.
const maxIdent = 64

// qis quotes and joins identifiers: "`a`, `b`".
func qis(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = schema.QuoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// fitName joins parts with "_" into an identifier of at most 64 characters. A name that would be
// longer keeps its start and ends with a hash of the whole, so two long names stay distinct and
// the same inputs always give the same name (a later migration can drop what an earlier one
// created).
func fitName(parts ...string) string {
	name := strings.Join(parts, "_")
	r := []rune(name)
	if len(r) <= maxIdent {
		return name
	}
	sum := sha1.Sum([]byte(name))
	h := hex.EncodeToString(sum[:])[:8]
	return strings.TrimRight(string(r[:maxIdent-len(h)-1]), "_") + "_" + h
}

// indent prefixes every line of s with two spaces, for YAML and SQL shown inside prose.
func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n")
}
