package main

// Code generation, in order: ent (client, privacy, GraphQL types of the
// entities in graph/ent.graphql), then gqlgen (the executable schema). The
// generated code is committed; CI fails when regenerating changes it. Last,
// clients/printschema writes the whole schema as clients see it to
// clients/schema.graphql.

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go run -mod=mod ./internal/gqlgenerate
//go:generate go run ./clients/printschema
