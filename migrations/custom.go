package migrations

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// customPattern is a compiled Layout.Pattern.
type customPattern struct {
	re, ignore           *regexp.Regexp
	version, desc        int // submatch indexes; desc is -1 without a description group
	source, ignoreSource string
}

// compileCustom checks the custom pattern: a valid regular expression with a named group
// "version", and no named group schema-guard does not know (a typo would silently do nothing).
func compileCustom(l Layout) (*customPattern, error) {
	if l.Pattern == "" {
		return nil, fmt.Errorf("format custom needs a pattern, e.g. pattern: '%s'", `^V(?P<version>\d+)__(?P<description>.+)\.sql$`)
	}
	re, err := regexp.Compile(l.Pattern)
	if err != nil {
		return nil, fmt.Errorf("pattern %q is not a valid regular expression: %s", l.Pattern, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	c := &customPattern{re: re, version: -1, desc: -1, source: l.Pattern}
	for i, n := range re.SubexpNames() {
		switch n {
		case "":
		case "version":
			c.version = i
		case "description":
			c.desc = i
		default:
			return nil, fmt.Errorf("pattern %q has a group named %q; the names it may use are version and description", l.Pattern, n)
		}
	}
	if c.version < 0 {
		return nil, fmt.Errorf("pattern %q has no (?P<version>…) group, which is what orders the migrations", l.Pattern)
	}
	if l.Ignore != "" {
		if c.ignore, err = regexp.Compile(l.Ignore); err != nil {
			return nil, fmt.Errorf("ignore pattern %q is not a valid regular expression: %s", l.Ignore, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		c.ignoreSource = l.Ignore
	}
	return c, nil
}

// match reads a path relative to the migrations directory. ok is false when the pattern does not
// match; err when it matches but its version is not numbers.
func (c *customPattern) match(rel string) (n name, ok bool, err error) {
	m := c.re.FindStringSubmatchIndex(rel)
	if m == nil || m[2*c.version] < 0 {
		return name{}, false, nil
	}
	raw := rel[m[2*c.version]:m[2*c.version+1]]
	v, err := parseCustomVersion(raw)
	if err != nil {
		return name{}, true, fmt.Errorf("%s matches the pattern, but its version %q %v", rel, raw, err)
	}
	n = name{kind: Versioned, version: v}
	if c.desc >= 0 && m[2*c.desc] >= 0 {
		n.desc = describe(rel[m[2*c.desc]:m[2*c.desc+1]])
	}
	return n, true, nil
}

// parseCustomVersion reads numbers separated by '.', '_' or '-' (1.2, 2024-01-05, 0001).
func parseCustomVersion(raw string) (Version, error) {
	if raw == "" {
		return Version{}, fmt.Errorf("is empty")
	}
	for _, r := range raw {
		if (r < '0' || r > '9') && r != '.' && r != '_' && r != '-' {
			return Version{}, fmt.Errorf("is not numbers separated by '.', '_' or '-' (it holds %q); make the version group match only those", r)
		}
	}
	v, err := ParseVersion(strings.ReplaceAll(raw, "-", "."))
	if err != nil {
		return Version{}, fmt.Errorf("has an empty part")
	}
	v.raw = raw
	return v, nil
}

// collectCustom matches every file in the directory and below against the pattern.
func (d *dirReader) collectCustom(set *Set) error {
	deep, err := d.nestedFiles()
	if err != nil {
		return err
	}
	files := slices.Concat(d.sql, d.goFiles, d.others, deep)
	slices.Sort(files)
	c := set.custom
	for _, p := range files {
		rel := d.rel(p)
		if c.ignore != nil && c.ignore.MatchString(rel) {
			continue
		}
		n, ok, err := c.match(rel)
		switch {
		case err != nil:
			return fmt.Errorf("migrations directory %q: %w", d.dir, err)
		case ok:
			if err := d.add(set, p, n); err != nil {
				return err
			}
		case strings.HasSuffix(p, ".sql"):
			set.Ignored = append(set.Ignored, ignored(p, fmt.Sprintf("%s does not match the pattern %s, so it is not replayed", rel, c.source)))
		}
	}
	return nil
}

// suggestPattern proposes a custom pattern for a migration name like example: its prefix, a
// run of digits as the version, a separator, the rest as the description, and its suffix.
func suggestPattern(example string) string {
	base := path.Base(example)
	dir := strings.TrimSuffix(example, base)
	i := strings.IndexFunc(base, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return `^(?P<version>\d+)_(?P<description>.+)\.sql$`
	}
	j := i
	for j < len(base) && (base[j] >= '0' && base[j] <= '9') {
		j++
	}
	suffix := ".sql"
	for _, s := range []string{".up.sql", ".do.sql", ".apply.sql", ".forward.sql"} {
		if strings.HasSuffix(base, s) {
			suffix = s
		}
	}
	pre := regexp.QuoteMeta(dir + base[:i])
	rest := strings.TrimSuffix(base[j:], suffix)
	if rest == "" || rest == base[j:] && !strings.HasSuffix(base, suffix) {
		return "^" + pre + `(?P<version>\d+)` + regexp.QuoteMeta(suffix) + "$"
	}
	sep := ""
	if c := rest[0]; c == '.' || c == '_' || c == '-' {
		sep = regexp.QuoteMeta(string(c))
		for strings.HasPrefix(rest[1:], string(c)) {
			sep += regexp.QuoteMeta(string(c))
			rest = rest[1:]
		}
	}
	return "^" + pre + `(?P<version>\d+)` + sep + `(?P<description>.+)` + regexp.QuoteMeta(suffix) + "$"
}
