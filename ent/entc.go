//go:build ignore

// This program generates the ent client and the GraphQL schema of the ent
// types (graph/ent.graphql). It runs from the module root through
// generate.go: `go generate ./...`.
package main

import (
	"log"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithConfigPath("./gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("./graph/ent.graphql"),
		entgql.WithWhereInputs(true),
	)
	if err != nil {
		log.Fatalf("creating entgql extension: %v", err)
	}
	// Read scopes inside edge predicates (see the template): a filter
	// reaches only rows the viewer may read.
	scope, err := gen.NewTemplate("readscope").
		Funcs(entgql.TemplateFuncs).
		ParseFiles("./ent/template/readscope.tmpl")
	if err != nil {
		log.Fatalf("parsing the read-scope template: %v", err)
	}
	err = entc.Generate("./ent/schema", &gen.Config{
		Templates: []*gen.Template{scope},
		Target:    "./ent",
		Package:   "wisselaar/ent",
		Features: []gen.Feature{
			gen.FeaturePrivacy,
			gen.FeatureEntQL,
			gen.FeatureLock,
			gen.FeatureModifier,
			gen.FeatureUpsert,
			gen.FeatureNamedEdges,
			gen.FeatureGlobalID,
			gen.FeatureExecQuery,
		},
	}, entc.Extensions(ex))
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}
