package copier

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/schema-guard/schema-guard/schema"
)

// maxIdent is the longest identifier MySQL and MariaDB accept, in characters.
const maxIdent = 64

// names are the objects the copier creates for one table. They are derived from the table's name
// alone, so a later run (or Cleanup) finds what a crashed run left without any state of its own.
type names struct {
	table string
	// shadow is the new table the copy fills; it becomes table at the cut-over.
	shadow string
	// errors records the triggers' failures; the copier stops when it has a row.
	errors string
	// checkpoint records the committed chunks, for resuming a killed copy (resume.go).
	checkpoint string
	// old is the original table after the cut-over.
	old string
	// probe is an empty copy of a child table, made and dropped to check its foreign key
	// against the new definition (parents.go).
	probe string
	// The triggers on the original table, one per event.
	insTrigger, updTrigger, delTrigger string
	// lock is the named lock (GET_LOCK) a run holds, so two runs on a table exclude each other.
	lock string
}

func namesFor(database, table string) names {
	return names{
		table:      table,
		shadow:     sgName(table, "new"),
		errors:     sgName(table, "err"),
		checkpoint: sgName(table, "ckp"),
		old:        sgName(table, "old"),
		probe:      sgName(table, "fkp"),
		insTrigger: sgName(table, "ins"),
		updTrigger: sgName(table, "upd"),
		delTrigger: sgName(table, "del"),
		lock:       "schema-guard-copy-" + shortHash(database+"."+table, 32),
	}
}

// tables are the copier's tables, in the order they are dropped.
func (n names) tables() []string {
	return []string{n.shadow, n.errors, n.checkpoint, n.old, n.probe}
}

// triggers are the copier's triggers, in the order they are dropped: INSERT first, so that no
// new row reaches the shadow once the drop starts.
func (n names) triggers() []string { return []string{n.insTrigger, n.updTrigger, n.delTrigger} }

// sgName is _<table>_sg_<suffix>. A name that would pass 64 characters keeps the start of the
// table's name and a hash of all of it, so that two long names sharing a prefix stay apart.
func sgName(table, suffix string) string {
	name := "_" + table + "_sg_" + suffix
	if utf8.RuneCountInString(name) <= maxIdent {
		return name
	}
	tail := "_" + shortHash(table, 8) + "_sg_" + suffix
	keep := maxIdent - 1 - utf8.RuneCountInString(tail)
	r := []rune(table)
	return "_" + string(r[:keep]) + tail
}

func shortHash(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}

// qnames quotes identifiers and joins them with ", ", optionally qualified ("NEW.").
func qnames(prefix string, cols []string) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(prefix)
		b.WriteString(schema.QuoteIdent(c))
	}
	return b.String()
}

// sqlString is a single-quoted SQL string literal that reads the same under any sql_mode
// (NO_BACKSLASH_ESCAPES or not): backslashes and quotes are written as hex escapes' equivalent.
// Not schema.QuoteString, whose backslash escapes change meaning under NO_BACKSLASH_ESCAPES:
// the copier's literals must read the same in every session, those that run in the server's
// own sql_mode (asServer) included.
func sqlString(s string) string {
	if !strings.ContainsAny(s, "'\\\x00\n\r\x1a") {
		return "'" + s + "'"
	}
	// A hex literal in a string context is a binary string; CONVERT keeps the text's charset.
	return "CONVERT(X'" + hex.EncodeToString([]byte(s)) + "' USING utf8mb4)"
}
