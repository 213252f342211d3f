package server

import (
	"net"
	"net/http"

	"github.com/go-chi/httprate"

	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
)

// newRateLimiter returns a middleware that bounds the requests of each
// viewer to cfg, or passes every request when cfg is the zero value. It
// must run after authentication: signed-in viewers are counted by subject
// (however many addresses or tokens they use), anonymous requests by the
// client's IP address. That is the TCP peer, not X-Forwarded-For, which
// any client can write; behind a proxy, anonymous requests thus share the
// proxy's budget.
//
// All routes wrapped by one middleware share its budgets, so that a
// viewer's requests count together whichever endpoint they call. The
// counts live in this process: with several replicas, each allows the
// limit.
func newRateLimiter(cfg RateLimit) func(http.Handler) http.Handler {
	if cfg.Requests == 0 {
		return func(next http.Handler) http.Handler { return next }
	}
	return httprate.NewRateLimiter(cfg.Requests, cfg.Window,
		httprate.WithKeyFuncs(rateKey),
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			// httprate has set Retry-After (the window, in seconds).
			writeJSONError(w, http.StatusTooManyRequests, string(apierr.RateLimited),
				"too many requests; try again after the number of seconds in the Retry-After header")
		}),
	).Handler
}

// rateKey names the budget a request counts against.
func rateKey(r *http.Request) (string, error) {
	if v := viewer.FromContext(r.Context()); !v.IsAnonymous() {
		return "viewer:" + v.Subject, nil
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + httprate.CanonicalizeIP(host), nil
}
