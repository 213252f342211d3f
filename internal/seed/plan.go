package seed

import (
	"fmt"
	"time"

	"wisselaar/domain"
)

// plan.go turns the demo data into the records to store, computing every
// amount with the grant rules of package domain rather than writing amounts
// down: the requested amount from the planned hours, the settled amount from
// the recorded hours. It also checks that the invented figures reproduce the
// real awarded amounts, so that a change to data.go that breaks them fails
// at once, before anything is written.

// plannedTrajectory is a trajectory with everything computed.
type plannedTrajectory struct {
	*trajectoryData
	requested domain.Money
	settled   domain.Money
	entries   []timeEntry
	payments  []payment
}

// timeEntry is the hours one mentor spent on the trajectory in one month.
type timeEntry struct {
	mentor *mentorData
	month  domain.Month
	hours  domain.Hours
}

// payment is one payment of a grant.
type payment struct {
	amount domain.Money
	paidOn time.Time
}

// variation is how the recorded hours of a month differ from the planned
// ones, in percent: people do not spend exactly their planned hours. Any
// four or five consecutive values (cyclically) average at least 100 %, so
// that the recorded hours of a trajectory earn at least what was planned,
// within the rounding to quarter hours.
var variation = []int64{102, 98, 103, 101, 100}

// quarterHour is the step in which the demo mentors record hours.
const quarterHour = 25 // hundredths

// buildPlan computes the records of the demo data and checks the rules
// they must satisfy.
func buildPlan() ([]plannedTrajectory, error) {
	callsByName := make(map[string]callData, len(calls))
	for _, c := range calls {
		if err := c.rule().Validate(); err != nil {
			return nil, fmt.Errorf("call %s: %w", c.name, err)
		}
		callsByName[c.name] = c
	}
	out := make([]plannedTrajectory, 0, len(trajectories))
	// monthly sums the hours each mentor records per month over all
	// trajectories, to check that no one works more than a contract allows.
	monthly := map[*mentorData]map[domain.Month]domain.Hours{}
	// last is the latest submission per call: the table lists each call's
	// trajectories in the order they were submitted, first come first served.
	last := map[string]time.Time{}
	for i := range trajectories {
		t := &trajectories[i]
		c, ok := callsByName[t.call]
		if !ok {
			return nil, fmt.Errorf("trajectory %q: unknown call %q", t.title, t.call)
		}
		p, err := planTrajectory(t, c)
		if err != nil {
			return nil, fmt.Errorf("trajectory %q: %w", t.title, err)
		}
		if !t.submitted.After(last[t.call]) {
			return nil, fmt.Errorf("trajectory %q: submitted before the one listed above it", t.title)
		}
		last[t.call] = t.submitted
		for _, e := range p.entries {
			if monthly[e.mentor] == nil {
				monthly[e.mentor] = map[domain.Month]domain.Hours{}
			}
			monthly[e.mentor][e.month] += e.hours
		}
		out = append(out, p)
	}
	for m, months := range monthly {
		for month, h := range months {
			limit, err := domain.MaxHours(month, m.salaries)
			if err != nil {
				return nil, fmt.Errorf("mentor %s: %w", m.email, err)
			}
			if h > limit {
				return nil, fmt.Errorf("mentor %s records %s hours in %s, more than the %s of the contract", m.email, h, month, limit)
			}
		}
	}
	return out, nil
}

// planTrajectory computes and checks one trajectory.
func planTrajectory(t *trajectoryData, c callData) (plannedTrajectory, error) {
	p := plannedTrajectory{trajectoryData: t}
	switch {
	case !t.givingSigned.Before(t.submitted) || !t.receivingSigned.Before(t.submitted):
		return p, fmt.Errorf("the agreement must be signed by both sides before the application")
	case !c.window().Contains(t.submitted):
		return p, fmt.Errorf("submitted %s, outside the window of %s", t.submitted, c.name)
	case !t.decided.After(t.submitted):
		return p, fmt.Errorf("decided before it was submitted")
	case t.start.Year() != c.year || t.end.Year() != c.year:
		return p, fmt.Errorf("planned outside project year %d", c.year)
	case len(t.paidOn) < 1 || len(t.paidOn) > 2:
		return p, fmt.Errorf("one or two payments, not %d", len(t.paidOn))
	}

	assignments := make([]domain.Assignment, len(t.mentors))
	for i, a := range t.mentors {
		if a.mentor.municipality != t.giving {
			return p, fmt.Errorf("mentor %s does not work for the giving municipality", a.mentor.email)
		}
		assignments[i] = domain.Assignment{Mentor: a.mentor.email, PlannedWeeklyHours: a.weekly, Salaries: a.mentor.salaries}
	}
	planned, err := domain.PlannedCompensation(c.rule(), t.start, t.end, assignments)
	if err != nil {
		return p, err
	}
	p.requested = planned.Total
	// The ministry cannot award more than was asked (and the database
	// refuses it): the invented plan must ask at least the real amount.
	if p.requested < t.awarded {
		return p, fmt.Errorf("requested %s is less than the awarded %s: plan more hours", p.requested, t.awarded)
	}

	sheets := make([]domain.TimeSheet, len(t.mentors))
	for i, a := range t.mentors {
		sheets[i] = domain.TimeSheet{Mentor: a.mentor.email, Salaries: a.mentor.salaries}
		k := i // shift the variation per mentor, so the months differ
		for m := domain.MonthOf(t.start); !domain.MonthOf(t.end).Before(m); m = m.Next() {
			h := recordedHours(a.weekly, m, t.start, t.end, variation[k%len(variation)])
			k++
			sheets[i].Entries = append(sheets[i].Entries, domain.TimeEntry{Month: m, Hours: h})
			p.entries = append(p.entries, timeEntry{mentor: a.mentor, month: m, hours: h})
		}
	}
	actual, err := domain.ActualCompensation(c.rule(), sheets)
	if err != nil {
		return p, err
	}
	p.settled = domain.Settle(actual.Total, t.awarded)
	// The real grants were settled for the full awarded amount (the
	// published figures are the totals paid), so the recorded hours must
	// earn at least that much.
	if p.settled != t.awarded {
		return p, fmt.Errorf("the recorded hours earn %s, less than the awarded %s", actual.Total, t.awarded)
	}

	if len(t.paidOn) == 2 {
		advance := p.settled / 2 // whole cents: an odd cent goes to the balance
		p.payments = []payment{{advance, t.paidOn[0]}, {p.settled - advance, t.paidOn[1]}}
	} else {
		p.payments = []payment{{p.settled, t.paidOn[0]}}
	}
	return p, nil
}

// recordedHours returns the hours a mentor planned for weekly hours a week
// records in month m: the planned hours of the month (weekly × 52 ÷ 12, pro
// rata to the days of the month inside the planned period) times percent,
// rounded to the nearest quarter hour.
func recordedHours(weekly domain.Hours, m domain.Month, start, end time.Time, percent int64) domain.Hours {
	from, to := m.FirstDay(), m.LastDay()
	if start.After(from) {
		from = start
	}
	if end.Before(to) {
		to = end
	}
	// Dates are midnight UTC, so every day is exactly 24 hours long.
	days := int64(to.Sub(from)/(24*time.Hour)) + 1
	// In quarter hours: weekly (hundredths) × 52 ÷ 12 × percent ÷ 100 ×
	// days ÷ days of the month ÷ 25, rounded half up. Integers suffice: the
	// numerator stays far below 2^63.
	num := int64(weekly) * 52 * percent * days
	den := 12 * 100 * int64(m.Days()) * quarterHour
	return domain.Hours((num + den/2) / den * quarterHour)
}
