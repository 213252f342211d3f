package process

import (
	"context"
	"slices"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/assignment"
	"wisselaar/ent/mentor"
	"wisselaar/ent/timeentry"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
)

// A mentor's time is claimed once: what she is planned for (AssignMentor)
// and what she spent (RecordTimeEntries) on all her trajectories together
// may not exceed her contract (domain.CheckWeeklyLoad,
// domain.CheckMonthlyHours). Both steps lock the mentor's row before they
// read what the other trajectories claim, so that two steps on different
// trajectories of one mentor run one after the other and each sees what
// the other wrote.

// lockMentors locks the rows of mentors the viewer can see, in ID order
// whatever the order of ids, so that two steps locking the same mentors
// cannot deadlock. A mentor the viewer cannot see is NOT_FOUND.
func lockMentors(ctx context.Context, c *ent.Client, ids ...int) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for _, id := range ids {
		locked, err := c.Mentor.Query().Where(mentor.ID(id)).Select(mentor.FieldID).Modify(forUpdate).Ints(ctx)
		if err != nil {
			return err
		}
		if len(locked) == 0 {
			return apierr.New(apierr.NotFound, "mentor not found")
		}
	}
	return nil
}

// plannedElsewhere returns what a mentor is planned for on trajectories
// other than trajectoryID that are not DECLINED or CANCELLED. The caller
// holds the mentor's lock.
//
// It reads as the system: the mentor's other trajectories may be outside
// what the viewer can see, yet her hours there count all the same. Only the
// sum of the hours reaches the viewer, in the refusal's message; nothing
// else read here is returned.
func plannedElsewhere(ctx context.Context, c *ent.Client, mentorID, trajectoryID int) ([]domain.PlannedLoad, error) {
	others, err := c.Assignment.Query().
		Where(
			assignment.MentorID(mentorID),
			assignment.TrajectoryIDNEQ(trajectoryID),
			assignment.HasTrajectoryWith(trajectory.StatusNotIn(trajectory.StatusDECLINED, trajectory.StatusCANCELLED)),
		).
		WithTrajectory().
		All(viewer.SystemContext(ctx))
	if err != nil {
		return nil, err
	}
	loads := make([]domain.PlannedLoad, 0, len(others))
	for _, a := range others {
		if t := a.Edges.Trajectory; t != nil {
			loads = append(loads, domain.PlannedLoad{Start: t.PlannedStart, End: t.PlannedEnd, WeeklyHours: a.PlannedWeeklyHours})
		}
	}
	return loads, nil
}

// mentorMonth keys hours by mentor and month ("2027-01").
type mentorMonth struct {
	mentor int
	month  string
}

// recordedElsewhere returns the hours recorded for the mentors in the
// months on trajectories other than trajectoryID, summed by mentor and
// month. The caller holds the mentors' locks.
//
// It reads as the system, for the reason plannedElsewhere does: the hours
// count whoever may see them, and only their sum reaches the viewer.
func recordedElsewhere(ctx context.Context, c *ent.Client, trajectoryID int, mentorIDs []int, months []string) (map[mentorMonth]domain.Hours, error) {
	entries, err := c.TimeEntry.Query().
		Where(
			timeentry.MentorIDIn(mentorIDs...),
			timeentry.MonthIn(months...),
			timeentry.TrajectoryIDNEQ(trajectoryID),
		).
		All(viewer.SystemContext(ctx))
	if err != nil {
		return nil, err
	}
	sums := make(map[mentorMonth]domain.Hours, len(entries))
	for _, e := range entries {
		sums[mentorMonth{e.MentorID, e.Month}] += e.Hours
	}
	return sums, nil
}
