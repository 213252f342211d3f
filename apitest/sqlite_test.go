package apitest

import (
	"testing"

	"wisselaar/internal/testutil"
)

// TestTimesWithAnOffsetReadBack checks, on the embedded database, that a
// call created with times in a fixed offset (as clients send them) reads
// back: the zero-setup run must survive the first createCall.
func TestTimesWithAnOffsetReadBack(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededSQLite(t), nil)
	r := s.Query(t, "ministry", `mutation { createCall(input: {name: "Offset call", year: 2031,
		opensAt: "2031-01-01T00:00:00+01:00", closesAt: "2031-10-31T23:59:59+01:00",
		budget: "1000.00", perProjectCap: "500.00", compensationPercent: 50}) { call { opensAt closesAt } } }`, nil)
	var created struct {
		CreateCall struct {
			Call struct{ OpensAt, ClosesAt string }
		}
	}
	r.Decode(t, &created)
	var calls struct {
		Calls struct {
			Edges []struct {
				Node struct{ Name, OpensAt string }
			}
		}
	}
	s.Query(t, "", `{ calls(where: {year: 2031}) { edges { node { name opensAt } } } }`, nil).Decode(t, &calls)
	if len(calls.Calls.Edges) != 1 || calls.Calls.Edges[0].Node.OpensAt != created.CreateCall.Call.OpensAt {
		t.Errorf("calls after createCall: %+v (created %+v)", calls, created)
	}
}
