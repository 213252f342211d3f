package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"wisselaar/internal/apierr"
)

// loginCookiePrefix starts the name of the cookie that carries one
// sign-in's secrets from /auth/login to /auth/callback. The state is part of
// the name, so that sign-ins started in two tabs do not overwrite each
// other.
const loginCookiePrefix = "wisselaar_login_"

// loginLifetime bounds the time between /auth/login and /auth/callback.
const loginLifetime = 10 * time.Minute

// loginState is what the callback needs to finish a sign-in, and what must
// not be guessable or changeable by anyone but this server: the nonce the ID
// token must carry, the PKCE verifier, and where to go afterwards.
type loginState struct {
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	ReturnTo string `json:"r"`
	Expires  int64  `json:"e"` // unix seconds
}

// stateCodec seals a loginState into a cookie value with AES-GCM: secret
// (the verifier stays out of the browser's reach even with the cookie in
// hand) and tamper-proof. The state is the additional data, so a sealed
// value only opens for the sign-in it was made for.
type stateCodec struct{ aead cipher.AEAD }

func newStateCodecWithKey(key []byte) (stateCodec, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return stateCodec{}, err
	}
	aead, err := cipher.NewGCM(block)
	return stateCodec{aead: aead}, err
}

func (c stateCodec) seal(state string, ls loginState) (string, error) {
	plain, err := json.Marshal(ls)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, c.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(c.aead.Seal(nonce, nonce, plain, []byte(state))), nil
}

func (c stateCodec) open(state, value string, now time.Time) (loginState, error) {
	var ls loginState
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil || len(raw) < c.aead.NonceSize() {
		return ls, errors.New("login cookie is malformed")
	}
	n := c.aead.NonceSize()
	plain, err := c.aead.Open(nil, raw[:n], raw[n:], []byte(state))
	if err != nil {
		return ls, errors.New("login cookie does not open for this state")
	}
	if err := json.Unmarshal(plain, &ls); err != nil {
		return ls, err
	}
	if now.Unix() > ls.Expires {
		return ls, errors.New("login has expired")
	}
	return ls, nil
}

// randomString returns 256 random bits, base64url-encoded.
func randomString() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// login starts the authorization code flow: it remembers the sign-in's
// secrets in a sealed cookie and sends the browser to the provider.
func (a *Authenticator) login(w http.ResponseWriter, r *http.Request) {
	returnTo, ok := a.returnTo.check(r.URL.Query().Get("returnTo"))
	if !ok {
		a.log(r).InfoContext(r.Context(), "sign-in refused: returnTo not allowed", "returnTo", r.URL.Query().Get("returnTo"))
		writeError(w, http.StatusBadRequest, apierr.BadUserInput, "returnTo is not an allowed address")
		return
	}
	d, err := a.issuer.get(r.Context())
	if err != nil {
		a.providerDown(w, r, err)
		return
	}
	state, nonce, verifier := randomString(), randomString(), oauth2.GenerateVerifier()
	sealed, err := a.state.seal(state, loginState{
		Nonce: nonce, Verifier: verifier, ReturnTo: returnTo,
		Expires: a.cfg.Now().Add(loginLifetime).Unix(),
	})
	if err != nil {
		a.internal(w, r, "sealing the login state", err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     loginCookiePrefix + state,
		Value:    sealed,
		Path:     callbackPath, // sent nowhere else
		MaxAge:   int(loginLifetime.Seconds()),
		HttpOnly: true,
		Secure:   a.secure,
		// Lax, not Strict: the callback is a top-level navigation coming
		// from the provider's site.
		SameSite: http.SameSiteLaxMode,
	})
	dest := a.oauth2Config(d).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
	http.Redirect(w, r, dest, http.StatusFound)
}

// callback finishes the sign-in: it checks the state (the sealed cookie of
// this browser must exist for it), exchanges the code with the PKCE
// verifier, verifies the ID token for the portal's client ID, compares the
// nonce, maps the roles, creates the session and sends the browser back.
func (a *Authenticator) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ls, err := a.takeLoginState(w, r, q.Get("state"))
	if err != nil {
		a.log(r).InfoContext(r.Context(), "sign-in callback refused", "reason", err.Error())
		writeError(w, http.StatusBadRequest, apierr.BadUserInput,
			"this sign-in is unknown or has expired; start again from the portal")
		return
	}
	if e := q.Get("error"); e != "" {
		a.signInFailed(w, r, fmt.Errorf("provider answered %s: %s", e, q.Get("error_description")))
		return
	}
	d, err := a.issuer.get(r.Context())
	if err != nil {
		a.providerDown(w, r, err)
		return
	}
	ctx := a.issuer.context(r.Context())
	tok, err := a.oauth2Config(d).Exchange(ctx, q.Get("code"), oauth2.VerifierOption(ls.Verifier))
	if err != nil {
		a.signInFailed(w, r, fmt.Errorf("code exchange: %w", err))
		return
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		a.signInFailed(w, r, errors.New("no ID token in the token response"))
		return
	}
	idTok, err := d.id.Verify(ctx, rawID)
	if err != nil {
		a.signInFailed(w, r, fmt.Errorf("ID token: %w", err))
		return
	}
	if subtle.ConstantTimeCompare([]byte(idTok.Nonce), []byte(ls.Nonce)) != 1 {
		a.signInFailed(w, r, errors.New("ID token nonce does not match"))
		return
	}
	var claims map[string]any
	if err := idTok.Claims(&claims); err != nil {
		a.signInFailed(w, r, err)
		return
	}
	a.addUserInfo(r, d, tok, idTok.Subject, claims)
	id := identityFrom(a.mapping, claims)
	if id.Subject == "" {
		a.signInFailed(w, r, errors.New("ID token has no subject"))
		return
	}
	v, err := viewerFor(r.Context(), a.client, id)
	if err != nil {
		a.internal(w, r, "building the viewer at sign-in", err)
		return
	}
	// A new sign-in replaces the browser's old session rather than leaving
	// it behind in the table.
	if c, err := r.Cookie(sessionCookie); err == nil {
		if _, err := a.sessions.remove(r.Context(), c.Value); err != nil {
			a.log(r).WarnContext(r.Context(), "removing the previous session", "err", err)
		}
	}
	token, err := a.sessions.create(r.Context(), v, rawID)
	if err != nil {
		a.internal(w, r, "creating the session", err)
		return
	}
	a.setSessionCookie(w, token)
	a.log(r).InfoContext(r.Context(), "signed in", "viewer", v)
	http.Redirect(w, r, ls.ReturnTo, http.StatusFound)
}

// takeLoginState opens the login cookie of state and clears it: each
// sign-in's secrets are usable once.
func (a *Authenticator) takeLoginState(w http.ResponseWriter, r *http.Request, state string) (loginState, error) {
	if !wellFormed(state) {
		return loginState{}, errors.New("state missing or malformed")
	}
	c, err := r.Cookie(loginCookiePrefix + state)
	if err != nil {
		return loginState{}, errors.New("no login cookie for this state (expired, used, or another browser)")
	}
	http.SetCookie(w, &http.Cookie{
		Name: c.Name, Value: "", Path: callbackPath, MaxAge: -1,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode,
	})
	return a.state.open(state, c.Value, a.cfg.Now())
}

// addUserInfo fills in claims the mapping needs but the ID token lacks.
// Some providers (Keycloak's default realm-roles mapper, for one) put roles
// in the access token and userinfo but not in the ID token. Failures are
// logged: the sign-in then goes on with fewer rights, never more.
func (a *Authenticator) addUserInfo(r *http.Request, d *discovered, tok *oauth2.Token, subject string, claims map[string]any) {
	missing := false
	for _, p := range a.mapping.claimPaths() {
		if claimAt(claims, p) == nil {
			missing = true
		}
	}
	if !missing || d.provider.UserInfoEndpoint() == "" {
		return
	}
	info, err := d.provider.UserInfo(a.issuer.context(r.Context()), oauth2.StaticTokenSource(tok))
	if err != nil {
		a.log(r).WarnContext(r.Context(), "userinfo at sign-in", "err", err)
		return
	}
	var extra map[string]any
	if err := info.Claims(&extra); err != nil || info.Subject != subject {
		// OIDC Core 5.3.2: userinfo of another subject must not be used.
		a.log(r).WarnContext(r.Context(), "userinfo at sign-in not used", "err", err, "subject_matches", info.Subject == subject)
		return
	}
	for k, v := range extra {
		if _, ok := claims[k]; !ok {
			claims[k] = v
		}
	}
}

// signInFailed answers a callback that cannot finish; the browser shows
// the message, the log the reason.
func (a *Authenticator) signInFailed(w http.ResponseWriter, r *http.Request, err error) {
	a.log(r).WarnContext(r.Context(), "sign-in failed", "reason", err.Error())
	writeError(w, http.StatusUnauthorized, apierr.Unauthenticated, "sign-in failed; start again from the portal")
}

func (a *Authenticator) providerDown(w http.ResponseWriter, r *http.Request, err error) {
	a.log(r).ErrorContext(r.Context(), "identity provider unavailable", "err", err)
	writeError(w, http.StatusServiceUnavailable, apierr.Internal, "the identity provider cannot be reached; try again later")
}

// endSessionURL is the provider's end_session endpoint with the parameters
// of OpenID Connect RP-Initiated Logout, or "" when it has none.
func (a *Authenticator) endSessionURL(d *discovered, idToken, returnTo string) string {
	if d == nil || d.endSession == "" {
		return ""
	}
	u, err := url.Parse(d.endSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("client_id", a.cfg.ClientID)
	q.Set("post_logout_redirect_uri", returnTo)
	if idToken != "" {
		q.Set("id_token_hint", idToken)
	}
	u.RawQuery = q.Encode()
	return u.String()
}
