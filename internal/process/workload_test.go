package process_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/assignment"
	"wisselaar/ent/grant"
	"wisselaar/ent/municipality"
	"wisselaar/ent/timeentry"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/apierr"
	"wisselaar/internal/process"
)

var coordinator = &viewer.Viewer{Subject: "vvsg", Roles: []viewer.Role{viewer.Coordinator}}

// workloadFixture is a call, Mechelen lending mentors to Balen and
// Vilvoorde, and helpers to make trajectories and mentors.
type workloadFixture struct {
	c                          *ent.Client
	call                       *ent.Call
	mechelen, balen, vilvoorde *ent.Municipality
	n                          int
}

func newWorkloadFixture(t *testing.T, c *ent.Client) *workloadFixture {
	t.Helper()
	sys := viewer.SystemContext(context.Background())
	f := &workloadFixture{c: c}
	f.mechelen = c.Municipality.Create().SetNisCode("12025").SetName("Mechelen").SetProvince(municipality.ProvinceAntwerpen).SaveX(sys)
	f.balen = c.Municipality.Create().SetNisCode("13003").SetName("Balen").SetProvince(municipality.ProvinceAntwerpen).SaveX(sys)
	f.vilvoorde = c.Municipality.Create().SetNisCode("23088").SetName("Vilvoorde").SetProvince(municipality.ProvinceVlaamsBrabant).SaveX(sys)
	f.call = c.Call.Create().SetName("Test call").SetYear(2027).
		SetOpensAt(time.Now().Add(-time.Hour)).SetClosesAt(time.Now().Add(24 * time.Hour)).
		SetBudget(domain.Euro(250_000)).SetPerProjectCap(domain.Euro(50_000)).SetCompensationPercent(50).
		SaveX(sys)
	return f
}

// mentor registers a mentor of Mechelen at 6,000.00 a month on 38 hours a
// week from 2026.
func (f *workloadFixture) mentor(t *testing.T) int {
	t.Helper()
	sys := viewer.SystemContext(context.Background())
	f.n++
	m := f.c.Mentor.Create().SetMunicipalityID(f.mechelen.ID).SetName(fmt.Sprintf("Mentor %d", f.n)).
		SetEmail(fmt.Sprintf("m%d@mechelen.be", f.n)).SaveX(sys)
	f.c.Salary.Create().SetMentorID(m.ID).SetMonthlyCost(domain.Euro(6_000)).SetWeeklyHours(domain.HoursOf(38)).
		SetValidFrom(domain.NewDate(2026, 1, 1)).ExecX(sys)
	return m.ID
}

// trajectory creates a trajectory from Mechelen to receiving in status,
// planned from start to end.
func (f *workloadFixture) trajectory(t *testing.T, receiving *ent.Municipality, status trajectory.Status, start, end time.Time) int {
	t.Helper()
	sys := viewer.SystemContext(context.Background())
	f.n++
	return f.c.Trajectory.Create().SetCallID(f.call.ID).SetGivingID(f.mechelen.ID).SetReceivingID(receiving.ID).
		SetTitle(fmt.Sprintf("Exchange %d", f.n)).SetForm(trajectory.FormMENTORING).SetStatus(status).
		SetPlannedStart(start).SetPlannedEnd(end).
		SaveX(sys).ID
}

func (f *workloadFixture) assign(trajectoryID, mentorID int, hours domain.Hours) error {
	_, err := inTx(context.Background(), f.c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Trajectory, error) {
		return process.AssignMentor(ctx, c, process.AssignMentorInput{TrajectoryID: trajectoryID, MentorID: mentorID, PlannedWeeklyHours: hours})
	})
	return err
}

func (f *workloadFixture) record(trajectoryID, mentorID int, month string, hours domain.Hours) error {
	_, err := inTx(context.Background(), f.c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Trajectory, error) {
		return process.RecordTimeEntries(ctx, c, process.RecordTimeEntriesInput{TrajectoryID: trajectoryID,
			Entries: []*process.TimeEntryInput{{MentorID: mentorID, Month: month, Hours: hours}}})
	})
	return err
}

// planned returns the planned weekly hours of a mentor on a trajectory, or
// -1 when she is not assigned.
func (f *workloadFixture) planned(t *testing.T, trajectoryID, mentorID int) domain.Hours {
	t.Helper()
	a, err := f.c.Assignment.Query().Where(assignment.TrajectoryID(trajectoryID), assignment.MentorID(mentorID)).
		Only(viewer.SystemContext(context.Background()))
	if ent.IsNotFound(err) {
		return -1
	}
	if err != nil {
		t.Fatal(err)
	}
	return a.PlannedWeeklyHours
}

// recorded returns the hours recorded for a mentor and month on a
// trajectory, or -1 when there is no entry.
func (f *workloadFixture) recorded(t *testing.T, trajectoryID, mentorID int, month string) domain.Hours {
	t.Helper()
	e, err := f.c.TimeEntry.Query().Where(timeentry.TrajectoryID(trajectoryID), timeentry.MentorID(mentorID), timeentry.Month(month)).
		Only(viewer.SystemContext(context.Background()))
	if ent.IsNotFound(err) {
		return -1
	}
	if err != nil {
		t.Fatal(err)
	}
	return e.Hours
}

// wantBadInput checks that err is BAD_USER_INPUT on field, with a message
// containing want.
func wantBadInput(t *testing.T, what string, err error, field, want string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Code != apierr.BadUserInput || e.Field != field {
		t.Errorf("%s: %v, want BAD_USER_INPUT on %s", what, err, field)
		return
	}
	if !strings.Contains(e.Message, want) {
		t.Errorf("%s: message %q, want it to contain %q", what, e.Message, want)
	}
}

func wantOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", what, err)
	}
}

var (
	jan2027, jun2027, jul2027 = domain.NewDate(2027, 1, 1), domain.NewDate(2027, 6, 30), domain.NewDate(2027, 7, 1)
	aug2027, dec2027          = domain.NewDate(2027, 8, 31), domain.NewDate(2027, 12, 31)
)

// TestMentorPlannedOnce checks that a mentor's planned weekly hours on all
// her trajectories at the same time stay within her contract.
func TestMentorPlannedOnce(t *testing.T) {
	databases(t, func(t *testing.T, c *ent.Client) {
		ctx := context.Background()
		sys := viewer.SystemContext(ctx)
		f := newWorkloadFixture(t, c)
		h := domain.HoursOf

		t.Run("the security review's repro", func(t *testing.T) {
			// 6,000.00 a month on 38 hours, full time on Mechelen→Balen and
			// Mechelen→Vilvoorde in the same eight months: before the fix
			// both were reserved at 24,000.00.
			m := f.mentor(t)
			balen := f.trajectory(t, f.balen, trajectory.StatusMATCHED, jan2027, aug2027)
			vilvoorde := f.trajectory(t, f.vilvoorde, trajectory.StatusMATCHED, jan2027, aug2027)
			signed := time.Now().Add(-time.Minute).Truncate(time.Microsecond)
			c.Trajectory.UpdateOneID(vilvoorde).SetGivingSignedAt(signed).ExecX(sys)
			before := c.Trajectory.GetX(sys, vilvoorde)

			wantOK(t, "38 hours on Balen", f.assign(balen, m, h(38)))
			err := f.assign(vilvoorde, m, h(38))
			wantBadInput(t, "38 more hours on Vilvoorde", err, "plannedWeeklyHours",
				"already planned for 38 hours a week on other trajectories from 2027-01-01 to 2027-08-31")

			if got := f.planned(t, vilvoorde, m); got != -1 {
				t.Errorf("the refused assignment was written: %s hours", got)
			}
			after := c.Trajectory.GetX(sys, vilvoorde)
			if after.GivingSignedAt == nil || !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("the refused assignment changed the trajectory: signed %v, updated %v → %v",
					after.GivingSignedAt, before.UpdatedAt, after.UpdatedAt)
			}

			// Balen is submitted for the 24,000.00 of the repro; Vilvoorde
			// has nobody to claim.
			c.Trajectory.Update().Where(trajectory.IDIn(balen, vilvoorde)).
				SetStatus(trajectory.StatusAGREED).SetGivingSignedAt(signed).SetReceivingSignedAt(signed).ExecX(sys)
			submit := func(id int) (*ent.Grant, error) {
				return inTx(ctx, c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
					return process.SubmitGrantApplication(ctx, c, process.SubmitGrantApplicationInput{TrajectoryID: id})
				})
			}
			if g, err := submit(balen); err != nil || g.Status != grant.StatusRESERVED || g.Requested != domain.Euro(24_000) {
				t.Errorf("submitting Balen: %v, %v; want RESERVED at 24000.00", g, err)
			}
			if _, err := submit(vilvoorde); apiCode(err) != apierr.Conflict {
				t.Errorf("submitting Vilvoorde without a mentor: %v, want CONFLICT", err)
			}
			if n := c.Grant.Query().Where(grant.StatusEQ(grant.StatusRESERVED)).CountX(sys); n != 1 {
				t.Errorf("%d reserved grants, want 1", n)
			}
		})

		t.Run("20 + 18 fits, 20 + 19 does not", func(t *testing.T) {
			m := f.mentor(t)
			a := f.trajectory(t, f.balen, trajectory.StatusMATCHED, jan2027, jun2027)
			b := f.trajectory(t, f.vilvoorde, trajectory.StatusPROPOSED, domain.NewDate(2027, 3, 1), aug2027)
			wantOK(t, "20 hours on a", f.assign(a, m, h(20)))
			wantBadInput(t, "19 hours on b", f.assign(b, m, h(19)), "plannedWeeklyHours",
				"already planned for 20 hours a week on other trajectories from 2027-03-01 to 2027-06-30; 19 more is more than the 38")
			wantOK(t, "18 hours on b", f.assign(b, m, h(18)))
			// Changing an assignment replaces it rather than adding to it.
			wantOK(t, "a again at 20", f.assign(a, m, h(20)))
			wantBadInput(t, "b changed to 19", f.assign(b, m, h(19)), "plannedWeeklyHours", "already planned for 20 hours")
			wantBadInput(t, "a changed to 21", f.assign(a, m, h(21)), "plannedWeeklyHours", "already planned for 18 hours")
			wantOK(t, "a lowered to 10", f.assign(a, m, h(10)))
			wantOK(t, "b raised to 28", f.assign(b, m, h(28)))
			if pa, pb := f.planned(t, a, m), f.planned(t, b, m); pa != h(10) || pb != h(28) {
				t.Errorf("planned %s and %s, want 10 and 28", pa, pb)
			}
		})

		t.Run("periods that do not overlap", func(t *testing.T) {
			m := f.mentor(t)
			a := f.trajectory(t, f.balen, trajectory.StatusMATCHED, jan2027, jun2027)
			b := f.trajectory(t, f.vilvoorde, trajectory.StatusMATCHED, jul2027, dec2027)
			wantOK(t, "38 hours in the first half", f.assign(a, m, h(38)))
			wantOK(t, "38 hours in the second half", f.assign(b, m, h(38)))
			// One day of overlap is an overlap.
			c := f.trajectory(t, f.balen, trajectory.StatusMATCHED, jun2027, jun2027)
			wantBadInput(t, "one more hour on 30 June", f.assign(c, m, h(1)), "plannedWeeklyHours", "on 2027-06-30")
		})

		t.Run("declined and cancelled trajectories do not count", func(t *testing.T) {
			m := f.mentor(t)
			cancelled := f.trajectory(t, f.balen, trajectory.StatusMATCHED, jan2027, aug2027)
			declined := f.trajectory(t, f.vilvoorde, trajectory.StatusMATCHED, jan2027, aug2027)
			live := f.trajectory(t, f.vilvoorde, trajectory.StatusMATCHED, jan2027, aug2027)
			wantOK(t, "38 hours on the first", f.assign(cancelled, m, h(38)))
			wantBadInput(t, "38 hours on the second", f.assign(declined, m, h(38)), "plannedWeeklyHours", "already planned for 38 hours")
			if _, err := inTx(ctx, c, coordinator, func(ctx context.Context, c *ent.Client) (*ent.Trajectory, error) {
				return process.CancelTrajectory(ctx, c, process.CancelTrajectoryInput{TrajectoryID: cancelled})
			}); err != nil {
				t.Fatal(err)
			}
			wantOK(t, "38 hours on the second after the first was cancelled", f.assign(declined, m, h(38)))
			wantBadInput(t, "38 hours on the third", f.assign(live, m, h(38)), "plannedWeeklyHours", "already planned for 38 hours")
			if _, err := inTx(ctx, c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Trajectory, error) {
				return process.DeclineTrajectory(ctx, c, process.DeclineTrajectoryInput{TrajectoryID: declined})
			}); err != nil {
				t.Fatal(err)
			}
			wantOK(t, "38 hours on the third after the second was declined", f.assign(live, m, h(38)))
		})
	})
}

// TestMentorRecordedOnce checks that the hours recorded for a mentor in a
// month on all her trajectories stay within the contractual hours of that
// month.
func TestMentorRecordedOnce(t *testing.T) {
	databases(t, func(t *testing.T, c *ent.Client) {
		sys := viewer.SystemContext(context.Background())
		f := newWorkloadFixture(t, c)
		h := domain.HoursOf
		running := func(m int, receiving *ent.Municipality) int {
			id := f.trajectory(t, receiving, trajectory.StatusRUNNING, jan2027, jun2027)
			c.Assignment.Create().SetTrajectoryID(id).SetMentorID(m).SetPlannedWeeklyHours(h(19)).ExecX(sys)
			return id
		}

		t.Run("the security review's repro", func(t *testing.T) {
			m := f.mentor(t)
			a, b := running(m, f.balen), running(m, f.vilvoorde)
			wantOK(t, "a full month on a", f.record(a, m, "2027-01", 164_67))
			wantBadInput(t, "a full month on b", f.record(b, m, "2027-01", 164_67), "hours",
				"164.67 hours in 2027-01 plus the 164.67 hours already recorded on other trajectories is more than the 164.67")
			if got := f.recorded(t, b, m, "2027-01"); got != -1 {
				t.Errorf("the refused hours were written: %s", got)
			}
			// Another month is free.
			wantOK(t, "a full February on b", f.record(b, m, "2027-02", 164_67))
		})

		t.Run("100 + 64.67 fits, 100 + 64.68 does not", func(t *testing.T) {
			m := f.mentor(t)
			other := f.mentor(t)
			a, b := running(m, f.balen), running(m, f.vilvoorde)
			c.Assignment.Create().SetTrajectoryID(b).SetMentorID(other).SetPlannedWeeklyHours(h(19)).ExecX(sys)
			wantOK(t, "100 on a", f.record(a, m, "2027-03", h(100)))
			wantBadInput(t, "64.68 on b", f.record(b, m, "2027-03", 64_68), "hours", "plus the 100 hours already recorded")
			wantOK(t, "64.67 on b", f.record(b, m, "2027-03", 64_67))
			// Recording again replaces this trajectory's entry.
			wantOK(t, "100 on a again", f.record(a, m, "2027-03", h(100)))
			wantBadInput(t, "100.01 on a", f.record(a, m, "2027-03", 100_01), "hours", "plus the 64.67 hours already recorded")
			// One refused entry refuses the whole input.
			_, err := inTx(context.Background(), c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Trajectory, error) {
				return process.RecordTimeEntries(ctx, c, process.RecordTimeEntriesInput{TrajectoryID: b, Entries: []*process.TimeEntryInput{
					{MentorID: other, Month: "2027-03", Hours: h(80)},
					{MentorID: m, Month: "2027-03", Hours: h(65)},
				}})
			})
			wantBadInput(t, "a batch with one entry too many", err, "hours", "65 hours in 2027-03 plus the 100 hours")
			if ga, gb, gOther := f.recorded(t, a, m, "2027-03"), f.recorded(t, b, m, "2027-03"), f.recorded(t, b, other, "2027-03"); ga != h(100) || gb != 64_67 || gOther != -1 {
				t.Errorf("recorded %s, %s and %s; want 100, 64.67 and none", ga, gb, gOther)
			}
		})
	})
}

// TestMentorClaimedOnceConcurrently assigns, and records hours for, the
// same mentor full time on two trajectories at the same moment: the
// mentor's lock lets exactly one of each pair through.
func TestMentorClaimedOnceConcurrently(t *testing.T) {
	databases(t, func(t *testing.T, c *ent.Client) {
		sys := viewer.SystemContext(context.Background())
		f := newWorkloadFixture(t, c)
		h := domain.HoursOf
		const rounds = 8
		type pair struct{ mentor, a, b int }
		var assigns, records []pair
		for range rounds {
			m := f.mentor(t)
			assigns = append(assigns, pair{m,
				f.trajectory(t, f.balen, trajectory.StatusMATCHED, jan2027, aug2027),
				f.trajectory(t, f.vilvoorde, trajectory.StatusMATCHED, jan2027, aug2027)})
			m = f.mentor(t)
			p := pair{m,
				f.trajectory(t, f.balen, trajectory.StatusRUNNING, jan2027, aug2027),
				f.trajectory(t, f.vilvoorde, trajectory.StatusRUNNING, jan2027, aug2027)}
			for _, id := range []int{p.a, p.b} {
				c.Assignment.Create().SetTrajectoryID(id).SetMentorID(m).SetPlannedWeeklyHours(h(19)).ExecX(sys)
			}
			records = append(records, p)
		}

		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([][2]error, 2*rounds)
		for i, p := range append(assigns, records...) {
			for j, id := range []int{p.a, p.b} {
				wg.Go(func() {
					<-start
					if i < rounds {
						errs[i][j] = f.assign(id, p.mentor, h(38))
					} else {
						errs[i][j] = f.record(id, p.mentor, "2027-05", 164_67)
					}
				})
			}
		}
		close(start)
		wg.Wait()

		for i, e := range errs {
			what, field := "assigning", "plannedWeeklyHours"
			if i >= rounds {
				what, field = "recording", "hours"
			}
			switch {
			case e[0] == nil && e[1] == nil:
				t.Errorf("%s pair %d: both succeeded", what, i%rounds)
			case e[0] != nil && e[1] != nil:
				t.Errorf("%s pair %d: both failed: %v; %v", what, i%rounds, e[0], e[1])
			case e[0] != nil:
				wantBadInput(t, what, e[0], field, "already")
			default:
				wantBadInput(t, what, e[1], field, "already")
			}
		}
		for _, p := range assigns {
			if n := c.Assignment.Query().Where(assignment.MentorID(p.mentor)).CountX(sys); n != 1 {
				t.Errorf("mentor %d has %d assignments, want 1", p.mentor, n)
			}
		}
		for _, p := range records {
			if n := c.TimeEntry.Query().Where(timeentry.MentorID(p.mentor)).CountX(sys); n != 1 {
				t.Errorf("mentor %d has %d time entries, want 1", p.mentor, n)
			}
		}
	})
}

// TestSettlementWaitsForHours checks that hours recorded while a grant is
// settled are either in the settlement or refused: settling waits for a
// recording in progress, and a recording waits for a settlement in progress
// and then finds the grant settled.
func TestSettlementWaitsForHours(t *testing.T) {
	databases(t, func(t *testing.T, c *ent.Client) {
		ctx := context.Background()
		sys := viewer.SystemContext(ctx)
		f := newWorkloadFixture(t, c)
		h := domain.HoursOf

		// A completed trajectory with an approved grant: 6,000.00 at 19 of
		// 38 hours in January and February 2027 requests 3,000.00.
		approved := func() (trajectoryID, grantID, mentorID int) {
			m := f.mentor(t)
			id := f.trajectory(t, f.balen, trajectory.StatusAGREED, jan2027, domain.NewDate(2027, 2, 28))
			c.Assignment.Create().SetTrajectoryID(id).SetMentorID(m).SetPlannedWeeklyHours(h(19)).ExecX(sys)
			g, err := inTx(ctx, c, mechelen, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
				return process.SubmitGrantApplication(ctx, c, process.SubmitGrantApplicationInput{TrajectoryID: id})
			})
			if err != nil {
				t.Fatal(err)
			}
			awarded := g.Requested
			if _, err := inTx(ctx, c, ministry, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) {
				return process.DecideGrant(ctx, c, process.DecideGrantInput{GrantID: g.ID, Approve: true, Awarded: &awarded})
			}); err != nil {
				t.Fatal(err)
			}
			c.Trajectory.UpdateOneID(id).SetStatus(trajectory.StatusCOMPLETED).SetEvaluationReport("Done.").ExecX(sys)
			if err := f.record(id, m, "2027-01", h(82)); err != nil {
				t.Fatal(err)
			}
			return id, g.ID, m
		}
		settle := func(ctx context.Context, c *ent.Client, id int) (*ent.Grant, error) {
			return process.SettleGrant(ctx, c, process.SettleGrantInput{GrantID: id})
		}
		// waits reports whether step is still running after a while.
		waits := func(step func() error) (chan error, bool) {
			done := make(chan error, 1)
			go func() { done <- step() }()
			select {
			case err := <-done:
				done <- err
				return done, false
			case <-time.After(300 * time.Millisecond):
				return done, true
			}
		}

		t.Run("settling waits for hours being recorded", func(t *testing.T) {
			id, g, m := approved()
			tx, err := c.Tx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = process.RecordTimeEntries(viewer.NewContext(ctx, mechelen), tx.Client(), process.RecordTimeEntriesInput{
				TrajectoryID: id, Entries: []*process.TimeEntryInput{{MentorID: m, Month: "2027-02", Hours: h(82)}}})
			if err != nil {
				tx.Rollback()
				t.Fatal(err)
			}
			var settled *ent.Grant
			done, waited := waits(func() error {
				var err error
				settled, err = inTx(ctx, c, ministry, func(ctx context.Context, c *ent.Client) (*ent.Grant, error) { return settle(ctx, c, g) })
				return err
			})
			if !waited {
				t.Error("the settlement did not wait for the hours being recorded")
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			// 6,000.00 × 82 ÷ 164.666… × 2 months × 50 % = 2,987.85…
			want := domain.Money(298_785)
			if settled.Settled == nil || *settled.Settled != want {
				t.Errorf("settled %v, want %s: the hours recorded meanwhile are missing", settled.Settled, want)
			}
		})

		t.Run("hours recorded during the settlement find it settled", func(t *testing.T) {
			id, g, m := approved()
			tx, err := c.Tx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := settle(viewer.NewContext(ctx, ministry), tx.Client(), g); err != nil {
				tx.Rollback()
				t.Fatal(err)
			}
			done, waited := waits(func() error { return f.record(id, m, "2027-02", h(82)) })
			if !waited {
				t.Error("recording hours did not wait for the settlement")
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if err := <-done; apiCode(err) != apierr.Conflict {
				t.Errorf("recording hours after the settlement: %v, want CONFLICT", err)
			}
			if got := f.recorded(t, id, m, "2027-02"); got != -1 {
				t.Errorf("hours recorded after the settlement: %s", got)
			}
			if s := c.Grant.GetX(sys, g).Settled; s == nil || *s != domain.Money(149_393) {
				t.Errorf("settled %v, want 1493.93 (82 hours in January only)", s)
			}
		})
	})
}

func apiCode(err error) apierr.Code {
	if e, ok := apierr.As(err); ok {
		return e.Code
	}
	return ""
}
