package domain

import (
	"fmt"
	"time"
)

// MaxMonthlyCost bounds a monthly salary cost. No municipal employee costs a
// million euro a month; the bound catches typing errors and keeps every sum
// the package computes far inside int64 cents.
const MaxMonthlyCost = Money(1_000_000_00)

// MaxWeeklyHours is the number of hours in a week, the most a contract can
// count.
const MaxWeeklyHours = Hours(168_00)

// Salary is one record of a mentor's salary cost: the monthly cost (gross
// salary plus employer contributions) of a contract of WeeklyHours a week,
// valid from ValidFrom up to and including ValidTo (dates, see the package
// comment). A zero ValidTo means the record is open-ended.
//
// Salaries are effective-dated: on any day the salary in force is the record
// with the latest ValidFrom among those whose period includes that day, so
// the calculations also read data in which periods overlap. New records may
// not overlap existing ones (FitSalary): a raise is recorded from the day it
// takes effect and closes the open-ended record the day before.
type Salary struct {
	MonthlyCost Money
	WeeklyHours Hours
	ValidFrom   time.Time
	ValidTo     time.Time
}

// Validate checks one salary record on its own: a positive monthly cost of
// at most MaxMonthlyCost, positive weekly hours of at most MaxWeeklyHours, a
// ValidFrom, and a ValidTo that is not before it. The error is a *FieldError
// naming the recordSalary input field.
func (s Salary) Validate() error {
	switch {
	case s.MonthlyCost <= 0:
		return fieldError("monthlyCost", "the monthly salary cost must be more than 0")
	case s.MonthlyCost > MaxMonthlyCost:
		return fieldError("monthlyCost", "the monthly salary cost must be at most "+MaxMonthlyCost.String())
	case s.WeeklyHours <= 0:
		// Contractual hours divide the salary cost: zero would divide by zero.
		return fieldError("weeklyHours", "the contractual weekly hours must be more than 0")
	case s.WeeklyHours > MaxWeeklyHours:
		return fieldError("weeklyHours", "a week has only 168 hours")
	case s.ValidFrom.IsZero():
		return fieldError("validFrom", "the date from which the salary is valid is required")
	case !s.ValidTo.IsZero() && DateOf(s.ValidTo).Before(DateOf(s.ValidFrom)):
		return fieldError("validTo", "validTo "+FormatDate(s.ValidTo)+" is before validFrom "+FormatDate(s.ValidFrom))
	}
	return nil
}

// ValidateSalaries checks the salary records of one mentor: each must be
// valid, and no two may start on the same day, because then neither would
// be the one in force. Whether a new record may overlap the existing ones is
// FitSalary's question. Give it the existing records plus the new one.
func ValidateSalaries(salaries []Salary) error {
	seen := make(map[int64]bool, len(salaries))
	for _, s := range salaries {
		if err := s.Validate(); err != nil {
			return err
		}
		d := dayNumber(s.ValidFrom)
		if seen[d] {
			return fieldError("validFrom", "two salary records start on "+FormatDate(s.ValidFrom))
		}
		seen[d] = true
	}
	return nil
}

// salaryOn returns the salary in force on the date of day.
func salaryOn(salaries []Salary, day time.Time) (Salary, bool) {
	d := dayNumber(day)
	var found Salary
	var from int64
	ok := false
	for _, s := range salaries {
		f := dayNumber(s.ValidFrom)
		if f > d || !s.ValidTo.IsZero() && dayNumber(s.ValidTo) < d {
			continue
		}
		if !ok || f > from {
			found, from, ok = s, f, true
		}
	}
	return found, ok
}

// nextStart returns the first ValidFrom after the date of day.
func nextStart(salaries []Salary, day time.Time) (time.Time, bool) {
	d := dayNumber(day)
	var next time.Time
	ok := false
	for _, s := range salaries {
		if dayNumber(s.ValidFrom) > d && (!ok || DateOf(s.ValidFrom).Before(next)) {
			next, ok = DateOf(s.ValidFrom), true
		}
	}
	return next, ok
}

// span is a run of days, both ends included, with the salary in force on
// all of them (none for a gap).
type span struct {
	from, to time.Time
	salary   Salary
	covered  bool
}

func (s span) days() int64 { return daysInclusive(s.from, s.to) }

// spans splits the dates from..to into runs of days with one salary in force
// (or none). It jumps from one boundary to the next instead of walking day by
// day: the in-force record can only change where a record starts or ends.
func spans(salaries []Salary, from, to time.Time) []span {
	var out []span
	for cur := DateOf(from); !cur.After(DateOf(to)); {
		end := DateOf(to)
		if n, ok := nextStart(salaries, cur); ok {
			end = minDate(end, n.AddDate(0, 0, -1))
		}
		s, ok := salaryOn(salaries, cur)
		if ok && !s.ValidTo.IsZero() {
			end = minDate(end, DateOf(s.ValidTo))
		}
		out = append(out, span{from: cur, to: end, salary: s, covered: ok})
		cur = end.AddDate(0, 0, 1)
	}
	return out
}

func describePeriod(from, to time.Time) string {
	if from.Equal(to) {
		return "on " + FormatDate(from)
	}
	return fmt.Sprintf("from %s to %s", FormatDate(from), FormatDate(to))
}
