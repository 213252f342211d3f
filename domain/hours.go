package domain

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Hours is a number of hours in hundredths of an hour. The API shows hours
// as a number with at most two decimals; storing hundredths keeps every
// calculation with hours exact.
type Hours int64

// HoursOf returns h whole hours.
func HoursOf(h int64) Hours { return Hours(h * 100) }

// Hundredths returns the number of hundredths of an hour.
func (h Hours) Hundredths() int64 { return int64(h) }

// String formats the hours with the decimals it needs: "19", "19.5", "7.25".
func (h Hours) String() string {
	sign := ""
	v := int64(h)
	if v < 0 {
		sign = "-"
		v = -v
	}
	s := fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// ErrInvalidHours is returned by ParseHours for anything that is not a
// non-negative number of hours with at most two decimals.
var ErrInvalidHours = errors.New("not a number of hours ≥ 0 with at most two decimals, such as 19.5")

// ParseHours parses a decimal number of hours such as "19", "19.5" or
// "7.25". Exponents are accepted only when they give at most two decimals
// (JSON encoders may write 1e1 for 10).
func ParseHours(s string) (Hours, error) {
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, ErrInvalidHours
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 9 || !allDigits(whole) {
		return 0, ErrInvalidHours
	}
	if hasDot && (frac == "" || !allDigits(frac)) {
		return 0, ErrInvalidHours
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 2 {
		return 0, ErrInvalidHours
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	return Hours(w*100 + f), nil
}
