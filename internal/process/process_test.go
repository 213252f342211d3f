package process_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/grant"
	"wisselaar/ent/municipality"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
	"wisselaar/internal/db"
	"wisselaar/internal/pgtest"
	"wisselaar/internal/process"
	"wisselaar/internal/report"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// databases runs test against a fresh PostgreSQL database and a fresh
// embedded SQLite file, both migrated and empty.
func databases(t *testing.T, test func(t *testing.T, c *ent.Client)) {
	open := func(t *testing.T, dsn, dir string) *ent.Client {
		ctx := context.Background()
		d, err := db.Open(ctx, dsn, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		if err := db.Migrate(ctx, d); err != nil {
			t.Fatal(err)
		}
		return d.Client
	}
	t.Run("postgres", func(t *testing.T) { test(t, open(t, pgtest.NewDatabase(t), "")) })
	t.Run("sqlite", func(t *testing.T) { test(t, open(t, "", t.TempDir())) })
}

// Viewers of the tests.
var (
	ministry = &viewer.Viewer{Subject: "ministry", Roles: []viewer.Role{viewer.Ministry}}
	mechelen = &viewer.Viewer{Subject: "mechelen", Municipalities: []string{"12025"}}
)

// inTx runs one step of the process as v in a transaction of its own,
// committing on success, as the GraphQL handler does for a mutation.
func inTx[T any](ctx context.Context, c *ent.Client, v *viewer.Viewer, step func(context.Context, *ent.Client) (T, error)) (T, error) {
	var zero T
	tx, err := c.Tx(ctx)
	if err != nil {
		return zero, err
	}
	out, err := step(viewer.NewContext(ctx, v), tx.Client())
	if err != nil {
		return zero, errors.Join(err, tx.Rollback())
	}
	return out, tx.Commit()
}

// ledgerFixture is a call and agreed trajectories from Mechelen to Leuven,
// one mentor each, ready to submit.
type ledgerFixture struct {
	call *ent.Call
	// trajectories in creation order, with the amount each will request.
	trajectories []int
	requested    map[int]domain.Money
}

// newLedgerFixture builds n agreed trajectories as the system. Trajectory i
// plans its mentor at 19 of 38 hours for the whole of January 2027 with a
// monthly cost that varies with i, so it requests a quarter of that cost.
func newLedgerFixture(t *testing.T, c *ent.Client, n int, budget domain.Money) ledgerFixture {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	giving := c.Municipality.Create().SetNisCode("12025").SetName("Mechelen").SetProvince(municipality.ProvinceAntwerpen).SaveX(ctx)
	receiving := c.Municipality.Create().SetNisCode("24062").SetName("Leuven").SetProvince(municipality.ProvinceVlaamsBrabant).SaveX(ctx)
	cl := c.Call.Create().SetName("Test call").SetYear(2027).
		SetOpensAt(time.Now().Add(-time.Hour)).SetClosesAt(time.Now().Add(24 * time.Hour)).
		SetBudget(budget).SetPerProjectCap(domain.Euro(50_000)).SetCompensationPercent(50).
		SaveX(ctx)
	f := ledgerFixture{call: cl, requested: map[int]domain.Money{}}
	mentors := make([]*ent.MentorCreate, n)
	for i := range n {
		mentors[i] = c.Mentor.Create().SetMunicipalityID(giving.ID).SetName(fmt.Sprintf("Mentor %d", i)).SetEmail(fmt.Sprintf("m%d@mechelen.be", i))
	}
	ms := c.Mentor.CreateBulk(mentors...).SaveX(ctx)
	costs := make([]domain.Money, n)
	salaries := make([]*ent.SalaryCreate, n)
	for i, m := range ms {
		// 1,000.00 to 2,990.04, with odd cents so that sums are checked
		// to the cent.
		costs[i] = domain.Money(100_000 + (i*7919)%199_005)
		salaries[i] = c.Salary.Create().SetMentorID(m.ID).SetMonthlyCost(costs[i]).
			SetWeeklyHours(domain.HoursOf(38)).SetValidFrom(domain.NewDate(2026, 1, 1))
	}
	c.Salary.CreateBulk(salaries...).ExecX(ctx)
	signed := time.Now().Add(-time.Minute)
	trajectories := make([]*ent.TrajectoryCreate, n)
	for i := range n {
		trajectories[i] = c.Trajectory.Create().SetCallID(cl.ID).SetGivingID(giving.ID).SetReceivingID(receiving.ID).
			SetTitle(fmt.Sprintf("Exchange %d", i)).SetForm(trajectory.FormMENTORING).SetStatus(trajectory.StatusAGREED).
			SetPlannedStart(domain.NewDate(2027, 1, 1)).SetPlannedEnd(domain.NewDate(2027, 1, 31)).
			SetGivingSignedAt(signed).SetReceivingSignedAt(signed)
	}
	ts := c.Trajectory.CreateBulk(trajectories...).SaveX(ctx)
	assignments := make([]*ent.AssignmentCreate, n)
	for i, tr := range ts {
		assignments[i] = c.Assignment.Create().SetTrajectoryID(tr.ID).SetMentorID(ms[i].ID).SetPlannedWeeklyHours(domain.HoursOf(19))
		f.trajectories = append(f.trajectories, tr.ID)
		// 50 % × cost × 19/38 × one whole month, rounded half up once.
		f.requested[tr.ID] = (costs[i] + 2) / 4
	}
	c.Assignment.CreateBulk(assignments...).ExecX(ctx)
	return f
}

// grantsInOrder returns a call's grants in submission order.
func grantsInOrder(t *testing.T, c *ent.Client, callID int) []*ent.Grant {
	t.Helper()
	return c.Grant.Query().Where(grant.CallID(callID)).
		Order(grant.BySubmittedAt(), grant.ByID()).
		AllX(viewer.SystemContext(context.Background()))
}

// checkLedger checks the ledger's invariants on a call's grants:
//
//   - committed ≤ budget, to the cent, and equal to the SQL sum;
//   - first come, first served: the live applications (not rejected or
//     withdrawn) that hold budget come first in submission order, and the
//     waiting ones after them;
//   - no waiting application could have been promoted: the first in line
//     does not fit in what remains.
func checkLedger(t *testing.T, c *ent.Client, cl *ent.Call) {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	var amounts []domain.GrantAmounts
	waiting := false
	var firstWaiting *ent.Grant
	for _, g := range grantsInOrder(t, c, cl.ID) {
		a := domain.GrantAmounts{Status: domain.GrantStatus(g.Status), Requested: g.Requested}
		if g.Awarded != nil {
			a.Awarded = *g.Awarded
		}
		if g.Settled != nil {
			a.Settled = *g.Settled
		}
		amounts = append(amounts, a)
		switch g.Status {
		case grant.StatusWAITLISTED:
			if !waiting {
				firstWaiting = g
			}
			waiting = true
		case grant.StatusREJECTED, grant.StatusWITHDRAWN:
		default:
			if waiting {
				t.Errorf("grant %d (%s, submitted %s) holds budget behind a waiting application: not first come, first served",
					g.ID, g.Status, g.SubmittedAt.Format(time.RFC3339Nano))
			}
		}
	}
	status := domain.NewBudgetStatus(cl.Budget, amounts)
	if status.Committed > cl.Budget {
		t.Errorf("committed %s exceeds the budget %s", status.Committed, cl.Budget)
	}
	sql, err := report.Committed(ctx, c, cl.ID)
	if err != nil || sql != status.Committed {
		t.Errorf("committed in SQL %s (%v), summed in Go %s", sql, err, status.Committed)
	}
	if firstWaiting != nil && firstWaiting.Requested <= status.Remaining {
		t.Errorf("the first in line (%s) fits in the remaining %s but waits", firstWaiting.Requested, status.Remaining)
	}
}

// TestConcurrentSubmissions submits 240 applications at once, each in its
// own transaction, against a budget that covers about a fifth of them, plus
// double submissions of some, and then rejects, withdraws and approves
// concurrently. At every stage the ledger must hold to the cent and the
// order must be first come, first served.
func TestConcurrentSubmissions(t *testing.T) {
	databases(t, func(t *testing.T, c *ent.Client) {
		const n = 240
		budget := domain.Money(20_000_37) // odd cents: the ledger must hold to the cent
		f := newLedgerFixture(t, c, n, budget)
		ctx := context.Background()

		// Every trajectory once, and every tenth twice more: the repeats
		// must return the same grant and book nothing.
		var jobs []int
		for i, id := range f.trajectories {
			jobs = append(jobs, id)
			if i%10 == 0 {
				jobs = append(jobs, id, id)
			}
		}
		rand.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
		var wg sync.WaitGroup
		var mu sync.Mutex
		got := map[int]map[int]bool{} // trajectory → grant IDs returned
		start := make(chan struct{})
		for _, id := range jobs {
			wg.Go(func() {
				<-start
				g, err := inTx(ctx, c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
					return process.SubmitGrantApplication(ctx, c, process.SubmitGrantApplicationInput{TrajectoryID: id})
				})
				if err != nil {
					t.Errorf("submitting trajectory %d: %v", id, err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if got[id] == nil {
					got[id] = map[int]bool{}
				}
				got[id][g.ID] = true
			})
		}
		close(start)
		wg.Wait()

		grants := grantsInOrder(t, c, f.call.ID)
		if len(grants) != n {
			t.Fatalf("%d grants for %d trajectories", len(grants), n)
		}
		for id, ids := range got {
			if len(ids) != 1 {
				t.Errorf("trajectory %d: submissions returned grants %v, want one", id, ids)
			}
		}
		// The reserved ones are exactly the earliest that fit: walking in
		// submission order, reserve while the budget covers the next.
		remaining := budget
		reserved := 0
		for i, g := range grants {
			if g.Requested != f.requested[g.TrajectoryID] {
				t.Errorf("trajectory %d requests %s, want %s", g.TrajectoryID, g.Requested, f.requested[g.TrajectoryID])
			}
			want := grant.StatusWAITLISTED
			if reserved == i && g.Requested <= remaining {
				want = grant.StatusRESERVED
				remaining -= g.Requested
				reserved++
			}
			if g.Status != want {
				t.Errorf("grant %d of %d in submission order is %s, want %s", i+1, n, g.Status, want)
			}
		}
		if reserved < 10 || reserved > n/2 {
			t.Fatalf("%d of %d reserved: the fixture does not test the line", reserved, n)
		}
		t.Logf("%d of %d reserved, %s of %s remaining", reserved, n, remaining, budget)
		checkLedger(t, c, f.call)

		// Reject some reserved applications and withdraw some waiting ones
		// at the same time; approve others below their request. Every
		// return promotes the line in submission order.
		var steps []func() error
		for i, g := range grants {
			switch {
			case i < reserved && i%3 == 0:
				steps = append(steps, func() error {
					_, err := inTx(ctx, c, ministry, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
						reason := "test"
						return process.DecideGrant(ctx, c, process.DecideGrantInput{GrantID: g.ID, Reason: &reason})
					})
					return err
				})
			case i < reserved && i%3 == 1:
				steps = append(steps, func() error {
					_, err := inTx(ctx, c, ministry, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
						awarded := g.Requested - 1_00
						return process.DecideGrant(ctx, c, process.DecideGrantInput{GrantID: g.ID, Approve: true, Awarded: &awarded})
					})
					return err
				})
			case i >= reserved && i < reserved+30 && i%2 == 0:
				steps = append(steps, func() error {
					_, err := inTx(ctx, c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
						return process.WithdrawGrantApplication(ctx, c, process.WithdrawGrantApplicationInput{GrantID: g.ID})
					})
					return err
				})
			}
		}
		start = make(chan struct{})
		var failures sync.Map
		for i, step := range steps {
			wg.Go(func() {
				<-start
				if err := step(); err != nil {
					failures.Store(i, err)
				}
			})
		}
		close(start)
		wg.Wait()
		failures.Range(func(k, v any) bool {
			// Every step is legal whatever the order they run in: only
			// applications reserved before are decided, and withdrawing is
			// allowed whether an application is still waiting or was
			// promoted meanwhile.
			t.Errorf("step %v: %v", k, v)
			return true
		})
		checkLedger(t, c, f.call)
		after := grantsInOrder(t, c, f.call.ID)
		promoted := 0
		for i, g := range after {
			if i >= reserved && g.Status == grant.StatusRESERVED {
				promoted++
			}
		}
		if promoted == 0 {
			t.Errorf("no application was promoted after %d returns", len(steps))
		}
		t.Logf("%d steps, %d promoted", len(steps), promoted)
	})
}

// TestBudgetStory is the API's story at the ledger's level: a budget of
// 100,000.00 and seven applications of 15,000.00: six are RESERVED, the
// seventh WAITLISTED, 10,000.00 remains; rejecting one promotes the first in
// line.
func TestBudgetStory(t *testing.T) {
	databases(t, func(t *testing.T, c *ent.Client) {
		ctx := context.Background()
		f := newLedgerFixture(t, c, 8, domain.Euro(100_000))
		sys := viewer.SystemContext(ctx)
		// Eight whole months of a 7,500.00 salary at 19 of 38 hours.
		c.Salary.Update().SetMonthlyCost(domain.Euro(7_500)).ExecX(sys)
		c.Trajectory.Update().SetPlannedEnd(domain.NewDate(2027, 8, 31)).ExecX(sys)

		var grants []*ent.Grant
		for _, id := range f.trajectories[:7] {
			g, err := inTx(ctx, c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
				return process.SubmitGrantApplication(ctx, c, process.SubmitGrantApplicationInput{TrajectoryID: id})
			})
			if err != nil {
				t.Fatal(err)
			}
			if g.Requested != domain.Euro(15_000) {
				t.Fatalf("requested %s, want 15000.00", g.Requested)
			}
			grants = append(grants, g)
		}
		for i, g := range grants {
			want := grant.StatusRESERVED
			if i == 6 {
				want = grant.StatusWAITLISTED
			}
			if g.Status != want {
				t.Errorf("application %d: %s, want %s", i+1, g.Status, want)
			}
		}
		if committed, _ := report.Committed(ctx, c, f.call.ID); f.call.Budget-committed != domain.Euro(10_000) {
			t.Errorf("remaining %s, want 10000.00", f.call.Budget-committed)
		}
		// An eighth, smaller application joins the back of the line even
		// though it would fit: nobody overtakes.
		c.Trajectory.UpdateOneID(f.trajectories[7]).SetPlannedEnd(domain.NewDate(2027, 1, 31)).ExecX(sys)
		eighth, err := inTx(ctx, c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
			return process.SubmitGrantApplication(ctx, c, process.SubmitGrantApplicationInput{TrajectoryID: f.trajectories[7]})
		})
		if err != nil || eighth.Status != grant.StatusWAITLISTED || eighth.Requested != domain.Euro(1_875) {
			t.Fatalf("eighth application: %v, %v", eighth, err)
		}

		// Approving the waiting one is BUDGET_EXHAUSTED and changes nothing.
		awarded := domain.Euro(15_000)
		_, err = inTx(ctx, c, ministry, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
			return process.DecideGrant(ctx, c, process.DecideGrantInput{GrantID: grants[6].ID, Approve: true, Awarded: &awarded})
		})
		if e, ok := apierr.As(err); !ok || e.Code != apierr.BudgetExhausted {
			t.Errorf("approving a waiting application: %v, want BUDGET_EXHAUSTED", err)
		}

		reason := "not eligible"
		_, err = inTx(ctx, c, ministry, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
			return process.DecideGrant(ctx, c, process.DecideGrantInput{GrantID: grants[2].ID, Reason: &reason})
		})
		if err != nil {
			t.Fatal(err)
		}
		status := func(id int) grant.Status { return c.Grant.GetX(sys, id).Status }
		if s := status(grants[6].ID); s != grant.StatusRESERVED {
			t.Errorf("the first in line is %s after a rejection, want RESERVED", s)
		}
		// 10,000.00 + 15,000.00 − 15,000.00 remain: the eighth (1,875.00) fits now.
		if s := status(eighth.ID); s != grant.StatusRESERVED {
			t.Errorf("the second in line is %s, want RESERVED", s)
		}
		checkLedger(t, c, f.call)
	})
}

// TestSubmitIsIdempotent checks that a double-clicked submission returns the
// first one's grant and that submitting after a decision is CONFLICT.
func TestSubmitIsIdempotent(t *testing.T) {
	databases(t, func(t *testing.T, c *ent.Client) {
		ctx := context.Background()
		f := newLedgerFixture(t, c, 1, domain.Euro(100_000))
		submit := func() (*ent.Grant, error) {
			return inTx(ctx, c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
				return process.SubmitGrantApplication(ctx, c, process.SubmitGrantApplicationInput{TrajectoryID: f.trajectories[0]})
			})
		}
		first, err := submit()
		if err != nil {
			t.Fatal(err)
		}
		second, err := submit()
		if err != nil || second.ID != first.ID || !second.SubmittedAt.Equal(first.SubmittedAt) || second.Requested != first.Requested {
			t.Fatalf("second submission: %v, %v; want the first grant back", second, err)
		}
		reason := "no"
		if _, err := inTx(ctx, c, ministry, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
			return process.DecideGrant(ctx, c, process.DecideGrantInput{GrantID: first.ID, Reason: &reason})
		}); err != nil {
			t.Fatal(err)
		}
		_, err = submit()
		if e, ok := apierr.As(err); !ok || e.Code != apierr.Conflict {
			t.Errorf("submitting after rejection: %v, want CONFLICT", err)
		}
		if n := c.Grant.Query().CountX(viewer.SystemContext(ctx)); n != 1 {
			t.Errorf("%d grants, want 1", n)
		}
	})
}

// TestSidesAndStates checks the sides of a submission: the receiving side
// is FORBIDDEN, a stranger gets NOT_FOUND, and nothing is written.
func TestSidesAndStates(t *testing.T) {
	databases(t, func(t *testing.T, c *ent.Client) {
		ctx := context.Background()
		f := newLedgerFixture(t, c, 1, domain.Euro(100_000))
		leuven := &viewer.Viewer{Subject: "leuven", Municipalities: []string{"24062"}}
		brugge := &viewer.Viewer{Subject: "brugge", Municipalities: []string{"31005"}}
		for _, tt := range []struct {
			v    *viewer.Viewer
			code apierr.Code
		}{
			{leuven, apierr.Forbidden},
			{brugge, apierr.NotFound},
			{ministry, apierr.Forbidden},
			{viewer.Anonymous(), apierr.Unauthenticated},
		} {
			_, err := inTx(ctx, c, tt.v, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
				return process.SubmitGrantApplication(ctx, c, process.SubmitGrantApplicationInput{TrajectoryID: f.trajectories[0]})
			})
			if e, ok := apierr.As(err); !ok || e.Code != tt.code {
				t.Errorf("%s submits: %v, want %s", tt.v.Subject, err, tt.code)
			}
		}
		if n := c.Grant.Query().CountX(viewer.SystemContext(ctx)); n != 0 {
			t.Errorf("%d grants written by refused submissions", n)
		}
	})
}
