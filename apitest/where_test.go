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

// TestFilterOraclesAnswerAsIfHiddenDataDidNotExist replays the probes that
// once read hidden data through filters on the public lists: a filter's edge
// predicate now reaches only rows the viewer may read, so for anonymous
// callers (and staff of other municipalities) the answer no longer depends
// on the threshold, while viewers who may read the rows still filter by it.
func TestFilterOraclesAnswerAsIfHiddenDataDidNotExist(t *testing.T) {
	s := testutil.NewServer(t, testutil.ScenarioPostgres(t), nil)
	count := func(login, query string, threshold string) int {
		t.Helper()
		var data map[string]struct{ TotalCount int }
		s.Query(t, login, query, map[string]any{"v": threshold}).Decode(t, &data)
		for _, v := range data {
			return v.TotalCount
		}
		t.Fatalf("no answer to %s", query)
		return 0
	}
	oracles := []struct {
		name, query, low, high string
		readers, others        []string
	}{
		{"requested amount through the municipalities",
			`query($v: Money) { municipalities(first: 1, where: {hasGivingTrajectoriesWith: [{hasGrantWith: [{requestedGTE: $v}]}]}) { totalCount } }`,
			"0.00", "99999999.00", []string{"ministry", "kortrijk"}, []string{""}},
		{"requested amount through the calls",
			`query($v: Money) { calls(where: {hasGrantsWith: [{requestedGTE: $v, status: RESERVED}]}) { totalCount } }`,
			"0.00", "99999999.00", []string{"ministry", "analyst"}, []string{"", "leuven"}},
		{"job titles through the municipalities",
			`query($v: String) { municipalities(where: {hasMentorsWith: [{jobTitleContains: $v}]}) { totalCount } }`,
			"", "no such title", []string{"ministry", "vvsg"}, []string{"", "analyst", "partner"}},
		{"creation times of mentors through the trajectories",
			`query($v: Time) { themes(where: {hasTrajectoriesWith: [{hasMentorsWith: [{createdAtGTE: $v}]}]}) { totalCount } }`,
			"2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z", []string{"ministry", "vvsg"}, []string{"", "analyst", "partner"}},
	}
	for _, o := range oracles {
		for _, login := range o.readers {
			if low, high := count(login, o.query, o.low), count(login, o.query, o.high); low <= high {
				t.Errorf("%s as %q: %d at %s, %d at %s: the filter does not filter for those who may read", o.name, login, low, o.low, high, o.high)
			}
		}
		for _, login := range o.others {
			if low, high := count(login, o.query, o.low), count(login, o.query, o.high); low != high || low != 0 {
				t.Errorf("%s as %q: %d at %s, %d at %s: want 0 whatever the threshold", o.name, login, low, o.low, high, o.high)
			}
		}
	}

	// Filters on texts that only some viewers of a trajectory may read do
	// not exist; an unknown filter field is a validation error.
	r := s.Query(t, "", `{ themes(where: {hasTrajectoriesWith: [{evaluationReportContains: "x"}]}) { totalCount } }`, nil)
	if r.Code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("a filter on evaluation reports: got %+v, want GRAPHQL_VALIDATION_FAILED", r.Errors)
	}

	// A NUL character, which PostgreSQL cannot compare, and an empty
	// filter inside another, are the client's mistakes.
	for _, q := range []string{
		`{ municipalities(where: {nameContains: "a\u0000b"}) { totalCount } }`,
		`{ municipalities(where: {hasGivingTrajectoriesWith: [{}]}) { totalCount } }`,
		`{ calls { edges { node { trajectories(where: {not: {}}) { totalCount } } } } }`,
	} {
		if r := s.Query(t, "vvsg", q, nil); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("%s: got %+v, want BAD_USER_INPUT", q, r.Errors)
		}
	}
}
