package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"wisselaar/ent/viewer"
	"wisselaar/server/requestid"
)

func requestIDMiddleware(next http.Handler) http.Handler { return requestid.Middleware(next) }

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

// logRequests logs one line per request, with who made it once the
// authenticator has put a viewer in the context.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		holder := &viewerHolder{}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), viewerHolderKey{}, holder)))
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			level = slog.LevelDebug
		}
		logger.Log(r.Context(), level, "request",
			"method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration", time.Since(start).Round(time.Microsecond),
			"request_id", requestid.FromContext(r.Context()), "viewer", holder.v)
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

// recoverPanics turns a panic in a handler into a 500 and a log line with
// the stack, instead of a dropped connection.
func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				logger.ErrorContext(r.Context(), "panic", "panic", fmt.Sprint(p),
					"request_id", requestid.FromContext(r.Context()), "stack", string(debug.Stack()))
				writeJSONError(w, http.StatusInternalServerError, "INTERNAL",
					"internal error; quote request ID "+requestid.FromContext(r.Context())+" when reporting it")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody bounds the request body.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

// anonymous makes every request anonymous, for a server without sign-in.
func anonymous(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, WithViewer(r, viewer.Anonymous()))
	})
}
