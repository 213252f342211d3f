package metrics

import (
	"context"
	"regexp"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
)

// maxOperationNames bounds the operation names the GraphQL metrics keep
// apart: names come from clients, and every new one would otherwise be a
// new time series. Names beyond the bound are counted as "other".
const maxOperationNames = 200

var operationName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]{0,63}$`)

// GraphQL returns a gqlgen extension that counts and times every GraphQL
// operation by name, type (query, mutation) and outcome: "ok", or the
// extensions.code of the answer's first error (BAD_USER_INPUT, FORBIDDEN,
// …; "error" when it has none). Requests that never became an operation
// (a document that does not parse or validate) count with the name
// "invalid".
func (m *Metrics) GraphQL() graphql.HandlerExtension { return graphqlMetrics{m} }

type graphqlMetrics struct{ m *Metrics }

func (graphqlMetrics) ExtensionName() string                   { return "Metrics" }
func (graphqlMetrics) Validate(graphql.ExecutableSchema) error { return nil }
func (g graphqlMetrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	name, kind := "invalid", "none"
	if graphql.HasOperationContext(ctx) {
		if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil {
			kind = string(oc.Operation.Operation)
			name = g.m.names.label(oc.Operation.Name)
		}
	}
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "error"
		if code, ok := resp.Errors[0].Extensions["code"].(string); ok && operationName.MatchString(code) {
			outcome = code
		}
	}
	g.m.operations.WithLabelValues(name, kind, outcome).Inc()
	g.m.operationDuration.WithLabelValues(name, kind).Observe(time.Since(start).Seconds())
	return resp
}

// nameSet is the bounded set of operation names seen.
type nameSet struct {
	mu    sync.Mutex
	names map[string]struct{}
}

func (s *nameSet) label(name string) string {
	switch {
	case name == "":
		return "anonymous"
	case !operationName.MatchString(name):
		return "other"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.names[name]; ok {
		return name
	}
	if len(s.names) >= maxOperationNames {
		return "other"
	}
	s.names[name] = struct{}{}
	return name
}

func newOperationMetrics() (*prometheus.CounterVec, *prometheus.HistogramVec) {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wisselaar_graphql_operations_total",
			Help: "GraphQL operations by operation name, type and outcome (ok or the first error's code).",
		}, []string{"operation", "type", "outcome"}),
		prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wisselaar_graphql_operation_duration_seconds",
			Help:    "GraphQL operation durations by operation name and type.",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation", "type"})
}
