package server

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql/playground"

	"wisselaar/graph"
	"wisselaar/server/metrics"
)

// addRoutes is the one place that lists every route the server answers.
func addRoutes(mux *http.ServeMux, cfg Config, deps Deps, m *metrics.Metrics) {
	// One budget per viewer across every endpoint it wraps (the exports
	// will share it), counted once the viewer is known.
	rateLimit := newRateLimiter(cfg.RateLimit)
	api := graph.NewHandler(deps.Client, deps.Logger, graph.Options{Introspection: cfg.Introspection})
	api = limitBody(cfg.MaxBodyBytes, api)
	api = timeout(cfg.RequestTimeout, api)
	api = rateLimit(api)
	if deps.Auth != nil {
		api = deps.Auth.Middleware(api)
		deps.Auth.Register(mux)
	} else {
		api = anonymous(api)
	}
	mux.Handle("/graphql", api)
	// GraphiQL sends the session cookie from the same origin, so it sends the
	// CSRF header the cookie requires too.
	mux.Handle("GET /{$}", playground.Handler("De Wisselaar API", "/graphql",
		playground.WithGraphiqlFetcherHeaders(map[string]string{"X-CSRF": "1"})))
	mux.Handle("GET /healthz", healthz())
	mux.Handle("GET /readyz", readyz(deps.Ping))
	mux.Handle("GET /metrics", m.Handler())
}
