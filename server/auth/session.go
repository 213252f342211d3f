package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"wisselaar/ent"
	"wisselaar/ent/session"
	"wisselaar/ent/viewer"
)

// sessionCookie holds the opaque session token in the browser.
const sessionCookie = "wisselaar_session"

// touchEvery is how stale last_seen_at may get before a request updates it:
// idle expiry needs no finer clock, and most requests then write nothing.
const touchEvery = time.Minute

// sweepEvery bounds how often expired rows are deleted.
const sweepEvery = time.Minute

// sessionStore keeps browser sessions in the database, so that any replica
// can serve any request. A row holds the SHA-256 of the token, never the
// token itself: a leaked table does not let anyone in.
type sessionStore struct {
	client    *ent.Client
	idle, max time.Duration
	now       func() time.Time
	logger    *slog.Logger
	lastSweep atomic.Int64 // unix nanoseconds
}

// Sessions are read and written by the server itself, never on behalf of
// the caller, hence the system context throughout.
func sys(ctx context.Context) context.Context { return viewer.SystemContext(ctx) }

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// wellFormed reports whether token can be one of ours (256 bits,
// base64url), which spares the database a lookup for garbage.
func wellFormed(token string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) == 32
}

// create stores a new session for v and returns its token.
func (s *sessionStore) create(ctx context.Context, v *viewer.Viewer, idToken string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	expires := now.Add(s.max)
	err := s.client.Session.Create().
		SetTokenHash(hashToken(token)).
		SetSubject(v.Subject).
		SetName(v.Name).
		SetEmail(v.Email).
		SetRoles(v.RoleValues()).
		SetIDToken(idToken).
		SetLastSeenAt(now).
		SetExpiresAt(expires).
		Exec(sys(ctx))
	if err != nil {
		return "", err
	}
	s.sweep(ctx)
	return token, nil
}

// find returns the live session of token, or nil. An expired session is
// deleted on the spot; a live one has its last_seen_at moved on, at most
// once a minute.
func (s *sessionStore) find(ctx context.Context, token string) (*ent.Session, error) {
	if !wellFormed(token) {
		return nil, nil
	}
	row, err := s.client.Session.Query().Where(session.TokenHash(hashToken(token))).Only(sys(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !now.Before(row.ExpiresAt) || !now.Before(row.LastSeenAt.Add(s.idle)) {
		if err := s.client.Session.DeleteOne(row).Exec(sys(ctx)); err != nil && !ent.IsNotFound(err) {
			return nil, err
		}
		return nil, nil
	}
	if now.Sub(row.LastSeenAt) >= touchEvery {
		// Conditional, so that concurrent requests write once.
		_, err := s.client.Session.Update().
			Where(session.ID(row.ID), session.LastSeenAtLT(now.Add(-touchEvery))).
			SetLastSeenAt(now).
			Save(sys(ctx))
		if err != nil {
			return nil, err
		}
		row.LastSeenAt = now
	}
	return row, nil
}

// remove deletes the session of token and returns it (nil if there was
// none), whether or not it had expired.
func (s *sessionStore) remove(ctx context.Context, token string) (*ent.Session, error) {
	if !wellFormed(token) {
		return nil, nil
	}
	row, err := s.client.Session.Query().Where(session.TokenHash(hashToken(token))).Only(sys(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := s.client.Session.DeleteOne(row).Exec(sys(ctx)); err != nil && !ent.IsNotFound(err) {
		return nil, err
	}
	return row, nil
}

// sweep deletes expired sessions, at most once a minute per process. It is
// bookkeeping: a failure is logged, not passed on.
func (s *sessionStore) sweep(ctx context.Context) {
	now := s.now()
	last := s.lastSweep.Load()
	if now.UnixNano()-last < int64(sweepEvery) || !s.lastSweep.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	n, err := s.client.Session.Delete().
		Where(session.Or(session.ExpiresAtLTE(now), session.LastSeenAtLTE(now.Add(-s.idle)))).
		Exec(sys(ctx))
	if err != nil {
		s.logger.WarnContext(ctx, "deleting expired sessions", "err", err)
		return
	}
	if n > 0 {
		s.logger.DebugContext(ctx, "expired sessions deleted", "count", n)
	}
}

// viewerOf rebuilds the viewer that signed in. Roles were mapped and
// municipalities resolved at sign-in.
func viewerOf(row *ent.Session) *viewer.Viewer {
	roles, nis := viewer.ParseRoles(row.Roles)
	return &viewer.Viewer{Subject: row.Subject, Name: row.Name, Email: row.Email, Roles: roles, Municipalities: nis}
}

// sessionViewer returns the live session of the request's cookie and its
// viewer, or nils. A cookie without a live session is cleared, so the
// browser stops sending it.
func (a *Authenticator) sessionViewer(w http.ResponseWriter, r *http.Request) (*ent.Session, *viewer.Viewer, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, nil, nil
	}
	row, err := a.sessions.find(r.Context(), c.Value)
	if err != nil {
		return nil, nil, err
	}
	if row == nil {
		a.log(r).DebugContext(r.Context(), "session cookie without a live session: anonymous")
		a.clearSessionCookie(w)
		return nil, nil, nil
	}
	return row, viewerOf(row), nil
}

// setSessionCookie gives the browser the session token. The cookie lives
// as long as the session can (the server enforces both expiries anyway);
// SameSite=Lax keeps it off cross-site subrequests and POSTs.
func (a *Authenticator) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   int(a.cfg.SessionMax.Seconds()),
		HttpOnly: true,
		Secure:   a.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

func (a *Authenticator) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode,
	})
}
