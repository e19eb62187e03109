package sqllex

// SkipQuoted returns the index just past the quoted string (', " or `) starting at s[i], or
// len(s)+1 when it is not closed. Backslash escapes apply inside ' and " only.
func SkipQuoted(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++ // doubled quote
				continue
			}
			return j + 1
		}
	}
	return len(s) + 1
}
