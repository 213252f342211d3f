// Package outbox notes, during a mutation's transaction, what happened that
// someone outside should hear about: a trajectory or a grant that changed
// status (webhook events), a step that now waits for someone (e-mail). The
// hooks of this package, installed on the Trajectory and Grant schemas, note
// the facts; at commit, in the same transaction, package jobs turns them
// into outbox rows and queued jobs (the transactional outbox), so an event
// is sent if and only if its change was committed.
//
// Outside a transaction that asked for it (Track), the hooks note nothing:
// seeding and the nightly sweep tell no one.
package outbox

import (
	"context"
	"slices"
	"sync"

	gen "wisselaar/ent"
	"wisselaar/ent/grant"
	"wisselaar/ent/hook"
	"wisselaar/ent/trajectory"
)

// Step is a step of a trajectory that someone else waits on afterwards.
type Step int

// The steps of a trajectory that leave the other side waiting.
const (
	// Proposed: the coordinator proposed a match; both sides must accept.
	Proposed Step = iota + 1
	// GivingAccepted, ReceivingAccepted: one side accepted a proposal.
	GivingAccepted
	ReceivingAccepted
	// GivingSigned, ReceivingSigned: one side signed the agreement.
	GivingSigned
	ReceivingSigned
)

// GrantChange is what happened to one grant in the transaction: its
// status before the first change (empty for a new grant) and after.
type GrantChange struct {
	ID       int
	From, To grant.Status
}

// Changes collects the facts of one transaction.
type Changes struct {
	mu           sync.Mutex
	trajectories map[int]bool   // status changed (or created)
	steps        map[int][]Step // steps taken, per trajectory
	grants       map[int]*GrantChange
	order        []int // grants in the order first changed
}

type ctxKey struct{}

// Track returns a context whose mutations are noted in the returned
// Changes.
func Track(ctx context.Context) (context.Context, *Changes) {
	c := &Changes{trajectories: map[int]bool{}, steps: map[int][]Step{}, grants: map[int]*GrantChange{}}
	return context.WithValue(ctx, ctxKey{}, c), c
}

func fromContext(ctx context.Context) *Changes {
	c, _ := ctx.Value(ctxKey{}).(*Changes)
	return c
}

// Trajectories returns the trajectories whose status changed, or that were
// created, in ID order.
func (c *Changes) Trajectories() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []int
	for id := range c.trajectories {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Steps returns the steps taken on each trajectory.
func (c *Changes) Steps() map[int][]Step {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[int][]Step, len(c.steps))
	for id, s := range c.steps {
		out[id] = slices.Clone(s)
	}
	return out
}

// Grants returns the grants changed, in the order first changed.
func (c *Changes) Grants() []GrantChange {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]GrantChange, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, *c.grants[id])
	}
	return out
}

// Empty reports whether nothing was noted.
func (c *Changes) Empty() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.trajectories) == 0 && len(c.steps) == 0 && len(c.grants) == 0
}

func (c *Changes) trajectory(id int, statusChanged bool, steps ...Step) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if statusChanged {
		c.trajectories[id] = true
	}
	for _, s := range steps {
		if !slices.Contains(c.steps[id], s) {
			c.steps[id] = append(c.steps[id], s)
		}
	}
}

func (c *Changes) grant(id int, from, to grant.Status) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if g, ok := c.grants[id]; ok {
		if to != "" {
			g.To = to
		}
		return
	}
	c.grants[id] = &GrantChange{ID: id, From: from, To: to}
	c.order = append(c.order, id)
}

// TrajectoryHook notes created trajectories, status changes and the steps
// of acceptance and signature.
func TrajectoryHook() gen.Hook {
	return func(next gen.Mutator) gen.Mutator {
		return hook.TrajectoryFunc(func(ctx context.Context, m *gen.TrajectoryMutation) (gen.Value, error) {
			c := fromContext(ctx)
			if c == nil || !m.Op().Is(gen.OpCreate|gen.OpUpdateOne) {
				return next.Mutate(ctx, m)
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			t, ok := v.(*gen.Trajectory)
			if !ok {
				return v, nil
			}
			status, statusSet := m.Status()
			var steps []Step
			if m.Op().Is(gen.OpCreate) && status == trajectory.StatusPROPOSED {
				steps = append(steps, Proposed)
			}
			if _, ok := m.GivingAcceptedAt(); ok {
				steps = append(steps, GivingAccepted)
			}
			if _, ok := m.ReceivingAcceptedAt(); ok {
				steps = append(steps, ReceivingAccepted)
			}
			if _, ok := m.GivingSignedAt(); ok {
				steps = append(steps, GivingSigned)
			}
			if _, ok := m.ReceivingSignedAt(); ok {
				steps = append(steps, ReceivingSigned)
			}
			c.trajectory(t.ID, statusSet || m.Op().Is(gen.OpCreate), steps...)
			return v, nil
		})
	}
}

// GrantHook notes every change of a grant's status, with the status
// before the transaction's first change.
func GrantHook() gen.Hook {
	return func(next gen.Mutator) gen.Mutator {
		return hook.GrantFunc(func(ctx context.Context, m *gen.GrantMutation) (gen.Value, error) {
			c := fromContext(ctx)
			to, statusSet := m.Status()
			if c == nil || !statusSet || !m.Op().Is(gen.OpCreate|gen.OpUpdateOne) {
				return next.Mutate(ctx, m)
			}
			var from grant.Status
			if m.Op().Is(gen.OpUpdateOne) {
				old, err := m.OldStatus(ctx)
				if err != nil {
					return nil, err
				}
				from = old
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			if g, ok := v.(*gen.Grant); ok && from != to {
				c.grant(g.ID, from, to)
			}
			return v, nil
		})
	}
}
