// Package testutil builds what integration tests need: a real database
// (PostgreSQL from pgtest, or the embedded SQLite file), migrated and loaded
// with the demo data, and the real HTTP handler of the server in front of
// it, with a small GraphQL client that signs in as the demo users through
// the development identity provider, exactly as a script would.
package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"wisselaar/ent"
	"wisselaar/internal/db"
	"wisselaar/internal/jobs"
	"wisselaar/internal/pgtest"
	"wisselaar/internal/seed"
	"wisselaar/server"
)

// SeededPostgres returns a fresh PostgreSQL database with the schema and the
// demo data, cloned from a template built once per test process.
func SeededPostgres(t testing.TB) *db.DB {
	t.Helper()
	return postgresWith(t, "wisselaar_seeded", seed.Load)
}

// postgresWith returns a fresh PostgreSQL database cloned from the template
// name, which is built once per test process: migrated, then loaded by load.
func postgresWith(t testing.TB, name string, load func(context.Context, *ent.Client) error) *db.DB {
	t.Helper()
	dsn := pgtest.NewDatabaseFromTemplate(t, name, func(dsn string) error {
		ctx := context.Background()
		d, err := db.Open(ctx, dsn, "")
		if err != nil {
			return err
		}
		defer d.Close()
		if err := db.Migrate(ctx, d); err != nil {
			return err
		}
		return load(ctx, d.Client)
	})
	return open(t, dsn, "")
}

// EmptyPostgres returns a fresh, migrated PostgreSQL database without data.
func EmptyPostgres(t testing.TB) *db.DB {
	t.Helper()
	d := open(t, pgtest.NewDatabase(t), "")
	if err := db.Migrate(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

// SeededSQLite returns the embedded database in a temporary directory,
// migrated and loaded with the demo data.
func SeededSQLite(t testing.TB) *db.DB {
	t.Helper()
	d := open(t, "", t.TempDir())
	ctx := context.Background()
	if err := db.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := seed.Load(ctx, d.Client); err != nil {
		t.Fatal(err)
	}
	return d
}

func open(t testing.TB, dsn, dir string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// Server is the real server in front of a test database.
type Server struct {
	URL    string
	DB     *db.DB
	Config server.Config
	http   *httptest.Server

	mu     sync.Mutex
	tokens map[string]string
}

// NewServer starts the server's real handler on a loopback port, with the
// development identity provider (no issuer configured), as `go run .` does.
// env overrides configuration variables. RATE_LIMIT is off unless env sets
// it: integration tests send many requests as one viewer.
func NewServer(t testing.TB, d *db.DB, env map[string]string) *Server {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return NewServerWithLogger(t, d, env, logger)
}

// NewServerWithLogger is NewServer with the server logging to logger, for
// tests of what the server writes to its log.
func NewServerWithLogger(t testing.TB, d *db.DB, env map[string]string, logger *slog.Logger) *Server {
	t.Helper()
	return newServer(t, d, env, logger, nil)
}

// NewServerWithQueue is NewServer with the job queue running, as the
// server runs on PostgreSQL: mutations write webhook events and e-mail in
// their transaction, and the queue's workers deliver them. cfg.Logger
// defaults to the server's.
func NewServerWithQueue(t testing.TB, d *db.DB, env map[string]string, cfg jobs.Config) (*Server, *jobs.Queue) {
	t.Helper()
	ctx := context.Background()
	if err := jobs.Migrate(ctx, d.SQL); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	if cfg.Logger == nil {
		cfg.Logger = logger
	}
	q, err := jobs.New(d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	if err := q.Start(runCtx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, stop := context.WithTimeout(ctx, 10*time.Second)
		defer stop()
		q.Stop(stopCtx)
		cancel()
	})
	return newServer(t, d, env, logger, q.OpenTx), q
}

func newServer(t testing.TB, d *db.DB, env map[string]string, logger *slog.Logger,
	openTx func(context.Context, *ent.Client) (context.Context, *ent.Tx, error)) *Server {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	publicURL := "http://" + ts.Listener.Addr().String()
	documentDir := t.TempDir()
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		switch k {
		case "PUBLIC_URL":
			return publicURL
		case "DOCUMENT_STORE_URL":
			return "file://" + documentDir
		case "RATE_LIMIT":
			return "off"
		}
		return ""
	}
	cfg, err := server.ConfigFromEnv(getenv)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := server.NewAuth(context.Background(), cfg, d.Client, logger)
	if err != nil {
		t.Fatal(err)
	}
	documents, err := server.OpenDocuments(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { documents.Close() })
	ts.Config.Handler = server.New(cfg, server.Deps{Client: d.Client, Logger: logger, Ping: d.Ping, Auth: auth, Documents: documents,
		SQL: d.SQL, Dialect: d.Dialect, OpenTx: openTx})
	ts.Start()
	t.Cleanup(ts.Close)
	return &Server{URL: ts.URL, DB: d, Config: cfg, http: ts, tokens: map[string]string{}}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Token returns an access token for a demo user, obtained from the
// development provider with the client-credentials grant, as a partner
// script would. Tokens are cached per server.
func (s *Server) Token(t testing.TB, login string) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok, ok := s.tokens[login]; ok {
		return tok
	}
	resp, err := http.PostForm(s.URL+"/dev-idp/oauth/token", url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {login},
		"client_secret": {"demo"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 || body.AccessToken == "" {
		t.Fatalf("token for %s: status %d, err %v", login, resp.StatusCode, err)
	}
	s.tokens[login] = body.AccessToken
	return body.AccessToken
}

// Response is a GraphQL response.
type Response struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// Code returns the code of the first error, or "".
func (r *Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// Decode unmarshals the data into v, failing the test on errors.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decoding %s: %v", r.Data, err)
	}
}

// Query posts a GraphQL operation as login ("" for anonymous).
func (s *Server) Query(t testing.TB, login, query string, vars map[string]any) *Response {
	t.Helper()
	header := http.Header{}
	if login != "" {
		header.Set("Authorization", "Bearer "+s.Token(t, login))
	}
	return s.Do(t, header, query, vars)
}

// Do posts a GraphQL operation with the given headers.
func (s *Server) Do(t testing.TB, header http.Header, query string, vars map[string]any) *Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	req.Header = header.Clone()
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &Response{Status: resp.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("response is not JSON (status %d): %s", resp.StatusCode, raw)
	}
	return out
}

// ScenarioPostgres returns a fresh PostgreSQL database with the schema, the
// demo data and the scenario of LoadScenario, cloned from a template built
// once per test process: two calls give two identical databases.
func ScenarioPostgres(t testing.TB) *db.DB {
	t.Helper()
	return postgresWith(t, "wisselaar_scenario", LoadScenario)
}
