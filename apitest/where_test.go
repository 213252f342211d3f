package apitest

import (
	"testing"

	"wisselaar/internal/testutil"
)

// TestWhereFiltersCannotProbePersonalData checks that no where-filter
// reaches salaries, hours, payments, assignments or mentors' names and
// e-mail addresses: such a filter runs as a subquery the privacy policies
// never see, so anyone who can see a municipality or a trajectory could
// otherwise binary-search a salary.
func TestWhereFiltersCannotProbePersonalData(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	probes := []struct{ login, query string }{
		{"", `{ municipalities(where: {hasMentorsWith: [{hasSalariesWith: [{monthlyCostGTE: "7000.00"}]}]}) { totalCount } }`},
		{"", `{ municipalities(where: {hasMentorsWith: [{emailHasPrefix: "k"}]}) { totalCount } }`},
		{"analyst", `{ trajectories(where: {hasMentorsWith: [{nameHasPrefix: "K"}]}) { totalCount } }`},
		{"analyst", `{ trajectories(where: {hasTimeEntriesWith: [{hoursGT: 100}]}) { totalCount } }`},
		{"partner", `{ grants(where: {hasPaymentsWith: [{amountGT: "1000.00"}]}) { totalCount } }`},
		{"leuven", `{ mentors(where: {hasSalariesWith: [{monthlyCostGT: "7000.00"}]}) { totalCount } }`},
		{"vvsg", `{ mentors(where: {hasAssignmentsWith: [{plannedWeeklyHoursGT: 20}]}) { totalCount } }`},
	}
	for _, p := range probes {
		r := s.Query(t, p.login, p.query, nil)
		if r.Code() != "GRAPHQL_VALIDATION_FAILED" || string(r.Data) != "" && string(r.Data) != "null" {
			t.Errorf("%s %s: got %s %+v, want the filter not to exist", p.login, p.query, r.Data, r.Errors)
		}
	}
	var intro struct {
		Salary, TimeEntry, Payment, Assignment *struct{ Name string }
	}
	s.Query(t, "", `{ Salary: __type(name: "SalaryWhereInput") { name } TimeEntry: __type(name: "TimeEntryWhereInput") { name }
		Payment: __type(name: "PaymentWhereInput") { name } Assignment: __type(name: "AssignmentWhereInput") { name } }`, nil).Decode(t, &intro)
	if intro.Salary != nil || intro.TimeEntry != nil || intro.Payment != nil || intro.Assignment != nil {
		t.Errorf("where-inputs over personal data exist: %+v", intro)
	}
}
