package auth_test

// These tests run the whole server (server.New with server.NewAuth and the
// real GraphQL handler) against the embedded development provider, the way
// the portal and a partner's script use it.

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
	"testing"
	"time"

	"wisselaar/ent"
	"wisselaar/ent/municipality"
	"wisselaar/ent/viewer"
	"wisselaar/internal/db"
	"wisselaar/internal/pgtest"
	"wisselaar/server"
)

const portalOrigin = "http://localhost:5173"

// devServer is the whole server in zero-setup mode (no issuer) under
// httptest, with the demo municipalities it needs.
type devServer struct {
	url     string
	client  *ent.Client
	handler http.Handler // the server's handler, for requests with a chosen RemoteAddr
}

func newDevServer(t *testing.T) *devServer {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	d, err := db.Open(t.Context(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := db.Migrate(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	sys := viewer.SystemContext(t.Context())
	for nis, name := range map[string]string{"12025": "Mechelen", "24062": "Leuven"} {
		if err := d.Client.Municipality.Create().SetNisCode(nis).SetName(name).
			SetProvince(municipality.ProvinceAntwerpen).Exec(sys); err != nil {
			t.Fatal(err)
		}
	}

	// The URL must be known before the server is built: it is the public URL.
	srv := httptest.NewUnstartedServer(nil)
	cfg, err := server.ConfigFromEnv(func(k string) string {
		return map[string]string{
			"PUBLIC_URL":           "http://" + srv.Listener.Addr().String(),
			"CORS_ALLOWED_ORIGINS": portalOrigin,
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	auth, err := server.NewAuth(t.Context(), cfg, d.Client, logger)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = server.New(cfg, server.Deps{Client: d.Client, Logger: logger, Auth: auth})
	srv.Start()
	t.Cleanup(srv.Close)
	return &devServer{url: srv.URL, client: d.Client, handler: srv.Config.Handler}
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so each step of the flow can be checked.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func do(t *testing.T, c *http.Client, method, u string, body io.Reader, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// redirect does a request and expects a redirect, returning its target.
func redirect(t *testing.T, c *http.Client, method, u string, body io.Reader, header map[string]string) (*url.URL, *http.Response) {
	t.Helper()
	resp, b := do(t, c, method, u, body, header)
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s %s: status %d, want a redirect: %s", method, u, resp.StatusCode, b)
	}
	loc, err := resp.Location()
	if err != nil {
		t.Fatal(err)
	}
	return loc, resp
}

var (
	formAction    = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	hiddenRequest = regexp.MustCompile(`name="authRequestID" value="([^"]+)"`)
)

// signIn runs the portal's sign-in as the demo user login, as a browser
// would, and returns where it ended.
func signIn(t *testing.T, s *devServer, b *http.Client, login, returnTo string) (*url.URL, *http.Response) {
	t.Helper()
	// 1. The portal sends the browser to /auth/login; it goes on to the provider.
	authorize, _ := redirect(t, b, http.MethodGet, s.url+"/auth/login?returnTo="+url.QueryEscape(returnTo), nil, nil)
	if !strings.HasPrefix(authorize.String(), s.url+"/dev-idp/") {
		t.Fatalf("login sent the browser to %s", authorize)
	}
	q := authorize.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "" ||
		q.Get("nonce") == "" || q.Get("redirect_uri") != s.url+"/auth/callback" || q.Get("client_id") != "wisselaar-portal" {
		t.Fatalf("authorization request lacks PKCE, state, nonce or the right client: %s", authorize)
	}
	// 2. The provider shows its login page.
	loginPage, _ := redirect(t, b, http.MethodGet, authorize.String(), nil, nil)
	resp, page := do(t, b, http.MethodGet, loginPage.String(), nil, nil)
	action, id := formAction.FindSubmatch(page), hiddenRequest.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || action == nil || id == nil {
		t.Fatalf("login page: status %d\n%s", resp.StatusCode, page)
	}
	// 3. The person picks a user; the provider sends the browser to our callback.
	form := url.Values{"authRequestID": {html.UnescapeString(string(id[1]))}, "login": {login}}
	opCallback, _ := redirect(t, b, http.MethodPost, html.UnescapeString(string(action[1])),
		strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	callback, _ := redirect(t, b, http.MethodGet, opCallback.String(), nil, nil)
	if !strings.HasPrefix(callback.String(), s.url+"/auth/callback?") {
		t.Fatalf("provider sent the browser to %s", callback)
	}
	// 4. The callback creates the session and sends the browser back to the portal.
	return redirect(t, b, http.MethodGet, callback.String(), nil, nil)
}

// portalHeaders are what the portal's fetch sends to /graphql.
var portalHeaders = map[string]string{"Content-Type": "application/json", "X-CSRF": "1", "Origin": portalOrigin}

type viewerAnswer struct {
	Data *struct {
		Viewer *struct {
			Subject        string   `json:"subject"`
			Roles          []string `json:"roles"`
			Machine        bool     `json:"machine"`
			Municipalities []struct {
				NISCode string `json:"nisCode"`
			} `json:"municipalities"`
		} `json:"viewer"`
	} `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

const viewerQuery = `{"query":"{ viewer { subject roles machine municipalities { nisCode } } }"}`

func queryViewer(t *testing.T, c *http.Client, s *devServer, header map[string]string) (int, viewerAnswer) {
	t.Helper()
	resp, body := do(t, c, http.MethodPost, s.url+"/graphql", strings.NewReader(viewerQuery), header)
	var a viewerAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("status %d, body %s: %v", resp.StatusCode, body, err)
	}
	return resp.StatusCode, a
}

type sessionAnswer struct {
	Authenticated  bool     `json:"authenticated"`
	Subject        string   `json:"subject"`
	Name           string   `json:"name"`
	Email          string   `json:"email"`
	Roles          []string `json:"roles"`
	Municipalities []struct {
		NISCode string `json:"nisCode"`
		Name    string `json:"name"`
	} `json:"municipalities"`
}

func getSession(t *testing.T, c *http.Client, s *devServer) sessionAnswer {
	t.Helper()
	resp, body := do(t, c, http.MethodGet, s.url+"/auth/session", nil, map[string]string{"Origin": portalOrigin})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != portalOrigin {
		t.Fatalf("/auth/session: status %d, CORS %q: %s", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), body)
	}
	var a sessionAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestPortalSignIn(t *testing.T) {
	s := newDevServer(t)
	b := browser(t)

	back, resp := signIn(t, s, b, "mechelen", portalOrigin+"/trajecten?x=1")
	if back.String() != portalOrigin+"/trajecten?x=1" {
		t.Errorf("callback sent the browser to %s", back)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "wisselaar_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" ||
		cookie.Secure || cookie.MaxAge <= 0 {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure on 127.0.0.1", cookie)
	}

	// /auth/session tells the portal who signed in.
	sess := getSession(t, b, s)
	if !sess.Authenticated || sess.Subject != "mechelen" || sess.Name != "An Peeters" ||
		!slices.Equal(sess.Roles, []string{"municipality:12025"}) ||
		len(sess.Municipalities) != 1 || sess.Municipalities[0].NISCode != "12025" || sess.Municipalities[0].Name != "Mechelen" {
		t.Errorf("/auth/session = %+v", sess)
	}

	// The portal queries /graphql with the cookie and the CSRF header.
	status, ans := queryViewer(t, b, s, portalHeaders)
	if status != http.StatusOK || ans.Data == nil || ans.Data.Viewer == nil {
		t.Fatalf("status %d, answer %+v", status, ans)
	}
	if v := ans.Data.Viewer; v.Subject != "mechelen" || v.Machine || !slices.Equal(v.Roles, []string{"municipality:12025"}) ||
		len(v.Municipalities) != 1 || v.Municipalities[0].NISCode != "12025" {
		t.Errorf("viewer = %+v", v)
	}

	// The same request without the CSRF header, or from another origin, is refused.
	for name, h := range map[string]map[string]string{
		"no X-CSRF":      {"Content-Type": "application/json", "Origin": portalOrigin},
		"another origin": {"Content-Type": "application/json", "X-CSRF": "1", "Origin": "http://evil.localhost:5173"},
		"a form":         {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF": "1", "Origin": portalOrigin},
	} {
		if status, ans := queryViewer(t, b, s, h); status != http.StatusForbidden || len(ans.Errors) != 1 || ans.Errors[0].Extensions.Code != "FORBIDDEN" {
			t.Errorf("%s: status %d, answer %+v; want 403 FORBIDDEN", name, status, ans)
		}
	}
	resp, _ = do(t, b, http.MethodGet, s.url+"/graphql?query="+url.QueryEscape("{ viewer { subject } }"), nil, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET /graphql with the cookie: status %d, want 403", resp.StatusCode)
	}

	// Logout: without the CSRF header it is refused.
	resp, _ = do(t, b, http.MethodPost, s.url+"/auth/logout", nil, map[string]string{"Origin": portalOrigin})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout without X-CSRF: status %d, want 403", resp.StatusCode)
	}
	resp, body := do(t, b, http.MethodPost, s.url+"/auth/logout?returnTo="+url.QueryEscape(portalOrigin+"/"), nil,
		map[string]string{"Origin": portalOrigin, "X-CSRF": "1"})
	var out struct {
		EndSessionURL string `json:"endSessionUrl"`
	}
	if err := json.Unmarshal(body, &out); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("logout: status %d, %s", resp.StatusCode, body)
	}
	end, err := url.Parse(out.EndSessionURL)
	if err != nil || !strings.HasPrefix(out.EndSessionURL, s.url+"/dev-idp/") || end.Query().Get("id_token_hint") == "" ||
		end.Query().Get("post_logout_redirect_uri") != portalOrigin+"/" {
		t.Errorf("endSessionUrl = %q", out.EndSessionURL)
	}

	// The session is gone: in the browser, in the database, and for the old cookie.
	if sess := getSession(t, b, s); sess.Authenticated {
		t.Errorf("after logout: %+v", sess)
	}
	if n, err := s.client.Session.Query().Count(viewer.SystemContext(t.Context())); err != nil || n != 0 {
		t.Errorf("%d sessions in the database after logout (%v)", n, err)
	}
	replay := &http.Client{Timeout: 10 * time.Second}
	status, ans = queryViewer(t, replay, s, map[string]string{
		"Content-Type": "application/json", "X-CSRF": "1", "Cookie": "wisselaar_session=" + cookie.Value,
	})
	if status != http.StatusOK || len(ans.Errors) != 1 || ans.Errors[0].Extensions.Code != "UNAUTHENTICATED" {
		t.Errorf("the old cookie after logout: status %d, %+v; want anonymous (UNAUTHENTICATED from viewer)", status, ans)
	}

	// The provider's end_session sends the browser back to the portal.
	back, _ = redirect(t, b, http.MethodGet, out.EndSessionURL, nil, nil)
	if !strings.HasPrefix(back.String(), portalOrigin+"/") {
		t.Errorf("end_session sent the browser to %s", back)
	}
}

func TestPortalSignInRefusals(t *testing.T) {
	s := newDevServer(t)

	t.Run("returnTo not on the allow-list", func(t *testing.T) {
		for _, rt := range []string{"https://evil.example/", "//evil.example/", "http://localhost:5174/"} {
			resp, body := do(t, browser(t), http.MethodGet, s.url+"/auth/login?returnTo="+url.QueryEscape(rt), nil, nil)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "BAD_USER_INPUT") {
				t.Errorf("returnTo %s: status %d: %s", rt, resp.StatusCode, body)
			}
		}
	})

	t.Run("a callback in another browser", func(t *testing.T) {
		// Run the flow up to the callback in one browser, then present the
		// code in another: its state cookie is missing.
		b := browser(t)
		authorize, _ := redirect(t, b, http.MethodGet, s.url+"/auth/login", nil, nil)
		loginPage, _ := redirect(t, b, http.MethodGet, authorize.String(), nil, nil)
		form := url.Values{"authRequestID": {loginPage.Query().Get("authRequestID")}, "login": {"ministry"}}
		opCallback, _ := redirect(t, b, http.MethodPost, s.url+"/dev-idp/login", strings.NewReader(form.Encode()),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		callback, _ := redirect(t, b, http.MethodGet, opCallback.String(), nil, nil)

		resp, _ := do(t, browser(t), http.MethodGet, callback.String(), nil, nil)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("callback in another browser: status %d, want 400", resp.StatusCode)
		}
		// A forged state fails the same way.
		q := callback.Query()
		q.Set("state", strings.Repeat("A", 43))
		resp, _ = do(t, b, http.MethodGet, s.url+"/auth/callback?"+q.Encode(), nil, nil)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("forged state: status %d, want 400", resp.StatusCode)
		}
		// The right browser succeeds once ...
		if back, _ := redirect(t, b, http.MethodGet, callback.String(), nil, nil); back.String() != s.url+"/" {
			t.Errorf("default returnTo: %s", back)
		}
		// ... and a replay finds its login cookie spent.
		resp, _ = do(t, b, http.MethodGet, callback.String(), nil, nil)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("replayed callback: status %d, want 400", resp.StatusCode)
		}
	})

	t.Run("the provider reports an error", func(t *testing.T) {
		count := func() int {
			n, err := s.client.Session.Query().Count(viewer.SystemContext(context.Background()))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		b := browser(t)
		authorize, _ := redirect(t, b, http.MethodGet, s.url+"/auth/login", nil, nil)
		state := authorize.Query().Get("state")
		resp, _ := do(t, b, http.MethodGet, s.url+"/auth/callback?error=access_denied&state="+state, nil, nil)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", resp.StatusCode)
		}
		if count() != before {
			t.Error("a failed sign-in created a session")
		}
	})
}

// TestPartnerClientCredentials is the partner's way in: a token from the
// development provider's client_credentials grant, sent as a bearer token.
func TestPartnerClientCredentials(t *testing.T) {
	s := newDevServer(t)
	c := &http.Client{Timeout: 10 * time.Second}

	token := func(login string) string {
		t.Helper()
		resp, body := do(t, c, http.MethodPost, s.url+"/dev-idp/oauth/token",
			strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "client_id": {login}, "client_secret": {"demo"}}.Encode()),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal(body, &tok); err != nil || resp.StatusCode != http.StatusOK || tok.AccessToken == "" {
			t.Fatalf("token for %s: status %d: %s", login, resp.StatusCode, body)
		}
		return tok.AccessToken
	}

	for login, want := range map[string][]string{"leuven": {"municipality:24062"}, "partner": {"partner"}, "ministry": {"ministry"}} {
		status, ans := queryViewer(t, c, s, map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + token(login)})
		if status != http.StatusOK || ans.Data == nil || ans.Data.Viewer == nil {
			t.Fatalf("%s: status %d, %+v", login, status, ans)
		}
		if v := ans.Data.Viewer; v.Subject != login || !v.Machine || !slices.Equal(v.Roles, want) {
			t.Errorf("%s: viewer %+v, want roles %v", login, v, want)
		}
	}

	// Bearer requests need no CSRF header, and a broken token is 401 all the way out.
	tok := token("leuven")
	status, ans := queryViewer(t, c, s, map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + tok[:len(tok)-4] + "AAAA"})
	if status != http.StatusUnauthorized || len(ans.Errors) != 1 || ans.Errors[0].Extensions.Code != "UNAUTHENTICATED" {
		t.Errorf("tampered token: status %d, %+v", status, ans)
	}
	// Without credentials: anonymous, and the viewer field says so.
	status, ans = queryViewer(t, c, s, map[string]string{"Content-Type": "application/json"})
	if status != http.StatusOK || len(ans.Errors) != 1 || ans.Errors[0].Extensions.Code != "UNAUTHENTICATED" {
		t.Errorf("anonymous: status %d, %+v", status, ans)
	}
}

// TestDevProviderOnlyForThisMachine sends requests from another machine
// (RemoteAddr 192.0.2.10) through the server's real handler: the
// development provider refuses every one, whatever the request claims in
// its headers, while the server's own in-process calls to the provider
// (discovery, keys, the code exchange of a sign-in) keep working.
func TestDevProviderOnlyForThisMachine(t *testing.T) {
	s := newDevServer(t)
	public, _ := url.Parse(s.url)

	// A real authorize URL, made by the server's /auth/login: /auth/login
	// itself is the API's, not the provider's, so it answers anyone.
	foreign := func(method, target, form string) *httptest.ResponseRecorder {
		var body io.Reader
		if form != "" {
			body = strings.NewReader(form)
		}
		r := httptest.NewRequest(method, target, body)
		r.Host = public.Host
		if form != "" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		r.Header.Set("X-Forwarded-For", "127.0.0.1")
		r.RemoteAddr = "192.0.2.10:1234"
		rec := httptest.NewRecorder()
		s.handler.ServeHTTP(rec, r)
		return rec
	}
	login := foreign(http.MethodGet, "/auth/login?returnTo=/", "")
	authorize, err := url.Parse(login.Header().Get("Location"))
	if login.Code != http.StatusFound || err != nil || !strings.HasPrefix(authorize.String(), s.url+"/dev-idp/authorize?") {
		t.Fatalf("/auth/login from another machine: %d to %q", login.Code, login.Header().Get("Location"))
	}

	for _, rq := range []struct{ name, method, target, form string }{
		{"token", http.MethodPost, "/dev-idp/oauth/token", "grant_type=client_credentials&client_id=ministry&client_secret=demo"},
		{"authorize", http.MethodGet, authorize.RequestURI(), ""},
		{"login page", http.MethodGet, "/dev-idp/login?authRequestID=x", ""},
		{"discovery", http.MethodGet, "/dev-idp/.well-known/openid-configuration", ""},
		{"home page", http.MethodGet, "/dev-idp/", ""},
		{"issuer URL", http.MethodGet, "/dev-idp", ""},
	} {
		rec := foreign(rq.method, rq.target, rq.form)
		var ans struct {
			Errors []struct{ Extensions struct{ Code string } }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil || rec.Code != http.StatusForbidden ||
			len(ans.Errors) != 1 || ans.Errors[0].Extensions.Code != "FORBIDDEN" {
			t.Errorf("%s from another machine: %d %s, want 403 FORBIDDEN", rq.name, rec.Code, rec.Body)
		}
	}

	// From this machine the whole sign-in works, the code exchange included.
	b := browser(t)
	if end, _ := signIn(t, s, b, "mechelen", "/"); end.String() != s.url+"/" {
		t.Errorf("signed in, but sent to %s", end)
	}
	if sess := getSession(t, b, s); !sess.Authenticated || sess.Subject != "mechelen" {
		t.Errorf("session after sign-in: %+v", sess)
	}
}
