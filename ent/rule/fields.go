package rule

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"wisselaar/ent"
	"wisselaar/ent/municipality"
	"wisselaar/ent/predicate"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
)

// Some fields are read by fewer viewers than the row they belong to. Their
// resolvers ask the rules below and answer null to everyone else, and they
// are not offered as where-filters or sort orders, which would answer
// questions about them all the same.

// MayReadTrajectoryTexts reports whether the viewer may read the texts of
// trajectory t, its action plan, evaluation report and decline reason
// (TrajectoryTextsReadable): the parties wrote
// them for each other, the coordinator and the ministry. Analysts and
// partner tools read the trajectory's facts (parties, themes, dates,
// status, amounts), not its texts, which may name people.
func MayReadTrajectoryTexts(ctx context.Context, c *ent.Client, t *ent.Trajectory) (bool, error) {
	v := viewer.FromContext(ctx)
	readable := TrajectoryTextsReadable(v)
	switch {
	case readable == nil:
		return true, nil
	case !v.IsStaff():
		return false, nil
	case !v.Has(viewer.Analyst) && !v.Has(viewer.Partner):
		// Staff read only the trajectories their municipalities take part
		// in (ReadableTrajectories), so any t they hold is one of theirs.
		return true, nil
	}
	// Staff who are also analysts or a partner tool read every trajectory,
	// and the texts of their own.
	return c.Trajectory.Query().Where(trajectory.ID(t.ID), readable).Exist(ctx)
}

// TrajectoryTextsReadable is the predicate of the trajectories whose texts
// (action plan, evaluation report, decline reason) the viewer may read: nil
// for all of them. Search uses it too, so that only text the viewer may
// read can match.
func TrajectoryTextsReadable(v *viewer.Viewer) predicate.Trajectory {
	switch {
	case readsAll(v) || v.Has(viewer.Coordinator):
		return nil
	case v.IsStaff():
		return TrajectoryOfStaff(v)
	}
	return func(s *sql.Selector) { s.Where(sql.False()) }
}

// MayReadOfferMentors reports whether the viewer may read who could go on
// offer o: the offering municipality, the coordinator and the ministry. The
// other municipalities read an open offer without its people, even mentors
// they know from an earlier trajectory.
func MayReadOfferMentors(ctx context.Context, c *ent.Client, o *ent.Offer) (bool, error) {
	v := viewer.FromContext(ctx)
	switch {
	case readsAll(v) || v.Has(viewer.Coordinator):
		return true, nil
	case !v.IsStaff():
		return false, nil
	}
	return c.Municipality.Query().Where(municipality.ID(o.MunicipalityID), staffOf(v)).Exist(ctx)
}
