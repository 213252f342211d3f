package process

import (
	"context"
	"errors"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/document"
	"wisselaar/ent/trajectory"
	"wisselaar/internal/apierr"
	"wisselaar/internal/dossier"
)

// UploadDocument attaches a document to a trajectory: giving or receiving
// side. The file is refused (BAD_USER_INPUT on field file, nothing stored)
// when it is over the size limit, when its content is not a PDF, an image
// or an office document (whatever type the upload claimed), or when the
// virus scanner finds something in it. The row is written in the
// mutation's transaction before the bytes are stored, so a refused right
// stores nothing; bytes whose row is then not kept are deleted.
func UploadDocument(ctx context.Context, c *ent.Client, store *dossier.Store, in UploadDocumentInput) (*ent.Document, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if store == nil {
		return nil, apierr.New(apierr.Internal, "no document store is configured")
	}
	t, err := c.Trajectory.Query().Where(trajectory.ID(in.TrajectoryID)).WithGiving().WithReceiving().Only(ctx)
	if err != nil {
		return nil, notFound("trajectory", err)
	}
	sides := sidesOn(v, t)
	if !slices.Contains(sides, domain.Giving) && !slices.Contains(sides, domain.Receiving) {
		return nil, apierr.New(apierr.Forbidden, "only the giving and the receiving municipality attach documents to a trajectory")
	}
	if err := document.KindValidator(in.Kind); err != nil {
		return nil, badInput("kind", "unknown kind of document")
	}
	name := cleanFilename(in.File.Filename)
	if in.File.File == nil {
		return nil, badInput("file", "no file was uploaded")
	}
	checked, err := store.Check(ctx, in.File.File)
	var refusal *dossier.Refusal
	switch {
	case errors.As(err, &refusal):
		return nil, badInput("file", "%s", refusal.Reason)
	case err != nil:
		return nil, err
	}
	d, err := c.Document.Create().
		SetTrajectoryID(t.ID).
		SetKind(in.Kind).
		SetFilename(name).
		SetContentType(checked.ContentType).
		SetSize(int64(len(checked.Data))).
		SetSha256(checked.SHA256).
		SetStorageKey(checked.Key).
		SetUploadedBy(v.Subject).
		Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := store.Put(ctx, checked); err != nil {
		return nil, err
	}
	if tx := ent.TxFromContext(ctx); tx != nil {
		// If the transaction does not commit, the bytes go too.
		tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
			return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
				err := next.Rollback(ctx, tx)
				_ = store.Delete(context.WithoutCancel(ctx), checked.Key)
				return err
			})
		})
	}
	return d, nil
}

// cleanFilename keeps the last element of an uploaded file's name, without
// control characters, at most 255 bytes; "document" when nothing is left.
func cleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	for len(name) > 255 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == "/" {
		return "document"
	}
	return name
}
