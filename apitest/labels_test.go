package apitest

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"wisselaar/internal/labels"
	"wisselaar/internal/testutil"
)

// TestEveryEnumFieldHasALabel reads the schema by introspection: every
// field of an entity (a Node) whose type is an enum has a sibling
// …Label(lang:) (…Labels for a list), and the labelled enums' values are
// exactly those internal/labels has words for.
func TestEveryEnumFieldHasALabel(t *testing.T) {
	s := testutil.NewServer(t, testutil.EmptyPostgres(t), nil)
	type typeRef struct {
		Kind, Name string
		OfType     *typeRef
	}
	var data struct {
		Schema struct {
			Types []struct {
				Name, Kind string
				Interfaces []struct{ Name string }
				Fields     []struct {
					Name string
					Args []struct{ Name string }
					Type typeRef
				}
				EnumValues []struct{ Name string }
			}
		} `json:"__schema"`
	}
	s.Query(t, "", `{ __schema { types { name kind interfaces { name }
		fields { name args { name } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
		enumValues { name } } } }`, nil).Decode(t, &data)

	enumValues := map[string][]string{}
	for _, typ := range data.Schema.Types {
		if typ.Kind == "ENUM" {
			for _, v := range typ.EnumValues {
				enumValues[typ.Name] = append(enumValues[typ.Name], v.Name)
			}
		}
	}
	unwrap := func(r typeRef) (name string, list bool) {
		for r.Kind == "NON_NULL" || r.Kind == "LIST" {
			list = list || r.Kind == "LIST"
			r = *r.OfType
		}
		return r.Name, list
	}
	var missing []string
	for _, typ := range data.Schema.Types {
		if typ.Kind != "OBJECT" || !slices.ContainsFunc(typ.Interfaces, func(i struct{ Name string }) bool { return i.Name == "Node" }) {
			continue
		}
		fields := map[string][]string{}
		for _, f := range typ.Fields {
			for _, a := range f.Args {
				fields[f.Name] = append(fields[f.Name], a.Name)
			}
			if _, ok := fields[f.Name]; !ok {
				fields[f.Name] = nil
			}
		}
		for _, f := range typ.Fields {
			enum, list := unwrap(f.Type)
			if _, isEnum := enumValues[enum]; !isEnum {
				continue
			}
			label := f.Name + "Label"
			if list {
				label += "s"
			}
			if args, ok := fields[label]; !ok || !slices.Contains(args, "lang") {
				missing = append(missing, typ.Name+"."+label+"(lang:)")
			}
			if _, ok := labels.Enums()[enum]; !ok {
				missing = append(missing, "labels of "+enum+" in internal/labels")
			}
		}
	}
	for enum, values := range labels.Enums() {
		want := enumValues[enum]
		sort.Strings(want)
		sort.Strings(values)
		if !slices.Equal(values, want) {
			missing = append(missing, "internal/labels has "+enum+" "+strings.Join(values, ",")+"; the schema "+strings.Join(want, ","))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		t.Fatalf("enum fields without labels (add the words to internal/labels and the field to graph/labels.graphql):\n%s",
			strings.Join(slices.Compact(missing), "\n"))
	}
}

// TestLabels reads labels as the portal would, in both languages and by
// default in Dutch.
func TestLabels(t *testing.T) {
	s := testutil.NewServer(t, testutil.ScenarioPostgres(t), nil)
	var data struct {
		Municipalities struct {
			Edges []struct {
				Node struct{ Name, Province, ProvinceLabel, En string }
			}
		}
		Themes struct {
			Edges []struct {
				Node struct{ Code, Name, NameEn, Nl, En string }
			}
		}
		Grants struct {
			Edges []struct {
				Node struct {
					Status, StatusLabel, En string
					Trajectory              struct {
						Status, StatusLabel, Form, FormLabel, FormEn string
					}
				}
			}
		}
	}
	s.Query(t, "ministry", `{
		municipalities(first: 50) { edges { node { name province provinceLabel en: provinceLabel(lang: EN) } } }
		themes(first: 50) { edges { node { code name nameEn nl: name(lang: NL) en: name(lang: EN) } } }
		grants(first: 50) { edges { node { status statusLabel en: statusLabel(lang: EN)
			trajectory { status statusLabel form formLabel formEn: formLabel(lang: EN) } } } }
	}`, nil).Decode(t, &data)

	if len(data.Municipalities.Edges) == 0 || len(data.Themes.Edges) == 0 || len(data.Grants.Edges) == 0 {
		t.Fatalf("scenario too thin: %+v", data)
	}
	for _, e := range data.Municipalities.Edges {
		n := e.Node
		if n.ProvinceLabel != labels.Of("MunicipalityProvince", n.Province, labels.NL) || n.En != labels.Of("MunicipalityProvince", n.Province, labels.EN) || n.ProvinceLabel == n.Province && n.Province != "LIMBURG" {
			t.Errorf("%s: province %s labelled %q / %q", n.Name, n.Province, n.ProvinceLabel, n.En)
		}
	}
	for _, e := range data.Themes.Edges {
		n := e.Node
		if n.Nl != n.Name || n.En != n.NameEn || n.Name == n.NameEn {
			t.Errorf("theme %s: name %q, name(NL) %q, name(EN) %q, nameEn %q", n.Code, n.Name, n.Nl, n.En, n.NameEn)
		}
	}
	seen := map[string]bool{}
	for _, e := range data.Grants.Edges {
		n := e.Node
		seen[n.Status] = true
		if n.StatusLabel != labels.Of("GrantStatus", n.Status, labels.NL) || n.En != labels.Of("GrantStatus", n.Status, labels.EN) || n.StatusLabel == n.Status {
			t.Errorf("grant status %s labelled %q / %q", n.Status, n.StatusLabel, n.En)
		}
		tr := n.Trajectory
		if tr.StatusLabel != labels.Of("TrajectoryStatus", tr.Status, labels.NL) || tr.FormLabel != labels.Of("TrajectoryTrajectoryForm", tr.Form, labels.NL) ||
			tr.FormEn != labels.Of("TrajectoryTrajectoryForm", tr.Form, labels.EN) || tr.StatusLabel == tr.Status {
			t.Errorf("trajectory %s/%s labelled %q, %q / %q", tr.Status, tr.Form, tr.StatusLabel, tr.FormLabel, tr.FormEn)
		}
	}
	// A concrete pair, so that the test does not only agree with itself.
	if seen["APPROVED"] {
		for _, e := range data.Grants.Edges {
			if e.Node.Status == "APPROVED" && (e.Node.StatusLabel != "Goedgekeurd" || e.Node.En != "Approved") {
				t.Errorf("APPROVED labelled %q / %q", e.Node.StatusLabel, e.Node.En)
			}
		}
	}
}
