package seed_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/municipality"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/db"
	"wisselaar/internal/pgtest"
	"wisselaar/internal/seed"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// forEachDatabase runs test on a fresh, migrated PostgreSQL database and on
// a fresh, migrated SQLite file: the server runs on both, and they differ in
// how they store times, dates and enums.
func forEachDatabase(t *testing.T, test func(t *testing.T, client *ent.Client)) {
	open := map[string]func(t *testing.T) string{
		"PostgreSQL": func(t *testing.T) string { return pgtest.NewDatabase(t) },
		"SQLite":     func(*testing.T) string { return "" },
	}
	for _, name := range []string{"PostgreSQL", "SQLite"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			database, err := db.Open(t.Context(), open[name](t), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { database.Close() })
			if err := db.Migrate(t.Context(), database); err != nil {
				t.Fatal(err)
			}
			test(t, database.Client)
		})
	}
}

func TestLoad(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, client *ent.Client) {
		ctx := viewer.SystemContext(t.Context())

		empty, err := seed.Empty(t.Context(), client)
		if err != nil || !empty {
			t.Fatalf("Empty on a fresh database = %v, %v; want true", empty, err)
		}
		if err := seed.Load(t.Context(), client); err != nil {
			t.Fatal(err)
		}
		empty, err = seed.Empty(t.Context(), client)
		if err != nil || empty {
			t.Fatalf("Empty after Load = %v, %v; want false", empty, err)
		}

		for _, c := range []struct {
			what  string
			count func() (int, error)
			want  int
		}{
			{"municipalities", func() (int, error) { return client.Municipality.Query().Count(ctx) }, 13},
			{"themes", func() (int, error) { return client.Theme.Query().Count(ctx) }, 8},
			// 2022, 2023 and the open call of this year.
			{"calls", func() (int, error) { return client.Call.Query().Count(ctx) }, 3},
			{"open offers", func() (int, error) { return client.Offer.Query().Count(ctx) }, 6},
			{"open needs", func() (int, error) { return client.Need.Query().Count(ctx) }, 5},
			{"trajectories", func() (int, error) { return client.Trajectory.Query().Count(ctx) }, 11},
			{"grants", func() (int, error) { return client.Grant.Query().Count(ctx) }, 11},
		} {
			if got, err := c.count(); err != nil || got != c.want {
				t.Errorf("%s: %d, %v; want %d", c.what, got, err, c.want)
			}
		}
		mechelen, err := client.Municipality.Query().Where(municipality.NisCode("12025")).Only(ctx)
		if err != nil || mechelen.Name != "Mechelen" || mechelen.Province != municipality.ProvinceAntwerpen || mechelen.KboNumber != nil {
			t.Errorf("Mechelen = %+v, %v", mechelen, err)
		}

		checkGrants(t, client)
		checkMentorHours(t, client)

		before := snapshot(t, client)
		if err := seed.Load(t.Context(), client); err != nil {
			t.Fatalf("second Load: %v", err)
		}
		after := snapshot(t, client)
		if len(after) != len(before) {
			t.Errorf("second Load changed the number of rows and edges from %d to %d", len(before), len(after))
		}
		for key, b := range before {
			if a, ok := after[key]; !ok || a != b {
				t.Errorf("second Load changed %s: %q → %q", key, b, a)
			}
		}
	})
}

// checkGrants recomputes every grant from what is stored, with the domain
// package, and checks the per-call totals against the published figures.
func checkGrants(t *testing.T, client *ent.Client) {
	t.Helper()
	ctx := viewer.SystemContext(t.Context())
	trajectories, err := client.Trajectory.Query().
		WithCall().
		WithThemes().
		WithTimeEntries().
		WithGrant(func(q *ent.GrantQuery) { q.WithPayments() }).
		WithAssignments(func(q *ent.AssignmentQuery) {
			q.WithMentor(func(q *ent.MentorQuery) { q.WithSalaries() })
		}).
		All(ctx)
	if err != nil {
		t.Fatal(err)
	}

	type totals struct{ count, awarded, settled, paid domain.Money }
	byCall := map[string]*totals{}
	for _, tr := range trajectories {
		name := tr.Title
		k := tr.Edges.Call
		g := tr.Edges.Grant
		if g == nil {
			t.Errorf("%s: no grant", name)
			continue
		}
		if g.Awarded == nil || g.Settled == nil || g.DecidedAt == nil {
			t.Errorf("%s: awarded, settled and decidedAt must be set: %+v", name, g)
			continue
		}
		if len(tr.Edges.Themes) == 0 || len(tr.Edges.Assignments) == 0 || tr.GivingSignedAt == nil || tr.ReceivingSignedAt == nil {
			t.Errorf("%s: themes, mentors and both signatures are required", name)
		}
		if g.Status != "PAID" || tr.Status != "COMPLETED" {
			t.Errorf("%s: trajectory %s with grant %s; want COMPLETED and PAID", name, tr.Status, g.Status)
		}
		window := domain.Window{OpensAt: k.OpensAt, ClosesAt: k.ClosesAt}
		if !window.Contains(g.SubmittedAt) || !g.DecidedAt.After(g.SubmittedAt) {
			t.Errorf("%s: submitted %s, decided %s; window of %s is %s to %s", name, g.SubmittedAt, g.DecidedAt, k.Name, k.OpensAt, k.ClosesAt)
		}

		rule := domain.Rule{Percent: k.CompensationPercent, Cap: k.PerProjectCap}
		salaries := map[int][]domain.Salary{}
		var assignments []domain.Assignment
		for _, a := range tr.Edges.Assignments {
			m := a.Edges.Mentor
			if m.MunicipalityID != tr.GivingID {
				t.Errorf("%s: mentor %s is not of the giving municipality", name, m.Email)
			}
			salaries[m.ID] = domainSalaries(m.Edges.Salaries)
			assignments = append(assignments, domain.Assignment{
				Mentor:             strconv.Itoa(m.ID),
				PlannedWeeklyHours: a.PlannedWeeklyHours,
				Salaries:           salaries[m.ID],
			})
		}
		planned, err := domain.PlannedCompensation(rule, tr.PlannedStart, tr.PlannedEnd, assignments)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if planned.Total != g.Requested {
			t.Errorf("%s: requested %s, but the planned hours give %s", name, g.Requested, planned.Total)
		}
		if g.Requested < *g.Awarded {
			t.Errorf("%s: requested %s < awarded %s", name, g.Requested, *g.Awarded)
		}

		sheets := map[int]*domain.TimeSheet{}
		var order []int
		for _, e := range tr.Edges.TimeEntries {
			if sheets[e.MentorID] == nil {
				sheets[e.MentorID] = &domain.TimeSheet{Mentor: strconv.Itoa(e.MentorID), Salaries: salaries[e.MentorID]}
				order = append(order, e.MentorID)
			}
			month, err := domain.ParseMonth(e.Month)
			if err != nil {
				t.Fatal(err)
			}
			sheets[e.MentorID].Entries = append(sheets[e.MentorID].Entries, domain.TimeEntry{Month: month, Hours: e.Hours})
		}
		var list []domain.TimeSheet
		for _, id := range order {
			list = append(list, *sheets[id])
		}
		actual, err := domain.ActualCompensation(rule, list)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if actual.Total < *g.Awarded {
			t.Errorf("%s: the recorded hours earn %s, less than the awarded %s", name, actual.Total, *g.Awarded)
		}
		if s := domain.Settle(actual.Total, *g.Awarded); s != *g.Settled {
			t.Errorf("%s: settled %s; the recorded hours settle at %s", name, *g.Settled, s)
		}

		var paid domain.Money
		for _, p := range g.Edges.Payments {
			paid += p.Amount
		}
		if n := len(g.Edges.Payments); n < 1 || n > 2 || paid != g.Paid || g.Paid != *g.Settled {
			t.Errorf("%s: %d payments of %s in all, paid %s, settled %s", name, n, paid, g.Paid, *g.Settled)
		}

		tot := byCall[k.Name]
		if tot == nil {
			tot = &totals{}
			byCall[k.Name] = tot
		}
		tot.count++
		tot.awarded += *g.Awarded
		tot.settled += *g.Settled
		tot.paid += g.Paid
	}

	want := map[string]totals{
		"De Wisselaar 2022": {4, domain.Euro(89_122), domain.Euro(89_122), domain.Euro(89_122)},
		"De Wisselaar 2023": {7, domain.Euro(123_423), domain.Euro(123_423), domain.Euro(123_423)},
	}
	if len(byCall) != len(want) {
		t.Errorf("grants in %d calls; want %d", len(byCall), len(want))
	}
	for name, w := range want {
		if got := byCall[name]; got == nil || *got != w {
			t.Errorf("%s: trajectories, awarded, settled, paid = %v; want %v", name, got, w)
		}
	}
}

// checkMentorHours checks that no mentor records more hours in a month, over
// all trajectories, than the contract counts in that month.
func checkMentorHours(t *testing.T, client *ent.Client) {
	t.Helper()
	ctx := viewer.SystemContext(t.Context())
	mentors, err := client.Mentor.Query().WithSalaries().WithTimeEntries().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mentors {
		perMonth := map[string]domain.Hours{}
		for _, e := range m.Edges.TimeEntries {
			perMonth[e.Month] += e.Hours
		}
		for s, h := range perMonth {
			month, _ := domain.ParseMonth(s)
			limit, err := domain.MaxHours(month, domainSalaries(m.Edges.Salaries))
			if err != nil || h > limit {
				t.Errorf("%s records %s hours in %s; the contract allows %s (%v)", m.Email, h, s, limit, err)
			}
		}
	}
}

func domainSalaries(recs []*ent.Salary) []domain.Salary {
	out := make([]domain.Salary, len(recs))
	for i, s := range recs {
		out[i] = domain.Salary{MonthlyCost: s.MonthlyCost, WeeklyHours: s.WeeklyHours, ValidFrom: s.ValidFrom}
		if s.ValidTo != nil {
			out[i].ValidTo = *s.ValidTo
		}
	}
	return out
}

// snapshot returns, for every row of every demo table, when it last
// changed, and every trajectory's themes: what a second Load must leave
// exactly as it was.
func snapshot(t *testing.T, client *ent.Client) map[string]string {
	t.Helper()
	ctx := viewer.SystemContext(t.Context())
	out := map[string]string{}
	add := func(kind string, id int, updated time.Time) {
		out[fmt.Sprintf("%s %d", kind, id)] = updated.UTC().Format(time.RFC3339Nano)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ms, err := client.Municipality.Query().All(ctx)
	must(err)
	for _, r := range ms {
		add("municipality", r.ID, r.UpdatedAt)
	}
	ths, err := client.Theme.Query().All(ctx)
	must(err)
	for _, r := range ths {
		add("theme", r.ID, r.UpdatedAt)
	}
	cs, err := client.Call.Query().All(ctx)
	must(err)
	for _, r := range cs {
		add("call", r.ID, r.UpdatedAt)
	}
	trs, err := client.Trajectory.Query().WithThemes().All(ctx)
	must(err)
	for _, r := range trs {
		add("trajectory", r.ID, r.UpdatedAt)
		for _, th := range r.Edges.Themes {
			out[fmt.Sprintf("trajectory %d theme %d", r.ID, th.ID)] = "linked"
		}
	}
	mes, err := client.Mentor.Query().All(ctx)
	must(err)
	for _, r := range mes {
		add("mentor", r.ID, r.UpdatedAt)
	}
	ss, err := client.Salary.Query().All(ctx)
	must(err)
	for _, r := range ss {
		add("salary", r.ID, r.UpdatedAt)
	}
	as, err := client.Assignment.Query().All(ctx)
	must(err)
	for _, r := range as {
		add("assignment", r.ID, r.UpdatedAt)
	}
	tes, err := client.TimeEntry.Query().All(ctx)
	must(err)
	for _, r := range tes {
		add("time entry", r.ID, r.UpdatedAt)
	}
	gs, err := client.Grant.Query().All(ctx)
	must(err)
	for _, r := range gs {
		add("grant", r.ID, r.UpdatedAt)
	}
	ps, err := client.Payment.Query().All(ctx)
	must(err)
	for _, r := range ps {
		add("payment", r.ID, r.UpdatedAt)
	}
	return out
}

// TestLoadKeepsWhatExists checks that Load fills gaps around records that
// exist under the same natural key, without duplicating or changing them.
func TestLoadKeepsWhatExists(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, client *ent.Client) {
		ctx := viewer.SystemContext(t.Context())
		existing, err := client.Municipality.Create().
			SetNisCode("12025").
			SetName("Stad Mechelen").
			SetProvince(municipality.ProvinceAntwerpen).
			Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Read it back: the database keeps times at its own precision.
		existing, err = client.Municipality.Get(ctx, existing.ID)
		if err != nil {
			t.Fatal(err)
		}
		if empty, err := seed.Empty(t.Context(), client); err != nil || empty {
			t.Fatalf("Empty with one municipality = %v, %v; want false", empty, err)
		}
		if err := seed.Load(t.Context(), client); err != nil {
			t.Fatal(err)
		}
		got, err := client.Municipality.Query().Where(municipality.NisCode("12025")).Only(ctx)
		if err != nil || got.ID != existing.ID || got.Name != "Stad Mechelen" || !got.UpdatedAt.Equal(existing.UpdatedAt) {
			t.Errorf("Mechelen after Load = %+v, %v; want it untouched", got, err)
		}
		if n, err := client.Municipality.Query().Count(ctx); err != nil || n != 13 {
			t.Errorf("municipalities: %d, %v; want 13", n, err)
		}
		if n, err := client.Trajectory.Query().Where(trajectory.GivingID(existing.ID)).Count(ctx); err != nil || n != 5 {
			t.Errorf("trajectories with Mechelen giving: %d, %v; want 5", n, err)
		}
	})
}
