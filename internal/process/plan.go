package process

import (
	"context"
	"slices"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/internal/apierr"
)

// UpdateActionPlan changes the action plan: its text, goals, actions and
// indicators, each replaced when given. Either side, before the agreement
// is signed by both (CONFLICT after: the signed version is frozen); a
// signature already given is withdrawn, because what was signed changed.
// Every change makes a new version of the plan.
func UpdateActionPlan(ctx context.Context, c *ent.Client, in UpdateActionPlanInput) (*ent.Trajectory, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	t, err := lockTrajectory(ctx, c, in.TrajectoryID)
	if err != nil {
		return nil, err
	}
	sides := sidesOn(v, t)
	if !slices.Contains(sides, domain.Giving) && !slices.Contains(sides, domain.Receiving) {
		return nil, apierr.New(apierr.Forbidden, "only the giving and the receiving municipality draw up the action plan")
	}
	if err := beforeAgreement(t, "change the action plan"); err != nil {
		return nil, err
	}
	p := currentPlan(t)
	changed := false
	if in.ActionPlan != nil {
		if err := mustNotBeBlank("actionPlan", *in.ActionPlan); err != nil {
			return nil, err
		}
		p.Text, changed = *in.ActionPlan, true
	}
	if in.Goals != nil {
		p.Goals, changed = make([]domain.Goal, 0, len(in.Goals)), true
		for _, g := range in.Goals {
			p.Goals = append(p.Goals, domain.Goal{Description: g.Description})
		}
	}
	if in.Actions != nil {
		p.Actions, changed = make([]domain.PlanAction, 0, len(in.Actions)), true
		for _, a := range in.Actions {
			p.Actions = append(p.Actions, domain.PlanAction{What: a.What, Side: a.Side, Due: a.Due})
		}
	}
	if in.Indicators != nil {
		p.Indicators, changed = make([]domain.Indicator, 0, len(in.Indicators)), true
		for _, i := range in.Indicators {
			p.Indicators = append(p.Indicators, domain.Indicator{Name: i.Name, Unit: i.Unit, Baseline: i.Baseline, Target: i.Target})
		}
	}
	if !changed {
		return nil, badInput("actionPlan", "give the text, goals, actions or indicators of the plan")
	}
	p, err = domain.ValidateActionPlan(p, t.PlannedStart, t.PlannedEnd)
	if err != nil {
		return nil, err
	}
	u := withdrawSignatures(t.Update()).SetPlan(p).SetPlanVersion(t.PlanVersion + 1)
	if p.Text == "" {
		u.ClearActionPlan()
	} else {
		u.SetActionPlan(p.Text)
	}
	return u.Save(ctx)
}

// currentPlan is the trajectory's action plan as it stands: the text
// (kept in its own column, which search reads) with the structured parts.
func currentPlan(t *ent.Trajectory) domain.ActionPlan {
	p := t.Plan
	p.Text = t.ActionPlan
	return p
}

// freezePlan records on u that the agreement was made on the current
// version of t's action plan, with the SHA-256 of its canonical encoding.
func freezePlan(t *ent.Trajectory, u *ent.TrajectoryUpdateOne) {
	u.SetAgreedPlanVersion(t.PlanVersion).SetAgreedPlanSha256(currentPlan(t).SHA256())
}

// indicatorResults checks the evaluation's results against the signed
// plan and returns them in the plan's order.
func indicatorResults(t *ent.Trajectory, in []IndicatorResultInput) ([]domain.IndicatorResult, error) {
	rs := make([]domain.IndicatorResult, 0, len(in))
	for _, r := range in {
		rs = append(rs, domain.IndicatorResult{Indicator: r.Indicator, Result: r.Result})
	}
	return domain.ValidateIndicatorResults(currentPlan(t), rs)
}

// IsPlanFrozen reports whether t's action plan is the signed, frozen one.
func IsPlanFrozen(t *ent.Trajectory) bool { return t.AgreedPlanVersion != nil }
