package domain

import (
	"testing"
	"time"
)

// BenchmarkPlannedCompensation times the calculation of a typical
// application (three mentors, eight months) and of a large one (twelve
// mentors with a raise, twenty-four months), measured in the same loop. The
// reported per-line ratio shows that the cost grows with the number of
// calculation lines and no faster.
func BenchmarkPlannedCompensation(b *testing.B) {
	rule := Rule{Percent: 50, Cap: Euro(50_000)}
	mentors := func(n int, raise bool) []Assignment {
		var out []Assignment
		for i := range n {
			s := []Salary{{MonthlyCost: Euro(6_000 + int64(i)*100), WeeklyHours: HoursOf(38), ValidFrom: NewDate(2026, 1, 1)}}
			if raise {
				s[0].ValidTo = NewDate(2027, 6, 30)
				s = append(s, Salary{MonthlyCost: Euro(6_200 + int64(i)*100), WeeklyHours: HoursOf(38), ValidFrom: NewDate(2027, 7, 1)})
			}
			out = append(out, Assignment{Mentor: string(rune('A' + i)), PlannedWeeklyHours: HoursOf(19), Salaries: s})
		}
		return out
	}
	small, large := mentors(3, false), mentors(12, true)
	var smallTime, largeTime time.Duration
	var smallLines, largeLines int
	for b.Loop() {
		start := time.Now()
		c, err := PlannedCompensation(rule, NewDate(2027, 1, 1), NewDate(2027, 8, 31), small)
		smallTime += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		smallLines = len(c.Lines)
		start = time.Now()
		c, err = PlannedCompensation(rule, NewDate(2027, 1, 1), NewDate(2028, 12, 31), large)
		largeTime += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		largeLines = len(c.Lines)
	}
	perLineSmall := float64(smallTime) / float64(smallLines)
	perLineLarge := float64(largeTime) / float64(largeLines)
	b.ReportMetric(perLineLarge/perLineSmall, "per-line-x-baseline")
}
