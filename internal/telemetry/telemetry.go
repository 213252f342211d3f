// Package telemetry sends traces over OTLP/HTTP when an endpoint is
// configured (OTEL_EXPORTER_OTLP_ENDPOINT): spans for HTTP requests, GraphQL
// operations and resolvers, and PostgreSQL queries. Without an endpoint
// nothing is set up and nothing wraps the handlers or the database: tracing
// costs nothing when it is off.
package telemetry

import (
	"context"
	"fmt"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
)

// instrumentation is the name of the tracer the server's own spans come
// from.
const instrumentation = "wisselaar"

// Tracing is the tracing of one server process: nil when it is off.
type Tracing struct {
	provider *sdktrace.TracerProvider
	tracer   trace.Tracer
}

// Start sets up tracing when endpoint is set: an OTLP/HTTP exporter (which
// reads the other OTEL_EXPORTER_OTLP_* variables itself), batched, with
// the service name "wisselaar" unless OTEL_SERVICE_NAME says otherwise.
// It returns nil for an empty endpoint. Call Shutdown at the end to flush.
func Start(ctx context.Context, endpoint string) (*Tracing, error) {
	if endpoint == "" {
		return nil, nil
	}
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_ENDPOINT: %w", err)
	}
	res, err := resource.Merge(resource.Default(),
		resource.NewSchemaless(semconv.ServiceName("wisselaar")))
	if err != nil {
		return nil, err
	}
	// resource.Default reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES;
	// those win over our default name.
	if env, err := resource.New(ctx, resource.WithFromEnv()); err == nil {
		if merged, err := resource.Merge(res, env); err == nil {
			res = merged
		}
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return &Tracing{provider: tp, tracer: tp.Tracer(instrumentation)}, nil
}

// Shutdown sends the spans still buffered and stops the exporter.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	return t.provider.Shutdown(ctx)
}

// Middleware gives every HTTP request a span (named after its method and
// path), continuing a trace the caller started (W3C traceparent).
func (t *Tracing) Middleware(next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	return otelhttp.NewHandler(next, "http",
		otelhttp.WithTracerProvider(t.provider),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return r.Method + " " + r.URL.Path
		}))
}
