package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
)

// Failures of a bearer request that are not the token's fault.
var (
	errProviderDown = errors.New("identity provider unavailable")
	errViewerLookup = errors.New("building the viewer")
)

// bearer verifies the access token in the Authorization header value and
// returns its viewer. Every check is go-oidc's: signature against the
// issuer's published keys (RS256 or ES256 only), issuer, audience = the
// API, expiry and not-before.
func (a *Authenticator) bearer(ctx context.Context, authz string) (*viewer.Viewer, error) {
	scheme, raw, _ := strings.Cut(authz, " ")
	raw = strings.TrimSpace(raw)
	if !strings.EqualFold(scheme, "Bearer") || raw == "" {
		return nil, errors.New("authorization header is not a bearer token")
	}
	d, err := a.issuer.get(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errProviderDown, err)
	}
	tok, err := d.access.Verify(a.issuer.context(ctx), raw)
	if err != nil {
		return nil, err
	}
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return nil, err
	}
	id := identityFrom(a.mapping, claims)
	if id.Subject == "" {
		return nil, errors.New("token has no subject")
	}
	v, err := viewerFor(ctx, a.client, id)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errViewerLookup, err)
	}
	v.Machine = true
	return v, nil
}

// refuseBearer answers a bearer request that could not be authenticated.
// The client learns only that its token was refused: why (expired, wrong
// audience, unknown key ...) helps an attacker more than a partner, and is
// in the log for the operators.
func (a *Authenticator) refuseBearer(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, errProviderDown):
		a.log(r).ErrorContext(r.Context(), "bearer token not verified: identity provider unavailable", "err", err)
		writeError(w, http.StatusServiceUnavailable, apierr.Internal, "the identity provider cannot be reached; try again later")
	case errors.Is(err, errViewerLookup):
		a.internal(w, r, "bearer token", err)
	default:
		a.log(r).InfoContext(r.Context(), "bearer token refused", "reason", err.Error())
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeError(w, http.StatusUnauthorized, apierr.Unauthenticated, "the bearer token is not valid")
	}
}
