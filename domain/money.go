package domain

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in euro cents. Money never passes through floating
// point: it is parsed from and formatted to decimal strings directly.
type Money int64

// Cents returns the amount in euro cents.
func (m Money) Cents() int64 { return int64(m) }

// Euro returns an amount of whole euros.
func Euro(euros int64) Money { return Money(euros * 100) }

// String formats the amount as a decimal euro string with exactly two
// decimals, such as "21746.00" or "-0.05".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign = "-"
		v = -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// ErrInvalidMoney is returned by ParseMoney for anything that is not a
// decimal euro amount with at most two decimals.
var ErrInvalidMoney = errors.New("not an amount in euro with at most two decimals, such as \"1250.50\"")

// maxMoneyDigits bounds the integer part so that cents always fit in int64.
const maxMoneyDigits = 15

// ParseMoney parses a decimal euro amount such as "21746", "21746.5" or
// "21746.00". It accepts no sign, no exponent, no thousands separators and
// at most two decimals: negative amounts are not money anywhere in the
// programme, and silently rounding a third decimal would lose cents.
func ParseMoney(s string) (Money, error) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(whole) > maxMoneyDigits || !allDigits(whole) {
		return 0, ErrInvalidMoney
	}
	if hasDot && (frac == "" || len(frac) > 2 || !allDigits(frac)) {
		return 0, ErrInvalidMoney
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, ErrInvalidMoney
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return Money(w*100 + f), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
