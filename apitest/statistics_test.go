package apitest

import (
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
		want := map[string]int{"CALL": 2, "YEAR": 2, "STATUS": 1, "GIVING_PROVINCE": 3, "RECEIVING_PROVINCE": 4,
			"GIVING_MUNICIPALITY": 6, "RECEIVING_MUNICIPALITY": 11}
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
