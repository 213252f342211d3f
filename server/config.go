package server

import (
	"path/filepath"

	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	"wisselaar/internal/dossier"
	"wisselaar/internal/opendata"
)

// Config is the server's configuration, read from the environment (see the
// README for every variable).
type Config struct {
	// Addr is the address to listen on (ADDR; PORT=n is also understood,
	// for platforms that set it). The default is "127.0.0.1:8080" while the
	// development provider is active, so that nobody else can reach a
	// server that lets anyone sign in as anyone; ":8080" (all interfaces)
	// otherwise.
	Addr string
	// PublicURL is the URL clients reach the server at (PUBLIC_URL, default
	// http://localhost:8080). It is the base of the OIDC redirect URIs and
	// of the development provider's issuer.
	PublicURL string
	// DatabaseURL selects PostgreSQL (DATABASE_URL, postgres://...). Empty
	// selects the embedded SQLite file in DataDir.
	DatabaseURL string
	// DataDir holds the embedded database (DATA_DIR, default ./data).
	DataDir string
	// LoadDemoData loads the demo data at start (DEMO_DATA: "auto" loads it
	// into an empty embedded database, "true" always, "false" never).
	LoadDemoData string
	// Migrate makes the server apply the PostgreSQL database's pending
	// versioned migrations at start (MIGRATE, default true). With false it
	// only checks that the database is at the last migration it knows, and
	// refuses to start otherwise: for deployments that run `wisselaar
	// migrate` as a step of their own. The embedded SQLite database always
	// migrates itself.
	Migrate bool
	// LogLevel is debug, info, warn or error (LOG_LEVEL, default info).
	LogLevel string
	// LogFormat is "text" or "json" (LOG_FORMAT, default text).
	LogFormat string

	// Auth is the sign-in configuration.
	Auth AuthConfig

	// Timeouts of the HTTP server.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// ShutdownTimeout is how long a stopping server lets the requests in
	// flight finish (SHUTDOWN_TIMEOUT, default REQUEST_TIMEOUT + 5s; never
	// less than REQUEST_TIMEOUT, so that no request inside its time limit
	// is cut off).
	ShutdownTimeout time.Duration
	// Database tunes the PostgreSQL pool (DB_STATEMENT_TIMEOUT, default
	// REQUEST_TIMEOUT; DB_LOCK_TIMEOUT, default 10s; DB_MAX_CONNS,
	// default 20).
	Database DatabaseConfig
	// MaxBodyBytes bounds a request body (MAX_BODY_BYTES, default 1 MiB).
	MaxBodyBytes int64
	// RequestTimeout bounds the work of one GraphQL request: its context
	// is cancelled then, which stops its database queries
	// (REQUEST_TIMEOUT, default 30s).
	RequestTimeout time.Duration
	// Introspection answers GraphQL introspection and lets validation
	// errors suggest names (GRAPHQL_INTROSPECTION: "auto", the default,
	// turns it on with the development provider and off with a real
	// issuer; "true" or "false" force it).
	Introspection bool
	// RateLimit bounds the requests of one viewer (RATE_LIMIT, default
	// "600/1m"; "off" disables it).
	RateLimit RateLimit
	// DocumentStoreURL is where uploaded documents are kept
	// (DOCUMENT_STORE_URL): file:///dir, or s3://bucket?region=… (default:
	// the directory "documents" in DataDir).
	DocumentStoreURL string
	// MaxUploadBytes bounds an uploaded document (MAX_UPLOAD_BYTES,
	// default 10 MiB).
	MaxUploadBytes int64
	// ClamdAddress is the ClamAV daemon that scans every upload
	// (CLAMD_ADDRESS: host:port, tcp://host:port or unix:///path); empty
	// scans nothing.
	ClamdAddress string
	// OpenDataPrefix starts the identifiers of the grants in the open-data
	// feed (OPEN_DATA_PREFIX, default "360G-wisselaar"; 360Giving assigns
	// each publisher its own).
	OpenDataPrefix string
	// PprofAddr, when set, serves Go's profiler (net/http/pprof) on this
	// address, apart from the API (PPROF_ADDR, e.g. 127.0.0.1:6060): for
	// profiling under load, never to be exposed.
	PprofAddr string
	// Observability: where metrics are served, whether traces are sent.
	Observability ObservabilityConfig
	// WebhookLocalURLs lets webhooks use http and loopback or private
	// addresses (WEBHOOK_LOCAL_URLS: auto, true or false; auto is true
	// with the development provider only): local development, where the
	// receiver runs on the same machine. Off, only https URLs that resolve
	// to public addresses receive events.
	WebhookLocalURLs bool
}

// DatabaseConfig tunes the PostgreSQL connection pool.
type DatabaseConfig struct {
	// StatementTimeout is PostgreSQL's statement_timeout on every
	// connection.
	StatementTimeout time.Duration
	// LockTimeout is PostgreSQL's lock_timeout: the longest a statement
	// waits for a lock another transaction holds.
	LockTimeout time.Duration
	// MaxConns bounds the connections one replica opens.
	MaxConns int
}

// RateLimit is a number of requests per window, per viewer (per client IP
// for anonymous requests), counted by each replica on its own. The zero
// value is no limit.
type RateLimit struct {
	// Requests is how many requests a viewer may send per Window.
	Requests int
	// Window is the period the requests are counted over; a viewer over
	// the limit is told to retry after one window.
	Window time.Duration
}

// parseRateLimit reads "600/1m" (requests per window) or "off".
func parseRateLimit(s string) (RateLimit, error) {
	if s == "off" {
		return RateLimit{}, nil
	}
	n, window, ok := strings.Cut(s, "/")
	var rl RateLimit
	var err error
	if ok {
		rl.Requests, err = strconv.Atoi(strings.TrimSpace(n))
		if err == nil {
			rl.Window, err = time.ParseDuration(strings.TrimSpace(window))
		}
	}
	if !ok || err != nil || rl.Requests <= 0 || rl.Window < time.Second {
		return RateLimit{}, fmt.Errorf("RATE_LIMIT: want requests per window such as 600/1m (a window of at least 1s), or off")
	}
	return rl, nil
}

// AuthConfig configures sign-in. With no Issuer, the embedded development
// provider is used.
type AuthConfig struct {
	// Issuer is the OIDC issuer URL (OIDC_ISSUER).
	Issuer string
	// ClientID and ClientSecret identify the portal (backend-for-frontend)
	// at the issuer (OIDC_CLIENT_ID, OIDC_CLIENT_SECRET).
	ClientID     string
	ClientSecret string
	// Audience is the API's identifier: bearer tokens must be issued for
	// it (OIDC_AUDIENCE, default "wisselaar-api").
	Audience string
	// Scopes requested at sign-in (OIDC_SCOPES, default "openid profile email").
	Scopes []string
	// RolesClaim is the path of the claim that carries roles, dot-separated;
	// several paths may be given, comma-separated
	// (OIDC_ROLES_CLAIM, default "roles"; Keycloak: "realm_access.roles").
	RolesClaim string
	// RoleMapping translates the provider's values into ours
	// (OIDC_ROLE_MAPPING, see the README).
	RoleMapping string
	// AllowedOrigins may call the API from a browser with credentials
	// (CORS_ALLOWED_ORIGINS, comma-separated).
	AllowedOrigins []string
	// AllowedReturnTo are the URL prefixes /auth/login may redirect back to
	// (AUTH_RETURN_TO_ALLOWLIST, comma-separated; the public URL and the
	// allowed origins are always allowed).
	AllowedReturnTo []string
	// SessionIdle and SessionMax are the idle and absolute lifetimes of a
	// session (SESSION_IDLE_TIMEOUT, default 8h; SESSION_MAX_AGE, default 24h).
	SessionIdle time.Duration
	SessionMax  time.Duration
	// LoginStateKey seals the short-lived login state cookie between
	// /auth/login and /auth/callback (LOGIN_STATE_KEY: at least 32
	// characters, the same on every replica). Empty derives the key from
	// ClientSecret, or, for a public client, makes a random one per process.
	LoginStateKey string
}

// DevIssuer is true when the embedded development provider is used.
func (c Config) DevIssuer() bool { return c.Auth.Issuer == "" }

// ConfigFromEnv reads the configuration from getenv.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:              get("ADDR", ""),
		OpenDataPrefix:    get("OPEN_DATA_PREFIX", opendata.DefaultPrefix),
		PublicURL:         strings.TrimRight(get("PUBLIC_URL", ""), "/"),
		DatabaseURL:       get("DATABASE_URL", ""),
		DataDir:           get("DATA_DIR", "data"),
		LoadDemoData:      get("DEMO_DATA", "auto"),
		LogLevel:          get("LOG_LEVEL", "info"),
		LogFormat:         get("LOG_FORMAT", "text"),
		PprofAddr:         get("PPROF_ADDR", ""),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	// The port is known before the rest of the address: the default
	// public URL needs it, and whether the default address is loopback
	// depends on the issuer, which is decided below.
	port := ":8080"
	if c.Addr != "" {
		port = portOf(c.Addr)
	} else if p := get("PORT", ""); p != "" {
		port = ":" + p
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://localhost" + port
	}
	var err error
	if c.MaxBodyBytes, err = strconv.ParseInt(get("MAX_BODY_BYTES", "1048576"), 10, 64); err != nil || c.MaxBodyBytes <= 0 {
		return c, fmt.Errorf("MAX_BODY_BYTES: not a positive number")
	}
	if c.RequestTimeout, err = time.ParseDuration(get("REQUEST_TIMEOUT", "30s")); err != nil || c.RequestTimeout <= 0 {
		return c, fmt.Errorf("REQUEST_TIMEOUT: not a positive duration such as 30s")
	}
	// An answer is written after the request's work, so the write deadline
	// leaves room beyond it.
	c.WriteTimeout = max(c.WriteTimeout, c.RequestTimeout+30*time.Second)
	if c.ShutdownTimeout, err = time.ParseDuration(get("SHUTDOWN_TIMEOUT", (c.RequestTimeout + 5*time.Second).String())); err != nil || c.ShutdownTimeout < c.RequestTimeout {
		return c, fmt.Errorf("SHUTDOWN_TIMEOUT: want a duration of at least REQUEST_TIMEOUT (%s), so that requests in flight can finish", c.RequestTimeout)
	}
	d := &c.Database
	if d.StatementTimeout, err = time.ParseDuration(get("DB_STATEMENT_TIMEOUT", c.RequestTimeout.String())); err != nil || d.StatementTimeout <= 0 {
		return c, fmt.Errorf("DB_STATEMENT_TIMEOUT: not a positive duration such as 30s")
	}
	if d.LockTimeout, err = time.ParseDuration(get("DB_LOCK_TIMEOUT", "10s")); err != nil || d.LockTimeout <= 0 {
		return c, fmt.Errorf("DB_LOCK_TIMEOUT: not a positive duration such as 10s")
	}
	if d.MaxConns, err = strconv.Atoi(get("DB_MAX_CONNS", "20")); err != nil || d.MaxConns <= 0 {
		return c, fmt.Errorf("DB_MAX_CONNS: not a positive number")
	}
	if c.RateLimit, err = parseRateLimit(get("RATE_LIMIT", "600/1m")); err != nil {
		return c, err
	}
	if c.MaxUploadBytes, err = strconv.ParseInt(get("MAX_UPLOAD_BYTES", strconv.Itoa(dossier.DefaultMaxBytes)), 10, 64); err != nil || c.MaxUploadBytes <= 0 {
		return c, fmt.Errorf("MAX_UPLOAD_BYTES: not a positive number")
	}
	c.ClamdAddress = get("CLAMD_ADDRESS", "")
	if c.ClamdAddress != "" {
		if _, err := dossier.ParseClamdAddress(c.ClamdAddress); err != nil {
			return c, err
		}
	}
	if c.DocumentStoreURL = get("DOCUMENT_STORE_URL", ""); c.DocumentStoreURL == "" {
		if c.DocumentStoreURL, err = dossier.DirURL(filepath.Join(c.DataDir, "documents")); err != nil {
			return c, fmt.Errorf("DOCUMENT_STORE_URL: %w", err)
		}
	}
	if c.Migrate, err = strconv.ParseBool(get("MIGRATE", "true")); err != nil {
		return c, fmt.Errorf("MIGRATE: want true or false")
	}
	if c.Observability, err = observabilityFromEnv(get); err != nil {
		return c, err
	}
	switch c.LoadDemoData {
	case "auto", "true", "false":
	default:
		return c, fmt.Errorf("DEMO_DATA: want auto, true or false")
	}
	a := &c.Auth
	a.Issuer = strings.TrimRight(get("OIDC_ISSUER", ""), "/")
	if a.Issuer == "" {
		if err := allowDevIssuer(get("DEV_IDP", "auto"), c.PublicURL); err != nil {
			return c, err
		}
	} else if v := get("DEV_IDP", "auto"); v == "true" {
		return c, fmt.Errorf("DEV_IDP=true with OIDC_ISSUER set: the development provider never runs alongside a real issuer")
	}
	if c.Addr == "" {
		c.Addr = port
		if c.DevIssuer() {
			// Loopback only: the development provider refuses other
			// machines anyway, but then the API (and its demo data) is
			// not on the network either. An explicit ADDR is respected,
			// and main warns about it.
			c.Addr = "127.0.0.1" + port
		}
	}
	switch get("GRAPHQL_INTROSPECTION", "auto") {
	case "auto":
		// Exploring the schema is what the development setup is for; a
		// real deployment does not hand its map to every visitor.
		c.Introspection = c.DevIssuer()
	case "true":
		c.Introspection = true
	case "false":
		c.Introspection = false
	default:
		return c, fmt.Errorf("GRAPHQL_INTROSPECTION: want auto, true or false")
	}
	switch get("WEBHOOK_LOCAL_URLS", "auto") {
	case "auto":
		c.WebhookLocalURLs = c.DevIssuer()
	case "true":
		c.WebhookLocalURLs = true
	case "false":
		c.WebhookLocalURLs = false
	default:
		return c, fmt.Errorf("WEBHOOK_LOCAL_URLS: want auto, true or false")
	}
	a.ClientID = get("OIDC_CLIENT_ID", "wisselaar-portal")
	a.ClientSecret = get("OIDC_CLIENT_SECRET", "")
	a.Audience = get("OIDC_AUDIENCE", "wisselaar-api")
	a.Scopes = strings.Fields(get("OIDC_SCOPES", "openid profile email"))
	a.RolesClaim = get("OIDC_ROLES_CLAIM", "roles")
	a.RoleMapping = get("OIDC_ROLE_MAPPING", "")
	a.AllowedOrigins = list(get("CORS_ALLOWED_ORIGINS", ""))
	a.AllowedReturnTo = list(get("AUTH_RETURN_TO_ALLOWLIST", ""))
	if a.SessionIdle, err = time.ParseDuration(get("SESSION_IDLE_TIMEOUT", "8h")); err != nil {
		return c, fmt.Errorf("SESSION_IDLE_TIMEOUT: %w", err)
	}
	if a.SessionMax, err = time.ParseDuration(get("SESSION_MAX_AGE", "24h")); err != nil {
		return c, fmt.Errorf("SESSION_MAX_AGE: %w", err)
	}
	if a.LoginStateKey = get("LOGIN_STATE_KEY", ""); a.LoginStateKey != "" && len(a.LoginStateKey) < 32 {
		return c, fmt.Errorf("LOGIN_STATE_KEY: want at least 32 characters (e.g. openssl rand -base64 32)")
	}
	return c, nil
}

func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimRight(strings.TrimSpace(p), "/"); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func portOf(addr string) string {
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		return addr[i:]
	}
	return ""
}

// allowDevIssuer decides whether the embedded development provider may run
// when no issuer is configured. It hands out any demo user's token,
// ministry included, so by default ("auto") it runs only for a server on
// this machine (a loopback public URL): a deployment that forgot
// OIDC_ISSUER refuses to start rather than let anyone in. DEV_IDP=true runs
// it anyway (a shared demo), DEV_IDP=false never.
func allowDevIssuer(setting, publicURL string) error {
	switch setting {
	case "true":
		return nil
	case "false":
		return fmt.Errorf("OIDC_ISSUER is not set and DEV_IDP=false: configure the identity provider")
	case "auto":
	default:
		return fmt.Errorf("DEV_IDP: want auto, true or false")
	}
	u, err := url.Parse(publicURL)
	if err != nil {
		return fmt.Errorf("PUBLIC_URL: %w", err)
	}
	switch host := u.Hostname(); {
	case host == "localhost", strings.HasSuffix(host, ".localhost"):
		return nil
	default:
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return nil
		}
	}
	return fmt.Errorf("OIDC_ISSUER is not set and PUBLIC_URL %s is not on this machine: configure the identity provider "+
		"(or set DEV_IDP=true to run the development provider, which lets anyone sign in as any demo user)", publicURL)
}
