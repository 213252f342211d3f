package server

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"time"

	"wisselaar/ent/viewer"
	"wisselaar/server/httplog"
	"wisselaar/server/requestid"
)

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

// limitBody bounds the request body: max, or maxMultipart for a
// multipart request (a file upload).
func limitBody(max, maxMultipart int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := max
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
			limit = maxMultipart
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// anonymous makes every request anonymous, for a server without sign-in.
func anonymous(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, httplog.WithViewer(r, viewer.Anonymous()))
	})
}

// timeout cancels the request's context after d, so that no request keeps
// the database busy for longer, whatever it asks.
func timeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
