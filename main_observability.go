package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"wisselaar/internal/telemetry"
	"wisselaar/server"
	"wisselaar/server/metrics"
)

// serveMetrics serves /metrics on METRICS_ADDR, apart from the API, until
// ctx ends; without METRICS_ADDR it only says where the metrics are.
func serveMetrics(ctx context.Context, cfg server.Config, m *metrics.Metrics, logger *slog.Logger) error {
	o := cfg.Observability
	if o.MetricsAddr == "" {
		if !cfg.MetricsOnAPI() {
			logger.Warn("no metrics are served: set METRICS_ADDR (a listener of their own) or METRICS_TOKEN (/metrics on the API behind a bearer token)")
		}
		return nil
	}
	ln, err := net.Listen("tcp", o.MetricsAddr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", server.MetricsHandler(cfg, m))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	logger.Info("serving metrics", "addr", ln.Addr().String(), "token", o.MetricsToken != "")
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics listener", "err", err)
		}
	}()
	go func() { <-ctx.Done(); srv.Close() }()
	return nil
}

// startTracing sets up tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set; the
// result is nil (off) otherwise.
func startTracing(ctx context.Context, cfg server.Config, logger *slog.Logger) (*telemetry.Tracing, error) {
	t, err := telemetry.Start(ctx, cfg.Observability.OTLPEndpoint)
	if err == nil && t != nil {
		logger.Info("tracing", "otlp_endpoint", cfg.Observability.OTLPEndpoint)
	}
	return t, err
}

// stopTracing sends the spans still buffered, waiting at most 5 seconds.
func stopTracing(t *telemetry.Tracing, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := t.Shutdown(ctx); err != nil {
		logger.Warn("tracing: flushing spans", "err", err)
	}
}
