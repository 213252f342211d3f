package apitest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"wisselaar/internal/opendata"
	"wisselaar/internal/testutil"
)

// compileFeedSchema compiles the schema the server serves beside the feed.
func compileFeedSchema(t *testing.T, raw []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("grants.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("grants.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// TestOpenDataFeed reads the open-data feed anonymously: it validates
// against the schema served beside it and lists the eleven published
// trajectories with their awarded amounts.
func TestOpenDataFeed(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), map[string]string{"OPEN_DATA_PREFIX": "360G-test"})
	resp, schema := get(t, s, "", "/open-data/grants.schema.json", nil)
	if resp.StatusCode != 200 || !bytes.Equal(schema, opendata.Schema) {
		t.Fatalf("schema: %d", resp.StatusCode)
	}
	sch := compileFeedSchema(t, schema)
	resp, body := get(t, s, "", "/open-data/grants.json", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("feed: %d %s", resp.StatusCode, body)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("the feed does not validate: %v", err)
	}
	var feed struct {
		Grants []struct {
			ID, Title, Description string
			AmountAwarded          json.Number
			RecipientOrganization  []struct{ Name string }
			BeneficiaryLocation    []struct{ GeoCode string }
		}
	}
	if err := json.Unmarshal(body, &feed); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Mechelen → 24062": "21746.00", "Mechelen → 23088": "19446.00", "Mechelen → 13003": "23965.00",
		"Mechelen → 45041": "23965.00", "Roeselare → 34022": "13435.00", "Kortrijk → 36015": "10214.00",
		"Kortrijk → 13031": "37226.00", "Oostende → 13004": "5845.00", "Beerse → 23044": "8781.00",
		"Deinze → 31005": "34000.00", "Mechelen → 44083": "13922.00",
	}
	got := map[string]string{}
	for _, g := range feed.Grants {
		got[g.RecipientOrganization[0].Name+" → "+g.BeneficiaryLocation[0].GeoCode] = g.AmountAwarded.String()
		if !strings.HasPrefix(g.ID, "360G-test-") || g.Description == "" {
			t.Errorf("grant %s: %q", g.ID, g.Description)
		}
	}
	if len(feed.Grants) != 11 || len(got) != 11 {
		t.Errorf("%d grants in the feed, want 11", len(feed.Grants))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: awarded %q, want %s", k, got[k], v)
		}
	}
	// A feed that breaks the schema is refused by the same check.
	broken := bytes.Replace(body, []byte(`"currency": "EUR"`), []byte(`"currency": "euro"`), 1)
	doc, _ = jsonschema.UnmarshalJSON(bytes.NewReader(broken))
	if sch.Validate(doc) == nil {
		t.Error("a feed with a wrong currency validates")
	}
}

// TestPublishTrajectory: the coordinator publishes a completed trajectory
// with an awarded grant; anyone reads it in the catalogue and the feed; no
// one else may publish, and a trajectory without an awarded grant is not
// published.
func TestPublishTrajectory(t *testing.T) {
	s := testutil.NewServer(t, testutil.ScenarioPostgres(t), nil)
	var catalogue struct {
		PublishedTrajectories []struct {
			ID, Title, Summary, Awarded string
			Giving                      struct{ Name string }
			Call                        struct{ Year int }
			Themes                      []struct{ Code string }
		}
	}
	const list = `query($y: Int) { publishedTrajectories(year: $y) { id title summary awarded giving { name } call { year } themes { code } } }`
	s.Query(t, "", list, nil).Decode(t, &catalogue)
	before := len(catalogue.PublishedTrajectories)
	if before != 11 {
		t.Fatalf("anonymous catalogue: %d trajectories, want the 11 of the demo data", before)
	}
	s.Query(t, "", list, map[string]any{"y": 2022}).Decode(t, &catalogue)
	if len(catalogue.PublishedTrajectories) != 4 || catalogue.PublishedTrajectories[0].Awarded != "21746.00" {
		t.Errorf("2022 catalogue: %+v", catalogue.PublishedTrajectories)
	}

	// The scenario's running trajectory with an APPROVED grant, completed
	// first by its giving side.
	var all struct {
		Trajectories struct {
			Edges []struct {
				Node struct {
					ID, Title, Status string
					Grant             *struct{ Status string }
				}
			}
		}
	}
	s.Query(t, "vvsg", `{ trajectories(first: 100) { edges { node { id title status grant { status } } } } }`, nil).Decode(t, &all)
	ids := map[string]string{}
	for _, e := range all.Trajectories.Edges {
		ids[e.Node.Title] = e.Node.ID
	}
	running, agreed := ids["Uithuiszettingen voorkomen met de vrederechter"], ids["Armoedetoets bij nieuw beleid"]
	publish := `mutation($id: ID!, $s: String!) { publishTrajectory(input: {trajectoryID: $id, publicSummary: $s}) { trajectory { id publicSummary publishedAt } } }`
	if r := s.Query(t, "vvsg", publish, map[string]any{"id": running, "s": "Deinze deelde zijn aanpak."}); r.Code() != "CONFLICT" {
		t.Errorf("publishing a running trajectory: %+v", r.Errors)
	}
	if r := s.Query(t, "deinze", `mutation($id: ID!) { completeTrajectory(input: {trajectoryID: $id, evaluationReport: "Goed verlopen."}) { trajectory { status } } }`,
		map[string]any{"id": running}); len(r.Errors) > 0 {
		t.Fatalf("complete: %+v", r.Errors)
	}
	for _, tt := range []struct{ login, id, summary, code, field string }{
		{"deinze", running, "Een samenvatting.", "FORBIDDEN", ""},
		{"ministry", running, "Een samenvatting.", "FORBIDDEN", ""},
		{"analyst", running, "Een samenvatting.", "FORBIDDEN", ""},
		{"", running, "Een samenvatting.", "UNAUTHENTICATED", ""},
		{"vvsg", running, "   ", "BAD_USER_INPUT", "publicSummary"},
		{"vvsg", agreed, "Nog niet beslist.", "CONFLICT", ""},
	} {
		r := s.Query(t, tt.login, publish, map[string]any{"id": tt.id, "s": tt.summary})
		if r.Code() != tt.code || (tt.field != "" && r.Errors[0].Extensions["field"] != tt.field) {
			t.Errorf("%q publishes: %+v, want %s", tt.login, r.Errors, tt.code)
		}
	}
	s.Query(t, "", list, nil).Decode(t, &catalogue)
	if len(catalogue.PublishedTrajectories) != before {
		t.Fatalf("a refused publication changed the catalogue")
	}

	var out struct {
		PublishTrajectory struct {
			Trajectory struct {
				PublicSummary string
				PublishedAt   *string
			}
		}
	}
	s.Query(t, "vvsg", publish, map[string]any{"id": running, "s": "Deinze deelde zijn aanpak om uithuiszettingen te voorkomen."}).Decode(t, &out)
	if out.PublishTrajectory.Trajectory.PublishedAt == nil {
		t.Fatalf("published: %+v", out)
	}
	s.Query(t, "", list, nil).Decode(t, &catalogue)
	var found bool
	for _, p := range catalogue.PublishedTrajectories {
		if p.ID == running {
			found = p.Summary == "Deinze deelde zijn aanpak om uithuiszettingen te voorkomen." && p.Awarded == "20000.00" && p.Giving.Name == "Deinze"
		}
	}
	if !found || len(catalogue.PublishedTrajectories) != before+1 {
		t.Errorf("the published trajectory is not in the anonymous catalogue: %+v", catalogue.PublishedTrajectories)
	}
	_, body := get(t, s, "", "/open-data/grants.json", nil)
	if !strings.Contains(string(body), `"amountAwarded": 20000.00`) {
		t.Errorf("the feed does not list the newly published grant")
	}
	// Anonymous callers still read no trajectory itself.
	if r := s.Query(t, "", `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": running}); r.Code() != "UNAUTHENTICATED" && string(r.Data) != `{"node":null}` {
		t.Errorf("anonymous node of a published trajectory: %s %+v", r.Data, r.Errors)
	}
}
