package rule

import (
	"context"

	"wisselaar/ent"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
)

// Some fields are read by fewer viewers than the row they belong to. Their
// resolvers ask the rules below and answer null to everyone else, and they
// are not offered as where-filters or sort orders, which would answer
// questions about them all the same.

// MayReadTrajectoryTexts reports whether the viewer may read the texts of
// trajectory t, its action plan and evaluation report: the parties wrote
// them for each other, the coordinator and the ministry. Analysts and
// partner tools read the trajectory's facts (parties, themes, dates,
// status, amounts), not its texts, which may name people.
func MayReadTrajectoryTexts(ctx context.Context, c *ent.Client, t *ent.Trajectory) (bool, error) {
	v := viewer.FromContext(ctx)
	switch {
	case readsAll(v) || v.Has(viewer.Coordinator):
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
	return c.Trajectory.Query().Where(trajectory.ID(t.ID), TrajectoryOfStaff(v)).Exist(ctx)
}
