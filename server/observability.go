package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"wisselaar/internal/telemetry"
	"wisselaar/server/metrics"
)

// ObservabilityConfig says where the metrics are served and whether traces
// are exported.
type ObservabilityConfig struct {
	// MetricsAddr serves /metrics on a listener of its own, apart from the
	// API (METRICS_ADDR, e.g. :9090 inside a cluster network). The API
	// then does not answer /metrics.
	MetricsAddr string
	// MetricsToken, when set, is the bearer token /metrics asks for
	// (METRICS_TOKEN, at least 16 characters), on whichever listener.
	MetricsToken string
	// OTLPEndpoint is where traces are sent over OTLP/HTTP
	// (OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
	// empty turns tracing off.
	OTLPEndpoint string
}

// observabilityFromEnv reads the ObservabilityConfig.
func observabilityFromEnv(get func(key, def string) string) (ObservabilityConfig, error) {
	o := ObservabilityConfig{
		MetricsAddr:  get("METRICS_ADDR", ""),
		MetricsToken: get("METRICS_TOKEN", ""),
		OTLPEndpoint: get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", get("OTEL_EXPORTER_OTLP_ENDPOINT", "")),
	}
	if o.MetricsToken != "" && len(o.MetricsToken) < 16 {
		return o, fmt.Errorf("METRICS_TOKEN: want at least 16 characters (e.g. openssl rand -hex 32)")
	}
	if o.OTLPEndpoint != "" && !strings.HasPrefix(o.OTLPEndpoint, "http://") && !strings.HasPrefix(o.OTLPEndpoint, "https://") {
		return o, fmt.Errorf("OTEL_EXPORTER_OTLP_ENDPOINT: want an http:// or https:// URL (OTLP over HTTP)")
	}
	return o, nil
}

// MetricsOnAPI reports whether the API's own listener answers /metrics:
// not when they have a listener of their own (METRICS_ADDR); with a token
// (METRICS_TOKEN) always; without one only while the development provider
// is in use (a server on this machine). A deployment with a real issuer and
// neither setting serves no metrics, rather than show its figures to
// anyone.
func (c Config) MetricsOnAPI() bool {
	o := c.Observability
	return o.MetricsAddr == "" && (o.MetricsToken != "" || c.DevIssuer())
}

// MetricsHandler is /metrics as configured: behind METRICS_TOKEN when set.
func MetricsHandler(cfg Config, m *metrics.Metrics) http.Handler {
	return m.Handler(cfg.Observability.MetricsToken)
}

// graphExtensions are the GraphQL extensions of observability: metrics
// always, tracing when it is on.
func graphExtensions(m *metrics.Metrics, t *telemetry.Tracing) []graphql.HandlerExtension {
	exts := []graphql.HandlerExtension{m.GraphQL()}
	if ext := t.GraphQL(); ext != nil {
		exts = append(exts, ext)
	}
	return exts
}
