package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"wisselaar/ent"
	"wisselaar/ent/municipality"
	"wisselaar/ent/viewer"
	"wisselaar/graph"
	"wisselaar/graph/scalar"
	"wisselaar/internal/db"
	"wisselaar/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// The demo users of the story, as the sign-in layer would describe them.
// Sign-in is not under test here: a tiny middleware puts the viewer named
// by a test header in the request context.
var viewers = map[string]*viewer.Viewer{
	"ministry":  {Subject: "ministry", Roles: []viewer.Role{viewer.Ministry}},
	"vvsg":      {Subject: "vvsg", Roles: []viewer.Role{viewer.Coordinator}},
	"analyst":   {Subject: "analyst", Roles: []viewer.Role{viewer.Analyst}},
	"mechelen":  {Subject: "mechelen", Municipalities: []string{"12025"}},
	"leuven":    {Subject: "leuven", Municipalities: []string{"24062"}},
	"vilvoorde": {Subject: "vilvoorde", Municipalities: []string{"23088"}},
	"balen":     {Subject: "balen", Municipalities: []string{"13003"}},
	"ronse":     {Subject: "ronse", Municipalities: []string{"45041"}},
	"kortrijk":  {Subject: "kortrijk", Municipalities: []string{"34022"}},
	"roeselare": {Subject: "roeselare", Municipalities: []string{"36015"}},
	"deinze":    {Subject: "deinze", Municipalities: []string{"44083"}},
	"brugge":    {Subject: "brugge", Municipalities: []string{"31005"}},
}

var municipalities = []struct {
	nis, name, login string
	province         municipality.Province
}{
	{"12025", "Mechelen", "mechelen", municipality.ProvinceAntwerpen},
	{"24062", "Leuven", "leuven", municipality.ProvinceVlaamsBrabant},
	{"23088", "Vilvoorde", "vilvoorde", municipality.ProvinceVlaamsBrabant},
	{"13003", "Balen", "balen", municipality.ProvinceAntwerpen},
	{"45041", "Ronse", "ronse", municipality.ProvinceOostVlaanderen},
	{"34022", "Kortrijk", "kortrijk", municipality.ProvinceWestVlaanderen},
	{"36015", "Roeselare", "roeselare", municipality.ProvinceWestVlaanderen},
	{"44083", "Deinze", "deinze", municipality.ProvinceOostVlaanderen},
	{"31005", "Brugge", "brugge", municipality.ProvinceWestVlaanderen},
}

// api is the GraphQL handler over a fresh PostgreSQL database.
type api struct {
	t      *testing.T
	h      http.Handler
	client *ent.Client
	ids    map[string]string // municipality login → global ID
	theme  string
}

func newAPI(t *testing.T) *api {
	ctx := context.Background()
	d, err := db.Open(ctx, pgtest.NewDatabase(t), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := db.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	sys := viewer.SystemContext(ctx)
	a := &api{t: t, client: d.Client, ids: map[string]string{}}
	for _, m := range municipalities {
		rec := d.Client.Municipality.Create().SetNisCode(m.nis).SetName(m.name).SetProvince(m.province).SaveX(sys)
		a.ids[m.login] = scalar.EncodeID(rec.ID)
	}
	th := d.Client.Theme.Create().SetCode("LOCAL_COORDINATION").SetName("Lokale regie").SetNameEn("Local coordination").SaveX(sys)
	a.theme = scalar.EncodeID(th.ID)
	h := graph.NewHandler(d.Client, slog.New(slog.NewTextHandler(io.Discard, nil)), graph.Options{})
	a.h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := viewer.Anonymous()
		if who := r.Header.Get("X-Test-Viewer"); who != "" {
			v = viewers[who]
		}
		h.ServeHTTP(w, r.WithContext(viewer.NewContext(r.Context(), v)))
	})
	return a
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func (r response) field() string {
	if len(r.Errors) == 0 {
		return ""
	}
	f, _ := r.Errors[0].Extensions["field"].(string)
	return f
}

// do posts an operation as the user who ("" for anonymous).
func (a *api) do(who, query string, vars map[string]any) response {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if who != "" {
		if viewers[who] == nil {
			a.t.Fatalf("no viewer %q", who)
		}
		req.Header.Set("X-Test-Viewer", who)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	var res response
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		a.t.Fatalf("response is not JSON (%d): %s", rec.Code, rec.Body)
	}
	return res
}

// must posts an operation that must succeed and decodes its data into out.
func (a *api) must(who, query string, vars map[string]any, out any) {
	a.t.Helper()
	res := a.do(who, query, vars)
	if len(res.Errors) > 0 {
		a.t.Fatalf("%s: %s: %+v", who, firstLine(query), res.Errors)
	}
	if out != nil {
		if err := json.Unmarshal(res.Data, out); err != nil {
			a.t.Fatalf("decoding %s: %v", res.Data, err)
		}
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i > 0 {
		return s[:i]
	}
	return s
}

// in wraps an input object as the variables of a mutation.
func in(fields map[string]any) map[string]any { return map[string]any{"input": fields} }

const (
	createCall       = `mutation($input: CreateCallInput!) { createCall(input: $input) { call { id name budgetStatus { remaining } } } }`
	createTrajectory = `mutation($input: CreateTrajectoryInput!) { createTrajectory(input: $input) { trajectory { id status } } }`
	createMentor     = `mutation($input: CreateMentorInput!) { createMentor(input: $input) { mentor { id name } } }`
	recordSalary     = `mutation($input: RecordSalaryInput!) { recordSalary(input: $input) { salary { id monthlyCost weeklyHours validFrom } } }`
	assignMentor     = `mutation($input: AssignMentorInput!) { assignMentor(input: $input) { trajectory { id status mentors { id } } } }`
	updateActionPlan = `mutation($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { trajectory { id actionPlan } } }`
	signAgreement    = `mutation($input: SignAgreementInput!) { signAgreement(input: $input) { trajectory { id status givingSignedAt receivingSignedAt } } }`
	submit           = `mutation($input: SubmitGrantApplicationInput!) { submitGrantApplication(input: $input) { grant { id status requested submittedAt } } }`
	withdraw         = `mutation($input: WithdrawGrantApplicationInput!) { withdrawGrantApplication(input: $input) { grant { id status } } }`
	decide           = `mutation($input: DecideGrantInput!) { decideGrant(input: $input) { grant { id status awarded decisionReason } } }`
	start            = `mutation($input: StartTrajectoryInput!) { startTrajectory(input: $input) { trajectory { id status startedAt } } }`
	recordHours      = `mutation($input: RecordTimeEntriesInput!) { recordTimeEntries(input: $input) { trajectory { id timeEntries { month hours } } } }`
	complete         = `mutation($input: CompleteTrajectoryInput!) { completeTrajectory(input: $input) { trajectory { id status evaluationReport completedAt } } }`
	cancel           = `mutation($input: CancelTrajectoryInput!) { cancelTrajectory(input: $input) { trajectory { id status } } }`
	settle           = `mutation($input: SettleGrantInput!) { settleGrant(input: $input) { grant { id status settled settledAt } } }`
	pay              = `mutation($input: RegisterPaymentInput!) { registerPayment(input: $input) { grant { id status paid } } }`
	budgetStatus     = `query($id: ID!) { node(id: $id) { ... on Call { budgetStatus { budget committed remaining } } } }`
	grantOf          = `query($id: ID!) { node(id: $id) { ... on Trajectory { grant { id status requested awarded settled paid } } } }`
	calculationOf    = `query($id: ID!) { node(id: $id) { ... on Grant {
		calculation { total uncapped capped compensationPercent perProjectCap
			lines { mentor { name } month from to monthlyCost weeklyHours plannedWeeklyHours hoursSpent share amount } }
		settlementCalculation { total uncapped capped lines { month hoursSpent share amount } } } } }`
)

type grantData struct {
	ID, Status, Requested, SubmittedAt string
	Awarded, Settled                   *string
	Paid                               string
}

// story is the state the process test leaves for the illegal steps.
type story struct {
	call, closedCall string
	// trajectories 0–6 were submitted; t[0] is paid, t[3] runs with an
	// approved grant, t[7] is signed by Mechelen only, t[8] waits in line,
	// closed is agreed under a call whose window has passed.
	t      []string
	grants []string // of t[0..6] and t[8], by trajectory index (t[7] none)
	closed string
	mentor string // Mechelen's mentor on t[0]
	t0Recv string // the receiving login of t[0]
}

// TestGrantProcess drives the whole process through GraphQL as the users of
// each side, then tries every illegal step and checks that it answers its
// documented code and changes nothing.
func TestGrantProcess(t *testing.T) {
	a := newAPI(t)
	s := a.runStory(t)
	t.Run("illegal steps", func(t *testing.T) { a.illegalSteps(t, s) })
}

func (a *api) runStory(t *testing.T) story {
	var s story
	now := time.Now()
	// ministry opens a call that is open now: 100,000.00, cap 50,000.00, 50 %.
	var cc struct {
		CreateCall struct{ Call struct{ ID string } }
	}
	a.must("ministry", createCall, in(map[string]any{
		"name": "De Wisselaar 2027", "year": 2027,
		"opensAt": now.Add(-time.Hour).Format(time.RFC3339), "closesAt": now.AddDate(0, 1, 0).Format(time.RFC3339),
		"budget": "100000.00", "perProjectCap": "50000.00", "compensationPercent": 50,
	}), &cc)
	s.call = cc.CreateCall.Call.ID

	// vvsg matches Mechelen with nine receiving municipalities (Leuven twice).
	receivers := []string{"leuven", "vilvoorde", "balen", "ronse", "kortrijk", "roeselare", "brugge", "deinze", "leuven"}
	s.t0Recv = receivers[0]
	for i, r := range receivers {
		var ct struct {
			CreateTrajectory struct{ Trajectory struct{ ID, Status string } }
		}
		a.must("vvsg", createTrajectory, in(map[string]any{
			"callID": s.call, "givingID": a.ids["mechelen"], "receivingID": a.ids[r], "form": "MENTORING",
			"title": fmt.Sprintf("Exchange %d", i), "description": "A test exchange", "themeIDs": []string{a.theme},
			"plannedStart": "2027-01-01", "plannedEnd": "2027-08-31",
		}), &ct)
		if ct.CreateTrajectory.Trajectory.Status != "MATCHED" {
			t.Fatalf("new trajectory is %s", ct.CreateTrajectory.Trajectory.Status)
		}
		s.t = append(s.t, ct.CreateTrajectory.Trajectory.ID)
	}

	// mechelen registers a mentor for each, at 7,500.00 a month on 38 hours
	// a week, and assigns her at 19 hours a week for eight whole months.
	for i, tr := range s.t {
		var cm struct {
			CreateMentor struct{ Mentor struct{ ID string } }
		}
		a.must("mechelen", createMentor, in(map[string]any{
			"municipalityID": a.ids["mechelen"], "name": fmt.Sprintf("Mentor %d", i),
			"email": fmt.Sprintf("mentor%d@mechelen.example", i), "jobTitle": "maatschappelijk werker",
		}), &cm)
		m := cm.CreateMentor.Mentor.ID
		if i == 0 {
			s.mentor = m
		}
		var rs struct {
			RecordSalary struct{ Salary struct{ MonthlyCost string } }
		}
		a.must("mechelen", recordSalary, in(map[string]any{
			"mentorID": m, "monthlyCost": "7500.00", "weeklyHours": 38, "validFrom": "2026-01-01",
		}), &rs)
		if rs.RecordSalary.Salary.MonthlyCost != "7500.00" {
			t.Fatalf("salary: %+v", rs)
		}
		a.must("mechelen", assignMentor, in(map[string]any{"trajectoryID": tr, "mentorID": m, "plannedWeeklyHours": 19}), nil)
	}
	// Either side draws up the action plan.
	a.must(s.t0Recv, updateActionPlan, in(map[string]any{"trajectoryID": s.t[0], "actionPlan": "1. Kick-off. 2. Coaching. 3. Evaluation."}), nil)

	// Both sides sign: AGREED after the second signature. t[7] is signed by
	// Mechelen only.
	for i, tr := range s.t {
		var sa struct {
			SignAgreement struct{ Trajectory struct{ Status string } }
		}
		a.must("mechelen", signAgreement, in(map[string]any{"trajectoryID": tr}), &sa)
		if sa.SignAgreement.Trajectory.Status != "MATCHED" {
			t.Fatalf("after one signature: %s", sa.SignAgreement.Trajectory.Status)
		}
		if i == 7 {
			continue
		}
		a.must(receivers[i], signAgreement, in(map[string]any{"trajectoryID": tr}), &sa)
		if sa.SignAgreement.Trajectory.Status != "AGREED" {
			t.Fatalf("after both signatures: %s", sa.SignAgreement.Trajectory.Status)
		}
	}

	// mechelen submits the first seven at once: each requests exactly
	// 15,000.00 (7,500.00 × 19/38 × 8 months × 50 %); six are RESERVED and
	// one WAITLISTED, 10,000.00 remains.
	grants := make([]grantData, 7)
	var wg sync.WaitGroup
	for i := range 7 {
		wg.Go(func() {
			res := a.do("mechelen", submit, in(map[string]any{"trajectoryID": s.t[i]}))
			var out struct{ SubmitGrantApplication struct{ Grant grantData } }
			if len(res.Errors) > 0 || json.Unmarshal(res.Data, &out) != nil {
				t.Errorf("submitting %d: %+v", i, res.Errors)
				return
			}
			grants[i] = out.SubmitGrantApplication.Grant
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	waiting := -1
	reserved := 0
	for i, g := range grants {
		if g.Requested != "15000.00" {
			t.Errorf("grant %d requests %s, want 15000.00", i, g.Requested)
		}
		switch g.Status {
		case "RESERVED":
			reserved++
		case "WAITLISTED":
			waiting = i
		}
		s.grants = append(s.grants, g.ID)
	}
	if reserved != 6 || waiting < 0 {
		t.Fatalf("%d reserved, waiting %d: want six RESERVED and one WAITLISTED", reserved, waiting)
	}
	last, _ := time.Parse(time.RFC3339Nano, grants[waiting].SubmittedAt)
	for i, g := range grants {
		if at, _ := time.Parse(time.RFC3339Nano, g.SubmittedAt); i != waiting && !at.Before(last) {
			t.Errorf("grant %d was submitted after the waiting one but is %s", i, g.Status)
		}
	}
	a.checkBudget(t, s.call, "90000.00", "10000.00")

	// ministry rejects one reserved application: the first in line becomes
	// RESERVED. The rejected one is one of t[4..6], so that the steps below
	// find t[0] to t[3] reserved whichever was waiting.
	rejected := 4
	if waiting == 4 {
		rejected = 5
	}
	var dg struct{ DecideGrant struct{ Grant grantData } }
	a.must("ministry", decide, in(map[string]any{"grantID": s.grants[rejected], "approve": false, "reason": "Outside the call's themes"}), &dg)
	if dg.DecideGrant.Grant.Status != "REJECTED" {
		t.Fatalf("rejected grant is %s", dg.DecideGrant.Grant.Status)
	}
	if st := a.grantStatus(t, s.t[waiting]); st != "RESERVED" {
		t.Fatalf("the first in line is %s after a rejection, want RESERVED", st)
	}
	a.checkBudget(t, s.call, "90000.00", "10000.00")

	// t[0] (if it was the waiting one, it is reserved now all the same):
	// approval, an advance, hours, evaluation, settlement, payment.
	a.must("ministry", decide, in(map[string]any{"grantID": s.grants[0], "approve": true, "awarded": "15000.00", "reason": "Approved"}), &dg)
	if dg.DecideGrant.Grant.Status != "APPROVED" || *dg.DecideGrant.Grant.Awarded != "15000.00" {
		t.Fatalf("approved grant: %+v", dg.DecideGrant.Grant)
	}
	var pg struct{ RegisterPayment struct{ Grant grantData } }
	a.must("ministry", pay, in(map[string]any{"grantID": s.grants[0], "amount": "5000.00", "paidOn": "2027-02-01"}), &pg)
	if pg.RegisterPayment.Grant.Status != "APPROVED" || pg.RegisterPayment.Grant.Paid != "5000.00" {
		t.Fatalf("after an advance: %+v", pg.RegisterPayment.Grant)
	}
	a.must(s.t0Recv, start, in(map[string]any{"trajectoryID": s.t[0]}), nil)
	var entries []map[string]any
	for m := 1; m <= 8; m++ {
		entries = append(entries, map[string]any{"mentorID": s.mentor, "month": fmt.Sprintf("2027-%02d", m), "hours": 80})
	}
	// A first, wrong record of the last month is replaced by the second.
	a.must("mechelen", recordHours, in(map[string]any{"trajectoryID": s.t[0], "entries": []map[string]any{{"mentorID": s.mentor, "month": "2027-08", "hours": 12.5}}}), nil)
	var rh struct {
		RecordTimeEntries struct {
			Trajectory struct {
				TimeEntries []struct {
					Month string
					Hours float64
				}
			}
		}
	}
	a.must("mechelen", recordHours, in(map[string]any{"trajectoryID": s.t[0], "entries": entries}), &rh)
	if n := len(rh.RecordTimeEntries.Trajectory.TimeEntries); n != 8 {
		t.Fatalf("%d time entries, want 8", n)
	}
	a.must("vvsg", complete, in(map[string]any{"trajectoryID": s.t[0], "evaluationReport": "Leuven introduced the approach; outcomes in annex."}), nil)

	// Settlement on 80 hours a month: 7,500.00 × 80 ÷ (38 × 52 ÷ 12) × 8 ×
	// 50 % = 14,574.898… → 14,574.90, below the 15,000.00 awarded; the
	// 425.10 returns to the call.
	var sg struct{ SettleGrant struct{ Grant grantData } }
	a.must("ministry", settle, in(map[string]any{"grantID": s.grants[0]}), &sg)
	if g := sg.SettleGrant.Grant; g.Status != "SETTLED" || *g.Settled != "14574.90" {
		t.Fatalf("settled grant: %+v (settled %v)", g, *g.Settled)
	}
	a.checkBudget(t, s.call, "89574.90", "10425.10")
	a.must("ministry", pay, in(map[string]any{"grantID": s.grants[0], "amount": "9574.90", "paidOn": "2027-10-01"}), &pg)
	if g := pg.RegisterPayment.Grant; g.Status != "PAID" || g.Paid != "14574.90" {
		t.Fatalf("paid grant: %+v", g)
	}

	a.checkCalculation(t, s)

	// t[3] runs with an approved grant, for the illegal steps.
	a.must("ministry", decide, in(map[string]any{"grantID": s.grants[3], "approve": true, "awarded": "14000.00"}), &dg)
	if dg.DecideGrant.Grant.Status != "APPROVED" {
		t.Fatalf("t[3] grant: %+v", dg.DecideGrant.Grant)
	}
	a.must("vvsg", start, in(map[string]any{"trajectoryID": s.t[3]}), nil)

	// t[8] is signed and submitted: 15,000.00 does not fit in what remains
	// (10,425.10 + 1,000.00 not awarded on t[3]), so it waits.
	var sub struct{ SubmitGrantApplication struct{ Grant grantData } }
	a.must("mechelen", submit, in(map[string]any{"trajectoryID": s.t[8]}), &sub)
	if sub.SubmitGrantApplication.Grant.Status != "WAITLISTED" {
		t.Fatalf("t[8] is %s, want WAITLISTED", sub.SubmitGrantApplication.Grant.Status)
	}
	s.grants = append(s.grants, "", sub.SubmitGrantApplication.Grant.ID)

	// A trajectory agreed under a call whose window has passed.
	a.must("ministry", createCall, in(map[string]any{
		"name": "De Wisselaar 2020", "year": 2020, "opensAt": "2020-06-14T00:00:00+02:00", "closesAt": "2020-10-31T00:00:00+01:00",
		"budget": "250000.00", "perProjectCap": "50000.00", "compensationPercent": 50,
	}), &cc)
	s.closedCall = cc.CreateCall.Call.ID
	var ct struct {
		CreateTrajectory struct{ Trajectory struct{ ID string } }
	}
	a.must("vvsg", createTrajectory, in(map[string]any{
		"callID": s.closedCall, "givingID": a.ids["mechelen"], "receivingID": a.ids["brugge"], "form": "INTERNSHIP",
		"title": "Too late", "plannedStart": "2027-01-01", "plannedEnd": "2027-02-28",
	}), &ct)
	s.closed = ct.CreateTrajectory.Trajectory.ID
	a.must("mechelen", assignMentor, in(map[string]any{"trajectoryID": s.closed, "mentorID": s.mentor, "plannedWeeklyHours": 10}), nil)
	a.must("mechelen", signAgreement, in(map[string]any{"trajectoryID": s.closed}), nil)
	a.must("brugge", signAgreement, in(map[string]any{"trajectoryID": s.closed}), nil)
	return s
}

func (a *api) checkBudget(t *testing.T, call, committed, remaining string) {
	t.Helper()
	var bs struct {
		Node struct {
			BudgetStatus struct{ Budget, Committed, Remaining string }
		}
	}
	a.must("ministry", budgetStatus, map[string]any{"id": call}, &bs)
	if got := bs.Node.BudgetStatus; got.Committed != committed || got.Remaining != remaining {
		t.Errorf("budget status %+v, want committed %s, remaining %s", got, committed, remaining)
	}
}

func (a *api) grantStatus(t *testing.T, trajectoryID string) string {
	t.Helper()
	var out struct{ Node struct{ Grant grantData } }
	a.must("ministry", grantOf, map[string]any{"id": trajectoryID}, &out)
	return out.Node.Grant.Status
}

// checkCalculation checks who sees the calculation lines of the paid
// grant: the ministry and the giving side see salaries; the receiving side
// and the coordinator only the totals.
func (a *api) checkCalculation(t *testing.T, s story) {
	type line struct {
		Mentor             *struct{ Name string }
		Month, From, To    string
		MonthlyCost        string
		WeeklyHours        float64
		PlannedWeeklyHours *float64
		HoursSpent         *float64
		Share, Amount      string
	}
	type calc struct {
		Total, Uncapped     string
		Capped              bool
		CompensationPercent int
		PerProjectCap       string
		Lines               []line
	}
	for _, tt := range []struct {
		who   string
		lines bool
	}{
		{"ministry", true}, {"mechelen", true}, {s.t0Recv, false}, {"vvsg", false}, {"analyst", false},
	} {
		var out struct {
			Node struct {
				Calculation           *calc
				SettlementCalculation *calc
			}
		}
		a.must(tt.who, calculationOf, map[string]any{"id": s.grants[0]}, &out)
		c, sc := out.Node.Calculation, out.Node.SettlementCalculation
		if c == nil || sc == nil {
			t.Errorf("%s: calculations %v, %v", tt.who, c, sc)
			continue
		}
		if c.Total != "15000.00" || c.Uncapped != "15000.00" || c.Capped || c.CompensationPercent != 50 || c.PerProjectCap != "50000.00" {
			t.Errorf("%s: calculation totals %+v", tt.who, c)
		}
		if sc.Total != "14574.90" || sc.Uncapped != "14574.90" {
			t.Errorf("%s: settlement totals %+v", tt.who, sc)
		}
		if !tt.lines {
			if c.Lines != nil || sc.Lines != nil {
				t.Errorf("%s sees calculation lines with salaries", tt.who)
			}
			continue
		}
		if len(c.Lines) != 8 || len(sc.Lines) != 8 {
			t.Errorf("%s: %d and %d lines, want 8 each", tt.who, len(c.Lines), len(sc.Lines))
			continue
		}
		for i, l := range c.Lines {
			if l.Mentor == nil || l.Mentor.Name != "Mentor 0" || l.MonthlyCost != "7500.00" || l.WeeklyHours != 38 ||
				l.PlannedWeeklyHours == nil || *l.PlannedWeeklyHours != 19 || l.Share != "1/2" || l.Amount != "1875.00" ||
				l.Month != fmt.Sprintf("2027-%02d", i+1) || l.From != l.Month+"-01" {
				t.Errorf("%s: line %d: %+v", tt.who, i, l)
			}
		}
		var sum int64
		for _, l := range sc.Lines {
			var euro, cents int64
			fmt.Sscanf(l.Amount, "%d.%d", &euro, &cents)
			sum += euro*100 + cents
		}
		if sum != 1457490 {
			t.Errorf("%s: settlement lines add up to %d cents, want 1457490", tt.who, sum)
		}
	}
}

// snapshot returns every row of every table the process writes, as the
// system sees them, so that a refused step can be shown to change nothing.
func (a *api) snapshot() string {
	ctx := viewer.SystemContext(context.Background())
	c := a.client
	var b strings.Builder
	for _, rows := range []any{
		c.Call.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Trajectory.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Mentor.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Salary.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Assignment.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Grant.Query().Order(ent.Asc("id")).AllX(ctx),
		c.TimeEntry.Query().Order(ent.Asc("id")).AllX(ctx),
		c.Payment.Query().Order(ent.Asc("id")).AllX(ctx),
	} {
		j, _ := json.Marshal(rows)
		b.Write(j)
		b.WriteByte('\n')
	}
	// The calculations are sensitive fields, left out of the JSON above.
	for _, g := range c.Grant.Query().Order(ent.Asc("id")).AllX(ctx) {
		j, _ := json.Marshal([]any{g.Calculation, g.SettlementCalculation})
		b.Write(j)
	}
	return b.String()
}

func (a *api) illegalSteps(t *testing.T, s story) {
	unknownGrant := scalar.EncodeID(999_999_999)
	tests := []struct {
		name, who, query string
		input            map[string]any
		code, field      string
	}{
		{"anonymous submits", "", submit, map[string]any{"trajectoryID": s.t[1]}, "UNAUTHENTICATED", ""},
		{"the receiving side submits", "vilvoorde", submit, map[string]any{"trajectoryID": s.t[1]}, "FORBIDDEN", ""},
		{"a stranger submits", "kortrijk", submit, map[string]any{"trajectoryID": s.t[0]}, "NOT_FOUND", ""},
		{"the ministry submits", "ministry", submit, map[string]any{"trajectoryID": s.t[1]}, "FORBIDDEN", ""},
		{"submission before both signatures", "mechelen", submit, map[string]any{"trajectoryID": s.t[7]}, "CONFLICT", ""},
		{"a second signature by the same side", "mechelen", signAgreement, map[string]any{"trajectoryID": s.t[7]}, "CONFLICT", ""},
		{"signing an agreed trajectory", "leuven", signAgreement, map[string]any{"trajectoryID": s.t[0]}, "CONFLICT", ""},
		{"submission after the window", "mechelen", submit, map[string]any{"trajectoryID": s.closed}, "WINDOW_CLOSED", ""},
		{"submission after a decision", "mechelen", submit, map[string]any{"trajectoryID": s.t[0]}, "CONFLICT", ""},
		{"the coordinator opens a call", "vvsg", createCall, map[string]any{"name": "X", "year": 2027, "opensAt": "2027-01-01T00:00:00Z", "closesAt": "2027-02-01T00:00:00Z", "budget": "1.00", "perProjectCap": "1.00", "compensationPercent": 50}, "FORBIDDEN", ""},
		{"a call closing before it opens", "ministry", createCall, map[string]any{"name": "X", "year": 2027, "opensAt": "2027-02-01T00:00:00Z", "closesAt": "2027-01-01T00:00:00Z", "budget": "1.00", "perProjectCap": "1.00", "compensationPercent": 50}, "BAD_USER_INPUT", "closesAt"},
		{"a call named like another", "ministry", createCall, map[string]any{"name": "De Wisselaar 2027", "year": 2027, "opensAt": "2027-01-01T00:00:00Z", "closesAt": "2027-02-01T00:00:00Z", "budget": "1.00", "perProjectCap": "1.00", "compensationPercent": 50}, "CONFLICT", ""},
		{"a percentage above 100", "ministry", createCall, map[string]any{"name": "Y", "year": 2027, "opensAt": "2027-01-01T00:00:00Z", "closesAt": "2027-02-01T00:00:00Z", "budget": "1.00", "perProjectCap": "1.00", "compensationPercent": 150}, "BAD_USER_INPUT", "compensationPercent"},
		{"staff match municipalities", "mechelen", createTrajectory, map[string]any{"callID": s.call, "givingID": a.ids["mechelen"], "receivingID": a.ids["leuven"], "form": "MENTORING", "title": "X", "plannedStart": "2027-01-01", "plannedEnd": "2027-02-01"}, "FORBIDDEN", ""},
		{"a municipality with itself", "vvsg", createTrajectory, map[string]any{"callID": s.call, "givingID": a.ids["leuven"], "receivingID": a.ids["leuven"], "form": "MENTORING", "title": "X", "plannedStart": "2027-01-01", "plannedEnd": "2027-02-01"}, "BAD_USER_INPUT", "receivingID"},
		{"an end before the start", "vvsg", createTrajectory, map[string]any{"callID": s.call, "givingID": a.ids["mechelen"], "receivingID": a.ids["leuven"], "form": "MENTORING", "title": "X", "plannedStart": "2027-02-01", "plannedEnd": "2027-01-01"}, "BAD_USER_INPUT", "plannedEnd"},
		{"an unknown call", "vvsg", createTrajectory, map[string]any{"callID": unknownGrant, "givingID": a.ids["mechelen"], "receivingID": a.ids["leuven"], "form": "MENTORING", "title": "X", "plannedStart": "2027-01-01", "plannedEnd": "2027-02-01"}, "NOT_FOUND", ""},
		{"the coordinator registers a mentor", "vvsg", createMentor, map[string]any{"municipalityID": a.ids["mechelen"], "name": "X", "email": "x@mechelen.example"}, "FORBIDDEN", ""},
		{"staff register another's mentor", "kortrijk", createMentor, map[string]any{"municipalityID": a.ids["mechelen"], "name": "X", "email": "x@mechelen.example"}, "FORBIDDEN", ""},
		{"a mentor without e-mail address", "mechelen", createMentor, map[string]any{"municipalityID": a.ids["mechelen"], "name": "X", "email": "nobody"}, "BAD_USER_INPUT", "email"},
		{"a mentor registered twice", "mechelen", createMentor, map[string]any{"municipalityID": a.ids["mechelen"], "name": "X", "email": "mentor0@mechelen.example"}, "CONFLICT", ""},
		{"a salary starting on another's first day", "mechelen", recordSalary, map[string]any{"mentorID": s.mentor, "monthlyCost": "8000.00", "weeklyHours": 38, "validFrom": "2026-01-01"}, "BAD_USER_INPUT", "validFrom"},
		{"a salary with three decimals", "mechelen", recordSalary, map[string]any{"mentorID": s.mentor, "monthlyCost": "8000.001", "weeklyHours": 38, "validFrom": "2027-01-01"}, "BAD_USER_INPUT", "monthlyCost"},
		{"a negative salary", "mechelen", recordSalary, map[string]any{"mentorID": s.mentor, "monthlyCost": "-8000.00", "weeklyHours": 38, "validFrom": "2027-01-01"}, "BAD_USER_INPUT", "monthlyCost"},
		{"a salary ending before it starts", "mechelen", recordSalary, map[string]any{"mentorID": s.mentor, "monthlyCost": "8000.00", "weeklyHours": 38, "validFrom": "2027-01-01", "validTo": "2026-12-31"}, "BAD_USER_INPUT", "validTo"},
		{"the receiving side records a salary", s.t0Recv, recordSalary, map[string]any{"mentorID": s.mentor, "monthlyCost": "8000.00", "weeklyHours": 38, "validFrom": "2027-01-01"}, "FORBIDDEN", ""},
		{"a stranger records a salary", "kortrijk", recordSalary, map[string]any{"mentorID": s.mentor, "monthlyCost": "8000.00", "weeklyHours": 38, "validFrom": "2027-01-01"}, "NOT_FOUND", ""},
		{"assigning after the agreement", "mechelen", assignMentor, map[string]any{"trajectoryID": s.t[1], "mentorID": s.mentor, "plannedWeeklyHours": 10}, "CONFLICT", ""},
		{"assigning more hours than the contract", "mechelen", assignMentor, map[string]any{"trajectoryID": s.t[7], "mentorID": s.mentor, "plannedWeeklyHours": 40}, "BAD_USER_INPUT", "plannedWeeklyHours"},
		{"the receiving side assigns", "deinze", assignMentor, map[string]any{"trajectoryID": s.t[7], "mentorID": s.mentor, "plannedWeeklyHours": 10}, "FORBIDDEN", ""},
		{"the coordinator plans", "vvsg", updateActionPlan, map[string]any{"trajectoryID": s.t[7], "actionPlan": "X"}, "FORBIDDEN", ""},
		{"an empty action plan", "mechelen", updateActionPlan, map[string]any{"trajectoryID": s.t[7], "actionPlan": "  "}, "BAD_USER_INPUT", "actionPlan"},
		{"the giving side decides", "mechelen", decide, map[string]any{"grantID": s.grants[1], "approve": true, "awarded": "100.00"}, "FORBIDDEN", ""},
		{"approving a waiting application", "ministry", decide, map[string]any{"grantID": s.grants[8], "approve": true, "awarded": "15000.00"}, "BUDGET_EXHAUSTED", ""},
		{"awarding above the request", "ministry", decide, map[string]any{"grantID": s.grants[2], "approve": true, "awarded": "15000.01"}, "BAD_USER_INPUT", "awarded"},
		{"awarding nothing", "ministry", decide, map[string]any{"grantID": s.grants[2], "approve": true, "awarded": "0.00"}, "BAD_USER_INPUT", "awarded"},
		{"approving without an amount", "ministry", decide, map[string]any{"grantID": s.grants[2], "approve": true}, "BAD_USER_INPUT", "awarded"},
		{"rejecting without a reason", "ministry", decide, map[string]any{"grantID": s.grants[2], "approve": false}, "BAD_USER_INPUT", "reason"},
		{"deciding twice", "ministry", decide, map[string]any{"grantID": s.grants[3], "approve": false, "reason": "X"}, "CONFLICT", ""},
		{"deciding an unknown grant", "ministry", decide, map[string]any{"grantID": unknownGrant, "approve": false, "reason": "X"}, "NOT_FOUND", ""},
		{"withdrawing an approved grant", "mechelen", withdraw, map[string]any{"grantID": s.grants[3]}, "CONFLICT", ""},
		{"the receiving side withdraws", "vilvoorde", withdraw, map[string]any{"grantID": s.grants[1]}, "FORBIDDEN", ""},
		{"starting a running trajectory", "mechelen", start, map[string]any{"trajectoryID": s.t[3]}, "CONFLICT", ""},
		{"an analyst starts a trajectory", "analyst", start, map[string]any{"trajectoryID": s.t[1]}, "FORBIDDEN", ""},
		{"hours before the trajectory runs", "mechelen", recordHours, map[string]any{"trajectoryID": s.t[1], "entries": []map[string]any{{"mentorID": s.mentor, "month": "2027-01", "hours": 10}}}, "CONFLICT", ""},
		{"hours above the month's contract", "mechelen", recordHours, map[string]any{"trajectoryID": s.t[3], "entries": []map[string]any{{"mentorID": a.mentorOf(t, s.t[3]), "month": "2027-01", "hours": 164.68}}}, "BAD_USER_INPUT", "hours"},
		{"negative hours", "mechelen", recordHours, map[string]any{"trajectoryID": s.t[3], "entries": []map[string]any{{"mentorID": a.mentorOf(t, s.t[3]), "month": "2027-01", "hours": -1}}}, "BAD_USER_INPUT", "hours"},
		{"hours with three decimals", "mechelen", recordHours, map[string]any{"trajectoryID": s.t[3], "entries": []map[string]any{{"mentorID": a.mentorOf(t, s.t[3]), "month": "2027-01", "hours": 1.001}}}, "BAD_USER_INPUT", "hours"},
		{"hours outside the planned period", "mechelen", recordHours, map[string]any{"trajectoryID": s.t[3], "entries": []map[string]any{{"mentorID": a.mentorOf(t, s.t[3]), "month": "2026-12", "hours": 10}}}, "BAD_USER_INPUT", "month"},
		{"hours of a mentor not assigned", "mechelen", recordHours, map[string]any{"trajectoryID": s.t[3], "entries": []map[string]any{{"mentorID": s.mentor, "month": "2027-01", "hours": 10}}}, "BAD_USER_INPUT", "mentorID"},
		{"hours after settlement", "mechelen", recordHours, map[string]any{"trajectoryID": s.t[0], "entries": []map[string]any{{"mentorID": s.mentor, "month": "2027-01", "hours": 10}}}, "CONFLICT", ""},
		{"the receiving side records hours", "kortrijk", recordHours, map[string]any{"trajectoryID": s.t[4], "entries": []map[string]any{{"mentorID": s.mentor, "month": "2027-01", "hours": 10}}}, "FORBIDDEN", ""},
		{"completing without an evaluation", "vvsg", complete, map[string]any{"trajectoryID": s.t[3], "evaluationReport": ""}, "BAD_USER_INPUT", "evaluationReport"},
		{"completing before it runs", "vvsg", complete, map[string]any{"trajectoryID": s.t[1], "evaluationReport": "X"}, "CONFLICT", ""},
		{"cancelling a running trajectory", "vvsg", cancel, map[string]any{"trajectoryID": s.t[3]}, "CONFLICT", ""},
		{"the giving side cancels", "mechelen", cancel, map[string]any{"trajectoryID": s.t[1]}, "FORBIDDEN", ""},
		{"settling before completion", "ministry", settle, map[string]any{"grantID": s.grants[3]}, "CONFLICT", ""},
		{"settling a reserved application", "ministry", settle, map[string]any{"grantID": s.grants[1]}, "CONFLICT", ""},
		{"the giving side settles", "mechelen", settle, map[string]any{"grantID": s.grants[3]}, "FORBIDDEN", ""},
		{"paying more than awarded", "ministry", pay, map[string]any{"grantID": s.grants[3], "amount": "14000.01", "paidOn": "2027-03-01"}, "BAD_USER_INPUT", "amount"},
		{"paying a paid grant", "ministry", pay, map[string]any{"grantID": s.grants[0], "amount": "0.01", "paidOn": "2027-03-01"}, "CONFLICT", ""},
		{"paying a reserved application", "ministry", pay, map[string]any{"grantID": s.grants[1], "amount": "1.00", "paidOn": "2027-03-01"}, "CONFLICT", ""},
		{"the coordinator pays", "vvsg", pay, map[string]any{"grantID": s.grants[3], "amount": "1.00", "paidOn": "2027-03-01"}, "FORBIDDEN", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := a.snapshot()
			res := a.do(tt.who, tt.query, in(tt.input))
			if res.code() != tt.code || res.field() != tt.field {
				t.Errorf("got %s (field %q): %+v; want %s (field %q)", res.code(), res.field(), res.Errors, tt.code, tt.field)
			}
			if after := a.snapshot(); after != before {
				t.Errorf("the refused step changed the database")
			}
		})
	}

	// A double-clicked submission is not illegal: it returns the grant
	// already booked and changes nothing either.
	t.Run("a double-clicked submission", func(t *testing.T) {
		before := a.snapshot()
		var out struct{ SubmitGrantApplication struct{ Grant grantData } }
		a.must("mechelen", submit, in(map[string]any{"trajectoryID": s.t[1]}), &out)
		if out.SubmitGrantApplication.Grant.ID != s.grants[1] {
			t.Errorf("got grant %s, want %s", out.SubmitGrantApplication.Grant.ID, s.grants[1])
		}
		if a.snapshot() != before {
			t.Errorf("the repeated submission changed the database")
		}
	})

	// The legal counterparts change the database (which also shows that
	// the snapshot sees changes): cancelling t[1] withdraws its reserved
	// application, whose 15,000.00 promotes t[8] from the line; Deinze
	// declines t[7].
	t.Run("cancel and decline", func(t *testing.T) {
		before := a.snapshot()
		var out struct {
			CancelTrajectory struct{ Trajectory struct{ Status string } }
		}
		a.must("vvsg", cancel, in(map[string]any{"trajectoryID": s.t[1]}), &out)
		if out.CancelTrajectory.Trajectory.Status != "CANCELLED" {
			t.Errorf("cancelled trajectory is %s", out.CancelTrajectory.Trajectory.Status)
		}
		if st := a.grantStatus(t, s.t[1]); st != "WITHDRAWN" {
			t.Errorf("the cancelled trajectory's application is %s, want WITHDRAWN", st)
		}
		if st := a.grantStatus(t, s.t[8]); st != "RESERVED" {
			t.Errorf("the first in line is %s after the cancellation, want RESERVED", st)
		}
		a.checkBudget(t, s.call, "88574.90", "11425.10")
		var dec struct {
			DeclineTrajectory struct{ Trajectory struct{ Status string } }
		}
		a.must("deinze", `mutation($input: DeclineTrajectoryInput!) { declineTrajectory(input: $input) { trajectory { status } } }`,
			in(map[string]any{"trajectoryID": s.t[7]}), &dec)
		if dec.DeclineTrajectory.Trajectory.Status != "DECLINED" {
			t.Errorf("declined trajectory is %s", dec.DeclineTrajectory.Trajectory.Status)
		}
		if a.snapshot() == before {
			t.Errorf("the snapshot did not see the changes")
		}
		// The giving side withdraws t[8]'s application: its budget returns.
		var w struct{ WithdrawGrantApplication struct{ Grant grantData } }
		a.must("mechelen", withdraw, in(map[string]any{"grantID": s.grants[8]}), &w)
		if w.WithdrawGrantApplication.Grant.Status != "WITHDRAWN" {
			t.Errorf("withdrawn grant is %s", w.WithdrawGrantApplication.Grant.Status)
		}
		a.checkBudget(t, s.call, "73574.90", "26425.10")
	})
}

// mentorOf returns the ID of the mentor assigned to a trajectory.
func (a *api) mentorOf(t *testing.T, trajectoryID string) string {
	t.Helper()
	var out struct {
		Node struct{ Mentors []struct{ ID string } }
	}
	a.must("mechelen", `query($id: ID!) { node(id: $id) { ... on Trajectory { mentors { id } } } }`, map[string]any{"id": trajectoryID}, &out)
	if len(out.Node.Mentors) != 1 {
		t.Fatalf("trajectory %s has %d mentors", trajectoryID, len(out.Node.Mentors))
	}
	return out.Node.Mentors[0].ID
}
