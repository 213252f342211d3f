package auth

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"wisselaar/ent/session"
	"wisselaar/ent/viewer"
)

func newDiscardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// newSession stores a session as the callback would and returns its cookie.
func newSession(t *testing.T, a *Authenticator, subject string, roles ...string) *http.Cookie {
	t.Helper()
	rs, nis := viewer.ParseRoles(roles)
	token, err := a.sessions.create(t.Context(), &viewer.Viewer{Subject: subject, Roles: rs, Municipalities: nis}, "id-token")
	if err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: sessionCookie, Value: token}
}

// cookieRequest is a request the portal would make: POST, JSON, X-CSRF,
// from the portal's origin, with the session cookie.
func cookieRequest(c *http.Cookie) *http.Request {
	r := httptest.NewRequest(http.MethodPost, testPublic+"/graphql", strings.NewReader(`{"query":"{ viewer { subject } }"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-CSRF", "1")
	r.Header.Set("Origin", testPortal)
	if c != nil {
		r.AddCookie(c)
	}
	return r
}

func TestCookieCSRF(t *testing.T) {
	iss := newTestIssuer(t)
	a, _, logs := newBearerAuth(t, iss, "roles", "")
	h := testHandler(a, newDiscardLogger())
	cookie := newSession(t, a, "mechelen", "municipality:12025")

	accepted := map[string]func(r *http.Request){
		"the portal's request":      func(*http.Request) {},
		"no Origin (not a browser)": func(r *http.Request) { r.Header.Del("Origin") },
		"the API's own origin":      func(r *http.Request) { r.Header.Set("Origin", testPublic) },
		"graphql-response+json": func(r *http.Request) {
			r.Header.Set("Content-Type", "application/graphql-response+json; charset=utf-8")
		},
		"JSON with charset": func(r *http.Request) { r.Header.Set("Content-Type", "application/json; charset=utf-8") },
	}
	for name, change := range accepted {
		t.Run(name, func(t *testing.T) {
			r := cookieRequest(cookie)
			change(r)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			e := decodeEcho(t, rec)
			if e.Subject != "mechelen" || e.Machine || !slices.Equal(e.Municipalities, []string{"12025"}) {
				t.Errorf("viewer %+v", e)
			}
		})
	}

	refused := map[string]func(r *http.Request){
		"no X-CSRF header":     func(r *http.Request) { r.Header.Del("X-CSRF") },
		"X-CSRF not 1":         func(r *http.Request) { r.Header.Set("X-CSRF", "true") },
		"another origin":       func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") },
		"a look-alike origin":  func(r *http.Request) { r.Header.Set("Origin", testPortal+".evil.example") },
		"the portal over http": func(r *http.Request) { r.Header.Set("Origin", strings.Replace(testPortal, "https", "http", 1)) },
		"Origin null":          func(r *http.Request) { r.Header.Set("Origin", "null") },
		"GET":                  func(r *http.Request) { r.Method = http.MethodGet },
		"form":                 func(r *http.Request) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") },
		"multipart":            func(r *http.Request) { r.Header.Set("Content-Type", "multipart/form-data; boundary=x") },
		"text/plain":           func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") },
		"no content type":      func(r *http.Request) { r.Header.Del("Content-Type") },
		"form without X-CSRF":  func(r *http.Request) { r.Header.Del("X-CSRF"); r.Header.Set("Content-Type", "text/plain") },
	}
	for name, change := range refused {
		t.Run(name, func(t *testing.T) {
			r := cookieRequest(cookie)
			change(r)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusForbidden {
				t.Fatalf("status %d, want 403: %s", rec.Code, rec.Body.String())
			}
			if code, _ := errorCode(t, rec); code != "FORBIDDEN" {
				t.Errorf("code %q, want FORBIDDEN", code)
			}
		})
	}
	if !strings.Contains(logs.String(), "cookie request refused") {
		t.Error("refusals are not logged")
	}

	// Without credentials the same requests are simply anonymous: CSRF is
	// about what a cookie would let a forger do.
	r := cookieRequest(nil)
	r.Method = http.MethodGet
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if e := decodeEcho(t, rec); !e.Anonymous {
		t.Errorf("viewer %+v, want anonymous", e)
	}
}

func TestCookieStale(t *testing.T) {
	iss := newTestIssuer(t)
	a, client, _ := newBearerAuth(t, iss, "roles", "")
	clk := &clock{t: time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)}
	a.cfg.Now, a.sessions.now = clk.Now, clk.Now
	h := testHandler(a, newDiscardLogger())

	// do sends the portal's request and returns the viewer and whether the
	// answer cleared the cookie.
	do := func(c *http.Cookie) (echoed, bool) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, cookieRequest(c))
		cleared := false
		for _, sc := range rec.Result().Cookies() {
			if sc.Name == sessionCookie && sc.MaxAge < 0 {
				cleared = true
			}
		}
		return decodeEcho(t, rec), cleared
	}
	count := func() int {
		n, err := client.Session.Query().Count(sys(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("forged", func(t *testing.T) {
		for _, value := range []string{randomString(), "x", "", strings.Repeat("A", 43)} {
			e, cleared := do(&http.Cookie{Name: sessionCookie, Value: value})
			if !e.Anonymous || !cleared {
				t.Errorf("cookie %q: viewer %+v, cleared %v; want anonymous, cleared", value, e, cleared)
			}
		}
	})

	t.Run("idle", func(t *testing.T) {
		c := newSession(t, a, "leuven", "municipality:24062")
		clk.Advance(a.cfg.SessionIdle - time.Minute)
		if e, _ := do(c); e.Subject != "leuven" {
			t.Fatalf("just before the idle timeout: %+v", e)
		}
		clk.Advance(a.cfg.SessionIdle - time.Minute) // the request above kept it alive
		if e, _ := do(c); e.Subject != "leuven" {
			t.Fatalf("the session was not kept alive: %+v", e)
		}
		before := count()
		clk.Advance(a.cfg.SessionIdle)
		if e, cleared := do(c); !e.Anonymous || !cleared {
			t.Errorf("after the idle timeout: %+v, cleared %v", e, cleared)
		}
		if count() != before-1 {
			t.Error("the expired row was not deleted")
		}
	})

	t.Run("absolute", func(t *testing.T) {
		c := newSession(t, a, "leuven", "municipality:24062")
		for used := time.Duration(0); used+7*time.Hour < a.cfg.SessionMax; used += 7 * time.Hour {
			clk.Advance(7 * time.Hour)
			if e, _ := do(c); e.Subject != "leuven" {
				t.Fatalf("after %v: %+v", used+7*time.Hour, e)
			}
		}
		clk.Advance(7 * time.Hour) // 28 h: within the idle timeout, past the maximum
		if e, cleared := do(c); !e.Anonymous || !cleared {
			t.Errorf("after the maximum age: %+v, cleared %v", e, cleared)
		}
	})

	t.Run("last_seen_at written at most once a minute", func(t *testing.T) {
		c := newSession(t, a, "kortrijk", "municipality:34022")
		seen := func() time.Time {
			row, err := client.Session.Query().Where(session.TokenHash(hashToken(c.Value))).Only(sys(t.Context()))
			if err != nil {
				t.Fatal(err)
			}
			return row.LastSeenAt
		}
		start := seen()
		clk.Advance(30 * time.Second)
		do(c)
		if !seen().Equal(start) {
			t.Error("last_seen_at written after 30 s")
		}
		clk.Advance(45 * time.Second)
		do(c)
		if got := seen(); !got.Equal(clk.Now()) {
			t.Errorf("last_seen_at = %v after 75 s, want %v", got, clk.Now())
		}
	})

	t.Run("expired rows are swept at the next sign-in", func(t *testing.T) {
		newSession(t, a, "a")
		newSession(t, a, "b")
		clk.Advance(a.cfg.SessionIdle + time.Hour)
		newSession(t, a, "c")
		if n := count(); n != 1 {
			t.Errorf("%d sessions left, want only the new one", n)
		}
	})

	t.Run("the token is stored only as its hash", func(t *testing.T) {
		c := newSession(t, a, "d")
		n, err := client.Session.Query().Where(session.TokenHash(c.Value)).Count(sys(t.Context()))
		if err != nil || n != 0 {
			t.Errorf("the token itself is in the table (%d, %v)", n, err)
		}
	})
}

func TestCORS(t *testing.T) {
	iss := newTestIssuer(t)
	a, _, _ := newBearerAuth(t, iss, "roles", "")
	h := testHandler(a, newDiscardLogger())

	preflight := func(path, origin, method string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodOptions, testPublic+path, nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", method)
		r.Header.Set("Access-Control-Request-Headers", "content-type,x-csrf")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}

	for _, path := range []string{"/graphql", "/auth/session", "/auth/logout"} {
		rec := preflight(path, testPortal, http.MethodPost)
		hd := rec.Header()
		if rec.Code != http.StatusNoContent || hd.Get("Access-Control-Allow-Origin") != testPortal ||
			hd.Get("Access-Control-Allow-Credentials") != "true" {
			t.Errorf("%s: allowed preflight: status %d, headers %v", path, rec.Code, hd)
		}
		for _, want := range []string{"Content-Type", "Authorization", "X-CSRF", "X-Request-ID"} {
			if !strings.Contains(hd.Get("Access-Control-Allow-Headers"), want) {
				t.Errorf("%s: %s not in Access-Control-Allow-Headers %q", path, want, hd.Get("Access-Control-Allow-Headers"))
			}
		}
		if !slices.Contains(hd.Values("Vary"), "Origin") {
			t.Errorf("%s: no Vary: Origin", path)
		}
	}
	for name, rec := range map[string]*httptest.ResponseRecorder{
		"another origin":          preflight("/graphql", "https://evil.example", http.MethodPost),
		"a look-alike origin":     preflight("/graphql", "https://portal.wisselaar.test.evil.example", http.MethodPost),
		"null origin":             preflight("/graphql", "null", http.MethodPost),
		"a method we do not take": preflight("/graphql", testPortal, http.MethodDelete),
		"another origin on /auth": preflight("/auth/session", "https://evil.example", http.MethodGet),
	} {
		if rec.Code != http.StatusForbidden || rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: status %d, Access-Control-Allow-Origin %q; want 403 and none",
				name, rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
		}
	}

	// Actual requests: the allowed origin may read the answer, others not.
	for origin, want := range map[string]string{testPortal: testPortal, "https://evil.example": ""} {
		r := httptest.NewRequest(http.MethodGet, testPublic+"/auth/session", nil)
		r.Header.Set("Origin", origin)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != want {
			t.Errorf("origin %s: Access-Control-Allow-Origin %q, want %q", origin, got, want)
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("/auth/session may be cached")
		}
	}
}

func TestReturnTo(t *testing.T) {
	public, _ := parseOrigin("https://api.wisselaar.test", true)
	origins, err := newOriginSet(public, []string{"https://portal.wisselaar.test", "http://localhost:5173"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := newReturnToPolicy("https://api.wisselaar.test", origins, []string{"https://intra.example.be/wisselaar"})
	if err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]string{
		"":                               "https://api.wisselaar.test/",
		"/":                              "https://api.wisselaar.test/",
		"/x?y=1":                         "https://api.wisselaar.test/x?y=1",
		"https://portal.wisselaar.test/": "https://portal.wisselaar.test/",
		"https://portal.wisselaar.test/a/b?c=d#e": "https://portal.wisselaar.test/a/b?c=d#e",
		"https://PORTAL.wisselaar.test:443/x":     "https://PORTAL.wisselaar.test:443/x",
		"http://localhost:5173/trajecten":         "http://localhost:5173/trajecten",
		"https://intra.example.be/wisselaar":      "https://intra.example.be/wisselaar",
		"https://intra.example.be/wisselaar/x":    "https://intra.example.be/wisselaar/x",
	} {
		if got, ok := p.check(raw); !ok || got != want {
			t.Errorf("check(%q) = %q, %v; want %q", raw, got, ok, want)
		}
	}
	for _, raw := range []string{
		"https://evil.example/",
		"//evil.example/",
		"/\\evil.example/",
		"https://portal.wisselaar.test.evil.example/",
		"https://portal.wisselaar.test@evil.example/",
		"https://evil.example\\@portal.wisselaar.test/",
		"http://portal.wisselaar.test/", // scheme differs
		"http://localhost:5174/",        // port differs
		"https://intra.example.be/wisselaarx",
		"https://intra.example.be/",
		"javascript:alert(1)",
		"data:text/html,x",
		"https://portal.wisselaar.test/\nx",
		"portal.wisselaar.test",
	} {
		if got, ok := p.check(raw); ok {
			t.Errorf("check(%q) allowed, as %q", raw, got)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	good := Config{
		PublicURL: testPublic, Issuer: "https://idp.example", ClientID: testClientID, ClientSecret: "s",
		Audience: testAudience, RolesClaim: "roles", SessionIdle: time.Hour, SessionMax: 2 * time.Hour,
	}
	if _, err := New(t.Context(), good, nil, newDiscardLogger()); err != nil {
		t.Fatalf("good config: %v", err)
	}
	for name, change := range map[string]func(c *Config){
		"development beside an issuer": func(c *Config) { c.Development = true },
		"no issuer":                    func(c *Config) { c.Issuer = "" },
		"client ID = audience":         func(c *Config) { c.Audience = c.ClientID },
		"wildcard origin":              func(c *Config) { c.AllowedOrigins = []string{"*"} },
		"origin with a path":           func(c *Config) { c.AllowedOrigins = []string{"https://portal.example/app"} },
		"bad mapping":                  func(c *Config) { c.RoleMapping = "nonsense" },
		"no roles claim":               func(c *Config) { c.RolesClaim = "" },
		"bad public URL":               func(c *Config) { c.PublicURL = "api.example" },
		"no session lifetime":          func(c *Config) { c.SessionIdle = 0 },
		"relative return prefix":       func(c *Config) { c.AllowedReturnTo = []string{"/app"} },
	} {
		c := good
		change(&c)
		if _, err := New(t.Context(), c, nil, newDiscardLogger()); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
