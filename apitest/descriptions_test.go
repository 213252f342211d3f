package apitest

import (
	"sort"
	"strings"
	"testing"

	"wisselaar/internal/testutil"
)

// TestEverythingInTheSchemaIsDescribed reads the schema as client tools
// do, by introspection, and fails on any type, field, argument, input
// field or enum value without a description: GraphiQL, the generated
// clients and the portal team read the contract there. Whoever adds to the
// schema (ent/schema's Comment and annotations, the .graphql files) adds
// the description with it.
func TestEverythingInTheSchemaIsDescribed(t *testing.T) {
	s := testutil.NewServer(t, testutil.EmptyPostgres(t), nil)
	var data struct {
		Schema struct {
			Types []struct {
				Name, Kind, Description string
				Fields                  []struct {
					Name, Description string
					Args              []struct{ Name, Description string }
				}
				InputFields []struct{ Name, Description string }
				EnumValues  []struct{ Name, Description string }
			}
		} `json:"__schema"`
	}
	s.Query(t, "", `{ __schema { types { name kind description
		fields(includeDeprecated: true) { name description args { name description } }
		inputFields { name description }
		enumValues(includeDeprecated: true) { name description } } } }`, nil).Decode(t, &data)

	var missing []string
	blank := func(d string) bool { return strings.TrimSpace(d) == "" }
	for _, typ := range data.Schema.Types {
		if strings.HasPrefix(typ.Name, "__") {
			continue
		}
		if blank(typ.Description) {
			missing = append(missing, typ.Name)
		}
		for _, f := range typ.Fields {
			if blank(f.Description) {
				missing = append(missing, typ.Name+"."+f.Name)
			}
			for _, a := range f.Args {
				if blank(a.Description) {
					missing = append(missing, typ.Name+"."+f.Name+"("+a.Name+")")
				}
			}
		}
		for _, f := range typ.InputFields {
			if blank(f.Description) {
				missing = append(missing, typ.Name+"."+f.Name)
			}
		}
		for _, v := range typ.EnumValues {
			if blank(v.Description) {
				missing = append(missing, typ.Name+"."+v.Name)
			}
		}
	}
	if len(data.Schema.Types) < 20 {
		t.Fatalf("introspection gave %d types; is it off?", len(data.Schema.Types))
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d things in the schema have no description:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}
