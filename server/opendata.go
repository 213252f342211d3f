package server

import (
	"bytes"
	"log/slog"
	"net/http"

	"wisselaar/ent"
	"wisselaar/graph/scalar"
	"wisselaar/internal/opendata"
)

// openDataGrants serves the open-data feed: public, the awarded grants of
// published trajectories in the 360Giving JSON package shape. The feed is
// built whole before the first byte is written, so a failure is a plain
// 500 and never half a file.
func openDataGrants(client *ent.Client, prefix string, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := opendata.Build(r.Context(), client, prefix, scalar.EncodeID)
		var buf bytes.Buffer
		if err == nil {
			err = p.Write(&buf)
		}
		if err != nil {
			internalError(logger, w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Link", `</open-data/grants.schema.json>; rel="describedby"`)
		_, _ = w.Write(buf.Bytes())
	})
}

// openDataSchema serves the feed's JSON Schema.
func openDataSchema() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/schema+json")
		_, _ = w.Write(opendata.Schema)
	})
}
