package domain

import (
	"errors"
	"testing"
)

func TestParseHours(t *testing.T) {
	tests := []struct {
		in   string
		want Hours
		err  bool
	}{
		{"19", 19_00, false},
		{"19.5", 19_50, false},
		{"7.25", 7_25, false},
		{"0", 0, false},
		{"164.67", 164_67, false},
		{"19.500", 19_50, false}, // trailing zeros are not extra precision
		{"1e1", 10_00, false},    // JSON encoders write this
		{"1.25E1", 12_50, false},
		{"19.125", 0, true},
		{"1e-3", 0, true},
		{"-1", 0, true},
		{"+1", 0, true},
		{".5", 0, true},
		{"5.", 0, true},
		{"1,5", 0, true},
		{"NaN", 0, true},
		{"Inf", 0, true},
		{"1e400", 0, true},
		{"1234567890", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseHours(tt.in)
		if tt.err {
			if !errors.Is(err, ErrInvalidHours) {
				t.Errorf("ParseHours(%q) = %v, %v; want ErrInvalidHours", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseHours(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestHoursString(t *testing.T) {
	tests := []struct {
		in   Hours
		want string
	}{
		{0, "0"},
		{19_00, "19"},
		{19_50, "19.5"},
		{7_25, "7.25"},
		{164_67, "164.67"},
		{5, "0.05"},
		{-1_50, "-1.5"},
		{HoursOf(38), "38"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Hours(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
		if tt.in.Hundredths() != int64(tt.in) {
			t.Errorf("Hundredths() of %d", int64(tt.in))
		}
	}
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"19", "19.5", "7.25", "1e1", "-1", "19.125", "1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHours(s)
		if err != nil {
			return
		}
		if h < 0 {
			t.Fatalf("ParseHours(%q) = %d, negative", s, int64(h))
		}
		back, err := ParseHours(h.String())
		if err != nil || back != h {
			t.Fatalf("round trip of %q: %q → %v, %v", s, h.String(), back, err)
		}
	})
}
