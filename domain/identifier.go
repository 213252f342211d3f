package domain

import "strings"

// ValidateNISCode checks a NIS code, the number Statbel gives every
// municipality: exactly five digits, such as "12025" for Mechelen. It is a
// string, not a number, because codes are identifiers (and the format is
// fixed at five digits). The *FieldError names the "nisCode" field.
func ValidateNISCode(s string) error {
	if len(s) != 5 || !allDigits(s) {
		return fieldError("nisCode", "a NIS code is exactly five digits, such as 12025")
	}
	return nil
}

// ParseKBONumber checks an enterprise number of the Crossroads Bank for
// Enterprises (KBO/BCE) and returns its ten digits, such as "0207451227" for
// the city of Mechelen. It accepts the usual ways of writing it: with dots
// and spaces ("0207.451.227", "0207 451 227"), with the BE prefix of a VAT
// number, and the old nine-digit form without the leading 0. The last two
// digits must be the check digits: 97 − (the first eight digits mod 97).
// The *FieldError names the "kboNumber" field.
func ParseKBONumber(s string) (string, error) {
	d := strings.ToUpper(strings.TrimSpace(s))
	d = strings.TrimPrefix(d, "BE")
	d = strings.NewReplacer(".", "", " ", "").Replace(d)
	if len(d) == 9 {
		d = "0" + d
	}
	if len(d) != 10 || !allDigits(d) {
		return "", fieldError("kboNumber", "an enterprise number is ten digits, such as 0207.451.227")
	}
	var body, check int
	for _, c := range d[:8] {
		body = body*10 + int(c-'0')
	}
	check = int(d[8]-'0')*10 + int(d[9]-'0')
	if 97-body%97 != check {
		return "", fieldError("kboNumber", "the check digits of enterprise number "+FormatKBONumber(d)+" are wrong")
	}
	return d, nil
}

// FormatKBONumber writes the ten digits of an enterprise number the way the
// KBO shows them: "0207.451.227". Anything else is returned unchanged.
func FormatKBONumber(digits string) string {
	if len(digits) != 10 || !allDigits(digits) {
		return digits
	}
	return digits[:4] + "." + digits[4:7] + "." + digits[7:]
}
