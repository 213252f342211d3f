package apitest

import (
	"testing"

	"wisselaar/internal/db"
	"wisselaar/internal/testutil"
)

// TestEdgesAgreeWithLists checks, for every kind of viewer, that reaching
// things through an edge shows exactly what the root lists show: the
// trajectories under calls, municipalities and themes add up to the
// viewer's trajectories, the mentors under municipalities to the viewer's
// mentors, and every visible grant, salary and assignment reaches back to
// its owner. Privacy is enforced on the entity, so no edge is a side door.
func TestEdgesAgreeWithLists(t *testing.T) {
	databases(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d, nil)
		const q = `{
		  trajectories(first: 100) { totalCount }
		  grants(first: 100) { totalCount edges { node { trajectory { id } call { id } } } }
		  mentors(first: 100) { totalCount edges { node { municipality { id } salaries { mentor { id } } trajectories { id } } } }
		  calls(first: 10) { edges { node { trajectories { totalCount } grants { totalCount } } } }
		  municipalities(first: 50) { edges { node { mentors { totalCount } givingTrajectories { totalCount } receivingTrajectories { totalCount } } } }
		}`
		type count struct{ TotalCount int }
		var res struct {
			Trajectories count
			Grants       struct {
				TotalCount int
				Edges      []struct {
					Node struct{ Trajectory, Call *struct{ ID string } }
				}
			}
			Mentors struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Municipality *struct{ ID string }
						Salaries     []struct{ Mentor *struct{ ID string } }
						Trajectories []struct{ ID string }
					}
				}
			}
			Calls struct {
				Edges []struct {
					Node struct{ Trajectories, Grants count }
				}
			}
			Municipalities struct {
				Edges []struct {
					Node struct{ Mentors, GivingTrajectories, ReceivingTrajectories count }
				}
			}
		}
		for _, login := range []string{"ministry", "vvsg", "analyst", "partner", "mechelen", "leuven", "kortrijk", "brugge"} {
			t.Run(login, func(t *testing.T) {
				s.Query(t, login, q, nil).Decode(t, &res)
				var underCalls, grantsUnderCalls, giving, receiving, mentors int
				for _, c := range res.Calls.Edges {
					underCalls += c.Node.Trajectories.TotalCount
					grantsUnderCalls += c.Node.Grants.TotalCount
				}
				for _, m := range res.Municipalities.Edges {
					giving += m.Node.GivingTrajectories.TotalCount
					receiving += m.Node.ReceivingTrajectories.TotalCount
					mentors += m.Node.Mentors.TotalCount
				}
				n := res.Trajectories.TotalCount
				if n == 0 || underCalls != n || grantsUnderCalls != res.Grants.TotalCount {
					t.Errorf("trajectories %d, under calls %d; grants %d, under calls %d", n, underCalls, res.Grants.TotalCount, grantsUnderCalls)
				}
				// Each trajectory has one giving and one receiving party; a
				// viewer sees it under both when it sees it at all.
				if giving != n || receiving != n {
					t.Errorf("trajectories %d, under giving %d, under receiving %d", n, giving, receiving)
				}
				if mentors != res.Mentors.TotalCount {
					t.Errorf("mentors %d, under municipalities %d", res.Mentors.TotalCount, mentors)
				}
				for _, g := range res.Grants.Edges {
					if g.Node.Trajectory == nil || g.Node.Call == nil {
						t.Errorf("a visible grant lost its trajectory or call: %+v", g.Node)
					}
				}
				for _, m := range res.Mentors.Edges {
					if m.Node.Municipality == nil || len(m.Node.Trajectories) == 0 {
						t.Errorf("a visible mentor lost its municipality or trajectories: %+v", m.Node)
					}
					for _, sal := range m.Node.Salaries {
						if sal.Mentor == nil {
							t.Error("a visible salary lost its mentor")
						}
					}
				}
			})
		}
		if r := s.Query(t, "", q, nil); r.Code() != "UNAUTHENTICATED" {
			t.Errorf("anonymous: %+v", r.Errors)
		}
	})
}
