package domain

import (
	"fmt"
	"time"
)

// brussels is loaded once; time/tzdata (imported in date.go) guarantees it
// exists even without a zoneinfo directory, so failure is a broken build.
var brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		panic(fmt.Sprintf("domain: loading Europe/Brussels: %v", err))
	}
	return loc
}()

// Brussels returns the Europe/Brussels time zone, in which the call's dates
// are meant.
func Brussels() *time.Location { return brussels }

// Window is the application window of a call. Applications are accepted
// from the instant OpensAt up to and including the whole closing date:
// the Europe/Brussels calendar date of ClosesAt. The closing date is read in
// Brussels because the call says "up to and including 31 October" and means
// the Flemish day, not UTC: an application at 23:30 Brussels time on the
// last day is in time, one at 00:00 the next day is not. A date stored as
// midnight UTC (see the package comment) falls on the same Brussels day, so
// ClosesAt may be a date or any instant of the closing day.
//
// To open a call at the start of a day, give OpensAt as StartOfDay(date).
type Window struct {
	OpensAt  time.Time
	ClosesAt time.Time
}

// StartOfDay returns midnight Europe/Brussels at the start of the Brussels
// calendar day of t. For a date at midnight UTC that is the start of the
// same date in Brussels.
func StartOfDay(t time.Time) time.Time {
	b := t.In(brussels)
	return time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, brussels)
}

// End returns the first instant after the window: midnight Brussels time at
// the start of the day after the closing date. Going through time.Date in
// the Brussels location makes the 23- and 25-hour days of daylight saving
// time come out right, which adding 24 hours would not.
func (w Window) End() time.Time {
	b := w.ClosesAt.In(brussels)
	return time.Date(b.Year(), b.Month(), b.Day()+1, 0, 0, 0, 0, brussels)
}

// Contains reports whether an application submitted at t is inside the
// window: not before OpensAt and before End.
func (w Window) Contains(t time.Time) bool {
	return !t.Before(w.OpensAt) && t.Before(w.End())
}

// Validate checks that both ends are set and that the window does not end
// before it opens. The *FieldError names the createCall input field.
func (w Window) Validate() error {
	switch {
	case w.OpensAt.IsZero():
		return fieldError("opensAt", "the opening of the application window is required")
	case w.ClosesAt.IsZero():
		return fieldError("closesAt", "the closing date of the application window is required")
	case !w.OpensAt.Before(w.End()):
		return fieldError("closesAt", "the application window closes before it opens")
	}
	return nil
}
