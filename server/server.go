// Package server is wisselaar's HTTP side: construction, routes, sign-in,
// sessions, bearer tokens and middleware. New builds the whole handler from
// a Config and the dependencies, so tests run exactly what production runs.
package server

import (
	"context"
	"log/slog"
	"net/http"

	"wisselaar/ent"
	"wisselaar/internal/dossier"
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
	m := metrics.New()
	addRoutes(mux, cfg, deps, m)
	var h http.Handler = mux
	h = recoverPanics(deps.Logger, h)
	h = m.Middleware(h)
	h = httplog.Middleware(deps.Logger, h)
	h = requestid.Middleware(h)
	return h
}
