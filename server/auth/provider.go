package auth

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"wisselaar/server/devidp"
)

// signingAlgs are the only algorithms a token may be signed with. Naming
// them keeps "none" and the HMAC family out even if the provider's discovery
// document lists them, so a token "signed" with the public key as an HMAC
// secret is refused before any key is looked at.
var signingAlgs = []string{oidc.RS256, oidc.ES256}

// discoveryRetry is how long a failed discovery is remembered before the
// next request tries again, so that an unreachable provider is not hammered
// by every request.
const discoveryRetry = 5 * time.Second

// issuer is the OpenID provider as the server sees it. Discovery (and with
// it the keys) is fetched on first use and retried after a failure, rather
// than at construction: the server must start even when the provider is
// briefly unreachable, and the development provider is served by this very
// server, which is not listening yet when it is constructed.
type issuer struct {
	url      string
	client   *http.Client // every request to the provider goes through it
	audience string       // aud of access tokens (bearer)
	clientID string       // aud of ID tokens (the portal's sign-in)

	mu      sync.Mutex
	ready   *discovered
	lastErr error
	lastTry time.Time
}

// discovered is what the server knows once discovery succeeded.
type discovered struct {
	provider   *oidc.Provider
	access     *oidc.IDTokenVerifier // bearer access tokens: aud = audience
	id         *oidc.IDTokenVerifier // ID tokens from sign-in: aud = client ID
	endSession string                // "" when the provider has none
}

// context returns ctx carrying the issuer's HTTP client, for go-oidc and
// golang.org/x/oauth2 (both read it from the same context key).
func (i *issuer) context(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, i.client)
}

// get returns the discovered provider, running discovery if it has not
// succeeded yet.
func (i *issuer) get(ctx context.Context) (*discovered, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.ready != nil {
		return i.ready, nil
	}
	if i.lastErr != nil && time.Since(i.lastTry) < discoveryRetry {
		return nil, i.lastErr
	}
	i.lastTry = time.Now()
	// Not the request's own cancellation: one impatient client must not
	// fail discovery for everyone waiting on the lock.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	// go-oidc keeps the HTTP client of this context for its key set, which
	// fetches keys again whenever a token names a key it does not know
	// (key rotation).
	p, err := oidc.NewProvider(i.context(ctx), i.url)
	if err != nil {
		i.lastErr = fmt.Errorf("discovery of %s: %w", i.url, err)
		return nil, i.lastErr
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = p.Claims(&meta) // the same document NewProvider just parsed
	i.ready = &discovered{
		provider:   p,
		access:     p.Verifier(&oidc.Config{ClientID: i.audience, SupportedSigningAlgs: signingAlgs}),
		id:         p.Verifier(&oidc.Config{ClientID: i.clientID, SupportedSigningAlgs: signingAlgs}),
		endSession: meta.EndSession,
	}
	i.lastErr = nil
	return i.ready, nil
}

// newDevProvider builds the embedded development provider for the
// zero-setup run: issuer PublicURL/dev-idp, the portal as its browser
// client, the demo users. It returns the issuer URL and the handler to
// mount at /dev-idp/ (and /dev-idp). The handler answers only requests from
// this machine; the server's own calls get through because inProcess gives
// them a loopback RemoteAddr.
func newDevProvider(cfg Config, postLogout []string, logger *slog.Logger) (string, http.Handler, error) {
	iss := cfg.PublicURL + "/dev-idp"
	h, err := devidp.New(devidp.Config{
		Issuer:   iss,
		Audience: cfg.Audience,
		Clients: []devidp.Client{{
			ID:                     cfg.ClientID,
			Secret:                 cfg.ClientSecret,
			RedirectURIs:           []string{cfg.PublicURL + callbackPath},
			PostLogoutRedirectURIs: postLogout,
		}},
		Users: devidp.DemoUsers(),
		// Back to GraphiQL (the public URL's root) once signed in.
		SignInURL: loginPath + "?returnTo=/",
		Logger:    logger,
	})
	return iss, h, err
}

// inProcess is an http.RoundTripper that serves requests for one origin
// with a handler in this process instead of the network. The server uses it
// to talk to its own development provider: discovery, keys, the token
// exchange and userinfo go through go-oidc and oauth2 exactly as with a
// real provider, yet need neither the listener (not up yet at construction;
// an httptest URL in tests) nor a PUBLIC_URL that is reachable from inside
// the server (behind a container's port mapping it often is not).
type inProcess struct {
	origin  *url.URL // scheme and host served in-process
	handler http.Handler
}

// RoundTrip implements http.RoundTripper. Requests for other origins are
// refused: the development provider's client has no business elsewhere.
func (t *inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != t.origin.Scheme || req.URL.Host != t.origin.Host {
		return nil, fmt.Errorf("auth: request to %s://%s is not for the development provider", req.URL.Scheme, req.URL.Host)
	}
	in := req.Clone(req.Context())
	in.Host = req.URL.Host
	in.RequestURI = req.URL.RequestURI()
	// The provider answers only loopback peers, and this request never
	// left the process.
	in.RemoteAddr = "127.0.0.1:0"
	if in.Body == nil {
		in.Body = http.NoBody
	}
	rec := &recorder{header: http.Header{}}
	t.handler.ServeHTTP(rec, in)
	if req.Body != nil {
		req.Body.Close() // a RoundTripper must close the request body
	}
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rec.header,
		Body:          io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		ContentLength: int64(rec.body.Len()),
		Request:       req,
	}, nil
}

// recorder is the http.ResponseWriter of an in-process request.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

// oauth2Config is the portal's client configuration at the provider.
func (a *Authenticator) oauth2Config(d *discovered) *oauth2.Config {
	ep := d.provider.Endpoint()
	if a.cfg.ClientSecret == "" {
		// A public client identifies itself with client_id in the form.
		ep.AuthStyle = oauth2.AuthStyleInParams
	}
	scopes := slices.Clone(a.cfg.Scopes)
	if !slices.Contains(scopes, oidc.ScopeOpenID) {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	return &oauth2.Config{
		ClientID:     a.cfg.ClientID,
		ClientSecret: a.cfg.ClientSecret,
		Endpoint:     ep,
		RedirectURL:  a.cfg.PublicURL + callbackPath,
		Scopes:       scopes,
	}
}
