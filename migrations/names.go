package migrations

import (
	"fmt"
	"strconv"
	"strings"
)

// name is what a migration file name says, once a format has recognised it.
type name struct {
	kind    Kind
	version Version
	desc    string
	// skip marks a file the tool knows but never runs forward (a Flyway undo, a golang-migrate
	// down file): it is left out without a warning.
	skip bool
}

// parseName reads a file name (without directory) in the given concrete format. When the format
// does not recognise it, why is a sentence for the ignored-file warning.
func parseName(format Format, base string) (n name, why string, ok bool) {
	switch format {
	case Flyway:
		n, ok = flywayName(base)
		why = fmt.Sprintf("%s is not a Flyway migration name (V<version>__<description>.sql): "+
			"Flyway would silently skip it", base)
		if event := flywayCallback(base); event != "" {
			why = fmt.Sprintf("%s is a Flyway %s callback: Flyway runs it, schema-guard does not "+
				"replay callbacks, so the check misses what it changes", base, event)
		}
	case GolangMigrate:
		n, ok = golangMigrateName(base)
		why = fmt.Sprintf("%s is not a golang-migrate migration name (<version>_<title>.up.sql): "+
			"golang-migrate would silently skip it", base)
	case Goose:
		n, ok = gooseName(base, ".sql")
		why = fmt.Sprintf("%s is not a goose migration name (<version>_<description>.sql): "+
			"goose would silently skip it", base)
	case Dbmate:
		n, ok = leadingNumberName(base)
		why = fmt.Sprintf("%s is not a dbmate migration name (<version>_<description>.sql): "+
			"dbmate would silently skip it", base)
	case Plain:
		n, ok = leadingNumberName(base)
		why = fmt.Sprintf("%s does not start with a number, so it has no place in the order "+
			"of plain migrations (001_init.sql, 2-users.sql): it is not replayed", base)
	}
	return n, why, ok
}

// flywayName reads V<version>__<desc>.sql, B<version>__<desc>.sql, U<version>__<desc>.sql and
// R__<desc>.sql. Flyway's prefixes and separator are case-sensitive.
func flywayName(base string) (name, bool) {
	stem, ok := strings.CutSuffix(base, ".sql")
	if !ok || len(stem) < 3 {
		return name{}, false
	}
	prefix, rest := stem[0], stem[1:]
	if prefix == 'R' {
		desc, ok := strings.CutPrefix(rest, "__")
		if !ok || desc == "" {
			return name{}, false
		}
		return name{kind: Repeatable, desc: describe(desc)}, true
	}
	ver, desc, ok := strings.Cut(rest, "__")
	if !ok {
		return name{}, false
	}
	v, err := ParseVersion(ver)
	if err != nil {
		return name{}, false
	}
	n := name{kind: Versioned, version: v, desc: describe(desc)}
	switch prefix {
	case 'V':
	case 'B':
		n.kind = Baseline
	case 'U':
		n.skip = true
	default:
		return name{}, false
	}
	return n, true
}

// golangMigrateName reads <version>_<title>.up.sql and <version>_<title>.down.sql, the version
// being an unsigned 64-bit number as golang-migrate requires.
func golangMigrateName(base string) (name, bool) {
	stem, ok := strings.CutSuffix(base, ".up.sql")
	down := false
	if !ok {
		if stem, ok = strings.CutSuffix(base, ".down.sql"); !ok {
			return name{}, false
		}
		down = true
	}
	ver, title, ok := strings.Cut(stem, "_")
	if !ok || !allDigits(ver) {
		return name{}, false
	}
	if _, err := strconv.ParseUint(ver, 10, 64); err != nil {
		return name{}, false
	}
	v, err := ParseVersion(ver)
	if err != nil {
		return name{}, false
	}
	return name{version: v, desc: describe(title), skip: down}, true
}

// gooseName reads <version>_<desc><ext>; goose wants a positive 64-bit version.
func gooseName(base, ext string) (name, bool) {
	stem, ok := strings.CutSuffix(base, ext)
	if !ok {
		return name{}, false
	}
	ver, desc, ok := strings.Cut(stem, "_")
	if !ok || !allDigits(ver) {
		return name{}, false
	}
	if n, err := strconv.ParseInt(ver, 10, 64); err != nil || n < 1 {
		return name{}, false
	}
	v, err := ParseVersion(ver)
	if err != nil {
		return name{}, false
	}
	return name{version: v, desc: describe(desc)}, true
}

// leadingNumberName reads <digits><anything>.sql, as dbmate does and as plain directories are
// numbered (001_init.sql, 2-users.sql, 10.sql).
func leadingNumberName(base string) (name, bool) {
	stem, ok := strings.CutSuffix(base, ".sql")
	if !ok {
		return name{}, false
	}
	i := 0
	for i < len(stem) && stem[i] >= '0' && stem[i] <= '9' {
		i++
	}
	if i == 0 {
		return name{}, false
	}
	v, err := ParseVersion(stem[:i])
	if err != nil {
		return name{}, false
	}
	return name{version: v, desc: describe(strings.TrimLeft(stem[i:], "_-. "))}, true
}

// describe turns the descriptive part of a name into words, as Flyway shows it.
func describe(s string) string { return strings.ReplaceAll(s, "_", " ") }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// flywayCallbacks are the events a Flyway SQL callback file can be named after
// (beforeMigrate.sql, afterEachMigrate__grants.sql).
var flywayCallbacks = []string{
	"beforeMigrate", "beforeRepeatables", "beforeEachMigrate", "beforeEachMigrateStatement",
	"afterEachMigrateStatement", "afterEachMigrateStatementError", "afterEachMigrate",
	"afterEachMigrateError", "afterMigrate", "afterMigrateApplied", "afterVersioned",
	"afterMigrateError", "beforeClean", "afterClean", "afterCleanError", "beforeValidate",
	"afterValidate", "afterValidateError", "beforeBaseline", "afterBaseline", "afterBaselineError",
	"beforeRepair", "afterRepair", "afterRepairError", "beforeInfo", "afterInfo", "afterInfoError",
	"beforeUndo", "beforeEachUndo", "afterEachUndo", "afterUndo", "createSchema", "beforeConnect",
	"afterConnect",
}

// flywayCallback returns the event a Flyway callback file is named after, or "".
func flywayCallback(base string) string {
	stem, ok := strings.CutSuffix(base, ".sql")
	if !ok {
		return ""
	}
	event, _, _ := strings.Cut(stem, "__")
	for _, e := range flywayCallbacks {
		if event == e {
			return e
		}
	}
	return ""
}
