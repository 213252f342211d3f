//go:build ignore

// This program generates the ent client and the GraphQL schema of the ent
// types (graph/ent.graphql). It runs from the module root through
// generate.go: `go generate ./...`.
package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
	"github.com/vektah/gqlparser/v2/ast"

	"wisselaar/ent/schemadoc"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithConfigPath("./gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("./graph/ent.graphql"),
		entgql.WithWhereInputs(true),
		entgql.WithSchemaHook(nonNullLists, describe),
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
			gen.FeatureVersionedMigration,
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
// the changes that client tools need, made by exact text replacement in
// entgql's own template files (so that an upgrade of entgql that moves the
// text fails here, loudly, instead of silently dropping a change), and the
// template of the cursor check they call:
//
//   - A cursor must fit the ordering it is used with (fitCursors, package
//     internal/pagecursor): one from an ordering on another field, from
//     the ID order, or one altered in a way that still decodes, is
//     BAD_USER_INPUT instead of a database error or an odd page.
//   - first and last together, or a negative one, are BAD_USER_INPUT (also
//     in a nested connection, which is loaded before its resolver runs),
//     instead of INTERNAL and the undocumented INVALID_PAGINATION.
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
			"const errInvalidPagination = \"INVALID_PAGINATION\"",
			"const errInvalidPagination = \"BAD_USER_INPUT\"",
		},
		[2]string{
			"Message: \"Passing both `first` and `last` to paginate a connection is not supported.\",",
			"Message: \"give first (with after) or last (with before), not both\",\n" +
				"Extensions: map[string]any{\"code\": errInvalidPagination, \"field\": \"last\"},",
		},
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

// nonNullLists makes non-null what the server never returns null, so that
// typed clients need no null checks there: a connection's edges and each
// edge in it, an edge's node, and the lists of related things (an empty
// list when there is none, or none the viewer may read).
func nonNullLists(g *gen.Graph, s *ast.Schema) error {
	for _, def := range s.Types {
		if def.Kind != ast.Object {
			continue
		}
		for _, f := range def.Fields {
			switch {
			case strings.HasSuffix(def.Name, "Connection") && f.Name == "edges" && f.Type.Elem != nil:
				f.Type = ast.NonNullListType(ast.NonNullNamedType(f.Type.Elem.NamedType, nil), nil)
			case strings.HasSuffix(def.Name, "Edge") && f.Name == "node":
				f.Type = ast.NonNullNamedType(f.Type.NamedType, nil)
			}
		}
	}
	for _, n := range g.Nodes {
		def := s.Types[n.Name]
		if def == nil {
			continue
		}
		for _, e := range n.Edges {
			if e.Unique {
				continue
			}
			if f := def.Fields.ForName(camel(e.Name)); f != nil && f.Type.Elem != nil && !f.Type.NonNull {
				f.Type = ast.NonNullListType(f.Type.Elem, nil)
			}
		}
	}
	return nil
}

// camel turns an ent name (snake case) into its GraphQL field name.
func camel(name string) string {
	parts := strings.Split(name, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// words turns a field name (camel case or SCREAMING_SNAKE) into lower-case
// words: plannedStart and PLANNED_START both give "planned start".
func words(name string) string {
	if strings.ToUpper(name) == name {
		return strings.ReplaceAll(strings.ToLower(name), "_", " ")
	}
	var b strings.Builder
	for i, r := range name {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

// predicates describes where-input fields by their suffix, longest first.
var predicates = []struct{ suffix, text string }{
	{"ContainsFold", "%s contains the value, ignoring case."},
	{"EqualFold", "%s equals the value, ignoring case."},
	{"HasPrefix", "%s starts with the value."},
	{"HasSuffix", "%s ends with the value."},
	{"Contains", "%s contains the value."},
	{"NotIn", "%s is none of the values."},
	{"NotNil", "%s is set."},
	{"IsNil", "%s is not set."},
	{"NEQ", "%s differs from the value."},
	{"GTE", "%s is at least the value."},
	{"LTE", "%s is at most the value."},
	{"GT", "%s is greater than (or later than) the value."},
	{"LT", "%s is less than (or earlier than) the value."},
	{"In", "%s is one of the values."},
}

// describe gives a description to everything entgql generates without one:
// the entity types, enums and edges from package schemadoc, and the
// mechanical parts (where-input predicates, order fields, connection
// arguments, IDs) by rule.
func describe(_ *gen.Graph, s *ast.Schema) error {
	for name, def := range s.Types {
		if d, ok := schemadoc.Types[name]; ok {
			def.Description = d
		}
		for _, v := range def.EnumValues {
			if d, ok := schemadoc.EnumValues[name][v.Name]; ok {
				v.Description = d
			} else if v.Description == "" && strings.HasSuffix(name, "OrderField") {
				v.Description = "Order by " + words(v.Name) + ", then by ID."
			}
		}
		for _, f := range def.Fields {
			if d, ok := schemadoc.Fields[name+"."+f.Name]; ok {
				f.Description = d
			}
			if f.Description == "" && f.Name == "id" {
				f.Description = "The global ID: opaque, for node(id:) and for the ID arguments of mutations."
			}
			for _, a := range f.Arguments {
				if a.Description == "" {
					a.Description = argument(a.Name)
				}
			}
		}
		if strings.HasSuffix(name, "WhereInput") {
			for _, f := range def.Fields {
				if f.Description == "" || strings.HasSuffix(f.Description, " field predicates") || strings.HasSuffix(f.Description, " edge predicates") {
					f.Description = predicate(f.Name)
				}
			}
		}
	}
	return nil
}

// argument describes a standard argument of entgql's fields.
func argument(name string) string {
	switch name {
	case "after":
		return "Returns the elements after this cursor (from edges.cursor or pageInfo.endCursor of the same query)."
	case "before":
		return "Returns the elements before this cursor (from edges.cursor or pageInfo.startCursor of the same query)."
	case "first":
		return "Returns the first n elements (at most 500; 100 when neither first nor last is given)."
	case "last":
		return "Returns the last n elements (at most 500); not together with first."
	case "orderBy":
		return "The order of the elements; by ID when absent."
	case "where":
		return "Only the elements that match this filter."
	}
	return ""
}

// predicate describes a where-input field by its name.
func predicate(name string) string {
	switch name {
	case "not":
		return "Matches what the filter inside does not match."
	case "and":
		return "Matches what every filter in the list matches."
	case "or":
		return "Matches what at least one filter in the list matches."
	}
	if strings.HasPrefix(name, "has") {
		edge := strings.TrimPrefix(name, "has")
		if rest, ok := strings.CutSuffix(edge, "With"); ok {
			return "Has " + words(rest) + " (among those the viewer may read) matching at least one of the filters."
		}
		return "Has " + words(edge) + " (among those the viewer may read)."
	}
	for _, p := range predicates {
		if field, ok := strings.CutSuffix(name, p.suffix); ok && field != "" {
			return fmt.Sprintf(p.text, "The "+words(field))
		}
	}
	return "The " + words(name) + " equals the value."
}
