package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"wisselaar/internal/pgtest"
)

// The production sign-in path against an independent, certified OpenID
// provider: ORY Hydra, built from the module in e2e/hydra, with in-memory
// storage and the login and consent screens below. The server runs as a
// process of its own with OIDC_ISSUER pointing at Hydra, exactly as it
// would in production.

const (
	hydraPortalSecret  = "portal-secret-for-the-hydra-test"
	hydraPartnerSecret = "partner-secret-for-the-hydra-test"
)

// hydraUser is a person the login screen accepts, with the claims the
// consent screen puts into the tokens: the roles the way a provider names
// them, translated by OIDC_ROLE_MAPPING.
type hydraUser struct {
	Name, Email string
	Roles       []string
}

var hydraUsers = map[string]hydraUser{
	"mechelen": {Name: "An Peeters", Email: "an.peeters@mechelen.example", Roles: []string{"wisselaar-gemeente-12025"}},
}

// hydraMachineRoles are the roles the token hook gives a client's own
// (client-credentials) access tokens.
var hydraMachineRoles = map[string][]string{"partner-tool": {"wisselaar-partner"}}

func TestHydraSignIn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs ORY Hydra")
	}
	bin := hydraBinary(t)
	dsn := pgtest.NewDatabase(t)
	migrated(t, dsn)

	screens := &hydraScreens{}
	ui := httptest.NewServer(screens)
	t.Cleanup(ui.Close)
	hydra := startHydra(t, bin, ui.URL)
	screens.admin = hydra.admin

	srv := startReplica(t, map[string]string{
		"DATABASE_URL":       dsn,
		"OIDC_ISSUER":        hydra.issuer,
		"OIDC_CLIENT_ID":     "wisselaar-portal",
		"OIDC_CLIENT_SECRET": hydraPortalSecret,
		"OIDC_AUDIENCE":      "wisselaar-api",
		// Hydra puts the consent's claims at the top of the ID token and
		// under "ext" in JWT access tokens.
		"OIDC_ROLES_CLAIM":  "roles,ext.roles",
		"OIDC_ROLE_MAPPING": "wisselaar-partner -> partner; wisselaar-gemeente-{nis} -> municipality:{nis}",
		"LOG_LEVEL":         "info", // the reason a token is refused
	})
	// The server's default public URL: http://localhost:<its port>.
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.url, "http://"))
	public := "http://localhost:" + port

	hydra.createClient(t, map[string]any{
		"client_id": "wisselaar-portal", "client_secret": hydraPortalSecret,
		"grant_types": []string{"authorization_code"}, "response_types": []string{"code"},
		"scope": "openid profile email", "redirect_uris": []string{public + "/auth/callback"},
		"token_endpoint_auth_method": "client_secret_basic",
	})
	hydra.createClient(t, map[string]any{
		"client_id": "partner-tool", "client_secret": hydraPartnerSecret,
		"grant_types": []string{"client_credentials"}, "response_types": []string{"token"},
		"audience": []string{"wisselaar-api"}, "token_endpoint_auth_method": "client_secret_post",
	})

	t.Run("browser sign-in", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		var authorize *url.URL
		browser := &http.Client{Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(req *http.Request, _ []*http.Request) error {
				if strings.HasPrefix(req.URL.String(), hydra.issuer+"/oauth2/auth") && authorize == nil {
					authorize = req.URL
				}
				return nil
			}}
		resp, err := browser.Get(public + "/auth/login?returnTo=" + url.QueryEscape(public+"/"))
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if authorize == nil {
			t.Fatalf("the server did not send the browser to Hydra (%d at %s)", resp.StatusCode, resp.Request.URL)
		}
		q := authorize.Query()
		for _, p := range []string{"state", "nonce", "code_challenge"} {
			if len(q.Get(p)) < 16 {
				t.Errorf("authorization request without a proper %s: %s", p, authorize)
			}
		}
		if q.Get("code_challenge_method") != "S256" || q.Get("response_type") != "code" {
			t.Errorf("authorization request is no code flow with S256 PKCE: %s", authorize)
		}
		challenge := regexp.MustCompile(`name="challenge" value="([^"]+)"`).FindSubmatch(page)
		if challenge == nil {
			t.Fatalf("no login screen (%d at %s): %s", resp.StatusCode, resp.Request.URL, page)
		}
		resp, err = browser.PostForm(ui.URL+"/login", url.Values{"challenge": {string(challenge[1])}, "login": {"mechelen"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != public+"/" {
			t.Fatalf("sign-in ended at %s with %d, want %s/: %s", resp.Request.URL, resp.StatusCode, public, body)
		}

		req, _ := http.NewRequest(http.MethodPost, public+"/graphql",
			strings.NewReader(`{"query":"{ viewer { subject name email roles municipalities { name } machine } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF", "1")
		req.Header.Set("Origin", public)
		resp, err = browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		want := `{"data":{"viewer":{"subject":"mechelen","name":"An Peeters","email":"an.peeters@mechelen.example",` +
			`"roles":["municipality:12025"],"municipalities":[{"name":"Mechelen"}],"machine":false}}}`
		if resp.StatusCode != http.StatusOK || string(body) != want {
			t.Errorf("the signed-in viewer: %d %s\nwant %s", resp.StatusCode, body, want)
		}
	})

	t.Run("partner client credentials", func(t *testing.T) {
		token := hydra.clientToken(t, "partner-tool", hydraPartnerSecret, "wisselaar-api")
		ans := graphql(t, srv.url, token, `{ viewer { subject roles machine } }`, nil)
		want := `{"data":{"viewer":{"subject":"partner-tool","roles":["partner"],"machine":true}}}`
		if ans.status != http.StatusOK || ans.body != want {
			t.Errorf("with the audience: %d %s\nwant %s", ans.status, ans.body, want)
		}

		token = hydra.clientToken(t, "partner-tool", hydraPartnerSecret, "")
		ans = graphql(t, srv.url, token, `{ viewer { subject } }`, nil)
		if ans.status != http.StatusUnauthorized || ans.code() != "UNAUTHENTICATED" {
			t.Errorf("without the audience: %d %s, want 401 UNAUTHENTICATED", ans.status, ans.body)
		}
		// The server's output reaches srv.log through a pipe, a moment
		// after the answer.
		refused := regexp.MustCompile(`bearer token refused.*audience`)
		var log string
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			logMu <- struct{}{}
			log = srv.log.String()
			<-logMu
			if refused.MatchString(log) || time.Now().After(deadline) {
				break
			}
		}
		if !refused.MatchString(log) {
			t.Errorf("the log does not say the token was refused for its audience:\n%s", log)
		}
	})
}

// hydraBinary returns Hydra built from e2e/hydra at the version its go.mod
// names, building it once into the user's cache directory (a minute or
// more the first time; CI builds it before the tests).
func hydraBinary(t *testing.T) string {
	t.Helper()
	mod, err := os.ReadFile(filepath.Join("e2e", "hydra", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	version := regexp.MustCompile(`github\.com/ory/hydra/v2 (v\S+)`).FindSubmatch(mod)
	if version == nil {
		t.Fatal("e2e/hydra/go.mod requires no github.com/ory/hydra/v2")
	}
	bin, err := hydraPath(string(version[1]))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	t.Logf("building Hydra %s into %s (once)", version[1], bin)
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", bin, os.Getpid())
	// The sqlite tag gives Hydra its in-memory storage (DSN=memory).
	cmd := exec.Command("go", "build", "-tags", "sqlite,sqlite_omit_load_extension", "-o", tmp, "github.com/ory/hydra/v2")
	cmd.Dir = filepath.Join("e2e", "hydra")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building Hydra: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatal(err)
	}
	return bin
}

// hydraPath is where the Hydra binary of a version is cached: the user's
// cache directory, or HYDRA_CACHE_DIR.
func hydraPath(version string) (string, error) {
	dir := os.Getenv("HYDRA_CACHE_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(cache, "wisselaar-e2e")
	}
	return filepath.Join(dir, "hydra-"+version), nil
}

// hydraProcess is a running Hydra.
type hydraProcess struct {
	issuer, admin string
}

func freePortNumber(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startHydra runs Hydra with in-memory storage, JWT access tokens, PKCE
// required, and the login, consent and token-hook endpoints at ui.
func startHydra(t *testing.T, bin, ui string) *hydraProcess {
	t.Helper()
	public, admin := freePortNumber(t), freePortNumber(t)
	h := &hydraProcess{issuer: fmt.Sprintf("http://127.0.0.1:%d", public), admin: fmt.Sprintf("http://127.0.0.1:%d", admin)}
	config := map[string]any{
		"dsn":     "memory",
		"secrets": map[string]any{"system": []string{"a system secret for the hydra test (32+ characters)"}},
		"serve": map[string]any{
			"public": map[string]any{"host": "127.0.0.1", "port": public},
			"admin":  map[string]any{"host": "127.0.0.1", "port": admin},
		},
		"urls": map[string]any{
			"self":  map[string]any{"issuer": h.issuer},
			"login": ui + "/login", "consent": ui + "/consent",
		},
		"strategies": map[string]any{"access_token": "jwt"},
		"oauth2": map[string]any{
			"pkce":       map[string]any{"enforced": true},
			"token_hook": ui + "/token-hook",
		},
		"log": map[string]any{"level": "warn"},
	}
	file := filepath.Join(t.TempDir(), "hydra.json")
	b, _ := json.Marshal(config)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "all", "--dev", "--sqa-opt-out", "--config", file)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &lockedWriter{w: &log}, &lockedWriter{w: &log}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("Hydra's log:\n%s", log.String())
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if resp, err := http.Get(h.admin + "/health/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return h
			}
		}
		select {
		case <-exited:
			t.Fatalf("Hydra exited at start:\n%s", log.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("Hydra was not ready within 60s:\n%s", log.String())
		}
	}
}

// createClient registers an OAuth 2.0 client through Hydra's admin API.
func (h *hydraProcess) createClient(t *testing.T, client map[string]any) {
	t.Helper()
	body, _ := json.Marshal(client)
	resp, err := http.Post(h.admin+"/admin/clients", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("creating client %s: %d %s", client["client_id"], resp.StatusCode, b)
	}
}

// clientToken gets an access token with the client-credentials grant, for
// audience unless it is empty.
func (h *hydraProcess) clientToken(t *testing.T, id, secret, audience string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	if audience != "" {
		form.Set("audience", audience)
	}
	resp, err := http.PostForm(h.issuer+"/oauth2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("no token for %s: %d %s", id, resp.StatusCode, b)
	}
	return tok.AccessToken
}

// hydraScreens are the login and consent screens Hydra sends browsers to,
// and its token hook. Login accepts any user of hydraUsers (no password:
// the test is about the protocol, not about credentials); consent grants
// what the client asked for and puts the user's claims in the tokens.
type hydraScreens struct {
	admin string
}

var loginForm = template.Must(template.New("login").Parse(`<!doctype html>
<form method="post" action="/login">
<input type="hidden" name="challenge" value="{{.}}">
<input name="login"> <button>Sign in</button>
</form>`))

func (s *hydraScreens) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method + " " + r.URL.Path {
	case "GET /login":
		challenge := r.URL.Query().Get("login_challenge")
		var req struct {
			Skip    bool   `json:"skip"`
			Subject string `json:"subject"`
		}
		if err := s.call(http.MethodGet, "login", challenge, nil, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if req.Skip {
			s.accept(w, "login", challenge, map[string]any{"subject": req.Subject})
			return
		}
		loginForm.Execute(w, challenge)
	case "POST /login":
		login := r.PostFormValue("login")
		if _, ok := hydraUsers[login]; !ok {
			http.Error(w, "unknown user", http.StatusForbidden)
			return
		}
		s.accept(w, "login", r.PostFormValue("challenge"), map[string]any{"subject": login})
	case "GET /consent":
		challenge := r.URL.Query().Get("consent_challenge")
		var req struct {
			Subject  string   `json:"subject"`
			Scope    []string `json:"requested_scope"`
			Audience []string `json:"requested_access_token_audience"`
		}
		if err := s.call(http.MethodGet, "consent", challenge, nil, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		u := hydraUsers[req.Subject]
		claims := map[string]any{"roles": u.Roles}
		idClaims := map[string]any{"roles": u.Roles}
		if slices.Contains(req.Scope, "profile") {
			idClaims["name"] = u.Name
		}
		if slices.Contains(req.Scope, "email") {
			idClaims["email"] = u.Email
		}
		s.accept(w, "consent", challenge, map[string]any{
			"grant_scope": req.Scope, "grant_access_token_audience": req.Audience,
			"session": map[string]any{"id_token": idClaims, "access_token": claims},
		})
	case "POST /token-hook":
		var hook struct {
			Request struct {
				ClientID   string   `json:"client_id"`
				GrantTypes []string `json:"grant_types"`
			} `json:"request"`
		}
		json.NewDecoder(r.Body).Decode(&hook)
		roles, ok := hydraMachineRoles[hook.Request.ClientID]
		if !ok || !slices.Contains(hook.Request.GrantTypes, "client_credentials") {
			// Other grants keep what consent put in the session.
			w.WriteHeader(http.StatusNoContent)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"session": map[string]any{"access_token": map[string]any{"roles": roles}}})
	default:
		http.NotFound(w, r)
	}
}

// accept accepts a login or consent request and sends the browser back to
// Hydra.
func (s *hydraScreens) accept(w http.ResponseWriter, flow, challenge string, body any) {
	var out struct {
		RedirectTo string `json:"redirect_to"`
	}
	if err := s.call(http.MethodPut, flow, challenge, body, &out); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Location", out.RedirectTo)
	w.WriteHeader(http.StatusFound)
}

// call asks Hydra's admin API about a login or consent request: GET reads
// it, PUT accepts it.
func (s *hydraScreens) call(method, flow, challenge string, body, out any) error {
	u := s.admin + "/admin/oauth2/auth/requests/" + flow
	if method == http.MethodPut {
		u += "/accept"
	}
	u += "?" + url.Values{flow + "_challenge": {challenge}}.Encode()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("hydra %s %s: %d %s", method, flow, resp.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}
