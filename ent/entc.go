//go:build ignore

// This program generates the ent client and the GraphQL schema of the ent
// types (graph/ent.graphql). It runs from the module root through
// generate.go: `go generate ./...`.
package main

import (
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

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
	paging := clientPaging()
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
	}, entc.Extensions(ex), func(cfg *gen.Config) error {
		// After the extension's templates, so that these replace them.
		cfg.Templates = append(cfg.Templates, paging...)
		return nil
	})
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}

// clientPaging returns entgql's pagination and collection templates with
// two changes that client tools need, made by exact text replacement in
// entgql's own template files (so that an upgrade of entgql that moves the
// text fails here, loudly, instead of silently dropping a change), and the
// template of the cursor check they call:
//
//   - A cursor must fit the ordering it is used with (fitCursors, package
//     internal/pagecursor): one from an ordering on another field, from
//     the ID order, or one altered in a way that still decodes, is
//     BAD_USER_INPUT instead of a database error or an odd page.
//   - pageInfo selected without edges still fetches the page, so that
//     hasNextPage, hasPreviousPage and the cursors are those the same page
//     has with edges (entgql answered hasNextPage: true and null cursors,
//     which Apollo's relayStylePagination reads as "more to come").
func clientPaging() []*gen.Template {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "entgo.io/contrib").Output()
	if err != nil {
		log.Fatalf("finding entgo.io/contrib: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "entgql", "template")
	patch := func(file string, edits ...[2]string) *gen.Template {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			log.Fatalf("reading entgql's %s: %v", file, err)
		}
		text := string(b)
		for _, e := range edits {
			if strings.Count(text, e[0]) != 1 {
				log.Fatalf("entgql's %s no longer holds %q once: update ent/entc.go", file, e[0])
			}
			text = strings.Replace(text, e[0], e[1], 1)
		}
		return gen.MustParse(gen.NewTemplate("client-paging/" + file).Funcs(entgql.TemplateFuncs).Parse(text))
	}
	pagination := patch("pagination.tmpl",
		[2]string{
			"ignoredEdges := !hasCollectedField(ctx, edgesField)",
			"ignoredEdges := !hasCollectedField(ctx, edgesField) && !hasCollectedField(ctx, pageInfoField)",
		},
		[2]string{
			"if {{ $r }}, err = pager.applyFilter({{ $r }}); err != nil {",
			"if err := fitCursors(after, before, pager.order.Field == Default{{ $order }}.Field, " +
				"func() (any, error) { return pager.order.Field.Value(&{{ $name }}{}) }); err != nil {\n" +
				"return nil, err\n}\n" +
				"if {{ $r }}, err = pager.applyFilter({{ $r }}); err != nil {",
		})
	collection := patch("collection.tmpl",
		[2]string{
			"ignoredEdges := !hasCollectedField(ctx, append(path, edgesField)...)",
			"ignoredEdges := !hasCollectedField(ctx, append(path, edgesField)...) && !hasCollectedField(ctx, append(path, pageInfoField)...)",
		},
		[2]string{
			"if query, err = pager.applyFilter(query); err != nil {",
			"if err := fitCursors(args.after, args.before, pager.order.Field == Default{{ $tnames.Order }}.Field, " +
				"func() (any, error) { return pager.order.Field.Value(&{{ $tname }}{}) }); err != nil {\n" +
				"return err\n}\n" +
				"if query, err = pager.applyFilter(query); err != nil {",
		})
	check, err := gen.NewTemplate("pagecursor").ParseFiles("./ent/template/pagecursor.tmpl")
	if err != nil {
		log.Fatalf("parsing the cursor-check template: %v", err)
	}
	return []*gen.Template{pagination, collection, check}
}
