// Command gqlgenerate runs gqlgen (configured by gqlgen.yml) with one change
// to the code it writes: the fields of the API's objects and the elements of
// its lists are resolved in order, on the goroutine of the parent, instead of
// one goroutine each.
//
// gqlgen starts a goroutine for every field that takes a context and for
// every element of every list of objects, so that slow resolvers can wait in
// parallel. Here the slow part happens before: a list's query loads the
// edges that the selection asks for (entgql's field collection), and what
// is left per field is reading memory. A page of 50 trajectories with their
// municipalities, call, themes, grant and mentors then paid for some 500
// goroutines per request, each growing its stack through the resolver
// chain: about a quarter of the CPU time per request (measured with pprof
// on bench/run.sh). The root fields of Query still run concurrently, and
// Mutation's fields in order as GraphQL requires.
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gqlgenerate:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.LoadConfig("gqlgen.yml")
	if err != nil {
		return err
	}
	if err := api.Generate(cfg, api.AddPlugin(inOrder{})); err != nil {
		return err
	}
	return sequentialLists(cfg.Exec.Filename)
}

// inOrder marks every object but the root operation types as resolved
// field after field, the way gqlgen already treats Mutation.
type inOrder struct{}

func (inOrder) Name() string { return "inorder" }

func (inOrder) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		if o.Definition == data.Schema.Query || o.Definition == data.Schema.Subscription {
			continue
		}
		o.DisableConcurrency = true
	}
	return nil
}

// sequentialLists makes the generated code marshal lists of objects with
// graph.marshalSliceInOrder, which has graphql.MarshalSliceConcurrently's
// signature and results but no goroutines. gqlgen's templates offer no
// switch for it (only a limit on the number of goroutines).
func sequentialLists(file string) error {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	from, to := []byte("graphql.MarshalSliceConcurrently("), []byte("marshalSliceInOrder(")
	if !bytes.Contains(src, from) {
		return fmt.Errorf("%s: no call of graphql.MarshalSliceConcurrently left to replace; has gqlgen changed?", file)
	}
	return os.WriteFile(file, bytes.ReplaceAll(src, from, to), 0o644)
}
