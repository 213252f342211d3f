package process

import (
	"context"
	"slices"
	"strconv"
	"time"

	"entgo.io/ent/dialect/sql"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/need"
	"wisselaar/ent/offer"
	"wisselaar/ent/predicate"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
)

// MatchSuggestion is an offer suggested for a need, with its score.
type MatchSuggestion struct {
	Offer      *ent.Offer
	Score      float64
	Components []domain.ScoreComponent
}

// MaxSuggestions bounds matchSuggestions' first.
const MaxSuggestions = 100

// MatchSuggestions returns the open offers of other municipalities that best
// suit a need, best first, at most first of them, each scored by
// domain.ScoreMatch. For the coordinator and the ministry; a need the viewer
// may not read is NOT_FOUND, one it may read (its own) FORBIDDEN.
//
// Everything the score needs is read in a fixed number of queries, however
// many offers there are: the offers with their municipality and themes, the
// hours promised per offer, the earlier cooperations of the needing
// municipality per municipality, and the trajectories each municipality
// gives in the open calls.
func MatchSuggestions(ctx context.Context, c *ent.Client, needID, first int) ([]*MatchSuggestion, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	n, err := c.Need.Query().Where(need.ID(needID)).WithMunicipality().WithThemes().Only(ctx)
	if err != nil {
		return nil, notFound("need", err)
	}
	sides := sidesOf(v)
	if !slices.Contains(sides, domain.Coordinator) && !slices.Contains(sides, domain.Ministry) {
		return nil, apierr.New(apierr.Forbidden, "only the coordinator and the ministry ask for match suggestions")
	}
	if first < 1 || first > MaxSuggestions {
		return nil, badInput("first", "first must be between 1 and %d", MaxSuggestions)
	}
	now := time.Now()
	offers, err := c.Offer.Query().
		Where(offer.StatusEQ(offer.StatusOPEN), offer.AvailableUntilGTE(domain.BrusselsDate(now)),
			offer.MunicipalityIDNEQ(n.MunicipalityID)).
		WithMunicipality().WithThemes().
		Order(offer.ByID()).
		All(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int, len(offers))
	municipalities := make([]int, len(offers))
	for i, o := range offers {
		ids[i], municipalities[i] = o.ID, o.MunicipalityID
	}
	promised, err := promisedHours(ctx, c, 0, ids...)
	if err != nil {
		return nil, err
	}
	cooperations, err := cooperationsWith(ctx, c, n.MunicipalityID)
	if err != nil {
		return nil, err
	}
	load, err := openCallLoad(ctx, c, now, municipalities)
	if err != nil {
		return nil, err
	}

	want := domain.MatchNeed{
		Municipality: n.Edges.Municipality.NisCode, Province: string(n.Edges.Municipality.Province),
		Themes: themeCodes(n.Edges.Themes), Topics: n.Topics, Description: n.Description,
		DesiredStart: n.DesiredStart, DesiredEnd: n.DesiredEnd,
	}
	if n.PreferredForm != nil {
		want.PreferredForm = string(*n.PreferredForm)
	}
	var candidates []domain.MatchOffer
	var kept []*ent.Offer
	for _, o := range offers {
		mo := domain.MatchOffer{
			Municipality: o.Edges.Municipality.NisCode, Province: string(o.Edges.Municipality.Province),
			Themes: themeCodes(o.Edges.Themes), Topics: o.Topics, Description: o.Description, Forms: o.Forms,
			AvailableFrom: o.AvailableFrom, AvailableUntil: o.AvailableUntil,
			CapacityHoursPerWeek: o.CapacityHoursPerWeek, PromisedHoursPerWeek: promised[o.ID],
			EarlierCooperations: cooperations[o.MunicipalityID], OpenCallLoad: load[o.MunicipalityID],
		}
		if mo.RemainingCapacity() <= 0 {
			continue
		}
		candidates = append(candidates, mo)
		kept = append(kept, o)
	}
	var out []*MatchSuggestion
	for _, r := range domain.RankOffers(want, candidates, domain.BrusselsDate(now)) {
		if len(out) == first {
			break
		}
		out = append(out, &MatchSuggestion{Offer: kept[r.Index], Score: r.Score, Components: r.Components})
	}
	return out, nil
}

func themeCodes(themes []*ent.Theme) []string {
	out := make([]string, len(themes))
	for i, t := range themes {
		out[i] = t.Code
	}
	return out
}

// cooperationsWith returns, per municipality, the trajectories it had with
// municipality id, in either direction, not declined or cancelled. As the
// system: the ranking weighs them whoever asks, and shows only the fact.
func cooperationsWith(ctx context.Context, c *ent.Client, id int) (map[int]int, error) {
	var rows []struct {
		Other int `json:"other"`
		N     int `json:"n"`
	}
	err := c.Trajectory.Query().
		Where(trajectory.Or(trajectory.GivingID(id), trajectory.ReceivingID(id)), notEnded()).
		Modify(func(s *sql.Selector) {
			other := "CASE WHEN " + s.C(trajectory.FieldGivingID) + " = " + strconv.Itoa(id) +
				" THEN " + s.C(trajectory.FieldReceivingID) + " ELSE " + s.C(trajectory.FieldGivingID) + " END"
			s.Select(sql.As(other, "other"), sql.As("COUNT(*)", "n")).GroupBy(other)
		}).
		Scan(viewer.SystemContext(ctx), &rows)
	if err != nil {
		return nil, err
	}
	out := map[int]int{}
	for _, r := range rows {
		out[r.Other] = r.N
	}
	return out, nil
}

// openCallLoad returns, per municipality among those, the trajectories it
// gives in the calls open now, not declined or cancelled. As the system,
// like cooperationsWith.
func openCallLoad(ctx context.Context, c *ent.Client, now time.Time, municipalities []int) (map[int]int, error) {
	calls, err := openCalls(ctx, c, now)
	if err != nil || len(calls) == 0 || len(municipalities) == 0 {
		return map[int]int{}, err
	}
	var rows []struct {
		Giving int `json:"giving_id"`
		N      int `json:"n"`
	}
	err = c.Trajectory.Query().
		Where(trajectory.CallIDIn(calls...), trajectory.GivingIDIn(municipalities...), notEnded()).
		Modify(func(s *sql.Selector) {
			s.Select(s.C(trajectory.FieldGivingID), sql.As("COUNT(*)", "n")).GroupBy(s.C(trajectory.FieldGivingID))
		}).
		Scan(viewer.SystemContext(ctx), &rows)
	if err != nil {
		return nil, err
	}
	out := map[int]int{}
	for _, r := range rows {
		out[r.Giving] = r.N
	}
	return out, nil
}

// notEnded selects trajectories that were not declined or cancelled.
func notEnded() predicate.Trajectory {
	return trajectory.StatusNotIn(trajectory.StatusDECLINED, trajectory.StatusCANCELLED)
}
