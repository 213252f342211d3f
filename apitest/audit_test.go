package apitest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"wisselaar/internal/testutil"
)

// auditEventsOp reads the audit trail with a filter.
const auditEventsOp = `query($where: AuditEventWhereInput, $first: Int, $after: Cursor) {
  auditEvents(where: $where, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id occurredAt actorSubject actorRoles onBehalfOf action entityType entityID requestID
      changes { field before after } } }
  }
}`

type auditEvent struct {
	ID           string
	OccurredAt   string
	ActorSubject string
	ActorRoles   []string
	OnBehalfOf   *string
	Action       string
	EntityType   string
	EntityID     string
	RequestID    string
	Changes      []struct {
		Field  string
		Before *string
		After  *string
	}
}

func (e auditEvent) change(field string) (before, after string, ok bool) {
	for _, c := range e.Changes {
		if c.Field == field {
			if c.Before != nil {
				before = *c.Before
			}
			if c.After != nil {
				after = *c.After
			}
			return before, after, true
		}
	}
	return "", "", false
}

type auditPage struct {
	AuditEvents struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
		Edges []struct{ Node auditEvent }
	}
}

func readAudit(t *testing.T, s *testutil.Server, login string, where map[string]any) []auditEvent {
	t.Helper()
	var page auditPage
	s.Query(t, login, auditEventsOp, map[string]any{"where": where, "first": 500}).Decode(t, &page)
	out := make([]auditEvent, 0, len(page.AuditEvents.Edges))
	for _, e := range page.AuditEvents.Edges {
		out = append(out, e.Node)
	}
	if page.AuditEvents.TotalCount != len(out) {
		t.Fatalf("totalCount %d, %d entries", page.AuditEvents.TotalCount, len(out))
	}
	return out
}

func subjectOf(t *testing.T, s *testutil.Server, login string) string {
	t.Helper()
	var v struct{ Viewer struct{ Subject string } }
	s.Query(t, login, `{ viewer { subject } }`, nil).Decode(t, &v)
	return v.Viewer.Subject
}

// TestAuditTrail follows one grant from submission to payment through the
// ministry's audit trail: who did each step, on behalf of which
// municipality, in which request, what changed; who read the mentor's
// salary; that a failed mutation leaves no entry; that no one but the
// ministry reads the trail.
func TestAuditTrail(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	f := newFixtureOn(t, s)
	ministry, mechelen := subjectOf(t, s, "ministry"), subjectOf(t, s, "mechelen")

	call := f.openCall()
	tr := f.agreed(call)
	g := f.approve(f.submit(tr))
	f.start(tr)
	var entries []map[string]any
	for m := 1; m <= 4; m++ {
		entries = append(entries, map[string]any{"mentorID": f.mentorID, "month": fmt.Sprintf("2027-%02d", m), "hours": 80})
	}
	f.must("mechelen", recordTimeEntriesOp, map[string]any{"trajectoryID": tr, "entries": entries})
	f.must("leuven", completeTrajectoryOp, map[string]any{"trajectoryID": tr, "evaluationReport": "Done."})
	settled := f.must("ministry", settleGrantOp, map[string]any{"grantID": g}).str(t, "settleGrant.grant.settled")

	// A payment above the settled amount fails: nothing of it is recorded.
	before := readAudit(t, s, "ministry", map[string]any{"entityID": g})
	if res := s.Query(t, "ministry", registerPaymentOp, map[string]any{"input": map[string]any{
		"grantID": g, "amount": "999999.00", "paidOn": "2027-10-01"}}); res.Code() == "" {
		t.Fatal("a payment above the settled amount was taken")
	}
	if after := readAudit(t, s, "ministry", map[string]any{"entityID": g}); len(after) != len(before) {
		t.Fatalf("a failed mutation left %d audit entries", len(after)-len(before))
	}
	f.must("ministry", registerPaymentOp, map[string]any{"grantID": g, "amount": settled, "paidOn": "2027-10-01"})

	// The grant's story, newest first.
	story := readAudit(t, s, "ministry", map[string]any{"entityType": "Grant", "entityID": g})
	var actions []string
	for _, e := range story {
		actions = append(actions, e.Action)
	}
	want := []string{"registerPayment", "settleGrant", "decideGrant", "submitGrantApplication"}
	if !slices.Equal(actions, want) {
		t.Fatalf("the grant's trail is %v, want %v", actions, want)
	}
	for i := 1; i < len(story); i++ {
		if story[i-1].OccurredAt < story[i].OccurredAt {
			t.Errorf("not newest first: %s before %s", story[i-1].OccurredAt, story[i].OccurredAt)
		}
	}
	submit, decide, pay := story[3], story[2], story[0]
	if submit.ActorSubject != mechelen || submit.OnBehalfOf == nil || *submit.OnBehalfOf != "12025" ||
		!slices.Contains(submit.ActorRoles, "municipality:12025") {
		t.Errorf("submission recorded as %s on behalf of %v with %v", submit.ActorSubject, submit.OnBehalfOf, submit.ActorRoles)
	}
	if b, a, ok := submit.change("status"); !ok || b != "" || a != "RESERVED" {
		t.Errorf("submission's status change: %q → %q (%v)", b, a, ok)
	}
	// References to other entities are shown as the global IDs the API
	// uses everywhere else.
	if _, a, ok := submit.change("trajectory_id"); !ok || a != tr {
		t.Errorf("submission's trajectory_id: %q (%v), want the trajectory's ID %s", a, ok, tr)
	}
	if decide.ActorSubject != ministry || decide.OnBehalfOf != nil || !slices.Contains(decide.ActorRoles, "ministry") {
		t.Errorf("decision recorded as %s on behalf of %v with %v", decide.ActorSubject, decide.OnBehalfOf, decide.ActorRoles)
	}
	if b, a, ok := decide.change("status"); !ok || b != "RESERVED" || a != "APPROVED" {
		t.Errorf("decision's status change: %q → %q", b, a)
	}
	if b, a, ok := decide.change("awarded"); !ok || b != "" || a != "7500.00" {
		t.Errorf("decision's awarded change: %q → %q", b, a)
	}
	if b, a, ok := pay.change("paid"); !ok || b != "0.00" || a != settled {
		t.Errorf("payment's paid change: %q → %q, want 0.00 → %s", b, a, settled)
	}
	for _, e := range story {
		if len(e.RequestID) < 8 || e.EntityType != "Grant" || e.EntityID != g {
			t.Errorf("%s: request %q, entity %s %s", e.Action, e.RequestID, e.EntityType, e.EntityID)
		}
		if _, _, ok := e.change("updated_at"); ok {
			t.Errorf("%s records updated_at", e.Action)
		}
	}
	// The payment itself is an entity of its own, created by the same request.
	payments := readAudit(t, s, "ministry", map[string]any{"entityType": "Payment", "action": "registerPayment"})
	if len(payments) == 0 || payments[0].RequestID != pay.RequestID {
		t.Errorf("the payment's creation is not in the trail with the grant's change: %+v", payments)
	}

	// Who read the salary of the mentor: the ministry and the giving
	// municipality, each recorded once per request.
	salaries := `query($id: ID!) { node(id: $id) { ... on Mentor { salaries { monthlyCost weeklyHours } } } }`
	for _, login := range []string{"ministry", "mechelen"} {
		if res := s.Query(t, login, salaries, map[string]any{"id": f.mentorID}); len(res.Errors) > 0 || !strings.Contains(string(res.Data), "7500.00") {
			t.Fatalf("%s reads the salary: %s %+v", login, res.Data, res.Errors)
		}
	}
	// The receiving side reads the mentor but not her salary: no entry.
	s.Query(t, "leuven", salaries, map[string]any{"id": f.mentorID})
	reads := readAudit(t, s, "ministry", map[string]any{"action": "READ_SALARY", "entityID": f.mentorID})
	var readers []string
	for _, e := range reads {
		readers = append(readers, e.ActorSubject)
		if e.EntityType != "Mentor" || len(e.Changes) != 0 {
			t.Errorf("a salary read recorded as %s with %d changes", e.EntityType, len(e.Changes))
		}
	}
	if !slices.Contains(readers, ministry) || !slices.Contains(readers, mechelen) || slices.Contains(readers, subjectOf(t, s, "leuven")) {
		t.Errorf("salary readers %v, want %s and %s", readers, ministry, mechelen)
	}

	// Filters on actor and time.
	mine := readAudit(t, s, "ministry", map[string]any{"actorSubject": mechelen, "entityID": g})
	if len(mine) != 1 || mine[0].Action != "submitGrantApplication" {
		t.Errorf("mechelen's entries on the grant: %+v", mine)
	}
	if got := readAudit(t, s, "ministry", map[string]any{"entityID": g, "occurredAtGTE": submit.OccurredAt, "occurredAtLT": decide.OccurredAt}); len(got) != 1 || got[0].Action != "submitGrantApplication" {
		t.Errorf("entries between submission and decision: %+v", got)
	}

	// Pagination: newest first, with a cursor.
	var page auditPage
	s.Query(t, "ministry", auditEventsOp, map[string]any{"where": map[string]any{"entityID": g}, "first": 2}).Decode(t, &page)
	if len(page.AuditEvents.Edges) != 2 || !page.AuditEvents.PageInfo.HasNextPage || page.AuditEvents.Edges[0].Node.ID != story[0].ID {
		t.Fatalf("first page: %+v", page.AuditEvents)
	}
	var next auditPage
	s.Query(t, "ministry", auditEventsOp, map[string]any{"where": map[string]any{"entityID": g}, "first": 2, "after": page.AuditEvents.PageInfo.EndCursor}).Decode(t, &next)
	if len(next.AuditEvents.Edges) != 2 || next.AuditEvents.Edges[0].Node.ID != story[2].ID {
		t.Fatalf("second page: %+v", next.AuditEvents)
	}

	// Only the ministry reads the trail.
	for _, login := range []string{"mechelen", "leuven", "vvsg", "analyst", "partner"} {
		var p auditPage
		s.Query(t, login, auditEventsOp, map[string]any{"where": map[string]any{"entityID": g}}).Decode(t, &p)
		if p.AuditEvents.TotalCount != 0 || len(p.AuditEvents.Edges) != 0 {
			t.Errorf("%s reads %d audit entries", login, p.AuditEvents.TotalCount)
		}
	}
	if res := s.Query(t, "", auditEventsOp, nil); res.Code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous: %q, want UNAUTHENTICATED", res.Code())
	}
	if res := s.Query(t, "mechelen", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": story[0].ID}); string(res.Data) != `{"node":null}` {
		t.Errorf("mechelen reads an audit entry by ID: %s", res.Data)
	}
}

// TestAuditTrailIsAppendOnly: the database itself refuses to change or
// remove an entry, whoever asks; the API has no way to ask.
func TestAuditTrailIsAppendOnly(t *testing.T) {
	d := testutil.SeededPostgres(t)
	s := testutil.NewServer(t, d, nil)
	f := newFixtureOn(t, s)
	f.openCall()
	ctx := context.Background()
	var n int
	if err := d.SQL.QueryRowContext(ctx, `SELECT count(*) FROM audit_events WHERE action = 'createCall'`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("no entry of createCall (%v)", err)
	}
	for _, st := range []string{
		`UPDATE audit_events SET actor_subject = 'someone else'`,
		`DELETE FROM audit_events WHERE action = 'createCall'`,
		`TRUNCATE audit_events`,
	} {
		if _, err := d.SQL.ExecContext(ctx, st); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want a refusal", st, err)
		}
	}
	var after int
	if err := d.SQL.QueryRowContext(ctx, `SELECT count(*) FROM audit_events WHERE action = 'createCall' AND actor_subject <> 'someone else'`).Scan(&after); err != nil || after != n {
		t.Errorf("%d entries of createCall left unchanged, want %d (%v)", after, n, err)
	}
	// The ent client refuses as well, even as the system.
	var mutations []string
	var schema struct {
		Schema struct {
			MutationType struct{ Fields []struct{ Name string } }
		} `json:"__schema"`
	}
	s.Query(t, "ministry", `{ __schema { mutationType { fields { name } } } }`, nil).Decode(t, &schema)
	for _, m := range schema.Schema.MutationType.Fields {
		if strings.Contains(strings.ToLower(m.Name), "audit") {
			mutations = append(mutations, m.Name)
		}
	}
	if len(mutations) > 0 {
		t.Errorf("mutations on the audit trail: %v", mutations)
	}
}
