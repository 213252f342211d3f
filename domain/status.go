package domain

import (
	"errors"
	"fmt"
	"slices"
)

// TrajectoryStatus is where an exchange stands. The values are the GraphQL
// enum values.
type TrajectoryStatus string

// The trajectory statuses, in the order of the process.
const (
	// TrajectoryProposed means the coordinator proposed a match; both
	// sides must accept it.
	TrajectoryProposed TrajectoryStatus = "PROPOSED"
	// TrajectoryMatched means both sides accepted (or the match was
	// created as such); the action plan and agreement are drawn up.
	TrajectoryMatched TrajectoryStatus = "MATCHED"
	// TrajectoryAgreed means both sides signed the agreement; the giving
	// side can apply for the grant.
	TrajectoryAgreed TrajectoryStatus = "AGREED"
	// TrajectoryRunning means the exchange is under way.
	TrajectoryRunning TrajectoryStatus = "RUNNING"
	// TrajectoryCompleted means the evaluation report is in.
	TrajectoryCompleted TrajectoryStatus = "COMPLETED"
	// TrajectoryDeclined means a side declined the match.
	TrajectoryDeclined TrajectoryStatus = "DECLINED"
	// TrajectoryCancelled means the coordinator ended the trajectory early.
	TrajectoryCancelled TrajectoryStatus = "CANCELLED"
)

var trajectoryStatuses = []TrajectoryStatus{
	TrajectoryProposed, TrajectoryMatched, TrajectoryAgreed, TrajectoryRunning,
	TrajectoryCompleted, TrajectoryDeclined, TrajectoryCancelled,
}

// Values returns every trajectory status. It lets ent use the type directly:
// field.Enum("status").GoType(domain.TrajectoryStatus("")).
func (TrajectoryStatus) Values() []string { return stringsOf(trajectoryStatuses) }

// GrantStatus is where a grant application stands. The values are the
// GraphQL enum values.
type GrantStatus string

// The grant statuses, in the order of the process.
const (
	// GrantReserved means submitted, with the requested amount reserved
	// against the call's budget.
	GrantReserved GrantStatus = "RESERVED"
	// GrantWaitlisted means submitted and waiting in line for budget.
	GrantWaitlisted GrantStatus = "WAITLISTED"
	// GrantApproved means the ministry awarded an amount.
	GrantApproved GrantStatus = "APPROVED"
	// GrantRejected means the ministry rejected the application.
	GrantRejected GrantStatus = "REJECTED"
	// GrantWithdrawn means the giving side withdrew the application.
	GrantWithdrawn GrantStatus = "WITHDRAWN"
	// GrantSettled means the amount was recomputed on the hours actually
	// spent.
	GrantSettled GrantStatus = "SETTLED"
	// GrantPaid means payments reached the settled amount.
	GrantPaid GrantStatus = "PAID"
)

var grantStatuses = []GrantStatus{
	GrantReserved, GrantWaitlisted, GrantApproved, GrantRejected,
	GrantWithdrawn, GrantSettled, GrantPaid,
}

// Values returns every grant status, for
// field.Enum("status").GoType(domain.GrantStatus("")).
func (GrantStatus) Values() []string { return stringsOf(grantStatuses) }

func stringsOf[S ~string](values []S) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// Side is who takes an action, as far as the state machines care: a side of
// the trajectory or a party of the programme.
type Side string

// The sides.
const (
	// Giving is staff of the trajectory's giving municipality.
	Giving Side = "GIVING"
	// Receiving is staff of the trajectory's receiving municipality.
	Receiving Side = "RECEIVING"
	// Coordinator is VVSG, which matches and follows trajectories.
	Coordinator Side = "COORDINATOR"
	// Ministry decides on, settles and pays grants.
	Ministry Side = "MINISTRY"
	// System is the portal itself, e.g. promoting the waiting line when
	// budget returns.
	System Side = "SYSTEM"
)

// Action is a verb of the process that changes a status.
type Action string

// The trajectory actions.
const (
	ActionAccept   Action = "accept"
	ActionSign     Action = "sign"
	ActionStart    Action = "start"
	ActionComplete Action = "complete"
	ActionDecline  Action = "decline"
	ActionCancel   Action = "cancel"
)

// The grant actions.
const (
	ActionSubmit   Action = "submit"
	ActionApprove  Action = "approve"
	ActionReject   Action = "reject"
	ActionWithdraw Action = "withdraw"
	ActionPromote  Action = "promote"
	ActionSettle   Action = "settle"
	ActionPay      Action = "pay"
)

// Transition is one row of a state machine: Action takes a thing in one of
// the From states to To, and may be taken by any of Sides.
//
// BothSides marks actions that the giving and the receiving side must each
// take (accept, sign): the first one records that side's consent and leaves
// the status as it is; the status becomes To when the second side takes it.
// The caller keeps the consents and asks NextTrajectoryStatus for both; the
// state machine only says whether the action is allowed and where it leads.
type Transition[S ~string] struct {
	Action    Action
	From      []S
	To        S
	Sides     []Side
	BothSides bool
}

// trajectoryTransitions is the trajectory state machine. Decline is for a
// municipality that does not want the match (before the agreement is
// signed); cancel is the coordinator ending a trajectory at any point before
// it completes. start and complete are open to both parties and to the
// coordinator who follows the trajectory.
var trajectoryTransitions = []Transition[TrajectoryStatus]{
	{Action: ActionAccept, From: []TrajectoryStatus{TrajectoryProposed}, To: TrajectoryMatched,
		Sides: []Side{Giving, Receiving}, BothSides: true},
	{Action: ActionSign, From: []TrajectoryStatus{TrajectoryMatched}, To: TrajectoryAgreed,
		Sides: []Side{Giving, Receiving}, BothSides: true},
	{Action: ActionStart, From: []TrajectoryStatus{TrajectoryAgreed}, To: TrajectoryRunning,
		Sides: []Side{Giving, Receiving, Coordinator}},
	{Action: ActionComplete, From: []TrajectoryStatus{TrajectoryRunning}, To: TrajectoryCompleted,
		Sides: []Side{Giving, Receiving, Coordinator}},
	{Action: ActionDecline, From: []TrajectoryStatus{TrajectoryProposed, TrajectoryMatched}, To: TrajectoryDeclined,
		Sides: []Side{Giving, Receiving}},
	{Action: ActionCancel, From: []TrajectoryStatus{TrajectoryProposed, TrajectoryMatched, TrajectoryAgreed, TrajectoryRunning}, To: TrajectoryCancelled,
		Sides: []Side{Coordinator}},
}

// grantTransitions is the grant state machine. The empty status is "no
// grant yet", the only state submit starts from. Submit leads to RESERVED
// when the budget allows and to WAITLISTED otherwise: To says RESERVED and
// Reserve decides. Approval needs a reservation, so a waiting application is
// promoted (or rejected, or withdrawn) first. Pay here is the payment that
// completes a settled grant; payments before settlement (on APPROVED) do not
// change the status: see Pay.
var grantTransitions = []Transition[GrantStatus]{
	{Action: ActionSubmit, From: []GrantStatus{""}, To: GrantReserved, Sides: []Side{Giving}},
	{Action: ActionPromote, From: []GrantStatus{GrantWaitlisted}, To: GrantReserved, Sides: []Side{System}},
	{Action: ActionApprove, From: []GrantStatus{GrantReserved}, To: GrantApproved, Sides: []Side{Ministry}},
	{Action: ActionReject, From: []GrantStatus{GrantReserved, GrantWaitlisted}, To: GrantRejected, Sides: []Side{Ministry}},
	{Action: ActionWithdraw, From: []GrantStatus{GrantReserved, GrantWaitlisted}, To: GrantWithdrawn, Sides: []Side{Giving}},
	{Action: ActionSettle, From: []GrantStatus{GrantApproved}, To: GrantSettled, Sides: []Side{Ministry}},
	{Action: ActionPay, From: []GrantStatus{GrantSettled}, To: GrantPaid, Sides: []Side{Ministry}},
}

// TrajectoryTransitions returns a copy of the trajectory state machine, for
// documentation and for offering a viewer the actions it may take.
func TrajectoryTransitions() []Transition[TrajectoryStatus] {
	return cloneTransitions(trajectoryTransitions)
}

// GrantTransitions returns a copy of the grant state machine.
func GrantTransitions() []Transition[GrantStatus] { return cloneTransitions(grantTransitions) }

func cloneTransitions[S ~string](ts []Transition[S]) []Transition[S] {
	out := slices.Clone(ts)
	for i := range out {
		out[i].From = slices.Clone(out[i].From)
		out[i].Sides = slices.Clone(out[i].Sides)
	}
	return out
}

// ErrConflict means the current state does not allow the action (the API's
// CONFLICT).
var ErrConflict = errors.New("the current state does not allow this")

// ErrForbidden means this side may never take the action (the API's
// FORBIDDEN).
var ErrForbidden = errors.New("this side may not do this")

// TransitionError is a refused transition. It wraps ErrConflict or
// ErrForbidden, so callers test it with errors.Is.
type TransitionError struct {
	Action Action
	From   string
	Side   Side
	Err    error
}

// Error says what was refused and why.
func (e *TransitionError) Error() string {
	from := e.From
	if from == "" {
		from = "none"
	}
	return fmt.Sprintf("%s: %s from status %s by %s", e.Err, e.Action, from, e.Side)
}

// Unwrap returns ErrConflict or ErrForbidden.
func (e *TransitionError) Unwrap() error { return e.Err }

// NextTrajectoryStatus returns the status a trajectory in status from gets
// when side takes action (for accept and sign: once both sides have taken
// it, see Transition). The side is checked before the state: a side that may
// never take the action hears ErrForbidden whatever the state, which tells it
// the truth and nothing about the state.
func NextTrajectoryStatus(from TrajectoryStatus, action Action, side Side) (TrajectoryStatus, error) {
	return next(trajectoryTransitions, from, action, side)
}

// NextGrantStatus returns the status a grant in status from gets when side
// takes action. Use "" as from for a trajectory without a grant (submit).
// For submit the answer is GrantReserved; Reserve decides whether the budget
// makes it GrantWaitlisted instead.
func NextGrantStatus(from GrantStatus, action Action, side Side) (GrantStatus, error) {
	return next(grantTransitions, from, action, side)
}

func next[S ~string](table []Transition[S], from S, action Action, side Side) (S, error) {
	i := slices.IndexFunc(table, func(t Transition[S]) bool { return t.Action == action })
	if i < 0 {
		// A programming error, not a user's: the caller named an action
		// of the other state machine or made one up.
		return from, fmt.Errorf("domain: no action %q in this state machine", action)
	}
	t := table[i]
	fail := func(err error) (S, error) {
		return from, &TransitionError{Action: action, From: string(from), Side: side, Err: err}
	}
	if !slices.Contains(t.Sides, side) {
		return fail(ErrForbidden)
	}
	if !slices.Contains(t.From, from) {
		return fail(ErrConflict)
	}
	return t.To, nil
}
