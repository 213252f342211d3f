package graph

import (
	"context"
	"encoding/json"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"wisselaar/internal/apierr"
)

// Limits on what one operation may ask, besides the shape of its document
// (shape.go). These need the variables, so they are checked once gqlgen
// has validated the operation and coerced them, still before any resolver
// runs.
const (
	// MaxDepth bounds how deeply selections nest (a connection takes three
	// levels: the connection, its edges, the node). Introspection is not
	// counted: GraphiQL's own query nests type references deeply. It is a
	// shape limit, checked in shape.go.
	MaxDepth = 12
	// MaxPageSize bounds first and last.
	MaxPageSize = 500
	// MaxComplexity bounds the cost of one operation (see complexity.go).
	MaxComplexity = 50000
	// DefaultPageSize is the page a connection returns, and is priced at,
	// when the client asks neither first nor last.
	DefaultPageSize = 100
)

// pageLimit refuses an operation that asks a page larger than MaxPageSize
// anywhere, with the variables resolved, before anything is executed: a
// page of a million rows is a question about the server's limits, not bad
// input, and the cost estimate of such a page would be meaningless.
type pageLimit struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = pageLimit{}

// ExtensionName names the extension for gqlgen.
func (pageLimit) ExtensionName() string { return "PageLimit" }

// Validate accepts every schema.
func (pageLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext checks every field of the operation, fragments
// included (each fragment once: its arguments do not depend on where it is
// spread).
func (pageLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	seen := map[string]bool{}
	var walk func(ast.SelectionSet) *gqlerror.Error
	walk = func(set ast.SelectionSet) *gqlerror.Error {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if err := checkPage(s, oc.Variables); err != nil {
					return err
				}
				if err := walk(s.SelectionSet); err != nil {
					return err
				}
			case *ast.InlineFragment:
				if err := walk(s.SelectionSet); err != nil {
					return err
				}
			case *ast.FragmentSpread:
				if seen[s.Name] || s.Definition == nil {
					continue
				}
				seen[s.Name] = true
				if err := walk(s.Definition.SelectionSet); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(oc.Operation.SelectionSet)
}

// checkPage refuses first or last over MaxPageSize on field f. Negative
// values are bad input, reported by pageSize with the field's name.
// Validation has made sure that Int literals are 32-bit integers.
func checkPage(f *ast.Field, vars map[string]any) *gqlerror.Error {
	if f.Definition == nil || (f.Definition.Arguments.ForName("first") == nil && f.Definition.Arguments.ForName("last") == nil) {
		return nil
	}
	args := f.ArgumentMap(vars)
	for _, name := range []string{"first", "last"} {
		if n, ok := asInt(args[name]); ok && n > MaxPageSize {
			return tooComplex(name, MaxPageSize, "%s asks %d elements; a page holds at most %d", name, n, MaxPageSize)
		}
	}
	return nil
}

// asInt reads an Int argument's value in any of the forms gqlgen hands
// literals and variables over in.
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// costLimit refuses an operation that costs more than MaxComplexity, as
// priced by complexity.go, before anything is executed. It replaces
// gqlgen's FixedComplexityLimit so that the refusal carries the documented
// code, limit and max.
type costLimit struct{ es graphql.ExecutableSchema }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &costLimit{}

// ExtensionName names the extension for gqlgen.
func (*costLimit) ExtensionName() string { return "CostLimit" }

// Validate keeps the schema, whose complexity functions price fields.
func (c *costLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

// MutateOperationContext prices the operation with its variables.
func (c *costLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if cost := complexity.Calculate(ctx, c.es, oc.Operation, oc.Variables); cost > MaxComplexity {
		return tooComplex("cost", MaxComplexity,
			"the query costs %d; at most %d is allowed (every field costs 1, a connection multiplies by its page size, a list by %d)",
			cost, MaxComplexity, ListCost)
	}
	return nil
}

// pageSize gives every connection a page: DefaultPageSize when the client
// asks neither first nor last (entgql would otherwise return every row).
// Pages over MaxPageSize never get here: pageLimit refused them.
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
	if first != nil && last != nil {
		// Relay allows both but no client means it, and entgql cannot page
		// from both ends at once.
		return nil, apierr.BadInput("last", "give first (with after) or last (with before), not both")
	}
	for name, n := range map[string]*int{"first": first, "last": last} {
		if n != nil && *n < 0 {
			return nil, apierr.BadInput(name, "%s must be between 0 and %d", name, MaxPageSize)
		}
	}
	if first == nil && last == nil {
		n := DefaultPageSize
		fc.Args["first"] = &n
	}
	return next(ctx)
}
