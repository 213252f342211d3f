package domain

import "testing"

func TestValidateNISCode(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"12025", true}, // Mechelen
		{"24062", true}, // Leuven
		{"36015", true}, // Roeselare
		{"01234", true}, // five digits, whatever they are
		{"1202", false},
		{"120250", false},
		{"12a25", false},
		{" 12025", false},
		{"12025 ", false},
		{"-1202", false},
		{"١٢٠٢٥", false}, // Arabic-Indic digits are not digits here
		{"", false},
	}
	for _, tt := range tests {
		err := ValidateNISCode(tt.in)
		if tt.ok {
			if err != nil {
				t.Errorf("ValidateNISCode(%q) = %v", tt.in, err)
			}
			continue
		}
		wantFieldError(t, err, "nisCode", "five digits")
	}
}

func TestParseKBONumber(t *testing.T) {
	tests := []struct {
		in, want string
		msg      string // for errors
	}{
		{"0207.451.227", "0207451227", ""}, // city of Mechelen
		{"0207451227", "0207451227", ""},
		{"0207 451 227", "0207451227", ""},
		{"BE0207451227", "0207451227", ""},
		{"BE 0207.451.227", "0207451227", ""},
		{"be0207451227", "0207451227", ""},
		{"207451227", "0207451227", ""},    // the old nine-digit form
		{"0000000097", "0000000097", ""},   // body divisible by 97: check digits 97
		{"1000000000", "", "check digits"}, // 10000000 mod 97 = 76, check 21
		{"1000000021", "1000000021", ""},
		{"0207.451.228", "", "check digits of enterprise number 0207.451.228"},
		{"0207.451.272", "", "check digits"},
		{"02074512", "", "ten digits"},
		{"02074512271", "", "ten digits"},
		{"0207-451-227", "", "ten digits"},
		{"O207451227", "", "ten digits"},
		{"", "", "ten digits"},
	}
	for _, tt := range tests {
		got, err := ParseKBONumber(tt.in)
		if tt.msg != "" {
			wantFieldError(t, err, "kboNumber", tt.msg)
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseKBONumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestFormatKBONumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0207451227", "0207.451.227"},
		{"1000000021", "1000.000.021"},
		{"020745122", "020745122"},
		{"0207.451.227", "0207.451.227"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := FormatKBONumber(tt.in); got != tt.want {
			t.Errorf("FormatKBONumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseKBONumber(f *testing.F) {
	for _, s := range []string{"0207.451.227", "BE0207451227", "207451227", "0000000097", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseKBONumber(s)
		if err != nil {
			return
		}
		if len(d) != 10 || !allDigits(d) {
			t.Fatalf("ParseKBONumber(%q) = %q", s, d)
		}
		if again, err := ParseKBONumber(FormatKBONumber(d)); err != nil || again != d {
			t.Fatalf("round trip of %q: %q, %v", d, again, err)
		}
	})
}
