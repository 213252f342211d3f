package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"wisselaar/domain"
	"wisselaar/ent/viewer"
	"wisselaar/graph/scalar"
)

// salaryPeriods returns a mentor's salary records as Mechelen reads them,
// in order, as "from..to cost" ("from.. cost" while open-ended).
func (a *api) salaryPeriods(t *testing.T, mentorID string) []string {
	t.Helper()
	var out struct {
		Node struct {
			Salaries []struct {
				MonthlyCost, ValidFrom string
				ValidTo                *string
			}
		}
	}
	a.must("mechelen", `query($id: ID!) { node(id: $id) { ... on Mentor { salaries { monthlyCost validFrom validTo } } } }`,
		map[string]any{"id": mentorID}, &out)
	var periods []string
	for _, s := range out.Node.Salaries {
		to := ""
		if s.ValidTo != nil {
			to = *s.ValidTo
		}
		periods = append(periods, s.ValidFrom+".."+to+" "+s.MonthlyCost)
	}
	slices.Sort(periods)
	return periods
}

// TestRecordSalaryPeriods checks that a mentor's salary periods never
// overlap: a raise closes the open-ended current record the day before it
// applies; every other overlap is BAD_USER_INPUT on the field at fault and
// changes nothing.
func TestRecordSalaryPeriods(t *testing.T) {
	a := newAPI(t)
	var cm struct {
		CreateMentor struct{ Mentor struct{ ID string } }
	}
	a.must("mechelen", createMentor, in(map[string]any{
		"municipalityID": a.ids["mechelen"], "name": "Mentor", "email": "mentor@mechelen.example",
	}), &cm)
	mentor := cm.CreateMentor.Mentor.ID
	record := func(cost, from, to string) map[string]any {
		input := map[string]any{"mentorID": mentor, "monthlyCost": cost, "weeklyHours": 38, "validFrom": from}
		if to != "" {
			input["validTo"] = to
		}
		return in(input)
	}
	want := func(t *testing.T, periods ...string) {
		t.Helper()
		if got := a.salaryPeriods(t, mentor); !slices.Equal(got, periods) {
			t.Errorf("salary periods:\n got %s\nwant %s", strings.Join(got, "; "), strings.Join(periods, "; "))
		}
	}

	a.must("mechelen", recordSalary, record("7000.00", "2026-01-01", ""), nil)
	t.Run("a raise closes the open-ended record", func(t *testing.T) {
		a.must("mechelen", recordSalary, record("7500.00", "2027-01-01", ""), nil)
		want(t, "2026-01-01..2026-12-31 7000.00", "2027-01-01.. 7500.00")
		// The next raise closes the record the first raise opened.
		a.must("mechelen", recordSalary, record("7800.00", "2027-07-01", ""), nil)
		want(t, "2026-01-01..2026-12-31 7000.00", "2027-01-01..2027-06-30 7500.00", "2027-07-01.. 7800.00")
	})
	t.Run("history before the first record", func(t *testing.T) {
		// A bounded record that ends before the first one starts fits.
		a.must("mechelen", recordSalary, record("6500.00", "2025-01-01", "2025-12-31"), nil)
		want(t, "2025-01-01..2025-12-31 6500.00", "2026-01-01..2026-12-31 7000.00",
			"2027-01-01..2027-06-30 7500.00", "2027-07-01.. 7800.00")
	})

	refused := []struct {
		name, cost, from, to, field string
	}{
		{"inside a bounded period", "9000.00", "2026-06-01", "", "validFrom"},
		{"inside a bounded period, bounded itself", "9000.00", "2027-02-01", "2027-03-31", "validFrom"},
		{"on the last day of a bounded period", "9000.00", "2026-12-31", "", "validFrom"},
		{"on the first day of another record", "9000.00", "2027-07-01", "", "validFrom"},
		{"on the first day of a bounded record", "9000.00", "2026-01-01", "2026-03-31", "validFrom"},
		{"open-ended, before an existing start", "9000.00", "2024-01-01", "", "validFrom"},
		{"ending inside a later record", "9000.00", "2024-01-01", "2025-01-01", "validTo"},
		{"ending after a later record", "9000.00", "2024-01-01", "2030-01-01", "validTo"},
	}
	for _, tt := range refused {
		t.Run("refused: "+tt.name, func(t *testing.T) {
			before := a.snapshot()
			res := a.do("mechelen", recordSalary, record(tt.cost, tt.from, tt.to))
			if res.code() != "BAD_USER_INPUT" || res.field() != tt.field {
				t.Errorf("got %s (field %q): %+v; want BAD_USER_INPUT on %s", res.code(), res.field(), res.Errors, tt.field)
			}
			if a.snapshot() != before {
				t.Errorf("the refused salary changed the database")
			}
		})
	}
	want(t, "2025-01-01..2025-12-31 6500.00", "2026-01-01..2026-12-31 7000.00",
		"2027-01-01..2027-06-30 7500.00", "2027-07-01.. 7800.00")

	// A bounded record inside the open-ended one closes it as well: after
	// it ends no salary applies until one is recorded.
	t.Run("a bounded record takes over from the open-ended one", func(t *testing.T) {
		a.must("mechelen", recordSalary, record("8000.00", "2028-01-01", "2028-03-31"), nil)
		want(t, "2025-01-01..2025-12-31 6500.00", "2026-01-01..2026-12-31 7000.00",
			"2027-01-01..2027-06-30 7500.00", "2027-07-01..2027-12-31 7800.00", "2028-01-01..2028-03-31 8000.00")
		a.must("mechelen", recordSalary, record("7800.00", "2028-04-01", ""), nil)
	})

	// Records stored before overlaps were refused (the demo data has some:
	// a raise as a second open-ended record) are all taken over by a raise
	// that starts after them, which keeps what applied before it.
	t.Run("overlapping records from before", func(t *testing.T) {
		var cm struct {
			CreateMentor struct{ Mentor struct{ ID string } }
		}
		a.must("mechelen", createMentor, in(map[string]any{
			"municipalityID": a.ids["mechelen"], "name": "Veteran", "email": "veteran@mechelen.example",
		}), &cm)
		mentor = cm.CreateMentor.Mentor.ID
		id, err := scalar.DecodeID(mentor)
		if err != nil {
			t.Fatal(err)
		}
		sys := viewer.SystemContext(context.Background())
		for _, s := range []domain.Salary{
			{MonthlyCost: domain.Euro(6000), ValidFrom: domain.NewDate(2022, 1, 1)},
			{MonthlyCost: domain.Euro(6500), ValidFrom: domain.NewDate(2023, 1, 1)},
		} {
			a.client.Salary.Create().SetMentorID(id).SetMonthlyCost(s.MonthlyCost).SetWeeklyHours(domain.HoursOf(38)).
				SetValidFrom(s.ValidFrom).ExecX(sys)
		}
		if res := a.do("mechelen", recordSalary, record("7000.00", "2022-06-01", "")); res.field() != "validFrom" {
			t.Errorf("a record between the two starts: got %s (field %q), want BAD_USER_INPUT on validFrom", res.code(), res.field())
		}
		a.must("mechelen", recordSalary, record("7000.00", "2024-01-01", ""), nil)
		want(t, "2022-01-01..2023-12-31 6000.00", "2023-01-01..2023-12-31 6500.00", "2024-01-01.. 7000.00")
	})
}
