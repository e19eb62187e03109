package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// FlavorKind is the server family.
type FlavorKind string

// The server families schema-guard knows.
const (
	MySQL   FlavorKind = "mysql"
	MariaDB FlavorKind = "mariadb"
	Percona FlavorKind = "percona"
)

// Flavor is a server family and version. MySQL/MariaDB differences are decided here and nowhere
// else: code asks f.IsMariaDB() or f.Min(8, 0, 16) rather than parsing version strings.
type Flavor struct {
	Kind                FlavorKind
	Major, Minor, Patch int
	// Version is the server's VERSION() as it was read, e.g. "10.11.6-MariaDB-0+deb12u1".
	Version string
}

// ParseFlavor reads a flavour from the server's VERSION() and @@version_comment.
func ParseFlavor(version, versionComment string) (Flavor, error) {
	f := Flavor{Kind: MySQL, Version: version}
	lv, lc := strings.ToLower(version), strings.ToLower(versionComment)
	switch {
	case strings.Contains(lv, "mariadb") || strings.Contains(lc, "mariadb"):
		f.Kind = MariaDB
	case strings.Contains(lc, "percona") || strings.Contains(lv, "percona"):
		f.Kind = Percona
	}
	// MariaDB 10.x once prefixed "5.5.5-" to satisfy old clients; skip it. Only for MariaDB: a
	// MySQL 5.5.5 server says "5.5.5-log", which is a version, not a prefix.
	num := version
	if f.Kind == MariaDB {
		num = strings.TrimPrefix(version, "5.5.5-")
	}
	if i := strings.IndexFunc(num, func(r rune) bool { return r != '.' && (r < '0' || r > '9') }); i >= 0 {
		num = num[:i]
	}
	parts := strings.Split(num, ".")
	if len(parts) < 2 {
		return f, fmt.Errorf("unrecognised server version %q", version)
	}
	nums := []*int{&f.Major, &f.Minor, &f.Patch}
	for i, p := range parts {
		if i == len(nums) {
			break
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return f, fmt.Errorf("unrecognised server version %q", version)
		}
		*nums[i] = n
	}
	return f, nil
}

// IsMariaDB reports whether the server is MariaDB.
func (f Flavor) IsMariaDB() bool { return f.Kind == MariaDB }

// IsMySQL reports whether the server is MySQL or Percona Server (which follows MySQL).
func (f Flavor) IsMySQL() bool { return f.Kind == MySQL || f.Kind == Percona }

// Min reports whether the server version is at least major.minor.patch.
func (f Flavor) Min(major, minor, patch int) bool {
	if f.Major != major {
		return f.Major > major
	}
	if f.Minor != minor {
		return f.Minor > minor
	}
	return f.Patch >= patch
}

// MinMySQL reports whether the server is MySQL (or Percona Server) at least major.minor.patch.
// Min alone is not enough for feature checks: MariaDB 10.x compares greater than MySQL 8.0.
func (f Flavor) MinMySQL(major, minor, patch int) bool {
	return f.IsMySQL() && f.Min(major, minor, patch)
}

// MinMariaDB reports whether the server is MariaDB at least major.minor.patch.
func (f Flavor) MinMariaDB(major, minor, patch int) bool {
	return f.IsMariaDB() && f.Min(major, minor, patch)
}

// String is "mariadb 10.11.6".
func (f Flavor) String() string {
	return fmt.Sprintf("%s %d.%d.%d", f.Kind, f.Major, f.Minor, f.Patch)
}
