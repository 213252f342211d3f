package process

import (
	"context"
	"fmt"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/assignment"
	"wisselaar/ent/mentor"
	"wisselaar/ent/rule"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
	"wisselaar/internal/applicationpdf"
)

// ApplicationFile gathers the application file of trajectory id's grant,
// as the viewer may read it, with the viewer's own client: everything is
// read through the privacy rules. It is for those who read the
// trajectory's texts (its parties, the coordinator and the ministry), since
// it holds the action plan and the mentors; anyone else, and a trajectory
// without an application, gets NOT_FOUND. The calculation lines, which show
// salaries, are in it for the ministry and the giving side only; where the
// call's ledger stood at submission (the remaining budget, how many were
// waiting) for those who read every grant of the call.
func ApplicationFile(ctx context.Context, c *ent.Client, id int) (*applicationpdf.Application, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	t, err := c.Trajectory.Query().Where(trajectory.ID(id)).
		WithGiving().WithReceiving().WithCall().
		WithGrant().
		Only(ctx)
	if err != nil {
		return nil, notFound("trajectory", err)
	}
	if ok, err := rule.MayReadTrajectoryTexts(ctx, c, t); err != nil {
		return nil, err
	} else if !ok || t.Edges.Grant == nil {
		return nil, apierr.New(apierr.NotFound, "application not found")
	}
	g := t.Edges.Grant
	a := &applicationpdf.Application{
		Title: t.Title, Form: string(t.Form),
		CallName: t.Edges.Call.Name, CallYear: t.Edges.Call.Year,
		Percent: t.Edges.Call.CompensationPercent, PerProjectCap: t.Edges.Call.PerProjectCap,
		Giving:       applicationpdf.Party{Name: t.Edges.Giving.Name, NISCode: t.Edges.Giving.NisCode},
		Receiving:    applicationpdf.Party{Name: t.Edges.Receiving.Name, NISCode: t.Edges.Receiving.NisCode},
		PlannedStart: t.PlannedStart, PlannedEnd: t.PlannedEnd,
		Requested: g.Requested, Uncapped: g.Requested,
		SubmittedAt: g.SubmittedAt, Status: string(g.Status),
		LedgerStatus: g.SubmissionLedger.Status,
	}
	if t.AgreedPlanVersion != nil {
		a.PlanVersion, a.PlanSHA256, a.Plan = t.AgreedPlanVersion, t.AgreedPlanSha256, currentPlan(t)
	}
	if t.GivingSignedAt != nil {
		a.AgreementSigned = append(a.AgreementSigned, "ondertekend door het gevend bestuur op "+domain.FormatDate(t.GivingSignedAt.In(domain.Brussels())))
	}
	if t.ReceivingSignedAt != nil {
		a.AgreementSigned = append(a.AgreementSigned, "ondertekend door het ontvangend bestuur op "+domain.FormatDate(t.ReceivingSignedAt.In(domain.Brussels())))
	}
	if rule.ReadableGrants(viewer.FromContext(ctx)).All() && g.SubmissionLedger.Status != "" {
		l := g.SubmissionLedger
		a.Ledger = &l
	}
	// The mentors the viewer may read, with their planned hours.
	as, err := c.Assignment.Query().Where(assignment.TrajectoryID(t.ID)).
		WithMentor().Order(assignment.ByMentorID()).All(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int]string{}
	for _, x := range as {
		if m := x.Edges.Mentor; m != nil {
			names[m.ID] = m.Name
			a.Mentors = append(a.Mentors, applicationpdf.Mentor{Name: m.Name, JobTitle: m.JobTitle, PlannedWeeklyHours: x.PlannedWeeklyHours})
		}
	}
	calc, err := GrantCalculation(ctx, c, g, false)
	if err != nil {
		return nil, err
	}
	if calc != nil {
		a.Uncapped, a.Capped = calc.Uncapped, calc.Capped
		if calc.Lines != nil {
			a.Lines = []applicationpdf.Line{}
			for _, l := range calc.Lines {
				name, ok := names[l.MentorID]
				if !ok {
					if m, err := c.Mentor.Query().Where(mentor.ID(l.MentorID)).Only(ctx); err == nil {
						name = m.Name
					} else {
						name = fmt.Sprintf("mentor %d", l.MentorID)
					}
				}
				a.Lines = append(a.Lines, applicationpdf.Line{Mentor: name, Line: l})
			}
		}
	}
	return a, nil
}
