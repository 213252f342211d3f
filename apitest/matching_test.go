package apitest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"wisselaar/domain"
	"wisselaar/ent/municipality"
	"wisselaar/ent/theme"
	"wisselaar/ent/viewer"
	"wisselaar/graph/scalar"
	"wisselaar/internal/db"
	"wisselaar/internal/process"
	"wisselaar/internal/testutil"
)

// api is a test's view of the server: each call must succeed, or answer the
// code the test expects.
type api struct {
	t *testing.T
	s *testutil.Server
}

// do runs an operation as login and returns its data; it fails the test on
// any error.
func (a api) do(login, query string, vars map[string]any) jsonObject {
	a.t.Helper()
	r := a.s.Query(a.t, login, query, vars)
	if len(r.Errors) > 0 {
		a.t.Fatalf("%s: %s: %+v", login, strings.Fields(query)[0:2], r.Errors)
	}
	var d jsonObject
	if err := json.Unmarshal(r.Data, &d); err != nil {
		a.t.Fatal(err)
	}
	return d
}

// refused runs an operation as login and checks it answers code (with
// extensions.field naming field, when given).
func (a api) refused(login, query string, vars map[string]any, code, field string) {
	a.t.Helper()
	r := a.s.Query(a.t, login, query, vars)
	if r.Code() != code || field != "" && (len(r.Errors) == 0 || r.Errors[0].Extensions["field"] != field) {
		a.t.Errorf("%s %v: got %+v, want %s (field %q)", login, vars, r.Errors, code, field)
	}
}

// ids of the demo data a matching test needs.
type demoIDs struct {
	municipality map[string]string // NIS code → ID
	theme        map[string]string // code → ID
	openCall     string
}

func (a api) demo() demoIDs {
	a.t.Helper()
	d := a.do("", `{ municipalities(first: 50) { edges { node { id nisCode } } } themes { edges { node { id code } } }
		calls(orderBy: {field: YEAR, direction: DESC}, first: 1) { edges { node { id year } } } }`, nil)
	ids := demoIDs{municipality: map[string]string{}, theme: map[string]string{}}
	for _, e := range d.at("municipalities.edges").([]any) {
		n := jsonObject(e.(map[string]any)["node"].(map[string]any))
		ids.municipality[n.at("nisCode").(string)] = n.at("id").(string)
	}
	for _, e := range d.at("themes.edges").([]any) {
		n := jsonObject(e.(map[string]any)["node"].(map[string]any))
		ids.theme[n.at("code").(string)] = n.at("id").(string)
	}
	ids.openCall = d.at("calls.edges.0.node.id").(string)
	return ids
}

const (
	registerNeed  = `mutation($i: RegisterNeedInput!) { registerNeed(input: $i) { need { id status themes { code } } } }`
	registerOffer = `mutation($i: RegisterOfferInput!) { registerOffer(input: $i) { offer { id status forms } } }`
	suggestions   = `query($n: ID!) { matchSuggestions(needID: $n, first: 3) { score offer { id municipality { name } mentors { name } }
		components { name weight value contribution explanation } } }`
	proposeMatch = `mutation($i: ProposeMatchInput!) { proposeMatch(input: $i) { trajectory { id status form plannedStart plannedEnd
		offerHoursPerWeek giving { name } receiving { name } themes { code } } } }`
	accept       = `mutation($i: AcceptTrajectoryInput!) { acceptTrajectory(input: $i) { trajectory { status } } }`
	decline      = `mutation($i: DeclineTrajectoryInput!) { declineTrajectory(input: $i) { trajectory { status declineReason } } }`
	statusOf     = `query($id: ID!) { node(id: $id) { ... on Offer { status } ... on Need { status } } }`
	withdrawNeed = `mutation($i: WithdrawNeedInput!) { withdrawNeed(input: $i) { need { status } } }`
)

func input(m map[string]any) map[string]any { return map[string]any{"i": m} }

// TestMatchingStory is the coordinator's half of the programme, through
// /graphql, on both databases: Balen needs impact measurement and
// participation; the coordinator asks for suggestions, and Beerse's offer
// (both themes, same province, capacity free) comes first, with the reasons;
// the match is proposed, accepted by both sides, and goes through the grant
// process to a submitted application; need and offer are MATCHED. A decline
// returns both to OPEN.
func TestMatchingStory(t *testing.T) {
	databases(t, func(t *testing.T, d *db.DB) {
		a := api{t, testutil.NewServer(t, d, nil)}
		ids := a.demo()
		start := time.Now().AddDate(0, 1, 0)
		need := a.do("balen", registerNeed, input(map[string]any{
			"municipalityID": ids.municipality["13003"],
			"themeIDs":       []string{ids.theme["IMPACT_MEASUREMENT"], ids.theme["PARTICIPATION"]},
			"description":    "We willen armoede aanpakken samen met ervaringsdeskundigen en meten wat het oplevert.",
			"topics":         []string{"ervaringsdeskundigen"},
			"desiredStart":   start.Format("2006-01-02"), "desiredEnd": start.AddDate(0, 4, 0).Format("2006-01-02"),
		})).at("registerNeed.need.id").(string)

		s := a.do("vvsg", suggestions, map[string]any{"n": need})
		best := jsonObject(s.at("matchSuggestions.0").(map[string]any))
		if best.at("offer.municipality.name") != "Beerse" || best.at("components.0.name") != "THEMES" || best.at("components.0.value") != 1.0 {
			t.Fatalf("best suggestion: %v", best)
		}
		var sum float64
		for _, c := range best.at("components").([]any) {
			sum += c.(map[string]any)["contribution"].(float64)
		}
		if score := best.at("score").(float64); score < 0.8 || score > 1 || sum-score > 1e-9 || score-sum > 1e-9 {
			t.Errorf("score %v, components sum %v", score, sum)
		}
		if best.at("offer.mentors.0.name") != "Lotte Verhoeven" {
			t.Errorf("the coordinator reads who could go: %v", best.at("offer.mentors"))
		}
		if second := s.at("matchSuggestions.1.score").(float64); second > best.at("score").(float64) {
			t.Errorf("suggestions are not best first: %v", s)
		}
		offer := best.at("offer.id").(string)

		tr := a.do("vvsg", proposeMatch, input(map[string]any{"offerID": offer, "needID": need, "callID": ids.openCall,
			"title": "Participatie en impactmeting in Balen"}))
		traj := jsonObject(tr.at("proposeMatch.trajectory").(map[string]any))
		if traj.at("status") != "PROPOSED" || traj.at("giving.name") != "Beerse" || traj.at("receiving.name") != "Balen" ||
			traj.at("offerHoursPerWeek") != 19.0 || len(traj.at("themes").([]any)) != 2 || traj.at("form") != "MENTORING" ||
			traj.at("plannedStart") != start.Format("2006-01-02") {
			t.Fatalf("proposed trajectory: %v", traj)
		}
		id := traj.at("id").(string)
		// A need waits for one answer at a time.
		a.refused("vvsg", proposeMatch, input(map[string]any{"offerID": offer, "needID": need, "callID": ids.openCall, "title": "Again"}), "CONFLICT", "")

		if st := a.do("balen", accept, input(map[string]any{"trajectoryID": id})).at("acceptTrajectory.trajectory.status"); st != "PROPOSED" {
			t.Fatalf("after one side accepted: %v", st)
		}
		a.refused("balen", accept, input(map[string]any{"trajectoryID": id}), "CONFLICT", "")
		if st := a.do("beerse", accept, input(map[string]any{"trajectoryID": id})).at("acceptTrajectory.trajectory.status"); st != "MATCHED" {
			t.Fatalf("after both accepted: %v", st)
		}
		for login, thing := range map[string]string{"balen": need, "vvsg": offer} {
			if st := a.do(login, statusOf, map[string]any{"id": thing}).at("node.status"); st != "MATCHED" {
				t.Errorf("%s reads %s as %v, want MATCHED", login, thing, st)
			}
		}
		// The matched trajectory is MATCHED for both sides and the
		// coordinator.
		for _, login := range []string{"balen", "beerse", "vvsg"} {
			if st := a.do(login, `query($id: ID!) { node(id: $id) { ... on Trajectory { status } } }`, map[string]any{"id": id}).at("node.status"); st != "MATCHED" {
				t.Errorf("%s reads the trajectory as %v", login, st)
			}
		}

		// The grant process: Beerse assigns its mentor, both sign, Beerse
		// applies.
		m := a.do("beerse", `{ mentors { edges { node { id name } } } }`, nil)
		var mentor string
		for _, e := range m.at("mentors.edges").([]any) {
			n := e.(map[string]any)["node"].(map[string]any)
			if n["name"] == "Lotte Verhoeven" {
				mentor = n["id"].(string)
			}
		}
		a.do("beerse", assignMentorOp, map[string]any{"input": map[string]any{"trajectoryID": id, "mentorID": mentor, "plannedWeeklyHours": 19}})
		a.do("balen", signAgreementOp, map[string]any{"input": map[string]any{"trajectoryID": id}})
		a.do("beerse", signAgreementOp, map[string]any{"input": map[string]any{"trajectoryID": id}})
		g := a.do("beerse", submitOp, map[string]any{"input": map[string]any{"trajectoryID": id}})
		if g.at("submitGrantApplication.grant.status") != "RESERVED" {
			t.Errorf("application: %v", g)
		}

		// Another need of Balen, proposed to Roeselare, accepted, then
		// declined: both return to OPEN, and the reason is the parties'.
		need2 := a.do("balen", registerNeed, input(map[string]any{
			"municipalityID": ids.municipality["13003"], "themeIDs": []string{ids.theme["DATA_AND_TOOLS"]},
			"description":  "Werken met cijfers over onze cliënten.",
			"desiredStart": start.Format("2006-01-02"), "desiredEnd": start.AddDate(0, 3, 0).Format("2006-01-02"),
		})).at("registerNeed.need.id").(string)
		roeselare := a.do("vvsg", suggestions, map[string]any{"n": need2}).at("matchSuggestions.0.offer.id").(string)
		id2 := a.do("vvsg", proposeMatch, input(map[string]any{"offerID": roeselare, "needID": need2, "callID": ids.openCall,
			"title": "Cijfers in Balen", "hoursPerWeek": 5})).at("proposeMatch.trajectory.id").(string)
		a.do("balen", accept, input(map[string]any{"trajectoryID": id2}))
		a.do("roeselare", accept, input(map[string]any{"trajectoryID": id2}))
		if st := a.do("vvsg", statusOf, map[string]any{"id": roeselare}).at("node.status"); st != "OPEN" {
			t.Errorf("an offer with hours left after a match: %v, want OPEN", st)
		}
		dec := a.do("roeselare", decline, input(map[string]any{"trajectoryID": id2, "reason": "Geen mentor vrij in die periode."}))
		if dec.at("declineTrajectory.trajectory.status") != "DECLINED" || dec.at("declineTrajectory.trajectory.declineReason") != "Geen mentor vrij in die periode." {
			t.Errorf("decline: %v", dec)
		}
		if st := a.do("balen", statusOf, map[string]any{"id": need2}).at("node.status"); st != "OPEN" {
			t.Errorf("a need whose match was declined: %v, want OPEN", st)
		}
		if reason := a.do("analyst", `query($id: ID!) { node(id: $id) { ... on Trajectory { declineReason } } }`, map[string]any{"id": id2}).at("node.declineReason"); reason != nil {
			t.Errorf("an analyst reads the decline reason: %v", reason)
		}
		a.refused("balen", accept, input(map[string]any{"trajectoryID": id2}), "CONFLICT", "")
	})
}

// TestMatchingBadInput checks the refusals of the coordinator's side: each
// with its code and field, and nothing changed.
func TestMatchingBadInput(t *testing.T) {
	a := api{t, testutil.NewServer(t, testutil.SeededPostgres(t), nil)}
	ids := a.demo()
	today := time.Now().Format("2006-01-02")
	later := time.Now().AddDate(0, 3, 0).Format("2006-01-02")
	offer := func(change map[string]any) map[string]any {
		in := map[string]any{
			"municipalityID": ids.municipality["12025"], "themeIDs": []string{ids.theme["PARTICIPATION"]},
			"description": "Participatie.", "forms": []string{"MENTORING"}, "capacityHoursPerWeek": 10,
			"availableFrom": today, "availableUntil": later,
		}
		for k, v := range change {
			in[k] = v
		}
		return input(in)
	}
	need := func(change map[string]any) map[string]any {
		in := map[string]any{
			"municipalityID": ids.municipality["24062"], "themeIDs": []string{ids.theme["PARTICIPATION"]},
			"description": "Participatie.", "desiredStart": today, "desiredEnd": later,
		}
		for k, v := range change {
			in[k] = v
		}
		return input(in)
	}
	count := func() string {
		out, _ := json.Marshal(a.do("vvsg", `{ offers { totalCount } needs { totalCount } }`, nil))
		return string(out)
	}
	before := count()
	a.refused("leuven", registerOffer, offer(nil), "FORBIDDEN", "")
	a.refused("vvsg", registerOffer, offer(nil), "FORBIDDEN", "")
	a.refused("mechelen", registerNeed, need(nil), "FORBIDDEN", "")
	a.refused("mechelen", registerOffer, offer(map[string]any{"availableUntil": "2020-01-01", "availableFrom": "2020-02-01"}), "BAD_USER_INPUT", "availableUntil")
	a.refused("mechelen", registerOffer, offer(map[string]any{"capacityHoursPerWeek": 0}), "BAD_USER_INPUT", "capacityHoursPerWeek")
	a.refused("mechelen", registerOffer, offer(map[string]any{"themeIDs": []string{ids.municipality["12025"]}}), "BAD_USER_INPUT", "themeIDs")
	a.refused("mechelen", registerOffer, offer(map[string]any{"description": "  "}), "BAD_USER_INPUT", "description")
	a.refused("mechelen", registerOffer, offer(map[string]any{"forms": []string{}}), "BAD_USER_INPUT", "forms")
	a.refused("leuven", registerNeed, need(map[string]any{"desiredEnd": "2020-01-01"}), "BAD_USER_INPUT", "desiredEnd")
	a.refused("leuven", registerNeed, need(map[string]any{"themeIDs": []string{}}), "BAD_USER_INPUT", "themeIDs")
	a.refused("leuven", registerNeed, need(map[string]any{"description": ""}), "BAD_USER_INPUT", "description")
	if after := count(); after != before {
		t.Errorf("refused registrations changed the offers and needs: %s → %s", before, after)
	}

	mechelenOffer := a.do("mechelen", registerOffer, offer(nil)).at("registerOffer.offer.id").(string)
	mechelenNeed := a.do("mechelen", registerNeed, need(map[string]any{"municipalityID": ids.municipality["12025"]})).at("registerNeed.need.id").(string)
	leuvenNeed := a.do("leuven", registerNeed, need(nil)).at("registerNeed.need.id").(string)
	a.refused("vvsg", proposeMatch, input(map[string]any{"offerID": mechelenOffer, "needID": mechelenNeed, "callID": ids.openCall, "title": "Self"}), "BAD_USER_INPUT", "needID")
	a.refused("vvsg", proposeMatch, input(map[string]any{"offerID": mechelenOffer, "needID": leuvenNeed, "callID": ids.openCall, "title": "Too much", "hoursPerWeek": 11}), "BAD_USER_INPUT", "hoursPerWeek")
	a.do("leuven", withdrawNeed, input(map[string]any{"needID": leuvenNeed}))
	a.refused("leuven", withdrawNeed, input(map[string]any{"needID": leuvenNeed}), "CONFLICT", "")
	a.refused("vvsg", proposeMatch, input(map[string]any{"offerID": mechelenOffer, "needID": leuvenNeed, "callID": ids.openCall, "title": "Withdrawn"}), "CONFLICT", "")
	a.refused("leuven", `query($n: ID!) { matchSuggestions(needID: $n) { score } }`, map[string]any{"n": leuvenNeed}, "FORBIDDEN", "")
	a.refused("brugge", `query($n: ID!) { matchSuggestions(needID: $n) { score } }`, map[string]any{"n": leuvenNeed}, "NOT_FOUND", "")
}

// TestNeedsStayWithTheirMunicipality: a municipality cannot read another's
// needs by any path — the list, node, search, a filter on a public list,
// suggestions — nor who could go on another's offer; the expertise map
// counts them, for everyone, and names no municipality.
func TestNeedsStayWithTheirMunicipality(t *testing.T) {
	a := api{t, testutil.NewServer(t, testutil.SeededPostgres(t), nil)}
	ids := a.demo()
	// Ronse's need, in the demo data, on automatic granting of rights.
	var ronse string
	for _, e := range a.do("vvsg", `{ needs(search: "automatisch") { edges { node { id municipality { nisCode } } } } }`, nil).at("needs.edges").([]any) {
		n := e.(map[string]any)["node"].(map[string]any)
		if n["municipality"].(map[string]any)["nisCode"] == "45041" {
			ronse = n["id"].(string)
		}
	}
	if ronse == "" {
		t.Fatal("the coordinator does not find Ronse's need")
	}
	if a.do("ronse", `{ needs { totalCount } }`, nil).at("needs.totalCount") != 1.0 {
		t.Error("Ronse does not read its own need")
	}
	// What each probe answers Brugge (which has a need of its own), an
	// analyst and a partner tool: only what they may read.
	probes := []struct {
		query       string
		brugge, any float64
	}{
		{`{ needs { totalCount } }`, 1, 0},
		{`{ needs(search: "automatisch toekennen") { totalCount } }`, 0, 0},
		{`{ municipalities(where: {hasNeedsWith: [{descriptionContains: "automatisch"}]}) { totalCount } }`, 0, 0},
		{`{ municipalities(where: {hasNeeds: true, nisCode: "45041"}) { totalCount } }`, 0, 0},
		{`{ municipalities(where: {nisCode: "45041"}) { edges { node { needs { totalCount } } } } }`, 0, 0},
	}
	for _, login := range []string{"brugge", "analyst", "partner"} {
		for _, p := range probes {
			want := p.any
			if login == "brugge" {
				want = p.brugge
			}
			d := a.do(login, p.query, nil)
			got := d.at(strings.Split(strings.Fields(p.query)[1], "(")[0] + ".totalCount")
			if got == nil {
				got = d.at("municipalities.edges.0.node.needs.totalCount")
			}
			if got != want {
				t.Errorf("%s: %s: %v, want %v", login, p.query, got, want)
			}
		}
		if n := a.do(login, statusOf, map[string]any{"id": ronse}).at("node"); n != nil {
			t.Errorf("%s reads Ronse's need by its ID: %v", login, n)
		}
	}
	a.refused("brugge", `query($n: ID!) { matchSuggestions(needID: $n) { score } }`, map[string]any{"n": ronse}, "NOT_FOUND", "")

	// Open offers are for every municipality, but who could go only for the
	// offering one, the coordinator and the ministry.
	mentors := `{ offers(search: "uithuiszettingen") { edges { node { municipality { name } mentors { name } } } } }`
	if m := a.do("brugge", mentors, nil).at("offers.edges.0.node.mentors"); len(m.([]any)) != 0 {
		t.Errorf("Brugge reads who could go on Deinze's offer: %v", m)
	}
	for _, login := range []string{"deinze", "vvsg", "ministry"} {
		if m := a.do(login, mentors, nil).at("offers.edges.0.node.mentors.0.name"); m != "Bart Van Hecke" {
			t.Errorf("%s does not read who could go: %v", login, m)
		}
	}
	a.refused("", `{ offers { totalCount } }`, nil, "UNAUTHENTICATED", "")
	if n := a.do("analyst", `{ offers { totalCount } }`, nil).at("offers.totalCount"); n != 0.0 {
		t.Errorf("an analyst reads %v offers", n)
	}

	// The map: public, counts only, per theme.
	m := a.do("", `{ expertiseMap { theme { code name } openOffers openNeeds offeredHoursPerWeek municipalitiesOffering municipalitiesNeeding trajectories } }`, nil)
	byCode := map[string]jsonObject{}
	for _, row := range m.at("expertiseMap").([]any) {
		byCode[row.(map[string]any)["theme"].(map[string]any)["code"].(string)] = row.(map[string]any)
	}
	if p := byCode["PARTICIPATION"]; p.at("openNeeds") != 2.0 || p.at("openOffers") != 1.0 || p.at("municipalitiesNeeding") != 2.0 ||
		p.at("offeredHoursPerWeek") != 19.0 || p.at("theme.name") == "" {
		t.Errorf("participation on the map: %v", p)
	}
	if r := byCode["RIGHTS_BASED"]; r.at("openNeeds") != 1.0 || r.at("trajectories") != 5.0 {
		t.Errorf("rights-based on the map: %v", r)
	}
	if y := a.do("", `{ expertiseMap(year: 2022) { theme { code } trajectories } }`, nil); y.at("expertiseMap.0.trajectories") == nil {
		t.Errorf("map of 2022: %v", y)
	}
	_ = ids
}

// TestSearch is the Dutch full-text search on both databases:
// "uithuiszettingen" finds the offer on eviction prevention (stemmed),
// results come most relevant first and page with cursors, and only text the
// viewer may read can match.
func TestSearch(t *testing.T) {
	databases(t, func(t *testing.T, d *db.DB) {
		a := api{t, testutil.NewServer(t, d, nil)}
		for _, q := range []string{"uithuiszettingen", "uithuiszetting", "Uithuiszettingen voorkomen"} {
			r := a.do("brugge", `query($q: String) { offers(search: $q) { totalCount edges { node { municipality { name } } } } }`, map[string]any{"q": q})
			if r.at("offers.totalCount") != 1.0 || r.at("offers.edges.0.node.municipality.name") != "Deinze" {
				t.Errorf("offers(search: %q): %v", q, r)
			}
		}
		// Two trajectories on evictions: both, then one page at a time.
		const q = `query($after: Cursor) { trajectories(search: "uithuiszettingen", first: 1, after: $after) {
			totalCount edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }`
		first := a.do("vvsg", q, nil)
		if first.at("trajectories.totalCount") != 2.0 || first.at("trajectories.pageInfo.hasNextPage") != true {
			t.Fatalf("first page: %v", first)
		}
		second := a.do("vvsg", q, map[string]any{"after": first.at("trajectories.pageInfo.endCursor")})
		t1, t2 := first.at("trajectories.edges.0.node.title"), second.at("trajectories.edges.0.node.title")
		if t1 == t2 || second.at("trajectories.pageInfo.hasNextPage") != false || t1 == nil || t2 == nil {
			t.Errorf("pages: %v then %v", first, second)
		}
		// "huurachterstand" stands only in the action plan and evaluation of
		// Deinze → Brugge: its parties and the coordinator find it; an
		// analyst, who reads the trajectory but not its texts, and another
		// municipality do not.
		const plan = `{ trajectories(search: "huurachterstand") { totalCount } }`
		for login, want := range map[string]float64{"vvsg": 1, "brugge": 1, "deinze": 1, "analyst": 0, "mechelen": 0} {
			if n := a.do(login, plan, nil).at("trajectories.totalCount"); n != want {
				t.Errorf("text in action plans: %s finds %v, want %v", login, n, want)
			}
		}
		// With an order, the search only filters.
		r := a.do("vvsg", `{ trajectories(search: "uithuiszettingen", orderBy: {field: TITLE, direction: ASC}) { edges { node { title } } } }`, nil)
		if r.at("trajectories.edges.0.node.title") != "Dakloosheid: begeleiding bij uithuiszettingsprocedures" {
			t.Errorf("ordered search: %v", r)
		}
		// A cursor of another list is the client's mistake.
		other := a.do("vvsg", `{ needs(first: 1) { edges { cursor } } }`, nil).at("needs.edges.0.cursor")
		a.refused("vvsg", `query($c: Cursor) { offers(search: "uithuiszettingen", after: $c) { totalCount } }`,
			map[string]any{"c": other}, "BAD_USER_INPUT", "after")
	})
}

// TestOffersAndNeedsExpire: an open offer whose period ended reads EXPIRED
// at once, is suggested to no one and read by no other municipality; the
// sweep then stores it, so that a filter on the status agrees.
func TestOffersAndNeedsExpire(t *testing.T) {
	a := api{t, testutil.NewServer(t, testutil.SeededPostgres(t), nil)}
	ctx := viewer.SystemContext(context.Background())
	c := a.s.DB.Client
	oostende := c.Municipality.Query().Where(municipality.NisCode("35013")).OnlyIDX(ctx)
	yesterday := domain.BrusselsDate(time.Now()).AddDate(0, 0, -1)
	past := c.Offer.Create().SetMunicipalityID(oostende).SetDescription("Een aanbod dat gisteren afliep.").
		SetForms([]string{"MENTORING"}).SetCapacityHoursPerWeek(domain.Hours(1900)).
		SetAvailableFrom(yesterday.AddDate(0, -6, 0)).SetAvailableUntil(yesterday).
		AddThemeIDs(c.Theme.Query().Where(theme.Code("GOOD_PRACTICES")).OnlyIDX(ctx)).SaveX(ctx)
	id := scalar.EncodeID(past.ID)

	if st := a.do("oostende", statusOf, map[string]any{"id": id}).at("node.status"); st != "EXPIRED" {
		t.Errorf("Oostende reads its expired offer as %v", st)
	}
	if n := a.do("brugge", statusOf, map[string]any{"id": id}).at("node"); n != nil {
		t.Errorf("Brugge reads an expired offer of Oostende: %v", n)
	}
	brugge := a.do("vvsg", `{ needs(where: {hasMunicipalityWith: [{nisCode: "31005"}]}) { edges { node { id } } } }`, nil).at("needs.edges.0.node.id")
	for _, e := range a.do("vvsg", suggestions, map[string]any{"n": brugge}).at("matchSuggestions").([]any) {
		if e.(map[string]any)["offer"].(map[string]any)["id"] == id {
			t.Error("an expired offer is suggested")
		}
	}
	const open = `{ offers(where: {status: OPEN, hasMunicipalityWith: [{nisCode: "35013"}]}) { totalCount } }`
	if n := a.do("vvsg", open, nil).at("offers.totalCount"); n != 2.0 {
		t.Errorf("before the sweep, the stored status says %v open offers of Oostende, want 2", n)
	}
	if n, err := process.ExpireOffersAndNeeds(ctx, c, domain.BrusselsDate(time.Now())); err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v; want 1", n, err)
	}
	if n := a.do("vvsg", open, nil).at("offers.totalCount"); n != 1.0 {
		t.Errorf("after the sweep, %v open offers of Oostende, want 1", n)
	}
	if n, _ := process.ExpireOffersAndNeeds(ctx, c, domain.BrusselsDate(time.Now())); n != 0 {
		t.Errorf("a second sweep changed %d", n)
	}
}
