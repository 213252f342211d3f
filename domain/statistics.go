package domain

import (
	"cmp"
	"slices"
	"strings"
)

// MinGroupSize is the smallest number of grants an analyst sees summed
// under one municipality. A smaller group would let a single application's
// requested or settled amount, which derive from a mentor's salary, stand
// alone.
const MinGroupSize = 3

// OtherKey is the key value of the group that smaller municipality groups
// are folded into.
const OtherKey = "OTHER"

// StatGroup is one group of a grant statistic: its key values (one per
// dimension), how many grants it holds and the sums of their amounts.
type StatGroup struct {
	Keys   []string
	Labels []string
	Count  int
	Sums   [4]Money
}

// FoldSmallGroups folds, on the dimensions marked in municipal, every group
// of fewer than MinGroupSize grants into one group per combination of the
// other dimensions' keys, whose municipality keys are OtherKey (labelled
// otherLabel). When such an "other" group still holds fewer than
// MinGroupSize grants, the smallest remaining group beside it is folded in
// too, until it holds enough or nothing is left beside it: otherwise the
// total of the other dimensions minus the groups shown would single the
// small group out again. Counts and sums are additive because a grant has
// one giving and one receiving municipality. Nothing changes when no
// dimension is municipal. The result is ordered by keys, OtherKey last.
func FoldSmallGroups(groups []StatGroup, municipal []bool, otherLabel string) []StatGroup {
	if !slices.Contains(municipal, true) {
		return groups
	}
	// rest is the key of a group on the non-municipal dimensions: the
	// partition inside which folding happens.
	rest := func(g StatGroup) string {
		var b strings.Builder
		for i, k := range g.Keys {
			if !municipal[i] {
				b.WriteString(k)
			}
			b.WriteByte(0)
		}
		return b.String()
	}
	partitions := map[string][]StatGroup{}
	var order []string
	for _, g := range groups {
		r := rest(g)
		if _, ok := partitions[r]; !ok {
			order = append(order, r)
		}
		partitions[r] = append(partitions[r], g)
	}
	var out []StatGroup
	for _, r := range order {
		part := partitions[r]
		slices.SortStableFunc(part, func(a, b StatGroup) int { return cmp.Compare(a.Count, b.Count) })
		var other *StatGroup
		fold := func(g StatGroup) {
			if other == nil {
				other = &StatGroup{Keys: slices.Clone(g.Keys), Labels: slices.Clone(g.Labels)}
				for i := range municipal {
					if municipal[i] {
						other.Keys[i], other.Labels[i] = OtherKey, otherLabel
					}
				}
			}
			other.Count += g.Count
			for i := range other.Sums {
				other.Sums[i] += g.Sums[i]
			}
		}
		kept := part
		for len(kept) > 0 && (kept[0].Count < MinGroupSize || (other != nil && other.Count < MinGroupSize)) {
			fold(kept[0])
			kept = kept[1:]
		}
		out = append(out, kept...)
		if other != nil {
			out = append(out, *other)
		}
	}
	slices.SortStableFunc(out, func(a, b StatGroup) int {
		for i := range a.Keys {
			ao, bo := a.Keys[i] == OtherKey && municipal[i], b.Keys[i] == OtherKey && municipal[i]
			switch {
			case ao && !bo:
				return 1
			case bo && !ao:
				return -1
			}
			if c := strings.Compare(a.Keys[i], b.Keys[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	return out
}
