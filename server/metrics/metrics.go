// Package metrics exposes the server's Prometheus metrics: requests by
// route and status with their durations, GraphQL operations by name and
// outcome, the database pool, the job queue, the ledgers of the open calls,
// plus the Go runtime and process collectors. Each server gets its own
// registry, so tests can run several.
package metrics

import (
	"crypto/subtle"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors of one server.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	operations        *prometheus.CounterVec
	operationDuration *prometheus.HistogramVec
	names             *nameSet
}

// New returns the metrics of a server, registered in a fresh registry.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wisselaar_http_requests_total",
			Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wisselaar_http_request_duration_seconds",
			Help:    "HTTP request durations by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	m.operations, m.operationDuration = newOperationMetrics()
	m.names = &nameSet{names: map[string]struct{}{}}
	m.registry.MustRegister(m.requests, m.duration, m.operations, m.operationDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Register adds collectors (the ledger, the job queue, …) to the registry.
func (m *Metrics) Register(cs ...prometheus.Collector) { m.registry.MustRegister(cs...) }

// DBStats returns the collector of a connection pool's statistics
// (go_sql_* series: open, in use and idle connections, waits, …).
func DBStats(db *sql.DB) prometheus.Collector { return collectors.NewDBStatsCollector(db, "wisselaar") }

// Handler serves the metrics in the Prometheus text format. With a
// non-empty token, only requests with "Authorization: Bearer <token>" get
// them; others are answered 401.
func (m *Metrics) Handler(token string) http.Handler {
	h := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the metrics token (METRICS_TOKEN)", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Middleware counts and times the requests of next. The route is the mux
// pattern that matched (not the raw path), so the label set stays small
// whatever paths clients send.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &codeRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.code)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

type codeRecorder struct {
	http.ResponseWriter
	code int
}

func (r *codeRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *codeRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
