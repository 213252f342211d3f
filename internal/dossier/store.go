// Package dossier keeps the documents attached to trajectories: it checks a
// file before it is stored (size, the type its content shows, a virus
// scan), keeps the bytes in a document store through gocloud.dev/blob (a
// local directory, or S3-compatible storage in production) and reads them
// back for viewers who may read the document's row. Who may read which
// document is ent's privacy (rule.ReadableDocuments): every read here goes
// through the viewer's own client, so a document the viewer may not read
// cannot be found, whatever its ID.
package dossier

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"

	"github.com/gabriel-vasile/mimetype"
	"gocloud.dev/blob"
	// The document stores a URL may name: file:// (a local directory)
	// and s3:// (S3 and S3-compatible storage).
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob"
)

// DefaultMaxBytes is the largest document accepted unless configured
// otherwise (MAX_UPLOAD_BYTES): 10 MiB, enough for a scanned agreement.
const DefaultMaxBytes = 10 << 20

// Store is the document store: where the bytes of documents live, and the
// checks a file passes before it is kept.
type Store struct {
	bucket *blob.Bucket
	// MaxBytes is the largest file accepted.
	MaxBytes int64
	// Scanner scans every file before it is stored; nil scans nothing.
	Scanner Scanner
}

// Scanner scans a file for viruses.
type Scanner interface {
	// Scan returns the name of the virus found in r, or "" when it is
	// clean. An error means the file could not be scanned.
	Scan(ctx context.Context, r io.Reader) (virus string, err error)
}

// Open opens the document store at storeURL: "file:///abs/dir" (the
// directory is created when missing) or "s3://bucket?region=…" with the
// usual AWS settings (gocloud.dev/blob/s3blob: endpoint, region,
// use_path_style for S3-compatible storage, credentials from the
// environment).
func Open(ctx context.Context, storeURL string, maxBytes int64, scanner Scanner) (*Store, error) {
	u, err := url.Parse(storeURL)
	if err != nil {
		return nil, fmt.Errorf("document store URL: %w", err)
	}
	if u.Scheme == "file" {
		// The directory is created when missing; no sidecar metadata
		// files, since the database row has everything.
		q := u.Query()
		q.Set("create_dir", "true")
		q.Set("metadata", "skip")
		u.RawQuery = q.Encode()
	}
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("opening the document store: %w", err)
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Store{bucket: b, MaxBytes: maxBytes, Scanner: scanner}, nil
}

// DirURL turns a directory into a file:// URL for Open (which creates it).
func DirURL(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), nil
}

// Close closes the store.
func (s *Store) Close() error { return s.bucket.Close() }

// allowedTypes are the media types a document may have, as its content
// shows them: PDF, images, and office documents (Microsoft Office, old and
// new, and OpenDocument).
var allowedTypes = []string{
	"application/pdf",
	"image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.presentation",
}

// Refusal is a file the store does not take: too large, of a type it does
// not keep, or infected. Its message is for the person who uploaded it.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return r.Reason }

// Checked is a file that passed the checks, ready to be stored.
type Checked struct {
	Data        []byte
	ContentType string
	SHA256      string
	Key         string
}

// Check reads a file (at most MaxBytes), detects its type from its
// content, scans it and hashes it. A file that fails a check is a
// *Refusal; any other error means it could not be checked.
func (s *Store) Check(ctx context.Context, r io.Reader) (*Checked, error) {
	data, err := io.ReadAll(io.LimitReader(r, s.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the upload: %w", err)
	}
	if int64(len(data)) > s.MaxBytes {
		return nil, &Refusal{fmt.Sprintf("the file is larger than %d bytes", s.MaxBytes)}
	}
	if len(data) == 0 {
		return nil, &Refusal{"the file is empty"}
	}
	ct, ok := ContentType(data)
	if !ok {
		return nil, &Refusal{fmt.Sprintf("a file of type %s is not accepted: send a PDF, an image or an office document", ct)}
	}
	if s.Scanner != nil {
		virus, err := s.Scanner.Scan(ctx, bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("scanning the upload: %w", err)
		}
		if virus != "" {
			return nil, &Refusal{fmt.Sprintf("the virus scanner found %s in the file; it was not stored", virus)}
		}
	}
	sum := sha256.Sum256(data)
	key := make([]byte, 16)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	return &Checked{Data: data, ContentType: ct, SHA256: hex.EncodeToString(sum[:]), Key: "documents/" + hex.EncodeToString(key)}, nil
}

// ContentType detects a file's media type from its content and reports
// whether documents may have it.
func ContentType(data []byte) (string, bool) {
	mt := mimetype.Detect(data)
	for _, a := range allowedTypes {
		if mt.Is(a) {
			return a, true
		}
	}
	return mt.String(), false
}

// Put stores a checked file's bytes under its key.
func (s *Store) Put(ctx context.Context, c *Checked) error {
	return s.bucket.WriteAll(ctx, c.Key, c.Data, &blob.WriterOptions{ContentType: c.ContentType})
}

// Delete removes the bytes under key, for a file whose row was not kept.
func (s *Store) Delete(ctx context.Context, key string) error {
	err := s.bucket.Delete(ctx, key)
	if err != nil && isNotFound(err) {
		return nil
	}
	return err
}

// Removed reports whether err (from Reader) says the bytes are no longer
// in the store: a document whose content the retention rule removed
// (the anonymise command), while its row stays.
func Removed(err error) bool { return isNotFound(err) }

// Reader opens the bytes under key.
func (s *Store) Reader(ctx context.Context, key string) (io.ReadCloser, error) {
	return s.bucket.NewReader(ctx, key, nil)
}

func isNotFound(err error) bool {
	var nf interface{ NotFound() bool }
	return errors.As(err, &nf) && nf.NotFound()
}
