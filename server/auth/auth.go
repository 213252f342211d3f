// Package auth decides who makes each request and serves the sign-in
// endpoints of the portal.
//
// There are two ways in, and a request uses at most one:
//
//   - Machine clients (partner tools, scripts) send "Authorization: Bearer
//     <JWT>", an access token of the configured issuer for the API's
//     audience. go-oidc verifies it against the issuer's published keys:
//     issuer, expiry, not-before, signature (RS256 or ES256 only) and
//     audience, so an ID token issued to the portal is refused. A token that
//     fails any check is answered 401 UNAUTHENTICATED; the reason goes to
//     the log only.
//   - The portal (a single-page app on another origin) never sees a token.
//     Its backend-for-frontend here runs the authorization code flow with
//     PKCE, state and nonce (/auth/login, /auth/callback), keeps the session
//     in the database and gives the browser an opaque HttpOnly cookie. A
//     request authenticated by that cookie must show it is no cross-site
//     forgery: POST, a JSON body, the header "X-CSRF: 1", and an allowed
//     Origin when it names one; otherwise it is answered 403 FORBIDDEN.
//
// A request with both a bearer token and a cookie is judged by the token
// alone. A request with neither, or with a cookie of an unknown, expired or
// forged session, is anonymous (and the stale cookie is cleared).
//
// Roles come from the token's claims through a configured RoleMapping;
// municipalities are looked up in the database, so nothing a caller sends
// can grant rights on a municipality the portal does not know.
//
// Without a configured issuer the embedded development provider
// (server/devidp) is mounted at /dev-idp/ and used exactly like a real one;
// see docs/auth.md.
package auth

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"wisselaar/ent"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
	"wisselaar/internal/db"
	"wisselaar/server/httplog"
	"wisselaar/server/requestid"
)

// Paths the authenticator serves.
const (
	loginPath    = "/auth/login"
	callbackPath = "/auth/callback"
	sessionPath  = "/auth/session"
	logoutPath   = "/auth/logout"
	devPath      = "/dev-idp"
)

// Config configures the authenticator. server.NewAuth fills it from the
// server's configuration (environment variables, see docs/auth.md).
type Config struct {
	// PublicURL is where clients reach the server, without a trailing
	// slash: the base of the redirect URI, the development provider's
	// issuer, and an allowed origin.
	PublicURL string
	// Issuer is the OIDC issuer URL. It must be empty with Development.
	Issuer string
	// Development mounts the embedded development provider at /dev-idp/
	// and uses it as the issuer (PublicURL + "/dev-idp").
	Development bool
	// ClientID and ClientSecret identify the portal's backend-for-frontend
	// at the issuer; an empty secret makes it a public client.
	ClientID     string
	ClientSecret string
	// Audience is the API's identifier, the aud bearer tokens must carry.
	Audience string
	// Scopes requested at sign-in; "openid" is added when missing.
	Scopes []string
	// RolesClaim is the claim path (dot-separated; several separated by
	// commas) of the role values; RoleMapping translates them (see
	// RoleMapping for the format).
	RolesClaim  string
	RoleMapping string
	// AllowedOrigins may call the API from a browser with credentials;
	// the public URL's own origin always may.
	AllowedOrigins []string
	// AllowedReturnTo are URL prefixes sign-in may send the browser back to,
	// besides any URL on an allowed origin.
	AllowedReturnTo []string
	// SessionIdle ends a session that has not been used for this long;
	// SessionMax ends any session this long after sign-in.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// LoginStateKey, when set, seals the login state cookie, so that any
	// replica configured with the same key finishes a sign-in another
	// started. Empty derives the key from ClientSecret, or makes a random
	// one per process.
	LoginStateKey string
	// HTTPClient talks to a real issuer; nil means a client with a 10 s
	// timeout. It is not used for the development provider, which is served
	// in-process.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now. Tests move it.
	Now func() time.Time
}

// Authenticator implements server.Authenticator.
type Authenticator struct {
	cfg      Config
	logger   *slog.Logger
	client   *ent.Client
	mapping  *RoleMapping
	issuer   *issuer
	sessions *sessionStore
	origins  originSet
	returnTo returnToPolicy
	secure   bool       // cookies carry Secure
	state    stateCodec // seals the login state cookie
	dev      http.Handler
}

// New returns the authenticator for cfg. It checks the configuration but
// does not contact the issuer: discovery happens on first use (and is
// attempted once in the background right away, to report a misconfigured
// issuer early in the log).
func New(ctx context.Context, cfg Config, client *ent.Client, logger *slog.Logger) (*Authenticator, error) {
	if logger == nil {
		logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	public, err := parseOrigin(cfg.PublicURL, true)
	if err != nil {
		return nil, fmt.Errorf("PUBLIC_URL: %w", err)
	}
	switch {
	case cfg.Development && cfg.Issuer != "":
		// Never both: a real deployment must not have a door anyone can walk through.
		return nil, errors.New("the development provider cannot run alongside a configured issuer")
	case !cfg.Development && cfg.Issuer == "":
		return nil, errors.New("OIDC_ISSUER is not set")
	case cfg.ClientID == "" || cfg.Audience == "":
		return nil, errors.New("OIDC_CLIENT_ID and OIDC_AUDIENCE must be set")
	case cfg.ClientID == cfg.Audience:
		// Then an ID token issued to the portal would pass as an access token.
		return nil, errors.New("OIDC_CLIENT_ID and OIDC_AUDIENCE must differ")
	case cfg.SessionIdle <= 0 || cfg.SessionMax <= 0:
		return nil, errors.New("SESSION_IDLE_TIMEOUT and SESSION_MAX_AGE must be positive")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{"openid", "profile", "email"}
	}

	a := &Authenticator{cfg: cfg, logger: logger, client: client}
	if a.mapping, err = ParseRoleMapping(cfg.RolesClaim, cfg.RoleMapping); err != nil {
		return nil, err
	}
	if a.origins, err = newOriginSet(public, cfg.AllowedOrigins); err != nil {
		return nil, fmt.Errorf("CORS_ALLOWED_ORIGINS: %w", err)
	}
	if a.returnTo, err = newReturnToPolicy(cfg.PublicURL, a.origins, cfg.AllowedReturnTo); err != nil {
		return nil, fmt.Errorf("AUTH_RETURN_TO_ALLOWLIST: %w", err)
	}
	a.secure = !isLocal(public)
	if !a.secure {
		logger.Info("session cookies are not marked Secure: the public URL is local plain http", "public_url", cfg.PublicURL)
	} else if public.Scheme != "https" {
		logger.Warn("session cookies are marked Secure but the public URL is plain http: browsers will not keep them", "public_url", cfg.PublicURL)
	}
	a.sessions = &sessionStore{client: client, idle: cfg.SessionIdle, max: cfg.SessionMax, now: cfg.Now, logger: logger}
	if a.state, err = newStateCodec(cfg.LoginStateKey, cfg.ClientSecret); err != nil {
		return nil, err
	}
	if cfg.LoginStateKey == "" && cfg.ClientSecret == "" && !cfg.Development {
		logger.Warn("OIDC_CLIENT_SECRET and LOGIN_STATE_KEY are empty: the portal signs in as a public client, and a " +
			"sign-in must come back to the replica that started it (the login state is sealed with a per-process key); " +
			"set LOGIN_STATE_KEY, the same on every replica, to run more than one")
	}

	a.issuer = &issuer{url: cfg.Issuer, client: cfg.HTTPClient, audience: cfg.Audience, clientID: cfg.ClientID}
	if a.issuer.client == nil {
		a.issuer.client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Development {
		if public.Path != "" {
			// The provider is mounted at /dev-idp/ of this server, and its
			// issuer must name exactly that.
			return nil, errors.New("PUBLIC_URL: the development provider needs a public URL without a path")
		}
		iss, h, err := newDevProvider(cfg, a.returnTo.postLogoutURIs(), logger)
		if err != nil {
			return nil, err
		}
		a.dev = h
		a.issuer.url = iss
		a.issuer.client = &http.Client{Timeout: 10 * time.Second, Transport: &inProcess{origin: public, handler: h}}
		logger.Warn("SIGN-IN USES THE EMBEDDED DEVELOPMENT PROVIDER: anyone can sign in as any demo user "+
			"without a password. Set OIDC_ISSUER for any real deployment.", "issuer", iss)
	}
	go func() {
		if _, err := a.issuer.get(context.WithoutCancel(ctx)); err != nil {
			logger.Warn("OIDC discovery failed; retrying on first use", "issuer", a.issuer.url, "err", err)
		}
	}()
	return a, nil
}

// Register adds the /auth/* routes, and the development provider when it is
// active, to mux.
func (a *Authenticator) Register(mux *http.ServeMux) {
	routes := http.NewServeMux()
	routes.HandleFunc("GET "+loginPath, a.login)
	routes.HandleFunc("GET "+callbackPath, a.callback)
	routes.HandleFunc("GET "+sessionPath, a.session)
	routes.HandleFunc("POST "+logoutPath, a.logout)
	mux.Handle("/auth/", a.cors(noStore(routes)))
	if a.dev != nil {
		// The provider redirects its issuer URL (no slash) to its home page.
		mux.Handle(devPath, a.dev)
		mux.Handle(devPath+"/", a.dev)
	}
}

// Middleware puts the request's viewer in its context, or answers the
// request itself when its credentials are refused. It also answers CORS
// preflights for the API.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return a.cors(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := a.authenticate(w, r)
		if !ok {
			return
		}
		next.ServeHTTP(w, httplog.WithViewer(r, v))
	}))
}

// authenticate returns the request's viewer. When the request is refused
// it has written the answer and returns false.
func (a *Authenticator) authenticate(w http.ResponseWriter, r *http.Request) (*viewer.Viewer, bool) {
	if authz := r.Header.Get("Authorization"); authz != "" {
		v, err := a.bearer(r.Context(), authz)
		if err != nil {
			a.refuseBearer(w, r, err)
			return nil, false
		}
		return v, true
	}
	sess, v, err := a.sessionViewer(w, r)
	if err != nil {
		a.internal(w, r, "reading the session", err)
		return nil, false
	}
	if sess == nil {
		return viewer.Anonymous(), true
	}
	if reason := a.csrfProblem(r, true); reason != "" {
		a.log(r).InfoContext(r.Context(), "cookie request refused", "reason", reason, "viewer", v,
			"origin", r.Header.Get("Origin"), "method", r.Method)
		writeError(w, http.StatusForbidden, apierr.Forbidden, csrfMessage)
		return nil, false
	}
	return v, true
}

// log returns the logger for lines about request r, which carry its
// request ID like the request's own log line.
func (a *Authenticator) log(r *http.Request) *slog.Logger {
	return a.logger.With("request_id", requestid.FromContext(r.Context()))
}

// internal answers a failure that is not the client's doing.
func (a *Authenticator) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	rid := requestid.FromContext(r.Context())
	if db.Unavailable(err) || errors.Is(r.Context().Err(), context.DeadlineExceeded) {
		// The database did not answer: no bug, and worth trying again.
		a.log(r).WarnContext(r.Context(), "auth: "+what, "err", err, "request_id", rid)
		writeError(w, http.StatusServiceUnavailable, apierr.Unavailable, "the database is unavailable; try again later")
		return
	}
	a.log(r).ErrorContext(r.Context(), "auth: "+what, "err", err, "request_id", rid)
	writeError(w, http.StatusInternalServerError, apierr.Internal, "internal error; quote request ID "+rid+" when reporting it")
}

// newStateCodec derives the login state key from the configured key, else
// from the client secret when there is one, so that every replica can open
// a login state cookie sealed by another; without either, a random key per
// process.
func newStateCodec(configured, clientSecret string) (stateCodec, error) {
	var key []byte
	var err error
	if configured != "" {
		key, err = hkdf.Key(sha256.New, []byte(configured), nil, "wisselaar login state key v1", 32)
	} else if clientSecret != "" {
		key, err = hkdf.Key(sha256.New, []byte(clientSecret), nil, "wisselaar login state v1", 32)
	} else {
		key = make([]byte, 32)
		_, err = rand.Read(key)
	}
	if err != nil {
		return stateCodec{}, err
	}
	return newStateCodecWithKey(key)
}

// isLocal reports whether u is plain http on the local machine, where a
// browser would drop Secure cookies.
func isLocal(u *url.URL) bool {
	if u.Scheme != "http" {
		return false
	}
	switch u.Hostname() {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}
