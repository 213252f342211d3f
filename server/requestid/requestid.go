// Package requestid gives every request an ID that appears in its logs, in
// the X-Request-ID response header and in INTERNAL error messages, so that
// a user's report can be matched to the server's log.
package requestid

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
)

type ctxKey struct{}

// Header is the header that carries the request ID both ways.
const Header = "X-Request-ID"

// acceptable limits IDs taken from a proxy to harmless characters.
var acceptable = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// Middleware assigns the request its ID: the one a proxy in front already
// set, when it looks sane, or a new random one.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(Header)
		if !acceptable.MatchString(id) {
			id = New()
		}
		w.Header().Set(Header, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, id)))
	})
}

// New returns a new random request ID.
func New() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// FromContext returns the request's ID, or "" outside a request.
func FromContext(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}
