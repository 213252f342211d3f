package domain

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSalaryValidate(t *testing.T) {
	tests := []struct {
		name  string
		s     Salary
		field string // "" = valid
	}{
		{"valid, open-ended", sal(Euro(6_000), h38, since2020, open), ""},
		{"valid, one day", sal(Euro(6_000), h38, since2020, since2020), ""},
		{"valid, highest", sal(MaxMonthlyCost, MaxWeeklyHours, since2020, open), ""},
		{"valid, 1 cent and 0.01 hours", sal(1, 1, since2020, open), ""},
		{"zero cost", sal(0, h38, since2020, open), "monthlyCost"},
		{"negative cost", sal(-1, h38, since2020, open), "monthlyCost"},
		{"cost too high", sal(MaxMonthlyCost+1, h38, since2020, open), "monthlyCost"},
		{"zero hours", sal(Euro(6_000), 0, since2020, open), "weeklyHours"},
		{"negative hours", sal(Euro(6_000), -1, since2020, open), "weeklyHours"},
		{"more hours than a week", sal(Euro(6_000), MaxWeeklyHours+1, since2020, open), "weeklyHours"},
		{"no validFrom", sal(Euro(6_000), h38, time.Time{}, open), "validFrom"},
		{"validTo before validFrom", sal(Euro(6_000), h38, since2020, since2020.AddDate(0, 0, -1)), "validTo"},
		{"validTo the same UTC day, other zone", sal(Euro(6_000), h38, since2020, since2020.In(time.FixedZone("x", -3600))), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantFieldError(t, err, tt.field, "")
		})
	}
}

func TestValidateSalaries(t *testing.T) {
	tests := []struct {
		name  string
		ss    []Salary
		field string
	}{
		{"none", nil, ""},
		{"overlapping periods are fine", []Salary{
			sal(Euro(6_000), h38, since2020, open),
			sal(Euro(6_600), h38, NewDate(2027, 3, 1), open),
		}, ""},
		{"same start", []Salary{
			sal(Euro(6_000), h38, since2020, open),
			sal(Euro(6_600), h38, since2020.Add(5*time.Hour), open),
		}, "validFrom"},
		{"one invalid", []Salary{
			sal(Euro(6_000), h38, since2020, open),
			sal(Euro(6_600), 0, NewDate(2027, 3, 1), open),
		}, "weeklyHours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateSalaries(tt.ss)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantFieldError(t, err, tt.field, "")
		})
	}
}

// TestSpans checks the effective dating: on each day the record with the
// latest ValidFrom among those covering the day is in force.
func TestSpans(t *testing.T) {
	a := sal(100, h38, NewDate(2027, 1, 1), open)                     // base, open-ended
	b := sal(200, h38, NewDate(2027, 3, 1), open)                     // raise
	c := sal(300, h19, NewDate(2027, 2, 10), NewDate(2027, 2, 20))    // temporary
	d := sal(400, h38, NewDate(2026, 6, 1), NewDate(2026, 12, 31))    // earlier, closed
	e := sal(500, h38, NewDate(2027, 1, 15), NewDate(2027, 1, 14+10)) // inside a
	tests := []struct {
		name     string
		ss       []Salary
		from, to time.Time
		want     string // "from..to=cents" per span, "-" for a gap
	}{
		{"one record", []Salary{a}, NewDate(2027, 1, 1), NewDate(2027, 1, 31), "2027-01-01..2027-01-31=100"},
		{"before any record", []Salary{a}, NewDate(2026, 12, 20), NewDate(2027, 1, 5),
			"2026-12-20..2026-12-31=- 2027-01-01..2027-01-05=100"},
		{"raise", []Salary{a, b}, NewDate(2027, 2, 20), NewDate(2027, 3, 5),
			"2027-02-20..2027-02-28=100 2027-03-01..2027-03-05=200"},
		{"raise given first", []Salary{b, a}, NewDate(2027, 2, 20), NewDate(2027, 3, 5),
			"2027-02-20..2027-02-28=100 2027-03-01..2027-03-05=200"},
		{"temporary record and fall back", []Salary{a, c}, NewDate(2027, 2, 1), NewDate(2027, 2, 28),
			"2027-02-01..2027-02-09=100 2027-02-10..2027-02-20=300 2027-02-21..2027-02-28=100"},
		{"closed record then a gap then a record", []Salary{d, a}, NewDate(2026, 12, 30), NewDate(2027, 1, 2),
			"2026-12-30..2026-12-31=400 2027-01-01..2027-01-02=100"},
		{"gap between closed records", []Salary{d, e}, NewDate(2026, 12, 31), NewDate(2027, 1, 16),
			"2026-12-31..2026-12-31=400 2027-01-01..2027-01-14=- 2027-01-15..2027-01-16=500"},
		{"all of them", []Salary{a, b, c, d, e}, NewDate(2026, 5, 31), NewDate(2027, 3, 1),
			"2026-05-31..2026-05-31=- 2026-06-01..2026-12-31=400 2027-01-01..2027-01-14=100 2027-01-15..2027-01-24=500 " +
				"2027-01-25..2027-02-09=100 2027-02-10..2027-02-20=300 2027-02-21..2027-02-28=100 2027-03-01..2027-03-01=200"},
		{"no records", nil, NewDate(2027, 1, 1), NewDate(2027, 1, 3), "2027-01-01..2027-01-03=-"},
		{"empty range", []Salary{a}, NewDate(2027, 1, 3), NewDate(2027, 1, 2), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var parts []string
			var days int64
			for _, s := range spans(tt.ss, tt.from, tt.to) {
				cost := "-"
				if s.covered {
					cost = strconv.FormatInt(s.salary.MonthlyCost.Cents(), 10)
				}
				parts = append(parts, FormatDate(s.from)+".."+FormatDate(s.to)+"="+cost)
				days += s.days()
			}
			if got := strings.Join(parts, " "); got != tt.want {
				t.Fatalf("spans =\n%s\nwant\n%s", got, tt.want)
			}
			if want := daysInclusive(tt.from, tt.to); days != want {
				t.Fatalf("spans cover %d days, want %d", days, want)
			}
		})
	}
}
