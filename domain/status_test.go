package domain

import (
	"errors"
	"slices"
	"testing"
)

var allSides = []Side{Giving, Receiving, Coordinator, Ministry, System, Side("PARTNER"), Side("")}

func TestStatusValues(t *testing.T) {
	if got := TrajectoryStatus("").Values(); !slices.Equal(got, []string{"PROPOSED", "MATCHED", "AGREED", "RUNNING", "COMPLETED", "DECLINED", "CANCELLED"}) {
		t.Errorf("trajectory statuses = %v", got)
	}
	if got := GrantStatus("").Values(); !slices.Equal(got, []string{"RESERVED", "WAITLISTED", "APPROVED", "REJECTED", "WITHDRAWN", "SETTLED", "PAID"}) {
		t.Errorf("grant statuses = %v", got)
	}
}

// TestNextTrajectoryStatus checks every (status, action) pair, written out
// independently of the table in status.go: a pair not listed is a conflict.
func TestNextTrajectoryStatus(t *testing.T) {
	want := map[TrajectoryStatus]map[Action]TrajectoryStatus{
		TrajectoryProposed: {ActionAccept: TrajectoryMatched, ActionDecline: TrajectoryDeclined, ActionCancel: TrajectoryCancelled},
		TrajectoryMatched:  {ActionSign: TrajectoryAgreed, ActionDecline: TrajectoryDeclined, ActionCancel: TrajectoryCancelled},
		TrajectoryAgreed:   {ActionStart: TrajectoryRunning, ActionCancel: TrajectoryCancelled},
		TrajectoryRunning:  {ActionComplete: TrajectoryCompleted, ActionCancel: TrajectoryCancelled},
		// COMPLETED, DECLINED and CANCELLED are final.
	}
	sides := map[Action][]Side{
		ActionAccept:   {Giving, Receiving},
		ActionSign:     {Giving, Receiving},
		ActionStart:    {Giving, Receiving, Coordinator},
		ActionComplete: {Giving, Receiving, Coordinator},
		ActionDecline:  {Giving, Receiving},
		ActionCancel:   {Coordinator},
	}
	statuses := append([]TrajectoryStatus{"", "UNKNOWN"}, trajectoryStatuses...)
	for _, from := range statuses {
		for action, allowed := range sides {
			for _, side := range allSides {
				to, err := NextTrajectoryStatus(from, action, side)
				wantTo, ok := want[from][action]
				switch {
				case !slices.Contains(allowed, side):
					if !errors.Is(err, ErrForbidden) {
						t.Errorf("%s %s by %s: %v, %v; want ErrForbidden", from, action, side, to, err)
					}
				case !ok:
					if !errors.Is(err, ErrConflict) {
						t.Errorf("%s %s by %s: %v, %v; want ErrConflict", from, action, side, to, err)
					}
				default:
					if err != nil || to != wantTo {
						t.Errorf("%s %s by %s: %v, %v; want %s", from, action, side, to, err, wantTo)
					}
				}
				if err != nil && to != from {
					t.Errorf("%s %s by %s: refused but answered %s", from, action, side, to)
				}
			}
		}
	}
	// Every listed transition is in the table, and nothing else.
	n := 0
	for _, tr := range TrajectoryTransitions() {
		n += len(tr.From)
	}
	m := 0
	for _, actions := range want {
		m += len(actions)
	}
	if n != m {
		t.Errorf("the table has %d (from, action) pairs, the test %d", n, m)
	}
}

func TestNextGrantStatus(t *testing.T) {
	want := map[GrantStatus]map[Action]GrantStatus{
		"":              {ActionSubmit: GrantReserved},
		GrantReserved:   {ActionApprove: GrantApproved, ActionReject: GrantRejected, ActionWithdraw: GrantWithdrawn},
		GrantWaitlisted: {ActionPromote: GrantReserved, ActionReject: GrantRejected, ActionWithdraw: GrantWithdrawn},
		GrantApproved:   {ActionSettle: GrantSettled},
		GrantSettled:    {ActionPay: GrantPaid},
		// REJECTED, WITHDRAWN and PAID are final.
	}
	sides := map[Action][]Side{
		ActionSubmit:   {Giving},
		ActionPromote:  {System},
		ActionApprove:  {Ministry},
		ActionReject:   {Ministry},
		ActionWithdraw: {Giving},
		ActionSettle:   {Ministry},
		ActionPay:      {Ministry},
	}
	statuses := append([]GrantStatus{"", "UNKNOWN"}, grantStatuses...)
	for _, from := range statuses {
		for action, allowed := range sides {
			for _, side := range allSides {
				to, err := NextGrantStatus(from, action, side)
				wantTo, ok := want[from][action]
				switch {
				case !slices.Contains(allowed, side):
					if !errors.Is(err, ErrForbidden) {
						t.Errorf("%q %s by %s: %v, %v; want ErrForbidden", from, action, side, to, err)
					}
				case !ok:
					if !errors.Is(err, ErrConflict) {
						t.Errorf("%q %s by %s: %v, %v; want ErrConflict", from, action, side, to, err)
					}
				default:
					if err != nil || to != wantTo {
						t.Errorf("%q %s by %s: %v, %v; want %s", from, action, side, to, err, wantTo)
					}
				}
			}
		}
	}
	n := 0
	for _, tr := range GrantTransitions() {
		n += len(tr.From)
	}
	m := 0
	for _, actions := range want {
		m += len(actions)
	}
	if n != m {
		t.Errorf("the table has %d (from, action) pairs, the test %d", n, m)
	}
}

func TestUnknownAction(t *testing.T) {
	if _, err := NextTrajectoryStatus(TrajectoryProposed, ActionSubmit, Giving); err == nil || errors.Is(err, ErrConflict) || errors.Is(err, ErrForbidden) {
		t.Errorf("grant action on a trajectory: %v", err)
	}
	if _, err := NextGrantStatus(GrantReserved, ActionSign, Giving); err == nil || errors.Is(err, ErrConflict) || errors.Is(err, ErrForbidden) {
		t.Errorf("trajectory action on a grant: %v", err)
	}
}

func TestBothSides(t *testing.T) {
	for _, tr := range TrajectoryTransitions() {
		want := tr.Action == ActionAccept || tr.Action == ActionSign
		if tr.BothSides != want {
			t.Errorf("%s: BothSides = %v", tr.Action, tr.BothSides)
		}
	}
	for _, tr := range GrantTransitions() {
		if tr.BothSides {
			t.Errorf("grant %s needs both sides", tr.Action)
		}
	}
}

func TestTransitionsAreCopies(t *testing.T) {
	ts := TrajectoryTransitions()
	ts[0].From[0] = TrajectoryCompleted
	ts[0].Sides[0] = Ministry
	if to, err := NextTrajectoryStatus(TrajectoryProposed, ActionAccept, Giving); err != nil || to != TrajectoryMatched {
		t.Fatalf("changing a copy changed the machine: %v, %v", to, err)
	}
	gs := GrantTransitions()
	gs[0].To = GrantPaid
	if to, _ := NextGrantStatus("", ActionSubmit, Giving); to != GrantReserved {
		t.Fatalf("changing a copy changed the machine: %v", to)
	}
}

func TestTransitionError(t *testing.T) {
	_, err := NextGrantStatus(GrantPaid, ActionWithdraw, Giving)
	var te *TransitionError
	if !errors.As(err, &te) || te.Action != ActionWithdraw || te.From != "PAID" || te.Side != Giving {
		t.Fatalf("error = %#v", err)
	}
	if got, want := err.Error(), "the current state does not allow this: withdraw from status PAID by GIVING"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err = NextGrantStatus("", ActionApprove, Ministry)
	if got, want := err.Error(), "the current state does not allow this: approve from status none by MINISTRY"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
