package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
)

// mediaMultipart is the media type of the GraphQL multipart request
// specification (github.com/jaydenseric/graphql-multipart-request-spec),
// which uploads files: an "operations" part with the usual JSON request, a
// "map" part saying which variable each file goes to, then the files.
const mediaMultipart = "multipart/form-data"

// maxMultipartFiles bounds the files of one request: a document is
// uploaded at a time.
const maxMultipartFiles = 1

// isMultipart reports whether r is a multipart request.
func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == mediaMultipart
}

// fromMultipart reads a GraphQL multipart request, or refuses it and
// returns nil. The whole body is bounded by the server (MAX_UPLOAD_BYTES);
// files are read into memory, since one document is at most that large.
func (a *answer) fromMultipart(maxUpload int64) *graphql.RawParams {
	if maxUpload <= 0 {
		a.refuse(http.StatusUnsupportedMediaType, apierr.BadRequest, "this server takes no file uploads")
		return nil
	}
	// Only signed-in viewers upload: an anonymous request is refused
	// before its files are read.
	if viewer.FromContext(a.r.Context()).IsAnonymous() {
		a.refuse(http.StatusUnauthorized, apierr.Unauthenticated, "sign in to upload documents")
		return nil
	}
	mr, err := a.r.MultipartReader()
	if err != nil {
		a.refuse(http.StatusBadRequest, apierr.BadRequest, "the multipart request could not be read")
		return nil
	}
	bad := func(msg string) *graphql.RawParams {
		a.refuse(http.StatusBadRequest, apierr.BadRequest, msg)
		return nil
	}
	read := func(p *multipart.Part) ([]byte, bool) {
		b, err := io.ReadAll(p)
		a.bodyBytes += len(b)
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				a.refuse(http.StatusRequestEntityTooLarge, apierr.RequestTooLarge,
					"the request body is larger than "+strconv.FormatInt(tooLarge.Limit, 10)+" bytes")
			} else {
				a.refuse(http.StatusBadRequest, apierr.BadRequest, "the multipart request could not be read")
			}
			return nil, false
		}
		return b, true
	}
	next := func(name string) (*multipart.Part, bool) {
		p, err := mr.NextPart()
		if err != nil || p.FormName() != name {
			bad("a multipart request must start with the parts \"operations\" and \"map\", in that order, then the files")
			return nil, false
		}
		return p, true
	}
	p, ok := next("operations")
	if !ok {
		return nil
	}
	ops, ok := read(p)
	if !ok {
		return nil
	}
	params, problem := decodeParams(ops)
	if problem != "" {
		return bad(strings.Replace(problem, "the request body", "operations", 1))
	}
	if p, ok = next("map"); !ok {
		return nil
	}
	raw, ok := read(p)
	if !ok {
		return nil
	}
	var paths map[string][]string
	if err := json.Unmarshal(raw, &paths); err != nil {
		return bad("map must be a JSON object of file keys to lists of variable paths")
	}
	if len(paths) > maxMultipartFiles {
		return bad("one file per request")
	}
	seen := map[string]bool{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				a.refuse(http.StatusRequestEntityTooLarge, apierr.RequestTooLarge,
					"the request body is larger than "+strconv.FormatInt(tooLarge.Limit, 10)+" bytes")
				return nil
			}
			return bad("the multipart request could not be read")
		}
		key := p.FormName()
		targets, known := paths[key]
		if !known || seen[key] {
			return bad("a file part is not named in map, or is sent twice")
		}
		seen[key] = true
		data, ok := read(p)
		if !ok {
			return nil
		}
		for _, path := range targets {
			up := graphql.Upload{
				File: bytes.NewReader(data), Filename: p.FileName(), Size: int64(len(data)),
				ContentType: p.Header.Get("Content-Type"),
			}
			if !setVariable(params.Variables, path, up) {
				return bad("map names a path that is not a null variable of operations: " + strconv.Quote(path))
			}
		}
	}
	if len(seen) != len(paths) {
		return bad("a file named in map is missing")
	}
	return params
}

// setVariable sets the value at path ("variables.input.file",
// "variables.files.0") to v, where operations has a null; it reports
// whether there was one.
func setVariable(vars map[string]any, path string, v any) bool {
	parts := strings.Split(path, ".")
	if len(parts) < 2 || parts[0] != "variables" || vars == nil {
		return false
	}
	var cur any = vars
	for i, key := range parts[1:] {
		last := i == len(parts)-2
		switch c := cur.(type) {
		case map[string]any:
			val, ok := c[key]
			if !ok {
				return false
			}
			if last {
				if val != nil {
					return false
				}
				c[key] = v
				return true
			}
			cur = val
		case []any:
			n, err := strconv.Atoi(key)
			if err != nil || n < 0 || n >= len(c) {
				return false
			}
			if last {
				if c[n] != nil {
					return false
				}
				c[n] = v
				return true
			}
			cur = c[n]
		default:
			return false
		}
	}
	return false
}
