package apitest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"wisselaar/ent"
	"wisselaar/ent/viewer"
	"wisselaar/graph"
	"wisselaar/internal/testutil"
)

// mutationMatrix is the access matrix of the process: what each kind of
// viewer gets from each mutation, on a target that a Mechelen → Leuven
// trajectory makes (for createMentor, Mechelen; for createCall and
// createTrajectory, none; for offers, Mechelen's; for needs, Leuven's, and
// proposeMatch matches the two). "ok" means the step succeeds; otherwise the
// cell is the error's extensions.code. NOT_FOUND is for a target the viewer
// cannot see, FORBIDDEN for one it sees but may not act on (DOMAIN.md, "Who
// uses the portal"; API.md, "Errors").
//
// The columns are the eight kinds of viewer of issue 3, as demo users:
// anonymous (""), giving staff (mechelen), receiving staff (leuven), staff
// of an unrelated municipality (brugge), coordinator (vvsg), ministry,
// analyst and partner.
const mutationMatrix = `
mutation                  anonymous        giving     receiving  unrelated  coordinator  ministry   analyst    partner
createCall                UNAUTHENTICATED  FORBIDDEN  FORBIDDEN  FORBIDDEN  FORBIDDEN    ok         FORBIDDEN  FORBIDDEN
createTrajectory          UNAUTHENTICATED  FORBIDDEN  FORBIDDEN  FORBIDDEN  ok           FORBIDDEN  FORBIDDEN  FORBIDDEN
acceptTrajectory          UNAUTHENTICATED  ok         ok         NOT_FOUND  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
createMentor              UNAUTHENTICATED  ok         FORBIDDEN  FORBIDDEN  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
recordSalary              UNAUTHENTICATED  ok         FORBIDDEN  NOT_FOUND  FORBIDDEN    FORBIDDEN  NOT_FOUND  NOT_FOUND
assignMentor              UNAUTHENTICATED  ok         FORBIDDEN  NOT_FOUND  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
updateActionPlan          UNAUTHENTICATED  ok         ok         NOT_FOUND  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
signAgreement             UNAUTHENTICATED  ok         ok         NOT_FOUND  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
submitGrantApplication    UNAUTHENTICATED  ok         FORBIDDEN  NOT_FOUND  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
withdrawGrantApplication  UNAUTHENTICATED  ok         FORBIDDEN  NOT_FOUND  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
decideGrant               UNAUTHENTICATED  FORBIDDEN  FORBIDDEN  NOT_FOUND  FORBIDDEN    ok         FORBIDDEN  FORBIDDEN
startTrajectory           UNAUTHENTICATED  ok         ok         NOT_FOUND  ok           FORBIDDEN  FORBIDDEN  FORBIDDEN
recordTimeEntries         UNAUTHENTICATED  ok         FORBIDDEN  NOT_FOUND  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
completeTrajectory        UNAUTHENTICATED  ok         ok         NOT_FOUND  ok           FORBIDDEN  FORBIDDEN  FORBIDDEN
declineTrajectory         UNAUTHENTICATED  ok         ok         NOT_FOUND  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
cancelTrajectory          UNAUTHENTICATED  FORBIDDEN  FORBIDDEN  NOT_FOUND  ok           FORBIDDEN  FORBIDDEN  FORBIDDEN
settleGrant               UNAUTHENTICATED  FORBIDDEN  FORBIDDEN  NOT_FOUND  FORBIDDEN    ok         FORBIDDEN  FORBIDDEN
registerPayment           UNAUTHENTICATED  FORBIDDEN  FORBIDDEN  NOT_FOUND  FORBIDDEN    ok         FORBIDDEN  FORBIDDEN
registerOffer             UNAUTHENTICATED  ok         FORBIDDEN  FORBIDDEN  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
withdrawOffer             UNAUTHENTICATED  ok         FORBIDDEN  FORBIDDEN  FORBIDDEN    FORBIDDEN  NOT_FOUND  NOT_FOUND
registerNeed              UNAUTHENTICATED  FORBIDDEN  ok         FORBIDDEN  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
withdrawNeed              UNAUTHENTICATED  NOT_FOUND  ok         NOT_FOUND  FORBIDDEN    FORBIDDEN  NOT_FOUND  NOT_FOUND
proposeMatch              UNAUTHENTICATED  FORBIDDEN  FORBIDDEN  FORBIDDEN  ok           FORBIDDEN  FORBIDDEN  FORBIDDEN
uploadDocument            UNAUTHENTICATED  ok         ok         NOT_FOUND  FORBIDDEN    FORBIDDEN  FORBIDDEN  FORBIDDEN
publishTrajectory         UNAUTHENTICATED  FORBIDDEN  FORBIDDEN  NOT_FOUND  ok           FORBIDDEN  FORBIDDEN  FORBIDDEN
registerWebhook           UNAUTHENTICATED  FORBIDDEN  FORBIDDEN  FORBIDDEN  FORBIDDEN    ok         FORBIDDEN  ok
deleteWebhook             UNAUTHENTICATED  NOT_FOUND  NOT_FOUND  NOT_FOUND  NOT_FOUND    NOT_FOUND  NOT_FOUND  ok
`

// matrixViewers maps the matrix's columns to demo users.
var matrixViewers = map[string]string{
	"anonymous": "", "giving": "mechelen", "receiving": "leuven", "unrelated": "brugge",
	"coordinator": "vvsg", "ministry": "ministry", "analyst": "analyst", "partner": "partner",
}

// mutationCase says how to put a mutation to the test: the operation, the
// precondition, and what success must leave behind.
type mutationCase struct {
	// query is the operation, with the input in $input.
	query string
	// setup builds the precondition in a fresh database through the API,
	// each step taken by the user whose step it is, and returns the input.
	setup func(f *fixture) precondition
	// check asserts the data of a successful step by the viewer of kind
	// (an allowed one), and the state it leaves.
	check func(f *fixture, kind string, data jsonObject)
	// send, when set, sends the step instead of a JSON request (an upload
	// is a multipart request).
	send func(f *fixture, login string, input map[string]any) *testutil.Response
}

// run sends the step as login.
func (mc mutationCase) run(f *fixture, login string, input map[string]any) *testutil.Response {
	if mc.send != nil {
		return mc.send(f, login, input)
	}
	return f.s.Query(f.t, login, mc.query, map[string]any{"input": input})
}

// precondition is the input every viewer sends; a step that a thing can
// take only once (starting a trajectory, say) gets a target of its own for
// each allowed viewer after the first, in own.
type precondition struct {
	input map[string]any
	own   map[string]map[string]any
}

var mutationCases = map[string]mutationCase{
	"createCall": {
		query: `mutation($input: CreateCallInput!) { createCall(input: $input) { call { name year budgetStatus { budget committed remaining } } } }`,
		setup: func(f *fixture) precondition {
			return precondition{input: callInput("Matrix call")}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "createCall.call.name", "Matrix call")
			f.expect(d, "createCall.call.budgetStatus.remaining", "100000.00")
		},
	},
	"createTrajectory": {
		query: `mutation($input: CreateTrajectoryInput!) { createTrajectory(input: $input) { trajectory { status title giving { nisCode } receiving { nisCode } themes { code } } } }`,
		setup: func(f *fixture) precondition {
			return precondition{input: f.trajectoryInput(f.openCall(), false)}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "createTrajectory.trajectory.status", "MATCHED")
			f.expect(d, "createTrajectory.trajectory.giving.nisCode", "12025")
			f.expect(d, "createTrajectory.trajectory.receiving.nisCode", "24062")
		},
	},
	"acceptTrajectory": {
		query: `mutation($input: AcceptTrajectoryInput!) { acceptTrajectory(input: $input) { trajectory { status givingAcceptedAt receivingAcceptedAt } } }`,
		setup: func(f *fixture) precondition {
			return precondition{input: map[string]any{"trajectoryID": f.match(f.openCall(), true)}}
		},
		// Giving accepts first: still PROPOSED; then receiving: MATCHED.
		check: func(f *fixture, kind string, d jsonObject) {
			if kind == "giving" {
				f.expect(d, "acceptTrajectory.trajectory.status", "PROPOSED")
				f.expectSet(d, "acceptTrajectory.trajectory.givingAcceptedAt", true)
				f.expectSet(d, "acceptTrajectory.trajectory.receivingAcceptedAt", false)
				return
			}
			f.expect(d, "acceptTrajectory.trajectory.status", "MATCHED")
			f.expectSet(d, "acceptTrajectory.trajectory.givingAcceptedAt", true)
			f.expectSet(d, "acceptTrajectory.trajectory.receivingAcceptedAt", true)
		},
	},
	"createMentor": {
		query: `mutation($input: CreateMentorInput!) { createMentor(input: $input) { mentor { name email municipality { nisCode } } } }`,
		setup: func(f *fixture) precondition {
			return precondition{input: map[string]any{"municipalityID": f.municipality["mechelen"], "name": "Matrix Mentor", "email": "matrix@mechelen.example"}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "createMentor.mentor.name", "Matrix Mentor")
			f.expect(d, "createMentor.mentor.municipality.nisCode", "12025")
		},
	},
	"recordSalary": {
		query: `mutation($input: RecordSalaryInput!) { recordSalary(input: $input) { salary { monthlyCost validFrom validTo } } }`,
		// The mentor works on the trajectory, so that Leuven sees her; the
		// new salary is a raise over her current one.
		setup: func(f *fixture) precondition {
			tr, m := f.match(f.openCall(), false), f.mentor()
			f.assign(tr, m)
			return precondition{input: map[string]any{"mentorID": m, "monthlyCost": "8000.00", "weeklyHours": 38, "validFrom": "2027-03-01"}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "recordSalary.salary.monthlyCost", "8000.00")
			var out struct {
				Node struct {
					Salaries []struct {
						MonthlyCost, ValidFrom string
						ValidTo                *string
					}
				}
			}
			f.s.Query(f.t, "mechelen", `query($id: ID!) { node(id: $id) { ... on Mentor { salaries { monthlyCost validFrom validTo } } } }`,
				map[string]any{"id": f.input["mentorID"]}).Decode(f.t, &out)
			got := out.Node.Salaries
			slices.SortFunc(got, func(a, b struct {
				MonthlyCost, ValidFrom string
				ValidTo                *string
			}) int {
				return strings.Compare(a.ValidFrom, b.ValidFrom)
			})
			if len(got) != 2 || got[0].ValidTo == nil || *got[0].ValidTo != "2027-02-28" || got[1].ValidTo != nil {
				f.t.Errorf("after the raise the salaries are %+v; want the first closed on 2027-02-28 and the raise open-ended", got)
			}
		},
	},
	"assignMentor": {
		query: `mutation($input: AssignMentorInput!) { assignMentor(input: $input) { trajectory { status mentors { name } } } }`,
		setup: func(f *fixture) precondition {
			return precondition{input: map[string]any{"trajectoryID": f.match(f.openCall(), false), "mentorID": f.mentor(), "plannedWeeklyHours": 19}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "assignMentor.trajectory.mentors.0.name", "Mentor 1")
		},
	},
	"updateActionPlan": {
		query: `mutation($input: UpdateActionPlanInput!) { updateActionPlan(input: $input) { trajectory { actionPlan } } }`,
		setup: func(f *fixture) precondition {
			tr := f.match(f.openCall(), false)
			return precondition{
				input: map[string]any{"trajectoryID": tr, "actionPlan": "Plan of Mechelen"},
				own:   map[string]map[string]any{"receiving": {"trajectoryID": tr, "actionPlan": "Plan of Leuven"}},
			}
		},
		check: func(f *fixture, kind string, d jsonObject) {
			f.expect(d, "updateActionPlan.trajectory.actionPlan", map[string]string{"giving": "Plan of Mechelen", "receiving": "Plan of Leuven"}[kind])
		},
	},
	"signAgreement": {
		query: `mutation($input: SignAgreementInput!) { signAgreement(input: $input) { trajectory { status givingSignedAt receivingSignedAt } } }`,
		setup: func(f *fixture) precondition {
			tr := f.match(f.openCall(), false)
			f.assign(tr, f.mentor())
			return precondition{input: map[string]any{"trajectoryID": tr}}
		},
		// Giving signs first: still MATCHED; then receiving: AGREED.
		check: func(f *fixture, kind string, d jsonObject) {
			f.expect(d, "signAgreement.trajectory.status", map[string]string{"giving": "MATCHED", "receiving": "AGREED"}[kind])
			f.expectSet(d, "signAgreement.trajectory.givingSignedAt", true)
			f.expectSet(d, "signAgreement.trajectory.receivingSignedAt", kind == "receiving")
		},
	},
	"submitGrantApplication": {
		query: `mutation($input: SubmitGrantApplicationInput!) { submitGrantApplication(input: $input) { grant { status requested } } }`,
		setup: func(f *fixture) precondition {
			return precondition{input: map[string]any{"trajectoryID": f.agreed(f.openCall())}}
		},
		// 50 % × 7,500.00 × 19/38 × four months.
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "submitGrantApplication.grant.status", "RESERVED")
			f.expect(d, "submitGrantApplication.grant.requested", "7500.00")
		},
	},
	"withdrawGrantApplication": {
		query: `mutation($input: WithdrawGrantApplicationInput!) { withdrawGrantApplication(input: $input) { grant { status call { id budgetStatus { committed } } } } }`,
		setup: func(f *fixture) precondition {
			return precondition{input: map[string]any{"grantID": f.submit(f.agreed(f.openCall()))}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "withdrawGrantApplication.grant.status", "WITHDRAWN")
			// The ledger sums applications the giving side may not read:
			// its staff get no budget status; the ministry sees the money
			// returned.
			f.expect(d, "withdrawGrantApplication.grant.call.budgetStatus", nil)
			call, _ := d.at("withdrawGrantApplication.grant.call.id").(string)
			var ledger struct {
				Node struct{ BudgetStatus struct{ Committed string } }
			}
			f.s.Query(f.t, "ministry", `query($id: ID!) { node(id: $id) { ... on Call { budgetStatus { committed } } } }`,
				map[string]any{"id": call}).Decode(f.t, &ledger)
			if ledger.Node.BudgetStatus.Committed != "0.00" {
				f.t.Errorf("committed after withdrawal: %q, want 0.00", ledger.Node.BudgetStatus.Committed)
			}
		},
	},
	"decideGrant": {
		query: `mutation($input: DecideGrantInput!) { decideGrant(input: $input) { grant { status awarded } } }`,
		setup: func(f *fixture) precondition {
			return precondition{input: map[string]any{"grantID": f.submit(f.agreed(f.openCall())), "approve": true, "awarded": "7000.00", "reason": "Approved"}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "decideGrant.grant.status", "APPROVED")
			f.expect(d, "decideGrant.grant.awarded", "7000.00")
		},
	},
	"startTrajectory": {
		query: `mutation($input: StartTrajectoryInput!) { startTrajectory(input: $input) { trajectory { status startedAt } } }`,
		setup: func(f *fixture) precondition {
			call := f.openCall()
			return precondition{
				input: map[string]any{"trajectoryID": f.agreed(call)},
				own: map[string]map[string]any{
					"receiving":   {"trajectoryID": f.agreed(call)},
					"coordinator": {"trajectoryID": f.agreed(call)},
				},
			}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "startTrajectory.trajectory.status", "RUNNING")
			f.expectSet(d, "startTrajectory.trajectory.startedAt", true)
		},
	},
	"recordTimeEntries": {
		query: `mutation($input: RecordTimeEntriesInput!) { recordTimeEntries(input: $input) { trajectory { timeEntries { month hours } } } }`,
		setup: func(f *fixture) precondition {
			tr := f.agreed(f.openCall())
			f.start(tr)
			return precondition{input: map[string]any{"trajectoryID": tr, "entries": []map[string]any{{"mentorID": f.mentorID, "month": "2027-01", "hours": 80}}}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "recordTimeEntries.trajectory.timeEntries.0.month", "2027-01")
			f.expect(d, "recordTimeEntries.trajectory.timeEntries.0.hours", 80.0)
		},
	},
	"completeTrajectory": {
		query: `mutation($input: CompleteTrajectoryInput!) { completeTrajectory(input: $input) { trajectory { status evaluationReport completedAt } } }`,
		setup: func(f *fixture) precondition {
			call := f.openCall()
			running := func() map[string]any {
				tr := f.agreed(call)
				f.start(tr)
				return map[string]any{"trajectoryID": tr, "evaluationReport": "Outcomes in annex."}
			}
			return precondition{input: running(), own: map[string]map[string]any{"receiving": running(), "coordinator": running()}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "completeTrajectory.trajectory.status", "COMPLETED")
			f.expect(d, "completeTrajectory.trajectory.evaluationReport", "Outcomes in annex.")
		},
	},
	"declineTrajectory": {
		query: `mutation($input: DeclineTrajectoryInput!) { declineTrajectory(input: $input) { trajectory { status } } }`,
		setup: func(f *fixture) precondition {
			call := f.openCall()
			return precondition{
				input: map[string]any{"trajectoryID": f.match(call, false)},
				own:   map[string]map[string]any{"receiving": {"trajectoryID": f.match(call, true)}},
			}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "declineTrajectory.trajectory.status", "DECLINED")
		},
	},
	"cancelTrajectory": {
		query: `mutation($input: CancelTrajectoryInput!) { cancelTrajectory(input: $input) { trajectory { status grant { status } } } }`,
		// An agreed trajectory with a reserved application, which the
		// cancellation withdraws.
		setup: func(f *fixture) precondition {
			tr := f.agreed(f.openCall())
			f.submit(tr)
			return precondition{input: map[string]any{"trajectoryID": tr}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "cancelTrajectory.trajectory.status", "CANCELLED")
			f.expect(d, "cancelTrajectory.trajectory.grant.status", "WITHDRAWN")
		},
	},
	"registerWebhook": {
		query: registerWebhookOp,
		setup: func(f *fixture) precondition {
			return precondition{input: map[string]any{"url": "http://127.0.0.1:9/hooks", "events": []string{"grant.changed"}}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "registerWebhook.webhook.url", "http://127.0.0.1:9/hooks")
			if !strings.HasPrefix(d.str(f.t, "registerWebhook.secret"), "whsec_") {
				f.t.Errorf("secret %v", d.at("registerWebhook.secret"))
			}
		},
	},
	"deleteWebhook": {
		// The partner's webhook: only the partner sees it.
		query: deleteWebhookOp,
		setup: func(f *fixture) precondition {
			d := f.must("partner", registerWebhookOp, map[string]any{"url": "http://127.0.0.1:9/hooks", "events": []string{"grant.changed"}})
			return precondition{input: map[string]any{"webhookID": d.str(f.t, "registerWebhook.webhook.id")}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "deleteWebhook.deletedID", f.input["webhookID"])
		},
	},
	"publishTrajectory": {
		query: `mutation($input: PublishTrajectoryInput!) { publishTrajectory(input: $input) { trajectory { publicSummary publishedAt } } }`,
		// Approved, run and completed.
		setup: func(f *fixture) precondition {
			tr := f.agreed(f.openCall())
			f.approve(f.submit(tr))
			f.start(tr)
			f.must("leuven", completeTrajectoryOp, map[string]any{"trajectoryID": tr, "evaluationReport": "Done."})
			return precondition{input: map[string]any{"trajectoryID": tr, "publicSummary": "Mechelen deelde zijn aanpak."}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "publishTrajectory.trajectory.publicSummary", "Mechelen deelde zijn aanpak.")
		},
	},
	"settleGrant": {
		query: `mutation($input: SettleGrantInput!) { settleGrant(input: $input) { grant { status awarded settled } } }`,
		// Approved, run with 80 hours in each of the four months, and
		// completed.
		setup: func(f *fixture) precondition {
			tr := f.agreed(f.openCall())
			g := f.approve(f.submit(tr))
			f.start(tr)
			var entries []map[string]any
			for m := 1; m <= 4; m++ {
				entries = append(entries, map[string]any{"mentorID": f.mentorID, "month": fmt.Sprintf("2027-%02d", m), "hours": 80})
			}
			f.must("mechelen", recordTimeEntriesOp, map[string]any{"trajectoryID": tr, "entries": entries})
			f.must("leuven", completeTrajectoryOp, map[string]any{"trajectoryID": tr, "evaluationReport": "Done."})
			return precondition{input: map[string]any{"grantID": g}}
		},
		// 50 % × 7,500.00 × 80 ÷ (38 × 52 ÷ 12) × 4 = 7,287.449… → 7,287.45.
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "settleGrant.grant.status", "SETTLED")
			f.expect(d, "settleGrant.grant.settled", "7287.45")
		},
	},
	"registerPayment": {
		query: `mutation($input: RegisterPaymentInput!) { registerPayment(input: $input) { grant { status paid payments { amount paidOn } } } }`,
		// An advance on an approved grant.
		setup: func(f *fixture) precondition {
			g := f.approve(f.submit(f.agreed(f.openCall())))
			return precondition{input: map[string]any{"grantID": g, "amount": "2500.00", "paidOn": "2027-01-15"}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "registerPayment.grant.status", "APPROVED")
			f.expect(d, "registerPayment.grant.paid", "2500.00")
			f.expect(d, "registerPayment.grant.payments.0.paidOn", "2027-01-15")
		},
	},
	"registerOffer": {
		query: `mutation($input: RegisterOfferInput!) { registerOffer(input: $input) { offer { status forms capacityHoursPerWeek municipality { nisCode } } } }`,
		setup: func(f *fixture) precondition { return precondition{input: f.offerInput()} },
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "registerOffer.offer.status", "OPEN")
			f.expect(d, "registerOffer.offer.forms.0", "MENTORING")
			f.expect(d, "registerOffer.offer.capacityHoursPerWeek", 19.0)
			f.expect(d, "registerOffer.offer.municipality.nisCode", "12025")
		},
	},
	"withdrawOffer": {
		query: `mutation($input: WithdrawOfferInput!) { withdrawOffer(input: $input) { offer { status } } }`,
		setup: func(f *fixture) precondition { return precondition{input: map[string]any{"offerID": f.offer()}} },
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "withdrawOffer.offer.status", "WITHDRAWN")
		},
	},
	"registerNeed": {
		query: `mutation($input: RegisterNeedInput!) { registerNeed(input: $input) { need { status preferredForm municipality { nisCode } } } }`,
		setup: func(f *fixture) precondition { return precondition{input: f.needInput()} },
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "registerNeed.need.status", "OPEN")
			f.expect(d, "registerNeed.need.preferredForm", "MENTORING")
			f.expect(d, "registerNeed.need.municipality.nisCode", "24062")
		},
	},
	"withdrawNeed": {
		query: `mutation($input: WithdrawNeedInput!) { withdrawNeed(input: $input) { need { status } } }`,
		setup: func(f *fixture) precondition { return precondition{input: map[string]any{"needID": f.need()}} },
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "withdrawNeed.need.status", "WITHDRAWN")
		},
	},
	"uploadDocument": {
		query: uploadOp,
		setup: func(f *fixture) precondition {
			return precondition{input: map[string]any{"trajectoryID": f.match(f.openCall(), false), "kind": "ACTION_PLAN"}}
		},
		send: func(f *fixture, login string, input map[string]any) *testutil.Response {
			return upload(f.t, f.s, login, input["trajectoryID"].(string), input["kind"].(string), "actieplan.pdf", fakePDF("actieplan van "+login))
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "uploadDocument.document.kind", "ACTION_PLAN")
			f.expect(d, "uploadDocument.document.contentType", "application/pdf")
		},
	},
	"proposeMatch": {
		query: `mutation($input: ProposeMatchInput!) { proposeMatch(input: $input) { trajectory { status form offerHoursPerWeek giving { nisCode } receiving { nisCode } } } }`,
		setup: func(f *fixture) precondition {
			return precondition{input: map[string]any{"offerID": f.offer(), "needID": f.need(), "callID": f.openCall(), "title": "Matched"}}
		},
		check: func(f *fixture, _ string, d jsonObject) {
			f.expect(d, "proposeMatch.trajectory.status", "PROPOSED")
			f.expect(d, "proposeMatch.trajectory.form", "MENTORING")
			f.expect(d, "proposeMatch.trajectory.offerHoursPerWeek", 19.0)
			f.expect(d, "proposeMatch.trajectory.giving.nisCode", "12025")
			f.expect(d, "proposeMatch.trajectory.receiving.nisCode", "24062")
		},
	},
}

// TestMutationMatrix puts every mutation of the API to the eight kinds of
// viewer. Each mutation gets a fresh copy of the demo database, in which
// setup builds the precondition through the API. The refused viewers go
// first: each must get its code and leave the database exactly as it was.
// Then the allowed viewers, in the order of the columns: each must succeed
// and leave the state that check expects.
func TestMutationMatrix(t *testing.T) {
	rows := parseMatrix(t)
	for _, row := range rows {
		t.Run(row.mutation, func(t *testing.T) {
			mc := mutationCases[row.mutation]
			f := newFixture(t)
			pre := mc.setup(f)
			f.input = pre.input

			var allowed []string
			for _, kind := range row.kinds {
				want := row.want[kind]
				if want == "ok" {
					allowed = append(allowed, kind)
					continue
				}
				before := f.snapshot()
				res := mc.run(f, matrixViewers[kind], pre.input)
				if got := res.Code(); got != want {
					t.Errorf("%s (%s): got %q %+v, want %s", kind, matrixViewers[kind], got, res.Errors, want)
				}
				if changed := f.snapshot().changed(before); len(changed) > 0 {
					t.Errorf("%s (%s) was refused but changed %s", kind, matrixViewers[kind], strings.Join(changed, ", "))
				}
			}
			for _, kind := range allowed {
				input := pre.input
				if own, ok := pre.own[kind]; ok {
					input = own
				}
				before := f.snapshot()
				res := mc.run(f, matrixViewers[kind], input)
				if len(res.Errors) > 0 {
					t.Errorf("%s (%s) may %s but got %+v", kind, matrixViewers[kind], row.mutation, res.Errors)
					continue
				}
				if len(f.snapshot().changed(before)) == 0 {
					t.Errorf("%s (%s) succeeded but changed nothing", kind, matrixViewers[kind])
				}
				var data jsonObject
				if err := json.Unmarshal(res.Data, &data); err != nil {
					t.Fatal(err)
				}
				f.input = input
				mc.check(f, kind, data)
			}
		})
	}
}

// matrixRow is one line of mutationMatrix.
type matrixRow struct {
	mutation string
	kinds    []string          // the columns, in order
	want     map[string]string // kind → "ok" or a code
}

// parseMatrix reads mutationMatrix, checking that its columns are the eight
// kinds of viewer, its cells known outcomes, and its rows exactly the
// mutations of the schema, each with a case.
func parseMatrix(t *testing.T) []matrixRow {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(mutationMatrix), "\n")
	header := strings.Fields(lines[0])[1:]
	if len(header) != len(matrixViewers) {
		t.Fatalf("the matrix has %d columns, want %d", len(header), len(matrixViewers))
	}
	for _, kind := range header {
		if _, ok := matrixViewers[kind]; !ok {
			t.Fatalf("the matrix has a column %q that is no kind of viewer", kind)
		}
	}
	outcomes := []string{"ok", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"}
	var rows []matrixRow
	seen := map[string]bool{}
	for _, line := range lines[1:] {
		cells := strings.Fields(line)
		if len(cells) != len(header)+1 {
			t.Fatalf("matrix line %q has %d cells, want %d", line, len(cells), len(header)+1)
		}
		row := matrixRow{mutation: cells[0], kinds: header, want: map[string]string{}}
		for i, kind := range header {
			if !slices.Contains(outcomes, cells[i+1]) {
				t.Fatalf("matrix line %s: unknown outcome %q", row.mutation, cells[i+1])
			}
			row.want[kind] = cells[i+1]
		}
		if _, ok := mutationCases[row.mutation]; !ok {
			t.Fatalf("the matrix has a line for %s but no case says how to test it", row.mutation)
		}
		seen[row.mutation] = true
		rows = append(rows, row)
	}
	for _, f := range graph.NewSchema(nil).Schema().Mutation.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		if !seen[f.Name] {
			t.Errorf("the mutation %s is missing from the matrix", f.Name)
		}
		delete(seen, f.Name)
	}
	for name := range seen {
		t.Errorf("the matrix has a line for %s, which is no mutation of the schema", name)
	}
	if t.Failed() {
		t.FailNow()
	}
	return rows
}

// offerInput is an offer of Mechelen: mentoring, 19 hours a week, from
// today for half a year.
func (f *fixture) offerInput() map[string]any {
	now := time.Now()
	return map[string]any{
		"municipalityID": f.municipality["mechelen"], "themeIDs": []string{f.theme},
		"description": "Begeleiding van de sociale dienst bij een reorganisatie.", "topics": []string{"reorganisatie"},
		"forms": []string{"MENTORING"}, "capacityHoursPerWeek": 19,
		"availableFrom": now.Format("2006-01-02"), "availableUntil": now.AddDate(0, 6, 0).Format("2006-01-02"),
	}
}

// needInput is a need of Leuven for mentoring, from next month for four.
func (f *fixture) needInput() map[string]any {
	now := time.Now()
	return map[string]any{
		"municipalityID": f.municipality["leuven"], "themeIDs": []string{f.theme},
		"description": "Onze sociale dienst wil zijn werking herbekijken.", "preferredForm": "MENTORING",
		"desiredStart": now.AddDate(0, 1, 0).Format("2006-01-02"), "desiredEnd": now.AddDate(0, 5, 0).Format("2006-01-02"),
	}
}

// offer has Mechelen register an offer and returns its ID.
func (f *fixture) offer() string {
	f.t.Helper()
	return f.must("mechelen", registerOfferOp, f.offerInput()).str(f.t, "registerOffer.offer.id")
}

// need has Leuven register a need and returns its ID.
func (f *fixture) need() string {
	f.t.Helper()
	return f.must("leuven", registerNeedOp, f.needInput()).str(f.t, "registerNeed.need.id")
}

// Operations the fixture uses to build preconditions.
const (
	registerOfferOp      = `mutation($input: RegisterOfferInput!) { registerOffer(input: $input) { offer { id } } }`
	registerNeedOp       = `mutation($input: RegisterNeedInput!) { registerNeed(input: $input) { need { id } } }`
	createCallOp         = `mutation($input: CreateCallInput!) { createCall(input: $input) { call { id } } }`
	createTrajectoryOp   = `mutation($input: CreateTrajectoryInput!) { createTrajectory(input: $input) { trajectory { id status } } }`
	createMentorOp       = `mutation($input: CreateMentorInput!) { createMentor(input: $input) { mentor { id } } }`
	recordSalaryOp       = `mutation($input: RecordSalaryInput!) { recordSalary(input: $input) { salary { id } } }`
	assignMentorOp       = `mutation($input: AssignMentorInput!) { assignMentor(input: $input) { trajectory { id } } }`
	signAgreementOp      = `mutation($input: SignAgreementInput!) { signAgreement(input: $input) { trajectory { status } } }`
	submitOp             = `mutation($input: SubmitGrantApplicationInput!) { submitGrantApplication(input: $input) { grant { id status } } }`
	decideGrantOp        = `mutation($input: DecideGrantInput!) { decideGrant(input: $input) { grant { id status } } }`
	startTrajectoryOp    = `mutation($input: StartTrajectoryInput!) { startTrajectory(input: $input) { trajectory { status } } }`
	recordTimeEntriesOp  = `mutation($input: RecordTimeEntriesInput!) { recordTimeEntries(input: $input) { trajectory { id } } }`
	completeTrajectoryOp = `mutation($input: CompleteTrajectoryInput!) { completeTrajectory(input: $input) { trajectory { status } } }`
)

// fixture is the server over a fresh copy of the demo database, with the
// builders of the preconditions. Each builder takes its steps through the
// API as the user whose step it is.
type fixture struct {
	t            *testing.T
	s            *testutil.Server
	municipality map[string]string // login → global ID
	theme        string
	calls        int
	mentors      int
	// mentorID is the Mechelen mentor of the trajectory agreed last.
	mentorID string
	// input is the input of the step being checked.
	input map[string]any
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, testutil.NewServer(t, testutil.SeededPostgres(t), nil))
}

// newFixtureOn is newFixture on a server the test configured.
func newFixtureOn(t *testing.T, s *testutil.Server) *fixture {
	t.Helper()
	f := &fixture{t: t, s: s, municipality: map[string]string{}}
	var public struct {
		Municipalities struct {
			Edges []struct{ Node struct{ ID, NisCode string } }
		}
		Themes struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	f.s.Query(t, "", `{ municipalities(first: 50) { edges { node { id nisCode } } } themes(first: 1) { edges { node { id } } } }`, nil).Decode(t, &public)
	logins := map[string]string{"12025": "mechelen", "24062": "leuven", "31005": "brugge"}
	for _, e := range public.Municipalities.Edges {
		if login, ok := logins[e.Node.NisCode]; ok {
			f.municipality[login] = e.Node.ID
		}
	}
	f.theme = public.Themes.Edges[0].Node.ID
	return f
}

// must runs a step of a precondition as login; it must succeed.
func (f *fixture) must(login, query string, input map[string]any) jsonObject {
	f.t.Helper()
	res := f.s.Query(f.t, login, query, map[string]any{"input": input})
	if len(res.Errors) > 0 {
		f.t.Fatalf("precondition: %s: %s: %+v", login, strings.Fields(query)[1], res.Errors)
	}
	var data jsonObject
	if err := json.Unmarshal(res.Data, &data); err != nil {
		f.t.Fatal(err)
	}
	return data
}

// callInput is a call that is open now: from yesterday, for a month, with
// a budget of 100,000.00, a cap of 50,000.00 and a rate of 50 %.
func callInput(name string) map[string]any {
	now := time.Now()
	return map[string]any{
		"name": name, "year": now.Year(),
		"opensAt": now.AddDate(0, 0, -1).Format(time.RFC3339), "closesAt": now.AddDate(0, 1, 0).Format(time.RFC3339),
		"budget": "100000.00", "perProjectCap": "50000.00", "compensationPercent": 50,
	}
}

// openCall has the ministry open a call and returns its ID.
func (f *fixture) openCall() string {
	f.t.Helper()
	f.calls++
	d := f.must("ministry", createCallOp, callInput(fmt.Sprintf("Precondition call %d", f.calls)))
	return d.str(f.t, "createCall.call.id")
}

func (f *fixture) trajectoryInput(call string, proposed bool) map[string]any {
	return map[string]any{
		"callID": call, "givingID": f.municipality["mechelen"], "receivingID": f.municipality["leuven"],
		"form": "MENTORING", "title": "Matrix exchange", "themeIDs": []string{f.theme},
		"plannedStart": "2027-01-01", "plannedEnd": "2027-04-30", "proposed": proposed,
	}
}

// match has the coordinator match Mechelen with Leuven (MATCHED, or
// PROPOSED when proposed) and returns the trajectory's ID.
func (f *fixture) match(call string, proposed bool) string {
	f.t.Helper()
	return f.must("vvsg", createTrajectoryOp, f.trajectoryInput(call, proposed)).str(f.t, "createTrajectory.trajectory.id")
}

// mentor has Mechelen register a mentor with a salary of 7,500.00 a month
// on 38 hours a week from 1 January 2026, and returns her ID.
func (f *fixture) mentor() string {
	f.t.Helper()
	f.mentors++
	m := f.must("mechelen", createMentorOp, map[string]any{
		"municipalityID": f.municipality["mechelen"], "name": fmt.Sprintf("Mentor %d", f.mentors),
		"email": fmt.Sprintf("mentor%d@mechelen.example", f.mentors),
	}).str(f.t, "createMentor.mentor.id")
	f.must("mechelen", recordSalaryOp, map[string]any{"mentorID": m, "monthlyCost": "7500.00", "weeklyHours": 38, "validFrom": "2026-01-01"})
	return m
}

// assign has Mechelen assign a mentor at 19 hours a week.
func (f *fixture) assign(trajectory, mentor string) {
	f.t.Helper()
	f.must("mechelen", assignMentorOp, map[string]any{"trajectoryID": trajectory, "mentorID": mentor, "plannedWeeklyHours": 19})
}

// agreed builds a trajectory that both sides signed, with a new mentor
// assigned (f.mentorID), and returns its ID. Each trajectory gets its own
// mentor: all are planned in the same months, and one mentor's hours may be
// claimed only once.
func (f *fixture) agreed(call string) string {
	f.t.Helper()
	f.mentorID = f.mentor()
	tr := f.match(call, false)
	f.assign(tr, f.mentorID)
	f.must("mechelen", signAgreementOp, map[string]any{"trajectoryID": tr})
	if st := f.must("leuven", signAgreementOp, map[string]any{"trajectoryID": tr}).str(f.t, "signAgreement.trajectory.status"); st != "AGREED" {
		f.t.Fatalf("precondition: a trajectory signed by both is %s", st)
	}
	return tr
}

// submit has Mechelen submit the application and returns the grant's ID.
func (f *fixture) submit(trajectory string) string {
	f.t.Helper()
	d := f.must("mechelen", submitOp, map[string]any{"trajectoryID": trajectory})
	if st := d.str(f.t, "submitGrantApplication.grant.status"); st != "RESERVED" {
		f.t.Fatalf("precondition: the application is %s", st)
	}
	return d.str(f.t, "submitGrantApplication.grant.id")
}

// approve has the ministry award the requested 7,500.00.
func (f *fixture) approve(grant string) string {
	f.t.Helper()
	f.must("ministry", decideGrantOp, map[string]any{"grantID": grant, "approve": true, "awarded": "7500.00"})
	return grant
}

// start has Mechelen start the trajectory.
func (f *fixture) start(trajectory string) {
	f.t.Helper()
	f.must("mechelen", startTrajectoryOp, map[string]any{"trajectoryID": trajectory})
}

// expect checks the value at path in a step's data.
func (f *fixture) expect(d jsonObject, path string, want any) {
	f.t.Helper()
	if got := d.at(path); got != want {
		f.t.Errorf("%s = %v, want %v", path, got, want)
	}
}

// expectSet checks whether the value at path is set (not null).
func (f *fixture) expectSet(d jsonObject, path string, set bool) {
	f.t.Helper()
	if got := d.at(path) != nil; got != set {
		f.t.Errorf("%s is set: %v, want %v", path, got, set)
	}
}

// dbState is every row of every table the process writes, as the system
// sees it, per table.
type dbState map[string]string

// snapshot reads the state of the database directly, not through the API.
func (f *fixture) snapshot() dbState {
	f.t.Helper()
	ctx := viewer.SystemContext(context.Background())
	c := f.s.DB.Client
	state := dbState{}
	add := func(table string, rows any, err error) {
		if err != nil {
			f.t.Fatal(err)
		}
		j, err := json.Marshal(rows)
		if err != nil {
			f.t.Fatal(err)
		}
		state[table] = string(j)
	}
	calls, err := c.Call.Query().Order(ent.Asc("id")).All(ctx)
	add("calls", calls, err)
	trajectories, err := c.Trajectory.Query().Order(ent.Asc("id")).All(ctx)
	add("trajectories", trajectories, err)
	mentors, err := c.Mentor.Query().Order(ent.Asc("id")).All(ctx)
	add("mentors", mentors, err)
	salaries, err := c.Salary.Query().Order(ent.Asc("id")).All(ctx)
	add("salaries", salaries, err)
	assignments, err := c.Assignment.Query().Order(ent.Asc("id")).All(ctx)
	add("assignments", assignments, err)
	grants, err := c.Grant.Query().Order(ent.Asc("id")).All(ctx)
	add("grants", grants, err)
	// The calculations are sensitive fields, left out of the rows' JSON.
	var calculations []any
	for _, g := range grants {
		calculations = append(calculations, g.Calculation, g.SettlementCalculation)
	}
	add("grant calculations", calculations, nil)
	var ledgers []any
	for _, g := range grants {
		ledgers = append(ledgers, g.SubmissionLedger)
	}
	add("grant ledger positions", ledgers, nil)
	documents, err := c.Document.Query().Order(ent.Asc("id")).All(ctx)
	add("documents", documents, err)
	entries, err := c.TimeEntry.Query().Order(ent.Asc("id")).All(ctx)
	add("time entries", entries, err)
	payments, err := c.Payment.Query().Order(ent.Asc("id")).All(ctx)
	add("payments", payments, err)
	offers, err := c.Offer.Query().Order(ent.Asc("id")).All(ctx)
	add("offers", offers, err)
	needs, err := c.Need.Query().Order(ent.Asc("id")).All(ctx)
	add("needs", needs, err)
	webhooks, err := c.Webhook.Query().Order(ent.Asc("id")).All(ctx)
	add("webhooks", webhooks, err)
	deliveries, err := c.WebhookDelivery.Query().Order(ent.Asc("id")).All(ctx)
	add("webhook deliveries", deliveries, err)
	return state
}

// changed returns the tables whose rows differ from before.
func (s dbState) changed(before dbState) []string {
	var tables []string
	for table, rows := range s {
		if before[table] != rows {
			tables = append(tables, table)
		}
	}
	slices.Sort(tables)
	return tables
}

// jsonObject is the data of a GraphQL response.
type jsonObject map[string]any

// at returns the value at a dotted path ("a.b.0.c"; numbers index lists),
// or nil.
func (o jsonObject) at(path string) any {
	var cur any = map[string]any(o)
	for _, key := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[key]
		case []any:
			var i int
			if _, err := fmt.Sscan(key, &i); err != nil || i < 0 || i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	return cur
}

// str returns the string at path, failing the test when there is none.
func (o jsonObject) str(t *testing.T, path string) string {
	t.Helper()
	s, ok := o.at(path).(string)
	if !ok {
		t.Fatalf("no string at %s in %v", path, o)
	}
	return s
}
