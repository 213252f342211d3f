package graph_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"wisselaar/ent/privacy"
	"wisselaar/ent/viewer"
	"wisselaar/graph/scalar"
)

const (
	acceptTrajectory  = `mutation($input: AcceptTrajectoryInput!) { acceptTrajectory(input: $input) { trajectory { id status givingAcceptedAt receivingAcceptedAt } } }`
	declineTrajectory = `mutation($input: DeclineTrajectoryInput!) { declineTrajectory(input: $input) { trajectory { id status } } }`
)

type acceptance struct {
	ID, Status                            string
	GivingAcceptedAt, ReceivingAcceptedAt *string
}

// propose has the coordinator propose a match from Mechelen to Leuven
// under a new call, and returns the trajectory's ID.
func (a *api) propose(t *testing.T, callName string, proposed any) (string, string) {
	t.Helper()
	var cc struct {
		CreateCall struct{ Call struct{ ID string } }
	}
	now := time.Now()
	a.must("ministry", createCall, in(map[string]any{
		"name": callName, "year": 2027,
		"opensAt": now.Add(-time.Hour).Format(time.RFC3339), "closesAt": now.AddDate(0, 1, 0).Format(time.RFC3339),
		"budget": "100000.00", "perProjectCap": "50000.00", "compensationPercent": 50,
	}), &cc)
	input := map[string]any{
		"callID": cc.CreateCall.Call.ID, "givingID": a.ids["mechelen"], "receivingID": a.ids["leuven"], "form": "MENTORING",
		"title": "Proposed exchange", "plannedStart": "2027-01-01", "plannedEnd": "2027-04-30",
	}
	if proposed != nil {
		input["proposed"] = proposed
	}
	var ct struct {
		CreateTrajectory struct{ Trajectory struct{ ID, Status string } }
	}
	a.must("vvsg", createTrajectory, in(input), &ct)
	return ct.CreateTrajectory.Trajectory.ID, ct.CreateTrajectory.Trajectory.Status
}

// TestAcceptTrajectory proposes a match and has both sides accept it; the
// steps that are not theirs, or not now, answer their codes and change
// nothing.
func TestAcceptTrajectory(t *testing.T) {
	a := newAPI(t)

	// Without proposed (or with false) the coordinator's match is MATCHED at
	// once, as before; accepting it is CONFLICT.
	matched, status := a.propose(t, "Matched", nil)
	if status != "MATCHED" {
		t.Fatalf("a trajectory created without proposed is %s, want MATCHED", status)
	}
	if _, status := a.propose(t, "Matched too", false); status != "MATCHED" {
		t.Fatalf("a trajectory created with proposed: false is %s, want MATCHED", status)
	}
	tr, status := a.propose(t, "Proposed", true)
	if status != "PROPOSED" {
		t.Fatalf("a proposed trajectory is %s, want PROPOSED", status)
	}
	id := map[string]any{"trajectoryID": tr}

	refused := []struct {
		name, who, query string
		input            map[string]any
		code             string
	}{
		{"anonymous accepts", "", acceptTrajectory, id, "UNAUTHENTICATED"},
		{"staff of an unrelated municipality accept", "brugge", acceptTrajectory, id, "NOT_FOUND"},
		{"the coordinator accepts", "vvsg", acceptTrajectory, id, "FORBIDDEN"},
		{"the ministry accepts", "ministry", acceptTrajectory, id, "FORBIDDEN"},
		{"an analyst accepts", "analyst", acceptTrajectory, id, "FORBIDDEN"},
		{"accepting an unknown trajectory", "mechelen", acceptTrajectory, map[string]any{"trajectoryID": scalar.EncodeID(999_999_999)}, "NOT_FOUND"},
		{"accepting a MATCHED trajectory", "mechelen", acceptTrajectory, map[string]any{"trajectoryID": matched}, "CONFLICT"},
		{"signing before both accepted", "mechelen", signAgreement, id, "CONFLICT"},
	}
	tryRefused := func(t *testing.T) {
		for _, tt := range refused {
			t.Run(tt.name, func(t *testing.T) {
				before := a.snapshot()
				res := a.do(tt.who, tt.query, in(tt.input))
				if res.code() != tt.code {
					t.Errorf("got %s: %+v; want %s", res.code(), res.Errors, tt.code)
				}
				if a.snapshot() != before {
					t.Errorf("the refused step changed the database")
				}
			})
		}
	}
	t.Run("refused before any acceptance", tryRefused)

	// The giving side accepts: its acceptance is stored, the trajectory
	// stays PROPOSED until the other side accepts too.
	var out struct {
		AcceptTrajectory struct{ Trajectory acceptance }
	}
	a.must("mechelen", acceptTrajectory, in(id), &out)
	if got := out.AcceptTrajectory.Trajectory; got.Status != "PROPOSED" || got.GivingAcceptedAt == nil || got.ReceivingAcceptedAt != nil {
		t.Fatalf("after the giving side accepted: %+v", got)
	}

	refused = append(refused, struct {
		name, who, query string
		input            map[string]any
		code             string
	}{"the giving side accepts twice", "mechelen", acceptTrajectory, id, "CONFLICT"})
	t.Run("refused after the giving side accepted", tryRefused)

	// The receiving side accepts: MATCHED, with both acceptances.
	a.must("leuven", acceptTrajectory, in(id), &out)
	if got := out.AcceptTrajectory.Trajectory; got.Status != "MATCHED" || got.GivingAcceptedAt == nil || got.ReceivingAcceptedAt == nil {
		t.Fatalf("after both sides accepted: %+v", got)
	}
	for _, who := range []string{"mechelen", "leuven"} {
		before := a.snapshot()
		if res := a.do(who, acceptTrajectory, in(id)); res.code() != "CONFLICT" {
			t.Errorf("%s accepts a MATCHED trajectory: got %s, want CONFLICT", who, res.code())
		}
		if a.snapshot() != before {
			t.Errorf("%s's refused acceptance changed the database", who)
		}
	}
	// The accepted match goes on as any other: the parties sign it.
	var sa struct {
		SignAgreement struct{ Trajectory struct{ Status string } }
	}
	a.must("mechelen", signAgreement, in(id), &sa)
	a.must("leuven", signAgreement, in(id), &sa)
	if sa.SignAgreement.Trajectory.Status != "AGREED" {
		t.Errorf("after both signatures: %s", sa.SignAgreement.Trajectory.Status)
	}

	// The receiving side may accept first, and either side may still
	// decline a proposal the other accepted.
	t.Run("receiving first, then the giving side declines", func(t *testing.T) {
		tr, _ := a.propose(t, "Declined", true)
		id := map[string]any{"trajectoryID": tr}
		a.must("leuven", acceptTrajectory, in(id), &out)
		if got := out.AcceptTrajectory.Trajectory; got.Status != "PROPOSED" || got.GivingAcceptedAt != nil || got.ReceivingAcceptedAt == nil {
			t.Fatalf("after the receiving side accepted: %+v", got)
		}
		if res := a.do("leuven", acceptTrajectory, in(id)); res.code() != "CONFLICT" {
			t.Errorf("the receiving side accepts twice: got %s, want CONFLICT", res.code())
		}
		var dec struct {
			DeclineTrajectory struct{ Trajectory struct{ Status string } }
		}
		a.must("mechelen", declineTrajectory, in(id), &dec)
		if dec.DeclineTrajectory.Trajectory.Status != "DECLINED" {
			t.Errorf("declined proposal is %s", dec.DeclineTrajectory.Trajectory.Status)
		}
		if res := a.do("mechelen", acceptTrajectory, in(id)); res.code() != "CONFLICT" {
			t.Errorf("accepting a declined trajectory: got %s, want CONFLICT", res.code())
		}
	})

	// Behind the process, the privacy rules let a side give only its own
	// consent: the receiving side cannot write the giving side's acceptance
	// or signature, even directly through ent.
	t.Run("a side gives only its own consent", func(t *testing.T) {
		tr, _ := a.propose(t, "Consent", true)
		gid, err := scalar.DecodeID(tr)
		if err != nil {
			t.Fatal(err)
		}
		leuven := viewer.NewContext(context.Background(), viewers["leuven"])
		for name, err := range map[string]error{
			"giving acceptance": a.client.Trajectory.UpdateOneID(gid).SetGivingAcceptedAt(time.Now()).Exec(leuven),
			"giving signature":  a.client.Trajectory.UpdateOneID(gid).SetGivingSignedAt(time.Now()).Exec(leuven),
		} {
			if !errors.Is(err, privacy.Deny) {
				t.Errorf("the receiving side wrote the %s: %v", name, err)
			}
		}
		if err := a.client.Trajectory.UpdateOneID(gid).SetReceivingAcceptedAt(time.Now()).Exec(leuven); err != nil {
			t.Errorf("the receiving side may write its own acceptance: %v", err)
		}
	})
}
