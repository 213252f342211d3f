package graph

import (
	"bytes"
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// A list marshalled in order gives every element its index in the field
// context, and a panic in one element makes that element null with an
// error on its path, while the others are still marshalled.
func TestMarshalSliceInOrder(t *testing.T) {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "items"}}})
	var indexes []int
	got := marshalSliceInOrder(ctx, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		indexes = append(indexes, *graphql.GetFieldContext(ctx).Index)
		if i == 1 {
			panic("element 1 is broken")
		}
		return graphql.MarshalInt(i)
	})
	var out bytes.Buffer
	got.MarshalGQL(&out)
	if out.String() != "[0,null,2]" {
		t.Errorf("list = %s, want [0,null,2]", out.String())
	}
	if len(indexes) != 3 || indexes[0] != 0 || indexes[1] != 1 || indexes[2] != 2 {
		t.Errorf("indexes seen by the elements = %v, want [0 1 2]", indexes)
	}
	errs := graphql.GetErrors(ctx)
	if len(errs) != 1 || errs[0].Path.String() != "items[1]" {
		t.Fatalf("errors = %v, want one at items[1]", errs)
	}
}
