package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCheckWeeklyLoad(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return NewDate(y, m, day) }
	h := HoursOf
	full := []Salary{{MonthlyCost: Euro(6000), WeeklyHours: h(38), ValidFrom: d(2026, 1, 1)}}
	// 38 hours until June 2027, 19 from July.
	partTime := []Salary{
		{MonthlyCost: Euro(6000), WeeklyHours: h(38), ValidFrom: d(2026, 1, 1), ValidTo: d(2027, 6, 30)},
		{MonthlyCost: Euro(3000), WeeklyHours: h(19), ValidFrom: d(2027, 7, 1)},
	}
	// A salary only from March 2027.
	late := []Salary{{MonthlyCost: Euro(6000), WeeklyHours: h(38), ValidFrom: d(2027, 3, 1)}}
	load := func(from, to time.Time, hours Hours) PlannedLoad {
		return PlannedLoad{Start: from, End: to, WeeklyHours: hours}
	}
	jan1, jun30 := d(2027, 1, 1), d(2027, 6, 30)
	tests := []struct {
		name      string
		weekly    Hours
		elsewhere []PlannedLoad
		salaries  []Salary
		start     time.Time // default jan1
		end       time.Time // default jun30
		want      string    // part of the message; "" for no error
	}{
		{"nothing elsewhere", h(38), nil, full, time.Time{}, time.Time{}, ""},
		{"alone above the contract", h(39), nil, full, time.Time{}, time.Time{}, "planned for 39 hours a week, more than the 38"},
		{"twice full time", h(38), []PlannedLoad{load(jan1, jun30, h(38))}, full, time.Time{}, time.Time{},
			"already planned for 38 hours a week on other trajectories from 2027-01-01 to 2027-06-30; 38 more"},
		{"20 + 18 fits", h(18), []PlannedLoad{load(jan1, jun30, h(20))}, full, time.Time{}, time.Time{}, ""},
		{"20 + 19 does not", h(19), []PlannedLoad{load(jan1, jun30, h(20))}, full, time.Time{}, time.Time{}, "already planned for 20 hours"},
		{"20 + 18.01 does not", h(18) + 1, []PlannedLoad{load(jan1, jun30, h(20))}, full, time.Time{}, time.Time{}, "18.01 more"},
		{"a partial overlap counts where it overlaps", h(38), []PlannedLoad{load(d(2026, 10, 1), d(2027, 2, 14), h(1))}, full, time.Time{}, time.Time{},
			"1 hours a week on other trajectories from 2027-01-01 to 2027-02-14"},
		{"one day of overlap counts", h(38), []PlannedLoad{load(d(2026, 1, 1), jan1, h(38))}, full, time.Time{}, time.Time{},
			"on 2027-01-01"},
		{"before and after do not count", h(38), []PlannedLoad{load(d(2026, 1, 1), d(2026, 12, 31), h(38)), load(d(2027, 7, 1), d(2027, 12, 31), h(38))},
			full, time.Time{}, time.Time{}, ""},
		{"loads elsewhere that do not overlap each other do not add up", h(19), []PlannedLoad{
			load(jan1, d(2027, 3, 31), h(19)), load(d(2027, 4, 1), jun30, h(19)),
		}, full, time.Time{}, time.Time{}, ""},
		{"loads elsewhere that overlap each other add up", h(10), []PlannedLoad{
			load(jan1, d(2027, 3, 31), h(19)), load(d(2027, 3, 1), jun30, h(19)),
		}, full, time.Time{}, time.Time{}, "already planned for 38 hours a week on other trajectories from 2027-03-01 to 2027-03-31"},
		{"the first run that is over is named", h(10), []PlannedLoad{
			load(d(2027, 2, 1), d(2027, 2, 28), h(30)), load(d(2027, 5, 1), d(2027, 5, 31), h(38)),
		}, full, time.Time{}, time.Time{}, "30 hours a week on other trajectories from 2027-02-01 to 2027-02-28"},
		{"a lower contract from July", h(10), []PlannedLoad{load(jan1, d(2027, 12, 31), h(10))}, partTime, jan1, d(2027, 12, 31),
			"10 hours a week on other trajectories from 2027-07-01 to 2027-12-31; 10 more is more than the 19"},
		{"the lower contract after the period does not count", h(19), []PlannedLoad{load(jan1, d(2027, 12, 31), h(19))}, partTime, time.Time{}, time.Time{}, ""},
		{"days without a salary are not checked", h(38), []PlannedLoad{load(jan1, d(2027, 2, 28), h(38))}, late, time.Time{}, time.Time{}, ""},
		{"but the days with one are", h(38), []PlannedLoad{load(jan1, d(2027, 3, 1), h(38))}, late, time.Time{}, time.Time{}, "on 2027-03-01"},
		{"an overload before a gap is reported", h(38), []PlannedLoad{load(d(2027, 3, 1), d(2027, 3, 2), h(1))},
			[]Salary{{MonthlyCost: Euro(6000), WeeklyHours: h(38), ValidFrom: d(2027, 3, 1), ValidTo: d(2027, 3, 10)}},
			time.Time{}, time.Time{}, "1 hours a week on other trajectories from 2027-03-01 to 2027-03-02"},
	}
	for _, tt := range tests {
		start, end := tt.start, tt.end
		if start.IsZero() {
			start, end = jan1, jun30
		}
		err := CheckWeeklyLoad("Anna", start, end, tt.weekly, tt.elsewhere, tt.salaries)
		var fe *FieldError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.want == "":
		case !errors.As(err, &fe) || fe.Field != "plannedWeeklyHours":
			t.Errorf("%s: got %v, want an error on plannedWeeklyHours", tt.name, err)
		case !strings.Contains(fe.Message, tt.want):
			t.Errorf("%s: message %q, want it to contain %q", tt.name, fe.Message, tt.want)
		}
	}
}

func TestCheckMonthlyHours(t *testing.T) {
	full := []Salary{{MonthlyCost: Euro(6000), WeeklyHours: HoursOf(38), ValidFrom: NewDate(2026, 1, 1)}}
	jan := Month{year: 2027, month: time.January}
	tests := []struct {
		name             string
		month            Month
		hours, elsewhere Hours
		field, want      string
	}{
		{"a full month alone", jan, 164_67, 0, "", ""},
		{"100 + 64.67", jan, 64_67, 100_00, "", ""},
		{"100 + 64.68", jan, 64_68, 100_00, "hours", "64.68 hours in 2027-01 plus the 100 hours already recorded on other trajectories is more than the 164.67"},
		{"above the month alone", jan, 164_68, 0, "hours", "164.68 hours in 2027-01 is more than the 164.67"},
		{"no salary in the month", Month{year: 2025, month: time.December}, 1, 0, "month", "no salary"},
	}
	for _, tt := range tests {
		err := CheckMonthlyHours("", tt.month, tt.hours, tt.elsewhere, full)
		var fe *FieldError
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.field == "":
		case !errors.As(err, &fe) || fe.Field != tt.field:
			t.Errorf("%s: got %v, want an error on %s", tt.name, err, tt.field)
		case !strings.Contains(fe.Message, tt.want):
			t.Errorf("%s: message %q, want it to contain %q", tt.name, fe.Message, tt.want)
		}
	}
}
