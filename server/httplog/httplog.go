// Package httplog writes one log line per HTTP request, naming the caller
// once the authenticator has decided who it is.
package httplog

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/trace"

	"wisselaar/ent/viewer"
	"wisselaar/server/requestid"
)

// statusRecorder remembers the status code a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Middleware logs one line per request, with who made it once the
// authenticator has put a viewer in the context.
func Middleware(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		holder := &viewerHolder{}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), viewerHolderKey{}, holder)))
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			level = slog.LevelDebug
		}
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration", time.Since(start).Round(time.Microsecond),
			"request_id", requestid.FromContext(r.Context()), "viewer", holder.v}
		// With tracing on, the line names its trace, to go from a log
		// line to the request's spans.
		if sc := trace.SpanContextFromContext(r.Context()); sc.IsValid() {
			attrs = append(attrs, "trace_id", sc.TraceID().String())
		}
		logger.Log(r.Context(), level, "request", attrs...)
	})
}

// viewerHolder lets the logging middleware, which runs outside the
// authenticator, learn the viewer the authenticator decided on.
type viewerHolder struct{ v *viewer.Viewer }
type viewerHolderKey struct{}

// WithViewer puts v in the request context and tells the request log who
// the caller is. Authenticators call it once per request.
func WithViewer(r *http.Request, v *viewer.Viewer) *http.Request {
	if h, ok := r.Context().Value(viewerHolderKey{}).(*viewerHolder); ok {
		h.v = v
	}
	return r.WithContext(viewer.NewContext(r.Context(), v))
}
