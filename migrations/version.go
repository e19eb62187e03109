package migrations

import (
	"cmp"
	"fmt"
	"strings"
)

// Version is a migration version: one or more numeric parts, compared part by part as numbers of
// any size, as Flyway does (1.2 < 1.10, and 1.0 equals 1). Single-number versions (golang-migrate,
// goose, dbmate, plain) are one part; timestamps like 20240101120000 compare numerically too.
type Version struct {
	raw   string
	parts []string // decimal digits without leading zeros ("" for zero); trailing zero parts removed
	// text marks a version compared as a string, as Atlas and Prisma compare theirs.
	text bool
}

// TextVersion is a version that compares as text, byte by byte: Atlas orders "10" before "9",
// Prisma orders folder names, and a Liquibase changeset's version is its "author:id".
func TextVersion(s string) Version { return Version{raw: s, text: true} }

// ParseVersion reads a version whose parts are separated by '.' or '_' (Flyway's V1_2 is 1.2).
func ParseVersion(s string) (Version, error) {
	if s == "" {
		return Version{}, fmt.Errorf("empty version")
	}
	fields := strings.Split(strings.ReplaceAll(s, "_", "."), ".")
	parts := make([]string, len(fields))
	for i, f := range fields {
		if f == "" {
			// "1..2", ".1", "1." — Flyway rejects these too.
			return Version{}, fmt.Errorf("malformed version %q: empty part", s)
		}
		for _, r := range f {
			if r < '0' || r > '9' {
				return Version{}, fmt.Errorf("malformed version %q: %q is not a number", s, f)
			}
		}
		parts[i] = strings.TrimLeft(f, "0")
	}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return Version{raw: s, parts: parts}, nil
}

// IsZero reports whether v is the zero Version (a repeatable migration has no version).
func (v Version) IsZero() bool { return v.raw == "" }

// String is the version as written in the file name, with Flyway's underscores shown as dots.
func (v Version) String() string {
	if v.text {
		return v.raw
	}
	return strings.ReplaceAll(v.raw, "_", ".")
}

// Compare returns -1, 0 or +1 as v sorts before, equal to or after w. Equal versions may be
// written differently: 1.0 and 1, 001 and 1.
func (v Version) Compare(w Version) int {
	if v.text || w.text {
		return cmp.Compare(v.raw, w.raw)
	}
	for i := 0; i < max(len(v.parts), len(w.parts)); i++ {
		var a, b string
		if i < len(v.parts) {
			a = v.parts[i]
		}
		if i < len(w.parts) {
			b = w.parts[i]
		}
		// Without leading zeros, a longer digit string is a larger number.
		if c := cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b)); c != 0 {
			return c
		}
	}
	return 0
}
