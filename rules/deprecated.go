package rules

import "strings"

// Deprecated holds the objects the configuration's `deprecated:` lists at the base ref: tables
// ("legacy_orders") and columns ("users.surname") that the deployed application no longer
// uses. Only a deprecation already deployed allows the contract step (the drop); listing an
// object in the same change that drops it does not.
type Deprecated struct {
	tables, columns map[string]bool
}

// NewDeprecated reads the `deprecated:` entries. Names compare case-insensitively.
func NewDeprecated(names []string) *Deprecated {
	d := &Deprecated{tables: map[string]bool{}, columns: map[string]bool{}}
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if strings.Contains(n, ".") {
			d.columns[n] = true
		} else if n != "" {
			d.tables[n] = true
		}
	}
	return d
}

// Table reports whether the table is deprecated.
func (d *Deprecated) Table(name string) bool {
	return d != nil && d.tables[strings.ToLower(name)]
}

// Column reports whether the column (or its whole table) is deprecated.
func (d *Deprecated) Column(table, column string) bool {
	return d != nil && (d.columns[strings.ToLower(table+"."+column)] || d.Table(table))
}
