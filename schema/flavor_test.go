package schema

import "testing"

func TestParseFlavor(t *testing.T) {
	tests := []struct {
		version, comment string
		want             Flavor
	}{
		{"10.11.19-MariaDB-0+deb12u1", "Debian 12", Flavor{Kind: MariaDB, Major: 10, Minor: 11, Patch: 19}},
		{"5.5.5-10.6.16-MariaDB-log", "mariadb.org binary distribution", Flavor{Kind: MariaDB, Major: 10, Minor: 6, Patch: 16}},
		{"11.4.2-MariaDB-ubu2404", "mariadb.org binary distribution", Flavor{Kind: MariaDB, Major: 11, Minor: 4, Patch: 2}},
		{"8.4.3", "MySQL Community Server - GPL", Flavor{Kind: MySQL, Major: 8, Minor: 4, Patch: 3}},
		{"8.0.36-0ubuntu0.22.04.1", "(Ubuntu)", Flavor{Kind: MySQL, Major: 8, Minor: 0, Patch: 36}},
		{"9.1.0", "MySQL Community Server - GPL", Flavor{Kind: MySQL, Major: 9, Minor: 1, Patch: 0}},
		{"8.0.36-28", "Percona Server (GPL), Release 28, Revision 47601f19", Flavor{Kind: Percona, Major: 8, Minor: 0, Patch: 36}},
		{"5.5.5-log", "MySQL Community Server (GPL)", Flavor{Kind: MySQL, Major: 5, Minor: 5, Patch: 5}},
		{"8.0", "", Flavor{Kind: MySQL, Major: 8, Minor: 0}},
	}
	for _, tt := range tests {
		got, err := ParseFlavor(tt.version, tt.comment)
		if err != nil {
			t.Errorf("ParseFlavor(%q, %q): %v", tt.version, tt.comment, err)
			continue
		}
		tt.want.Version = tt.version
		if got != tt.want {
			t.Errorf("ParseFlavor(%q, %q) = %+v, want %+v", tt.version, tt.comment, got, tt.want)
		}
	}
	for _, bad := range []string{"", "8", "x.y", "MariaDB"} {
		if f, err := ParseFlavor(bad, ""); err == nil {
			t.Errorf("ParseFlavor(%q) = %+v, want an error", bad, f)
		}
	}
}

func TestFlavorChecks(t *testing.T) {
	maria := Flavor{Kind: MariaDB, Major: 10, Minor: 11, Patch: 6}
	mysql := Flavor{Kind: MySQL, Major: 8, Minor: 0, Patch: 16}
	percona := Flavor{Kind: Percona, Major: 8, Minor: 4, Patch: 0}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"mariadb IsMariaDB", maria.IsMariaDB(), true},
		{"mariadb IsMySQL", maria.IsMySQL(), false},
		{"mysql IsMySQL", mysql.IsMySQL(), true},
		{"percona IsMySQL", percona.IsMySQL(), true},
		{"percona IsMariaDB", percona.IsMariaDB(), false},
		{"Min equal", mysql.Min(8, 0, 16), true},
		{"Min patch below", mysql.Min(8, 0, 17), false},
		{"Min minor above", mysql.Min(7, 9, 99), true},
		{"Min major below", mysql.Min(9, 0, 0), false},
		// Min alone compares numbers: MariaDB 10.11 is "at least 8.0.16". MinMySQL is the check
		// to use for MySQL features.
		{"Min across families", maria.Min(8, 0, 16), true},
		{"MinMySQL on mariadb", maria.MinMySQL(8, 0, 16), false},
		{"MinMySQL on mysql", mysql.MinMySQL(8, 0, 16), true},
		{"MinMySQL on percona", percona.MinMySQL(8, 0, 16), true},
		{"MinMariaDB on mariadb", maria.MinMariaDB(10, 6, 0), true},
		{"MinMariaDB too new", maria.MinMariaDB(11, 0, 0), false},
		{"MinMariaDB on mysql", mysql.MinMariaDB(5, 0, 0), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if got := maria.String(); got != "mariadb 10.11.6" {
		t.Errorf("String() = %q", got)
	}
}
