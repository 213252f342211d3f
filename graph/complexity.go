package graph

import (
	"entgo.io/contrib/entgql"

	"wisselaar/ent"
	"wisselaar/graph/model"
)

// pageCost is the cost of a connection: its nodes' cost times the page size
// asked for (first or last), or DefaultPageSize when neither is given. A
// query asking 100 trajectories with 100 mentors each thus costs what it
// makes the server do.
func pageCost(child int, first, last *int) int {
	n := DefaultPageSize
	switch {
	case first != nil:
		n = *first
	case last != nil:
		n = *last
	}
	if n < 1 {
		n = 1
	}
	return 1 + times(child, n)
}

// costCeiling is where costs stop growing. Nested pages multiply, and a
// product that overflowed int would wrap round to a cost that passes; any
// cost this high is refused anyway.
const costCeiling = 1 << 40

// times returns a × b for non-negative costs, saturating at costCeiling.
func times(a, b int) int {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a >= costCeiling/b {
		return costCeiling
	}
	return a * b
}

// connection adapts pageCost to the signature gqlgen generates for a
// connection field of type T with order O and filter W.
func connection[O, W any](child int, _ *entgql.Cursor[int], first *int, _ *entgql.Cursor[int], last *int, _ O, _ W) int {
	return pageCost(child, first, last)
}

// searchable is connection for the lists that also take a search. A search
// ranks every match (at most search.MaxHits) before it pages, so it costs
// more than a plain page: SearchCost on top.
func searchable[O, W any](child int, _ *entgql.Cursor[int], first *int, _ *entgql.Cursor[int], last *int, _ O, _ W, search *string) int {
	cost := pageCost(child, first, last)
	if search != nil {
		cost += SearchCost
	}
	return cost
}

// ListCost is the number of elements a plain list edge (a trajectory's
// mentors, a mentor's trajectories, a grant's payments, ...) is priced at.
// These lists are small in real data, but nested they multiply: a mentor's
// trajectories' mentors' trajectories would otherwise cost next to nothing.
const ListCost = 10

func list(child int) int { return 1 + times(child, ListCost) }

// Aggregates cost what their SQL costs, not what their answer weighs: a
// few numbers, but computed over many rows.
const (
	// StatisticsCost prices grantStatistics: one GROUP BY over every grant
	// the viewer may see, joined to calls, trajectories, themes and
	// municipalities, however few groups it returns.
	StatisticsCost = 1000
	// BudgetStatusCost prices a call's budgetStatus: one SUM over the
	// call's grants, run once per call in the answer.
	BudgetStatusCost = 50
	// SearchCost prices a search: a full-text match over every row the
	// viewer may read of the list, ranked.
	SearchCost = 500
	// SuggestionsCost prices matchSuggestions: every open offer scored in
	// Go, with the hours, cooperations and loads read per municipality.
	SuggestionsCost = 1000
	// ExpertiseMapCost prices expertiseMap: counts over every offer, need
	// and trajectory, per theme.
	ExpertiseMapCost = 1000
)

// setComplexity prices every connection and list edge of the schema.
func setComplexity(c *ComplexityRoot) {
	c.Trajectory.Mentors = list
	c.Trajectory.Themes = list
	c.Trajectory.Assignments = list
	c.Trajectory.TimeEntries = list
	c.Mentor.Trajectories = list
	c.Mentor.Salaries = list
	c.Mentor.Assignments = list
	c.Mentor.TimeEntries = list
	c.Grant.Payments = list
	c.GrantCalculation.Lines = list
	c.Query.Calls = connection[*ent.CallOrder, *ent.CallWhereInput]
	c.Query.Grants = connection[*ent.GrantOrder, *ent.GrantWhereInput]
	c.Query.Mentors = connection[*ent.MentorOrder, *ent.MentorWhereInput]
	c.Query.Municipalities = connection[*ent.MunicipalityOrder, *ent.MunicipalityWhereInput]
	c.Query.Themes = connection[*ent.ThemeOrder, *ent.ThemeWhereInput]
	c.Query.Trajectories = searchable[*ent.TrajectoryOrder, *ent.TrajectoryWhereInput]
	c.Query.Offers = searchable[*ent.OfferOrder, *ent.OfferWhereInput]
	c.Query.Needs = searchable[*ent.NeedOrder, *ent.NeedWhereInput]
	c.Municipality.Offers = connection[*ent.OfferOrder, *ent.OfferWhereInput]
	c.Municipality.Needs = connection[*ent.NeedOrder, *ent.NeedWhereInput]
	c.Offer.Themes = list
	c.Offer.Mentors = list
	c.Offer.Trajectories = list
	c.Need.Themes = list
	c.Need.Trajectories = list
	c.Query.MatchSuggestions = func(child int, _ int, first *int) int {
		n := 10
		if first != nil {
			n = max(*first, 1)
		}
		return SuggestionsCost + times(child, n)
	}
	c.Query.ExpertiseMap = func(child int, _ *int) int { return ExpertiseMapCost + times(child, ListCost) }
	// The catalogue grows by about ten trajectories a year: priced as a
	// page of 100.
	c.Query.PublishedTrajectories = func(child int, _ *int) int { return times(child, 100) }
	c.PublishedTrajectory.Themes = list
	c.Call.Trajectories = connection[*ent.TrajectoryOrder, *ent.TrajectoryWhereInput]
	c.Call.Grants = connection[*ent.GrantOrder, *ent.GrantWhereInput]
	c.Municipality.GivingTrajectories = connection[*ent.TrajectoryOrder, *ent.TrajectoryWhereInput]
	c.Municipality.ReceivingTrajectories = connection[*ent.TrajectoryOrder, *ent.TrajectoryWhereInput]
	c.Municipality.Mentors = connection[*ent.MentorOrder, *ent.MentorWhereInput]
	c.Theme.Trajectories = connection[*ent.TrajectoryOrder, *ent.TrajectoryWhereInput]
	c.Query.Nodes = func(child int, ids []int) int { return 1 + times(child, max(len(ids), 1)) }
	c.Query.GrantStatistics = func(child int, _ []model.GrantDimension, _ *ent.GrantWhereInput) int {
		return StatisticsCost + child
	}
	c.Call.BudgetStatus = func(child int) int { return BudgetStatusCost + child }
	// The indicator statistics read every completed trajectory the viewer
	// may see, like the grant statistics read every grant.
	c.Query.IndicatorStatistics = func(child int, _ *int) int { return StatisticsCost + times(child, 10) }
}
