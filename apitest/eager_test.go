package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"wisselaar/ent"
	"wisselaar/ent/viewer"
	"wisselaar/graph"
	"wisselaar/internal/testutil"
)

// TestListsLoadEdgesEagerly checks that a page of trajectories with their
// municipalities, call, themes and grant costs a handful of queries, not
// one per trajectory and edge (N+1).
func TestListsLoadEdgesEagerly(t *testing.T) {
	d := testutil.SeededPostgres(t)
	var queries atomic.Int64
	drv := dialect.DebugWithContext(entsql.OpenDB(dialect.Postgres, d.SQL), func(context.Context, ...any) {
		queries.Add(1)
	})
	client := ent.NewClient(ent.Driver(drv))
	h := graph.NewHandler(client, slog.New(slog.NewTextHandler(io.Discard, nil)), graph.Options{})
	ministry := &viewer.Viewer{Subject: "ministry", Roles: []viewer.Role{viewer.Ministry}}

	body, _ := json.Marshal(map[string]string{"query": `{ trajectories(first: 50) { totalCount edges { node {
		title giving { name province } receiving { name } call { name year } themes { code name }
		grant { status awarded } mentors { name } } } } }`})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req = req.WithContext(viewer.NewContext(req.Context(), ministry))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	var res struct {
		Data struct {
			Trajectories struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Giving struct{ Name string }
						Themes []struct{ Code string }
					}
				}
			}
		}
		Errors []any
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || len(res.Errors) > 0 {
		t.Fatalf("response: %s", rec.Body)
	}
	if n := len(res.Data.Trajectories.Edges); n != 11 {
		t.Fatalf("got %d trajectories, want 11", n)
	}
	for _, e := range res.Data.Trajectories.Edges {
		if e.Node.Giving.Name == "" || len(e.Node.Themes) == 0 {
			t.Fatalf("edges not loaded: %+v", e.Node)
		}
	}
	// One query for the page, one for the count, one per edge type
	// (giving, receiving, call, themes, grant, mentors), with room for the
	// join tables: far below the 66+ a per-row loader would run.
	if n := queries.Load(); n > 12 {
		t.Errorf("the page ran %d queries, want at most 12", n)
	}
}
