package graph

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"

	"wisselaar/graph/model"
)

// TestEveryCodeIsInTheErrorCodeEnum reads the codes declared in
// internal/apierr (the ones the server answers with) and checks that each is
// a value of the schema's ErrorCode enum, where client tools read them, and
// that the enum holds nothing else but GraphQL's and gqlgen's standard codes.
func TestEveryCodeIsInTheErrorCodeEnum(t *testing.T) {
	files, err := filepath.Glob("../internal/apierr/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no apierr sources: %v", err)
	}
	declared := map[string]bool{}
	for _, name := range files {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok || spec.Type == nil {
				return true
			}
			if id, ok := spec.Type.(*ast.Ident); !ok || id.Name != "Code" {
				return true
			}
			for _, v := range spec.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					code, _ := strconv.Unquote(lit.Value)
					declared[code] = true
				}
			}
			return true
		})
	}
	if len(declared) < 10 {
		t.Fatalf("found %d codes in apierr; did its declarations change shape?", len(declared))
	}
	for code := range declared {
		if !model.ErrorCode(code).IsValid() {
			t.Errorf("%s is answered but missing from enum ErrorCode in schema.graphql", code)
		}
	}
	standard := map[string]bool{"GRAPHQL_PARSE_FAILED": true, "GRAPHQL_VALIDATION_FAILED": true, "PERSISTED_QUERY_NOT_FOUND": true}
	for _, code := range model.AllErrorCode {
		if !declared[string(code)] && !standard[string(code)] {
			t.Errorf("ErrorCode %s is never answered", code)
		}
	}
	if documented("INVALID_PAGINATION") {
		t.Error("a library's own code counts as documented")
	}
}
