// Package server is wisselaar's HTTP side: construction, routes, sign-in,
// sessions, bearer tokens and middleware. New builds the whole handler from
// a Config and the dependencies, so tests run exactly what production runs.
package server

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"

	"wisselaar/ent"
	"wisselaar/internal/dossier"
	"wisselaar/internal/telemetry"
	"wisselaar/server/httplog"
	"wisselaar/server/metrics"
	"wisselaar/server/requestid"
)

// Deps are the server's dependencies.
type Deps struct {
	Client *ent.Client
	Logger *slog.Logger
	// Ping reports whether the database answers, for /readyz.
	Ping func(ctx context.Context) error
	// Documents is the document store; nil refuses uploads and downloads.
	Documents *dossier.Store
	// Auth authenticates requests and serves /auth/*. Nil means every
	// request is anonymous (tests of the public API only).
	Auth Authenticator
	// SQL is the database's connection pool and Dialect its dialect
	// ("postgres" or "sqlite3"), for the pool and job-queue metrics; nil
	// leaves those out.
	SQL     *sql.DB
	Dialect string
	// Metrics are the metrics the server counts into; nil makes its own.
	// The caller passes them to serve them on a listener of their own.
	Metrics *metrics.Metrics
	// Tracing sends spans when it is on; nil is off.
	Tracing *telemetry.Tracing
	// OpenTx opens the transaction of a mutation; nil is the plain one
	// (no webhook events, no e-mail: see jobs.Queue.OpenTx).
	OpenTx func(context.Context, *ent.Client) (context.Context, *ent.Tx, error)
}

// Authenticator turns a request's credentials (session cookie or bearer
// token) into a viewer and serves the sign-in endpoints.
type Authenticator interface {
	// Middleware puts the request's viewer in its context, or answers the
	// request itself when its credentials are refused.
	Middleware(next http.Handler) http.Handler
	// Register adds the /auth/* routes (and the development provider, when
	// it is active) to mux.
	Register(mux *http.ServeMux)
}

// New returns the server's handler.
func New(cfg Config, deps Deps) http.Handler {
	mux := http.NewServeMux()
	m := deps.Metrics
	if m == nil {
		m = metrics.New()
	}
	registerCollectors(m, deps)
	addRoutes(mux, cfg, deps, m)
	var h http.Handler = mux
	h = recoverPanics(deps.Logger, h)
	h = m.Middleware(h)
	h = httplog.Middleware(deps.Logger, h)
	h = requestid.Middleware(h)
	h = deps.Tracing.Middleware(h)
	return h
}

// registerCollectors adds the collectors that read the database at scrape
// time: the pool, the job queue, the ledgers of the open calls.
func registerCollectors(m *metrics.Metrics, deps Deps) {
	if deps.SQL != nil {
		m.Register(metrics.DBStats(deps.SQL), metrics.JobQueue(deps.SQL, deps.Dialect, deps.Logger))
	}
	if deps.Client != nil {
		m.Register(metrics.Ledger(deps.Client, deps.Logger))
	}
}
