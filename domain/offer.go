package domain

import "time"

// MatchingStatus is where an offer or a need stands. The values are the
// GraphQL enum values.
type MatchingStatus string

// The statuses of offers and needs.
const (
	// MatchingOpen means the coordinator may match it.
	MatchingOpen MatchingStatus = "OPEN"
	// MatchingMatched means a match was accepted by both sides (for an
	// offer: its whole capacity is promised).
	MatchingMatched MatchingStatus = "MATCHED"
	// MatchingWithdrawn means its municipality withdrew it.
	MatchingWithdrawn MatchingStatus = "WITHDRAWN"
	// MatchingExpired means its period ended while it was open.
	MatchingExpired MatchingStatus = "EXPIRED"
)

// EffectiveStatus returns the status of an offer or need stored as stored
// whose period ends on the date end, on the date today: an open one whose
// period ended before today is EXPIRED, whether or not the nightly sweep
// has stored that yet. Expiry is never set by hand.
func EffectiveStatus(stored MatchingStatus, end, today time.Time) MatchingStatus {
	if stored == MatchingOpen && DateOf(end).Before(DateOf(today)) {
		return MatchingExpired
	}
	return stored
}

// BrusselsDate returns the Europe/Brussels calendar date of t, as a date of
// this package (midnight UTC). Periods of offers and needs end at the end of
// a Flemish day.
func BrusselsDate(t time.Time) time.Time {
	b := t.In(Brussels())
	return NewDate(b.Year(), b.Month(), b.Day())
}

// Overlap returns the days that two periods (dates, both ends included) have
// in common, and whether they have any.
func Overlap(aFrom, aTo, bFrom, bTo time.Time) (from, to time.Time, ok bool) {
	from, to = maxDate(aFrom, bFrom), minDate(aTo, bTo)
	return from, to, !to.Before(from)
}
