package process

import (
	"context"
	"time"
	"unicode/utf8"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/grant"
	"wisselaar/ent/trajectory"
	"wisselaar/internal/apierr"
)

// maxPublicSummary bounds a public summary: a paragraph or a few, for a
// catalogue page and a feed, not a report.
const maxPublicSummary = 4000

// PublishTrajectory writes a trajectory's public summary and publishes it
// in the public catalogue and the open-data feed; publishing again
// replaces the summary. Only the coordinator, which publishes each year's
// projects. The trajectory must be COMPLETED and its grant awarded
// (APPROVED, SETTLED or PAID): awarded amounts are public, requested ones
// are not, so a trajectory without an awarded grant has no amount to show
// (CONFLICT).
func PublishTrajectory(ctx context.Context, c *ent.Client, in PublishTrajectoryInput) (*ent.Trajectory, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	t, err := lockTrajectory(ctx, c, in.TrajectoryID)
	if err != nil {
		return nil, err
	}
	if err := requireSide(sidesOn(v, t), domain.Coordinator, "publish a trajectory"); err != nil {
		return nil, err
	}
	if err := mustNotBeBlank("publicSummary", in.PublicSummary); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(in.PublicSummary) > maxPublicSummary {
		return nil, badInput("publicSummary", "at most %d characters", maxPublicSummary)
	}
	if t.Status != trajectory.StatusCOMPLETED {
		return nil, apierr.New(apierr.Conflict, "only a completed trajectory is published; this one is %s", t.Status)
	}
	awarded, err := c.Grant.Query().Where(grant.TrajectoryID(t.ID),
		grant.StatusIn(grant.StatusAPPROVED, grant.StatusSETTLED, grant.StatusPAID)).Exist(ctx)
	if err != nil {
		return nil, err
	}
	if !awarded {
		return nil, apierr.New(apierr.Conflict, "only a trajectory whose grant was awarded is published")
	}
	u := t.Update().SetPublicSummary(in.PublicSummary)
	if t.PublishedAt == nil {
		u.SetPublishedAt(time.Now())
	}
	return u.Save(ctx)
}
