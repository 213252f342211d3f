package graph

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
)

// IntrospectionQuery is graphql-js's getIntrospectionQuery with every
// option on (descriptions, specifiedByURL, isRepeatable, the schema's
// description, deprecated input values, isOneOf) and type references ten
// levels deep: a superset of what GraphiQL sends.
const IntrospectionQuery = `query IntrospectionQuery {
  __schema {
    description
    queryType { name kind }
    mutationType { name kind }
    subscriptionType { name kind }
    types { ...FullType }
    directives {
      name
      description
      isRepeatable
      locations
      args(includeDeprecated: true) { ...InputValue }
    }
  }
}
fragment FullType on __Type {
  kind
  name
  description
  specifiedByURL
  isOneOf
  fields(includeDeprecated: true) {
    name
    description
    args(includeDeprecated: true) { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
  isDeprecated
  deprecationReason
}
fragment TypeRef on __Type {
  kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType {
  kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } }
}`

// circularIntrospection is graphql-cop's circular introspection query.
const circularIntrospection = `query { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }`

func aliases(n int, field string) string { return "query {" + aliasList("a", n, field) + " }" }

func aliasList(prefix string, n int, field string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, " %s%d: %s", prefix, i, field)
	}
	return b.String()
}

// nest returns a query that nests levels deep.
func nest(levels int) string {
	q := "id"
	for range levels - 2 {
		q = "giving { " + q + " }"
	}
	return `{ node(id: "x") { ... on Trajectory { ` + q + ` } } }`
}

func TestShapeLimits(t *testing.T) {
	tests := []struct {
		name, query string
		limit       string // "" for a document that passes
		max         int
	}{
		{"a plain query", `{ municipalities { edges { node { name } } } }`, "", 0},
		{"GraphiQL's introspection", IntrospectionQuery, "", 0},
		{"__typename with aliases up to the limit", aliases(MaxAliases, "__typename"), "", 0},
		{"graphql-cop's 101 aliases of __typename", aliases(101, "__typename"), "aliases", MaxAliases},
		{"aliases spread over fragments", `{ ...F ...G } fragment F on Query {` + aliasList("a", 8, "__typename") +
			` } fragment G on Query {` + aliasList("b", 8, "__typename") + ` }`, "aliases", MaxAliases},
		{"an alias equal to its name is no alias", `{ __typename: __typename }`, "", 0},
		{"12,000 aliases", aliases(12000, "__typename"), "tokens", MaxTokens},
		{"graphql-cop's directive overloading", `query { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }`, "directives", MaxDirectives},
		{"three directives", `query { __typename @a @b @c }`, "", 0},
		{"directives on an operation", `query Q @a @b @c @d { __typename }`, "directives", MaxDirectives},
		{"directives on a fragment spread", `{ ...F @a @b @c @d } fragment F on Query { __typename }`, "directives", MaxDirectives},
		{"directives on a variable", `query($v: Int @a @b @c @d) { __typename }`, "directives", MaxDirectives},
		{"graphql-cop's field duplication", "query { " + strings.Repeat("__typename ", 500) + "}", "duplicates", MaxDuplicates},
		{"a field three times", `{ __typename __typename __typename }`, "", 0},
		{"an alias repeated", `{ a: __typename a: __typename a: __typename a: __typename }`, "duplicates", MaxDuplicates},
		{"depth at the limit", nest(MaxDepth), "", 0},
		{"depth over the limit", nest(MaxDepth + 1), "depth", MaxDepth},
		{"depth through fragments", `{ ...A } fragment A on Query { node(id: "x") { ... on Trajectory { giving { ...B } } } }
			fragment B on Municipality { givingTrajectories { edges { node { receiving { givingTrajectories { edges { node { receiving {
			givingTrajectories { edges { node { id } } } } } } } } } } } }`, "depth", MaxDepth},
		{"graphql-cop's circular introspection", circularIntrospection, "introspection", 1},
		{"circular introspection through __type", `{ __type(name: "Query") { interfaces { possibleTypes { interfaces { name } } } } }`, "introspection", 1},
		{"circular introspection through fragments", `{ __schema { types { ...T } } } fragment T on __Type { fields { type { ...U } } }
			fragment U on __Type { fields { name } }`, "introspection", 1},
		{"each list once", `{ __schema { types { fields { type { inputFields { type { interfaces { possibleTypes { name } } } } } } } } }`, "", 0},
		{"circular fragments", `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A __typename }`, "", 0},
	}
	s := newShapeCheck(true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := s.check(context.Background(), tt.query)
			if tt.limit == "" {
				if v.refusal != nil {
					t.Fatalf("refused: %v", v.refusal)
				}
				return
			}
			if v.refusal == nil {
				t.Fatalf("passed, want limit %s", tt.limit)
			}
			ext := v.refusal.Extensions
			if ext["code"] != "QUERY_TOO_COMPLEX" || ext["limit"] != tt.limit || ext["max"] != tt.max {
				t.Errorf("refusal %q %v, want QUERY_TOO_COMPLEX limit %s max %d", v.refusal.Message, ext, tt.limit, tt.max)
			}
		})
	}
}

// TestIntrospectionQueryFitsTheTokenLimit keeps room between the largest
// introspection query a tool sends and MaxTokens.
func TestIntrospectionQueryFitsTheTokenLimit(t *testing.T) {
	lex := lexer.New(&ast.Source{Input: IntrospectionQuery})
	n := 0
	for {
		tok, err := lex.ReadToken()
		if err != nil {
			t.Fatal(err)
		}
		if tok.Kind == lexer.EOF {
			break
		}
		n++
	}
	if n > MaxTokens/2 {
		t.Errorf("the introspection query has %d tokens, too close to the limit of %d", n, MaxTokens)
	}
}

func TestIntrospectionOff(t *testing.T) {
	s := newShapeCheck(false)
	for _, q := range []string{
		`{ __schema { types { name } } }`,
		`{ __type(name: "Query") { name } }`,
		`query { __schema { directive } }`,
		`{ ...F } fragment F on Query { __schema { queryType { name } } }`,
		IntrospectionQuery,
	} {
		v := s.check(context.Background(), q)
		if v.refusal == nil || v.refusal.Extensions["code"] != "FORBIDDEN" || v.refusal.Message != "introspection is disabled on this server" {
			t.Errorf("%.40s: got %v, want FORBIDDEN", q, v.refusal)
		}
	}
	if v := s.check(context.Background(), `{ __typename municipalities { __typename } }`); v.refusal != nil {
		t.Errorf("__typename refused: %v", v.refusal)
	}
}

// TestShapeWalksAreBounded feeds documents that make a naive walk loop or
// take exponential time: fragment cycles, and fragments that each spread
// the next one twice.
func TestShapeWalksAreBounded(t *testing.T) {
	var exp strings.Builder
	exp.WriteString("{ ...F0 }\n")
	for i := range 60 {
		fmt.Fprintf(&exp, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	exp.WriteString("fragment F60 on Query { __typename }\n")
	var expIntro strings.Builder
	expIntro.WriteString("{ __schema { types { ...T0 } } }\n")
	for i := range 60 {
		fmt.Fprintf(&expIntro, "fragment T%d on __Type { ...T%d ...T%d }\n", i, i+1, i+1)
	}
	expIntro.WriteString("fragment T60 on __Type { name }\n")
	for name, q := range map[string]string{
		"cycle":                  `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`,
		"self":                   `{ ...A } fragment A on Query { __typename ...A }`,
		"introspection cycle":    `{ __schema { types { ...T } } } fragment T on __Type { ofType { ...T } }`,
		"doubling":               exp.String(),
		"doubling introspection": expIntro.String(),
	} {
		t.Run(name, func(t *testing.T) {
			done := make(chan struct{})
			go func() {
				newShapeCheck(true).check(context.Background(), q)
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("the shape check did not finish")
			}
		})
	}
}

// TestShapeVerdictsAreCached checks that a document is parsed once however
// often it is asked, and that the refusal handed out is a copy.
func TestShapeVerdictsAreCached(t *testing.T) {
	s := newShapeCheck(true)
	q := aliases(20, "__typename")
	first := s.check(context.Background(), q)
	sum := sha256.Sum256([]byte(q))
	cached, ok := s.verdicts.Get(context.Background(), string(sum[:]))
	if !ok || cached.refusal == nil {
		t.Fatal("the verdict is not cached")
	}
	// A verdict planted in the cache is what check answers: it does not
	// parse the document again.
	planted := &verdict{operations: []operationKind{{"planted", ast.Mutation}}}
	s.verdicts.Add(context.Background(), string(sum[:]), planted)
	if again := s.check(context.Background(), q); again.refusal != nil || len(again.operations) != 1 || again.operations[0].name != "planted" {
		t.Errorf("check parsed the document again: %+v", again)
	}
	first.refusal.Extensions["code"] = "CHANGED"
	if cached.refusal.Extensions["code"] != "QUERY_TOO_COMPLEX" {
		t.Error("changing a refusal changed the cached verdict")
	}
}

func TestTokenLimitIsRecognised(t *testing.T) {
	// The parser reports the token limit only in its message; if gqlparser
	// words it differently, this is where it shows.
	v := newShapeCheck(true).check(context.Background(), "{"+strings.Repeat(" __typename", MaxTokens)+" }")
	if v.refusal == nil || v.refusal.Extensions["limit"] != "tokens" {
		t.Fatalf("got %v, want the tokens limit", v.refusal)
	}
	if v := newShapeCheck(true).check(context.Background(), "{ a b "); v.refusal == nil || v.refusal.Extensions["code"] != "GRAPHQL_PARSE_FAILED" {
		t.Fatalf("a syntax error: got %v", v.refusal)
	}
}
