package devidp

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

const (
	testAudience    = "wisselaar-api"
	testClientID    = "wisselaar-web"
	testRedirectURI = "http://localhost:5173/auth/callback"
	testLogoutURI   = "http://localhost:5173/"
)

// fixture is the provider under httptest, mounted the way the server mounts it.
type fixture struct {
	srv      *httptest.Server
	issuer   string
	provider *oidc.Provider
	ctx      context.Context // carries srv's client for oauth2
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	issuer := srv.URL + "/dev-idp"

	idp, err := New(Config{
		Issuer:   issuer,
		Audience: testAudience,
		Clients: []Client{{
			ID:                     testClientID,
			RedirectURIs:           []string{testRedirectURI},
			PostLogoutRedirectURIs: []string{testLogoutURI},
		}},
		Users:  DemoUsers(),
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	mux.Handle("/dev-idp/", idp)

	ctx := oidc.ClientContext(t.Context(), srv.Client())
	provider, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	return &fixture{srv: srv, issuer: issuer, provider: provider, ctx: ctx}
}

// apiVerifier verifies access tokens the way the API does.
func (f *fixture) apiVerifier() *oidc.IDTokenVerifier {
	return f.provider.Verifier(&oidc.Config{ClientID: testAudience})
}

// spaVerifier verifies ID tokens the way the SPA does.
func (f *fixture) spaVerifier() *oidc.IDTokenVerifier {
	return f.provider.Verifier(&oidc.Config{ClientID: testClientID})
}

type tokenClaims struct {
	Sub               string   `json:"sub"`
	Aud               []string `json:"aud"`
	Name              string   `json:"name"`
	Email             string   `json:"email"`
	PreferredUsername string   `json:"preferred_username"`
	Roles             []string `json:"roles"`
	Nonce             string   `json:"nonce"`
	Exp               int64    `json:"exp"`
	Iat               int64    `json:"iat"`
}

func claimsOf(t *testing.T, tok *oidc.IDToken) tokenClaims {
	t.Helper()
	var c tokenClaims
	if err := tok.Claims(&c); err != nil {
		t.Fatalf("claims: %v", err)
	}
	return c
}

func TestDiscovery(t *testing.T) {
	f := newFixture(t)

	var meta struct {
		Issuer                string   `json:"issuer"`
		AuthorizationEndpoint string   `json:"authorization_endpoint"`
		TokenEndpoint         string   `json:"token_endpoint"`
		UserinfoEndpoint      string   `json:"userinfo_endpoint"`
		EndSessionEndpoint    string   `json:"end_session_endpoint"`
		JWKSURI               string   `json:"jwks_uri"`
		CodeChallengeMethods  []string `json:"code_challenge_methods_supported"`
		GrantTypes            []string `json:"grant_types_supported"`
		SigningAlgs           []string `json:"id_token_signing_alg_values_supported"`
		Introspection         string   `json:"introspection_endpoint"`
	}
	if err := f.provider.Claims(&meta); err != nil {
		t.Fatal(err)
	}
	if meta.Issuer != f.issuer {
		t.Errorf("issuer = %q, want %q", meta.Issuer, f.issuer)
	}
	for name, u := range map[string]string{
		"authorization": meta.AuthorizationEndpoint, "token": meta.TokenEndpoint,
		"userinfo": meta.UserinfoEndpoint, "end_session": meta.EndSessionEndpoint, "jwks": meta.JWKSURI,
	} {
		if !strings.HasPrefix(u, f.issuer+"/") {
			t.Errorf("%s endpoint %q is not below the issuer", name, u)
		}
	}
	if !slices.Equal(meta.CodeChallengeMethods, []string{"S256"}) {
		t.Errorf("code_challenge_methods_supported = %v", meta.CodeChallengeMethods)
	}
	if !slices.Equal(meta.GrantTypes, []string{"authorization_code", "client_credentials"}) {
		t.Errorf("grant_types_supported = %v", meta.GrantTypes)
	}
	if !slices.Equal(meta.SigningAlgs, []string{"RS256"}) {
		t.Errorf("id_token_signing_alg_values_supported = %v", meta.SigningAlgs)
	}
	if meta.Introspection != "" {
		t.Errorf("introspection is advertised but not served: %q", meta.Introspection)
	}

	// JWKS is reachable and holds one RSA signing key.
	resp, err := f.srv.Client().Get(meta.JWKSURI)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var jwks struct {
		Keys []struct{ Kty, Alg, Use, Kid string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&jwks); err != nil {
		t.Fatal(err)
	}
	if len(jwks.Keys) != 1 || jwks.Keys[0].Kty != "RSA" || jwks.Keys[0].Alg != "RS256" || jwks.Keys[0].Use != "sig" || jwks.Keys[0].Kid == "" {
		t.Errorf("jwks = %+v", jwks)
	}

	// Outside the issuer's path nothing is served.
	resp, err = f.srv.Client().Get(f.srv.URL + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("discovery outside the issuer path: status %d, want 404", resp.StatusCode)
	}
}

func TestClientCredentials(t *testing.T) {
	f := newFixture(t)

	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInParams, oauth2.AuthStyleInHeader} {
		cc := clientcredentials.Config{
			ClientID:     "leuven",
			ClientSecret: "demo",
			TokenURL:     f.provider.Endpoint().TokenURL,
			AuthStyle:    style,
		}
		tok, err := cc.Token(f.ctx)
		if err != nil {
			t.Fatalf("auth style %v: %v", style, err)
		}
		at, err := f.apiVerifier().Verify(f.ctx, tok.AccessToken)
		if err != nil {
			t.Fatalf("auth style %v: access token does not verify: %v", style, err)
		}
		c := claimsOf(t, at)
		if c.Sub != "leuven" || c.PreferredUsername != "leuven" {
			t.Errorf("sub = %q, preferred_username = %q, want leuven", c.Sub, c.PreferredUsername)
		}
		if !slices.Equal(c.Roles, []string{"municipality:24062"}) {
			t.Errorf("roles = %v", c.Roles)
		}
		if !slices.Equal(c.Aud, []string{testAudience}) {
			t.Errorf("aud = %v, want [%s]", c.Aud, testAudience)
		}
		if c.Name != "Tom Janssens" || c.Email != "tom.janssens@leuven.example" {
			t.Errorf("name, email = %q, %q", c.Name, c.Email)
		}
		if d := c.Exp - c.Iat; d < 3500 || d > 3700 {
			t.Errorf("lifetime %d s, want about an hour", d)
		}
		if tok.TokenType != "Bearer" {
			t.Errorf("token_type = %q", tok.TokenType)
		}
	}

	refused := func(name string, form url.Values, basic ...string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, f.provider.Endpoint().TokenURL, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if len(basic) == 2 {
			req.SetBasicAuth(basic[0], basic[1])
		}
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Error       string `json:"error"`
			AccessToken string `json:"access_token"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		if resp.StatusCode != http.StatusUnauthorized || body.Error != "invalid_client" || body.AccessToken != "" {
			t.Errorf("%s: status %d, error %q; want 401 invalid_client", name, resp.StatusCode, body.Error)
		}
	}
	cc := func(id, secret string) url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	}
	refused("wrong secret", cc("leuven", "nope"))
	refused("wrong secret (basic)", url.Values{"grant_type": {"client_credentials"}}, "leuven", "nope")
	refused("empty secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {"leuven"}})
	refused("unknown login", cc("gent", "demo"))
	refused("browser client", cc(testClientID, "demo"))
}

// TestClientCredentialsConcurrent exercises the storage under -race.
func TestClientCredentialsConcurrent(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	for _, u := range DemoUsers() {
		wg.Go(func() {
			cc := clientcredentials.Config{ClientID: u.Login, ClientSecret: "demo", TokenURL: f.provider.Endpoint().TokenURL}
			tok, err := cc.Token(f.ctx)
			if err != nil {
				t.Errorf("%s: %v", u.Login, err)
				return
			}
			at, err := f.apiVerifier().Verify(f.ctx, tok.AccessToken)
			if err != nil || at.Subject != u.Login {
				t.Errorf("%s: verify: %v, sub %q", u.Login, err, at.Subject)
			}
		})
	}
	wg.Wait()
}

// browser is an HTTP client with a cookie jar that does not follow redirects, so each
// step of the flow can be checked.
func browser(t *testing.T, f *fixture) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := *f.srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

func (f *fixture) oauth2Config() oauth2.Config {
	ep := f.provider.Endpoint()
	ep.AuthStyle = oauth2.AuthStyleInParams // public client: client_id in the form
	return oauth2.Config{
		ClientID:    testClientID,
		Endpoint:    ep,
		RedirectURL: testRedirectURI,
		Scopes:      []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

// redirectTo does a GET and expects a 302/303, returning the Location.
func redirectTo(t *testing.T, c *http.Client, method, u string, form url.Values) *url.URL {
	t.Helper()
	var resp *http.Response
	var err error
	if method == http.MethodPost {
		resp, err = c.PostForm(u, form)
	} else {
		resp, err = c.Get(u)
	}
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s %s: status %d, want a redirect; body: %s", method, u, resp.StatusCode, body)
	}
	loc, err := resp.Location()
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var (
	formAction    = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	hiddenRequest = regexp.MustCompile(`name="authRequestID" value="([^"]+)"`)
)

func TestAuthorizationCodeFlow(t *testing.T) {
	f := newFixture(t)
	b := browser(t, f)
	conf := f.oauth2Config()
	verifier := oauth2.GenerateVerifier()
	const state, nonce = "st-123", "no-456"

	// 1. authorize → login page
	authURL := conf.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
	login := redirectTo(t, b, http.MethodGet, authURL, nil)
	if !strings.HasPrefix(login.String(), f.issuer+"/login?") {
		t.Fatalf("authorize redirected to %s, want the login page", login)
	}

	// 2. the login page has a button per demo user, with name and roles
	resp, err := b.Get(login.String())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(raw)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("login page: status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, u := range DemoUsers() {
		if !strings.Contains(page, `name="login" value="`+u.Login+`"`) {
			t.Errorf("no button for %s", u.Login)
		}
		if !strings.Contains(page, html.EscapeString(u.Name)) || !strings.Contains(page, strings.Join(u.Roles, ", ")) {
			t.Errorf("name or roles of %s not shown", u.Login)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("the login page has a script")
	}
	action, id := formAction.FindStringSubmatch(page), hiddenRequest.FindStringSubmatch(page)
	if action == nil || id == nil {
		t.Fatalf("no form or auth request ID in the login page:\n%s", page)
	}

	// 3. pick mechelen → op's callback → the client's redirect_uri with code and state
	callback := redirectTo(t, b, http.MethodPost, html.UnescapeString(action[1]), url.Values{
		"authRequestID": {html.UnescapeString(id[1])}, "login": {"mechelen"},
	})
	back := redirectTo(t, b, http.MethodGet, callback.String(), nil)
	if got := back.Scheme + "://" + back.Host + back.Path; got != testRedirectURI {
		t.Fatalf("redirected to %s, want %s", back, testRedirectURI)
	}
	code := back.Query().Get("code")
	if code == "" || back.Query().Get("state") != state {
		t.Fatalf("redirect %s: want a code and state %q", back, state)
	}

	// Replaying the callback must not mint a second code.
	if again := redirectTo(t, b, http.MethodGet, callback.String(), nil); again.Query().Get("code") != "" {
		t.Errorf("the callback issued a second code: %s", again)
	}

	// 4. exchange the code with the verifier
	tok, err := conf.Exchange(f.ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		t.Fatal("no id_token")
	}

	// The ID token is for the SPA: aud = client ID, with nonce and the user's claims.
	idTok, err := f.spaVerifier().Verify(f.ctx, rawID)
	if err != nil {
		t.Fatalf("ID token: %v", err)
	}
	ic := claimsOf(t, idTok)
	if idTok.Nonce != nonce {
		t.Errorf("nonce = %q, want %q", idTok.Nonce, nonce)
	}
	if !slices.Equal(ic.Aud, []string{testClientID}) {
		t.Errorf("ID token aud = %v, want [%s]", ic.Aud, testClientID)
	}
	if ic.Sub != "mechelen" || ic.PreferredUsername != "mechelen" || ic.Name != "An Peeters" ||
		ic.Email != "an.peeters@mechelen.example" || !slices.Equal(ic.Roles, []string{"municipality:12025"}) {
		t.Errorf("ID token claims = %+v", ic)
	}
	if err := idTok.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Errorf("at_hash: %v", err)
	}

	// The access token is for the API: aud = the audience, same user claims.
	at, err := f.apiVerifier().Verify(f.ctx, tok.AccessToken)
	if err != nil {
		t.Fatalf("access token: %v", err)
	}
	ac := claimsOf(t, at)
	if !slices.Equal(ac.Aud, []string{testAudience}) || ac.Sub != "mechelen" ||
		!slices.Equal(ac.Roles, []string{"municipality:12025"}) || ac.Name != "An Peeters" {
		t.Errorf("access token claims = %+v", ac)
	}

	// Neither passes for the other.
	if _, err := f.apiVerifier().Verify(f.ctx, rawID); err == nil {
		t.Error("the ID token verifies as an access token for the API")
	}
	if _, err := f.spaVerifier().Verify(f.ctx, tok.AccessToken); err == nil {
		t.Error("the access token verifies as an ID token for the SPA")
	}

	// userinfo answers for the access token, not for the ID token.
	info, err := f.provider.UserInfo(f.ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	var uc tokenClaims
	if err := info.Claims(&uc); err != nil {
		t.Fatal(err)
	}
	if info.Subject != "mechelen" || info.Email != "an.peeters@mechelen.example" || !slices.Equal(uc.Roles, []string{"municipality:12025"}) {
		t.Errorf("userinfo = %+v %+v", info, uc)
	}
	if _, err := f.provider.UserInfo(f.ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: rawID})); err == nil {
		t.Error("userinfo accepted an ID token")
	}

	// The code is single-use.
	if _, err := conf.Exchange(f.ctx, code, oauth2.VerifierOption(verifier)); err == nil {
		t.Error("the code was accepted twice")
	}

	// end_session goes back to the registered post-logout URI.
	endSession := f.issuer + "/end_session?" + url.Values{
		"id_token_hint": {rawID}, "post_logout_redirect_uri": {testLogoutURI}, "state": {"bye"},
	}.Encode()
	out := redirectTo(t, b, http.MethodGet, endSession, nil)
	if out.String() != testLogoutURI+"?state=bye" {
		t.Errorf("end_session redirected to %s", out)
	}
}

func TestAuthorizationCodeWrongVerifier(t *testing.T) {
	f := newFixture(t)
	b := browser(t, f)
	conf := f.oauth2Config()
	code := signIn(t, f, b, conf, oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
	if _, err := conf.Exchange(f.ctx, code, oauth2.VerifierOption(oauth2.GenerateVerifier())); err == nil {
		t.Error("a wrong code_verifier was accepted")
	}
	if _, err := conf.Exchange(f.ctx, code); err == nil {
		t.Error("a missing code_verifier was accepted")
	}
}

// signIn runs authorize → login as mechelen and returns the code.
func signIn(t *testing.T, f *fixture, b *http.Client, conf oauth2.Config, opts ...oauth2.AuthCodeOption) string {
	t.Helper()
	login := redirectTo(t, b, http.MethodGet, conf.AuthCodeURL("s", opts...), nil)
	callback := redirectTo(t, b, http.MethodPost, f.issuer+"/login", url.Values{
		"authRequestID": {login.Query().Get("authRequestID")}, "login": {"mechelen"},
	})
	code := redirectTo(t, b, http.MethodGet, callback.String(), nil).Query().Get("code")
	if code == "" {
		t.Fatal("no code")
	}
	return code
}

func TestAuthorizeRequiresPKCE(t *testing.T) {
	f := newFixture(t)
	b := browser(t, f)
	conf := f.oauth2Config()

	for name, opts := range map[string][]oauth2.AuthCodeOption{
		"no PKCE": nil,
		"plain": {
			oauth2.SetAuthURLParam("code_challenge", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq"),
			oauth2.SetAuthURLParam("code_challenge_method", "plain"),
		},
		"no method": {oauth2.SetAuthURLParam("code_challenge", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq")},
	} {
		loc := redirectTo(t, b, http.MethodGet, conf.AuthCodeURL("st", opts...), nil)
		if strings.HasPrefix(loc.String(), f.issuer) {
			t.Errorf("%s: sent to %s instead of being refused", name, loc)
			continue
		}
		q := loc.Query()
		if q.Get("error") != "invalid_request" || q.Get("state") != "st" || q.Get("code") != "" {
			t.Errorf("%s: redirect %s, want error=invalid_request with state", name, loc)
		}
	}

	// An unregistered redirect_uri is never redirected to.
	bad := conf
	bad.RedirectURL = "http://evil.example/cb"
	resp, err := b.Get(bad.AuthCodeURL("st", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unregistered redirect_uri: status %d, want 400", resp.StatusCode)
	}
}

func TestLoginPageRefusals(t *testing.T) {
	f := newFixture(t)
	b := browser(t, f)

	resp, err := b.Get(f.issuer + "/login?authRequestID=nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown auth request: status %d, want 400", resp.StatusCode)
	}

	conf := f.oauth2Config()
	login := redirectTo(t, b, http.MethodGet, conf.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())), nil)
	resp, err = b.PostForm(f.issuer+"/login", url.Values{"authRequestID": {login.Query().Get("authRequestID")}, "login": {"nobody"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown user: status %d, want 400", resp.StatusCode)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	good := Config{
		Issuer:   "http://localhost:8080/dev-idp",
		Audience: testAudience,
		Clients:  []Client{{ID: testClientID, RedirectURIs: []string{testRedirectURI}}},
		Users:    DemoUsers(),
		Logger:   slog.New(slog.DiscardHandler),
	}
	if _, err := New(good); err != nil {
		t.Fatalf("good config: %v", err)
	}
	for name, mutate := range map[string]func(*Config){
		"trailing slash":      func(c *Config) { c.Issuer += "/" },
		"no audience":         func(c *Config) { c.Audience = "" },
		"no users":            func(c *Config) { c.Users = nil },
		"client = user login": func(c *Config) { c.Clients = []Client{{ID: "leuven", RedirectURIs: []string{testRedirectURI}}} },
		"client = audience":   func(c *Config) { c.Clients = []Client{{ID: testAudience, RedirectURIs: []string{testRedirectURI}}} },
		"duplicate user":      func(c *Config) { c.Users = append(DemoUsers(), User{Login: "ministry"}) },
	} {
		c := good
		mutate(&c)
		if _, err := New(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestDemoUsers(t *testing.T) {
	want := map[string]string{
		"ministry": "ministry", "vvsg": "coordinator", "analyst": "analyst", "partner": "partner",
		"mechelen": "municipality:12025", "leuven": "municipality:24062", "vilvoorde": "municipality:23088",
		"balen": "municipality:13003", "ronse": "municipality:45041", "roeselare": "municipality:36015",
		"kortrijk": "municipality:34022", "oudturnhout": "municipality:13031", "oostende": "municipality:35013",
		"beerse": "municipality:13004", "liedekerke": "municipality:23044", "deinze": "municipality:44083",
		"brugge": "municipality:31005",
	}
	users := DemoUsers()
	if len(users) != len(want) {
		t.Fatalf("%d users, want %d", len(users), len(want))
	}
	for _, u := range users {
		if role, ok := want[u.Login]; !ok || !slices.Equal(u.Roles, []string{role}) {
			t.Errorf("%s: roles %v, want [%s]", u.Login, u.Roles, role)
		}
		if u.Name == "" || !strings.HasSuffix(u.Email, ".example") {
			t.Errorf("%s: name %q, email %q", u.Login, u.Name, u.Email)
		}
	}
	if users[1].Name != "VVSG coördinator" {
		t.Errorf("vvsg name = %q", users[1].Name)
	}
}
