package apitest

import (
	"strings"
	"testing"

	"wisselaar/internal/testutil"
)

// tooComplex checks that r was refused with QUERY_TOO_COMPLEX for limit,
// naming its maximum, and that nothing was executed.
func tooComplex(t *testing.T, what string, r *testutil.Response, limit string, max float64) {
	t.Helper()
	if r.Code() != "QUERY_TOO_COMPLEX" || r.Errors[0].Extensions["limit"] != limit || r.Errors[0].Extensions["max"] != max {
		t.Errorf("%s: got %+v, want QUERY_TOO_COMPLEX with limit %s, max %v", what, r.Errors, limit, max)
	}
	if len(r.Errors) != 1 || len(r.Data) > 0 {
		t.Errorf("%s: want one error and no data, got %d errors and data %s", what, len(r.Errors), r.Data)
	}
}

// TestQueryShapeLimits checks that no query can make the server do
// unbounded work: nested list edges are priced, aggregates cost what their
// SQL costs, nesting is bounded, pages have a size.
func TestQueryShapeLimits(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)

	// A mentor's trajectories' mentors' trajectories ...: each level
	// multiplies the answer, so its cost must grow too.
	nest := func(levels int) string {
		q := "id"
		for range levels {
			q = "mentors { trajectories { " + q + " } }"
		}
		return "{ trajectories(first: 11) { edges { node { " + q + " } } } }"
	}
	if r := s.Query(t, "vvsg", nest(1), nil); len(r.Errors) > 0 {
		t.Fatalf("one level refused: %+v", r.Errors)
	}
	tooComplex(t, "three nested levels", s.Query(t, "vvsg", nest(3), nil), "cost", 50000)

	// A call's budget status is one SUM per call: a thousand of them cost
	// more than a thousand plain fields.
	budgets := "{ themes(first: 100) { edges { node { trajectories(first: 10) { edges { node { call { budgetStatus { remaining } } } } } } } } }"
	tooComplex(t, "a thousand budget statuses", s.Query(t, "vvsg", budgets, nil), "cost", 50000)
	if r := s.Query(t, "vvsg", strings.Replace(budgets, "budgetStatus { remaining }", "name", 1), nil); len(r.Errors) > 0 {
		t.Errorf("a thousand call names refused: %+v", r.Errors)
	}

	deep := "{ municipalities(first: 1) { edges { node { givingTrajectories(first: 1) { edges { node { call { trajectories(first: 1) { edges { node { giving { receivingTrajectories(first: 1) { edges { node { id } } } } } } } } } } } } } } }"
	r := s.Query(t, "vvsg", deep, nil)
	tooComplex(t, "a deep query", r, "depth", 12)
	if len(r.Errors) > 0 && !strings.Contains(r.Errors[0].Message, "levels deep") {
		t.Errorf("deep query: %q does not say how deep", r.Errors[0].Message)
	}

	tooComplex(t, "first: 501", s.Query(t, "vvsg", `{ trajectories(first: 501) { totalCount } }`, nil), "first", 500)
	tooComplex(t, "last: 501", s.Query(t, "vvsg", `{ trajectories(last: 501) { totalCount } }`, nil), "last", 500)
	tooComplex(t, "first: $n = 10000", s.Query(t, "vvsg", `query($n: Int) { trajectories(first: $n) { totalCount } }`, map[string]any{"n": 10000}), "first", 500)
	if r := s.Query(t, "vvsg", `{ trajectories(first: -1) { totalCount } }`, nil); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "first" {
		t.Errorf("first: -1: got %+v", r.Errors)
	}
	if r := s.Query(t, "vvsg", `{ trajectories(first: 500) { totalCount } }`, nil); len(r.Errors) > 0 {
		t.Errorf("first: 500: got %+v", r.Errors)
	}
	tooComplex(t, "16 aliases", s.Query(t, "vvsg", "{"+aliased(16)+" }", nil), "aliases", 15)
	if r := s.Query(t, "vvsg", "{"+aliased(15)+" }", nil); len(r.Errors) > 0 {
		t.Errorf("15 aliases: got %+v", r.Errors)
	}

	var page struct {
		Mentors struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
			PageInfo   struct{ HasNextPage bool }
		}
	}
	s.Query(t, "ministry", `{ mentors { totalCount edges { node { id } } pageInfo { hasNextPage } } }`, nil).Decode(t, &page)
	if page.Mentors.TotalCount != len(page.Mentors.Edges) || page.Mentors.PageInfo.HasNextPage {
		t.Errorf("a default page smaller than the default page size: %d of %d", len(page.Mentors.Edges), page.Mentors.TotalCount)
	}

	// GraphiQL's introspection query nests type references deeply; it is
	// not counted. (Introspection is on: this server uses the development
	// provider.)
	var intro struct {
		Schema struct{ Types []struct{ Name string } } `json:"__schema"`
	}
	s.Query(t, "", `{ __schema { types { name fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }`, nil).Decode(t, &intro)
	if len(intro.Schema.Types) == 0 {
		t.Error("introspection refused")
	}
}

// aliased returns n aliased copies of a cheap field.
func aliased(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(" t" + strings.Repeat("x", i) + ": themes(first: 1) { totalCount }")
	}
	return b.String()
}

// TestRequestTimeoutAnswersUnavailable checks that a request that runs
// past REQUEST_TIMEOUT gets 503 UNAVAILABLE and no partial data.
func TestRequestTimeoutAnswersUnavailable(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), map[string]string{"REQUEST_TIMEOUT": "1ns"})
	r := s.Query(t, "", `{ municipalities(first: 50) { totalCount edges { node { name } } } }`, nil)
	if r.Status != 503 || r.Code() != "UNAVAILABLE" || len(r.Errors) != 1 || len(r.Data) > 0 {
		t.Errorf("got %d %+v %s, want 503 UNAVAILABLE without data", r.Status, r.Errors, r.Data)
	}
}
