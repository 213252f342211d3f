package graph

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"wisselaar/internal/apierr"
)

// Limits on the shape of a query document. They are checked on the parsed
// document before validation, so that a hostile document costs the server
// one bounded parse and one linear walk, and is refused with one error
// rather than one validation error per offending node.
const (
	// MaxTokens bounds the lexer tokens of a document. Parsing stops at
	// the limit, so a huge document is refused after reading MaxTokens
	// tokens, not all of it. GraphiQL's introspection query has about 300.
	MaxTokens = 1000
	// MaxAliases bounds the aliased fields of a document (a field whose
	// alias differs from its name): aliases let one request ask the same
	// expensive field many times.
	MaxAliases = 15
	// MaxDirectives bounds the directives on one location (a field, a
	// fragment, an operation, a variable).
	MaxDirectives = 3
	// MaxDuplicates bounds how often one response key may appear directly
	// in one selection set. Repeating a field is legal GraphQL (the copies
	// are merged) but only serves to make validation work quadratically.
	MaxDuplicates = 3
)

// introspectionLists are the fields of the introspection types that lead
// from a type to more types. A path inside introspection may pass through
// each of them once: enough for every standard introspection query, and
// it cuts the "fields { type { fields { type { ... } } } }" cycles that
// make an introspection answer grow exponentially.
var introspectionLists = map[string]uint8{
	"fields":        1 << 0,
	"inputFields":   1 << 1,
	"interfaces":    1 << 2,
	"possibleTypes": 1 << 3,
}

// tooComplex returns the QUERY_TOO_COMPLEX refusal of a limit, naming the
// limit and its maximum so that a client can adapt the query.
func tooComplex(limit string, max int, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": string(apierr.QueryTooComplex), "limit": limit, "max": max}
	return err
}

// errIntrospectionDisabled is the message of a refused introspection query.
const errIntrospectionDisabled = "introspection is disabled on this server"

// operationKind is an operation of a document: its name and whether it is
// a query, mutation or subscription.
type operationKind struct {
	name string
	kind ast.Operation
}

// verdict is the shape check's answer for one document: the refusal, if
// any, and its operations, so that the GET transport can refuse a mutation
// without parsing again.
type verdict struct {
	refusal    *gqlerror.Error
	operations []operationKind
}

// operation returns the kind of the operation a request selects by name
// (or the only one), and false when the document does not say.
func (v *verdict) operation(name string) (ast.Operation, bool) {
	for _, op := range v.operations {
		if op.name == name || (name == "" && len(v.operations) == 1) {
			return op.kind, true
		}
	}
	return "", false
}

// shapeCheck checks query documents against the shape limits, once per
// distinct document: verdicts are kept in an LRU cache, keyed by the
// SHA-256 of the document (the document itself may be up to the body limit
// long; a hash keeps the cache small, and a collision cannot be made to
// pass a refused document).
type shapeCheck struct {
	introspection bool
	verdicts      graphql.Cache[*verdict]
}

func newShapeCheck(introspection bool) *shapeCheck {
	return &shapeCheck{introspection: introspection, verdicts: lru.New[*verdict](1000)}
}

// check returns the verdict on query. The refusal it holds is a fresh
// copy, which the caller may hand on to code that changes it.
func (s *shapeCheck) check(ctx context.Context, query string) verdict {
	key := hashKey(query)
	v, ok := s.verdicts.Get(ctx, key)
	if !ok {
		v = s.judge(query)
		s.verdicts.Add(ctx, key, v)
	}
	out := *v
	if v.refusal != nil {
		c := *v.refusal
		c.Extensions = make(map[string]any, len(v.refusal.Extensions))
		for k, x := range v.refusal.Extensions {
			c.Extensions[k] = x
		}
		out.refusal = &c
	}
	return out
}

// hashKey returns the SHA-256 of query as a cache key. It hashes the
// query in chunks: converting a query of a megabyte to []byte would copy
// it.
func hashKey(query string) string {
	h := sha256.New()
	var buf [32 << 10]byte
	for len(query) > 0 {
		n := copy(buf[:], query)
		h.Write(buf[:n])
		query = query[n:]
	}
	return string(h.Sum(nil))
}

// judge parses query (at most MaxTokens tokens) and walks it once.
func (s *shapeCheck) judge(query string) *verdict {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, MaxTokens)
	if err != nil {
		gqlErr, ok := err.(*gqlerror.Error)
		if !ok {
			gqlErr = gqlerror.Errorf("the query could not be parsed")
		}
		if gqlErr.Message == fmt.Sprintf("exceeded token limit of %d", MaxTokens) {
			return &verdict{refusal: tooComplex("tokens", MaxTokens,
				"the query has more than %d tokens (names, values and punctuation); send a smaller query", MaxTokens)}
		}
		errcode.Set(gqlErr, errcode.ParseFailed)
		return &verdict{refusal: gqlErr}
	}
	v := &verdict{}
	for _, op := range doc.Operations {
		v.operations = append(v.operations, operationKind{name: op.Name, kind: op.Operation})
	}
	w := &shapeWalker{introspection: s.introspection}
	w.document(doc)
	if w.refusal == nil {
		w.depthAndIntrospection(doc)
	}
	v.refusal = w.refusal
	return v
}

// shapeWalker walks a document, stopping at the first limit it exceeds.
// Every walk is bounded: the syntactic walk visits each node once, and the
// walk through fragment spreads remembers each fragment's result per path
// state and never enters a fragment that is already on the path, so
// neither cyclic nor exponentially branching fragments make it loop.
type shapeWalker struct {
	introspection bool
	aliases       int
	refusal       *gqlerror.Error
}

func (w *shapeWalker) refuse(err *gqlerror.Error) {
	if w.refusal == nil {
		w.refusal = err
	}
}

// document checks the limits that hold for each node on its own: aliases,
// directives, duplicated fields, and introspection where it is off.
func (w *shapeWalker) document(doc *ast.QueryDocument) {
	for _, op := range doc.Operations {
		w.directives(op.Directives)
		for _, v := range op.VariableDefinitions {
			w.directives(v.Directives)
		}
		w.selections(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		w.directives(f.Directives)
		w.selections(f.SelectionSet)
	}
}

func (w *shapeWalker) directives(d ast.DirectiveList) {
	if len(d) > MaxDirectives {
		w.refuse(tooComplex("directives", MaxDirectives,
			"%d directives on one location; at most %d are allowed", len(d), MaxDirectives))
	}
}

func (w *shapeWalker) selections(set ast.SelectionSet) {
	if w.refusal != nil {
		return
	}
	keys := map[string]int{}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !w.introspection && (s.Name == "__schema" || s.Name == "__type") {
				err := gqlerror.Errorf(errIntrospectionDisabled)
				err.Extensions = map[string]any{"code": string(apierr.Forbidden)}
				w.refuse(err)
				return
			}
			if s.Alias != s.Name {
				if w.aliases++; w.aliases > MaxAliases {
					w.refuse(tooComplex("aliases", MaxAliases,
						"the query has more than %d aliased fields; at most %d are allowed", MaxAliases, MaxAliases))
				}
			}
			if keys[s.Alias]++; keys[s.Alias] > MaxDuplicates {
				w.refuse(tooComplex("duplicates", MaxDuplicates,
					"the field %q is asked more than %d times in one selection; ask it once", s.Alias, MaxDuplicates))
			}
			w.directives(s.Directives)
			w.selections(s.SelectionSet)
		case *ast.InlineFragment:
			w.directives(s.Directives)
			w.selections(s.SelectionSet)
		case *ast.FragmentSpread:
			w.directives(s.Directives)
		}
		if w.refusal != nil {
			return
		}
	}
}

// pathState is what the depth walk must know about the path that led to a
// selection set: whether it is inside introspection, and which of the
// introspectionLists it has passed through.
type pathState struct {
	introspection bool
	lists         uint8
}

// fragmentResult is a fragment's depth and refusal entered with a state.
type fragmentResult struct {
	depth   int
	refusal *gqlerror.Error
}

type fragmentAt struct {
	name  string
	state pathState
}

// depthAndIntrospection checks how deeply each operation nests (MaxDepth;
// introspection is not counted, since GraphiQL's own introspection query
// nests type references deeply) and that no path inside introspection
// passes through one of the introspectionLists twice.
func (w *shapeWalker) depthAndIntrospection(doc *ast.QueryDocument) {
	d := &depthWalk{fragments: doc.Fragments, memo: map[fragmentAt]fragmentResult{}, onPath: map[string]bool{}}
	for _, op := range doc.Operations {
		depth, err := d.set(op.SelectionSet, pathState{})
		if err != nil {
			w.refuse(err)
			return
		}
		if depth > MaxDepth {
			w.refuse(tooComplex("depth", MaxDepth, "the query nests %d levels deep; at most %d are allowed", depth, MaxDepth))
			return
		}
	}
}

type depthWalk struct {
	fragments ast.FragmentDefinitionList
	memo      map[fragmentAt]fragmentResult
	onPath    map[string]bool
}

// set returns how deeply set nests below a path in state st.
func (d *depthWalk) set(set ast.SelectionSet, st pathState) (int, *gqlerror.Error) {
	most := 0
	for _, sel := range set {
		var depth int
		var err *gqlerror.Error
		switch s := sel.(type) {
		case *ast.Field:
			depth, err = d.field(s, st)
		case *ast.InlineFragment:
			depth, err = d.set(s.SelectionSet, st)
		case *ast.FragmentSpread:
			depth, err = d.spread(s.Name, st)
		}
		if err != nil {
			return 0, err
		}
		most = max(most, depth)
	}
	return most, nil
}

func (d *depthWalk) field(f *ast.Field, st pathState) (int, *gqlerror.Error) {
	if f.Name == "__schema" || f.Name == "__type" {
		st.introspection = true
	}
	if st.introspection {
		if bit, ok := introspectionLists[f.Name]; ok {
			if st.lists&bit != 0 {
				return 0, tooComplex("introspection", 1,
					"an introspection query may follow %s at most once on one path", strings.Join(listNames(), ", "))
			}
			st.lists |= bit
		}
		// Introspection is not counted in the depth.
		_, err := d.set(f.SelectionSet, st)
		return 0, err
	}
	if strings.HasPrefix(f.Name, "__") {
		return 0, nil // __typename
	}
	depth, err := d.set(f.SelectionSet, st)
	return 1 + depth, err
}

func (d *depthWalk) spread(name string, st pathState) (int, *gqlerror.Error) {
	if d.onPath[name] {
		// A fragment cycle: validation refuses it; here it must only not loop.
		return 0, nil
	}
	key := fragmentAt{name, st}
	if r, ok := d.memo[key]; ok {
		return r.depth, r.refusal
	}
	f := d.fragments.ForName(name)
	if f == nil {
		return 0, nil // an unknown fragment: validation refuses it
	}
	d.onPath[name] = true
	depth, err := d.set(f.SelectionSet, st)
	delete(d.onPath, name)
	d.memo[key] = fragmentResult{depth, err}
	return depth, err
}

func listNames() []string {
	return []string{"fields", "inputFields", "interfaces", "possibleTypes"}
}

// MutateOperationParameters holds a query that did not pass through the
// transport's check to the same limits: one that the automatic persisted
// queries extension took from its cache. It is registered after that
// extension; for every other query the verdict comes from the cache.
func (s *shapeCheck) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	return s.check(ctx, p.Query).refusal
}

// ExtensionName names the extension for gqlgen.
func (s *shapeCheck) ExtensionName() string { return "QueryShape" }

// Validate accepts every schema.
func (s *shapeCheck) Validate(graphql.ExecutableSchema) error { return nil }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*shapeCheck)(nil)
