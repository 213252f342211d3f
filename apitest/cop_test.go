package apitest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wisselaar/internal/testutil"
)

// productionLike is the configuration of a real deployment as far as the
// API's defences go: a real issuer, hence no development provider and no
// introspection. The issuer is a closed port on this machine: anonymous
// requests never need it, and the one discovery attempt the
// authenticator makes in the background fails at once, without leaving
// the machine.
var productionLike = map[string]string{"OIDC_ISSUER": "https://127.0.0.1:1/realms/wisselaar"}

// copReply is an answer to one of graphql-cop's requests.
type copReply struct {
	status int
	header http.Header
	raw    string
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Extensions map[string]any `json:"extensions"`
}

// code returns the code of the only error, or a description of why there
// is not exactly one.
func (r *copReply) code() string {
	if len(r.Errors) != 1 {
		return fmt.Sprintf("%d errors", len(r.Errors))
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func copRequest(t *testing.T, method, target, contentType, body string, header map[string]string) *copReply {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := &copReply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/") {
		_ = json.Unmarshal(raw, r)
	}
	return r
}

func copPost(t *testing.T, s *testutil.Server, query string) *copReply {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	return copRequest(t, http.MethodPost, s.URL+"/graphql", "application/json", string(body), nil)
}

// copCheck is one of graphql-cop's checks: it sends the tool's request
// and returns the finding, or "" when the server passes. Each also
// asserts the documented refusal.
type copCheck struct {
	name  string
	check func(t *testing.T, s *testutil.Server) (finding string)
}

// expect records a deviation from the documented answer as a test error.
func expect(t *testing.T, r *copReply, status int, code string) {
	t.Helper()
	if r.status != status || r.code() != code {
		t.Errorf("got %d %.300s, want %d with one error %s", r.status, r.raw, status, code)
	}
}

// aliasQuery is graphql-cop's alias overloading: 101 aliases of __typename.
func aliasQuery() string {
	var b strings.Builder
	b.WriteString("query cop {")
	for i := range 101 {
		fmt.Fprintf(&b, " alias%d:__typename", i)
	}
	b.WriteString(" }")
	return b.String()
}

// copChecks are graphql-cop's checks, reproduced against the real handler.
var copChecks = []copCheck{
	{"alias overloading", func(t *testing.T, s *testutil.Server) string {
		r := copPost(t, s, aliasQuery())
		expect(t, r, 200, "QUERY_TOO_COMPLEX")
		if r.Data != nil {
			return "101 aliases answered"
		}
		return ""
	}},
	{"batch queries", func(t *testing.T, s *testutil.Server) string {
		batch := "[" + strings.TrimSuffix(strings.Repeat(`{"query":"query cop { __typename }"},`, 11), ",") + "]"
		r := copRequest(t, http.MethodPost, s.URL+"/graphql", "application/json", batch, nil)
		expect(t, r, 400, "BAD_REQUEST")
		if strings.HasPrefix(strings.TrimSpace(r.raw), "[") {
			return "a batch of 11 answered"
		}
		return ""
	}},
	{"field duplication", func(t *testing.T, s *testutil.Server) string {
		r := copPost(t, s, "query cop { "+strings.Repeat("__typename \n", 500)+"}")
		expect(t, r, 200, "QUERY_TOO_COMPLEX")
		if r.Data != nil {
			return "500 duplicated fields answered"
		}
		return ""
	}},
	{"directive overloading", func(t *testing.T, s *testutil.Server) string {
		r := copPost(t, s, "query cop { __typename "+strings.Repeat("@aa", 10)+" }")
		expect(t, r, 200, "QUERY_TOO_COMPLEX")
		if len(r.Errors) >= 10 {
			return "one error per directive"
		}
		return ""
	}},
	{"circular introspection", func(t *testing.T, s *testutil.Server) string {
		r := copPost(t, s, `query cop { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }`)
		// Introspection is off here: refused before the cycle is looked at.
		expect(t, r, 200, "FORBIDDEN")
		if r.Data != nil {
			return "circular introspection answered"
		}
		return ""
	}},
	{"circular fragments", func(t *testing.T, s *testutil.Server) string {
		r := copPost(t, s, `query cop { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`)
		if r.status != 200 || len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("got %d %.300s, want 200 GRAPHQL_VALIDATION_FAILED", r.status, r.raw)
		}
		if r.Data != nil {
			return "circular fragments answered"
		}
		return ""
	}},
	{"introspection", func(t *testing.T, s *testutil.Server) string {
		r := copPost(t, s, `query cop { __schema { types { name fields { name } } } }`)
		expect(t, r, 200, "FORBIDDEN")
		if r.Data != nil || r.code() == "FORBIDDEN" && r.Errors[0].Message != "introspection is disabled on this server" {
			return "introspection answered"
		}
		return ""
	}},
	{"field suggestions", func(t *testing.T, s *testutil.Server) string {
		finding := ""
		for q, code := range map[string]string{
			// graphql-cop's probe is introspection, refused as such.
			`query cop { __schema { directive } }`: "FORBIDDEN",
			// A typo in an ordinary field is a validation error.
			`query cop { municipalitie { totalCount } }`: "GRAPHQL_VALIDATION_FAILED",
		} {
			r := copPost(t, s, q)
			expect(t, r, 200, code)
			if strings.Contains(r.raw, "Did you mean") {
				finding = "suggestions in " + r.raw
			}
		}
		return finding
	}},
	{"GET-based mutation", func(t *testing.T, s *testutil.Server) string {
		r := copRequest(t, http.MethodGet, s.URL+"/graphql?query="+url.QueryEscape("mutation cop {__typename}"), "", "", nil)
		expect(t, r, 405, "BAD_REQUEST")
		if r.header.Get("Allow") != "POST" {
			t.Errorf("Allow %q, want POST", r.header.Get("Allow"))
		}
		if r.Data != nil {
			return "a mutation over GET answered"
		}
		return ""
	}},
	{"CSRF: GET query without a header", func(t *testing.T, s *testutil.Server) string {
		r := copRequest(t, http.MethodGet, s.URL+"/graphql?query="+url.QueryEscape("query cop {__typename}"), "", "", nil)
		expect(t, r, 400, "BAD_REQUEST")
		if r.Data != nil {
			return "a GET query answered without a header a cross-site page cannot send"
		}
		return ""
	}},
	{"CSRF: form POST", func(t *testing.T, s *testutil.Server) string {
		r := copRequest(t, http.MethodPost, s.URL+"/graphql", "application/x-www-form-urlencoded",
			"query="+url.QueryEscape("query cop {__typename}"), nil)
		expect(t, r, 415, "BAD_REQUEST")
		if r.Data != nil {
			return "a url-encoded form answered"
		}
		return ""
	}},
	{"CSRF: POST with the query in the URL", func(t *testing.T, s *testutil.Server) string {
		finding := ""
		for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", "application/json"} {
			r := copRequest(t, http.MethodPost, s.URL+"/graphql?query="+url.QueryEscape("query cop {__typename}"), ct, "", nil)
			want := 415
			if ct == "application/json" {
				want = 400 // no body
			}
			expect(t, r, want, "BAD_REQUEST")
			if r.Data != nil {
				finding = "a POST with the query in its URL answered (" + ct + ")"
			}
		}
		return finding
	}},
	{"tracing and debug leaks", func(t *testing.T, s *testutil.Server) string {
		finding := ""
		for _, q := range []string{`query cop { __typename }`, `qwerty cop { abc }`, `query cop { abc }`} {
			r := copPost(t, s, q)
			if _, ok := r.Extensions["tracing"]; ok {
				finding = "extensions.tracing in " + r.raw
			}
			for _, e := range r.Errors {
				if _, ok := e.Extensions["exception"]; ok {
					finding = "extensions.exception in " + r.raw
				}
				if e.Extensions["code"] == nil {
					t.Errorf("%s: an error without a code: %s", q, r.raw)
				}
			}
			if strings.Contains(strings.ToLower(r.raw), "stacktrace") {
				finding = "a stack trace in " + r.raw
			}
		}
		return finding
	}},
	{"GraphQL IDEs", func(t *testing.T, s *testutil.Server) string {
		// GraphiQL lives at GET / (documented), not at the paths tools
		// probe for an IDE that was left on by accident.
		finding := ""
		for _, path := range []string{"/graphiql", "/playground", "/console", "/graphql"} {
			r := copRequest(t, http.MethodGet, s.URL+path, "", "", map[string]string{"Accept": "text/html"})
			for _, marker := range []string{"GraphiQL", "graphiql.min.css", "GraphQL Playground", "graphql-playground"} {
				if strings.Contains(r.raw, marker) {
					finding = path + " serves " + marker
				}
			}
		}
		return finding
	}},
}

// TestGraphQLCop runs graphql-cop's checks against a production-like
// server: none may find anything.
func TestGraphQLCop(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), productionLike)
	if s.Config.Introspection {
		t.Fatal("introspection is on with a real issuer")
	}
	findings := 0
	for _, c := range copChecks {
		t.Run(c.name, func(t *testing.T) {
			if f := c.check(t, s); f != "" {
				findings++
				t.Errorf("finding: %s", f)
			}
		})
	}
	if findings > 0 {
		t.Errorf("%d findings, want 0", findings)
	}
}

// TestGraphQLCopDevelopment runs the checks against the development
// configuration (`go run .`), where introspection is on on purpose: it is
// what GraphiQL at / needs to be useful. There introspection answers, the
// circular introspection query is refused by the introspection limit, and
// validation suggests names; everything else holds as in production.
func TestGraphQLCopDevelopment(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	if !s.Config.Introspection {
		t.Fatal("introspection is off with the development provider")
	}
	r := copPost(t, s, `query cop { __schema { types { name fields { name } } } }`)
	if r.status != 200 || len(r.Errors) > 0 || r.Data["__schema"] == nil {
		t.Errorf("introspection: %d %.300s", r.status, r.raw)
	}
	r = copPost(t, s, `query cop { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }`)
	expect(t, r, 200, "QUERY_TOO_COMPLEX")
	if r.code() == "QUERY_TOO_COMPLEX" && r.Errors[0].Extensions["limit"] != "introspection" {
		t.Errorf("circular introspection: limit %v, want introspection", r.Errors[0].Extensions["limit"])
	}
	if r := copPost(t, s, `query cop { municipalitie { totalCount } }`); !strings.Contains(r.raw, "Did you mean") {
		t.Errorf("no suggestion with introspection on: %.300s", r.raw)
	}
	for _, c := range copChecks {
		switch c.name {
		case "introspection", "circular introspection", "field suggestions":
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			if f := c.check(t, s); f != "" {
				t.Errorf("finding: %s", f)
			}
		})
	}
}
