package apitest

import (
	"encoding/json"
	"reflect"
	"testing"

	"wisselaar/internal/testutil"
)

// TestCursorsThatDoNotFitAreBadInput checks the cursors and page arguments
// that client tools send by mistake: an empty cursor (genqlient sends "" for
// an unset variable), one that is no cursor at all, one altered after it was
// handed out, one from another ordering, and first together with last. Each
// is BAD_USER_INPUT naming the argument, never INTERNAL, and a cursor used
// with the query that gave it out still pages.
func TestCursorsThatDoNotFitAreBadInput(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	const page = `query($after: Cursor, $before: Cursor, $first: Int, $last: Int, $order: TrajectoryOrder) {
		trajectories(after: $after, before: $before, first: $first, last: $last, orderBy: $order) {
			edges { cursor node { id } } pageInfo { endCursor } } }`
	byTitle := map[string]any{"field": "TITLE", "direction": "ASC"}
	byStart := map[string]any{"field": "PLANNED_START", "direction": "ASC"}
	endCursor := func(vars map[string]any) string {
		t.Helper()
		var data struct {
			Trajectories struct{ PageInfo struct{ EndCursor string } }
		}
		s.Query(t, "ministry", page, vars).Decode(t, &data)
		if data.Trajectories.PageInfo.EndCursor == "" {
			t.Fatalf("no end cursor for %v", vars)
		}
		return data.Trajectories.PageInfo.EndCursor
	}
	byID := endCursor(map[string]any{"first": 2})
	titled := endCursor(map[string]any{"first": 2, "order": byTitle})
	started := endCursor(map[string]any{"first": 2, "order": byStart})

	// The cursors fit the queries that gave them out.
	for _, vars := range []map[string]any{
		{"first": 2, "after": byID},
		{"first": 2, "after": titled, "order": byTitle},
		{"last": 2, "before": started, "order": byStart},
	} {
		if r := s.Query(t, "ministry", page, vars); len(r.Errors) > 0 {
			t.Errorf("%v: %+v", vars, r.Errors)
		}
	}

	cases := []struct {
		name  string
		vars  map[string]any
		field string
	}{
		{"empty after", map[string]any{"first": 2, "after": ""}, "after"},
		{"empty before", map[string]any{"last": 2, "before": ""}, "before"},
		{"not base64", map[string]any{"first": 2, "after": "not a cursor!"}, "after"},
		{"base64 of something else", map[string]any{"first": 2, "after": "aGVsbG8gd29ybGQ"}, "after"},
		{"bytes appended", map[string]any{"first": 2, "after": titled + "AA"}, "after"},
		{"an ID cursor in a title order", map[string]any{"first": 2, "after": byID, "order": byTitle}, "after"},
		{"a title cursor in the ID order", map[string]any{"first": 2, "after": titled}, "after"},
		{"a title cursor in a date order", map[string]any{"first": 2, "after": titled, "order": byStart}, "after"},
		{"a date cursor in a title order", map[string]any{"last": 2, "before": started, "order": byTitle}, "before"},
		{"first and last", map[string]any{"first": 2, "last": 2}, "last"},
	}
	for _, c := range cases {
		r := s.Query(t, "ministry", page, c.vars)
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: got %+v, want BAD_USER_INPUT on %s", c.name, r.Errors, c.field)
			continue
		}
		if string(r.Data) != "null" {
			t.Errorf("%s: got data %s, want null", c.name, r.Data)
		}
	}

	// A cursor refused on a nested connection too, and on a public list.
	r := s.Query(t, "", `{ municipalities(first: 1, after: "") { totalCount } }`, nil)
	if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "after" {
		t.Errorf("anonymous empty cursor: %+v", r.Errors)
	}
	r = s.Query(t, "ministry", `query($c: Cursor) { calls(first: 1) { edges { node { trajectories(first: 1, after: $c) { totalCount } } } } }`,
		map[string]any{"c": titled})
	if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "after" {
		t.Errorf("nested title cursor in the ID order: %+v", r.Errors)
	}
}

// TestPageInfoWithoutEdges checks that a selection of pageInfo alone (as
// normalized caches ask for it after merging pages) tells the same as the
// same page with edges: hasNextPage, hasPreviousPage and both cursors; and
// that following endCursor with pageInfo alone walks the whole list.
func TestPageInfoWithoutEdges(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	type pageInfo struct {
		HasNextPage, HasPreviousPage bool
		StartCursor, EndCursor       *string
	}
	type conn struct {
		TotalCount int
		PageInfo   pageInfo
		Edges      []struct{ Cursor string }
	}
	ask := func(login, field, selection string, vars map[string]any) conn {
		t.Helper()
		q := `query($first: Int, $last: Int, $after: Cursor, $before: Cursor) { c: ` + field +
			`(first: $first, last: $last, after: $after, before: $before) { ` + selection + ` } }`
		var data struct{ C conn }
		s.Query(t, login, q, vars).Decode(t, &data)
		return data.C
	}
	const info = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`
	for _, list := range []struct{ login, field string }{{"", "municipalities"}, {"ministry", "trajectories"}, {"vvsg", "grants"}} {
		total := ask(list.login, list.field, "totalCount", nil).TotalCount
		if total < 3 {
			t.Fatalf("%s: %d rows, the test needs 3", list.field, total)
		}
		for _, vars := range []map[string]any{
			{"first": 2}, {"first": total}, {"first": total + 1}, {"last": 2}, {"last": total}, {},
		} {
			with := ask(list.login, list.field, info+" edges { cursor }", vars)
			without := ask(list.login, list.field, info, vars)
			if !reflect.DeepEqual(with.PageInfo, without.PageInfo) {
				t.Errorf("%s %v: pageInfo alone %s, with edges %s", list.field, vars, show(without.PageInfo), show(with.PageInfo))
			}
			if without.PageInfo.EndCursor == nil || without.PageInfo.StartCursor == nil {
				t.Errorf("%s %v: no cursors in %s", list.field, vars, show(without.PageInfo))
			}
		}
		// Walking the list by endCursor with pageInfo alone.
		pages, vars := 0, map[string]any{"first": 2}
		for {
			c := ask(list.login, list.field, info, vars)
			pages++
			if !c.PageInfo.HasNextPage || pages > total {
				break
			}
			vars = map[string]any{"first": 2, "after": *c.PageInfo.EndCursor}
		}
		if want := (total + 1) / 2; pages != want {
			t.Errorf("%s: %d pages of 2 for %d rows, want %d", list.field, pages, total, want)
		}
	}

	// The same for a page of search results, ranked by relevance.
	search := func(selection string) conn {
		t.Helper()
		var data struct{ Trajectories conn }
		s.Query(t, "ministry", `{ trajectories(search: "armoede", first: 1) { totalCount `+selection+` } }`, nil).Decode(t, &data)
		return data.Trajectories
	}
	if with, without := search(info+" edges { cursor }"), search(info); with.TotalCount < 2 || !reflect.DeepEqual(with.PageInfo, without.PageInfo) {
		t.Errorf("search (%d hits): pageInfo alone %s, with edges %s", with.TotalCount, show(without.PageInfo), show(with.PageInfo))
	}

	// The same inside a connection that is loaded eagerly with its parent.
	nested := func(selection string) string {
		t.Helper()
		r := s.Query(t, "ministry", `{ municipalities(first: 50) { edges { node { givingTrajectories(first: 2) { `+selection+` } } } } }`, nil)
		var data struct {
			Municipalities struct {
				Edges []struct {
					Node struct{ GivingTrajectories conn }
				}
			}
		}
		r.Decode(t, &data)
		var infos []pageInfo
		for _, e := range data.Municipalities.Edges {
			infos = append(infos, e.Node.GivingTrajectories.PageInfo)
		}
		return show(infos)
	}
	if with, without := nested(info+" edges { cursor }"), nested(info); with != without {
		t.Errorf("nested pageInfo alone %s, with edges %s", without, with)
	}
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
