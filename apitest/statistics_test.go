package apitest

import (
	"strings"
	"testing"

	"wisselaar/internal/db"
	"wisselaar/internal/testutil"
)

// TestGrantStatisticsEveryDimension groups the demo grants by each
// dimension on both databases and checks that the groups add up to the
// demo totals (themes excepted, where a grant counts once per theme).
func TestGrantStatisticsEveryDimension(t *testing.T) {
	databases(t, func(t *testing.T, d *db.DB) {
		s := testutil.NewServer(t, d, nil)
		// An analyst sees Mechelen's five grants, and the other giving and
		// every receiving municipality (one or two grants each) folded
		// into one group.
		want := map[string]int{"CALL": 2, "YEAR": 2, "STATUS": 1, "GIVING_PROVINCE": 3, "RECEIVING_PROVINCE": 4,
			"GIVING_MUNICIPALITY": 2, "RECEIVING_MUNICIPALITY": 1}
		for dim, groups := range want {
			var res struct {
				GrantStatistics []struct {
					Keys    []struct{ Value, Label string }
					Count   int
					Awarded string
				}
			}
			s.Query(t, "analyst", `query($d: [GrantDimension!]!) { grantStatistics(groupBy: $d) { keys { value label } count awarded } }`,
				map[string]any{"d": []string{dim}}).Decode(t, &res)
			count := 0
			for _, g := range res.GrantStatistics {
				count += g.Count
				if g.Keys[0].Value == "" || g.Keys[0].Label == "" {
					t.Errorf("%s: empty key %+v", dim, g.Keys)
				}
			}
			if len(res.GrantStatistics) != groups || count != 11 {
				t.Errorf("%s: %d groups with %d grants, want %d groups with 11", dim, len(res.GrantStatistics), count, groups)
			}
		}
		var themes struct {
			GrantStatistics []struct{ Count int }
		}
		s.Query(t, "analyst", `{ grantStatistics(groupBy: [THEME, YEAR]) { count } }`, nil).Decode(t, &themes)
		n := 0
		for _, g := range themes.GrantStatistics {
			n += g.Count
		}
		if n < 11 {
			t.Errorf("by theme: %d grant-theme pairs, want at least 11", n)
		}
		var call struct {
			GrantStatistics []struct {
				Keys    []struct{ Label string }
				Awarded string
			}
		}
		s.Query(t, "analyst", `{ grantStatistics(groupBy: [CALL]) { keys { label } awarded } }`, nil).Decode(t, &call)
		got := map[string]string{}
		for _, g := range call.GrantStatistics {
			got[g.Keys[0].Label] = g.Awarded
		}
		if got["De Wisselaar 2022"] != "89122.00" || got["De Wisselaar 2023"] != "123423.00" {
			t.Errorf("by call: %v", got)
		}
	})
}

// TestGrantStatisticsMinimumGroupSize checks that an analyst never sees a
// municipality named on a group of fewer than three grants, that the folded groups
// still add up to every grant, and that the ministry sees every
// municipality on its own.
func TestGrantStatisticsMinimumGroupSize(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	type stat struct {
		Keys []struct {
			Dimension, Value, Label string
		}
		Count              int
		Requested, Awarded string
	}
	query := `query($d: [GrantDimension!]!) { grantStatistics(groupBy: $d) { keys { dimension value label } count requested awarded } }`
	for _, dims := range [][]string{
		{"GIVING_MUNICIPALITY"}, {"RECEIVING_MUNICIPALITY"}, {"GIVING_MUNICIPALITY", "YEAR"},
		{"CALL", "RECEIVING_MUNICIPALITY"}, {"GIVING_MUNICIPALITY", "RECEIVING_MUNICIPALITY"}, {"THEME", "GIVING_MUNICIPALITY"},
	} {
		var res struct{ GrantStatistics []stat }
		s.Query(t, "analyst", query, map[string]any{"d": dims}).Decode(t, &res)
		n := 0
		for _, g := range res.GrantStatistics {
			n += g.Count
			for _, k := range g.Keys {
				if strings.HasSuffix(k.Dimension, "_MUNICIPALITY") && k.Value != "OTHER" && g.Count < 3 {
					t.Errorf("%v: analyst sees %s in a group of %d: %+v", dims, k.Label, g.Count, g)
				}
			}
		}
		if dims[0] != "THEME" && n != 11 {
			t.Errorf("%v: groups hold %d grants, want 11", dims, n)
		}
	}
	var giving struct{ GrantStatistics []stat }
	s.Query(t, "analyst", query, map[string]any{"d": []string{"GIVING_MUNICIPALITY"}}).Decode(t, &giving)
	if g := giving.GrantStatistics; len(g) != 2 || g[0].Keys[0].Label != "Mechelen" || g[0].Count != 5 ||
		g[1].Keys[0].Value != "OTHER" || g[1].Keys[0].Label != "Andere gemeenten" || g[1].Count != 6 {
		t.Errorf("analyst by giving municipality: %+v", g)
	}
	var ministry struct{ GrantStatistics []stat }
	s.Query(t, "ministry", query, map[string]any{"d": []string{"RECEIVING_MUNICIPALITY"}}).Decode(t, &ministry)
	if len(ministry.GrantStatistics) != 11 {
		t.Errorf("ministry by receiving municipality: %d groups, want 11", len(ministry.GrantStatistics))
	}
	for _, q := range []string{`{ grantStatistics(groupBy: []) { count } }`} {
		if r := s.Query(t, "analyst", q, nil); r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "groupBy" {
			t.Errorf("%s: %+v, want BAD_USER_INPUT on groupBy", q, r.Errors)
		}
	}
}

// TestBudgetStatusPerCall checks each call's ledger as the analyst reads it.
func TestBudgetStatusPerCall(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	var res struct {
		Calls struct {
			Edges []struct {
				Node struct {
					Name         string
					BudgetStatus *struct{ Budget, Committed, Remaining string }
				}
			}
		}
	}
	s.Query(t, "analyst", `{ calls { edges { node { name budgetStatus { budget committed remaining } } } } }`, nil).Decode(t, &res)
	got := map[string]string{}
	for _, e := range res.Calls.Edges {
		if b := e.Node.BudgetStatus; b != nil {
			got[e.Node.Name] = b.Budget + " " + b.Committed + " " + b.Remaining
		}
	}
	if got["De Wisselaar 2022"] != "250000.00 89122.00 160878.00" || got["De Wisselaar 2023"] != "250000.00 123423.00 126577.00" {
		t.Errorf("budget status per call: %v", got)
	}
}
