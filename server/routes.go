package server

import (
	"net/http"

	"wisselaar/graph"
	"wisselaar/internal/export"
	"wisselaar/internal/webhook"
	"wisselaar/server/graphiql"
	"wisselaar/server/metrics"
)

// addRoutes is the one place that lists every route the server answers.
func addRoutes(mux *http.ServeMux, cfg Config, deps Deps, m *metrics.Metrics) {
	// One budget per viewer across every endpoint it wraps (the exports
	// will share it), counted once the viewer is known.
	rateLimit := newRateLimiter(cfg.RateLimit)
	// A multipart request uploads a document: it may be as large as the
	// document limit, plus room for the rest of the request.
	maxMultipart := cfg.MaxUploadBytes + cfg.MaxBodyBytes
	api := graph.NewHandler(deps.Client, deps.Logger, graph.Options{
		Introspection:  cfg.Introspection,
		Documents:      deps.Documents,
		MaxUploadBytes: maxMultipart,
		Extensions:     graphExtensions(m, deps.Tracing),
		Webhooks:       webhook.Policy{Local: cfg.WebhookLocalURLs},
		OpenTx:         deps.OpenTx,
	})
	api = limitBody(cfg.MaxBodyBytes, maxMultipart, api)
	// The same viewer, limits and rate as /graphql for the downloads, so
	// that the same privacy rules decide who gets which bytes.
	withViewer := func(h http.Handler) http.Handler {
		h = timeout(cfg.RequestTimeout, h)
		h = rateLimit(h)
		if deps.Auth != nil {
			return deps.Auth.Middleware(h)
		}
		return anonymous(h)
	}
	api = withViewer(api)
	if deps.Auth != nil {
		deps.Auth.Register(mux)
	}
	mux.Handle("/graphql", api)
	mux.Handle("GET /documents/{id}", withViewer(downloadDocument(deps.Client, deps.Documents, deps.Logger)))
	mux.Handle("GET /trajectories/{id}/application.pdf", withViewer(applicationFile(deps.Client, deps.Logger)))
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
	if cfg.MetricsOnAPI() {
		mux.Handle("GET /metrics", MetricsHandler(cfg, m))
	}
}
