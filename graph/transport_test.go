package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"wisselaar/ent/viewer"
	"wisselaar/internal/db"
)

// testBodyLimit is the body limit newTestHandler applies, as the server
// does with MAX_BODY_BYTES.
const testBodyLimit = 1 << 20

// newTestHandler is the GraphQL endpoint over an empty embedded database,
// behind what the server puts in front of it: a body limit and an
// anonymous viewer.
func newTestHandler(t testing.TB, opts Options, logger *slog.Logger) http.Handler {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := db.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	h := NewHandler(d.Client, logger, opts)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, testBodyLimit)
		h.ServeHTTP(w, r.WithContext(viewer.NewContext(r.Context(), viewer.Anonymous())))
	})
}

// reply is an answer of the endpoint.
type reply struct {
	status int
	header http.Header
	body   string
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (r *reply) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func send(t testing.TB, h http.Handler, req *http.Request) *reply {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	out := &reply{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
	if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
		t.Fatalf("the answer (%d) is not JSON: %.300s", rec.Code, rec.Body)
	}
	return out
}

func post(body, contentType string, header ...string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

func get(params url.Values, header ...string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/graphql?"+params.Encode(), nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

// TestTransportRefusals checks every refusal made before GraphQL runs:
// its status, its code, and that its message never quotes the body.
func TestTransportRefusals(t *testing.T) {
	var log bytes.Buffer
	h := newTestHandler(t, Options{}, slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})))
	const secret = "mentor-secret@example.be"
	tests := []struct {
		name   string
		req    *http.Request
		status int
		code   string
		allow  string
	}{
		{"PUT", httptest.NewRequest(http.MethodPut, "/graphql", strings.NewReader(`{"query":"{__typename}"}`)), 405, "BAD_REQUEST", "GET, POST"},
		{"DELETE", httptest.NewRequest(http.MethodDelete, "/graphql", nil), 405, "BAD_REQUEST", "GET, POST"},
		{"OPTIONS without a preflight", httptest.NewRequest(http.MethodOptions, "/graphql", nil), 405, "BAD_REQUEST", "GET, POST"},
		{"no content type", post(`{"query":"{__typename}"}`, ""), 415, "BAD_REQUEST", ""},
		{"text/plain", post(`{"query":"{__typename}"}`, "text/plain"), 415, "BAD_REQUEST", ""},
		{"a form", post("query=%7B__typename%7D", "application/x-www-form-urlencoded"), 415, "BAD_REQUEST", ""},
		{"multipart", post("--x--", "multipart/form-data; boundary=x"), 415, "BAD_REQUEST", ""},
		{"application/graphql", post("{__typename}", "application/graphql"), 415, "BAD_REQUEST", ""},
		{"not JSON", post(`{"query": "`+secret+`"`, "application/json"), 400, "BAD_REQUEST", ""},
		{"garbage", post(secret, "application/json"), 400, "BAD_REQUEST", ""},
		{"empty body", post("", "application/json"), 400, "BAD_REQUEST", ""},
		{"trailing data", post(`{"query":"{__typename}"} {"query":"`+secret+`"}`, "application/json"), 400, "BAD_REQUEST", ""},
		{"batching", post(`[{"query":"{__typename}"},{"query":"{__typename}"}]`, "application/json"), 400, "BAD_REQUEST", ""},
		{"a JSON string", post(`"`+secret+`"`, "application/json"), 400, "BAD_REQUEST", ""},
		{"query not a string", post(`{"query":["`+secret+`"]}`, "application/json"), 400, "BAD_REQUEST", ""},
		{"variables not an object", post(`{"query":"{__typename}","variables":"`+secret+`"}`, "application/json"), 400, "BAD_REQUEST", ""},
		{"extensions not an object", post(`{"query":"{__typename}","extensions":[1]}`, "application/json"), 400, "BAD_REQUEST", ""},
		{"no query", post(`{"variables":{"email":"`+secret+`"}}`, "application/json"), 400, "BAD_REQUEST", ""},
		{"too large", post(`{"query":"{__typename}","variables":{"x":"`+strings.Repeat("a", testBodyLimit)+`"}}`, "application/json"), 413, "REQUEST_TOO_LARGE", ""},
		{"GET without a header", get(url.Values{"query": {"{__typename}"}}), 400, "BAD_REQUEST", ""},
		{"GET with a cookie only", get(url.Values{"query": {"{__typename}"}}, "Cookie", "wisselaar_session=x"), 400, "BAD_REQUEST", ""},
		{"GET with X-CSRF: 0", get(url.Values{"query": {"{__typename}"}}, "X-CSRF", "0"), 400, "BAD_REQUEST", ""},
		{"GET mutation", get(url.Values{"query": {"mutation { __typename }"}}, "X-CSRF", "1"), 405, "BAD_REQUEST", "POST"},
		{"GET mutation without a header", get(url.Values{"query": {"mutation { __typename }"}}), 405, "BAD_REQUEST", "POST"},
		{"GET mutation by name", get(url.Values{"query": {"query A { __typename } mutation B { __typename }"}, "operationName": {"B"}}, "X-CSRF", "1"), 405, "BAD_REQUEST", "POST"},
		{"GET malformed variables", get(url.Values{"query": {"{__typename}"}, "variables": {`{"email":"` + secret}}, "X-CSRF", "1"), 400, "BAD_REQUEST", ""},
		{"GET variables not an object", get(url.Values{"query": {"{__typename}"}, "variables": {`["` + secret + `"]`}}, "X-CSRF", "1"), 400, "BAD_REQUEST", ""},
		{"GET malformed extensions", get(url.Values{"query": {"{__typename}"}, "extensions": {`{`}}, "X-CSRF", "1"), 400, "BAD_REQUEST", ""},
		{"GET no query", get(url.Values{}, "X-CSRF", "1"), 400, "BAD_REQUEST", ""},
		{"GET malformed URL", httptest.NewRequest(http.MethodGet, "/graphql?query=%zz", nil), 400, "BAD_REQUEST", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := send(t, h, tt.req)
			if r.status != tt.status || r.code() != tt.code || len(r.Errors) != 1 {
				t.Fatalf("got %d %s, want %d %s", r.status, r.body, tt.status, tt.code)
			}
			if r.Errors[0].Message == "" {
				t.Error("no message")
			}
			if got := r.header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow: %q, want %q", got, tt.allow)
			}
			if strings.Contains(r.body, secret) || strings.Contains(r.body, "aaaaaaaa") {
				t.Errorf("the answer quotes the request: %.300s", r.body)
			}
			if r.Data != nil {
				t.Errorf("data in a refusal: %s", r.Data)
			}
		})
	}
	if strings.Contains(log.String(), secret) || strings.Contains(log.String(), "aaaaaaaa") || strings.Contains(log.String(), "panic") {
		t.Errorf("the log quotes a request or reports a panic:\n%.2000s", log.String())
	}
	if !strings.Contains(log.String(), "graphql request refused") {
		t.Errorf("refusals are not logged:\n%.2000s", log.String())
	}
}

// TestTransportAnswers checks what a well-formed request gets: GET with a
// header that a cross-site page cannot send, POST with a charset, the
// media type the client asked for, and the statuses of each media type.
func TestTransportAnswers(t *testing.T) {
	h := newTestHandler(t, Options{}, nil)
	const gr = "application/graphql-response+json"
	tests := []struct {
		name   string
		req    *http.Request
		status int
		media  string
		code   string
	}{
		{"POST", post(`{"query":"{__typename}"}`, "application/json"), 200, "application/json", ""},
		{"POST with a charset", post(`{"query":"{__typename}"}`, "application/json; charset=utf-8"), 200, "application/json", ""},
		{"POST, operation by name", post(`{"query":"query A { __typename } query B { municipalities { totalCount } }","operationName":"A"}`, "application/json"), 200, "application/json", ""},
		{"POST with variables", post(`{"query":"query($n: Int) { municipalities(first: $n) { totalCount } }","variables":{"n":5}}`, "application/json"), 200, "application/json", ""},
		{"POST with a null operationName", post(`{"query":"{__typename}","operationName":null,"variables":null}`, "application/json"), 200, "application/json", ""},
		{"GET with X-CSRF", get(url.Values{"query": {"{__typename}"}}, "X-CSRF", "1"), 200, "application/json", ""},
		{"GET with variables", get(url.Values{"query": {"query($n: Int) { municipalities(first: $n) { totalCount } }"}, "variables": {`{"n":3}`}}, "X-CSRF", "1"), 200, "application/json", ""},
		{"GET with Authorization", get(url.Values{"query": {"{__typename}"}}, "Authorization", "Bearer x"), 200, "application/json", ""},
		{"asking graphql-response+json", post(`{"query":"{__typename}"}`, "application/json", "Accept", gr), 200, gr, ""},
		{"asking both, graphql-response+json first", post(`{"query":"{__typename}"}`, "application/json", "Accept", gr+", application/json;q=0.9"), 200, gr, ""},
		{"asking both, json preferred", post(`{"query":"{__typename}"}`, "application/json", "Accept", gr+";q=0.5, application/json"), 200, "application/json", ""},
		{"asking anything", post(`{"query":"{__typename}"}`, "application/json", "Accept", "*/*"), 200, "application/json", ""},
		{"parse error, json", post(`{"query":"{ a b "}`, "application/json"), 200, "application/json", "GRAPHQL_PARSE_FAILED"},
		{"parse error, graphql-response+json", post(`{"query":"{ a b "}`, "application/json", "Accept", gr), 400, gr, "GRAPHQL_PARSE_FAILED"},
		{"validation error, json", post(`{"query":"{ nope }"}`, "application/json"), 200, "application/json", "GRAPHQL_VALIDATION_FAILED"},
		{"validation error, graphql-response+json", post(`{"query":"{ nope }"}`, "application/json", "Accept", gr), 400, gr, "GRAPHQL_VALIDATION_FAILED"},
		{"bad variables, graphql-response+json", post(`{"query":"query($n: Int!) { municipalities(first: $n) { totalCount } }","variables":{"n":"x"}}`, "application/json", "Accept", gr), 400, gr, "GRAPHQL_VALIDATION_FAILED"},
		{"unknown operation, graphql-response+json", post(`{"query":"{__typename}","operationName":"X"}`, "application/json", "Accept", gr), 400, gr, "GRAPHQL_VALIDATION_FAILED"},
		{"shape limit, json", post(`{"query":"{ __typename @a @b @c @d }"}`, "application/json"), 200, "application/json", "QUERY_TOO_COMPLEX"},
		{"shape limit, graphql-response+json", post(`{"query":"{ __typename @a @b @c @d }"}`, "application/json", "Accept", gr), 422, gr, "QUERY_TOO_COMPLEX"},
		{"page limit, graphql-response+json", post(`{"query":"{ municipalities(first: 501) { totalCount } }"}`, "application/json", "Accept", gr), 422, gr, "QUERY_TOO_COMPLEX"},
		{"introspection off, json", post(`{"query":"{ __schema { queryType { name } } }"}`, "application/json"), 200, "application/json", "FORBIDDEN"},
		{"introspection off, graphql-response+json", post(`{"query":"{ __schema { queryType { name } } }"}`, "application/json", "Accept", gr), 403, gr, "FORBIDDEN"},
		{"refusal in graphql-response+json", post(`[]`, "application/json", "Accept", gr), 400, gr, "BAD_REQUEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := send(t, h, tt.req)
			if r.status != tt.status || r.code() != tt.code {
				t.Fatalf("got %d %s, want %d %s", r.status, r.body, tt.status, tt.code)
			}
			if got := r.header.Get("Content-Type"); got != tt.media+"; charset=utf-8" {
				t.Errorf("Content-Type %q, want %s", got, tt.media)
			}
			for _, e := range r.Errors {
				if e.Extensions["code"] == nil {
					t.Errorf("an error without a code: %+v", e)
				}
				if strings.Contains(e.Message, "Did you mean") {
					t.Errorf("a suggestion with introspection off: %s", e.Message)
				}
			}
			if tt.code == "" && (len(r.Errors) > 0 || len(r.Data) == 0) {
				t.Errorf("no data: %s", r.body)
			}
		})
	}
}

func TestPageLimitsRefuseBeforeExecution(t *testing.T) {
	h := newTestHandler(t, Options{}, nil)
	for _, tt := range []struct{ query, vars, limit string }{
		{`{ municipalities(first: 501) { totalCount } }`, `{}`, "first"},
		{`{ municipalities(last: 501) { totalCount } }`, `{}`, "last"},
		{`query($n: Int) { municipalities(first: $n) { totalCount } }`, `{"n": 100000}`, "first"},
		{`query($n: Int = 1000) { municipalities(first: $n) { totalCount } }`, `{}`, "first"},
		{`query($n: Int) { municipalities(first: $n) { totalCount } }`, `{"n": 2147483647}`, "first"},
		{`{ ...F } fragment F on Query { themes(first: 1) { edges { node { trajectories(last: 600) { totalCount } } } } }`, `{}`, "last"},
	} {
		r := send(t, h, post(`{"query":`+string(mustJSON(tt.query))+`,"variables":`+tt.vars+`}`, "application/json"))
		if r.code() != "QUERY_TOO_COMPLEX" || r.Errors[0].Extensions["limit"] != tt.limit || r.Errors[0].Extensions["max"] != float64(MaxPageSize) || r.Data != nil {
			t.Errorf("%s %s: got %s, want QUERY_TOO_COMPLEX for %s", tt.query, tt.vars, r.body, tt.limit)
		}
	}
	r := send(t, h, post(`{"query":"{ municipalities(first: -1) { totalCount } }"}`, "application/json"))
	if r.code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "first" {
		t.Errorf("first: -1: got %s", r.body)
	}
	r = send(t, h, post(`{"query":"{ municipalities(first: 500) { totalCount } }"}`, "application/json"))
	if len(r.Errors) > 0 {
		t.Errorf("first: 500: got %s", r.body)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// TestPersistedQueries checks that the automatic persisted queries
// extension works through the transport: a hash alone, the query with its
// hash, then the hash alone again, over POST and GET.
func TestPersistedQueries(t *testing.T) {
	h := newTestHandler(t, Options{}, nil)
	query := `{ municipalities { totalCount } }`
	sum := sha256.Sum256([]byte(query))
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(sum[:]) + `"}}`

	r := send(t, h, post(`{"extensions":`+ext+`}`, "application/json"))
	if r.code() != "PERSISTED_QUERY_NOT_FOUND" || r.status != 200 {
		t.Fatalf("an unknown hash: %d %s", r.status, r.body)
	}
	r = send(t, h, post(`{"query":`+string(mustJSON(query))+`,"extensions":`+ext+`}`, "application/json"))
	if len(r.Errors) > 0 {
		t.Fatalf("query and hash: %s", r.body)
	}
	r = send(t, h, post(`{"extensions":`+ext+`}`, "application/json"))
	if len(r.Errors) > 0 || !strings.Contains(string(r.Data), "totalCount") {
		t.Fatalf("the hash alone: %s", r.body)
	}
	r = send(t, h, get(url.Values{"extensions": {ext}}, "X-CSRF", "1"))
	if len(r.Errors) > 0 || !strings.Contains(string(r.Data), "totalCount") {
		t.Fatalf("the hash alone over GET: %s", r.body)
	}
	r = send(t, h, post(`{"query":"{ __typename }","extensions":`+ext+`}`, "application/json"))
	if r.code() != "BAD_REQUEST" {
		t.Errorf("a hash that does not match: %s", r.body)
	}
	r = send(t, h, post(`{"extensions":{"persistedQuery":{"version":2,"sha256Hash":"x"}}}`, "application/json"))
	if r.code() != "BAD_REQUEST" {
		t.Errorf("an unknown version: %s", r.body)
	}
	// A persisted mutation is still no GET.
	mutation := `mutation { __typename }`
	msum := sha256.Sum256([]byte(mutation))
	mext := `{"persistedQuery":{"version":1,"sha256Hash":"` + hex.EncodeToString(msum[:]) + `"}}`
	send(t, h, post(`{"query":`+string(mustJSON(mutation))+`,"extensions":`+mext+`}`, "application/json"))
	r = send(t, h, get(url.Values{"extensions": {mext}}, "X-CSRF", "1"))
	if r.status != 405 || r.header.Get("Allow") != "POST" {
		t.Errorf("a persisted mutation over GET: %d %s", r.status, r.body)
	}
}

// TestSuggestionsFollowIntrospection checks that validation errors
// suggest names only where introspection is on.
func TestSuggestionsFollowIntrospection(t *testing.T) {
	queries := []string{
		`{ municipalitie { totalCount } }`,                             // FieldsOnCorrectType
		`{ municipalities(frist: 1) { totalCount } }`,                  // KnownArgumentNames
		`{ ...F } fragment F on Municipalit { id }`,                    // KnownTypeNames
		`{ trajectories(orderBy: {field: UPDATED_A}) { totalCount } }`, // ValuesOfCorrectType
	}
	for _, introspection := range []bool{true, false} {
		h := newTestHandler(t, Options{Introspection: introspection}, nil)
		for _, q := range queries {
			r := send(t, h, post(`{"query":`+string(mustJSON(q))+`}`, "application/json"))
			if r.code() != "GRAPHQL_VALIDATION_FAILED" {
				t.Errorf("%s: got %s", q, r.body)
			}
			if got := strings.Contains(r.body, "Did you mean"); got != introspection {
				t.Errorf("introspection %v: %s: suggests %v: %s", introspection, q, got, r.body)
			}
		}
		r := send(t, h, post(`{"query":`+string(mustJSON(IntrospectionQuery))+`}`, "application/json"))
		if introspection != (len(r.Errors) == 0) {
			t.Errorf("introspection %v: the introspection query got %.300s", introspection, r.body)
		}
	}
}

func TestWebsocketUpgradeIsRefused(t *testing.T) {
	h := newTestHandler(t, Options{}, nil)
	req := httptest.NewRequest(http.MethodGet, "/graphql", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	if r := send(t, h, req); r.status != 400 || r.code() != "BAD_REQUEST" {
		t.Errorf("got %d %s", r.status, r.body)
	}
}

func TestResponseMedia(t *testing.T) {
	for accept, want := range map[string]string{
		"": mediaJSON, "*/*": mediaJSON, "application/*": mediaJSON, "text/html": mediaJSON,
		"application/json": mediaJSON, mediaGraphQLResponse: mediaGraphQLResponse,
		mediaGraphQLResponse + ";q=0":                          mediaJSON,
		"application/json;q=0.9, " + mediaGraphQLResponse:      mediaGraphQLResponse,
		"application/json, " + mediaGraphQLResponse + ";q=0.9": mediaJSON,
		mediaGraphQLResponse + ", application/json":            mediaGraphQLResponse,
		"garbage;;;, " + mediaGraphQLResponse:                  mediaGraphQLResponse,
	} {
		if got := responseMedia(accept); got != want {
			t.Errorf("Accept %q: %s, want %s", accept, got, want)
		}
	}
}

// FuzzTransportBody posts any bytes as a JSON body: the endpoint answers
// JSON with a status below 500, and every error carries a code.
func FuzzTransportBody(f *testing.F) {
	for _, seed := range []string{
		`{"query":"{__typename}"}`,
		`{"query":"{ municipalities(first: 2) { totalCount edges { node { name } } } }"}`,
		`{"query":"query($n: Int) { themes(first: $n) { totalCount } }","variables":{"n":3}}`,
		`{"query":"mutation { __typename }"}`,
		`{"query":"{ a b "}`,
		`[{"query":"{__typename}"}]`,
		`{"query":"{__typename}"} x`,
		`{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"00"}}}`,
		`{"query":"{ __schema { types { name } } }"}`,
		`{"query":"{ trajectories { totalCount } }"}`,
		`{"query":"mutation($i: CreateCallInput!) { createCall(input: $i) { call { id } } }","variables":{"i":{"budget":"1.001"}}}`,
		"",
		"\x00\xff",
	} {
		f.Add([]byte(seed))
	}
	h := newTestHandler(f, Options{}, nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		r := send(t, h, req)
		if r.status >= 500 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		if r.status >= 400 && len(r.Errors) == 0 {
			t.Fatalf("status %d without an error: %s", r.status, r.body)
		}
		for _, e := range r.Errors {
			if c, _ := e.Extensions["code"].(string); c == "" || c == "INTERNAL" {
				t.Fatalf("an error with code %q: %s", c, r.body)
			}
		}
	})
}

// The response written without re-encoding its data says what json.Marshal
// of gqlgen's Response says.
func TestEncodeResponseAsJSONMarshal(t *testing.T) {
	for _, resp := range []*graphql.Response{
		{Data: json.RawMessage(`{"a":1,"b":"<x> & y"}`)},
		{Data: json.RawMessage(`null`), Errors: gqlerror.List{{Message: "nope", Path: ast.Path{ast.PathName("a")}, Extensions: map[string]any{"code": "NOT_FOUND"}}}},
		{Data: json.RawMessage(`{"a":[1,2]}`), Extensions: map[string]any{"cost": 3}},
	} {
		got, err := encodeResponse(resp)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(resp)
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%s: %v", got, err)
		}
		_ = json.Unmarshal(want, &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("encoded %s, json.Marshal %s", got, want)
		}
	}
}
