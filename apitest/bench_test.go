package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"wisselaar/ent/viewer"
	"wisselaar/graph"
	"wisselaar/internal/testutil"
)

// BenchmarkTrajectoryPage measures a page of trajectories with all the
// edges a portal list shows, against the bare page measured in the same
// loop: the reported x-baseline ratio is what eager loading keeps small
// (a per-row loader would grow it with the page size).
func BenchmarkTrajectoryPage(b *testing.B) {
	d := testutil.SeededPostgres(b)
	h := graph.NewHandler(d.Client, slog.New(slog.NewTextHandler(io.Discard, nil)), graph.Options{})
	ministry := &viewer.Viewer{Subject: "ministry", Roles: []viewer.Role{viewer.Ministry}}
	do := func(query string) time.Duration {
		body, _ := json.Marshal(map[string]string{"query": query})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req = req.WithContext(viewer.NewContext(req.Context(), ministry))
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		elapsed := time.Since(start)
		if rec.Code != 200 || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
			b.Fatalf("query failed: %s", rec.Body)
		}
		return elapsed
	}
	const bare = `{ trajectories(first: 50) { edges { node { id title } } } }`
	const full = `{ trajectories(first: 50) { totalCount edges { node { id title status
		giving { name province } receiving { name province } call { name year } themes { code name }
		grant { status requested awarded } mentors { name jobTitle } } } } }`
	var base, withEdges time.Duration
	b.ResetTimer()
	for b.Loop() {
		base += do(bare)
		withEdges += do(full)
	}
	b.ReportMetric(float64(withEdges)/float64(base), "x-baseline")
}
