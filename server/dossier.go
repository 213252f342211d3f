package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"

	"wisselaar/ent"
	"wisselaar/ent/audit"
	"wisselaar/ent/document"
	"wisselaar/ent/viewer"
	"wisselaar/graph/scalar"
	"wisselaar/internal/apierr"
	"wisselaar/internal/applicationpdf"
	"wisselaar/internal/dossier"
	"wisselaar/internal/process"
	"wisselaar/server/requestid"
)

// OpenDocuments opens the document store the configuration names
// (DOCUMENT_STORE_URL, MAX_UPLOAD_BYTES), scanning every upload with clamd
// when CLAMD_ADDRESS is set.
func OpenDocuments(ctx context.Context, cfg Config) (*dossier.Store, error) {
	var scanner dossier.Scanner
	if cfg.ClamdAddress != "" {
		c, err := dossier.ParseClamdAddress(cfg.ClamdAddress)
		if err != nil {
			return nil, err
		}
		scanner = c
	}
	return dossier.Open(ctx, cfg.DocumentStoreURL, cfg.MaxUploadBytes, scanner)
}

// notFoundDownload is the one answer to a download the viewer may not
// have: the same whether the thing does not exist, is hidden from the
// viewer, or the ID is not one at all, so that IDs cannot be probed.
func notFoundDownload(w http.ResponseWriter) {
	writeJSONError(w, http.StatusNotFound, string(apierr.NotFound), "not found")
}

// downloadViewer returns the request's viewer, or answers 401 to an
// anonymous request and returns nil.
func downloadViewer(w http.ResponseWriter, r *http.Request) *viewer.Viewer {
	v := viewer.FromContext(r.Context())
	if v.IsAnonymous() {
		writeJSONError(w, http.StatusUnauthorized, string(apierr.Unauthenticated), "sign in to download documents")
		return nil
	}
	return v
}

// serveFile writes a download: never sniffed or rendered in the API's
// origin, never cached by a shared cache.
func serveFile(w http.ResponseWriter, contentType, filename string, size int64, body io.Reader) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, err := io.Copy(w, body)
	return err
}

// downloadDocument answers GET /documents/{id}: the document's bytes to a
// viewer who may read its row (ent privacy, rule.ReadableDocuments), 404
// and no bytes to anyone else.
func downloadDocument(client *ent.Client, store *dossier.Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if downloadViewer(w, r) == nil {
			return
		}
		id, err := scalar.DecodeID(r.PathValue("id"))
		if err != nil || store == nil {
			notFoundDownload(w)
			return
		}
		ctx := r.Context()
		d, err := client.Document.Query().Where(document.ID(id)).Only(ctx)
		if err != nil {
			if !ent.IsNotFound(err) {
				internalDownload(w, r, logger, err)
				return
			}
			notFoundDownload(w)
			return
		}
		body, err := store.Reader(ctx, d.StorageKey)
		if dossier.Removed(err) {
			writeJSONError(w, http.StatusGone, string(apierr.NotFound), "the document's content was removed under the retention rule")
			return
		}
		if err != nil {
			internalDownload(w, r, logger, err)
			return
		}
		defer body.Close()
		if err := serveFile(w, d.ContentType, d.Filename, d.Size, body); err != nil {
			logger.WarnContext(ctx, "sending a document", "err", err, "request_id", requestid.FromContext(ctx))
		}
	})
}

// applicationFile answers GET /trajectories/{id}/application.pdf: the
// application file as the viewer may read it (process.ApplicationFile),
// 404 and no bytes to anyone who may not.
func applicationFile(client *ent.Client, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if downloadViewer(w, r) == nil {
			return
		}
		id, err := scalar.DecodeID(r.PathValue("id"))
		if err != nil {
			notFoundDownload(w)
			return
		}
		a, err := process.ApplicationFile(r.Context(), client, id)
		var ae *apierr.Error
		switch {
		case errors.As(err, &ae) && ae.Code == apierr.NotFound:
			notFoundDownload(w)
			return
		case err != nil:
			internalDownload(w, r, logger, err)
			return
		}
		var buf bytes.Buffer
		if err := applicationpdf.Write(&buf, a); err != nil {
			internalDownload(w, r, logger, err)
			return
		}
		// The calculation lines show the mentors' salary costs: their
		// reading goes into the audit trail, as through /graphql, before a
		// byte leaves.
		reads := audit.WithReads(r.Context())
		for _, l := range a.Lines {
			if err := audit.RecordSalaryRead(reads, client, l.MentorID, requestid.FromContext(reads)); err != nil {
				internalDownload(w, r, logger, err)
				return
			}
		}
		if err := serveFile(w, "application/pdf", "aanvraag-"+r.PathValue("id")+".pdf", int64(buf.Len()), &buf); err != nil {
			logger.WarnContext(r.Context(), "sending an application file", "err", err, "request_id", requestid.FromContext(r.Context()))
		}
	})
}

func internalDownload(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	rid := requestid.FromContext(r.Context())
	logger.ErrorContext(r.Context(), "download", "err", err, "request_id", rid)
	writeJSONError(w, http.StatusInternalServerError, string(apierr.Internal), "internal error; quote request ID "+rid+" when reporting it")
}
