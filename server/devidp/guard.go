package devidp

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"

	"wisselaar/internal/apierr"
)

// refusal is the message of the answer to a request from elsewhere.
const refusal = "the development identity provider answers only requests from this machine; " +
	"configure OIDC_ISSUER to sign in from elsewhere"

// thisMachineOnly refuses every request whose TCP peer is not a loopback
// address, before the provider sees it. The provider hands out a token for
// any demo user, the ministry included, without a password: fine for the
// person at the keyboard, not for whoever else can reach the port. Only the
// connection's peer (RemoteAddr) counts. The Host header and X-Forwarded-*
// are written by the client, so they prove nothing; a reverse proxy on this
// machine does make every request come from loopback, and thereby opens the
// provider to whoever reaches the proxy.
//
// The refusal is JSON in the API's error shape (FORBIDDEN), like every
// other refusal of the server; the message says what to do instead.
func thisMachineOnly(logger *slog.Logger, next http.Handler) http.Handler {
	type extensions struct {
		Code apierr.Code `json:"code"`
	}
	type gqlError struct {
		Message    string     `json:"message"`
		Extensions extensions `json:"extensions"`
	}
	body, _ := json.Marshal(struct {
		Errors []gqlError `json:"errors"`
	}{[]gqlError{{refusal, extensions{apierr.Forbidden}}}})
	body = append(body, '\n')
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fromLoopback(r.RemoteAddr) {
			next.ServeHTTP(w, r)
			return
		}
		logger.WarnContext(r.Context(), "request from another machine refused",
			"remote_addr", r.RemoteAddr, "method", r.Method, "path", r.URL.Path)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write(body)
	})
}

// fromLoopback reports whether remoteAddr (host:port, as net/http sets
// it) is a loopback address, IPv4-mapped IPv6 included. Anything it cannot
// parse is not.
func fromLoopback(remoteAddr string) bool {
	ap, err := netip.ParseAddrPort(remoteAddr)
	return err == nil && ap.Addr().Unmap().IsLoopback()
}
