// Package synctime keeps a trajectory's updated_at the clock that partner
// tools sync on (trajectories ordered by updatedAt, then ID, from the last
// cursor or updatedAtGTE).
//
// Two things make that clock trustworthy:
//
//   - every change to a trajectory, to its grant (and so to the grant's
//     payments, which change the grant's paid total) or to its themes bumps
//     the trajectory's updated_at in the same transaction: the hooks of this
//     package, installed on the Trajectory and Grant schemas;
//   - a sync never skips a change because of the order in which
//     transactions commit. A transaction that stamped "10:00:01" but
//     commits after one that stamped "10:00:02" would appear behind a
//     partner's cursor that already passed "10:00:02". So, in PostgreSQL,
//     a transaction that changed trajectories stamps them once more at
//     commit, under one transaction-level advisory lock, with the clock
//     read after taking the lock (and strictly after every stamp already
//     in the table): stamps are then in commit order, and a reader that saw
//     a stamp has seen every earlier one. The lock is held only for that
//     last statement and the commit, on rows the transaction already
//     holds, so it waits for nothing but other commits. SQLite serialises
//     writing transactions from their start (BEGIN IMMEDIATE), which gives
//     the same order without it.
package synctime

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	gen "wisselaar/ent"
	"wisselaar/ent/grant"
	"wisselaar/ent/hook"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
)

// lockKey is the advisory lock that orders the commits of trajectory
// changes ("wissel" in ASCII).
const lockKey = 0x776973736c

// changed collects the trajectories a transaction changed.
type changed struct {
	mu  sync.Mutex
	ids map[int]bool
}

type ctxKey struct{}

func (c *changed) add(ids ...int) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		c.ids[id] = true
	}
}

func (c *changed) list() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]int, 0, len(c.ids))
	for id := range c.ids {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// OpenTx opens a transaction of client as ent's OpenTx does, and stamps
// the trajectories it changes at commit (see the package comment). It is
// the TxOpener of the GraphQL mutations.
func OpenTx(ctx context.Context, client *gen.Client) (context.Context, *gen.Tx, error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return nil, nil, err
	}
	c := &changed{ids: map[int]bool{}}
	ctx = context.WithValue(ctx, ctxKey{}, c)
	tx.OnCommit(func(next gen.Committer) gen.Committer {
		return gen.CommitFunc(func(ctx context.Context, tx *gen.Tx) error {
			if err := stamp(ctx, tx, c.list()); err != nil {
				return err
			}
			return next.Commit(ctx, tx)
		})
	})
	ctx = gen.NewTxContext(ctx, tx)
	ctx = gen.NewContext(ctx, tx.Client())
	return ctx, tx, nil
}

// stamp restamps the changed trajectories in commit order (PostgreSQL).
func stamp(ctx context.Context, tx *gen.Tx, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	// Internal bookkeeping of a permitted mutation: the rows are the
	// transaction's own changes.
	sys := viewer.SystemContext(ctx)
	postgres := false
	// The dialect is the driver's; the selector knows it. The query reads
	// the rows this transaction already locked by writing them.
	if _, err := tx.Client().Trajectory.Query().Where(trajectory.IDIn(ids...)).
		Modify(func(s *sql.Selector) { postgres = s.Dialect() == dialect.Postgres }).IDs(sys); err != nil {
		return err
	}
	if !postgres {
		return nil
	}
	if _, err := tx.ExecContext(sys, "SELECT pg_advisory_xact_lock($1)", lockKey); err != nil {
		return err
	}
	in := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		in[i], args[i] = "$"+strconv.Itoa(i+1), id
	}
	_, err := tx.ExecContext(sys, `UPDATE trajectories SET updated_at = GREATEST(clock_timestamp(),
		(SELECT max(updated_at) FROM trajectories) + interval '1 microsecond')
		WHERE id IN (`+strings.Join(in, ", ")+`)`, args...)
	return err
}

// TrajectoryHook records the trajectories a mutation changes; their own
// updated_at is bumped by its update default.
func TrajectoryHook() gen.Hook {
	return func(next gen.Mutator) gen.Mutator {
		return hook.TrajectoryFunc(func(ctx context.Context, m *gen.TrajectoryMutation) (gen.Value, error) {
			c, _ := ctx.Value(ctxKey{}).(*changed)
			var ids []int
			if !m.Op().Is(gen.OpCreate) {
				var err error
				if ids, err = m.IDs(ctx); err != nil {
					return nil, err
				}
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			if t, ok := v.(*gen.Trajectory); ok && m.Op().Is(gen.OpCreate) {
				ids = append(ids, t.ID)
			}
			c.add(ids...)
			return v, nil
		})
	}
}

// GrantHook bumps the updated_at of the trajectory of every grant a
// mutation changes, in the mutation's transaction.
func GrantHook() gen.Hook {
	return func(next gen.Mutator) gen.Mutator {
		return hook.GrantFunc(func(ctx context.Context, m *gen.GrantMutation) (gen.Value, error) {
			var ids []int
			if !m.Op().Is(gen.OpCreate) {
				var err error
				if ids, err = m.IDs(ctx); err != nil {
					return nil, err
				}
			}
			v, err := next.Mutate(ctx, m)
			if err != nil {
				return nil, err
			}
			// The grant's trajectory is bookkeeping of a permitted change
			// of the grant: the viewer may change the grant, not
			// necessarily the trajectory row.
			sys := viewer.SystemContext(ctx)
			var trajectories []int
			if g, ok := v.(*gen.Grant); ok && m.Op().Is(gen.OpCreate) {
				trajectories = []int{g.TrajectoryID}
			} else if len(ids) > 0 {
				if trajectories, err = m.Client().Grant.Query().Where(grant.IDIn(ids...)).
					Select(grant.FieldTrajectoryID).Ints(sys); err != nil {
					return nil, err
				}
			}
			if len(trajectories) == 0 {
				return v, nil
			}
			if err := m.Client().Trajectory.Update().Where(trajectory.IDIn(trajectories...)).
				SetUpdatedAt(time.Now()).Exec(sys); err != nil {
				return nil, err
			}
			return v, nil
		})
	}
}
