package apitest

import (
	"strings"
	"testing"

	"wisselaar/internal/testutil"
)

// TestQueryShapeLimits checks that no query can make the server do
// unbounded work: nested list edges are priced, nesting is bounded, pages
// have a size.
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
	if r := s.Query(t, "vvsg", nest(3), nil); r.Code() != "QUERY_TOO_COMPLEX" {
		t.Errorf("three nested levels: got %+v, want QUERY_TOO_COMPLEX", r.Errors)
	}

	deep := "{ municipalities(first: 1) { edges { node { givingTrajectories(first: 1) { edges { node { call { trajectories(first: 1) { edges { node { giving { receivingTrajectories(first: 1) { edges { node { id } } } } } } } } } } } } } } }"
	if r := s.Query(t, "vvsg", deep, nil); r.Code() != "QUERY_TOO_COMPLEX" || !strings.Contains(r.Errors[0].Message, "levels deep") {
		t.Errorf("deep query: got %+v, want QUERY_TOO_COMPLEX for depth", r.Errors)
	}

	if r := s.Query(t, "vvsg", `{ trajectories(first: 501) { totalCount } }`, nil); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "first" {
		t.Errorf("first: 501: got %+v", r.Errors)
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
	// not counted.
	var intro struct {
		Schema struct{ Types []struct{ Name string } } `json:"__schema"`
	}
	s.Query(t, "", `{ __schema { types { name fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }`, nil).Decode(t, &intro)
	if len(intro.Schema.Types) == 0 {
		t.Error("introspection refused")
	}
}
