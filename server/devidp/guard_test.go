package devidp

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"
)

// syncBuffer is a log destination that tests may read while handlers write.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newMounted returns the provider mounted as the server mounts it, with its log.
func newMounted(t *testing.T) (http.Handler, *syncBuffer) {
	t.Helper()
	log := &syncBuffer{}
	idp, err := New(Config{
		Issuer:    "http://localhost:8080/dev-idp",
		Audience:  testAudience,
		Clients:   []Client{{ID: testClientID, RedirectURIs: []string{testRedirectURI}}},
		Users:     DemoUsers(),
		SignInURL: "/auth/login?returnTo=/",
		Logger:    slog.New(slog.NewTextHandler(log, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/dev-idp", idp)
	mux.Handle("/dev-idp/", idp)
	return mux, log
}

// request is one request of each kind the provider serves.
type request struct {
	name, method, target, form string
}

func requests() []request {
	authorize := "/dev-idp/authorize?" + url.Values{
		"client_id": {testClientID}, "redirect_uri": {testRedirectURI}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"s"}, "code_challenge_method": {"S256"},
		"code_challenge": {oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())},
	}.Encode()
	return []request{
		{"token (client credentials)", http.MethodPost, "/dev-idp/oauth/token", "grant_type=client_credentials&client_id=ministry&client_secret=demo"},
		{"authorize", http.MethodGet, authorize, ""},
		{"login page", http.MethodGet, "/dev-idp/login?authRequestID=x", ""},
		{"login form", http.MethodPost, "/dev-idp/login", "authRequestID=x&login=ministry"},
		{"discovery", http.MethodGet, "/dev-idp/.well-known/openid-configuration", ""},
		{"keys", http.MethodGet, "/dev-idp/keys", ""},
		{"home page", http.MethodGet, "/dev-idp/", ""},
		{"issuer URL", http.MethodGet, "/dev-idp", ""},
	}
}

func serve(h http.Handler, rq request, remoteAddr string, header map[string]string) *httptest.ResponseRecorder {
	var body io.Reader
	if rq.form != "" {
		body = strings.NewReader(rq.form)
	}
	r := httptest.NewRequest(rq.method, "http://localhost:8080"+rq.target, body)
	if rq.form != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		r.Header.Set(k, v)
	}
	r.RemoteAddr = remoteAddr
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func TestRefusesOtherMachines(t *testing.T) {
	h, log := newMounted(t)
	// What a client may claim about itself changes nothing.
	claims := map[string]string{
		"X-Forwarded-For": "127.0.0.1", "X-Forwarded-Host": "localhost:8080", "X-Real-IP": "127.0.0.1",
		"Forwarded": "for=127.0.0.1;host=localhost", "Origin": "http://localhost:8080",
	}
	for _, peer := range []string{"192.0.2.10:1234", "[2001:db8::1]:1234", "[::ffff:192.0.2.10]:1234", "10.0.0.1:80", "", "garbage"} {
		for _, rq := range requests() {
			rec := serve(h, rq, peer, claims)
			var body struct {
				Errors []struct {
					Message    string
					Extensions struct{ Code string }
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusForbidden ||
				len(body.Errors) != 1 || body.Errors[0].Extensions.Code != "FORBIDDEN" ||
				!strings.Contains(body.Errors[0].Message, "only requests from this machine") {
				t.Errorf("%s from %q: %d %s, want 403 FORBIDDEN", rq.name, peer, rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("%s from %q: Content-Type %q", rq.name, peer, ct)
			}
		}
	}
	if !strings.Contains(log.String(), `msg="request from another machine refused" component=dev-idp remote_addr=192.0.2.10:1234 method=POST path=/dev-idp/oauth/token`) {
		t.Errorf("the refusal is not logged as expected:\n%s", log)
	}
}

func TestAnswersThisMachine(t *testing.T) {
	h, log := newMounted(t)
	want := map[string]int{
		"token (client credentials)": http.StatusOK,
		"authorize":                  http.StatusFound, // to the login page
		"login page":                 http.StatusBadRequest,
		"login form":                 http.StatusBadRequest, // unknown auth request
		"discovery":                  http.StatusOK,
		"keys":                       http.StatusOK,
		"home page":                  http.StatusOK,
		"issuer URL":                 http.StatusMovedPermanently,
	}
	for _, peer := range []string{"127.0.0.1:5555", "127.3.4.5:1", "[::1]:5555", "[::ffff:127.0.0.1]:5555"} {
		for _, rq := range requests() {
			if rec := serve(h, rq, peer, nil); rec.Code != want[rq.name] {
				t.Errorf("%s from %s: %d, want %d: %.300s", rq.name, peer, rec.Code, want[rq.name], rec.Body)
			}
		}
	}
	if strings.Contains(log.String(), "request from another machine refused") {
		t.Errorf("a loopback request was refused:\n%s", log)
	}
}

func TestHomePage(t *testing.T) {
	h, _ := newMounted(t)
	rec := serve(h, request{method: http.MethodGet, target: "/dev-idp"}, "127.0.0.1:1", nil)
	if loc := rec.Header().Get("Location"); rec.Code != http.StatusMovedPermanently || loc != "/dev-idp/" {
		t.Fatalf("GET /dev-idp: %d to %q, want a redirect to /dev-idp/", rec.Code, loc)
	}

	rec = serve(h, request{method: http.MethodGet, target: "/dev-idp/"}, "127.0.0.1:1", nil)
	page := rec.Body.String()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /dev-idp/: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		"embedded development OpenID provider",
		"Anyone on this machine can sign in as any\ndemo user below, without a password",
		"never active when a real <code>OIDC_ISSUER</code> is configured",
		`<a href="/auth/login?returnTo=/">Sign in to the portal</a>`,
		`<a href="http://localhost:8080/dev-idp/.well-known/openid-configuration">`,
		"curl -s -d grant_type=client_credentials -d client_id=mechelen -d client_secret=demo \\\n  http://localhost:8080/dev-idp/oauth/token",
		"<tr><td><code>ministry</code></td><td>Sofie Wouters</td><td class=\"roles\">ministry</td></tr>",
		"<tr><td><code>brugge</code></td><td>Hilde Claeys</td><td class=\"roles\">municipality:31005</td></tr>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the home page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<tr><td><code>"); n != len(DemoUsers()) {
		t.Errorf("%d users listed, want %d", n, len(DemoUsers()))
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
}

func TestFromLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:0": true, "127.255.0.1:80": true, "[::1]:443": true, "[::ffff:127.0.0.1]:1": true,
		"192.0.2.10:1234": false, "[::]:80": false, "0.0.0.0:80": false, "[fe80::1%eth0]:80": false,
		"localhost:80": false, "127.0.0.1": false, "": false, "@": false,
	} {
		if got := fromLoopback(addr); got != want {
			t.Errorf("fromLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
