package process

import (
	"context"
	"slices"

	"wisselaar/ent"
	"wisselaar/ent/call"
	"wisselaar/ent/theme"
	"wisselaar/ent/trajectory"
)

// IndicatorStatistic is the indicator results of the completed
// trajectories on one theme.
type IndicatorStatistic struct {
	Theme           *ent.Theme
	Trajectories    int
	Indicators      int
	IndicatorsMet   int
	MeanAchievement *float64
}

// IndicatorStatistics aggregates the indicator results of the completed
// trajectories the viewer may read, per theme, in the themes' order:
// counts and a mean achievement, never a text. Analysts and partner tools,
// who read every trajectory but not its plan, so learn how the programme's
// effects measure up per theme, and nothing of what one plan says.
func IndicatorStatistics(ctx context.Context, c *ent.Client, year *int) ([]*IndicatorStatistic, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	q := c.Trajectory.Query().
		Where(trajectory.StatusEQ(trajectory.StatusCOMPLETED)).
		WithThemes().
		Order(trajectory.ByID())
	if year != nil {
		q.Where(trajectory.HasCallWith(call.Year(*year)))
	}
	ts, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	themes, err := c.Theme.Query().Order(theme.ByID()).All(ctx)
	if err != nil {
		return nil, err
	}
	type sum struct {
		stat        IndicatorStatistic
		achievement float64
	}
	byTheme := map[int]*sum{}
	for _, th := range themes {
		byTheme[th.ID] = &sum{stat: IndicatorStatistic{Theme: th}}
	}
	for _, t := range ts {
		p := t.Plan
		if len(p.Indicators) == 0 || len(t.IndicatorResults) != len(p.Indicators) {
			continue
		}
		for _, th := range t.Edges.Themes {
			s := byTheme[th.ID]
			if s == nil {
				continue
			}
			s.stat.Trajectories++
			for _, r := range t.IndicatorResults {
				in := p.Indicators[r.Indicator-1]
				s.stat.Indicators++
				if in.Met(r.Result) {
					s.stat.IndicatorsMet++
				}
				s.achievement += in.Achievement(r.Result)
			}
		}
	}
	out := make([]*IndicatorStatistic, 0, len(themes))
	for _, th := range themes {
		s := byTheme[th.ID]
		if s.stat.Indicators > 0 {
			// Rounded to four decimals, so that the order in which the
			// results were added leaves no trace in the answer.
			m := float64(int64(s.achievement/float64(s.stat.Indicators)*10000+0.5*sign(s.achievement))) / 10000
			s.stat.MeanAchievement = &m
		}
		out = append(out, &s.stat)
	}
	return slices.Clip(out), nil
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}
