// Command wisselaar is the backend of the portal of De Wisselaar: a GraphQL
// API over the programme's municipalities, calls, trajectories and grants.
//
// Usage:
//
//	wisselaar          serve the API (the default)
//	wisselaar migrate  bring the database schema up to date and exit (the
//	                   versioned migrations of package migrations on
//	                   PostgreSQL)
//	wisselaar seed     load the demo data (idempotent) and exit
//	wisselaar healthcheck  exit 0 when the local server is ready (for
//	                   container health checks, where there is no curl)
//	wisselaar anonymise --before DATE  remove the personal data of the
//	                   mentors of trajectories settled before DATE
//
// Configuration comes from environment variables; see the README.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"entgo.io/ent/dialect"

	"wisselaar/ent"
	"wisselaar/internal/db"
	"wisselaar/internal/jobs"
	"wisselaar/internal/seed"
	"wisselaar/internal/webhook"
	"wisselaar/server"
	"wisselaar/server/metrics"
)

func main() {
	// A server's heap is mostly the garbage of finished requests. Collecting
	// when it has grown by half of what is live, instead of Go's default of
	// doubling, keeps a busy server's resident memory well under 100 MB
	// (bench/run.sh) for a little more CPU. GOGC in the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wisselaar:", err)
		os.Exit(1)
	}
}

// run is the whole program; tests call it with their own arguments,
// environment and output. It returns when ctx is cancelled (after a
// graceful shutdown) or when a one-shot command is done.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 1 {
		cmd = args[1]
	}
	cfg, err := server.ConfigFromEnv(getenv)
	if err != nil {
		return err
	}
	logger, err := newLogger(cfg, stdout)
	if err != nil {
		return err
	}
	// Libraries that log through the default logger (the development
	// identity provider does) then log in the same format.
	slog.SetDefault(logger)
	switch cmd {
	case "serve", "migrate", "seed":
	case "anonymise":
		return anonymiseCommand(ctx, cfg, args[2:], stdout)
	case "healthcheck":
		return healthcheck(ctx, cfg)
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate, seed, anonymise or healthcheck)", cmd)
	}

	tracing, err := startTracing(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer stopTracing(tracing, logger)
	database, err := db.OpenWith(ctx, cfg.DatabaseURL, cfg.DataDir, db.Options{
		StatementTimeout: cfg.Database.StatementTimeout,
		LockTimeout:      cfg.Database.LockTimeout,
		MaxConns:         cfg.Database.MaxConns,
		QueryTracer:      tracing.QueryTracer(),
	})
	if err != nil {
		return err
	}
	defer database.Close()
	if err := migrate(ctx, cfg, cmd, database); err != nil {
		return err
	}
	logger.Info("database ready", "dialect", database.Dialect, "embedded", cfg.DatabaseURL == "")

	switch cmd {
	case "migrate":
		return nil
	case "seed":
		if err := seed.Load(ctx, database.Client); err != nil {
			return err
		}
		logger.Info("demo data loaded")
		return nil
	}
	if err := loadDemoData(ctx, cfg, database, logger); err != nil {
		return err
	}
	go jobs.RunExpiry(ctx, database.Client, logger)
	queue, err := startJobQueue(ctx, cfg, getenv, database, logger)
	if err != nil {
		return err
	}
	var openTx func(context.Context, *ent.Client) (context.Context, *ent.Tx, error)
	if queue != nil {
		openTx = queue.OpenTx
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
			defer cancel()
			queue.Stop(stopCtx)
		}()
	}

	auth, err := server.NewAuth(ctx, cfg, database.Client, logger)
	if err != nil {
		return err
	}
	documents, err := server.OpenDocuments(ctx, cfg)
	if err != nil {
		return err
	}
	defer documents.Close()
	logger.Info("document store ready", "virus_scan", cfg.ClamdAddress != "")
	m := metrics.New()
	handler := server.New(cfg, server.Deps{
		Documents: documents,
		Client:    database.Client,
		Logger:    logger,
		Ping:      database.Ping,
		Auth:      auth,
		SQL:       database.SQL,
		Dialect:   database.Dialect,
		Metrics:   m,
		Tracing:   tracing,
		OpenTx:    openTx,
	})
	if err := serveMetrics(ctx, cfg, m, logger); err != nil {
		return err
	}
	return serve(ctx, cfg, handler, logger)
}

// migrate brings the database up to date, the job queue's tables
// included, or with MIGRATE=false (serve only, PostgreSQL only) checks
// that it is and changes nothing, so that the server can run as a role
// without DDL rights: a database ahead of this binary, or behind it, is
// refused either way.
func migrate(ctx context.Context, cfg server.Config, cmd string, database *db.DB) error {
	if cmd == "serve" && !cfg.Migrate {
		return db.CheckMigrations(ctx, database)
	}
	if err := db.Migrate(ctx, database); err != nil {
		return err
	}
	return migrateJobQueue(ctx, database)
}

// migrateJobQueue creates or updates the job queue's tables (PostgreSQL
// only: the embedded SQLite run has no job queue).
func migrateJobQueue(ctx context.Context, database *db.DB) error {
	if database.Dialect != dialect.Postgres {
		return nil
	}
	return jobs.Migrate(ctx, database.SQL)
}

// startJobQueue starts the workers of the job queue, which deliver webhook
// events and send e-mail (when SMTP_HOST is set). The embedded SQLite run
// has none: there, mutations queue nothing, and no webhook or e-mail is
// sent (nil).
func startJobQueue(ctx context.Context, cfg server.Config, getenv func(string) string, database *db.DB, logger *slog.Logger) (*jobs.Queue, error) {
	mail, err := jobs.MailConfigFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	if database.Dialect != dialect.Postgres {
		logger.Info("job queue off with the embedded database: no webhook events, no e-mail")
		return nil, nil
	}
	queue, err := jobs.New(database, jobs.Config{
		Logger:   logger,
		Webhooks: webhook.Policy{Local: cfg.WebhookLocalURLs},
		Mail:     jobs.NewMailer(mail),
	})
	if err != nil {
		return nil, err
	}
	if err := queue.Start(ctx); err != nil {
		return nil, fmt.Errorf("starting the job queue: %w", err)
	}
	logger.Info("job queue running", "email", mail != nil)
	return queue, nil
}

// loadDemoData loads the demo data where DEMO_DATA asks for it. "auto"
// loads it into an empty database, but only while the development identity
// provider is in use: a server configured with a real issuer is a real
// deployment and never gets invented people.
func loadDemoData(ctx context.Context, cfg server.Config, database *db.DB, logger *slog.Logger) error {
	switch cfg.LoadDemoData {
	case "false":
		return nil
	case "auto":
		if !cfg.DevIssuer() {
			return nil
		}
		empty, err := seed.Empty(ctx, database.Client)
		if err != nil || !empty {
			return err
		}
	}
	if err := seed.Load(ctx, database.Client); err != nil {
		return fmt.Errorf("loading demo data: %w", err)
	}
	logger.Info("demo data loaded: project years 1.0 and 2.0, with invented people, salaries and hours")
	return nil
}

// serve runs the HTTP server until ctx is cancelled, then shuts it down
// gracefully: in-flight requests get ShutdownTimeout to finish.
func serve(ctx context.Context, cfg server.Config, handler http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           handler,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	logger.Info("serving", "addr", ln.Addr().String(), "url", cfg.PublicURL, "graphiql", cfg.PublicURL+"/")
	warnIfReachable(cfg, ln.Addr(), logger)
	if cfg.PprofAddr != "" {
		servePprof(ctx, cfg.PprofAddr, logger)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// servePprof serves Go's profiler on addr until ctx ends, on a mux of its
// own: the API's routes never include it.
func servePprof(ctx context.Context, addr string, logger *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	logger.Warn("serving the profiler (PPROF_ADDR): never expose it", "addr", addr)
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("profiler", "err", err)
		}
	}()
	go func() { <-ctx.Done(); srv.Close() }()
}

// warnIfReachable says loudly when the development provider is active and
// the server listens beyond loopback (an explicit ADDR such as ":8080";
// without one it listens on 127.0.0.1). The provider itself still refuses
// requests from other machines, but the API and its demo data are on the
// network, and a proxy on this machine would open the provider to everyone.
// The listener's real address is judged, not the configured one:
// "localhost:8080" is loopback, ":8080" is every interface.
func warnIfReachable(cfg server.Config, addr net.Addr, logger *slog.Logger) {
	if !cfg.DevIssuer() {
		return
	}
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		return
	}
	logger.Warn("THE SERVER LISTENS BEYOND THIS MACHINE WHILE SIGN-IN USES THE DEVELOPMENT PROVIDER: other machines "+
		"can reach the API; the provider refuses them, but a proxy on this machine would let anyone sign in as any "+
		"demo user, the ministry included. Leave ADDR unset to listen on 127.0.0.1 only, or set OIDC_ISSUER.",
		"addr", addr.String())
}

func newLogger(cfg server.Config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("LOG_LEVEL: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch cfg.LogFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("LOG_FORMAT: want text or json")
}

// healthcheck asks the server running on this machine whether it is ready.
func healthcheck(ctx context.Context, cfg server.Config) error {
	_, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s", resp.Status)
	}
	return nil
}
