package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"wisselaar/ent"
	"wisselaar/ent/viewer"
	"wisselaar/graph"
	"wisselaar/internal/testutil"
)

// portalList is the portal's list query: a page of trajectories, newest
// first, with their parties, call, themes, grant and mentors, and the
// total.
const portalList = `query($first: Int!) { trajectories(first: $first, orderBy: {field: CREATED_AT, direction: DESC}) {
	totalCount edges { node { id title status giving { name } receiving { name } call { name year }
	themes { code name } grant { status requested awarded } mentors { name } } } } }`

// maxListStatements is what the portal's list query may cost in SQL
// statements, whatever the page size and however many rows there are: the
// page, the total, and one per edge kind.
const maxListStatements = 8

// TestListStatements pins the SQL statements of the portal's list query:
// the same for a page of 2 as for every trajectory, for each kind of
// viewer, and never more than maxListStatements. A loader per row, or a
// check per row, would make it grow with the page.
func TestListStatements(t *testing.T) {
	d := testutil.SeededPostgres(t)
	var mu sync.Mutex
	var statements []string
	drv := dialect.DebugWithContext(entsql.OpenDB(dialect.Postgres, d.SQL), func(_ context.Context, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		statements = append(statements, fmt.Sprint(args...))
	})
	h := graph.NewHandler(ent.NewClient(ent.Driver(drv)), slog.New(slog.NewTextHandler(io.Discard, nil)), graph.Options{})
	run := func(v *viewer.Viewer, first int) (rows int, stmts []string) {
		mu.Lock()
		statements = nil
		mu.Unlock()
		body, _ := json.Marshal(map[string]any{"query": portalList, "variables": map[string]any{"first": first}})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req = req.WithContext(viewer.NewContext(req.Context(), v))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var res struct {
			Data struct {
				Trajectories struct{ Edges []json.RawMessage }
			}
			Errors []any
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || len(res.Errors) > 0 {
			t.Fatalf("response: %s", rec.Body)
		}
		mu.Lock()
		defer mu.Unlock()
		return len(res.Data.Trajectories.Edges), append([]string(nil), statements...)
	}
	for _, v := range []*viewer.Viewer{
		{Subject: "ministry", Roles: []viewer.Role{viewer.Ministry}},
		{Subject: "vvsg", Roles: []viewer.Role{viewer.Coordinator}},
		{Subject: "analyst", Roles: []viewer.Role{viewer.Analyst}},
		{Subject: "mechelen", Municipalities: []string{"12025"}},
	} {
		smallRows, small := run(v, 2)
		allRows, all := run(v, 500)
		if allRows <= smallRows {
			t.Fatalf("%s: %d rows in the big page, %d in the small one: the test needs more data", v.Subject, allRows, smallRows)
		}
		if len(all) != len(small) || len(all) > maxListStatements {
			t.Errorf("%s: %d statements for %d trajectories, %d for %d; want the same, at most %d:\n%s",
				v.Subject, len(small), smallRows, len(all), allRows, maxListStatements, strings.Join(all, "\n"))
		}
		if v.Subject != "mechelen" && strings.Contains(strings.Join(all, "\n"), `COUNT("trajectories"`) {
			t.Errorf("%s reads every trajectory, yet its total was counted over the table:\n%s", v.Subject, strings.Join(all, "\n"))
		}
		t.Logf("%s: %d statements", v.Subject, len(all))
	}
}

// TestTotalFromRowCounts: for a viewer who reads every trajectory the
// total comes from the row counts the database keeps, without a COUNT over
// the table; it follows inserts and deletes, and equals what a COUNT says
// and what a filtered or paged query says.
func TestTotalFromRowCounts(t *testing.T) {
	d := testutil.SeededPostgres(t)
	s := testutil.NewServer(t, d, nil)
	ctx := viewer.SystemContext(context.Background())
	total := func(login, query string) int {
		t.Helper()
		var res struct {
			Trajectories struct{ TotalCount int }
		}
		s.Query(t, login, query, nil).Decode(t, &res)
		return res.Trajectories.TotalCount
	}
	check := func(when string) {
		t.Helper()
		want := d.Client.Trajectory.Query().CountX(ctx)
		for _, q := range []string{
			`{ trajectories(first: 2) { totalCount edges { node { id } } } }`,
			`{ trajectories { totalCount } }`,
			`{ trajectories(first: 1) { totalCount pageInfo { hasNextPage } } }`,
			`{ trajectories(where: {titleNEQ: "-"}) { totalCount } }`,
		} {
			for _, login := range []string{"ministry", "vvsg", "analyst"} {
				if got := total(login, q); got != want {
					t.Errorf("%s: %s answers totalCount %d to %s, want %d", when, login, got, q, want)
				}
			}
		}
	}
	check("seeded")
	tr := d.Client.Trajectory.Query().FirstX(ctx)
	cp := d.Client.Trajectory.Create().SetTitle("Copy").SetForm(tr.Form).SetCallID(tr.CallID).
		SetGivingID(tr.GivingID).SetReceivingID(tr.ReceivingID).SetPlannedStart(tr.PlannedStart).SetPlannedEnd(tr.PlannedEnd).SaveX(ctx)
	check("after an insert")
	d.Client.Trajectory.DeleteOneID(cp.ID).ExecX(ctx)
	check("after a delete")
}
