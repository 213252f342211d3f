package domain

import (
	"errors"
	"fmt"
	"time"

	// The zone database is embedded so that Europe/Brussels loads on a
	// machine or container without /usr/share/zoneinfo: the window of a
	// call must close at the same instant everywhere.
	_ "time/tzdata"
)

// A date in this package is a time.Time at midnight UTC. UTC has no daylight
// saving time, so every day is exactly 24 hours long and counting days is
// plain arithmetic; a civil date type would be cleaner on paper but every
// database driver, ent and gqlgen already speak time.Time.

// dateLayout is the API's Date format.
const dateLayout = "2006-01-02"

// NewDate returns the date year-month-day as midnight UTC. Like time.Date it
// normalises out-of-range values: NewDate(2027, 2, 29) is 1 March 2027.
func NewDate(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// DateOf returns the date of t: its UTC calendar day at midnight UTC. Dates
// are stored as midnight UTC; reading the UTC day (not the day in t's own
// location) keeps a date the same day when a driver hands it back in, say,
// the server's local zone.
func DateOf(t time.Time) time.Time {
	u := t.UTC()
	return NewDate(u.Year(), u.Month(), u.Day())
}

// ErrInvalidDate is returned by ParseDate for anything that is not a real
// calendar date written as YYYY-MM-DD.
var ErrInvalidDate = errors.New("not a date written as YYYY-MM-DD, such as 2027-01-31")

// ParseDate parses a date written as "2027-01-31" into midnight UTC. It
// rejects days that do not exist (2027-02-29) rather than rolling over.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, ErrInvalidDate
	}
	return t, nil
}

// FormatDate formats the date of t as "2027-01-31".
func FormatDate(t time.Time) string { return DateOf(t).Format(dateLayout) }

// dayNumber counts days since 1970-01-01 for the date of t. It uses Unix
// seconds rather than time.Duration, which overflows after 292 years.
// A midnight-UTC instant is a whole multiple of 86400 seconds from the
// epoch, so the division is exact for dates before 1970 too.
func dayNumber(t time.Time) int64 { return DateOf(t).Unix() / 86400 }

// daysInclusive returns the number of days from the date of from up to and
// including the date of to (0 if to is before from).
func daysInclusive(from, to time.Time) int64 {
	n := dayNumber(to) - dayNumber(from) + 1
	return max(n, 0)
}

// minDate and maxDate compare dates.
func minDate(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxDate(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Month is a calendar month, the unit in which the hours a mentor spent are
// recorded ("2027-01"). The zero Month is not a valid month; use IsZero to
// recognise it. Months are comparable with == and ordered with Compare.
type Month struct {
	year  int
	month time.Month
}

// NewMonth returns the month of year. Like time.Date it normalises
// out-of-range months: NewMonth(2026, 13) is 2027-01.
func NewMonth(year int, month time.Month) Month {
	return MonthOf(NewDate(year, month, 1))
}

// MonthOf returns the month of the date of t (its UTC calendar day, see
// DateOf).
func MonthOf(t time.Time) Month {
	u := t.UTC()
	return Month{year: u.Year(), month: u.Month()}
}

// ErrInvalidMonth is returned by ParseMonth for anything that is not a month
// written as YYYY-MM.
var ErrInvalidMonth = errors.New("not a month written as YYYY-MM, such as 2027-01")

// ParseMonth parses a month written as "2027-01": four digits, a hyphen, two
// digits from 01 to 12, nothing else.
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' || !allDigits(s[:4]) || !allDigits(s[5:]) {
		return Month{}, ErrInvalidMonth
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	if m < 1 || m > 12 {
		return Month{}, ErrInvalidMonth
	}
	return Month{year: y, month: time.Month(m)}, nil
}

// String formats the month as "2027-01".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.year, int(m.month)) }

// MarshalText implements encoding.TextMarshaler with the String format, so
// months read naturally in JSON and logs.
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseMonth.
func (m *Month) UnmarshalText(b []byte) error {
	v, err := ParseMonth(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// IsZero reports whether m is the zero Month, which is no month at all.
func (m Month) IsZero() bool { return m == Month{} }

// Year returns the year of the month.
func (m Month) Year() int { return m.year }

// Month returns the month of the year.
func (m Month) Month() time.Month { return m.month }

// Next returns the month after m.
func (m Month) Next() Month { return NewMonth(m.year, m.month+1) }

// FirstDay returns the first day of the month as a date (midnight UTC).
func (m Month) FirstDay() time.Time { return NewDate(m.year, m.month, 1) }

// LastDay returns the last day of the month as a date (midnight UTC).
func (m Month) LastDay() time.Time { return NewDate(m.year, m.month+1, 0) }

// Days returns the number of calendar days in the month (28 to 31).
func (m Month) Days() int { return m.LastDay().Day() }

// Compare returns -1 if m is before o, 0 if they are the same month and +1
// if m is after o, for slices.SortFunc and friends.
func (m Month) Compare(o Month) int {
	switch {
	case m.year < o.year || m.year == o.year && m.month < o.month:
		return -1
	case m == o:
		return 0
	default:
		return 1
	}
}

// Before reports whether m is before o.
func (m Month) Before(o Month) bool { return m.Compare(o) < 0 }
