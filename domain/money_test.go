package domain

import (
	"errors"
	"testing"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want Money
		err  bool
	}{
		{"21746", 21746_00, false},
		{"21746.5", 21746_50, false},
		{"21746.00", 21746_00, false},
		{"0.05", 5, false},
		{"0", 0, false},
		{"007.10", 7_10, false},
		{"999999999999999.99", 999999999999999_99, false},
		{"1000000000000000", 0, true}, // 16 digits
		{"21746.005", 0, true},
		{"-5", 0, true},
		{"+5", 0, true},
		{"1e3", 0, true},
		{"21,746.00", 0, true},
		{"21746,00", 0, true},
		{".5", 0, true},
		{"5.", 0, true},
		{"", 0, true},
		{" 5", 0, true},
		{"EUR 5", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in)
		if tt.err {
			if !errors.Is(err, ErrInvalidMoney) {
				t.Errorf("ParseMoney(%q) = %v, %v; want ErrInvalidMoney", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseMoney(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestMoneyString(t *testing.T) {
	tests := []struct {
		in   Money
		want string
	}{
		{0, "0.00"},
		{5, "0.05"},
		{-5, "-0.05"},
		{21746_00, "21746.00"},
		{Euro(50_000), "50000.00"},
		{156_20, "156.20"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Money(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
		if tt.in.Cents() != int64(tt.in) {
			t.Errorf("Cents() of %d", int64(tt.in))
		}
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"21746.00", "0.05", "1e3", "-1", "999999999999999.99", "5."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			return
		}
		if m < 0 {
			t.Fatalf("ParseMoney(%q) = %d, negative", s, int64(m))
		}
		back, err := ParseMoney(m.String())
		if err != nil || back != m {
			t.Fatalf("round trip of %q: %q → %v, %v", s, m.String(), back, err)
		}
	})
}
