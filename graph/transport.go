package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"wisselaar/internal/apierr"
	"wisselaar/server/requestid"
)

// The response media types of the GraphQL-over-HTTP specification.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// maxPrealloc bounds the buffer allocated up front for a request body from
// its declared Content-Length, which the client controls. The body limit
// itself is the server's http.MaxBytesReader.
const maxPrealloc = 1 << 20

// httpTransport is GraphQL over HTTP as the GraphQL-over-HTTP
// specification describes it, for /graphql: POST with a JSON body, and GET
// for queries. It replaces gqlgen's GET and POST transports so that every
// refusal, including those made before GraphQL runs, answers the
// documented JSON shape with extensions.code, and so that the shape limits
// are checked before the document is validated or executed.
//
// Nothing of a request's body, query or variables is ever logged: a body
// may hold personal data (a mentor's e-mail address, a salary), and logs
// are kept longer and read by more people than the database.
type httpTransport struct {
	shape  *shapeCheck
	logger *slog.Logger
	// maxUpload is the limit of a multipart request (file uploads); 0
	// takes none.
	maxUpload int64
}

var _ graphql.Transport = (*httpTransport)(nil)

// Supports claims every request but WebSocket upgrades, so that a request
// with a wrong method or media type is refused here, with a code, rather
// than by gqlgen's "transport not supported".
func (t *httpTransport) Supports(r *http.Request) bool { return !isWebsocket(r) }

func isWebsocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// Do answers one request.
func (t *httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	a := &answer{w: w, r: r, logger: t.logger, media: responseMedia(r.Header.Get("Accept"))}
	start := graphql.Now()
	var params *graphql.RawParams
	switch r.Method {
	case http.MethodPost:
		if isMultipart(r) {
			params = a.fromMultipart(t.maxUpload)
		} else {
			params = a.fromBody()
		}
	case http.MethodGet:
		params = a.fromURL()
	default:
		w.Header().Set("Allow", "GET, POST")
		a.refuse(http.StatusMethodNotAllowed, apierr.BadRequest, "GraphQL is served over POST, and GET for queries")
		return
	}
	if params == nil {
		return // refused
	}
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		a.refuse(http.StatusBadRequest, apierr.BadRequest, "the request has no query")
		return
	}
	if params.Query != "" {
		v := t.shape.check(r.Context(), params.Query)
		if v.refusal != nil {
			a.refuseGraphQL(gqlerror.List{v.refusal})
			return
		}
		if r.Method == http.MethodGet {
			if kind, ok := v.operation(params.OperationName); ok && kind != ast.Query {
				a.getOnlyQueries()
				return
			}
		}
	}
	if r.Method == http.MethodGet && !crossSiteSafe(r) {
		a.refuse(http.StatusBadRequest, apierr.BadRequest,
			"a GET request must carry an Authorization header or the header X-CSRF: 1, "+
				"which a cross-site form or image cannot send; or use POST")
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	ctx := r.Context()
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		// gqlgen's own protocol errors (a malformed persisted query
		// extension, say) carry no code; they are the client's mistake.
		for _, e := range errs {
			if _, ok := e.Extensions["code"]; !ok {
				errcode.Set(e, string(apierr.BadRequest))
			}
		}
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		a.logRefusal(pendingStatus(a.media, errs), codeOf(errs))
		a.write(pendingStatus(a.media, errs), resp)
		return
	}
	if r.Method == http.MethodGet && oc.Operation.Operation != ast.Query {
		a.getOnlyQueries()
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	// Past the request's deadline (REQUEST_TIMEOUT) the executor gives no
	// answer, or one whose errors are the timeout's: a partial answer
	// cannot be told from a complete one, so none is given. An answer
	// without errors stands, even if the deadline passed just after: a
	// mutation may have been committed.
	if resp == nil || (len(resp.Errors) > 0 && errors.Is(r.Context().Err(), context.DeadlineExceeded)) {
		a.refuse(http.StatusServiceUnavailable, apierr.Unavailable, "the request ran past the server's time limit; ask for less, or try again later")
		return
	}
	// Likewise when the database did not answer part of it: a partial
	// answer would look like an answer with less in it.
	if slices.ContainsFunc(resp.Errors, func(e *gqlerror.Error) bool { return e.Extensions["code"] == string(apierr.Unavailable) }) {
		a.refuse(http.StatusServiceUnavailable, apierr.Unavailable, "the database is unavailable; try again later")
		return
	}
	a.write(http.StatusOK, resp)
}

// crossSiteSafe reports whether a GET request carries a header that a
// cross-site form, link or <img> cannot send without a CORS preflight,
// which only allowed origins pass. Without one, a GET could be a
// cross-site request riding on the browser's credentials.
func crossSiteSafe(r *http.Request) bool {
	return r.Header.Get("Authorization") != "" || r.Header.Get("X-CSRF") == "1"
}

// answer writes the answer to one request.
type answer struct {
	w      http.ResponseWriter
	r      *http.Request
	logger *slog.Logger
	media  string
	// bodyBytes is the size of the request body read, for the log.
	bodyBytes int
}

// fromBody reads a POST request's JSON body, or refuses it and returns nil.
func (a *answer) fromBody() *graphql.RawParams {
	mt, _, err := mime.ParseMediaType(a.r.Header.Get("Content-Type"))
	if err != nil || mt != mediaJSON {
		a.refuse(http.StatusUnsupportedMediaType, apierr.BadRequest,
			"a POST request must have Content-Type: application/json (or multipart/form-data to upload a file)")
		return nil
	}
	body, err := readBody(a.r)
	a.bodyBytes = len(body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			a.refuse(http.StatusRequestEntityTooLarge, apierr.RequestTooLarge,
				"the request body is larger than "+strconv.FormatInt(tooLarge.Limit, 10)+" bytes")
			return nil
		}
		a.refuse(http.StatusBadRequest, apierr.BadRequest, "the request body could not be read")
		return nil
	}
	params, problem := decodeParams(body)
	if problem != "" {
		a.refuse(http.StatusBadRequest, apierr.BadRequest, problem)
		return nil
	}
	return params
}

// readBody reads the whole body, which the server has bounded with
// http.MaxBytesReader. The buffer is sized from Content-Length (within
// maxPrealloc) with room for the one byte over the limit that makes
// MaxBytesReader fail, so that an oversized body is refused after reading
// no more than the limit, without the buffer doubling on the way.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	size := bytes.MinRead
	if n := r.ContentLength; n > 0 {
		size = int(min(n, maxPrealloc)) + 1 + bytes.MinRead
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	_, err := buf.ReadFrom(r.Body)
	return buf.Bytes(), err
}

// requestBody is the JSON object of a POST body. The fields are pointers
// and raw messages so that a value of the wrong type is reported by name,
// and so that the body is decoded in one pass without the copy a
// json.Decoder makes of its input: a body may be a megabyte.
type requestBody struct {
	Query         *string         `json:"query"`
	OperationName *string         `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

// decodeParams decodes a POST body, or says what is wrong with it. The
// explanation never quotes the body: it may hold personal data, and an
// error message is easily logged or shown further on.
func decodeParams(body []byte) (*graphql.RawParams, string) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return nil, "the request body is empty; send a JSON object with a query"
	case trimmed[0] == '[':
		return nil, "batching is not supported: send one JSON object per request"
	case trimmed[0] != '{':
		return nil, "the request body must be a JSON object with a query"
	}
	var rb requestBody
	if err := json.Unmarshal(body, &rb); err != nil {
		return nil, explainJSON(body, err, "the request body")
	}
	p := &graphql.RawParams{}
	if rb.Query != nil {
		p.Query = *rb.Query
	}
	if rb.OperationName != nil {
		p.OperationName = *rb.OperationName
	}
	if problem := decodeJSON(rb.Variables, &p.Variables, "variables"); problem != "" {
		return nil, problem
	}
	if problem := decodeJSON(rb.Extensions, &p.Extensions, "extensions"); problem != "" {
		return nil, problem
	}
	return p, ""
}

// decodeJSON decodes one JSON object from data into v, keeping numbers
// exact (json.Number, as gqlgen expects them), or says what is wrong,
// naming what as the thing decoded. Empty data and null leave v nil.
func decodeJSON(data []byte, v *map[string]any, what string) string {
	if len(data) == 0 {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return explainJSON(data, err, what)
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return what + " has data after its JSON value"
	}
	return ""
}

// explainJSON says what is wrong with data, which failed to decode with
// err, without quoting it.
func explainJSON(data []byte, err error, what string) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// json.Unmarshal also calls data after the value a syntax error;
		// a decoder that stops after the first value tells them apart.
		var v any
		dec := json.NewDecoder(bytes.NewReader(data))
		if dec.Decode(&v) == nil {
			return what + " has data after its JSON value; send exactly one JSON object"
		}
		return what + " is not valid JSON (error at byte " + strconv.FormatInt(syntax.Offset, 10) + ")"
	case errors.As(err, &typ) && typ.Field != "":
		return what + ": " + typ.Field + " must be " + expectedJSON(typ.Field)
	case errors.As(err, &typ):
		return what + " must be a JSON object"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return what + " ends before its JSON value does"
	}
	return what + " is not valid JSON"
}

// expectedJSON says what type a field of a GraphQL request has.
func expectedJSON(field string) string {
	switch strings.ToLower(field) {
	case "query", "operationname":
		return "a string"
	default:
		return "a JSON object"
	}
}

// fromURL reads a GET request's parameters from its URL, or refuses it
// and returns nil.
func (a *answer) fromURL() *graphql.RawParams {
	q, err := url.ParseQuery(a.r.URL.RawQuery)
	if err != nil {
		a.refuse(http.StatusBadRequest, apierr.BadRequest, "the URL's query string is malformed")
		return nil
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	for _, param := range []struct {
		name string
		into *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		raw := q.Get(param.name)
		if raw == "" {
			continue
		}
		if problem := decodeJSON([]byte(raw), param.into, param.name+" in the URL"); problem != "" {
			a.refuse(http.StatusBadRequest, apierr.BadRequest, problem)
			return nil
		}
	}
	return p
}

// getOnlyQueries refuses a mutation (or subscription) sent with GET, which
// must not change anything.
func (a *answer) getOnlyQueries() {
	a.w.Header().Set("Allow", "POST")
	a.refuse(http.StatusMethodNotAllowed, apierr.BadRequest, "only queries may be sent with GET; send mutations with POST")
}

// refuse answers a request that never reached GraphQL.
func (a *answer) refuse(status int, code apierr.Code, message string) {
	err := gqlerror.Errorf("%s", message)
	err.Extensions = map[string]any{"code": string(code)}
	a.logRefusal(status, string(code))
	a.write(status, &graphql.Response{Errors: gqlerror.List{err}})
}

// refuseGraphQL answers a document that failed the shape check.
func (a *answer) refuseGraphQL(errs gqlerror.List) {
	status := pendingStatus(a.media, errs)
	a.logRefusal(status, codeOf(errs))
	a.write(status, &graphql.Response{Errors: errs})
}

// pendingStatus is the status of a well-formed request refused before
// execution. With application/json the specification wants 200 whatever
// the GraphQL errors; application/graphql-response+json lets a client
// tell request errors by their status.
func pendingStatus(media string, errs gqlerror.List) int {
	if media != mediaGraphQLResponse {
		return http.StatusOK
	}
	switch codeOf(errs) {
	case string(apierr.QueryTooComplex):
		return http.StatusUnprocessableEntity
	case string(apierr.Forbidden):
		return http.StatusForbidden
	case "PERSISTED_QUERY_NOT_FOUND":
		// Not an error of the request: the client's cue to send the
		// query along with its hash, which clients expect with a 200.
		return http.StatusOK
	}
	return http.StatusBadRequest
}

func codeOf(errs gqlerror.List) string {
	if len(errs) == 0 {
		return ""
	}
	c, _ := errs[0].Extensions["code"].(string)
	return c
}

// logRefusal notes a refusal at debug level: the request log line already
// has its status. Sizes and the request ID only, never content.
func (a *answer) logRefusal(status int, code string) {
	ctx := a.r.Context()
	a.logger.DebugContext(ctx, "graphql request refused", "status", status, "code", code,
		"body_bytes", a.bodyBytes, "url_bytes", len(a.r.URL.RawQuery), "request_id", requestid.FromContext(ctx))
}

// refusalBody is the answer to a request refused before execution: no
// data entry at all, as the GraphQL specification says of a request error
// (gqlgen's Response would say "data": null).
type refusalBody struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// write sends resp with status in the negotiated media type; a response
// without data is a refusal and gets no data entry.
func (a *answer) write(status int, resp *graphql.Response) {
	var b []byte
	var err error
	if resp.Data == nil {
		b, err = json.Marshal(refusalBody{Errors: resp.Errors, Extensions: resp.Extensions})
	} else {
		b, err = encodeResponse(resp)
	}
	if err != nil {
		rid := requestid.FromContext(a.r.Context())
		a.logger.ErrorContext(a.r.Context(), "graphql response could not be encoded", "err", err, "request_id", rid)
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error; quote request ID ` + rid + ` when reporting it","extensions":{"code":"INTERNAL"}}]}`)
	}
	h := a.w.Header()
	h.Set("Content-Type", a.media+"; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	a.w.WriteHeader(status)
	_, _ = a.w.Write(b)
}

// encodeResponse encodes resp as json.Marshal would, but copies its data as
// it is: gqlgen wrote it compact and valid, and json.Marshal would scan it
// byte by byte a second time to compact it again (a few percent of the CPU
// time of a list request).
func encodeResponse(resp *graphql.Response) ([]byte, error) {
	if resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		return json.Marshal(resp) // incremental delivery, which this API does not serve
	}
	buf := bytes.NewBuffer(make([]byte, 0, len(resp.Data)+64))
	buf.WriteByte('{')
	if len(resp.Errors) > 0 {
		errs, err := json.Marshal(resp.Errors)
		if err != nil {
			return nil, err
		}
		buf.WriteString(`"errors":`)
		buf.Write(errs)
		buf.WriteByte(',')
	}
	buf.WriteString(`"data":`)
	buf.Write(resp.Data)
	if len(resp.Extensions) > 0 {
		ext, err := json.Marshal(resp.Extensions)
		if err != nil {
			return nil, err
		}
		buf.WriteString(`,"extensions":`)
		buf.Write(ext)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// responseMedia chooses the response's media type from the Accept header
// as the GraphQL-over-HTTP specification says: application/graphql-
// response+json when the client asks for it at least as much as for
// application/json, application/json otherwise (also for clients that say
// nothing, or only */*, which predate the newer type).
func responseMedia(accept string) string {
	var qJSON, qGraphQL float64 = -1, -1
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(s, 64); err == nil {
				q = v
			}
		}
		switch mt {
		case mediaJSON:
			qJSON = max(qJSON, q)
		case mediaGraphQLResponse:
			qGraphQL = max(qGraphQL, q)
		}
	}
	if qGraphQL > 0 && qGraphQL >= qJSON {
		return mediaGraphQLResponse
	}
	return mediaJSON
}

// noWebsocket answers WebSocket upgrades, the one kind of request
// httpTransport leaves: this server has no subscriptions.
type noWebsocket struct{}

// Supports claims every request httpTransport leaves.
func (noWebsocket) Supports(*http.Request) bool { return true }

// Do refuses the upgrade.
func (noWebsocket) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	writeRefusal(w, http.StatusBadRequest, apierr.BadRequest, "GraphQL over WebSocket is not supported; use POST")
}

// writeRefusal writes a refusal without an answer's negotiation.
func writeRefusal(w http.ResponseWriter, status int, code apierr.Code, message string) {
	err := gqlerror.Errorf("%s", message)
	err.Extensions = map[string]any{"code": string(code)}
	b, _ := json.Marshal(refusalBody{Errors: gqlerror.List{err}})
	w.Header().Set("Content-Type", mediaJSON+"; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
