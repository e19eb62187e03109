package migrations

import (
	_ "embed"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/charset"
	"github.com/schema-guard/schema-guard/schema"
)

// The TiDB parser rejects a statement that names a character set or collation it does not know,
// and such a statement is opaque to every rule. TiDB knows MySQL's utf8mb4_0900 family, but not
// MariaDB 11's utf8mb4_uca1400_ai_ci (the default collation of MariaDB 11.8, in every table its
// SHOW CREATE TABLE and its dumps write) nor the older character sets both servers have. These
// are the character sets and collations of MariaDB 10.11, MariaDB 11.8 and MySQL 9.7 that TiDB
// lacks, read from information_schema.CHARACTER_SETS, COLLATIONS and (MariaDB 11)
// COLLATION_CHARACTER_SET_APPLICABILITY.FULL_COLLATION_NAME; TestParserKnowsServerCollations
// checks them against every test server.

// The parser's tables are package globals of the charset package, so they are filled once,
// before any parser exists (package initialisation).
func init() {
	// The character sets and their widths are schema's one table (schema.CharsetMaxLen, checked
	// against the servers); the parser gets those it lacks.
	for _, name := range schema.Charsets() {
		if _, err := charset.GetCharsetInfo(name); err == nil {
			continue
		}
		charset.AddCharset(&charset.Charset{Name: name, Maxlen: schema.CharsetMaxLen(name), Collations: map[string]*charset.Collation{}})
	}
	// Private ids, far from the ones TiDB uses: AddCollation indexes by id and would replace one.
	id := 1 << 20
	for cs, names := range readCollations(collationsText) {
		if cs == "" {
			cs = "utf8mb4"
		}
		for _, name := range names {
			if _, err := charset.GetCollationByName(name); err == nil {
				continue
			}
			id++
			charset.AddCollation(&charset.Collation{ID: id, CharsetName: cs, Name: name, PadAttribute: charset.PadSpace})
		}
	}
}

// collationsText lists the collations the parser lacks, by character set (collations.txt).
//
//go:embed collations.txt
var collationsText string

// readCollations reads collations.txt: lines of a character set and some of its collations,
// "*" for the short uca1400 names that apply to every Unicode character set (returned under
// ""), # for a comment.
func readCollations(text string) map[string][]string {
	out := map[string][]string{}
	for line := range strings.Lines(text) {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		cs := f[0]
		if cs == "*" {
			cs = ""
		}
		out[cs] = append(out[cs], f[1:]...)
	}
	return out
}
