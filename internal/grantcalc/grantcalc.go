// Package grantcalc is the stored and shown form of a grant's calculation:
// the lines and totals of domain.PlannedCompensation (what was requested)
// or domain.ActualCompensation (what was settled), kept on the grant as the
// moment's record. Recomputing later would give another answer once a salary
// is corrected or an hour recorded, while the requested and settled amounts
// must stay explainable as they were decided.
//
// The lines contain salaries, which are personal data: the API shows them
// only to viewers who may read the mentors' salaries (see
// process.GrantCalculation), and totals to everyone who sees the grant. The
// package is a leaf (it imports only domain) so that the ent schema can
// store its type without an import cycle.
package grantcalc

import (
	"strconv"
	"time"

	"wisselaar/domain"
)

// Calculation is a calculation of a grant amount.
type Calculation struct {
	// Total is the amount: Uncapped capped to PerProjectCap.
	Total domain.Money `json:"total"`
	// Uncapped is the exact sum of the lines, rounded once to the cent.
	Uncapped domain.Money `json:"uncapped"`
	// Capped reports whether the per-project cap lowered the total.
	Capped bool `json:"capped"`
	// CompensationPercent and PerProjectCap are the call's rule applied.
	CompensationPercent int          `json:"compensationPercent"`
	PerProjectCap       domain.Money `json:"perProjectCap"`
	// Lines explain Uncapped; nil when the viewer may not see salaries.
	Lines []Line `json:"lines,omitempty"`
}

// Line is what one salary of one mentor counts for in one month.
type Line struct {
	// MentorID is the ent ID of the mentor.
	MentorID int `json:"mentorID"`
	// Month is the calendar month, "2027-01".
	Month string `json:"month"`
	// From and To are the days of the month the line counts, both included.
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// MonthlyCost and WeeklyHours are those of the salary in force.
	MonthlyCost domain.Money `json:"monthlyCost"`
	WeeklyHours domain.Hours `json:"weeklyHours"`
	// PlannedWeeklyHours is set on lines of a planned calculation.
	PlannedWeeklyHours *domain.Hours `json:"plannedWeeklyHours,omitempty"`
	// HoursSpent is set on lines of an actual calculation: the hours
	// recorded for the whole month.
	HoursSpent *domain.Hours `json:"hoursSpent,omitempty"`
	// Share is the exact fraction of MonthlyCost the line counts, before
	// the percentage, such as "1/2".
	Share string `json:"share"`
	// Amount is the line's part of Uncapped, to the cent.
	Amount domain.Money `json:"amount"`
}

// MentorKey is the key under which a mentor enters a domain calculation;
// MentorID reads it back.
func MentorKey(id int) string { return strconv.Itoa(id) }

// From records a domain calculation made with rule. planned says whether
// it was a planned calculation (lines carry planned weekly hours) or an
// actual one (lines carry hours spent). The mentors must have been keyed
// with MentorKey.
func From(c domain.Calculation, rule domain.Rule, planned bool) Calculation {
	out := Calculation{
		Total:               c.Total,
		Uncapped:            c.Uncapped,
		Capped:              c.Capped,
		CompensationPercent: rule.Percent,
		PerProjectCap:       rule.Cap,
		Lines:               make([]Line, 0, len(c.Lines)),
	}
	for _, l := range c.Lines {
		id, _ := strconv.Atoi(l.Mentor)
		line := Line{
			MentorID:    id,
			Month:       l.Month.String(),
			From:        l.From,
			To:          l.To,
			MonthlyCost: l.MonthlyCost,
			WeeklyHours: l.WeeklyHours,
			Share:       l.Share.RatString(),
			Amount:      l.Amount,
		}
		if planned {
			h := l.PlannedWeeklyHours
			line.PlannedWeeklyHours = &h
		} else {
			h := l.HoursSpent
			line.HoursSpent = &h
		}
		out.Lines = append(out.Lines, line)
	}
	return out
}

// Totals returns the calculation without its lines, for viewers who may
// see the amounts but not the salaries behind them.
func (c Calculation) Totals() Calculation {
	c.Lines = nil
	return c
}

// LedgerPosition is where a call's budget ledger stood for an application
// at the moment it was submitted, kept for the application file.
type LedgerPosition struct {
	// Status is RESERVED or WAITLISTED: what the submission got.
	Status string `json:"status"`
	// Budget is the call's budget.
	Budget domain.Money `json:"budget"`
	// RemainingBefore is the call's remaining budget just before the
	// submission reserved anything.
	RemainingBefore domain.Money `json:"remainingBefore"`
	// WaitingAhead is the number of applications that were waiting in line
	// before this one.
	WaitingAhead int `json:"waitingAhead"`
}
