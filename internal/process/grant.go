package process

import (
	"context"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/assignment"
	"wisselaar/ent/call"
	"wisselaar/ent/document"
	"wisselaar/ent/grant"
	"wisselaar/ent/rule"
	"wisselaar/ent/timeentry"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
	"wisselaar/internal/grantcalc"
	"wisselaar/internal/report"
)

// SubmitGrantApplication submits the grant application of an AGREED
// trajectory (or one with a signed agreement attached, as the call
// configures: agreementEvidence); only the giving side, inside the call's
// window.
//
// The requested amount is domain.PlannedCompensation over the trajectory's
// assignments and the mentors' salaries with the call's rule; its lines are
// kept on the grant. The application is RESERVED when the remaining budget
// covers it and nobody is waiting, else WAITLISTED (domain.Reserve).
//
// A second submission while the application is RESERVED or WAITLISTED
// returns it unchanged: a double click, or a retry after a lost response,
// books nothing twice. Once it was decided or withdrawn, submitting again is
// CONFLICT.
func SubmitGrantApplication(ctx context.Context, c *ent.Client, in SubmitGrantApplicationInput) (*ent.Grant, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	// Locks in the order call → trajectory (see the package comment): the
	// call's, then the trajectory's, which makes a double click wait for
	// the first submission and then find its grant.
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
	sides := sidesOn(v, t)
	if _, _, err := next(domain.NextGrantStatus, "", domain.ActionSubmit, sides, "application"); err != nil {
		return nil, err
	}
	existing, err := c.Grant.Query().Where(grant.TrajectoryID(t.ID)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return nil, err
	case existing.Status == grant.StatusRESERVED || existing.Status == grant.StatusWAITLISTED:
		return existing, nil
	default:
		_, _, err := next(domain.NextGrantStatus, domain.GrantStatus(existing.Status), domain.ActionSubmit, sides, "application")
		return nil, err
	}
	cl, err := c.Call.Get(ctx, t.CallID)
	if err != nil {
		return nil, err
	}
	if t, err = agreementEvidence(ctx, c, cl, t); err != nil {
		return nil, err
	}
	r := domain.Rule{Percent: cl.CompensationPercent, Cap: cl.PerProjectCap}
	// The giving side reads its own mentors' salaries with its own rights.
	assigned, err := c.Assignment.Query().Where(assignment.TrajectoryID(t.ID)).
		WithMentor(func(q *ent.MentorQuery) { q.WithSalaries() }).
		Order(assignment.ByMentorID()).
		All(ctx)
	if err != nil {
		return nil, err
	}
	var as []domain.Assignment
	for _, a := range assigned {
		da := domain.Assignment{Mentor: grantcalc.MentorKey(a.MentorID), PlannedWeeklyHours: a.PlannedWeeklyHours}
		if a.Edges.Mentor != nil {
			da.Salaries = domainSalaries(a.Edges.Mentor.Edges.Salaries)
		}
		as = append(as, da)
	}
	calc, err := domain.PlannedCompensation(r, t.PlannedStart, t.PlannedEnd, as)
	if err != nil {
		return nil, conflictFrom("compute the requested amount", err)
	}

	// The moment of submission is taken under the call's lock, so that
	// submitted_at orders the applications as the ledger saw them. It is
	// cut to the microseconds PostgreSQL keeps, so that the grant returned
	// now says what a later read will.
	now := time.Now().Truncate(time.Microsecond)
	if !(domain.Window{OpensAt: cl.OpensAt, ClosesAt: cl.ClosesAt}).Contains(now) {
		return nil, apierr.New(apierr.WindowClosed, "the call accepts applications from %s up to and including %s (Europe/Brussels)",
			cl.OpensAt.In(domain.Brussels()).Format(time.DateTime), domain.FormatDate(cl.ClosesAt.In(domain.Brussels())))
	}
	l, err := readLedger(ctx, c, cl)
	if err != nil {
		return nil, err
	}
	status := domain.Reserve(l.remaining, calc.Total, len(l.waiting))
	return c.Grant.Create().
		SetTrajectoryID(t.ID).
		SetCallID(cl.ID).
		SetStatus(grant.Status(status)).
		SetSubmittedAt(now).
		SetRequested(calc.Total).
		SetCalculation(grantcalc.From(calc, r, true)).
		SetSubmissionLedger(grantcalc.LedgerPosition{
			Status: string(status), Budget: cl.Budget, RemainingBefore: l.remaining, WaitingAhead: len(l.waiting),
		}).
		Save(ctx)
}

// agreementEvidence checks that trajectory t has the proof of agreement
// its call asks for (Call.agreementEvidence), and returns t as it then
// stands. PORTAL_SIGNATURES: both sides signed in the portal (AGREED).
// SIGNED_DOCUMENT: an AGREEMENT_SIGNED document is attached; a MATCHED
// trajectory then becomes AGREED on the current version of its action
// plan, which freezes as if both had signed it in the portal.
func agreementEvidence(ctx context.Context, c *ent.Client, cl *ent.Call, t *ent.Trajectory) (*ent.Trajectory, error) {
	if cl.AgreementEvidence != call.AgreementEvidenceSIGNED_DOCUMENT {
		if t.Status != trajectory.StatusAGREED {
			return nil, apierr.New(apierr.Conflict, "cannot submit: the trajectory is %s; both sides must sign the agreement first", t.Status)
		}
		return t, nil
	}
	signed, err := c.Document.Query().
		Where(document.TrajectoryID(t.ID), document.KindEQ(document.KindAGREEMENT_SIGNED)).
		Exist(ctx)
	switch {
	case err != nil:
		return nil, err
	case !signed:
		return nil, apierr.New(apierr.Conflict, "cannot submit: the call needs the agreement signed by both municipalities, attached as an AGREEMENT_SIGNED document")
	case t.Status == trajectory.StatusAGREED:
		return t, nil
	case t.Status != trajectory.StatusMATCHED:
		return nil, apierr.New(apierr.Conflict, "cannot submit: the trajectory is %s", t.Status)
	}
	u := t.Update().SetStatus(trajectory.StatusAGREED)
	freezePlan(t, u)
	return u.Save(ctx)
}

// ledger is a call's budget as seen under its lock.
type ledger struct {
	remaining domain.Money
	// waiting is the line: the waitlisted applications in submission order,
	// with only their IDs and requested amounts loaded.
	waiting []*ent.Grant
}

// readLedger reads what a call's grants commit and who waits. The caller
// holds the call's lock.
//
// It reads as the system: the ledger is the sum over every municipality's
// applications, and the line holds applications the viewer may not see.
// Nothing read here is shown to the viewer.
func readLedger(ctx context.Context, c *ent.Client, cl *ent.Call) (ledger, error) {
	committed, err := report.Committed(ctx, c, cl.ID)
	if err != nil {
		return ledger{}, err
	}
	waiting, err := c.Grant.Query().
		Where(grant.CallID(cl.ID), grant.StatusEQ(grant.StatusWAITLISTED)).
		Order(grant.BySubmittedAt(), grant.ByID()).
		Select(grant.FieldRequested).
		All(viewer.SystemContext(ctx))
	if err != nil {
		return ledger{}, err
	}
	return ledger{remaining: cl.Budget - committed, waiting: waiting}, nil
}

// promote moves the front of a call's waiting line to RESERVED while the
// remaining budget covers it, strictly in submission order
// (domain.Promote). Call it, holding the call's lock, after every return of
// money.
func promote(ctx context.Context, c *ent.Client, callID int) error {
	cl, err := c.Call.Get(ctx, callID)
	if err != nil {
		return err
	}
	l, err := readLedger(ctx, c, cl)
	if err != nil {
		return err
	}
	amounts := make([]domain.Money, len(l.waiting))
	for i, g := range l.waiting {
		amounts[i] = g.Requested
	}
	n := domain.Promote(l.remaining, amounts)
	if n == 0 {
		return nil
	}
	to, err := domain.NextGrantStatus(domain.GrantWaitlisted, domain.ActionPromote, domain.System)
	if err != nil {
		return err
	}
	// As the system: promotion is the portal's own step (domain.System),
	// taken on other municipalities' applications that the viewer who
	// returned the money may neither see nor change.
	sys := viewer.SystemContext(ctx)
	for _, g := range l.waiting[:n] {
		if err := c.Grant.UpdateOneID(g.ID).SetStatus(grant.Status(to)).Exec(sys); err != nil {
			return err
		}
	}
	return nil
}

// lockGrant loads a grant the viewer can see, with its trajectory's
// parties, locks its call and reads the grant again: every change of a
// grant happens under its call's lock, so the second read is the state to
// decide on.
func lockGrant(ctx context.Context, c *ent.Client, id int) (*ent.Grant, *ent.Trajectory, error) {
	g, err := c.Grant.Get(ctx, id)
	if err != nil {
		return nil, nil, notFound("grant", err)
	}
	if err := lockCall(ctx, c, g.CallID); err != nil {
		return nil, nil, err
	}
	g, err = c.Grant.Get(ctx, id)
	if err != nil {
		return nil, nil, notFound("grant", err)
	}
	t, err := c.Trajectory.Query().Where(trajectory.ID(g.TrajectoryID)).WithGiving().WithReceiving().Only(ctx)
	if err != nil {
		return nil, nil, notFound("trajectory", err)
	}
	return g, t, nil
}

// WithdrawGrantApplication withdraws a RESERVED or WAITLISTED application;
// only the giving side. Its budget returns and promotes the waiting line.
func WithdrawGrantApplication(ctx context.Context, c *ent.Client, in WithdrawGrantApplicationInput) (*ent.Grant, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	g, t, err := lockGrant(ctx, c, in.GrantID)
	if err != nil {
		return nil, err
	}
	to, _, err := next(domain.NextGrantStatus, domain.GrantStatus(g.Status), domain.ActionWithdraw, sidesOn(v, t), "application")
	if err != nil {
		return nil, err
	}
	if err := g.Update().SetStatus(grant.Status(to)).Exec(ctx); err != nil {
		return nil, err
	}
	if err := promote(ctx, c, g.CallID); err != nil {
		return nil, err
	}
	return c.Grant.Get(ctx, g.ID)
}

// DecideGrant is the ministry's decision on an application.
//
// Approving needs a RESERVED application and an awarded amount above 0 and
// at most the requested amount (domain.ValidateAward); the difference
// returns to the call. Approving a WAITLISTED application is
// BUDGET_EXHAUSTED: the call's budget does not cover it, and it may only be
// approved once returned budget promotes it, in its turn.
//
// Rejecting needs a RESERVED or WAITLISTED application and a reason; all of
// a reservation returns. Every return promotes the waiting line, and so
// does rejecting the first in line.
func DecideGrant(ctx context.Context, c *ent.Client, in DecideGrantInput) (*ent.Grant, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	g, t, err := lockGrant(ctx, c, in.GrantID)
	if err != nil {
		return nil, err
	}
	sides := sidesOn(v, t)
	action := domain.ActionReject
	if in.Approve {
		action = domain.ActionApprove
	}
	to, _, err := next(domain.NextGrantStatus, domain.GrantStatus(g.Status), action, sides, "application")
	if err != nil {
		if in.Approve && g.Status == grant.StatusWAITLISTED && apiCode(err) == apierr.Conflict {
			return nil, apierr.New(apierr.BudgetExhausted,
				"the call's remaining budget does not cover this application; it waits in line until returned budget reaches it")
		}
		return nil, err
	}
	u := g.Update().SetStatus(grant.Status(to)).SetDecidedAt(time.Now())
	if in.Reason != nil {
		u.SetDecisionReason(*in.Reason)
	}
	if in.Approve {
		if in.Awarded == nil {
			return nil, badInput("awarded", "give the awarded amount to approve")
		}
		if err := domain.ValidateAward(g.Requested, *in.Awarded); err != nil {
			return nil, err
		}
		u.SetAwarded(*in.Awarded)
	} else {
		if in.Awarded != nil {
			return nil, badInput("awarded", "leave awarded empty to reject")
		}
		if in.Reason == nil {
			return nil, badInput("reason", "give the reason for the rejection")
		}
		if err := mustNotBeBlank("reason", *in.Reason); err != nil {
			return nil, err
		}
	}
	if err := u.Exec(ctx); err != nil {
		return nil, err
	}
	if err := promote(ctx, c, g.CallID); err != nil {
		return nil, err
	}
	return c.Grant.Get(ctx, g.ID)
}

// SettleGrant settles an APPROVED grant on the hours actually spent; only
// the ministry. The trajectory must be COMPLETED (which needs its
// evaluation report), or CANCELLED before it ran. It locks the grant's call
// and then its trajectory, so that no hours are recorded on the trajectory
// while it settles. The settled amount is
// domain.ActualCompensation of the recorded hours, never above the awarded
// amount (domain.Settle); its lines are kept on the grant. What is not
// settled returns to the call and promotes the waiting line.
func SettleGrant(ctx context.Context, c *ent.Client, in SettleGrantInput) (*ent.Grant, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	g, t, err := lockGrant(ctx, c, in.GrantID)
	if err != nil {
		return nil, err
	}
	if _, _, err := next(domain.NextGrantStatus, domain.GrantStatus(g.Status), domain.ActionSettle, sidesOn(v, t), "grant"); err != nil {
		return nil, err
	}
	// The trajectory's lock, after the call's (see the package comment),
	// waits for hours being recorded on it (RecordTimeEntries holds it), so
	// that the entries read below are all there are: hours recorded after
	// this step find the grant settled.
	if t, err = lockTrajectory(ctx, c, g.TrajectoryID); err != nil {
		return nil, err
	}
	switch {
	case t.Status == trajectory.StatusCOMPLETED && t.EvaluationReport != "":
	case t.Status == trajectory.StatusCANCELLED:
	default:
		return nil, apierr.New(apierr.Conflict, "cannot settle: the trajectory is %s; it must be completed with its evaluation report", t.Status)
	}
	cl, err := c.Call.Get(ctx, g.CallID)
	if err != nil {
		return nil, err
	}
	r := domain.Rule{Percent: cl.CompensationPercent, Cap: cl.PerProjectCap}
	entries, err := c.TimeEntry.Query().Where(timeentry.TrajectoryID(t.ID)).
		WithMentor(func(q *ent.MentorQuery) { q.WithSalaries() }).
		Order(timeentry.ByMentorID(), timeentry.ByMonth()).
		All(ctx)
	if err != nil {
		return nil, err
	}
	var sheets []domain.TimeSheet
	for _, e := range entries {
		month, err := domain.ParseMonth(e.Month)
		if err != nil {
			return nil, err
		}
		if len(sheets) == 0 || sheets[len(sheets)-1].Mentor != grantcalc.MentorKey(e.MentorID) {
			sheets = append(sheets, domain.TimeSheet{Mentor: grantcalc.MentorKey(e.MentorID), Salaries: domainSalaries(e.Edges.Mentor.Edges.Salaries)})
		}
		sh := &sheets[len(sheets)-1]
		sh.Entries = append(sh.Entries, domain.TimeEntry{Month: month, Hours: e.Hours})
	}
	actual, err := domain.ActualCompensation(r, sheets)
	if err != nil {
		return nil, conflictFrom("compute the settlement", err)
	}
	awarded := *g.Awarded
	settled := domain.Settle(actual.Total, awarded)
	if g.Paid > settled {
		// domain.SettledStatus would call this PAID with an excess to
		// recover, which the portal does not model, and the database's
		// grant_paid_le_due rule refuses it.
		return nil, apierr.New(apierr.Conflict, "cannot settle at %s: %s was already paid in advances, and recovering the excess is not supported", settled, g.Paid)
	}
	err = g.Update().
		SetStatus(grant.Status(domain.SettledStatus(settled, g.Paid))).
		SetSettled(settled).
		SetSettledAt(time.Now()).
		SetSettlementCalculation(grantcalc.From(actual, r, false)).
		Exec(ctx)
	if err != nil {
		return nil, err
	}
	if err := promote(ctx, c, g.CallID); err != nil {
		return nil, err
	}
	return c.Grant.Get(ctx, g.ID)
}

// RegisterPayment registers a payment of a grant; only the ministry.
// Advances may be paid on an APPROVED grant up to the awarded amount, and
// the balance on a SETTLED grant up to the settled amount, when it becomes
// PAID (domain.Pay).
func RegisterPayment(ctx context.Context, c *ent.Client, in RegisterPaymentInput) (*ent.Grant, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	// The call's lock also serialises payments on one grant, so that two
	// at the same moment cannot together pay more than is due.
	g, t, err := lockGrant(ctx, c, in.GrantID)
	if err != nil {
		return nil, err
	}
	if err := requireSide(sidesOn(v, t), domain.Ministry, "register payments"); err != nil {
		return nil, err
	}
	var awarded, settled domain.Money
	if g.Awarded != nil {
		awarded = *g.Awarded
	}
	if g.Settled != nil {
		settled = *g.Settled
	}
	status, err := domain.Pay(domain.GrantStatus(g.Status), awarded, settled, g.Paid, in.Amount)
	if err != nil {
		if apiCode(err) == "" && isTransition(err) {
			return nil, apierr.New(apierr.Conflict, "cannot pay the grant: it is %s", g.Status)
		}
		return nil, err
	}
	if in.PaidOn.IsZero() {
		return nil, badInput("paidOn", "give the day of the payment")
	}
	if err := c.Payment.Create().SetGrantID(g.ID).SetAmount(in.Amount).SetPaidOn(domain.DateOf(in.PaidOn)).Exec(ctx); err != nil {
		return nil, err
	}
	if err := g.Update().SetStatus(grant.Status(status)).AddPaid(in.Amount).Exec(ctx); err != nil {
		return nil, err
	}
	return c.Grant.Get(ctx, g.ID)
}

// GrantCalculation returns a grant's calculation as the viewer may see it:
// the request's (settlement false) or the settlement's, or nil when none
// was recorded. Lines show salaries, so they are kept for the ministry and
// for staff of the giving municipality, whose mentors they are; everyone
// else who sees the grant gets the totals, since amounts are public.
func GrantCalculation(ctx context.Context, c *ent.Client, g *ent.Grant, settlement bool) (*grantcalc.Calculation, error) {
	rec := g.Calculation
	if settlement {
		rec = g.SettlementCalculation
	}
	if rec.CompensationPercent == 0 { // not recorded: demo data, or not settled yet
		return nil, nil
	}
	ok, err := maySeeSalaries(ctx, c, g.TrajectoryID)
	if err != nil {
		return nil, err
	}
	if !ok {
		rec = rec.Totals()
	}
	return &rec, nil
}

// maySeeSalaries reports whether the viewer may read the salaries of the
// mentors of a trajectory: the ministry, or staff of its giving
// municipality, who employs them (the rule of rule.ReadableSalaries).
func maySeeSalaries(ctx context.Context, c *ent.Client, trajectoryID int) (bool, error) {
	v := viewer.FromContext(ctx)
	switch {
	case v.IsSystem() || v.Has(viewer.Ministry):
		return true, nil
	case len(v.Municipalities) == 0:
		return false, nil
	}
	return c.Trajectory.Query().Where(trajectory.ID(trajectoryID), rule.TrajectoryGivenByStaff(v)).Exist(ctx)
}

// CalculationMentor returns the mentor of a calculation line, or nil when
// the viewer may not see her.
func CalculationMentor(ctx context.Context, c *ent.Client, l *grantcalc.Line) (*ent.Mentor, error) {
	m, err := c.Mentor.Get(ctx, l.MentorID)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return m, err
}

// apiCode returns the API code of err, or "" for an error that is not an
// *apierr.Error.
func apiCode(err error) apierr.Code {
	if e, ok := apierr.As(err); ok {
		return e.Code
	}
	return ""
}
