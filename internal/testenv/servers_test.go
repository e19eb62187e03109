package testenv

import "testing"

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"9.7.4-2":                              "mysql-9.7",
		"8.0.36":                               "mysql-8.0",
		"10.11.18-MariaDB-0+deb12u1":           "mariadb-10.11",
		"11.8.9-MariaDB-0+deb13u1 from Debian": "mariadb-11.8",
		"5.5.5-10.6.3-MariaDB":                 "mariadb-5.5",
	} {
		if got := ServerName(in); got != want {
			t.Errorf("ServerName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"schema-guard-test/mysql:9.7": "mysql-9.7",
		"mariadb:11":                  "mariadb-11",
		"mysql":                       "mysql-latest",
		"localhost:5000/percona/percona-server:8.0": "percona-server-8.0",
		"localhost:5000/mysql":                      "mysql-latest",
	} {
		if got := ImageName(in); got != want {
			t.Errorf("ImageName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEachServerBinds checks that DSN inside an EachServer subtest, and in that subtest's own
// subtests, is the subtest's server, and that the servers are the configured ones.
func TestEachServerBinds(t *testing.T) {
	var seen []string
	EachServer(t, func(t *testing.T, s Server) {
		if got := DSN(t); got != s.DSN {
			t.Errorf("DSN = %s, want %s", got, s.DSN)
		}
		t.Run("nested", func(t *testing.T) {
			if got := CurrentServer(t); got != s {
				t.Errorf("CurrentServer = %+v, want %+v", got, s)
			}
		})
		if t.Name() != "TestEachServerBinds/"+s.Name {
			t.Errorf("subtest %s, want one named %s", t.Name(), s.Name)
		}
		seen = append(seen, s.DSN)
	})
	if CI() && len(seen) != len(DSNs()) {
		t.Errorf("ran on %v, want every one of %v", seen, DSNs())
	}
	if got := DSN(t); got != DSNs()[0] {
		t.Errorf("outside EachServer DSN = %s, want the first server %s", got, DSNs()[0])
	}
}

// TestSeq checks that Seq gives exactly 1..n on every server.
func TestSeq(t *testing.T) {
	EachServer(t, func(t *testing.T, s Server) {
		db, _ := ScratchDB(t)
		for _, n := range []int{1, 9, 10, 11, 100, 1234} {
			var count, lo, hi, sum int64
			q := "SELECT COUNT(*), MIN(seq), MAX(seq), SUM(seq) FROM " + Seq(n)
			if err := db.QueryRow(q).Scan(&count, &lo, &hi, &sum); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if N := int64(n); count != N || lo != 1 || hi != N || sum != N*(N+1)/2 {
				t.Errorf("Seq(%d): %d rows from %d to %d, sum %d", n, count, lo, hi, sum)
			}
		}
	})
}
