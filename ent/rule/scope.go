package rule

import (
	"context"

	"wisselaar/ent"
	"wisselaar/ent/assignment"
	"wisselaar/ent/grant"
	"wisselaar/ent/mentor"
	"wisselaar/ent/municipality"
	"wisselaar/ent/payment"
	"wisselaar/ent/predicate"
	"wisselaar/ent/privacy"
	"wisselaar/ent/salary"
	"wisselaar/ent/timeentry"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
)

// The filters below implement "giving and receiving are relations of a
// trajectory": staff of a municipality see a trajectory because their
// municipality is its giving or receiving party, and see what hangs off it
// according to that side.

func staffOf(v *viewer.Viewer) predicate.Municipality {
	return municipality.NisCodeIn(v.Municipalities...)
}

// TrajectoryOfStaff is the trajectories the viewer's municipalities take
// part in, on either side.
func TrajectoryOfStaff(v *viewer.Viewer) predicate.Trajectory {
	return trajectory.Or(
		trajectory.HasGivingWith(staffOf(v)),
		trajectory.HasReceivingWith(staffOf(v)),
	)
}

// TrajectoryGivenByStaff is the trajectories in which one of the viewer's
// municipalities is the giving party.
func TrajectoryGivenByStaff(v *viewer.Viewer) predicate.Trajectory {
	return trajectory.HasGivingWith(staffOf(v))
}

func isStaff(ctx context.Context) (*viewer.Viewer, bool) {
	v := viewer.FromContext(ctx)
	return v, v != nil && len(v.Municipalities) > 0
}

// FilterTrajectoriesToStaff narrows trajectories to those the viewer's
// municipalities take part in.
func FilterTrajectoriesToStaff() privacy.QueryRule {
	return privacy.TrajectoryQueryRuleFunc(func(ctx context.Context, q *ent.TrajectoryQuery) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		q.Where(TrajectoryOfStaff(v))
		return privacy.Allow
	})
}

// FilterAssignmentsToStaff narrows assignments to the trajectories the
// viewer's municipalities take part in: the receiving side sees who comes.
func FilterAssignmentsToStaff() privacy.QueryRule {
	return privacy.AssignmentQueryRuleFunc(func(ctx context.Context, q *ent.AssignmentQuery) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		q.Where(assignment.HasTrajectoryWith(TrajectoryOfStaff(v)))
		return privacy.Allow
	})
}

// FilterGrantsToStaff narrows grants to the trajectories the viewer's
// municipalities take part in.
func FilterGrantsToStaff() privacy.QueryRule {
	return privacy.GrantQueryRuleFunc(func(ctx context.Context, q *ent.GrantQuery) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		q.Where(grant.HasTrajectoryWith(TrajectoryOfStaff(v)))
		return privacy.Allow
	})
}

// FilterMentorsToStaff narrows mentors to the viewer's own colleagues and
// the mentors who come to work in a trajectory the viewer's municipality
// receives.
func FilterMentorsToStaff() privacy.QueryRule {
	return privacy.MentorQueryRuleFunc(func(ctx context.Context, q *ent.MentorQuery) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		q.Where(mentor.Or(
			mentor.HasMunicipalityWith(staffOf(v)),
			mentor.HasTrajectoriesWith(TrajectoryOfStaff(v)),
		))
		return privacy.Allow
	})
}

// FilterSalariesToEmployer narrows salaries to those of the viewer's own
// colleagues: salaries are personal data of the employing municipality.
func FilterSalariesToEmployer() privacy.QueryRule {
	return privacy.SalaryQueryRuleFunc(func(ctx context.Context, q *ent.SalaryQuery) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		q.Where(salary.HasMentorWith(mentor.HasMunicipalityWith(staffOf(v))))
		return privacy.Allow
	})
}

// FilterTimeEntriesToGiving narrows recorded hours to trajectories the
// viewer's municipality gives: the hours are the giving side's records.
func FilterTimeEntriesToGiving() privacy.QueryRule {
	return privacy.TimeEntryQueryRuleFunc(func(ctx context.Context, q *ent.TimeEntryQuery) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		q.Where(timeentry.HasTrajectoryWith(TrajectoryGivenByStaff(v)))
		return privacy.Allow
	})
}

// FilterPaymentsToGiving narrows payments to the grants of trajectories the
// viewer's municipality gives: the giving municipality is the one paid.
func FilterPaymentsToGiving() privacy.QueryRule {
	return privacy.PaymentQueryRuleFunc(func(ctx context.Context, q *ent.PaymentQuery) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		q.Where(payment.HasGrantWith(grant.HasTrajectoryWith(TrajectoryGivenByStaff(v))))
		return privacy.Allow
	})
}
