package noninterference

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"wisselaar/domain"
	"wisselaar/ent/call"
	"wisselaar/ent/document"
	"wisselaar/ent/grant"
	"wisselaar/ent/municipality"
	"wisselaar/ent/theme"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/grantcalc"
	"wisselaar/internal/testutil"
)

// TestNonInterference is DOMAIN.md's rule as a test: two databases that
// differ only in data a viewer may not read give that viewer identical
// answers, to every query.
//
// For each kind of viewer (anonymous, giving and receiving staff, staff of
// an unrelated municipality, the coordinator, an analyst, a partner tool),
// database A is the demo data with the scenario of testutil.LoadScenario,
// and database B is A with everything that viewer may not read changed (see
// hide): salaries and calculation lines, mentors' names, e-mail addresses
// and job titles, recorded and planned hours, payments, amounts not yet
// awarded, action plans and evaluation reports, and a whole trajectory with
// its mentor, salary and application. Which data each viewer may read is
// written here from DOMAIN.md's table, independently of the privacy rules.
//
// The query corpus is generated from the schema by introspection (see
// corpus_test.go): every root field, every connection with totalCount,
// every where-input field (through edges two deep) with values drawn from
// the data that differs, every order field in both directions, grant
// statistics by each dimension, node and nodes for every ID of either
// database. It grows with the schema, so a new entity, edge or filter is
// covered without new test code.
func TestNonInterference(t *testing.T) {
	a := testutil.NewServer(t, testutil.ScenarioPostgres(t), nil)
	schema := introspect(t, a)
	base := readAll(t, schema, a)
	for _, o := range observers {
		t.Run(o.name(), func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			b := testutil.NewServer(t, testutil.ScenarioPostgres(t), nil)
			changed := hide(t, b, o)
			if changed == 0 {
				t.Fatalf("nothing was hidden from %s: the test would prove nothing", o.name())
			}
			c := newCorpus(t, schema, base, readAll(t, schema, b))
			queries := c.queries()
			read := time.Since(start)
			n := compare(t, schema, a, b, o.login, queries)
			t.Logf("%s: %d rows changed in B, %d values differ, %d queries in %d requests; %v to prepare, %v to compare",
				o.name(), changed, c.differing(), len(queries), n, read.Round(time.Millisecond), (time.Since(start) - read).Round(time.Millisecond))
		})
	}
}

// observer is a kind of viewer, as DOMAIN.md's table describes it.
type observer struct {
	login string // demo user; "" is anonymous
	roles []viewer.Role
	nis   []string // the municipalities whose staff the viewer is
}

func (o observer) name() string {
	if o.login == "" {
		return "anonymous"
	}
	return o.login
}

func (o observer) has(r viewer.Role) bool { return slices.Contains(o.roles, r) }

// observers are the demo users the test looks through: Mechelen gives most
// trajectories and receives one, Leuven receives from Mechelen, Brugge
// takes part in few, and the programme-wide roles. The ministry
// reads everything, so nothing can be hidden from it.
var observers = []observer{
	{},
	{login: "mechelen", nis: []string{"12025"}},
	{login: "leuven", nis: []string{"24062"}},
	{login: "brugge", nis: []string{"31005"}},
	{login: "vvsg", roles: []viewer.Role{viewer.Coordinator}},
	{login: "analyst", roles: []viewer.Role{viewer.Analyst}},
	{login: "partner", roles: []viewer.Role{viewer.Partner}},
}

// hide changes, in b's database, everything o may not read, and returns how
// many rows it changed or added. Writes go around the API (SQL, or ent as
// the system) and leave every timestamp alone, so that only hidden data
// differs.
func hide(t *testing.T, b *testutil.Server, o observer) int64 {
	t.Helper()
	ctx := context.Background()
	db := b.DB.SQL
	ids := municipalityIDs(t, db, o.nis)
	// own(col) is true when col is one of o's municipalities.
	own := func(col string) string {
		if len(ids) == 0 {
			return "FALSE"
		}
		return col + " IN (" + ids + ")"
	}
	var n int64
	exec := func(query string) {
		t.Helper()
		res, err := db.ExecContext(ctx, query)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	followsAll := o.has(viewer.Coordinator)
	readsTrajectories := followsAll || o.has(viewer.Analyst) || o.has(viewer.Partner)
	party := "(" + own("giving_id") + " OR " + own("receiving_id") + ")"

	// Webhooks and their delivery logs: their owner only, which no
	// observer is. Change every field, add a delivery and a webhook.
	exec(`UPDATE webhooks SET url = url || '/verborgen', events = '["trajectory.changed","grant.changed"]',
		created_at = created_at + interval '1 hour'`)
	exec(`UPDATE webhook_deliveries SET attempts = attempts + 2, status_code = 502, error = 'verborgen',
		payload = '{"type":"trajectory.changed"}', event_type = 'trajectory.changed', delivered_at = NULL`)
	exec(`INSERT INTO webhook_deliveries (created_at, updated_at, event_id, event_type, payload, attempts, webhook_id)
		SELECT created_at, updated_at, 'msg_verborgen', 'grant.changed', '{}', 0, id FROM webhooks ORDER BY id LIMIT 1`)
	exec(`INSERT INTO webhooks (created_at, updated_at, owner_subject, url, events, secret)
		VALUES (now(), now(), 'nog-een-partner', 'https://verborgen.example/hooks', '["grant.changed"]', 'whsec_AAAA')`)
	// Salaries: the employer and the ministry only.
	exec(`UPDATE salaries SET monthly_cost = monthly_cost + 123456, weekly_hours = weekly_hours - 100
		WHERE mentor_id IN (SELECT id FROM mentors WHERE NOT ` + own("municipality_id") + `)`)
	// Calculation lines show salaries: the giving side and the ministry.
	n += changeCalculationLines(t, db, `SELECT g.id FROM grants g JOIN trajectories t ON t.id = g.trajectory_id WHERE NOT `+own("t.giving_id"))
	if !followsAll {
		// Mentors: the employer, the receiving side of their trajectories,
		// the coordinator and the ministry.
		exec(`UPDATE mentors m SET name = name || ' Anders', email = 'anders.' || email, job_title = job_title || ' (anders)'
			WHERE NOT ` + own("m.municipality_id") + ` AND NOT EXISTS (SELECT 1 FROM assignments a
			JOIN trajectories t ON t.id = a.trajectory_id WHERE a.mentor_id = m.id AND ` + own("t.receiving_id") + `)`)
		// Hours spent: the giving side.
		exec(`UPDATE time_entries SET hours = hours + 150
			WHERE trajectory_id IN (SELECT id FROM trajectories WHERE NOT ` + own("giving_id") + `)`)
		// Planned hours, action plans, evaluation reports: the parties.
		exec(`UPDATE assignments SET planned_weekly_hours = planned_weekly_hours + 50
			WHERE trajectory_id IN (SELECT id FROM trajectories WHERE NOT ` + party + `)`)
		exec(`UPDATE trajectories SET action_plan = COALESCE(action_plan, '') || ' Verborgen afspraak.',
			evaluation_report = COALESCE(evaluation_report, '') || ' Verborgen evaluatie.',
			decline_reason = COALESCE(decline_reason, '') || ' Verborgen reden.' WHERE NOT ` + party)
		// The structured plan, its version and the agreement's hash: the
		// parties. Its numbers count in the indicator statistics of those
		// who read every trajectory, so they change only for the others.
		n += changePlans(t, db, `SELECT id FROM trajectories WHERE NOT `+party, !readsTrajectories)
		// Documents: the parties.
		exec(`UPDATE documents SET filename = 'verborgen-' || filename, sha256 = md5(sha256) || md5(filename),
			size = size + 7, kind = CASE WHEN kind = 'OTHER' THEN 'EVALUATION' ELSE 'OTHER' END
			WHERE trajectory_id IN (SELECT id FROM trajectories WHERE NOT ` + party + `)`)
		exec(`INSERT INTO documents (created_at, updated_at, kind, filename, content_type, size, sha256, storage_key, uploaded_by, trajectory_id)
			SELECT created_at, updated_at, 'OTHER', 'extra.pdf', 'application/pdf', 1, md5('extra') || md5('extra'), 'documents/extra', '', id
			FROM trajectories WHERE NOT ` + party + ` ORDER BY id LIMIT 1`)
		// Payments: the giving side. Their sum, the grant's paid amount,
		// is public with the grant: move them a day and split one.
		exec(`UPDATE payments SET paid_on = paid_on + 1 WHERE grant_id IN (SELECT g.id FROM grants g
			JOIN trajectories t ON t.id = g.trajectory_id WHERE NOT ` + own("t.giving_id") + `)`)
		exec(`WITH p AS (SELECT p.* FROM payments p JOIN grants g ON g.id = p.grant_id JOIN trajectories t ON t.id = g.trajectory_id
				WHERE NOT ` + own("t.giving_id") + ` AND p.amount > 100 ORDER BY p.id LIMIT 1),
			split AS (UPDATE payments SET amount = amount - 100 WHERE id IN (SELECT id FROM p))
			INSERT INTO payments (created_at, updated_at, amount, paid_on, grant_id)
			SELECT created_at, updated_at, 100, paid_on, grant_id FROM p`)
	}
	if !followsAll {
		// Needs: their own municipality only. How many are open, on which
		// themes, from how many municipalities, is public (the expertise
		// map): what they say, the topics and the preferred form are not.
		exec(`UPDATE needs SET description = description || ' (verborgen)', topics = '["verborgen"]',
			preferred_form = CASE WHEN preferred_form IS NULL THEN 'INTERNSHIP' ELSE NULL END
			WHERE NOT ` + own("municipality_id"))
		// Who could go on an offer: the offering municipality only.
		exec(`DELETE FROM offer_mentors WHERE offer_id IN (SELECT id FROM offers WHERE NOT ` + own("municipality_id") + `)`)
		// Offers: other municipalities read only the open ones (analysts,
		// partner tools and anonymous callers none); the map counts open
		// offers, their municipalities and hours.
		hidden := "status <> 'OPEN'"
		if len(o.nis) == 0 {
			hidden = "TRUE"
		}
		exec(`UPDATE offers SET description = description || ' (verborgen)', topics = '["verborgen"]'
			WHERE NOT ` + own("municipality_id") + ` AND ` + hidden)
	}
	// The audit trail: the ministry's only. Entries are appended (the
	// trail refuses changes), naming every grant and mentor, so that a
	// filter of auditEvents that reached them would answer differently.
	exec(`INSERT INTO audit_events (occurred_at, actor_subject, actor_roles, on_behalf_of, action, entity_type, entity_id, changes, request_id)
		SELECT now(), 'verborgen', '["ministry"]', NULL, 'decideGrant', 'Grant', id,
			'[{"field":"status","before":"RESERVED","after":"APPROVED"}]', 'verborgen-verzoek' FROM grants`)
	exec(`INSERT INTO audit_events (occurred_at, actor_subject, actor_roles, on_behalf_of, action, entity_type, entity_id, changes, request_id)
		SELECT now(), 'verborgen', '["municipality:12025"]', '12025', 'READ_SALARY', 'Mentor', id, '[]', 'verborgen-verzoek' FROM mentors`)
	if !readsTrajectories {
		// Grants and trajectories of others, and amounts not yet awarded.
		exec(`UPDATE grants SET requested = requested + 101, submitted_at = submitted_at + interval '1 minute'
			WHERE awarded IS NULL AND trajectory_id IN (SELECT id FROM trajectories WHERE NOT ` + party + `)`)
		// A public summary is public once published (the catalogue);
		// before that, a draft for those who read the trajectory.
		exec(`UPDATE trajectories SET public_summary = COALESCE(public_summary, '') || ' Concept.'
			WHERE published_at IS NULL AND NOT ` + party)
		if !slices.Contains(o.nis, "34022") && !slices.Contains(o.nis, "35013") {
			n += addTrajectory(t, b)
		}
	}
	return n
}

// changePlans changes the texts of the action plans of the trajectories
// the query selects, their versions and the agreement's hash, and, with
// numbers, the indicators' baselines, targets and results.
func changePlans(t *testing.T, db *sql.DB, which string, numbers bool) int64 {
	t.Helper()
	rows, err := db.Query(`SELECT id, plan, indicator_results FROM trajectories WHERE plan IS NOT NULL AND id IN (` + which + `)`)
	if err != nil {
		t.Fatal(err)
	}
	type rec struct {
		id      int
		plan    domain.ActionPlan
		results []domain.IndicatorResult
	}
	var recs []rec
	for rows.Next() {
		var r rec
		var plan, results []byte
		if err := rows.Scan(&r.id, &plan, &results); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(plan, &r.plan); err != nil {
			t.Fatal(err)
		}
		if len(results) > 0 {
			if err := json.Unmarshal(results, &r.results); err != nil {
				t.Fatal(err)
			}
		}
		recs = append(recs, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for _, r := range recs {
		p := r.plan
		p.Goals = append(p.Goals, domain.Goal{Description: "Verborgen doel"})
		for i := range p.Actions {
			p.Actions[i].What += " (verborgen)"
			p.Actions[i].Due = p.Actions[i].Due.AddDate(0, 0, 1)
		}
		for i := range p.Indicators {
			p.Indicators[i].Name += " (verborgen)"
			p.Indicators[i].Unit = "verborgen"
			if numbers {
				p.Indicators[i].Baseline++
				p.Indicators[i].Target += 2
			}
		}
		if numbers {
			for i := range r.results {
				r.results[i].Result += 3
			}
		}
		plan, _ := json.Marshal(p)
		results, _ := json.Marshal(r.results)
		if r.results == nil {
			results = nil
		}
		if _, err := db.Exec(`UPDATE trajectories SET plan = $1, indicator_results = $2, plan_version = plan_version + 5,
			agreed_plan_version = agreed_plan_version + 5,
			agreed_plan_sha256 = CASE WHEN agreed_plan_sha256 IS NULL THEN NULL ELSE md5(agreed_plan_sha256) || md5(agreed_plan_sha256) END
			WHERE id = $3`, plan, results, r.id); err != nil {
			t.Fatal(err)
		}
	}
	return int64(len(recs))
}

// municipalityIDs returns the database IDs of the municipalities, as an SQL
// list.
func municipalityIDs(t *testing.T, db *sql.DB, nis []string) string {
	t.Helper()
	var ids []string
	for _, code := range nis {
		var id int
		if err := db.QueryRow(`SELECT id FROM municipalities WHERE nis_code = $1`, code).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, strconv.Itoa(id))
	}
	return strings.Join(ids, ",")
}

// changeCalculationLines raises the salaries in the calculation lines of
// the grants the query selects, keeping the totals, which everyone who
// reads the grant may read.
func changeCalculationLines(t *testing.T, db *sql.DB, which string) int64 {
	t.Helper()
	rows, err := db.Query(`SELECT id, calculation, settlement_calculation FROM grants WHERE id IN (` + which + `)`)
	if err != nil {
		t.Fatal(err)
	}
	type rec struct {
		id         int
		calc, sett []byte
	}
	var recs []rec
	for rows.Next() {
		var r rec
		if err := rows.Scan(&r.id, &r.calc, &r.sett); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	change := func(raw []byte) []byte {
		if raw == nil {
			return nil
		}
		var c grantcalc.Calculation
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		for i := range c.Lines {
			c.Lines[i].MonthlyCost += 98765
			c.Lines[i].WeeklyHours -= 100
		}
		out, _ := json.Marshal(c)
		return out
	}
	var n int64
	for _, r := range recs {
		if _, err := db.Exec(`UPDATE grants SET calculation = $1, settlement_calculation = $2 WHERE id = $3`,
			change(r.calc), change(r.sett), r.id); err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

// addTrajectory adds a trajectory Kortrijk → Oostende under the open call,
// with a theme, a new mentor of Kortrijk with her salary, planned hours and
// a reserved application: a whole exchange that only its parties, the
// coordinator, analysts, partner tools and the ministry may know of.
func addTrajectory(t *testing.T, b *testutil.Server) int64 {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	c := b.DB.Client
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	kortrijk, err := c.Municipality.Query().Where(municipality.NisCode("34022")).OnlyID(ctx)
	must(err)
	oostende, err := c.Municipality.Query().Where(municipality.NisCode("35013")).OnlyID(ctx)
	must(err)
	open, err := c.Call.Query().Where(call.Name(testutil.ScenarioCall)).OnlyID(ctx)
	must(err)
	th, err := c.Theme.Query().Where(theme.Code("PARTICIPATION")).OnlyID(ctx)
	must(err)
	when := time.Date(2026, time.May, 5, 10, 0, 0, 0, time.UTC)
	tr, err := c.Trajectory.Create().
		SetTitle("Verborgen traject naar Oostende").SetDescription("Alleen voor wie het mag zien.").
		SetForm(trajectory.FormINTERNSHIP).SetStatus(trajectory.StatusAGREED).
		SetPlannedStart(time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC)).
		SetPlannedEnd(time.Date(2026, time.December, 15, 0, 0, 0, 0, time.UTC)).
		SetActionPlan("Geheim plan.").SetPublicSummary("Verborgen concept.").SetGivingSignedAt(when).SetReceivingSignedAt(when).
		SetPlan(domain.ActionPlan{Text: "Geheim plan.", Goals: []domain.Goal{{Description: "Geheim doel"}},
			Indicators: []domain.Indicator{{Name: "Geheim", Unit: "stuks", Baseline: 1, Target: 2}}}).
		SetPlanVersion(3).SetAgreedPlanVersion(3).SetAgreedPlanSha256("00").
		SetGivingID(kortrijk).SetReceivingID(oostende).SetCallID(open).AddThemeIDs(th).
		SetCreatedAt(when).SetUpdatedAt(when).Save(ctx)
	must(err)
	m, err := c.Mentor.Create().SetName("Ine Verborgen").SetEmail("ine.verborgen@kortrijk.example").
		SetJobTitle("stafmedewerker armoede").SetMunicipalityID(kortrijk).Save(ctx)
	must(err)
	_, err = c.Salary.Create().SetMentorID(m.ID).SetMonthlyCost(domain.Euro(6_100)).SetWeeklyHours(domain.Hours(3800)).
		SetValidFrom(time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)).Save(ctx)
	must(err)
	_, err = c.Assignment.Create().SetTrajectoryID(tr.ID).SetMentorID(m.ID).SetPlannedWeeklyHours(domain.Hours(1500)).Save(ctx)
	must(err)
	_, err = c.Grant.Create().SetTrajectoryID(tr.ID).SetCallID(open).SetStatus(grant.StatusRESERVED).
		SetSubmittedAt(when).SetRequested(domain.Money(777_777)).Save(ctx)
	must(err)
	_, err = c.Document.Create().SetTrajectoryID(tr.ID).SetKind(document.KindAGREEMENT_SIGNED).SetFilename("geheim.pdf").
		SetContentType("application/pdf").SetSize(10).SetSha256("ab").SetStorageKey("documents/geheim").
		SetCreatedAt(when).SetUpdatedAt(when).Save(ctx)
	must(err)
	return 6
}

// compare runs every query as login on a and b and reports each whose
// answers differ, and any INTERNAL error, which would be a leak of its own.
// It returns the number of requests it made to each server.
func compare(t *testing.T, schema *gqlSchema, a, b *testutil.Server, login string, queries []probe) int {
	t.Helper()
	failures, requests := 0, 0
	var check func(bt batch)
	check = func(bt batch) {
		requests++
		ra, tooMuch := run(t, a, login, bt)
		rb, _ := run(t, b, login, bt)
		switch {
		case tooMuch && len(bt.probes) > 1:
			// The server's cost limit: ask in two halves.
			half := len(bt.probes) / 2
			check(assemble(schema, bt.probes[:half]))
			check(assemble(schema, bt.probes[half:]))
			return
		case tooMuch:
			t.Errorf("the corpus asks more than the server allows: %s\n%s", bt.text, ra)
		case ra == rb:
			if strings.Contains(ra, `"INTERNAL"`) {
				t.Errorf("INTERNAL error: %s\n%s", bt.text, ra)
			}
		case len(bt.probes) > 1:
			for _, p := range bt.probes {
				check(assemble(schema, []probe{p}))
			}
		default:
			failures++
			if failures <= 25 {
				t.Errorf("answers differ for %s\nquery: %s\nvariables: %s\nA: %s\nB: %s",
					bt.probes[0].what, bt.text, mustJSON(bt.vars), clip(ra), clip(rb))
			}
		}
	}
	for _, bt := range batches(schema, queries) {
		check(bt)
	}
	if failures > 25 {
		t.Errorf("... and %d more queries whose answers differ", failures-25)
	}
	return requests
}

// run posts one batch and returns its whole answer, data and errors, and
// whether the server found it too costly.
func run(t *testing.T, s *testutil.Server, login string, b batch) (string, bool) {
	t.Helper()
	r := s.Query(t, login, b.text, b.vars)
	return string(r.Data) + " " + mustJSON(r.Errors), r.Code() == "QUERY_TOO_COMPLEX"
}

func mustJSON(v any) string {
	out, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(out)
}

func clip(s string) string {
	if len(s) > 1500 {
		return s[:1500] + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return s
}
