package process

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/assignment"
	"wisselaar/ent/grant"
	"wisselaar/ent/mentor"
	"wisselaar/ent/municipality"
	"wisselaar/ent/theme"
	"wisselaar/ent/timeentry"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
)

// CreateTrajectory matches a giving with a receiving municipality under a
// call. Only the coordinator matches. The trajectory starts MATCHED, or
// PROPOSED when in.Proposed is true: then both sides must accept it
// (AcceptTrajectory) before it is MATCHED.
func CreateTrajectory(ctx context.Context, c *ent.Client, in CreateTrajectoryInput) (*ent.Trajectory, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireSide(sidesOf(v), domain.Coordinator, "match municipalities"); err != nil {
		return nil, err
	}
	if _, err := c.Call.Get(ctx, in.CallID); err != nil {
		return nil, notFound("call", err)
	}
	for _, id := range []int{in.GivingID, in.ReceivingID} {
		if exists, err := c.Municipality.Query().Where(municipality.ID(id)).Exist(ctx); err != nil {
			return nil, err
		} else if !exists {
			return nil, apierr.New(apierr.NotFound, "municipality not found")
		}
	}
	if in.GivingID == in.ReceivingID {
		return nil, badInput("receivingID", "a municipality cannot exchange with itself")
	}
	in.Title = strings.TrimSpace(in.Title)
	if err := mustNotBeBlank("title", in.Title); err != nil {
		return nil, err
	}
	if err := domain.ValidatePlannedPeriod(in.PlannedStart, in.PlannedEnd); err != nil {
		return nil, err
	}
	themeIDs := slices.Compact(slices.Sorted(slices.Values(in.ThemeIDs)))
	if n, err := c.Theme.Query().Where(theme.IDIn(themeIDs...)).Count(ctx); err != nil {
		return nil, err
	} else if n != len(themeIDs) {
		return nil, apierr.New(apierr.NotFound, "theme not found")
	}
	status := trajectory.StatusMATCHED
	if in.Proposed != nil && *in.Proposed {
		status = trajectory.StatusPROPOSED
	}
	create := c.Trajectory.Create().
		SetCallID(in.CallID).
		SetGivingID(in.GivingID).
		SetReceivingID(in.ReceivingID).
		SetForm(in.Form).
		SetTitle(in.Title).
		SetStatus(status).
		SetPlannedStart(domain.DateOf(in.PlannedStart)).
		SetPlannedEnd(domain.DateOf(in.PlannedEnd)).
		AddThemeIDs(themeIDs...)
	if in.Description != nil {
		create.SetDescription(*in.Description)
	}
	if len(in.Topics) > 0 {
		create.SetTopics(in.Topics)
	}
	return create.Save(ctx)
}

// beforeAgreement is where the plan of a trajectory may still change: the
// agreement covers the action plan and the mentors, so once both sides
// signed it they are fixed.
func beforeAgreement(t *ent.Trajectory, doing string) error {
	switch t.Status {
	case trajectory.StatusPROPOSED, trajectory.StatusMATCHED:
		return nil
	}
	return apierr.New(apierr.Conflict, "cannot %s: the trajectory is %s", doing, t.Status)
}

// withdrawSignatures clears a signature already given, because what was
// signed changed.
func withdrawSignatures(u *ent.TrajectoryUpdateOne) *ent.TrajectoryUpdateOne {
	return u.ClearGivingSignedAt().ClearReceivingSignedAt()
}

// AssignMentor assigns a mentor of the giving municipality to a trajectory
// for a number of hours a week, or changes the hours of one assigned before.
// Only the giving side, before the agreement is signed by both.
//
// The mentor's time is claimed once: on no day of the trajectory's planned
// period may her planned hours here plus those on her other trajectories
// planned on that day (not DECLINED or CANCELLED; her assignment here, when
// changed, is replaced) exceed the contractual weekly hours of the salary in
// force that day (domain.CheckWeeklyLoad). The mentor's row is locked
// first, so that two assignments of her at the same moment run one after the
// other and the second sees the first.
func AssignMentor(ctx context.Context, c *ent.Client, in AssignMentorInput) (*ent.Trajectory, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	t, err := lockTrajectory(ctx, c, in.TrajectoryID)
	if err != nil {
		return nil, err
	}
	if err := requireSide(sidesOn(v, t), domain.Giving, "assign mentors"); err != nil {
		return nil, err
	}
	if err := beforeAgreement(t, "assign mentors"); err != nil {
		return nil, err
	}
	// Locks in the order call → trajectory → mentor (see the package
	// comment).
	if err := lockMentors(ctx, c, in.MentorID); err != nil {
		return nil, err
	}
	m, err := c.Mentor.Query().Where(mentor.ID(in.MentorID)).WithSalaries().Only(ctx)
	if err != nil {
		return nil, notFound("mentor", err)
	}
	if m.MunicipalityID != t.GivingID {
		return nil, badInput("mentorID", "the mentor is not staff of the giving municipality")
	}
	if in.PlannedWeeklyHours <= 0 || in.PlannedWeeklyHours > domain.MaxWeeklyHours {
		return nil, badInput("plannedWeeklyHours", "the planned weekly hours must be more than 0 and at most 168")
	}
	salaries := domainSalaries(m.Edges.Salaries)
	// Catch hours above the contract now rather than at submission; a
	// salary not recorded yet is fine here (it can follow).
	cl, err := c.Call.Get(ctx, t.CallID)
	if err != nil {
		return nil, err
	}
	_, err = domain.PlannedCompensation(domain.Rule{Percent: cl.CompensationPercent, Cap: cl.PerProjectCap},
		t.PlannedStart, t.PlannedEnd, []domain.Assignment{{
			Mentor: m.Name, PlannedWeeklyHours: in.PlannedWeeklyHours, Salaries: salaries,
		}})
	var fe *domain.FieldError
	if errors.As(err, &fe) && fe.Field == "plannedWeeklyHours" {
		return nil, badInput("plannedWeeklyHours", "%s", fe.Message)
	}
	// Then the hours she is planned for elsewhere at the same time.
	elsewhere, err := plannedElsewhere(ctx, c, m.ID, t.ID)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckWeeklyLoad(m.Name, t.PlannedStart, t.PlannedEnd, in.PlannedWeeklyHours, elsewhere, salaries); err != nil {
		return nil, asBadInput(err)
	}

	a, err := c.Assignment.Query().Where(assignment.TrajectoryID(t.ID), assignment.MentorID(m.ID)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		err = c.Assignment.Create().SetTrajectoryID(t.ID).SetMentorID(m.ID).SetPlannedWeeklyHours(in.PlannedWeeklyHours).Exec(ctx)
	case err == nil:
		err = a.Update().SetPlannedWeeklyHours(in.PlannedWeeklyHours).Exec(ctx)
	}
	if err != nil {
		return nil, err
	}
	if err := withdrawSignatures(t.Update()).Exec(ctx); err != nil {
		return nil, err
	}
	return c.Trajectory.Get(ctx, t.ID)
}

// AcceptTrajectory accepts a PROPOSED match for the viewer's side (the
// first of its sides that has not accepted yet). The trajectory becomes
// MATCHED when both the giving and the receiving side have accepted
// (domain.ActionAccept takes both sides). A side accepting again is
// CONFLICT, as is accepting a trajectory that is no longer PROPOSED.
//
// A match the coordinator proposed from an offer and a need (ProposeMatch)
// is then settled: the need is MATCHED and the hours count against the
// offer's capacity (CONFLICT when the offer or need is no longer open, or
// its capacity went to other matches meanwhile).
func AcceptTrajectory(ctx context.Context, c *ent.Client, in AcceptTrajectoryInput) (*ent.Trajectory, error) {
	t, err := recordConsent(ctx, c, in.TrajectoryID, acceptance)
	if err != nil || t.Status != trajectory.StatusMATCHED {
		return t, err
	}
	return t, settleMatch(ctx, c, t)
}

// SignAgreement signs the agreement for the viewer's side (the first of
// its sides that has not signed yet). The trajectory becomes AGREED when
// both have signed. A side signing again is CONFLICT.
func SignAgreement(ctx context.Context, c *ent.Client, in SignAgreementInput) (*ent.Trajectory, error) {
	return recordConsent(ctx, c, in.TrajectoryID, signature)
}

// consent is a step both sides of a trajectory take, each once: accepting
// the match, signing the agreement. The status moves when the second side
// has taken it.
type consent struct {
	action  domain.Action
	what    string // what is consented to, for messages
	already string // the CONFLICT message for a side consenting twice
	// given reports which sides have consented; set records a side's
	// consent on the update.
	given                   func(*ent.Trajectory) (giving, receiving bool)
	setGiving, setReceiving func(*ent.TrajectoryUpdateOne, time.Time) *ent.TrajectoryUpdateOne
}

var (
	acceptance = consent{
		action: domain.ActionAccept, what: "match", already: "your side has already accepted the match",
		given: func(t *ent.Trajectory) (bool, bool) {
			return t.GivingAcceptedAt != nil, t.ReceivingAcceptedAt != nil
		},
		setGiving:    (*ent.TrajectoryUpdateOne).SetGivingAcceptedAt,
		setReceiving: (*ent.TrajectoryUpdateOne).SetReceivingAcceptedAt,
	}
	signature = consent{
		action: domain.ActionSign, what: "agreement", already: "your side has already signed the agreement",
		given: func(t *ent.Trajectory) (bool, bool) {
			return t.GivingSignedAt != nil, t.ReceivingSignedAt != nil
		},
		setGiving:    (*ent.TrajectoryUpdateOne).SetGivingSignedAt,
		setReceiving: (*ent.TrajectoryUpdateOne).SetReceivingSignedAt,
	}
)

// recordConsent records the viewer's side's consent k on the trajectory.
func recordConsent(ctx context.Context, c *ent.Client, id int, k consent) (*ent.Trajectory, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	t, err := lockTrajectory(ctx, c, id)
	if err != nil {
		return nil, err
	}
	sides := sidesOn(v, t)
	to, _, err := next(domain.NextTrajectoryStatus, domain.TrajectoryStatus(t.Status), k.action, sides, k.what)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	u := t.Update()
	giving, receiving := k.given(t)
	switch {
	case slices.Contains(sides, domain.Giving) && !giving:
		k.setGiving(u, now)
		giving = true
	case slices.Contains(sides, domain.Receiving) && !receiving:
		k.setReceiving(u, now)
		receiving = true
	default:
		return nil, apierr.New(apierr.Conflict, "%s", k.already)
	}
	if giving && receiving {
		u.SetStatus(trajectory.Status(to))
		if k.action == domain.ActionSign {
			// The agreement is made on the plan as it stands: from now on
			// it cannot change (beforeAgreement), and the agreement says
			// which version was signed.
			freezePlan(t, u)
		}
	}
	return u.Save(ctx)
}

// StartTrajectory starts an AGREED trajectory: either side or the
// coordinator.
func StartTrajectory(ctx context.Context, c *ent.Client, in StartTrajectoryInput) (*ent.Trajectory, error) {
	return step(ctx, c, in.TrajectoryID, domain.ActionStart, func(_ *ent.Trajectory, u *ent.TrajectoryUpdateOne, now time.Time) error {
		u.SetStartedAt(now)
		return nil
	})
}

// CompleteTrajectory completes a RUNNING trajectory with its final
// evaluation report, which settlement requires, and the result of each
// indicator of the signed action plan: either side or the coordinator.
func CompleteTrajectory(ctx context.Context, c *ent.Client, in CompleteTrajectoryInput) (*ent.Trajectory, error) {
	return step(ctx, c, in.TrajectoryID, domain.ActionComplete, func(t *ent.Trajectory, u *ent.TrajectoryUpdateOne, now time.Time) error {
		if err := mustNotBeBlank("evaluationReport", in.EvaluationReport); err != nil {
			return err
		}
		results, err := indicatorResults(t, in.IndicatorResults)
		if err != nil {
			return err
		}
		u.SetEvaluationReport(in.EvaluationReport).SetIndicatorResults(results).SetCompletedAt(now)
		return nil
	})
}

// DeclineTrajectory declines a PROPOSED or MATCHED trajectory, with an
// optional reason: either side. No application exists before the agreement,
// so no money is involved. A match that both sides had accepted returns its
// offer and need to OPEN.
func DeclineTrajectory(ctx context.Context, c *ent.Client, in DeclineTrajectoryInput) (*ent.Trajectory, error) {
	var before *ent.Trajectory
	t, err := step(ctx, c, in.TrajectoryID, domain.ActionDecline, func(t *ent.Trajectory, u *ent.TrajectoryUpdateOne, now time.Time) error {
		before = t
		u.SetEndedAt(now)
		if in.Reason != nil {
			if reason := strings.TrimSpace(*in.Reason); reason != "" {
				u.SetDeclineReason(reason)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, releaseMatch(ctx, c, before)
}

// step takes a trajectory through one transition of the state machine,
// letting more set the step's own fields (or refuse the input).
func step(ctx context.Context, c *ent.Client, id int, action domain.Action, more func(*ent.Trajectory, *ent.TrajectoryUpdateOne, time.Time) error) (*ent.Trajectory, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	t, err := lockTrajectory(ctx, c, id)
	if err != nil {
		return nil, err
	}
	to, _, err := next(domain.NextTrajectoryStatus, domain.TrajectoryStatus(t.Status), action, sidesOn(v, t), "trajectory")
	if err != nil {
		return nil, err
	}
	u := t.Update().SetStatus(trajectory.Status(to))
	if err := more(t, u, time.Now()); err != nil {
		return nil, err
	}
	return u.Save(ctx)
}

// CancelTrajectory cancels a trajectory before it runs; only the
// coordinator. The domain would let the coordinator cancel a running one
// too, but a running exchange has hours to settle: it is completed with its
// evaluation and settled on the hours spent instead (CONFLICT here).
//
// A pending application (RESERVED or WAITLISTED) is withdrawn and its budget
// returns to the waiting line. An APPROVED grant stays: the ministry settles
// it (on no hours, normally nothing), which returns the money.
func CancelTrajectory(ctx context.Context, c *ent.Client, in CancelTrajectoryInput) (*ent.Trajectory, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	// Locks in the order call → trajectory (see the package comment). The
	// call's lock is taken whether or not an application is pending, so
	// that the grant's status read below cannot change before it is acted
	// on.
	callID, err := callOf(ctx, c, in.TrajectoryID)
	if err != nil {
		return nil, err
	}
	if err := lockCall(ctx, c, callID); err != nil {
		return nil, err
	}
	t, err := lockTrajectory(ctx, c, in.TrajectoryID)
	if err != nil {
		return nil, err
	}
	to, _, err := next(domain.NextTrajectoryStatus, domain.TrajectoryStatus(t.Status), domain.ActionCancel, sidesOn(v, t), "trajectory")
	if err != nil {
		return nil, err
	}
	if t.Status == trajectory.StatusRUNNING {
		return nil, apierr.New(apierr.Conflict, "cannot cancel a running trajectory: complete it with its evaluation, and the grant is settled on the hours spent")
	}
	g, err := c.Grant.Query().Where(grant.TrajectoryID(t.ID)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return nil, err
	case g.Status == grant.StatusRESERVED || g.Status == grant.StatusWAITLISTED:
		// As the system: the coordinator may not change grants, and the
		// state machine lets only the giving side withdraw. Withdrawing the
		// application of a cancelled trajectory is the process's
		// consequence of the coordinator's step, not a right of its own.
		sys := viewer.SystemContext(ctx)
		if err := c.Grant.UpdateOneID(g.ID).SetStatus(grant.StatusWITHDRAWN).Exec(sys); err != nil {
			return nil, err
		}
		if err := promote(ctx, c, g.CallID); err != nil {
			return nil, err
		}
	}
	if err := releaseMatch(ctx, c, t); err != nil {
		return nil, err
	}
	return t.Update().SetStatus(trajectory.Status(to)).SetEndedAt(time.Now()).Save(ctx)
}

// RecordTimeEntries records the hours mentors actually spent on a
// trajectory, one entry per mentor and month, replacing what was recorded
// for that mentor and month before. Only the giving side; while the
// trajectory runs or after it completed, until the grant is settled. Each
// month must lie in the planned period, and its hours plus those recorded
// for the mentor in that month on other trajectories may not exceed her
// contractual hours in that month (domain.CheckMonthlyHours, with
// domain.MaxHours).
//
// The mentors' rows are locked (after the trajectory's, in ID order) before
// the other trajectories' hours are read, so that hours recorded for one
// mentor on two trajectories at the same moment are checked one after the
// other. SettleGrant locks the trajectory too, so hours recorded while the
// grant is settled either land before the settlement reads them or find it
// settled (CONFLICT).
func RecordTimeEntries(ctx context.Context, c *ent.Client, in RecordTimeEntriesInput) (*ent.Trajectory, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	t, err := lockTrajectory(ctx, c, in.TrajectoryID)
	if err != nil {
		return nil, err
	}
	if err := requireSide(sidesOn(v, t), domain.Giving, "record the hours of its mentors"); err != nil {
		return nil, err
	}
	if t.Status != trajectory.StatusRUNNING && t.Status != trajectory.StatusCOMPLETED {
		return nil, apierr.New(apierr.Conflict, "cannot record hours: the trajectory is %s", t.Status)
	}
	g, err := c.Grant.Query().Where(grant.TrajectoryID(t.ID)).Only(ctx)
	if err == nil && (g.Status == grant.StatusSETTLED || g.Status == grant.StatusPAID) {
		return nil, apierr.New(apierr.Conflict, "cannot record hours: the grant is settled")
	} else if err != nil && !ent.IsNotFound(err) {
		return nil, err
	}
	if len(in.Entries) == 0 {
		return nil, badInput("entries", "give at least one entry")
	}
	// Lock the mentors of the entries that are assigned here (the others
	// are refused below) before reading their salaries and hours.
	var mentorIDs []int
	for _, e := range in.Entries {
		mentorIDs = append(mentorIDs, e.MentorID)
	}
	mentorIDs, err = c.Assignment.Query().
		Where(assignment.TrajectoryID(t.ID), assignment.MentorIDIn(mentorIDs...)).
		Select(assignment.FieldMentorID).
		Ints(ctx)
	if err != nil {
		return nil, err
	}
	if err := lockMentors(ctx, c, mentorIDs...); err != nil {
		return nil, err
	}
	assigned, err := c.Assignment.Query().Where(assignment.TrajectoryID(t.ID)).
		WithMentor(func(q *ent.MentorQuery) { q.WithSalaries() }).All(ctx)
	if err != nil {
		return nil, err
	}
	salaries := map[int][]domain.Salary{}
	for _, a := range assigned {
		if a.Edges.Mentor != nil {
			salaries[a.MentorID] = domainSalaries(a.Edges.Mentor.Edges.Salaries)
		}
	}
	first, last := domain.MonthOf(t.PlannedStart), domain.MonthOf(t.PlannedEnd)
	type key struct {
		mentor int
		month  domain.Month
	}
	seen := map[key]bool{}
	var months []string
	for _, e := range in.Entries {
		s, ok := salaries[e.MentorID]
		if !ok {
			return nil, badInput("mentorID", "the mentor is not assigned to the trajectory")
		}
		m, err := domain.ParseMonth(e.Month)
		if err != nil {
			return nil, badInput("month", "%s", err.Error())
		}
		if m.Before(first) || last.Before(m) {
			return nil, badInput("month", "%s is outside the planned period %s to %s", m, first, last)
		}
		if seen[key{e.MentorID, m}] {
			return nil, badInput("month", "two entries for the same mentor in %s", m)
		}
		seen[key{e.MentorID, m}] = true
		if e.Hours < 0 {
			return nil, badInput("hours", "the hours must not be negative")
		}
		if err := domain.CheckMonthlyHours("", m, e.Hours, 0, s); err != nil {
			return nil, asBadInput(err)
		}
		months = append(months, m.String())
	}
	// The same hours of a mentor may be claimed only once: add what is
	// recorded for her in the month on her other trajectories.
	elsewhere, err := recordedElsewhere(ctx, c, t.ID, mentorIDs, months)
	if err != nil {
		return nil, err
	}
	for _, e := range in.Entries {
		m, _ := domain.ParseMonth(e.Month) // checked above
		if err := domain.CheckMonthlyHours("", m, e.Hours, elsewhere[mentorMonth{e.MentorID, m.String()}], salaries[e.MentorID]); err != nil {
			return nil, asBadInput(err)
		}
	}
	for _, e := range in.Entries {
		existing, err := c.TimeEntry.Query().
			Where(timeentry.TrajectoryID(t.ID), timeentry.MentorID(e.MentorID), timeentry.Month(e.Month)).
			Only(ctx)
		switch {
		case ent.IsNotFound(err):
			err = c.TimeEntry.Create().SetTrajectoryID(t.ID).SetMentorID(e.MentorID).SetMonth(e.Month).SetHours(e.Hours).Exec(ctx)
		case err == nil:
			err = existing.Update().SetHours(e.Hours).Exec(ctx)
		}
		if err != nil {
			return nil, err
		}
	}
	return c.Trajectory.Get(ctx, t.ID)
}
