package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestGraphiQLOnlyAtTheRoot: GraphiQL is at / and nowhere else, so that
// there is one address to document, and its assets are routed.
func TestGraphiQLOnlyAtTheRoot(t *testing.T) {
	cfg, err := ConfigFromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	h := New(cfg, Deps{Logger: slog.New(slog.DiscardHandler)})
	get := func(path string) (*http.Response, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		b, _ := io.ReadAll(rec.Result().Body)
		return rec.Result(), string(b)
	}

	resp, page := get("/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "<title>De Wisselaar API</title>") {
		t.Fatalf("GET /: %d %.200s", resp.StatusCode, page)
	}
	i := strings.Index(page, `src="/assets/graphiql/`)
	if i < 0 {
		t.Fatal("the page names no embedded script")
	}
	src := page[i+len(`src="`):]
	src = src[:strings.IndexByte(src, '"')]
	if resp, _ := get(src); resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d", src, resp.StatusCode)
	}

	for _, p := range []string{"/graphiql", "/graphiql/", "/playground", "/console", "/graphql", "/index.html"} {
		resp, body := get(p)
		if strings.Contains(body, "De Wisselaar API</title>") || strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s serves a page (%d %s)", p, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}
