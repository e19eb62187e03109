package schema

import (
	"strings"
	"unicode/utf8"
)

// charsetMaxLen is, for every character set of MariaDB 10.11, MariaDB 11.8 and MySQL 9.7, the
// most bytes one character takes: information_schema.CHARACTER_SETS.MAXLEN, which
// TestCharsetMaxLenMatchesServer checks on every test server. utf8 is the old name of utf8mb3.
var charsetMaxLen = map[string]int{
	"armscii8": 1, "ascii": 1, "big5": 2, "binary": 1, "cp1250": 1, "cp1251": 1, "cp1256": 1,
	"cp1257": 1, "cp850": 1, "cp852": 1, "cp866": 1, "cp932": 2, "dec8": 1, "eucjpms": 3,
	"euckr": 2, "gb18030": 4, "gb2312": 2, "gbk": 2, "geostd8": 1, "greek": 1, "hebrew": 1,
	"hp8": 1, "keybcs2": 1, "koi8r": 1, "koi8u": 1, "latin1": 1, "latin2": 1, "latin5": 1,
	"latin7": 1, "macce": 1, "macroman": 1, "sjis": 2, "swe7": 1, "tis620": 1, "ucs2": 2,
	"ujis": 3, "utf16": 4, "utf16le": 4, "utf32": 4, "utf8mb3": 3, "utf8": 3, "utf8mb4": 4,
}

// Charsets returns the names of the character sets CharsetMaxLen knows, utf8 included.
func Charsets() []string {
	out := make([]string, 0, len(charsetMaxLen))
	for name := range charsetMaxLen {
		out = append(out, name)
	}
	return out
}

// CharsetMaxLen is the most bytes one character takes in a character set (compared
// case-insensitively); 4 for a set it does not know and for "", the widest any set needs, so
// byte limits are judged on the safe side.
func CharsetMaxLen(cs string) int {
	if n, ok := charsetMaxLen[strings.ToLower(cs)]; ok {
		return n
	}
	return 4
}

// CharBytes is how many bytes r takes in a character set: exact for the Unicode sets, the
// set's widest character (CharsetMaxLen) for the others.
func CharBytes(cs string, r rune) int {
	switch strings.ToLower(cs) {
	case "utf8mb4", "utf8mb3", "utf8", "":
		return utf8.RuneLen(r)
	case "ucs2", "utf16", "utf16le":
		if r > 0xFFFF {
			return 4
		}
		return 2
	case "utf32":
		return 4
	}
	return CharsetMaxLen(cs)
}
