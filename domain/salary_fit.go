package domain

import "fmt"

// FitSalary decides how a new salary record s fits among a mentor's
// existing records: salary periods may not overlap, except that a record
// starting inside the open-ended current one takes over from it (that is how
// a raise is recorded). It returns the indexes of the open-ended records
// that started before s (to be closed the day before s starts), or a
// *FieldError when s overlaps a record otherwise:
//
//   - a record starting on the same day as s, or a bounded record whose
//     period includes s's first day: field validFrom;
//   - a record starting after s's first day while s still runs: field validTo
//     when s has a last day (it runs into the later record), else validFrom
//     (an open-ended record cannot start before an existing one).
//
// Consistent data has at most one open-ended record. Data stored before
// overlaps were refused may hold several, each a raise over the one before;
// s takes over from all of those that started before it, which leaves the
// salary in force before s's first day as it was.
func FitSalary(existing []Salary, s Salary) (closes []int, err error) {
	from, to := DateOf(s.ValidFrom), s.ValidTo
	for i, e := range existing {
		ef := DateOf(e.ValidFrom)
		switch {
		case ef.Equal(from):
			return nil, fieldError("validFrom", fmt.Sprintf("a salary record already starts on %s", FormatDate(ef)))
		case ef.Before(from) && e.ValidTo.IsZero():
			closes = append(closes, i)
		case ef.Before(from) && !DateOf(e.ValidTo).Before(from):
			return nil, fieldError("validFrom", fmt.Sprintf("%s lies in the salary record from %s to %s; salary periods may not overlap",
				FormatDate(from), FormatDate(ef), FormatDate(e.ValidTo)))
		case from.Before(ef) && (to.IsZero() || !DateOf(to).Before(ef)):
			if to.IsZero() {
				return nil, fieldError("validFrom", fmt.Sprintf("a salary record starts later, on %s: a salary from %s must end before it (give validTo)",
					FormatDate(ef), FormatDate(from)))
			}
			return nil, fieldError("validTo", fmt.Sprintf("the salary runs into the record from %s; salary periods may not overlap: end it by %s",
				FormatDate(ef), FormatDate(ef.AddDate(0, 0, -1))))
		}
	}
	return closes, nil
}
