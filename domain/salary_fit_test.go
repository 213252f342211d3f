package domain

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestFitSalary(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return NewDate(y, m, day) }
	open2026 := Salary{MonthlyCost: Euro(6000), WeeklyHours: HoursOf(38), ValidFrom: d(2026, 1, 1)}
	bounded2025 := Salary{MonthlyCost: Euro(5800), WeeklyHours: HoursOf(38), ValidFrom: d(2025, 1, 1), ValidTo: d(2025, 12, 31)}
	raise := func(from time.Time, to ...time.Time) Salary {
		s := Salary{MonthlyCost: Euro(6200), WeeklyHours: HoursOf(38), ValidFrom: from}
		if len(to) > 0 {
			s.ValidTo = to[0]
		}
		return s
	}
	tests := []struct {
		name     string
		existing []Salary
		s        Salary
		closes   []int
		field    string
	}{
		{"first record", nil, raise(d(2026, 1, 1)), nil, ""},
		{"a raise closes the open record", []Salary{bounded2025, open2026}, raise(d(2027, 7, 1)), []int{1}, ""},
		{"a bounded raise closes it too", []Salary{open2026}, raise(d(2027, 7, 1), d(2027, 12, 31)), []int{0}, ""},
		{"same first day", []Salary{open2026}, raise(d(2026, 1, 1)), nil, "validFrom"},
		{"inside a bounded period", []Salary{bounded2025, open2026}, raise(d(2025, 6, 1), d(2025, 6, 30)), nil, "validFrom"},
		{"open-ended before an existing start", []Salary{open2026}, raise(d(2024, 1, 1)), nil, "validFrom"},
		{"running into a later record", []Salary{open2026}, raise(d(2024, 1, 1), d(2026, 1, 1)), nil, "validTo"},
		{"ending the day before a later record", []Salary{open2026}, raise(d(2024, 1, 1), d(2025, 12, 31)), nil, ""},
		{"the day after a bounded period", []Salary{bounded2025}, raise(d(2026, 1, 1)), nil, ""},
		{"several open records from older data", []Salary{bounded2025, open2026, raise(d(2026, 7, 1))}, raise(d(2027, 1, 1)), []int{1, 2}, ""},
	}
	for _, tt := range tests {
		closes, err := FitSalary(tt.existing, tt.s)
		var fe *FieldError
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.field != "" && (!errors.As(err, &fe) || fe.Field != tt.field):
			t.Errorf("%s: got %v, want an error on %s", tt.name, err, tt.field)
		case !slices.Equal(closes, tt.closes):
			t.Errorf("%s: closes %v, want %v", tt.name, closes, tt.closes)
		}
	}
}
