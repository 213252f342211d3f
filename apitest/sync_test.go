package apitest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"wisselaar/ent"
	"wisselaar/ent/synctime"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/testutil"
)

// syncPage is one page of the partner's sync query.
type syncPage struct {
	Trajectories struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
		Edges []struct {
			Cursor string
			Node   struct {
				ID, Title, Status, UpdatedAt string
				Grant                        *struct{ Status, Paid string }
			}
		}
	}
}

const syncQuery = `query($after: Cursor, $since: Time) {
  trajectories(first: 2, after: $after, orderBy: {field: UPDATED_AT, direction: ASC}, where: {updatedAtGTE: $since}) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id title status updatedAt grant { status paid } } }
  } }`

// syncAll pages through the partner's sync from since, calling between
// after each page.
func syncAll(t *testing.T, s *testutil.Server, since *string, between func(page int)) (versions []string, last map[string]string, status map[string]string) {
	t.Helper()
	last, status = map[string]string{}, map[string]string{}
	var after *string
	for page := 0; ; page++ {
		var p syncPage
		s.Query(t, "partner", syncQuery, map[string]any{"after": after, "since": since}).Decode(t, &p)
		for _, e := range p.Trajectories.Edges {
			versions = append(versions, e.Node.ID+"@"+e.Node.UpdatedAt)
			last[e.Node.ID] = e.Node.UpdatedAt
			status[e.Node.ID] = e.Node.Status
		}
		if !p.Trajectories.PageInfo.HasNextPage {
			return versions, last, status
		}
		if page > 50 {
			t.Fatal("the sync does not end")
		}
		after = p.Trajectories.PageInfo.EndCursor
		if between != nil {
			between(page)
		}
	}
}

// TestIncrementalSync pages through the trajectories as a partner tool does
// while other requests change trajectories, a grant and its payments, and
// cancel a trajectory between the pages: every trajectory arrives, each
// version once, the last version of each is its current one, the
// cancelled trajectory stays listed with its status, and a second sync
// from the last stamp seen fetches only what changed after it.
func TestIncrementalSync(t *testing.T) {
	s := testutil.NewServer(t, testutil.ScenarioPostgres(t), nil)
	var all struct {
		Trajectories struct {
			Edges []struct {
				Node struct {
					ID, Title, UpdatedAt string
					Grant                *struct{ ID, Status string }
				}
			}
		}
	}
	s.Query(t, "ministry", `{ trajectories(first: 100) { edges { node { id title updatedAt grant { id status } } } } }`, nil).Decode(t, &all)
	ids := map[string]string{}
	var approvedGrant string
	for _, e := range all.Trajectories.Edges {
		ids[e.Node.Title] = e.Node.ID
		if e.Node.Grant != nil && e.Node.Grant.Status == "APPROVED" {
			approvedGrant = e.Node.Grant.ID
		}
	}
	mutate := func(login, query string, vars map[string]any) {
		t.Helper()
		if r := s.Query(t, login, query, vars); len(r.Errors) > 0 {
			t.Fatalf("%s: %+v", query, r.Errors)
		}
	}
	changes := []func(){
		// A trajectory's own change, on one not yet fetched or fetched.
		func() {
			mutate("mechelen", `mutation($id: ID!) { updateActionPlan(input: {trajectoryID: $id, actionPlan: "Nieuw plan"}) { trajectory { id } } }`,
				map[string]any{"id": ids["Schuldhulp in de eerste lijn"]})
		},
		// A payment changes the grant, and so the trajectory.
		func() {
			mutate("ministry", `mutation($id: ID!) { registerPayment(input: {grantID: $id, amount: "500.00", paidOn: "2026-09-01"}) { grant { id } } }`,
				map[string]any{"id": approvedGrant})
		},
		// A cancellation ends the trajectory; it stays listed.
		func() {
			mutate("vvsg", `mutation($id: ID!) { cancelTrajectory(input: {trajectoryID: $id}) { trajectory { id } } }`,
				map[string]any{"id": ids["Digitaal sociaal dossier"]})
		},
		func() {
			mutate("ministry", `mutation($id: ID!) { registerPayment(input: {grantID: $id, amount: "250.00", paidOn: "2026-09-02"}) { grant { id } } }`,
				map[string]any{"id": approvedGrant})
		},
	}
	versions, last, status := syncAll(t, s, nil, func(page int) {
		if page < len(changes) {
			changes[page]()
		}
	})
	seen := map[string]bool{}
	for _, v := range versions {
		if seen[v] {
			t.Errorf("version %s fetched twice", v)
		}
		seen[v] = true
	}
	// What the partner holds now is what the server holds now.
	var now struct {
		Trajectories struct {
			TotalCount int
			Edges      []struct {
				Node struct{ ID, Status, UpdatedAt string }
			}
		}
	}
	s.Query(t, "partner", `{ trajectories(first: 100) { totalCount edges { node { id status updatedAt } } } }`, nil).Decode(t, &now)
	if len(last) != now.Trajectories.TotalCount || len(last) < 6 {
		t.Errorf("synced %d trajectories, the partner reads %d", len(last), now.Trajectories.TotalCount)
	}
	for _, e := range now.Trajectories.Edges {
		if last[e.Node.ID] != e.Node.UpdatedAt || status[e.Node.ID] != e.Node.Status {
			t.Errorf("trajectory %s: synced %s %s, current %s %s", e.Node.ID, status[e.Node.ID], last[e.Node.ID], e.Node.Status, e.Node.UpdatedAt)
		}
	}
	if status[ids["Digitaal sociaal dossier"]] != "CANCELLED" || status[ids["Participatieraad met ervaringsdeskundigen"]] != "CANCELLED" {
		t.Errorf("cancelled trajectories not synced as CANCELLED: %v", status)
	}
	// Each change moved its trajectory past every stamp before it.
	var before string
	for _, e := range all.Trajectories.Edges {
		if e.Node.UpdatedAt > before {
			before = e.Node.UpdatedAt
		}
	}
	for _, title := range []string{"Schuldhulp in de eerste lijn", "Digitaal sociaal dossier", "Uithuiszettingen voorkomen met de vrederechter"} {
		if !laterThan(t, last[ids[title]], before) {
			t.Errorf("%s: updatedAt %s not bumped past %s", title, last[ids[title]], before)
		}
	}

	// The next sync starts at the last stamp seen: it fetches the last
	// changed trajectory again (GTE) and nothing else, then one change.
	var newest string
	for _, at := range last {
		if laterThan(t, at, newest) {
			newest = at
		}
	}
	again, _, _ := syncAll(t, s, &newest, nil)
	if len(again) != 1 {
		t.Errorf("sync from %s fetched %v, want only the last change", newest, again)
	}
	mutate("ministry", `mutation($id: ID!) { registerPayment(input: {grantID: $id, amount: "1.00", paidOn: "2026-09-03"}) { grant { id } } }`,
		map[string]any{"id": approvedGrant})
	_, changed, _ := syncAll(t, s, &newest, nil)
	if _, ok := changed[ids["Uithuiszettingen voorkomen met de vrederechter"]]; !ok || len(changed) > 2 {
		t.Errorf("after one payment the sync fetched %v", changed)
	}
}

func laterThan(t *testing.T, a, b string) bool {
	t.Helper()
	if b == "" {
		return true
	}
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	if err1 != nil || err2 != nil {
		t.Fatalf("not RFC 3339: %q %q", a, b)
	}
	return ta.After(tb)
}

// TestSyncStampsFollowCommitOrder holds the guarantee behind the sync: a
// transaction that changed a trajectory first but commits last still gets
// the later stamp, so a partner that already synced past the other's stamp
// does not skip it.
func TestSyncStampsFollowCommitOrder(t *testing.T) {
	d := testutil.ScenarioPostgres(t)
	ctx := viewer.SystemContext(context.Background())
	ids := d.Client.Trajectory.Query().Order(trajectory.ByID()).Limit(2).IDsX(ctx)
	touch := func(ctx context.Context, id int) {
		t.Helper()
		c := ent.FromContext(ctx)
		if err := c.Trajectory.UpdateOneID(id).SetTitle(fmt.Sprintf("Gewijzigd %d", id)).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	first, txFirst, err := synctime.OpenTx(ctx, d.Client)
	if err != nil {
		t.Fatal(err)
	}
	touch(first, ids[0]) // changed first ...
	second, txSecond, err := synctime.OpenTx(ctx, d.Client)
	if err != nil {
		t.Fatal(err)
	}
	touch(second, ids[1])
	if err := txSecond.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := txFirst.Commit(); err != nil { // ... committed last
		t.Fatal(err)
	}
	a := d.Client.Trajectory.GetX(ctx, ids[0]).UpdatedAt
	b := d.Client.Trajectory.GetX(ctx, ids[1]).UpdatedAt
	if !a.After(b) {
		t.Errorf("changed first, committed last: stamped %s, not after %s", a, b)
	}
}

// TestSyncCursorFromAnotherOrdering: a cursor made by another ordering is
// BAD_USER_INPUT naming the argument, never a wrong page.
func TestSyncCursorFromAnotherOrdering(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	cursor := func(order string) string {
		t.Helper()
		var p struct {
			Trajectories struct{ Edges []struct{ Cursor string } }
		}
		q := `{ trajectories(first: 2` + order + `) { edges { cursor } } }`
		s.Query(t, "partner", q, nil).Decode(t, &p)
		return p.Trajectories.Edges[1].Cursor
	}
	byUpdate, byTitle, byID := cursor(`, orderBy: {field: UPDATED_AT, direction: ASC}`), cursor(`, orderBy: {field: TITLE}`), cursor("")
	for _, tt := range []struct{ order, cursor string }{
		{`orderBy: {field: TITLE}`, byUpdate},
		{`orderBy: {field: UPDATED_AT, direction: ASC}`, byTitle},
		{`orderBy: {field: UPDATED_AT, direction: ASC}`, byID},
		{`orderBy: {field: STATUS}`, byID},
	} {
		r := s.Query(t, "partner", `query($c: Cursor) { trajectories(first: 2, after: $c, `+tt.order+`) { edges { cursor } } }`, map[string]any{"c": tt.cursor})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "after" {
			t.Errorf("%s with a cursor of another ordering: %s %+v", tt.order, r.Data, r.Errors)
		}
	}
	// Its own cursor still works.
	if r := s.Query(t, "partner", `query($c: Cursor) { trajectories(first: 2, after: $c, orderBy: {field: UPDATED_AT, direction: ASC}) { edges { cursor } } }`,
		map[string]any{"c": byUpdate}); len(r.Errors) > 0 {
		t.Errorf("own cursor: %+v", r.Errors)
	}
}
