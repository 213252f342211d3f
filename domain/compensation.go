package domain

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"
)

// Rule is the compensation rule of a call: Percent of the salary cost pro
// rata to the time spent (50 in "De Wisselaar 2022"), at most Cap per
// trajectory (EUR 50,000). Both are data on the call, never constants.
type Rule struct {
	Percent int
	Cap     Money
}

// Validate checks the rule: a percentage from 1 to 100 and a positive cap.
// The *FieldError names the createCall input field. A zero cap is refused
// rather than read as "no cap": a forgotten field must not make a call
// unlimited.
func (r Rule) Validate() error {
	if r.Percent < 1 || r.Percent > 100 {
		return fieldError("compensationPercent", "the compensation percentage must be from 1 to 100")
	}
	if r.Cap <= 0 {
		return fieldError("perProjectCap", "the per-project cap must be more than 0")
	}
	return nil
}

// Line is one line of a calculation: what one salary of one mentor counts
// for in one month (or the part of a month in the period).
//
// Amount is the line's share of Calculation.Uncapped, rounded to the cent
// for display only: the total is computed from the exact sum of the lines,
// and the rounded total is then distributed over the lines so that they add
// up to it exactly (see Rule.Calculate). Each Amount is its exact value
// rounded down or up, never further off than one cent.
type Line struct {
	// Mentor is the key the caller gave the mentor (an ID or a name).
	Mentor string
	// Month is the calendar month of the line.
	Month Month
	// From and To are the days of Month the line counts, both included.
	From, To time.Time
	// MonthlyCost and WeeklyHours are those of the salary in force.
	MonthlyCost Money
	WeeklyHours Hours
	// PlannedWeeklyHours is set in planned calculations.
	PlannedWeeklyHours Hours
	// HoursSpent is set in actual calculations: the hours recorded for the
	// whole month. When the salary changed during the month those hours
	// are spread over the salaries by calendar days, which Share includes.
	HoursSpent Hours
	// Share is the exact fraction of MonthlyCost the line counts, before
	// the percentage: planned weekly hours ÷ contractual weekly hours ×
	// days ÷ days in the month, or hours spent ÷ contractual hours of the
	// month × this salary's part of the month. big.Rat keeps it reduced;
	// RatString gives "1/2", FloatString(4) gives "0.5000".
	Share *big.Rat
	// Amount is Percent % × MonthlyCost × Share in cents, rounded so that
	// the lines add up to Calculation.Uncapped.
	Amount Money
}

// Calculation is the result of a compensation calculation.
type Calculation struct {
	// Lines explain the total; their Amounts add up to Uncapped exactly.
	Lines []Line
	// Uncapped is the exact sum of the lines rounded once, half up, to the
	// cent.
	Uncapped Money
	// Total is Uncapped, capped to the rule's Cap after rounding.
	Total Money
	// Capped reports whether the cap lowered the total.
	Capped bool
}

// errTooLarge guards int64 cents. Planned and actual calculations cannot
// reach it (MaxMonthlyCost bounds them); only Calculate with made-up lines
// can.
var errTooLarge = errors.New("domain: compensation does not fit in int64 cents")

// Calculate computes the compensation of lines whose Mentor, MonthlyCost and
// Share are set; the other fields are copied for display. It is the one place
// where rounding happens:
//
//   - each line's exact amount is Percent/100 × MonthlyCost × Share;
//   - Uncapped is the exact sum of those, rounded half up to the cent once;
//   - Total is Uncapped capped to Cap, after rounding;
//   - Uncapped is distributed over the lines by the largest-remainder
//     method: every line gets its exact amount rounded down, and the cents
//     left over go one each to the lines with the largest remainders
//     (earlier lines first on ties). The lines thus add up exactly to
//     Uncapped and none is off by a cent or more.
//
// The lines describe the uncapped amount; the cap is one step on the total,
// not spread over lines, so the ministry sees what it cut.
func (r Rule) Calculate(lines []Line) (Calculation, error) {
	if err := r.Validate(); err != nil {
		return Calculation{}, err
	}
	rate := big.NewRat(int64(r.Percent), 100)
	exact := make([]*big.Rat, len(lines))
	sum := new(big.Rat)
	for i, l := range lines {
		if l.MonthlyCost < 0 {
			return Calculation{}, fieldError("monthlyCost", "the monthly salary cost must not be negative")
		}
		if l.Share == nil || l.Share.Sign() < 0 {
			return Calculation{}, fieldError("share", "the time share must be a fraction of at least 0")
		}
		e := new(big.Rat).SetInt64(int64(l.MonthlyCost))
		e.Mul(e, l.Share).Mul(e, rate)
		exact[i] = e
		sum.Add(sum, e)
	}
	total := roundHalfUp(sum)
	if !total.IsInt64() {
		return Calculation{}, errTooLarge
	}
	uncapped := Money(total.Int64())

	out := make([]Line, len(lines))
	rems := make([]*big.Rat, len(lines))
	var floors int64
	for i, l := range lines {
		f := floor(exact[i])
		out[i] = l
		out[i].Share = new(big.Rat).Set(l.Share) // never alias the caller's value
		out[i].Amount = Money(f.Int64())
		floors += f.Int64()
		rems[i] = new(big.Rat).Sub(exact[i], new(big.Rat).SetInt(f))
	}
	// left is at least 0 because rounding half up loses less than half a
	// cent, and at most the number of lines with a remainder because each
	// remainder is below one cent: so a line gets at most one extra cent,
	// and only a line whose exact amount was not whole.
	left := int64(uncapped) - floors
	order := make([]int, len(lines))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) })
	for _, i := range order[:left] {
		out[i].Amount++
	}

	c := Calculation{Lines: out, Uncapped: uncapped, Total: uncapped}
	if c.Uncapped > r.Cap {
		c.Total, c.Capped = r.Cap, true
	}
	return c, nil
}

// roundHalfUp rounds x ≥ 0 to the nearest integer, halves up.
func roundHalfUp(x *big.Rat) *big.Int {
	n := new(big.Int).Lsh(x.Num(), 1)
	n.Add(n, x.Denom())
	d := new(big.Int).Lsh(x.Denom(), 1)
	return n.Div(n, d) // Euclidean division: floor for a positive divisor
}

// floor rounds x down to an integer.
func floor(x *big.Rat) *big.Int { return new(big.Int).Div(x.Num(), x.Denom()) }

// ceil rounds x up to an integer.
func ceil(x *big.Rat) *big.Int {
	f := floor(x)
	if !x.IsInt() {
		f.Add(f, big.NewInt(1))
	}
	return f
}

// contractualMonthlyHours returns the contractual hours in a month of a
// weekly contract, in hundredths: weekly × 52 ÷ 12, so a 38-hour week counts
// 164.666… hours a month. Months of 28 and 31 days count the same: the
// salary cost is a monthly amount too.
func contractualMonthlyHours(weekly Hours) *big.Rat {
	return big.NewRat(int64(weekly)*52, 12)
}

// MaxPlannedYears bounds the planned period of a trajectory. Trajectories
// last months, not years; the bound catches a mistyped year (2207 for 2027)
// before it becomes thousands of calculation lines.
const MaxPlannedYears = 5

// ValidatePlannedPeriod checks the planned period of a trajectory: both dates
// set, the end not before the start, and at most MaxPlannedYears long. The
// *FieldError names the createTrajectory input field.
func ValidatePlannedPeriod(plannedStart, plannedEnd time.Time) error {
	switch {
	case plannedStart.IsZero():
		return fieldError("plannedStart", "the planned start date is required")
	case plannedEnd.IsZero():
		return fieldError("plannedEnd", "the planned end date is required")
	}
	start, end := DateOf(plannedStart), DateOf(plannedEnd)
	switch {
	case end.Before(start):
		return fieldError("plannedEnd", "plannedEnd "+FormatDate(end)+" is before plannedStart "+FormatDate(start))
	case !end.Before(start.AddDate(MaxPlannedYears, 0, 0)):
		return fieldError("plannedEnd", fmt.Sprintf("a trajectory can be planned for at most %d years", MaxPlannedYears))
	}
	return nil
}

// Assignment is a mentor assigned to a trajectory for a planned number of
// hours a week, with the mentor's salary records.
type Assignment struct {
	Mentor             string
	PlannedWeeklyHours Hours
	Salaries           []Salary
}

// PlannedCompensation computes the compensation requested for a trajectory
// planned from plannedStart to plannedEnd, both dates included:
//
//	requested = rate × Σ over mentors of monthly cost
//	            × (planned weekly hours ÷ contractual weekly hours) × months
//
// rounded once and then capped (see Rule.Calculate). A calendar month wholly
// inside the period counts 1; a partial month counts the days covered ÷ the
// days of that month. Within a month each salary counts for the days it is
// in force, so a raise in the middle of the trajectory (or of a month) is
// applied from its first day. There is one line per mentor, month and salary.
//
// The period must pass ValidatePlannedPeriod, every day of it needs a salary
// in force, and the planned hours may not exceed the contractual weekly
// hours of any salary in force.
func PlannedCompensation(r Rule, plannedStart, plannedEnd time.Time, assignments []Assignment) (Calculation, error) {
	if err := r.Validate(); err != nil {
		return Calculation{}, err
	}
	if err := ValidatePlannedPeriod(plannedStart, plannedEnd); err != nil {
		return Calculation{}, err
	}
	start, end := DateOf(plannedStart), DateOf(plannedEnd)
	if len(assignments) == 0 {
		// Zero would be a valid sum, but an application for nothing is a
		// mistake, and reserving 0 would let it jump the waiting line.
		return Calculation{}, fieldError("mentors", "no mentor is assigned to the trajectory")
	}
	var lines []Line
	for _, a := range assignments {
		if a.PlannedWeeklyHours <= 0 {
			return Calculation{}, fieldError("plannedWeeklyHours", "mentor "+a.Mentor+": the planned weekly hours must be more than 0")
		}
		if err := validateMentorSalaries(a.Mentor, a.Salaries); err != nil {
			return Calculation{}, err
		}
		// Check the whole period first, so that an error names the whole
		// run of days at fault rather than its first month.
		for _, s := range spans(a.Salaries, start, end) {
			if !s.covered {
				return Calculation{}, fieldError("salaries", "mentor "+a.Mentor+" has no salary "+describePeriod(s.from, s.to))
			}
			if a.PlannedWeeklyHours > s.salary.WeeklyHours {
				return Calculation{}, fieldError("plannedWeeklyHours", fmt.Sprintf(
					"mentor %s is planned for %s hours a week, more than the %s of the contract in force %s",
					a.Mentor, a.PlannedWeeklyHours, s.salary.WeeklyHours, describePeriod(s.from, s.to)))
			}
		}
		for m := MonthOf(start); !MonthOf(end).Before(m); m = m.Next() {
			from, to := maxDate(start, m.FirstDay()), minDate(end, m.LastDay())
			for _, s := range spans(a.Salaries, from, to) {
				share := big.NewRat(int64(a.PlannedWeeklyHours), int64(s.salary.WeeklyHours))
				share.Mul(share, big.NewRat(s.days(), int64(m.Days())))
				lines = append(lines, Line{
					Mentor:             a.Mentor,
					Month:              m,
					From:               s.from,
					To:                 s.to,
					MonthlyCost:        s.salary.MonthlyCost,
					WeeklyHours:        s.salary.WeeklyHours,
					PlannedWeeklyHours: a.PlannedWeeklyHours,
					Share:              share,
				})
			}
		}
	}
	return r.Calculate(lines)
}

// TimeSheet is the hours one mentor actually spent on a trajectory, per
// month, with the mentor's salary records.
type TimeSheet struct {
	Mentor   string
	Salaries []Salary
	Entries  []TimeEntry
}

// TimeEntry is the hours a mentor spent on the trajectory in one month.
type TimeEntry struct {
	Month Month
	Hours Hours
}

// monthContract is what the salaries of a mentor say about one month.
type monthContract struct {
	spans []span   // the covered runs of days only
	hours *big.Rat // contractual hours of the covered days, in hundredths
}

// contractOf works out the contractual hours of a month: each salary in
// force counts its weekly hours × 52 ÷ 12 pro rata to the calendar days it
// is in force. Days without a salary (a mentor hired on the 15th) count
// nothing, so such a month has fewer contractual hours.
func contractOf(mentor string, m Month, salaries []Salary) (monthContract, error) {
	c := monthContract{hours: new(big.Rat)}
	for _, s := range spans(salaries, m.FirstDay(), m.LastDay()) {
		if !s.covered {
			continue
		}
		h := contractualMonthlyHours(s.salary.WeeklyHours)
		h.Mul(h, big.NewRat(s.days(), int64(m.Days())))
		c.hours.Add(c.hours, h)
		c.spans = append(c.spans, s)
	}
	if len(c.spans) == 0 {
		return c, fieldError("month", "mentor "+mentor+" has no salary in "+m.String())
	}
	return c, nil
}

// MaxHours returns the most hours a mentor can record for month: the
// contractual hours of the month (see ActualCompensation), rounded up to the
// hundredth in which hours are recorded, so that a full month of a 38-hour
// week can be entered as the 164.67 hours a screen shows for it.
func MaxHours(month Month, salaries []Salary) (Hours, error) {
	if month.IsZero() {
		return 0, fieldError("month", "the month is required")
	}
	if err := ValidateSalaries(salaries); err != nil {
		return 0, err
	}
	c, err := contractOf("", month, salaries)
	if err != nil {
		return 0, fieldError("month", "there is no salary in "+month.String())
	}
	return Hours(ceil(c.hours).Int64()), nil
}

// ActualCompensation computes the compensation for the hours mentors
// actually spent, per month:
//
//	monthly cost × hours spent ÷ contractual hours of that month
//
// with the rate applied, rounded once and capped (see Rule.Calculate). For
// settlement pass the total through Settle, which keeps it within the
// awarded amount.
//
// The contractual hours of a month are weekly hours × 52 ÷ 12. When the
// salary changes during the month, both the cost and the contractual hours
// count pro rata to the calendar days each salary is in force, and the hours
// spent are divided between them in that proportion; days without any salary
// count for neither (a mentor hired mid-month), but a month without any
// salary is an error. Hours up to MaxHours are accepted; hours above the
// exact contractual hours (by less than a hundredth) count as the full month,
// so a time share never exceeds 1. Lines are ordered by mentor as given, then
// by month.
func ActualCompensation(r Rule, sheets []TimeSheet) (Calculation, error) {
	if err := r.Validate(); err != nil {
		return Calculation{}, err
	}
	var lines []Line
	for _, sh := range sheets {
		if err := validateMentorSalaries(sh.Mentor, sh.Salaries); err != nil {
			return Calculation{}, err
		}
		entries := slices.Clone(sh.Entries)
		slices.SortStableFunc(entries, func(a, b TimeEntry) int { return a.Month.Compare(b.Month) })
		for i, e := range entries {
			switch {
			case e.Month.IsZero():
				return Calculation{}, fieldError("month", "mentor "+sh.Mentor+": the month is required")
			case i > 0 && entries[i-1].Month == e.Month:
				return Calculation{}, fieldError("month", "mentor "+sh.Mentor+": two entries for "+e.Month.String())
			case e.Hours < 0:
				return Calculation{}, fieldError("hours", "mentor "+sh.Mentor+": the hours in "+e.Month.String()+" must not be negative")
			}
			c, err := contractOf(sh.Mentor, e.Month, sh.Salaries)
			if err != nil {
				return Calculation{}, err
			}
			if limit := ceil(c.hours).Int64(); int64(e.Hours) > limit {
				return Calculation{}, fieldError("hours", fmt.Sprintf(
					"mentor %s: %s hours in %s is more than the %s contractual hours of that month",
					sh.Mentor, e.Hours, e.Month, Hours(limit)))
			}
			spent := new(big.Rat).SetInt64(int64(e.Hours))
			if spent.Cmp(c.hours) > 0 {
				spent.Set(c.hours)
			}
			timeShare := new(big.Rat).Quo(spent, c.hours)
			for _, s := range c.spans {
				share := big.NewRat(s.days(), int64(e.Month.Days()))
				share.Mul(share, timeShare)
				lines = append(lines, Line{
					Mentor:      sh.Mentor,
					Month:       e.Month,
					From:        s.from,
					To:          s.to,
					MonthlyCost: s.salary.MonthlyCost,
					WeeklyHours: s.salary.WeeklyHours,
					HoursSpent:  e.Hours,
					Share:       share,
				})
			}
		}
	}
	return r.Calculate(lines)
}

// validateMentorSalaries runs ValidateSalaries and says which mentor's
// records are at fault.
func validateMentorSalaries(mentor string, salaries []Salary) error {
	err := ValidateSalaries(salaries)
	var fe *FieldError
	if errors.As(err, &fe) {
		return fieldError(fe.Field, "mentor "+mentor+": "+fe.Message)
	}
	return err
}

// Settle returns the settled amount of a grant: the compensation computed on
// the hours actually spent (ActualCompensation's Total), never above the
// awarded amount and never below zero.
func Settle(actual, awarded Money) Money {
	return max(min(actual, awarded), 0)
}
