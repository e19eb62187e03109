package introspect

import (
	"testing"

	"github.com/schema-guard/schema-guard/schema"
)

func TestNormalizeQuoting(t *testing.T) {
	quote := []struct{ in, want string }{
		{"", "''"},
		{"abc", "'abc'"},
		{"it's", "'it''s'"},
		{`a\b`, `'a\\b'`},
		{"a\x00b\nc\rd\te\x1a", "'a\\0b\\nc\\rd\te\x1a'"}, // tab and ^Z stay raw, as on the server
		{"héllo", "'héllo'"},
	}
	for _, tt := range quote {
		if got := schema.QuoteString(tt.in); got != tt.want {
			t.Errorf("schema.QuoteString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	literal := []struct {
		in   string
		want bool
	}{
		{"''", true}, {"'a'", true}, {"'it''s'", true}, {`'a\'b'`, true}, {`'a\\'`, true},
		{"'a' + 'b'", false}, {"'a", false}, {"a'", false}, {"'", false}, {"", false},
		{"concat('a','b')", false}, {"'a''", false},
	}
	for _, tt := range literal {
		if got := isQuotedLiteral(tt.in); got != tt.want {
			t.Errorf("isQuotedLiteral(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	numbers := []struct {
		in   string
		want bool
	}{
		{"0", true}, {"-5", true}, {"+1", true}, {"1.50", true}, {".5", true}, {"-1e-5", true},
		{"1E3", true}, {"", false}, {"-", false}, {"1e", false}, {"1.2.3", false}, {"0x10", false},
		{"b'1'", false}, {"NULL", false}, {"1 + 2", false},
	}
	for _, tt := range numbers {
		if got := isNumericLiteral(tt.in); got != tt.want {
			t.Errorf("isNumericLiteral(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeBitAndHex(t *testing.T) {
	bits := []struct {
		in, want string
		ok       bool
	}{
		{"b'101'", "b'101'", true},
		{"b'00101'", "b'101'", true},
		{"b'0'", "b'0'", true},
		{"b''", "b'0'", true},
		{"B'11'", "b'11'", true},
		{"0x05", "b'101'", true},
		{"0x0100", "b'100000000'", true},
		{"0x5", "b'101'", true},
		{"0x", "", false},
		{"0xZZ", "", false},
		{"b'102'", "", false},
		{"5", "", false},
	}
	for _, tt := range bits {
		got, ok := normalizeBitLiteral(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("normalizeBitLiteral(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	hexes := []struct {
		in, want string
		ok       bool
	}{
		{"0x61620000", `'ab\0\0'`, true},
		{"0x27", "''''", true},
		{"0x", "''", true},
		{"ab", "", false},
		{"0xZZ", "", false},
	}
	for _, tt := range hexes {
		got, ok := hexLiteralToQuoted(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("hexLiteralToQuoted(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalizeWrapExpr(t *testing.T) {
	tests := []struct{ in, want string }{
		{"uuid()", "(uuid())"},
		{"(1 + 2)", "(1 + 2)"},
		{"(a) + (b)", "((a) + (b))"},
		{"(')')", "(')')"},
		{"('(')", "('(')"},
		{"(`a)`)", "(`a)`)"},
		{"(a", "((a)"},
		{"()", "()"},
	}
	for _, tt := range tests {
		if got := wrapExpr(tt.in); got != tt.want {
			t.Errorf("wrapExpr(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
