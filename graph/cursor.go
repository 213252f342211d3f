package graph

import (
	"time"

	"entgo.io/contrib/entgql"

	"wisselaar/ent"
	"wisselaar/internal/apierr"
)

// checkTrajectoryCursors refuses a cursor that another ordering of the
// trajectories made: a cursor holds the last row's ID and its value of the
// order field, and one of another field would be compared with the wrong
// column and answer a wrong page. Partner tools that sync on updatedAt must
// get BAD_USER_INPUT instead, naming the argument.
func checkTrajectoryCursors(order *ent.TrajectoryOrder, cursors map[string]*entgql.Cursor[int]) error {
	for arg, c := range cursors {
		if c == nil {
			continue
		}
		ok := false
		switch {
		case order == nil || order.Field == nil:
			ok = c.Value == nil
		case order.Field.String() == ent.TrajectoryOrderFieldUpdatedAt.String() ||
			order.Field.String() == ent.TrajectoryOrderFieldCreatedAt.String() ||
			order.Field.String() == ent.TrajectoryOrderFieldPlannedStart.String():
			_, ok = c.Value.(time.Time)
		default:
			_, ok = c.Value.(string)
		}
		if !ok {
			return apierr.BadInput(arg, "this cursor belongs to another query or ordering; start again without it")
		}
	}
	return nil
}
