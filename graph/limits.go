package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"wisselaar/internal/apierr"
)

// Limits on the shape of a query, besides its cost.
const (
	// MaxDepth bounds how deeply selections nest (a connection takes three
	// levels: the connection, its edges, the node). Introspection is not
	// counted: GraphiQL's own query nests type references deeply.
	MaxDepth = 12
	// MaxPageSize bounds first and last.
	MaxPageSize = 500
)

// depthLimit refuses operations nested deeper than MaxDepth before any
// resolver runs.
type depthLimit struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }
func (depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil {
		return nil
	}
	if d := depth(op.SelectionSet, oc.Doc.Fragments, map[string]bool{}); d > MaxDepth {
		err := gqlerror.Errorf("the query nests %d levels deep; at most %d are allowed", d, MaxDepth)
		err.Extensions = map[string]any{"code": string(apierr.QueryTooComplex)}
		return err
	}
	return nil
}

// depth returns how deeply set nests, following fragments (each fragment
// once per path, so that cyclic fragments, which validation refuses
// anyway, cannot loop).
func depth(set ast.SelectionSet, fragments ast.FragmentDefinitionList, seen map[string]bool) int {
	most := 0
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.Name) > 1 && s.Name[:2] == "__" {
				continue
			}
			d = 1 + depth(s.SelectionSet, fragments, seen)
		case *ast.InlineFragment:
			d = depth(s.SelectionSet, fragments, seen)
		case *ast.FragmentSpread:
			if seen[s.Name] {
				continue
			}
			if f := fragments.ForName(s.Name); f != nil {
				seen[s.Name] = true
				d = depth(f.SelectionSet, fragments, seen)
				delete(seen, s.Name)
			}
		}
		most = max(most, d)
	}
	return most
}

// pageSize gives every connection a page: DefaultPageSize when the client
// asks neither first nor last (entgql would otherwise return every row),
// and at most MaxPageSize.
func pageSize(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Args == nil {
		return next(ctx)
	}
	first, hasFirst := fc.Args["first"].(*int)
	last, hasLast := fc.Args["last"].(*int)
	if !hasFirst && !hasLast {
		return next(ctx)
	}
	for name, n := range map[string]*int{"first": first, "last": last} {
		if n != nil && (*n < 0 || *n > MaxPageSize) {
			return nil, apierr.BadInput(name, "%s must be between 0 and %d", name, MaxPageSize)
		}
	}
	if first == nil && last == nil {
		n := DefaultPageSize
		fc.Args["first"] = &n
	}
	return next(ctx)
}
