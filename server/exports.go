package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/viewer"
	"wisselaar/graph/scalar"
	"wisselaar/internal/export"
	"wisselaar/server/requestid"
)

// mayExport tells who may download the grant exports: the ministry, the
// coordinator and analysts, who work with the grants as a whole.
// Municipality staff and partner tools read their grants through /graphql.
func mayExport(v *viewer.Viewer) bool {
	return v.Has(viewer.Ministry) || v.Has(viewer.Coordinator) || v.Has(viewer.Analyst)
}

// writeFunc writes an export; start is called before its first byte.
type writeFunc func(ctx context.Context, c *ent.Client, o export.Options, start func(), w io.Writer) error

// exportGrants serves GET /exports/grants.csv or .xlsx: one row per grant
// the viewer may read, filtered by the query parameters. The viewer, the
// CSRF header and the parameters are checked before anything is written:
// 401, 403 and 400 come with a JSON error and never with part of a file.
// Once the file has started, a failure cuts the connection, so that no
// client takes a cut-off file for a whole one.
func exportGrants(client *ent.Client, logger *slog.Logger, csv bool, contentType, filename string, write writeFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := viewer.FromContext(r.Context())
		switch {
		case v.IsAnonymous():
			writeJSONError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "sign in to export grants")
			return
		case r.Header.Get("Authorization") == "" && r.Header.Get("X-CSRF") != "1":
			// Signed in with the session cookie: as on /graphql, a request
			// must carry a header that a cross-site link cannot send.
			writeJSONError(w, http.StatusBadRequest, "BAD_REQUEST", "send X-CSRF: 1 with the session cookie")
			return
		case !mayExport(v):
			writeJSONError(w, http.StatusForbidden, "FORBIDDEN", "exports are for the ministry, the coordinator and analysts")
			return
		}
		o, err := export.ParseOptions(r.URL.Query(), csv, scalar.DecodeID)
		if fe := (*domain.FieldError)(nil); errors.As(err, &fe) {
			writeJSON(w, http.StatusBadRequest, map[string]any{
				"errors": []map[string]any{{"message": fe.Message, "extensions": map[string]string{"code": "BAD_USER_INPUT", "field": fe.Field}}},
			})
			return
		}
		started := false
		start := func() {
			started = true
			w.Header().Set("Content-Type", contentType)
			w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusOK)
		}
		if err := write(r.Context(), client, o, start, w); err != nil {
			logger.ErrorContext(r.Context(), "export failed", "error", err, "request_id", requestid.FromContext(r.Context()))
			if started {
				panic(http.ErrAbortHandler)
			}
			writeJSONError(w, http.StatusInternalServerError, "INTERNAL",
				"internal error; quote request ID "+requestid.FromContext(r.Context())+" when reporting it")
		}
	})
}

// internalError answers a failure that happened before any byte was
// written: INTERNAL, quoting the request ID; the log has the error.
func internalError(logger *slog.Logger, w http.ResponseWriter, r *http.Request, err error) {
	logger.ErrorContext(r.Context(), "request failed", "error", err, "request_id", requestid.FromContext(r.Context()))
	writeJSONError(w, http.StatusInternalServerError, "INTERNAL",
		"internal error; quote request ID "+requestid.FromContext(r.Context())+" when reporting it")
}
