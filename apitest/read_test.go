package apitest

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"wisselaar/internal/db"
	"wisselaar/internal/testutil"
)

// databases runs a test against both databases the server supports.
func databases(t *testing.T, test func(t *testing.T, d *db.DB)) {
	t.Run("postgres", func(t *testing.T) { test(t, testutil.SeededPostgres(t)) })
	t.Run("sqlite", func(t *testing.T) { test(t, testutil.SeededSQLite(t)) })
}

func TestAnonymousReadsPublicData(t *testing.T) {
	databases(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d, nil)

		var munis struct {
			Municipalities struct {
				TotalCount int
				Edges      []struct {
					Node struct{ NisCode, Name, Province string }
				}
			}
		}
		s.Query(t, "", `{ municipalities(first: 50) { totalCount edges { node { nisCode name province } } } }`, nil).Decode(t, &munis)
		if munis.Municipalities.TotalCount != 13 || len(munis.Municipalities.Edges) != 13 {
			t.Fatalf("municipalities: got %d (%d edges), want 13", munis.Municipalities.TotalCount, len(munis.Municipalities.Edges))
		}
		byNIS := map[string]string{}
		for _, e := range munis.Municipalities.Edges {
			byNIS[e.Node.NisCode] = e.Node.Name + "/" + e.Node.Province
		}
		if byNIS["12025"] != "Mechelen/ANTWERPEN" || byNIS["31005"] != "Brugge/WEST_VLAANDEREN" {
			t.Errorf("municipalities by NIS code: %v", byNIS)
		}

		var calls struct {
			Calls struct {
				Edges []struct {
					Node struct {
						Name                string
						Year                int
						Budget              string
						PerProjectCap       string
						CompensationPercent int
						BudgetStatus        struct{ Budget, Committed, Remaining string }
					}
				}
			}
		}
		// The budget status sums requested amounts of applications that
		// anonymous callers may not read: theirs is null; an analyst, who
		// reads every grant, gets it.
		const callsQuery = `{ calls(orderBy: {field: YEAR}) { edges { node { name year budget perProjectCap compensationPercent budgetStatus { budget committed remaining } } } } }`
		r := s.Query(t, "", callsQuery, nil)
		if !strings.Contains(string(r.Data), `"budgetStatus":null`) || strings.Contains(string(r.Data), `"committed"`) || len(r.Errors) > 0 {
			t.Errorf("anonymous budget status: %s %+v, want null", r.Data, r.Errors)
		}
		s.Query(t, "analyst", callsQuery, nil).Decode(t, &calls)
		// 2022, 2023 and the open call of this year, with nothing committed.
		if len(calls.Calls.Edges) != 3 {
			t.Fatalf("calls: got %d, want 3", len(calls.Calls.Edges))
		}
		wantCommitted := []string{"89122.00", "123423.00", "0.00"}
		for i, e := range calls.Calls.Edges {
			n := e.Node
			if n.Budget != "250000.00" || n.PerProjectCap != "50000.00" || n.CompensationPercent != 50 {
				t.Errorf("call %s: budget %s, cap %s, percent %d", n.Name, n.Budget, n.PerProjectCap, n.CompensationPercent)
			}
			if n.BudgetStatus.Committed != wantCommitted[i] || n.BudgetStatus.Budget != "250000.00" {
				t.Errorf("call %s: budget status %+v, want committed %s", n.Name, n.BudgetStatus, wantCommitted[i])
			}
		}
		if calls.Calls.Edges[0].Node.Year != 2022 || calls.Calls.Edges[0].Node.BudgetStatus.Remaining != "160878.00" {
			t.Errorf("first call: %+v", calls.Calls.Edges[0].Node)
		}

		var themes struct{ Themes struct{ TotalCount int } }
		s.Query(t, "", `{ themes { totalCount } }`, nil).Decode(t, &themes)
		if themes.Themes.TotalCount != 8 {
			t.Errorf("themes: got %d, want 8", themes.Themes.TotalCount)
		}
	})
}

func TestAnonymousIsRefusedEverythingElse(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	for _, q := range []string{
		`{ trajectories(first: 5) { totalCount } }`,
		`{ grants { totalCount } }`,
		`{ mentors { totalCount } }`,
		`{ viewer { subject } }`,
		`{ grantStatistics(groupBy: [CALL]) { count } }`,
		`{ calls { edges { node { trajectories { totalCount } } } } }`,
	} {
		r := s.Query(t, "", q, nil)
		if r.Code() != "UNAUTHENTICATED" {
			t.Errorf("%s: got %+v, want UNAUTHENTICATED", q, r.Errors)
		}
		if string(r.Data) != "null" && r.Data != nil && q[:7] != "{ calls" {
			t.Errorf("%s: data leaked: %s", q, r.Data)
		}
	}
}

func TestFiltersOrderingAndPagination(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	var res struct {
		Municipalities struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct{ Node struct{ Name string } }
		}
	}
	q := `query($after: Cursor) { municipalities(first: 2, after: $after, where: {province: ANTWERPEN}, orderBy: {field: NAME}) {
		totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`
	s.Query(t, "", q, nil).Decode(t, &res)
	m := res.Municipalities
	if m.TotalCount != 4 || len(m.Edges) != 2 || m.Edges[0].Node.Name != "Balen" || m.Edges[1].Node.Name != "Beerse" || !m.PageInfo.HasNextPage {
		t.Fatalf("first page: %+v", m)
	}
	s.Query(t, "", q, map[string]any{"after": m.PageInfo.EndCursor}).Decode(t, &res)
	m = res.Municipalities
	if len(m.Edges) != 2 || m.Edges[0].Node.Name != "Mechelen" || m.Edges[1].Node.Name != "Oud-Turnhout" || m.PageInfo.HasNextPage {
		t.Fatalf("second page: %+v", m)
	}

	var calls struct{ Calls struct{ TotalCount int } }
	s.Query(t, "", `{ calls(where: {yearGT: 2022, yearLT: 2024}) { totalCount } }`, nil).Decode(t, &calls)
	if calls.Calls.TotalCount != 1 {
		t.Errorf("calls of 2023: %d, want 1", calls.Calls.TotalCount)
	}
}

func TestMoneyInputIsExact(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	var ok struct{ Calls struct{ TotalCount int } }
	s.Query(t, "", `{ calls(where: {budget: "250000"}) { totalCount } }`, nil).Decode(t, &ok)
	if ok.Calls.TotalCount != 3 {
		t.Errorf(`budget "250000" matched %d calls, want 3`, ok.Calls.TotalCount)
	}
	for _, bad := range []string{`"250000.001"`, `"-5.00"`, `"+5"`, `"abc"`, `"1e5"`, `""`} {
		r := s.Query(t, "", `query($b: Money) { calls(where: {budget: $b}) { totalCount } }`, map[string]any{"b": rawJSON(bad)})
		if len(r.Errors) == 0 {
			t.Errorf("Money %s accepted", bad)
		}
	}
}

func TestNodeAndGlobalIDs(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	var list struct {
		Municipalities struct {
			Edges []struct{ Node struct{ ID, Name string } }
		}
	}
	s.Query(t, "", `{ municipalities(where: {nisCode: "12025"}) { edges { node { id name } } } }`, nil).Decode(t, &list)
	if len(list.Municipalities.Edges) != 1 {
		t.Fatalf("Mechelen not found: %+v", list)
	}
	id := list.Municipalities.Edges[0].Node.ID
	var node struct {
		Node struct {
			Typename string `json:"__typename"`
			NisCode  string
		}
	}
	s.Query(t, "", `query($id: ID!) { node(id: $id) { __typename ... on Municipality { nisCode } } }`, map[string]any{"id": id}).Decode(t, &node)
	if node.Node.Typename != "Municipality" || node.Node.NisCode != "12025" {
		t.Errorf("node(%s) = %+v", id, node)
	}
	r := s.Query(t, "", `{ node(id: "42") { id } }`, nil)
	if len(r.Errors) == 0 {
		t.Errorf("a malformed ID was accepted: %s", r.Data)
	}
}

func TestHealthAndGraphiQL(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/": 200, "/metrics": 200, "/nope": 404} {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	// A query over GET needs a header that no cross-site page can send.
	req, _ := http.NewRequest(http.MethodGet, s.URL+`/graphql?query={themes{totalCount}}`, nil)
	req.Header.Set("X-CSRF", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /graphql query: %d", resp.StatusCode)
	}
	if resp.Header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID header")
	}
	resp, err = http.Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), `wisselaar_http_requests_total{code="200",method="GET",route="GET /healthz"}`) {
		t.Errorf("metrics do not count requests by route:\n%.2000s", metrics)
	}
}
