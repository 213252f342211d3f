// Package process is the grant process of De Wisselaar: one function per
// mutation of the API, from matching a trajectory to paying its grant.
//
// Every function takes the request's context (with its viewer) and the ent
// client of the mutation's transaction, and returns the changed entity or an
// error the API reports as is: an *apierr.Error, a *domain.FieldError
// (BAD_USER_INPUT with the field), privacy.Deny or ent's not-found. The
// caller commits or rolls back, so a failed step changes nothing.
//
// Each step goes the same way:
//
//  1. load the thing acted on with the viewer's own read rights, so that
//     what the viewer may not see is NOT_FOUND, exactly as if it did not
//     exist;
//  2. work out the viewer's sides on it (giving, receiving, coordinator,
//     ministry) and ask the state machine in package domain whether one of
//     them may take the step now: FORBIDDEN if no side ever may, CONFLICT if
//     the state does not allow it;
//  3. check the input (BAD_USER_INPUT) and the application window
//     (WINDOW_CLOSED);
//  4. write, as the viewer, so that the ent privacy rules check the same
//     rights once more; only the waiting line's promotion and the reads of
//     the budget ledger run as the system (viewer.SystemContext), each use
//     saying why.
//
// # The ledger
//
// Everything that changes what a call's grants commit (submitting,
// withdrawing, deciding, settling, cancelling a trajectory with a pending
// application) first locks the call's row (SELECT … FOR UPDATE in
// PostgreSQL; SQLite's single writer with BEGIN IMMEDIATE does the same),
// then reads the committed amount and the waiting line, and writes, all in
// the caller's transaction. Two submissions at the same moment thus run one
// after the other, and never together take more than the remaining budget;
// the order of the lock is the order of submitted_at, which is the order of
// the waiting line.
//
// # The order of the locks
//
// A step that locks more than one row takes the locks in one order, so that
// two steps never wait for each other: the call first, then the trajectory,
// then mentors in ID order. Submitting and cancelling lock the call before
// the trajectory; settling locks the trajectory after the call, so that
// hours are not recorded while the settlement reads them; assigning a
// mentor and recording hours lock the mentor after the trajectory, so that
// a mentor's time is checked against all her trajectories at once (see
// workload.go).
package process

import (
	"context"
	"errors"
	"slices"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/call"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
)

// signedIn returns the viewer, or UNAUTHENTICATED for an anonymous caller:
// every step of the process needs someone who answers for it.
func signedIn(ctx context.Context) (*viewer.Viewer, error) {
	v := viewer.FromContext(ctx)
	if v.IsAnonymous() {
		return nil, apierr.New(apierr.Unauthenticated, "sign in to do this")
	}
	return v, nil
}

// notFound turns ent's not-found into NOT_FOUND naming what was looked for;
// other errors pass unchanged.
func notFound(what string, err error) error {
	if ent.IsNotFound(err) {
		return apierr.New(apierr.NotFound, "%s not found", what)
	}
	return err
}

// forUpdate locks the selected rows until the transaction ends. SQLite has
// no row locks and refuses the clause; there every transaction holds the
// database's single write lock from its start (BEGIN IMMEDIATE, see
// internal/db), which serialises writers all the same.
func forUpdate(s *sql.Selector) {
	if s.Dialect() == dialect.Postgres {
		s.ForUpdate()
	}
}

// lockCall locks the row of a call: the lock every change of the ledger
// takes first. Calls are public, so the viewer's own rights read it.
func lockCall(ctx context.Context, c *ent.Client, id int) error {
	ids, err := c.Call.Query().Where(call.ID(id)).Select(call.FieldID).Modify(forUpdate).Ints(ctx)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return apierr.New(apierr.NotFound, "call not found")
	}
	return nil
}

// callOf returns the call of a trajectory the viewer can see, read without
// a lock (a trajectory never changes call), so that a step can lock the
// call before the trajectory.
func callOf(ctx context.Context, c *ent.Client, trajectoryID int) (int, error) {
	t, err := c.Trajectory.Query().Where(trajectory.ID(trajectoryID)).Select(trajectory.FieldCallID).Only(ctx)
	if err != nil {
		return 0, notFound("trajectory", err)
	}
	return t.CallID, nil
}

// lockTrajectory locks a trajectory the viewer can see and loads it with
// its parties. The lock makes steps on one trajectory run one after the
// other: two signatures at the same moment both see the other's, and a
// double-clicked submission finds the first one's grant.
func lockTrajectory(ctx context.Context, c *ent.Client, id int) (*ent.Trajectory, error) {
	ids, err := c.Trajectory.Query().Where(trajectory.ID(id)).Select(trajectory.FieldID).Modify(forUpdate).Ints(ctx)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apierr.New(apierr.NotFound, "trajectory not found")
	}
	t, err := c.Trajectory.Query().Where(trajectory.ID(id)).WithGiving().WithReceiving().Only(ctx)
	return t, notFound("trajectory", err)
}

// sidesOn returns the viewer's sides on a trajectory whose parties are
// loaded. A viewer can hold several (staff of both municipalities, or a
// coordinator who is also staff); the state machine is asked for each.
func sidesOn(v *viewer.Viewer, t *ent.Trajectory) []domain.Side {
	var sides []domain.Side
	if g := t.Edges.Giving; g != nil && v.IsStaffOf(g.NisCode) {
		sides = append(sides, domain.Giving)
	}
	if r := t.Edges.Receiving; r != nil && v.IsStaffOf(r.NisCode) {
		sides = append(sides, domain.Receiving)
	}
	if v.Has(viewer.Coordinator) {
		sides = append(sides, domain.Coordinator)
	}
	if v.Has(viewer.Ministry) {
		sides = append(sides, domain.Ministry)
	}
	return sides
}

// sidesOf returns the viewer's sides where no trajectory is involved.
func sidesOf(v *viewer.Viewer) []domain.Side { return sidesOn(v, &ent.Trajectory{}) }

// next asks a state machine (domain.NextTrajectoryStatus or
// domain.NextGrantStatus) whether any of the viewer's sides may take action
// from status from, and returns the new status and the side that takes it.
// When no side may, the answer is CONFLICT if some side could take the
// action in another state, else FORBIDDEN.
func next[S ~string](machine func(S, domain.Action, domain.Side) (S, error), from S, action domain.Action, sides []domain.Side, what string) (S, domain.Side, error) {
	var conflict error
	for _, side := range sides {
		to, err := machine(from, action, side)
		switch {
		case err == nil:
			return to, side, nil
		case errors.Is(err, domain.ErrConflict):
			conflict = err
		case !errors.Is(err, domain.ErrForbidden):
			return from, "", err
		}
	}
	if conflict != nil {
		return from, "", apierr.New(apierr.Conflict, "cannot %s the %s: it is %s", action, what, statusName(string(from)))
	}
	return from, "", apierr.New(apierr.Forbidden, "you may not %s this %s", action, what)
}

func statusName(s string) string {
	if s == "" {
		return "not submitted"
	}
	return s
}

// requireSide returns FORBIDDEN unless the viewer holds side.
func requireSide(sides []domain.Side, side domain.Side, doing string) error {
	if slices.Contains(sides, side) {
		return nil
	}
	return apierr.New(apierr.Forbidden, "only the %s may %s", sideName(side), doing)
}

func sideName(s domain.Side) string {
	switch s {
	case domain.Giving:
		return "giving municipality"
	case domain.Receiving:
		return "receiving municipality"
	case domain.Coordinator:
		return "coordinator"
	case domain.Ministry:
		return "ministry"
	}
	return string(s)
}

// conflictFrom reports a domain.FieldError found in stored data rather than
// in the input (a salary missing for a planned month, say) as CONFLICT: the
// state of the trajectory does not allow the step until the data is fixed.
func conflictFrom(doing string, err error) error {
	var fe *domain.FieldError
	if errors.As(err, &fe) {
		return apierr.New(apierr.Conflict, "cannot %s: %s", doing, fe.Message)
	}
	return err
}

// badInput returns a BAD_USER_INPUT error on field.
func badInput(field, format string, args ...any) error {
	return apierr.BadInput(field, format, args...)
}

// asBadInput reports a domain.FieldError about the input as BAD_USER_INPUT
// on its field; other errors pass unchanged.
func asBadInput(err error) error {
	var fe *domain.FieldError
	if errors.As(err, &fe) {
		return badInput(fe.Field, "%s", fe.Message)
	}
	return err
}

// mustNotBeBlank checks a required text input.
func mustNotBeBlank(field, value string) error {
	for _, r := range value {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return nil
		}
	}
	return badInput(field, "%s is required", field)
}

// isTransition reports whether err is a refused transition of a state
// machine.
func isTransition(err error) bool {
	var te *domain.TransitionError
	return errors.As(err, &te)
}
