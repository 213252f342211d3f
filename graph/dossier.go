package graph

import (
	"context"

	"wisselaar/ent"
	"wisselaar/ent/rule"
	"wisselaar/graph/model"
	"wisselaar/graph/scalar"
	"wisselaar/internal/process"
)

// DocumentPath is the path a document is downloaded at (server routes
// it), with the document's opaque global ID.
func DocumentPath(id int) string { return "/documents/" + scalar.EncodeID(id) }

// ApplicationPath is the path of a trajectory's application file.
func ApplicationPath(trajectoryID int) string {
	return "/trajectories/" + scalar.EncodeID(trajectoryID) + "/application.pdf"
}

// documentURL is where a document is downloaded: a path on the API's
// server, resolved like /graphql itself (the same answer whatever address
// the client reached the server at).
func (r *Resolver) documentURL(id int) string { return DocumentPath(id) }

// applicationPDFURL is the application file's URL for those who may read
// it (the trajectory's texts), null for others.
func (r *Resolver) applicationPDFURL(ctx context.Context, g *ent.Grant) (*string, error) {
	c := r.ent(ctx)
	t, err := c.Trajectory.Get(ctx, g.TrajectoryID)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ok, err := rule.MayReadTrajectoryTexts(ctx, c, t)
	if err != nil || !ok {
		return nil, err
	}
	u := ApplicationPath(t.ID)
	return &u, nil
}

// planOf is the GraphQL form of a trajectory's action plan.
func planOf(t *ent.Trajectory) *model.TrajectoryPlan {
	p := t.Plan
	p.Text = t.ActionPlan
	out := &model.TrajectoryPlan{
		Version:    t.PlanVersion,
		Text:       optional(p.Text),
		Goals:      []*model.PlanGoal{},
		Actions:    []*model.PlanAction{},
		Indicators: []*model.Indicator{},
		Sha256:     p.SHA256(),
		Frozen:     process.IsPlanFrozen(t),
	}
	for _, g := range p.Goals {
		out.Goals = append(out.Goals, &model.PlanGoal{Description: g.Description})
	}
	for _, a := range p.Actions {
		out.Actions = append(out.Actions, &model.PlanAction{What: a.What, Side: a.Side, Due: a.Due})
	}
	for i, in := range p.Indicators {
		mi := &model.Indicator{Number: i + 1, Name: in.Name, Unit: in.Unit, Baseline: in.Baseline, Target: in.Target}
		for _, res := range t.IndicatorResults {
			if res.Indicator == i+1 {
				v := res.Result
				mi.Result = &v
			}
		}
		out.Indicators = append(out.Indicators, mi)
	}
	return out
}
