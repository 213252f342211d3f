package domain

import (
	"fmt"
	"testing"
)

func TestFoldSmallGroups(t *testing.T) {
	g := func(count int, keys ...string) StatGroup {
		return StatGroup{Keys: keys, Labels: keys, Count: count, Sums: [4]Money{Money(count * 100), 0, 0, Money(count)}}
	}
	show := func(gs []StatGroup) string {
		s := ""
		for _, g := range gs {
			s += fmt.Sprintf("%v:%d:%d ", g.Keys, g.Count, g.Sums[0])
		}
		return s
	}
	tests := []struct {
		name      string
		in        []StatGroup
		municipal []bool
		want      string
	}{
		{"no municipal dimension keeps every group", []StatGroup{g(1, "2022"), g(2, "2023")}, []bool{false},
			"[2022]:1:100 [2023]:2:200 "},
		{"big groups stay", []StatGroup{g(3, "12025"), g(5, "24062")}, []bool{true},
			"[12025]:3:300 [24062]:5:500 "},
		{"small groups fold into other", []StatGroup{g(5, "12025"), g(2, "24062"), g(1, "34022")}, []bool{true},
			"[12025]:5:500 [OTHER]:3:300 "},
		{"an other group that is still small takes the next smallest", []StatGroup{g(5, "12025"), g(1, "24062"), g(3, "34022"), g(4, "36015")}, []bool{true},
			"[12025]:5:500 [36015]:4:400 [OTHER]:4:400 "},
		{"everything folds when nothing is big enough", []StatGroup{g(1, "12025"), g(1, "24062")}, []bool{true},
			"[OTHER]:2:200 "},
		{"folding happens per value of the other dimensions", []StatGroup{
			g(4, "12025", "2022"), g(1, "12025", "2023"), g(1, "34022", "2023"), g(1, "36015", "2023"), g(3, "44083", "2023")},
			[]bool{true, false},
			"[12025 2022]:4:400 [44083 2023]:3:300 [OTHER 2023]:3:300 "},
		{"both municipality dimensions fold together", []StatGroup{g(1, "12025", "24062"), g(3, "12025", "23088"), g(1, "34022", "36015"), g(1, "13003", "45041")},
			[]bool{true, true},
			"[12025 23088]:3:300 [OTHER OTHER]:3:300 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := FoldSmallGroups(tt.in, tt.municipal, "other")
			if got := show(out); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			n, sum := 0, Money(0)
			for _, g := range out {
				n += g.Count
				sum += g.Sums[3]
			}
			if want := total(tt.in); n != want || int(sum) != want {
				t.Errorf("folding changed the total: %d grants, %d summed; want %d", n, sum, want)
			}
		})
	}
}

func total(gs []StatGroup) int {
	n := 0
	for _, g := range gs {
		n += g.Count
	}
	return n
}
