package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"wisselaar/ent"
	"wisselaar/ent/municipality"
	"wisselaar/ent/viewer"
	"wisselaar/internal/db"
	"wisselaar/internal/pgtest"
	"wisselaar/server/devidp"
)

// envServe makes the test binary run the server instead of the tests, so
// that tests can start real server processes (replicas) without building
// the binary.
const envServe = "WISSELAAR_TEST_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(envServe) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := run(ctx, []string{"wisselaar"}, os.Getenv, os.Stdout)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, "wisselaar:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	pgtest.Main(m)
}

// replica is a server process started by a test.
type replica struct {
	cmd    *exec.Cmd
	url    string
	log    *bytes.Buffer
	exited chan struct{}
	err    error // the process's exit, once exited is closed
}

// startReplica starts the server as a process of its own with env (plus
// ADDR on a free loopback port) and waits until it listens.
func startReplica(t *testing.T, env map[string]string) *replica {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), envServe+"=1", "ADDR="+addr, "LOG_LEVEL=warn", "RATE_LIMIT=off", "DEMO_DATA=false")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	r := &replica{cmd: cmd, url: "http://" + addr, log: &bytes.Buffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &lockedWriter{w: r.log}, &lockedWriter{w: r.log}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.err = cmd.Wait(); close(r.exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-r.exited
		if t.Failed() {
			t.Logf("log of the server at %s:\n%s", r.url, r.log)
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		if resp, err := http.Get(r.url + "/healthz"); err == nil {
			resp.Body.Close()
			return r
		}
		select {
		case <-r.exited:
			t.Fatalf("the server exited at start (%v):\n%s", r.err, r.log)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not start within 60s:\n%s", r.log)
		}
	}
}

type lockedWriter struct{ w io.Writer }

var logMu = make(chan struct{}, 1)

func (l *lockedWriter) Write(p []byte) (int, error) {
	logMu <- struct{}{}
	defer func() { <-logMu }()
	return l.w.Write(p)
}

// identityProvider is the development OpenID Provider on a listener of its
// own, standing in for the real issuer that every replica trusts.
type identityProvider struct {
	issuer string
}

// startIdentityProvider starts it, with the portal's client redirecting
// to publicURL.
func startIdentityProvider(t *testing.T, publicURL string) *identityProvider {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://" + srv.Listener.Addr().String() + "/dev-idp"
	h, err := devidp.New(devidp.Config{
		Issuer:   issuer,
		Audience: "wisselaar-api",
		Clients: []devidp.Client{{
			ID:           "wisselaar-portal",
			RedirectURIs: []string{publicURL + "/auth/callback"},
		}},
		Users:  devidp.DemoUsers(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return &identityProvider{issuer: issuer}
}

// token returns an access token for a demo user (client credentials).
func (p *identityProvider) token(t *testing.T, login string) string {
	t.Helper()
	resp, err := http.PostForm(p.issuer+"/oauth/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {login}, "client_secret": {devidp.DemoSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("no token for %s: %v (status %d)", login, err, resp.StatusCode)
	}
	return tok.AccessToken
}

// answer is an HTTP answer to a GraphQL request.
type answer struct {
	status int
	body   string
	took   time.Duration
}

// code is the first error's extensions.code, or "".
func (a answer) code() string {
	var r struct {
		Errors []struct {
			Extensions struct{ Code string } `json:"extensions"`
		} `json:"errors"`
	}
	json.Unmarshal([]byte(a.body), &r)
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Extensions.Code
}

// graphql posts query to base/graphql with a bearer token.
func graphql(t *testing.T, base, token, query string, vars map[string]any) answer {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{status: -1, body: err.Error(), took: time.Since(start)}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, body: string(b), took: time.Since(start)}
}

// get answers GET base+path: its status and how long it took.
func get(base, path string) (int, time.Duration) {
	start := time.Now()
	c := http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get(base + path)
	if err != nil {
		return -1, time.Since(start)
	}
	resp.Body.Close()
	return resp.StatusCode, time.Since(start)
}

// migrated opens dsn, migrates it and adds Mechelen and Leuven; the caller
// closes it.
func migrated(t *testing.T, dsn string) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := db.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	sys := viewer.SystemContext(ctx)
	d.Client.Municipality.CreateBulk(
		d.Client.Municipality.Create().SetNisCode("12025").SetName("Mechelen").SetProvince(municipality.ProvinceAntwerpen),
		d.Client.Municipality.Create().SetNisCode("24062").SetName("Leuven").SetProvince(municipality.ProvinceVlaamsBrabant),
	).ExecX(sys)
	return d
}

var _ = ent.IsNotFound
var _ = strings.Contains
