package auth

import (
	"net/http"
	"time"

	"wisselaar/ent/municipality"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
	"wisselaar/server/httplog"
)

// sessionInfo is the answer of GET /auth/session.
type sessionInfo struct {
	Authenticated  bool               `json:"authenticated"`
	Subject        string             `json:"subject,omitempty"`
	Name           string             `json:"name,omitempty"`
	Email          string             `json:"email,omitempty"`
	Roles          []string           `json:"roles"`
	Municipalities []municipalityInfo `json:"municipalities"`
	// ExpiresAt is the absolute end of the session; it ends earlier when
	// it is idle for longer than the idle timeout.
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
}

type municipalityInfo struct {
	NISCode string `json:"nisCode"`
	Name    string `json:"name"`
}

// session tells the portal whether the browser is signed in, as whom, with
// which roles and municipalities. It needs no CSRF header: it changes
// nothing, and only allowed origins can read the answer (CORS).
func (a *Authenticator) session(w http.ResponseWriter, r *http.Request) {
	row, v, err := a.sessionViewer(w, r)
	if err != nil {
		a.internal(w, r, "reading the session", err)
		return
	}
	if row == nil {
		httplog.WithViewer(r, viewer.Anonymous())
		writeJSON(w, http.StatusOK, sessionInfo{Roles: []string{}, Municipalities: []municipalityInfo{}})
		return
	}
	r = httplog.WithViewer(r, v)
	info := sessionInfo{
		Authenticated: true, Subject: v.Subject, Name: v.Name, Email: v.Email,
		Roles: v.RoleValues(), Municipalities: []municipalityInfo{}, ExpiresAt: &row.ExpiresAt,
	}
	if len(v.Municipalities) > 0 {
		// On the viewer's own behalf: the list of municipalities is public.
		ms, err := a.client.Municipality.Query().
			Where(municipality.NisCodeIn(v.Municipalities...)).
			Order(municipality.ByNisCode()).
			All(r.Context())
		if err != nil {
			a.internal(w, r, "reading the session's municipalities", err)
			return
		}
		for _, m := range ms {
			info.Municipalities = append(info.Municipalities, municipalityInfo{NISCode: m.NisCode, Name: m.Name})
		}
	}
	writeJSON(w, http.StatusOK, info)
}

// logoutInfo is the answer of POST /auth/logout.
type logoutInfo struct {
	// EndSessionURL is where the portal sends the browser to end the
	// session at the identity provider too; absent when the provider has
	// no end_session endpoint.
	EndSessionURL string `json:"endSessionUrl,omitempty"`
}

// logout deletes the session and clears the cookie. It changes state, so
// it takes the CSRF header like any cookie request. The optional returnTo
// (same allow-list as sign-in) becomes the provider's
// post_logout_redirect_uri.
func (a *Authenticator) logout(w http.ResponseWriter, r *http.Request) {
	if reason := a.csrfProblem(r, false); reason != "" {
		a.log(r).InfoContext(r.Context(), "logout refused", "reason", reason, "origin", r.Header.Get("Origin"))
		writeError(w, http.StatusForbidden, apierr.Forbidden, "logout needs the header X-CSRF: 1 and an allowed origin")
		return
	}
	returnTo, ok := a.returnTo.check(r.URL.Query().Get("returnTo"))
	if !ok {
		writeError(w, http.StatusBadRequest, apierr.BadUserInput, "returnTo is not an allowed address")
		return
	}
	idToken := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		row, err := a.sessions.remove(r.Context(), c.Value)
		if err != nil {
			a.internal(w, r, "deleting the session", err)
			return
		}
		if row != nil {
			idToken = row.IDToken
			httplog.WithViewer(r, viewerOf(row))
			a.log(r).InfoContext(r.Context(), "signed out", "viewer", viewerOf(row))
		}
	}
	a.clearSessionCookie(w)
	// Without discovery there is no end-session URL to give, but the
	// session here is gone all the same.
	d, _ := a.issuer.get(r.Context())
	writeJSON(w, http.StatusOK, logoutInfo{EndSessionURL: a.endSessionURL(d, idToken, returnTo)})
}
