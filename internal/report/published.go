package report

import (
	"context"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/call"
	"wisselaar/ent/grant"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
)

// PublishedTrajectory is a trajectory as the public catalogue and the
// open-data feed show it: the facts the coordinator publishes (parties,
// themes, call, period, awarded amount and the public summary), nothing
// personal and nothing undecided.
type PublishedTrajectory struct {
	ID           int
	Title        string
	Form         trajectory.Form
	Giving       *ent.Municipality
	Receiving    *ent.Municipality
	Call         *ent.Call
	Themes       []*ent.Theme
	PlannedStart time.Time
	PlannedEnd   time.Time
	Awarded      domain.Money
	// AwardedOn is the day the ministry decided the grant.
	AwardedOn   time.Time
	Summary     string
	PublishedAt time.Time
}

// PublishedTrajectories returns the published trajectories whose grant was
// awarded, by call year and then in the order they were created; with year,
// those of that year's calls.
//
// They are read as the system, because the catalogue is public while the
// trajectories themselves are not: what leaves this function is exactly
// the published facts above, of published trajectories only, so no
// unpublished row and no other field can change its answer.
func PublishedTrajectories(ctx context.Context, c *ent.Client, year *int) ([]*PublishedTrajectory, error) {
	sys := viewer.SystemContext(ctx)
	q := c.Trajectory.Query().
		Where(
			trajectory.PublishedAtNotNil(),
			trajectory.HasGrantWith(grant.StatusIn(grant.StatusAPPROVED, grant.StatusSETTLED, grant.StatusPAID)),
		).
		WithGiving().WithReceiving().WithCall().WithGrant().
		WithThemes(func(q *ent.ThemeQuery) { q.Order(ent.Asc("id")) })
	if year != nil {
		q.Where(trajectory.HasCallWith(call.Year(*year)))
	}
	ts, err := q.Order(trajectory.ByCallField(call.FieldYear), trajectory.ByID()).All(sys)
	if err != nil {
		return nil, err
	}
	out := make([]*PublishedTrajectory, 0, len(ts))
	for _, t := range ts {
		g := t.Edges.Grant
		p := &PublishedTrajectory{
			ID:           t.ID,
			Title:        t.Title,
			Form:         t.Form,
			Giving:       t.Edges.Giving,
			Receiving:    t.Edges.Receiving,
			Call:         t.Edges.Call,
			Themes:       t.Edges.Themes,
			PlannedStart: t.PlannedStart,
			PlannedEnd:   t.PlannedEnd,
			Summary:      t.PublicSummary,
			PublishedAt:  *t.PublishedAt,
		}
		if g.Awarded != nil {
			p.Awarded = *g.Awarded
		}
		if g.DecidedAt != nil {
			p.AwardedOn = domain.BrusselsDate(*g.DecidedAt)
		}
		out = append(out, p)
	}
	return out, nil
}
