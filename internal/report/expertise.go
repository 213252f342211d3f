package report

import (
	"context"
	"time"

	"entgo.io/ent/dialect/sql"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/call"
	"wisselaar/ent/grant"
	"wisselaar/ent/need"
	"wisselaar/ent/offer"
	"wisselaar/ent/theme"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
)

// ThemeSupplyDemand is the supply of and demand for expertise on one theme.
type ThemeSupplyDemand struct {
	Theme                  *ent.Theme
	OpenOffers             int
	OpenNeeds              int
	OfferedHoursPerWeek    domain.Hours
	MunicipalitiesOffering int
	MunicipalitiesNeeding  int
	Trajectories           int
}

// ExpertiseMap answers, per theme (in the call's order), which expertise is
// offered and needed:
// the open offers and needs (with year, those whose period touches that
// year), the hours a week the open offers can still give, the
// municipalities on each side, and the trajectories on the theme that were
// awarded a grant (with year, in that year's calls). It is
// one query, however many themes, offers and needs there are.
//
// The map is public: it counts, and says nothing of who needs what. It is
// computed as the system, over every offer and need, because the counts are
// the same for everyone; what a viewer may read of the offers and needs
// themselves is decided where they are listed.
func ExpertiseMap(ctx context.Context, c *ent.Client, year *int, now time.Time) ([]*ThemeSupplyDemand, error) {
	today := domain.BrusselsDate(now)
	var from, to time.Time
	if year != nil {
		from, to = domain.NewDate(*year, time.January, 1), domain.NewDate(*year, time.December, 31)
	}
	sys := viewer.SystemContext(ctx)
	var rows []struct {
		ID                     int   `json:"id"`
		OpenOffers             int   `json:"open_offers"`
		OpenNeeds              int   `json:"open_needs"`
		OfferedHours           int64 `json:"offered_hours"`
		MunicipalitiesOffering int   `json:"municipalities_offering"`
		MunicipalitiesNeeding  int   `json:"municipalities_needing"`
		Trajectories           int   `json:"trajectories"`
	}
	err := c.Theme.Query().Order(theme.ByID()).Modify(func(s *sql.Selector) {
		id := s.C(theme.FieldID)
		// The open offers and needs on the theme: open, not past their
		// period, touching the year.
		openOffers := func(b *sql.Builder) {
			b.WriteString(" FROM " + offer.Table + " o JOIN " + offer.ThemesTable + " ot ON ot." + offer.ThemesPrimaryKey[0] + " = o.id")
			b.WriteString(" WHERE ot." + offer.ThemesPrimaryKey[1] + " = " + id + " AND o.status = ")
			b.Arg(string(offer.StatusOPEN)).WriteString(" AND o.available_until >= ").Arg(today)
			if year != nil {
				b.WriteString(" AND o.available_from <= ").Arg(to).WriteString(" AND o.available_until >= ").Arg(from)
			}
		}
		openNeeds := func(b *sql.Builder) {
			b.WriteString(" FROM " + need.Table + " n JOIN " + need.ThemesTable + " nt ON nt." + need.ThemesPrimaryKey[0] + " = n.id")
			b.WriteString(" WHERE nt." + need.ThemesPrimaryKey[1] + " = " + id + " AND n.status = ")
			b.Arg(string(need.StatusOPEN)).WriteString(" AND n.desired_end >= ").Arg(today)
			if year != nil {
				b.WriteString(" AND n.desired_start <= ").Arg(to).WriteString(" AND n.desired_end >= ").Arg(from)
			}
		}
		// What is left of an offer's capacity: its hours minus those
		// promised in accepted matches (see process.ProposeMatch).
		left := func(b *sql.Builder) {
			b.WriteString("o.capacity_hours_per_week - COALESCE((SELECT SUM(t.offer_hours_per_week) FROM " + trajectory.Table +
				" t WHERE t.offer_id = o.id AND t.status IN (")
			for i, st := range []trajectory.Status{trajectory.StatusMATCHED, trajectory.StatusAGREED, trajectory.StatusRUNNING, trajectory.StatusCOMPLETED} {
				if i > 0 {
					b.Comma()
				}
				b.Arg(string(st))
			}
			b.WriteString(")), 0)")
		}
		sub := func(as string, fn func(*sql.Builder)) {
			s.AppendSelectExprAs(sql.ExprFunc(func(b *sql.Builder) {
				b.WriteString("(")
				fn(b)
				b.WriteString(")")
			}), as)
		}
		s.Select(id)
		sub("open_offers", func(b *sql.Builder) { b.WriteString("SELECT COUNT(*)"); openOffers(b) })
		sub("offered_hours", func(b *sql.Builder) {
			b.WriteString("SELECT COALESCE(SUM(CASE WHEN ")
			left(b)
			b.WriteString(" > 0 THEN ")
			left(b)
			b.WriteString(" ELSE 0 END), 0)")
			openOffers(b)
		})
		sub("municipalities_offering", func(b *sql.Builder) {
			b.WriteString("SELECT COUNT(DISTINCT o.municipality_id)")
			openOffers(b)
		})
		sub("open_needs", func(b *sql.Builder) { b.WriteString("SELECT COUNT(*)"); openNeeds(b) })
		sub("municipalities_needing", func(b *sql.Builder) {
			b.WriteString("SELECT COUNT(DISTINCT n.municipality_id)")
			openNeeds(b)
		})
		// Trajectories whose grant was awarded: their amounts are public,
		// so their existence is too; others are known to their parties,
		// the coordinator and the ministry only.
		sub("trajectories", func(b *sql.Builder) {
			b.WriteString("SELECT COUNT(*) FROM " + grant.Table + " g JOIN " + trajectory.ThemesTable + " tt ON tt." +
				trajectory.ThemesPrimaryKey[0] + " = g.trajectory_id")
			if year != nil {
				b.WriteString(" JOIN " + call.Table + " c ON c.id = g.call_id")
			}
			b.WriteString(" WHERE tt." + trajectory.ThemesPrimaryKey[1] + " = " + id + " AND g.awarded IS NOT NULL AND g.status IN (")
			b.Arg(string(grant.StatusAPPROVED)).Comma().Arg(string(grant.StatusSETTLED)).Comma().Arg(string(grant.StatusPAID)).WriteString(")")
			if year != nil {
				b.WriteString(" AND c.year = ").Arg(*year)
			}
		})
	}).Scan(sys, &rows)
	if err != nil {
		return nil, err
	}
	themes, err := c.Theme.Query().All(sys)
	if err != nil {
		return nil, err
	}
	byID := make(map[int]*ent.Theme, len(themes))
	for _, t := range themes {
		byID[t.ID] = t
	}
	out := make([]*ThemeSupplyDemand, 0, len(rows))
	for _, r := range rows {
		out = append(out, &ThemeSupplyDemand{
			Theme: byID[r.ID], OpenOffers: r.OpenOffers, OpenNeeds: r.OpenNeeds,
			OfferedHoursPerWeek: domain.Hours(r.OfferedHours), MunicipalitiesOffering: r.MunicipalitiesOffering,
			MunicipalitiesNeeding: r.MunicipalitiesNeeding, Trajectories: r.Trajectories,
		})
	}
	return out, nil
}
