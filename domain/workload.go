package domain

import (
	"fmt"
	"slices"
	"time"
)

// A mentor's time can be claimed only once: the hours she is planned for,
// or has spent, on all her trajectories together may not exceed her
// contract. The checks of one trajectory alone (PlannedCompensation,
// MaxHours) would let the same full-time mentor be claimed on several
// trajectories at once, paying twice for the same hours.

// PlannedLoad is what a mentor is planned for on one other trajectory:
// WeeklyHours a week from Start to End (dates, both included).
type PlannedLoad struct {
	Start, End  time.Time
	WeeklyHours Hours
}

// CheckWeeklyLoad checks that a mentor planned for weekly hours a week from
// start to end (dates, both included), together with what she is planned
// for on other trajectories (elsewhere), is never planned for more than the
// contractual weekly hours of the salary in force.
//
// The check is per day, which is exact and needs no choice of a period:
// on every day from start to end, weekly plus the weekly hours of the loads
// elsewhere whose period includes that day may not exceed the weekly hours
// of the salary in force that day. So a load elsewhere counts only where it
// overlaps this period, two loads elsewhere add up only where they overlap
// each other, and when the salary changes each part of the period is held
// to its own contract. Days without a salary are not checked: the salary can
// still be recorded, and submission refuses the gap (PlannedCompensation).
//
// The error is a *FieldError on plannedWeeklyHours naming the hours already
// planned elsewhere and the run of days, from the first day that is over,
// with the same load and contract.
func CheckWeeklyLoad(mentor string, start, end time.Time, weekly Hours, elsewhere []PlannedLoad, salaries []Salary) error {
	first, last := dayNumber(start), dayNumber(end)
	if last < first {
		return nil
	}
	// The sum can change only where a load starts or ends, or where the
	// salary in force changes: cut the period there and check each piece
	// by its first day.
	cuts := []int64{first}
	for _, l := range elsewhere {
		from, to := dayNumber(l.Start), dayNumber(l.End)
		if to < first || from > last || to < from {
			continue
		}
		if from > first {
			cuts = append(cuts, from)
		}
		if to < last {
			cuts = append(cuts, to+1)
		}
	}
	for _, s := range spans(salaries, start, end) {
		cuts = append(cuts, dayNumber(s.from))
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)

	var over *overload
	for i, from := range cuts {
		to := last
		if i+1 < len(cuts) {
			to = cuts[i+1] - 1
		}
		s, covered := salaryOn(salaries, dayDate(from))
		var load Hours
		for _, l := range elsewhere {
			if dayNumber(l.Start) <= from && from <= dayNumber(l.End) {
				load += l.WeeklyHours
			}
		}
		switch {
		case covered && weekly+load > s.WeeklyHours && over == nil:
			over = &overload{from: from, to: to, load: load, contract: s.WeeklyHours}
		case covered && weekly+load > s.WeeklyHours && over.load == load && over.contract == s.WeeklyHours:
			over.to = to
		case over != nil:
			return over.err(mentor, weekly)
		}
	}
	if over != nil {
		return over.err(mentor, weekly)
	}
	return nil
}

// overload is a run of days on which a mentor would be planned for more
// than her contract.
type overload struct {
	from, to int64 // day numbers, both included
	load     Hours // planned elsewhere
	contract Hours // weekly hours of the salary in force
}

func (o *overload) err(mentor string, weekly Hours) error {
	period := describePeriod(dayDate(o.from), dayDate(o.to))
	if o.load == 0 {
		return fieldError("plannedWeeklyHours", fmt.Sprintf(
			"mentor %s is planned for %s hours a week, more than the %s of the contract in force %s",
			mentor, weekly, o.contract, period))
	}
	return fieldError("plannedWeeklyHours", fmt.Sprintf(
		"mentor %s is already planned for %s hours a week on other trajectories %s; %s more is more than the %s hours a week of the contract in force",
		mentor, o.load, period, weekly, o.contract))
}

// dayDate is the date of a day number (see dayNumber).
func dayDate(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

// CheckMonthlyHours checks the hours a mentor spent on a trajectory in a
// month against her contract: those hours plus the hours already recorded
// for her in that month on other trajectories (elsewhere) may not exceed
// MaxHours. The error is a *FieldError on hours (or on month, when there is
// no salary in the month).
func CheckMonthlyHours(mentor string, month Month, hours, elsewhere Hours, salaries []Salary) error {
	limit, err := MaxHours(month, salaries)
	if err != nil {
		return err
	}
	who := ""
	if mentor != "" {
		who = "mentor " + mentor + ": "
	}
	switch {
	case hours > limit:
		return fieldError("hours", fmt.Sprintf("%s%s hours in %s is more than the %s contractual hours of that month",
			who, hours, month, limit))
	case hours+elsewhere > limit:
		return fieldError("hours", fmt.Sprintf(
			"%s%s hours in %s plus the %s hours already recorded on other trajectories is more than the %s contractual hours of that month",
			who, hours, month, elsewhere, limit))
	}
	return nil
}
