package apitest

import (
	"testing"

	"wisselaar/internal/testutil"
)

// TestBadScalarInputNamesTheField checks that a malformed amount, number of
// hours, date or ID in a mutation's input is BAD_USER_INPUT naming the
// field, whether it comes as a variable or inline, and changes nothing.
func TestBadScalarInputNamesTheField(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	const mutation = `mutation($input: CreateCallInput!) { createCall(input: $input) { call { id } } }`
	good := func() map[string]any {
		return map[string]any{
			"name": "Test call", "year": 2031, "opensAt": "2031-01-01T00:00:00+01:00", "closesAt": "2031-10-31T23:59:59+01:00",
			"budget": "100000.00", "perProjectCap": "50000.00", "compensationPercent": 50,
		}
	}
	for _, tt := range []struct {
		field string
		value any
	}{
		{"budget", "100000.001"},
		{"budget", "-1.00"},
		{"budget", "ten"},
		{"perProjectCap", "+5"},
		{"opensAt", "tomorrow"},
	} {
		in := good()
		in[tt.field] = tt.value
		r := s.Query(t, "ministry", mutation, map[string]any{"input": in})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != tt.field {
			t.Errorf("%s = %v: got %+v", tt.field, tt.value, r.Errors)
		}
	}
	// Inline literals go through the same checks.
	r := s.Query(t, "ministry", `mutation { createCall(input: {name: "X", year: 2031, opensAt: "2031-01-01T00:00:00Z",
		closesAt: "2031-02-01T00:00:00Z", budget: "1.234", perProjectCap: "1.00", compensationPercent: 50}) { call { id } } }`, nil)
	if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "budget" {
		t.Errorf("inline budget 1.234: got %+v", r.Errors)
	}
	// A malformed ID is the client's mistake, not the server's.
	r = s.Query(t, "mechelen", `mutation { signAgreement(input: {trajectoryID: "garbage"}) { trajectory { id } } }`, nil)
	if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "trajectoryID" {
		t.Errorf("malformed ID: got %+v", r.Errors)
	}
	var calls struct{ Calls struct{ TotalCount int } }
	s.Query(t, "", `{ calls { totalCount } }`, nil).Decode(t, &calls)
	if calls.Calls.TotalCount != 3 {
		t.Errorf("a refused createCall left %d calls, want the 3 of the demo data", calls.Calls.TotalCount)
	}
}
