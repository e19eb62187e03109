package migrations

import "testing"

func TestVersionCompare(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1", "1", 0},
		{"1.0", "1", 0},
		{"1_0_0", "1", 0},
		{"001", "1", 0},
		{"1.2", "1.10", -1},
		{"1.10", "1.9", 1},
		{"1_1", "1.1", 0},
		{"2", "1.999", 1},
		{"1", "1.0.1", -1},
		{"0", "0.0", 0},
		{"20240101120000", "20231231235959", 1},
		{"99999999999999999999999", "99999999999999999999998", 1},
	}
	for _, tc := range cases {
		a, err := ParseVersion(tc.a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ParseVersion(tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Compare(b); got != tc.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := b.Compare(a); got != -tc.want {
			t.Errorf("Compare(%s, %s) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
}

func TestParseVersionErrors(t *testing.T) {
	for _, s := range []string{"", ".", "_", "1.", "_1", "1.a", "v1", "1 2", "-1", "1..2", "1._2"} {
		if v, err := ParseVersion(s); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want an error", s, v)
		}
	}
	if v, _ := ParseVersion("1_2_3"); v.String() != "1.2.3" {
		t.Errorf("String() = %q, want 1.2.3", v.String())
	}
}
