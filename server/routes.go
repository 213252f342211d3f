package server

import (
	"net/http"

	"wisselaar/graph"
	"wisselaar/internal/export"
	"wisselaar/server/graphiql"
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
	// The grant exports: the same viewer, limits and rate budget as
	// /graphql, but no body and no GraphQL.
	exports := func(h http.Handler) http.Handler {
		h = timeout(cfg.RequestTimeout, h)
		h = rateLimit(h)
		if deps.Auth != nil {
			return deps.Auth.Middleware(h)
		}
		return anonymous(h)
	}
	mux.Handle("GET /exports/grants.csv", exports(exportGrants(deps.Client, deps.Logger, true,
		"text/csv; charset=utf-8; header=present", "subsidies.csv", export.WriteCSV)))
	mux.Handle("GET /exports/grants.xlsx", exports(exportGrants(deps.Client, deps.Logger, false,
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "subsidies.xlsx", export.WriteXLSX)))
	// The open-data feed and its schema: public, read as the published
	// facts only (package opendata).
	mux.Handle("GET /open-data/grants.json", openDataGrants(deps.Client, cfg.OpenDataPrefix, deps.Logger))
	mux.Handle("GET /open-data/grants.schema.json", openDataSchema())
	// GraphiQL, from files embedded in the binary (it works offline). It
	// sends the session cookie from the same origin, so it sends the CSRF
	// header the cookie requires too. Only the root: not /graphiql or the
	// like, so that there is one address to document and to protect.
	ide := graphiql.Handler("/graphql")
	mux.Handle("GET /{$}", ide)
	mux.Handle("GET "+graphiql.AssetPath, ide)
	mux.Handle("GET /healthz", healthz())
	mux.Handle("GET /readyz", readyz(deps.Ping))
	mux.Handle("GET /metrics", m.Handler())
}
