package domain

import (
	"fmt"
	"time"
)

// Anonymisation of mentors (the anonymise command). Once a trajectory is
// settled — ended, and its money finished with — the names and e-mail
// addresses of its mentors and their salary records are no longer needed:
// the amounts, hours, themes and statistics stay, the people go.

// SettledTrajectory reports whether a trajectory is over for good, so that
// its mentors' personal data may go: it ended (COMPLETED, or ended early:
// DECLINED or CANCELLED) and its grant, if it has one, is finished with:
// PAID, REJECTED or WITHDRAWN. A SETTLED grant still waits for payment,
// which the ministry checks against the calculation, so it is not.
// grantStatus is "" for a trajectory without a grant.
func SettledTrajectory(trajectoryStatus, grantStatus string) bool {
	switch trajectoryStatus {
	case "COMPLETED", "DECLINED", "CANCELLED":
	default:
		return false
	}
	switch grantStatus {
	case "", "PAID", "REJECTED", "WITHDRAWN":
		return true
	}
	return false
}

// CheckAnonymiseBefore refuses a cut-off date after today (both dates of
// this package): anonymising "everything that ended before next year"
// would reach trajectories that have not ended yet.
func CheckAnonymiseBefore(before, today time.Time) error {
	if before.After(today) {
		return fieldError("before", fmt.Sprintf("%s is in the future; give a date up to today (%s)",
			before.Format(dateLayout), today.Format(dateLayout)))
	}
	return nil
}

// AnonymisedMentorName is the name an anonymised mentor keeps.
func AnonymisedMentorName(id int) string { return fmt.Sprintf("Geanonimiseerde mentor %d", id) }

// AnonymisedMentorEmail is the e-mail address an anonymised mentor keeps:
// unique per mentor (the address is unique per municipality) and in a
// domain that can never receive mail (RFC 2606).
func AnonymisedMentorEmail(id int) string { return fmt.Sprintf("mentor-%d@anoniem.invalid", id) }
