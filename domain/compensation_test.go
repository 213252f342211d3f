package domain

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

var rule50 = Rule{Percent: 50, Cap: Euro(50_000)}

// sal builds a salary record; to may be the zero time (open-ended).
func sal(cost Money, weekly Hours, from, to time.Time) Salary {
	return Salary{MonthlyCost: cost, WeeklyHours: weekly, ValidFrom: from, ValidTo: to}
}

var (
	since2020 = NewDate(2020, 1, 1)
	open      = time.Time{}
	h38       = HoursOf(38)
	h19       = HoursOf(19)
)

// wantFieldError checks that err is a *FieldError on field whose message
// contains msg.
func wantFieldError(t *testing.T, err error, field, msg string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v, want a *FieldError on %q", err, field)
	}
	if fe.Field != field || !strings.Contains(fe.Message, msg) {
		t.Fatalf("error = %q on %q, want field %q with message containing %q", fe.Message, fe.Field, field, msg)
	}
}

// checkInvariants checks what every calculation must satisfy: nothing
// negative, the lines add up exactly to Uncapped, every line is its exact
// amount rounded down or up, and the total is Uncapped capped.
func checkInvariants(t *testing.T, r Rule, c Calculation) {
	t.Helper()
	var sum Money
	exactSum := new(big.Rat)
	rate := big.NewRat(int64(r.Percent), 100)
	for i, l := range c.Lines {
		if l.Amount < 0 {
			t.Fatalf("line %d amount %s is negative", i, l.Amount)
		}
		exact := new(big.Rat).SetInt64(int64(l.MonthlyCost))
		exact.Mul(exact, l.Share).Mul(exact, rate)
		exactSum.Add(exactSum, exact)
		lo, hi := floor(exact).Int64(), ceil(exact).Int64()
		if int64(l.Amount) != lo && int64(l.Amount) != hi {
			t.Fatalf("line %d amount %s is not %s rounded down or up", i, l.Amount, exact.FloatString(4))
		}
		sum += l.Amount
	}
	if sum != c.Uncapped {
		t.Fatalf("lines add up to %s, uncapped total is %s", sum, c.Uncapped)
	}
	if want := roundHalfUp(exactSum).Int64(); int64(c.Uncapped) != want {
		t.Fatalf("uncapped = %s, want the exact sum %s rounded = %s", c.Uncapped, exactSum.FloatString(4), Money(want))
	}
	if c.Total < 0 || c.Total > r.Cap || c.Total != min(c.Uncapped, r.Cap) {
		t.Fatalf("total = %s with uncapped %s and cap %s", c.Total, c.Uncapped, r.Cap)
	}
	if c.Capped != (c.Uncapped > r.Cap) {
		t.Fatalf("capped = %v with uncapped %s and cap %s", c.Capped, c.Uncapped, r.Cap)
	}
}

func TestRuleValidate(t *testing.T) {
	tests := []struct {
		rule  Rule
		field string // "" = valid
	}{
		{Rule{Percent: 50, Cap: Euro(50_000)}, ""},
		{Rule{Percent: 1, Cap: 1}, ""},
		{Rule{Percent: 100, Cap: 1}, ""},
		{Rule{Percent: 0, Cap: Euro(50_000)}, "compensationPercent"},
		{Rule{Percent: -50, Cap: Euro(50_000)}, "compensationPercent"},
		{Rule{Percent: 101, Cap: Euro(50_000)}, "compensationPercent"},
		{Rule{Percent: 50, Cap: 0}, "perProjectCap"},
		{Rule{Percent: 50, Cap: -1}, "perProjectCap"},
	}
	for _, tt := range tests {
		err := tt.rule.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", tt.rule, err)
			}
			continue
		}
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%+v: error %v, want field %s", tt.rule, err, tt.field)
		}
	}
}

func TestCalculate(t *testing.T) {
	line := func(cost Money, num, den int64) Line {
		return Line{Mentor: "m", MonthlyCost: cost, Share: big.NewRat(num, den)}
	}
	tests := []struct {
		name     string
		rule     Rule
		lines    []Line
		amounts  []Money
		uncapped Money
		total    Money
		capped   bool
	}{
		{"no lines", rule50, nil, []Money{}, 0, 0, false},
		{"exact", rule50, []Line{line(Euro(6_400), 1, 2)}, []Money{Euro(1_600)}, Euro(1_600), Euro(1_600), false},
		{"half a cent rounds up", Rule{Percent: 50, Cap: Euro(1)}, []Line{line(1, 1, 1)}, []Money{1}, 1, 1, false},
		{"below half a cent rounds down", Rule{Percent: 100, Cap: Euro(1)}, []Line{line(1, 1, 3)}, []Money{0}, 0, 0, false},
		{"rounded once on the total, not per line", Rule{Percent: 100, Cap: Euro(1)},
			// Three lines of a third of a cent: per line 0 + 0 + 0, on the
			// exact total 1 cent, which goes to the first line on the tie.
			[]Line{line(1, 1, 3), line(1, 1, 3), line(1, 1, 3)}, []Money{1, 0, 0}, 1, 1, false},
		{"largest remainder gets the cent", Rule{Percent: 100, Cap: Euro(1)},
			// 0.2 + 0.7 + 0.6 = 1.5 → 2 cents: the 0.7 and 0.6 lines round up.
			[]Line{line(2, 1, 10), line(7, 1, 10), line(6, 1, 10)}, []Money{0, 1, 1}, 2, 2, false},
		{"sum of halves", Rule{Percent: 50, Cap: Euro(1)},
			// 0.5 + 0.5 = 1 cent exactly: one line gets it, not both.
			[]Line{line(1, 1, 1), line(1, 1, 1)}, []Money{1, 0}, 1, 1, false},
		{"156.20 of DOMAIN.md", rule50, []Line{line(5_123_45, 10, 164)}, []Money{156_20}, 156_20, 156_20, false},
		{"zero share", rule50, []Line{line(Euro(6_400), 0, 1)}, []Money{0}, 0, 0, false},
		{"cap applies after rounding: below", Rule{Percent: 50, Cap: 10_000},
			// 50002 × 2/5 × 50 % = 10000.4 cents → 10000: not capped.
			[]Line{line(50_002, 2, 5)}, []Money{10_000}, 10_000, 10_000, false},
		{"cap applies after rounding: above", Rule{Percent: 50, Cap: 10_000},
			// 20001 × 50 % = 10000.5 cents → 10001: capped to 10000.
			[]Line{line(20_001, 1, 1)}, []Money{10_001}, 10_001, 10_000, true},
		{"cap equals total", Rule{Percent: 50, Cap: 10_000}, []Line{line(20_000, 1, 1)}, []Money{10_000}, 10_000, 10_000, false},
		{"capped", rule50,
			[]Line{line(Euro(7_000), 5, 1), line(Euro(7_000), 5, 1), line(Euro(7_000), 5, 1)},
			[]Money{Euro(17_500), Euro(17_500), Euro(17_500)}, Euro(52_500), Euro(50_000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.rule.Calculate(tt.lines)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]Money, len(c.Lines))
			for i, l := range c.Lines {
				got[i] = l.Amount
			}
			if len(got) != len(tt.amounts) {
				t.Fatalf("amounts = %v, want %v", got, tt.amounts)
			}
			for i := range got {
				if got[i] != tt.amounts[i] {
					t.Fatalf("amounts = %v, want %v", got, tt.amounts)
				}
			}
			if c.Uncapped != tt.uncapped || c.Total != tt.total || c.Capped != tt.capped {
				t.Fatalf("uncapped %s total %s capped %v, want %s %s %v", c.Uncapped, c.Total, c.Capped, tt.uncapped, tt.total, tt.capped)
			}
			checkInvariants(t, tt.rule, c)
		})
	}
}

func TestCalculateDoesNotAliasShares(t *testing.T) {
	share := big.NewRat(1, 2)
	c, err := rule50.Calculate([]Line{{MonthlyCost: 100, Share: share}})
	if err != nil {
		t.Fatal(err)
	}
	c.Lines[0].Share.SetInt64(7)
	if share.Cmp(big.NewRat(1, 2)) != 0 {
		t.Fatalf("the caller's share changed to %s", share)
	}
}

func TestCalculateErrors(t *testing.T) {
	tests := []struct {
		name  string
		rule  Rule
		lines []Line
		field string // "" = not a FieldError
	}{
		{"bad rule", Rule{Percent: 0, Cap: 1}, nil, "compensationPercent"},
		{"negative cost", rule50, []Line{{MonthlyCost: -1, Share: big.NewRat(1, 1)}}, "monthlyCost"},
		{"nil share", rule50, []Line{{MonthlyCost: 1}}, "share"},
		{"negative share", rule50, []Line{{MonthlyCost: 1, Share: big.NewRat(-1, 2)}}, "share"},
		{"too large", Rule{Percent: 100, Cap: 1}, []Line{{MonthlyCost: 1 << 62, Share: big.NewRat(4, 1)}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.rule.Calculate(tt.lines)
			if tt.field == "" {
				if !errors.Is(err, errTooLarge) {
					t.Fatalf("error = %v, want errTooLarge", err)
				}
				return
			}
			wantFieldError(t, err, tt.field, "")
		})
	}
}

// TestCalculateProperty runs many random calculations through the
// invariants: the lines add up to the total, each line is within a cent of
// its exact value, the cap holds.
func TestCalculateProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(2022, 614))
	for range 5000 {
		r := Rule{Percent: 1 + rng.IntN(100), Cap: Money(1 + rng.Int64N(Euro(100_000).Cents()))}
		lines := make([]Line, rng.IntN(40))
		for i := range lines {
			lines[i] = Line{
				MonthlyCost: Money(rng.Int64N(MaxMonthlyCost.Cents() + 1)),
				Share:       big.NewRat(rng.Int64N(5000), 1+rng.Int64N(5000)),
			}
		}
		c, err := r.Calculate(lines)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, r, c)
	}
}

// FuzzCalculate builds lines from arbitrary bytes: four bytes of cost and
// two of share per line.
func FuzzCalculate(f *testing.F) {
	f.Add(50, int64(5_000_000), []byte{0, 0, 0, 1, 1, 3, 0, 0, 0, 1, 1, 3, 0, 0, 0, 1, 1, 3})
	f.Add(100, int64(1), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add(50, int64(10_000), []byte{0, 0, 0x4e, 0x21, 1, 1})
	f.Add(33, int64(123), []byte{})
	f.Fuzz(func(t *testing.T, percent int, cap int64, data []byte) {
		r := Rule{Percent: percent, Cap: Money(cap)}
		var lines []Line
		for ; len(data) >= 6; data = data[6:] {
			cost := int64(data[0])<<24 | int64(data[1])<<16 | int64(data[2])<<8 | int64(data[3])
			lines = append(lines, Line{MonthlyCost: Money(cost), Share: big.NewRat(int64(data[4]), int64(data[5])+1)})
		}
		c, err := r.Calculate(lines)
		if err != nil {
			if r.Validate() == nil {
				t.Fatalf("valid rule and lines: %v", err)
			}
			return
		}
		checkInvariants(t, r, c)
	})
}

func TestContractualMonthlyHours(t *testing.T) {
	tests := []struct {
		weekly Hours
		want   string // hundredths, exact
	}{
		{HoursOf(38), "49400/3"}, // 164.666… hours
		{HoursOf(19), "24700/3"},
		{HoursOf(36), "15600"}, // 156 hours
		{HoursOf(12), "5200"},
		{1, "13/3"},
	}
	for _, tt := range tests {
		if got := contractualMonthlyHours(tt.weekly).RatString(); got != tt.want {
			t.Errorf("contractual hours of %s a week = %s hundredths, want %s", tt.weekly, got, tt.want)
		}
	}
}

func TestPlannedCompensation(t *testing.T) {
	type wantLine struct {
		mentor, month, from, to, share string
		amount                         Money
	}
	tests := []struct {
		name         string
		start, end   time.Time
		assignments  []Assignment
		uncapped     Money
		total        Money
		lines        []wantLine // checked when not nil
		wantLineCnt  int        // checked when lines is nil
		wantCapped   bool
		wantUncapped bool // check uncapped == total
	}{
		{
			name:  "four whole months at half time",
			start: NewDate(2027, 1, 1), end: NewDate(2027, 4, 30),
			assignments: []Assignment{{Mentor: "An", PlannedWeeklyHours: h19, Salaries: []Salary{sal(Euro(6_400), h38, since2020, open)}}},
			uncapped:    Euro(6_400), total: Euro(6_400),
			lines: []wantLine{
				{"An", "2027-01", "2027-01-01", "2027-01-31", "1/2", Euro(1_600)},
				{"An", "2027-02", "2027-02-01", "2027-02-28", "1/2", Euro(1_600)},
				{"An", "2027-03", "2027-03-01", "2027-03-31", "1/2", Euro(1_600)},
				{"An", "2027-04", "2027-04-01", "2027-04-30", "1/2", Euro(1_600)},
			},
		},
		{
			name:  "partial months pro rata by calendar days",
			start: NewDate(2027, 1, 15), end: NewDate(2027, 3, 10),
			// 6000 × ½ × (17/31 + 1 + 10/31) × 50 % = 2806.4516… → 2806.45
			assignments: []Assignment{{Mentor: "An", PlannedWeeklyHours: h19, Salaries: []Salary{sal(Euro(6_000), h38, since2020, open)}}},
			uncapped:    2806_45, total: 2806_45,
			lines: []wantLine{
				{"An", "2027-01", "2027-01-15", "2027-01-31", "17/62", 822_58},
				{"An", "2027-02", "2027-02-01", "2027-02-28", "1/2", 1500_00},
				{"An", "2027-03", "2027-03-01", "2027-03-10", "5/31", 483_87},
			},
		},
		{
			name:  "one day",
			start: NewDate(2027, 2, 10), end: NewDate(2027, 2, 10),
			// 5600 × 1 × 1/28 × 50 % = 100
			assignments: []Assignment{{Mentor: "An", PlannedWeeklyHours: h38, Salaries: []Salary{sal(Euro(5_600), h38, since2020, open)}}},
			uncapped:    Euro(100), total: Euro(100),
			lines: []wantLine{{"An", "2027-02", "2027-02-10", "2027-02-10", "1/28", Euro(100)}},
		},
		{
			name:  "leap February counts 29 days",
			start: NewDate(2028, 2, 1), end: NewDate(2028, 2, 14),
			assignments: []Assignment{{Mentor: "An", PlannedWeeklyHours: h38, Salaries: []Salary{sal(Euro(5_800), h38, since2020, open)}}},
			uncapped:    Euro(1_400), total: Euro(1_400),
			lines: []wantLine{{"An", "2028-02", "2028-02-01", "2028-02-14", "14/29", Euro(1_400)}},
		},
		{
			name:  "across the new year",
			start: NewDate(2026, 12, 1), end: NewDate(2027, 1, 31),
			assignments: []Assignment{{Mentor: "An", PlannedWeeklyHours: h19, Salaries: []Salary{sal(Euro(6_000), h38, since2020, open)}}},
			uncapped:    Euro(3_000), total: Euro(3_000),
			lines: []wantLine{
				{"An", "2026-12", "2026-12-01", "2026-12-31", "1/2", Euro(1_500)},
				{"An", "2027-01", "2027-01-01", "2027-01-31", "1/2", Euro(1_500)},
			},
		},
		{
			name:  "raise in the middle of the trajectory",
			start: NewDate(2027, 2, 1), end: NewDate(2027, 3, 31),
			assignments: []Assignment{{Mentor: "An", PlannedWeeklyHours: h19, Salaries: []Salary{
				sal(Euro(6_000), h38, since2020, open),
				sal(Euro(6_600), h38, NewDate(2027, 3, 1), open),
			}}},
			uncapped: Euro(3_150), total: Euro(3_150),
			lines: []wantLine{
				{"An", "2027-02", "2027-02-01", "2027-02-28", "1/2", Euro(1_500)},
				{"An", "2027-03", "2027-03-01", "2027-03-31", "1/2", Euro(1_650)},
			},
		},
		{
			name:  "raise in the middle of a month",
			start: NewDate(2027, 2, 1), end: NewDate(2027, 3, 31),
			// March: 6000 × 15/31 × ½ × 50 % + 6600 × 16/31 × ½ × 50 %
			//      = 725.806… + 851.612… = 1577.419…; with February 3077.42.
			// Floors 725.80 + 851.61 + 1500 = 3077.41: the cent left goes to
			// the larger remainder (0.645 cent), the first March line.
			assignments: []Assignment{{Mentor: "An", PlannedWeeklyHours: h19, Salaries: []Salary{
				sal(Euro(6_600), h38, NewDate(2027, 3, 16), open), // order does not matter
				sal(Euro(6_000), h38, since2020, open),
			}}},
			uncapped: 3077_42, total: 3077_42,
			lines: []wantLine{
				{"An", "2027-02", "2027-02-01", "2027-02-28", "1/2", 1500_00},
				{"An", "2027-03", "2027-03-01", "2027-03-15", "15/62", 725_81},
				{"An", "2027-03", "2027-03-16", "2027-03-31", "8/31", 851_61},
			},
		},
		{
			name:  "a temporary record falls back to the older one",
			start: NewDate(2027, 1, 1), end: NewDate(2027, 3, 31),
			// February on a half-time contract of 3000: 19 of 19 hours.
			assignments: []Assignment{{Mentor: "An", PlannedWeeklyHours: h19, Salaries: []Salary{
				sal(Euro(6_000), h38, since2020, open),
				sal(Euro(3_000), h19, NewDate(2027, 2, 1), NewDate(2027, 2, 28)),
			}}},
			uncapped: Euro(4_500), total: Euro(4_500),
			lines: []wantLine{
				{"An", "2027-01", "2027-01-01", "2027-01-31", "1/2", Euro(1_500)},
				{"An", "2027-02", "2027-02-01", "2027-02-28", "1", Euro(1_500)},
				{"An", "2027-03", "2027-03-01", "2027-03-31", "1/2", Euro(1_500)},
			},
		},
		{
			name:  "salary record ending and the next starting",
			start: NewDate(2027, 1, 1), end: NewDate(2027, 2, 28),
			assignments: []Assignment{{Mentor: "An", PlannedWeeklyHours: h19, Salaries: []Salary{
				sal(Euro(6_000), h38, since2020, NewDate(2027, 1, 31)),
				sal(Euro(8_000), h38, NewDate(2027, 2, 1), open),
			}}},
			uncapped: Euro(3_500), total: Euro(3_500),
			wantLineCnt: 2,
		},
		{
			name:  "two mentors",
			start: NewDate(2027, 1, 1), end: NewDate(2027, 1, 31),
			assignments: []Assignment{
				{Mentor: "An", PlannedWeeklyHours: h19, Salaries: []Salary{sal(Euro(6_000), h38, since2020, open)}},
				{Mentor: "Bart", PlannedWeeklyHours: HoursOf(9) + 50, Salaries: []Salary{sal(Euro(5_000), h38, since2020, open)}},
			},
			uncapped: Euro(1_500) + 625_00, total: Euro(1_500) + 625_00,
			lines: []wantLine{
				{"An", "2027-01", "2027-01-01", "2027-01-31", "1/2", Euro(1_500)},
				{"Bart", "2027-01", "2027-01-01", "2027-01-31", "1/4", 625_00},
			},
		},
		{
			name:  "capped",
			start: NewDate(2027, 1, 1), end: NewDate(2027, 5, 31),
			assignments: []Assignment{
				{Mentor: "An", PlannedWeeklyHours: h38, Salaries: []Salary{sal(Euro(7_000), h38, since2020, open)}},
				{Mentor: "Bart", PlannedWeeklyHours: h38, Salaries: []Salary{sal(Euro(7_000), h38, since2020, open)}},
				{Mentor: "Chloé", PlannedWeeklyHours: h38, Salaries: []Salary{sal(Euro(7_000), h38, since2020, open)}},
			},
			uncapped: Euro(52_500), total: Euro(50_000), wantCapped: true, wantLineCnt: 15,
		},
		{
			name:  "dates in another location mean their UTC day",
			start: time.Date(2027, 1, 1, 0, 0, 0, 0, time.FixedZone("west", -5*3600)), end: NewDate(2027, 1, 31),
			assignments: []Assignment{{Mentor: "An", PlannedWeeklyHours: h19, Salaries: []Salary{sal(Euro(6_200), h38, since2020, open)}}},
			// 05:00 UTC on 1 January is still 1 January.
			uncapped: Euro(1_550), total: Euro(1_550), wantLineCnt: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := PlannedCompensation(rule50, tt.start, tt.end, tt.assignments)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, rule50, c)
			if c.Uncapped != tt.uncapped || c.Total != tt.total || c.Capped != tt.wantCapped {
				t.Fatalf("uncapped %s total %s capped %v, want %s %s %v", c.Uncapped, c.Total, c.Capped, tt.uncapped, tt.total, tt.wantCapped)
			}
			if tt.lines == nil {
				if len(c.Lines) != tt.wantLineCnt {
					t.Fatalf("%d lines, want %d", len(c.Lines), tt.wantLineCnt)
				}
				return
			}
			if len(c.Lines) != len(tt.lines) {
				t.Fatalf("%d lines, want %d", len(c.Lines), len(tt.lines))
			}
			for i, w := range tt.lines {
				l := c.Lines[i]
				got := wantLine{l.Mentor, l.Month.String(), FormatDate(l.From), FormatDate(l.To), l.Share.RatString(), l.Amount}
				if got != w {
					t.Errorf("line %d = %+v, want %+v", i, got, w)
				}
				if l.PlannedWeeklyHours == 0 || l.WeeklyHours == 0 || l.MonthlyCost == 0 || l.HoursSpent != 0 {
					t.Errorf("line %d does not describe the planned calculation: %+v", i, l)
				}
			}
		})
	}
}

func TestPlannedCompensationErrors(t *testing.T) {
	jan, mar := NewDate(2027, 1, 1), NewDate(2027, 3, 31)
	ok := []Salary{sal(Euro(6_000), h38, since2020, open)}
	one := func(planned Hours, ss ...Salary) []Assignment {
		return []Assignment{{Mentor: "An", PlannedWeeklyHours: planned, Salaries: ss}}
	}
	tests := []struct {
		name        string
		rule        Rule
		start, end  time.Time
		assignments []Assignment
		field, msg  string
	}{
		{"bad rule", Rule{Percent: 50}, jan, mar, one(h19, ok...), "perProjectCap", ""},
		{"no start", rule50, time.Time{}, mar, one(h19, ok...), "plannedStart", "required"},
		{"no end", rule50, jan, time.Time{}, one(h19, ok...), "plannedEnd", "required"},
		{"end before start", rule50, mar, jan, one(h19, ok...), "plannedEnd", "2027-01-01 is before plannedStart 2027-03-31"},
		{"five years", rule50, jan, NewDate(2031, 12, 31), one(h19, ok...), "", ""},
		{"more than five years", rule50, jan, NewDate(2032, 1, 1), one(h19, ok...), "plannedEnd", "at most 5 years"},
		{"a mistyped year", rule50, jan, NewDate(2207, 3, 31), one(h19, ok...), "plannedEnd", "at most 5 years"},
		{"no mentors", rule50, jan, mar, nil, "mentors", "no mentor"},
		{"zero planned hours", rule50, jan, mar, one(0, ok...), "plannedWeeklyHours", "An"},
		{"negative planned hours", rule50, jan, mar, one(-100, ok...), "plannedWeeklyHours", "more than 0"},
		{"planned above contract", rule50, jan, mar, one(HoursOf(40), ok...), "plannedWeeklyHours", "40 hours a week, more than the 38"},
		{"planned above a later part-time contract", rule50, jan, mar,
			one(h38, sal(Euro(6_000), h38, since2020, open), sal(Euro(3_000), h19, NewDate(2027, 3, 1), open)),
			"plannedWeeklyHours", "from 2027-03-01 to 2027-03-31"},
		{"no salary records", rule50, jan, mar, one(h19), "salaries", "no salary from 2027-01-01 to 2027-03-31"},
		{"salary starts too late", rule50, NewDate(2027, 1, 15), mar,
			one(h19, sal(Euro(6_000), h38, NewDate(2027, 2, 1), open)), "salaries", "An has no salary from 2027-01-15 to 2027-01-31"},
		{"salary ends too early", rule50, jan, mar,
			one(h19, sal(Euro(6_000), h38, since2020, NewDate(2027, 3, 30))), "salaries", "on 2027-03-31"},
		{"gap between records", rule50, jan, mar,
			one(h19, sal(Euro(6_000), h38, since2020, NewDate(2027, 1, 31)), sal(Euro(6_000), h38, NewDate(2027, 2, 2), open)),
			"salaries", "on 2027-02-01"},
		{"zero monthly cost", rule50, jan, mar, one(h19, sal(0, h38, since2020, open)), "monthlyCost", "mentor An:"},
		{"zero weekly hours", rule50, jan, mar, one(h19, sal(Euro(6_000), 0, since2020, open)), "weeklyHours", ""},
		{"two records from the same day", rule50, jan, mar,
			one(h19, sal(Euro(6_000), h38, since2020, open), sal(Euro(6_100), h38, since2020, open)), "validFrom", "2020-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlannedCompensation(tt.rule, tt.start, tt.end, tt.assignments)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantFieldError(t, err, tt.field, tt.msg)
		})
	}
}

func TestActualCompensation(t *testing.T) {
	type wantLine struct {
		mentor, month, from, to, share string
		amount                         Money
	}
	jan, feb, mar := NewMonth(2027, 1), NewMonth(2027, 2), NewMonth(2027, 3)
	tests := []struct {
		name   string
		sheets []TimeSheet
		total  Money
		lines  []wantLine
	}{
		{
			name:   "no sheets",
			sheets: nil, total: 0, lines: []wantLine{},
		},
		{
			name: "10 hours on a 38-hour week",
			// 5123.45 × 10 ÷ 164.666… × 50 % = 155.5703…
			sheets: []TimeSheet{{Mentor: "Fatima", Salaries: []Salary{sal(5_123_45, h38, since2020, open)},
				Entries: []TimeEntry{{jan, HoursOf(10)}}}},
			total: 155_57,
			lines: []wantLine{{"Fatima", "2027-01", "2027-01-01", "2027-01-31", "15/247", 155_57}},
		},
		{
			name: "the same hours count the same in February",
			sheets: []TimeSheet{{Mentor: "Fatima", Salaries: []Salary{sal(5_123_45, h38, since2020, open)},
				Entries: []TimeEntry{{feb, HoursOf(10)}}}},
			total: 155_57,
			lines: []wantLine{{"Fatima", "2027-02", "2027-02-01", "2027-02-28", "15/247", 155_57}},
		},
		{
			name: "a full month as shown (164.67) counts as the full month",
			sheets: []TimeSheet{{Mentor: "An", Salaries: []Salary{sal(Euro(6_400), h38, since2020, open)},
				Entries: []TimeEntry{{jan, 164_67}}}},
			total: Euro(3_200),
			lines: []wantLine{{"An", "2027-01", "2027-01-01", "2027-01-31", "1", Euro(3_200)}},
		},
		{
			name: "zero hours",
			sheets: []TimeSheet{{Mentor: "An", Salaries: []Salary{sal(Euro(6_400), h38, since2020, open)},
				Entries: []TimeEntry{{jan, 0}}}},
			total: 0,
			lines: []wantLine{{"An", "2027-01", "2027-01-01", "2027-01-31", "0", 0}},
		},
		{
			name: "months are sorted",
			sheets: []TimeSheet{{Mentor: "An", Salaries: []Salary{sal(Euro(6_000), HoursOf(36), since2020, open)},
				Entries: []TimeEntry{{mar, HoursOf(39)}, {jan, HoursOf(78)}}}},
			// 36 h a week = 156 h a month: 78 h = ½, 39 h = ¼.
			total: Euro(1_500) + Euro(750),
			lines: []wantLine{
				{"An", "2027-01", "2027-01-01", "2027-01-31", "1/2", Euro(1_500)},
				{"An", "2027-03", "2027-03-01", "2027-03-31", "1/4", Euro(750)},
			},
		},
		{
			name: "salary and hours change in the middle of the month",
			// March: 6000 on 38 h to the 15th, 4000 on 19 h from the 16th.
			// Contractual hours 164.67 × 15/31 + 82.33 × 16/31 = 122.17…;
			// (6000 × 15/31 + 4000 × 16/31) × 100 ÷ 122.17… × 50 % = 2033.09.
			sheets: []TimeSheet{{Mentor: "An", Salaries: []Salary{
				sal(Euro(6_000), h38, since2020, NewDate(2027, 3, 15)),
				sal(Euro(4_000), h19, NewDate(2027, 3, 16), open),
			}, Entries: []TimeEntry{{mar, HoursOf(100)}}}},
			total: 2033_09,
			lines: []wantLine{
				{"An", "2027-03", "2027-03-01", "2027-03-15", "2250/5681", 1188_17},
				{"An", "2027-03", "2027-03-16", "2027-03-31", "2400/5681", 844_92},
			},
		},
		{
			name: "hired in the middle of the month",
			// Only the 16 covered days count: contractual hours 84.98…, and
			// 80 hours are worth what they would be in a whole month
			// (share 16/31 × 80 ÷ 84.98… = 120/247).
			sheets: []TimeSheet{{Mentor: "An", Salaries: []Salary{sal(Euro(6_000), h38, NewDate(2027, 3, 16), open)},
				Entries: []TimeEntry{{mar, HoursOf(80)}}}},
			total: 1457_49,
			lines: []wantLine{{"An", "2027-03", "2027-03-16", "2027-03-31", "120/247", 1457_49}},
		},
		{
			name: "two mentors keep their order",
			sheets: []TimeSheet{
				{Mentor: "Bart", Salaries: []Salary{sal(Euro(5_200), HoursOf(36), since2020, open)}, Entries: []TimeEntry{{jan, HoursOf(156)}}},
				{Mentor: "An", Salaries: []Salary{sal(Euro(6_000), HoursOf(36), since2020, open)}, Entries: []TimeEntry{{jan, HoursOf(78)}}},
			},
			total: Euro(2_600) + Euro(1_500),
			lines: []wantLine{
				{"Bart", "2027-01", "2027-01-01", "2027-01-31", "1", Euro(2_600)},
				{"An", "2027-01", "2027-01-01", "2027-01-31", "1/2", Euro(1_500)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ActualCompensation(rule50, tt.sheets)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, rule50, c)
			if c.Total != tt.total {
				t.Fatalf("total %s, want %s", c.Total, tt.total)
			}
			if len(c.Lines) != len(tt.lines) {
				t.Fatalf("%d lines, want %d", len(c.Lines), len(tt.lines))
			}
			for i, w := range tt.lines {
				l := c.Lines[i]
				got := wantLine{l.Mentor, l.Month.String(), FormatDate(l.From), FormatDate(l.To), l.Share.RatString(), l.Amount}
				if got != w {
					t.Errorf("line %d = %+v, want %+v", i, got, w)
				}
				if l.PlannedWeeklyHours != 0 {
					t.Errorf("line %d has planned hours", i)
				}
			}
		})
	}
}

func TestActualCompensationCapped(t *testing.T) {
	var sheets []TimeSheet
	for _, name := range []string{"An", "Bart", "Chloé"} {
		sh := TimeSheet{Mentor: name, Salaries: []Salary{sal(Euro(7_000), h38, since2020, open)}}
		for m := NewMonth(2027, 1); m.Before(NewMonth(2027, 6)); m = m.Next() {
			sh.Entries = append(sh.Entries, TimeEntry{m, 164_67})
		}
		sheets = append(sheets, sh)
	}
	c, err := ActualCompensation(rule50, sheets)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, rule50, c)
	if c.Uncapped != Euro(52_500) || c.Total != Euro(50_000) || !c.Capped {
		t.Fatalf("uncapped %s total %s capped %v", c.Uncapped, c.Total, c.Capped)
	}
}

func TestActualCompensationErrors(t *testing.T) {
	jan := NewMonth(2027, 1)
	ok := []Salary{sal(Euro(6_000), h38, since2020, open)}
	one := func(ss []Salary, entries ...TimeEntry) []TimeSheet {
		return []TimeSheet{{Mentor: "An", Salaries: ss, Entries: entries}}
	}
	tests := []struct {
		name       string
		rule       Rule
		sheets     []TimeSheet
		field, msg string
	}{
		{"bad rule", Rule{Percent: 200, Cap: 1}, one(ok, TimeEntry{jan, 1}), "compensationPercent", ""},
		{"no month", rule50, one(ok, TimeEntry{Month{}, 1}), "month", "required"},
		{"two entries for a month", rule50, one(ok, TimeEntry{jan, 1}, TimeEntry{jan, 2}), "month", "two entries for 2027-01"},
		{"negative hours", rule50, one(ok, TimeEntry{jan, -1}), "hours", "negative"},
		{"above contractual hours", rule50, one(ok, TimeEntry{jan, 164_68}), "hours", "164.68 hours in 2027-01 is more than the 164.67"},
		{"above the hours of a partly covered month", rule50,
			one([]Salary{sal(Euro(6_000), h38, NewDate(2027, 1, 16), open)}, TimeEntry{jan, HoursOf(90)}), "hours", "more than the 84.99"},
		{"no salary in the month", rule50,
			one([]Salary{sal(Euro(6_000), h38, NewDate(2027, 2, 1), open)}, TimeEntry{jan, 1}), "month", "An has no salary in 2027-01"},
		{"no salary at all", rule50, one(nil, TimeEntry{jan, 1}), "month", "no salary"},
		{"invalid salary", rule50, one([]Salary{sal(-1, h38, since2020, open)}, TimeEntry{jan, 1}), "monthlyCost", "mentor An:"},
		{"salary ends before it starts", rule50,
			one([]Salary{sal(Euro(6_000), h38, since2020, NewDate(2019, 1, 1))}, TimeEntry{jan, 1}), "validTo", "before validFrom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ActualCompensation(tt.rule, tt.sheets)
			wantFieldError(t, err, tt.field, tt.msg)
		})
	}
}

func TestMaxHours(t *testing.T) {
	mar := NewMonth(2027, 3)
	tests := []struct {
		name     string
		month    Month
		salaries []Salary
		want     Hours
		field    string
	}{
		{"38-hour week", mar, []Salary{sal(Euro(6_000), h38, since2020, open)}, 164_67, ""},
		{"36-hour week", mar, []Salary{sal(Euro(6_000), HoursOf(36), since2020, open)}, HoursOf(156), ""},
		{"19-hour week", mar, []Salary{sal(Euro(6_000), h19, since2020, open)}, 82_34, ""},
		{"February counts the same", NewMonth(2027, 2), []Salary{sal(Euro(6_000), h38, since2020, open)}, 164_67, ""},
		{"hired on the 16th", mar, []Salary{sal(Euro(6_000), h38, NewDate(2027, 3, 16), open)}, 84_99, ""},
		{"from full to half time on the 16th", mar, []Salary{
			sal(Euro(6_000), h38, since2020, open),
			sal(Euro(3_000), h19, NewDate(2027, 3, 16), open),
		}, 122_18, ""},
		{"no month", Month{}, []Salary{sal(Euro(6_000), h38, since2020, open)}, 0, "month"},
		{"no salary", mar, nil, 0, "month"},
		{"invalid salary", mar, []Salary{sal(Euro(6_000), 0, since2020, open)}, 0, "weeklyHours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MaxHours(tt.month, tt.salaries)
			if tt.field != "" {
				wantFieldError(t, err, tt.field, "")
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("MaxHours = %s, %v; want %s", got, err, tt.want)
			}
			// What MaxHours allows, ActualCompensation accepts, and not a
			// hundredth more.
			sheet := func(h Hours) []TimeSheet {
				return []TimeSheet{{Mentor: "An", Salaries: tt.salaries, Entries: []TimeEntry{{tt.month, h}}}}
			}
			if _, err := ActualCompensation(rule50, sheet(got)); err != nil {
				t.Fatalf("MaxHours %s refused: %v", got, err)
			}
			if _, err := ActualCompensation(rule50, sheet(got+1)); err == nil {
				t.Fatalf("%s accepted above MaxHours", got+1)
			}
		})
	}
}

func TestSettle(t *testing.T) {
	tests := []struct{ actual, awarded, want Money }{
		{Euro(19_000), Euro(21_746), Euro(19_000)},
		{Euro(21_746), Euro(21_746), Euro(21_746)},
		{Euro(23_965), Euro(21_746), Euro(21_746)},
		{0, Euro(21_746), 0},
		{-1, Euro(21_746), 0},
		{Euro(1), 0, 0},
	}
	for _, tt := range tests {
		if got := Settle(tt.actual, tt.awarded); got != tt.want {
			t.Errorf("Settle(%s, %s) = %s, want %s", tt.actual, tt.awarded, got, tt.want)
		}
	}
}

// fuzzSalaries builds one or two salary records from fuzz input: a base
// record and, when raiseDay is set, a second record from that day.
func fuzzSalaries(cost, weekly int64, raiseDay uint16, raiseCost, raiseWeekly int64) []Salary {
	ss := []Salary{sal(Money(cost), Hours(weekly), NewDate(2020, 1, 1), open)}
	if raiseDay != 0 {
		ss = append(ss, sal(Money(raiseCost), Hours(raiseWeekly), NewDate(2020, 1, 1).AddDate(0, 0, int(raiseDay%3000)), open))
	}
	return ss
}

// upperBound is the most a calculation can honestly give: the rate on the
// largest monthly cost for every month of every line, plus half a cent.
func upperBound(r Rule, maxCost Money, monthLines int) *big.Rat {
	b := big.NewRat(int64(maxCost)*int64(monthLines)*int64(r.Percent), 100)
	return b.Add(b, big.NewRat(1, 2))
}

func FuzzPlannedCompensation(f *testing.F) {
	f.Add(int64(6_400_00), int64(38_00), int64(19_00), uint16(2_557), int16(119), uint16(0), int64(0), int64(0), 50, int64(50_000_00), uint8(1))
	f.Add(int64(7_000_00), int64(38_00), int64(38_00), uint16(2_557), int16(150), uint16(0), int64(0), int64(0), 50, int64(50_000_00), uint8(3))
	f.Add(int64(6_000_00), int64(38_00), int64(19_00), uint16(2_571), int16(54), uint16(2_630), int64(6_600_00), int64(38_00), 50, int64(50_000_00), uint8(1))
	f.Add(int64(6_000_00), int64(38_00), int64(40_00), uint16(10), int16(-5), uint16(20), int64(-1), int64(0), 0, int64(-1), uint8(0))
	f.Add(int64(1), int64(1), int64(1), uint16(0), int16(0), uint16(1), int64(1), int64(1), 100, int64(1), uint8(255))
	f.Fuzz(func(t *testing.T, cost, weekly, planned int64, startDay uint16, length int16, raiseDay uint16, raiseCost, raiseWeekly int64, percent int, cap int64, mentors uint8) {
		r := Rule{Percent: percent, Cap: Money(cap)}
		start := NewDate(2020, 1, 1).AddDate(0, 0, int(startDay%3000))
		end := start.AddDate(0, 0, int(length))
		ss := fuzzSalaries(cost, weekly, raiseDay, raiseCost, raiseWeekly)
		as := make([]Assignment, mentors%8)
		for i := range as {
			as[i] = Assignment{Mentor: "m", PlannedWeeklyHours: Hours(planned), Salaries: ss}
		}
		c, err := PlannedCompensation(r, start, end, as)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			return
		}
		checkInvariants(t, r, c)
		months := 0
		for m := MonthOf(start); !MonthOf(end).Before(m); m = m.Next() {
			months++
		}
		maxCost := max(Money(cost), Money(raiseCost))
		if new(big.Rat).SetInt64(int64(c.Uncapped)).Cmp(upperBound(r, maxCost, months*len(as))) > 0 {
			t.Fatalf("uncapped %s is more than %d%% of %s for %d mentor-months", c.Uncapped, r.Percent, maxCost, months*len(as))
		}
	})
}

func FuzzActualCompensation(f *testing.F) {
	f.Add(int64(5_123_45), int64(38_00), uint16(0), int64(0), int64(0), 50, int64(50_000_00), []byte{0, 0x03, 0xe8})
	f.Add(int64(6_400_00), int64(38_00), uint16(0), int64(0), int64(0), 50, int64(50_000_00), []byte{0, 0x40, 0x53, 1, 0x40, 0x53})
	f.Add(int64(6_000_00), int64(38_00), uint16(2_630), int64(4_000_00), int64(19_00), 50, int64(50_000_00), []byte{86, 0x27, 0x10})
	f.Add(int64(1), int64(1), uint16(1), int64(1), int64(1), 100, int64(1), []byte{0, 0, 1, 0, 0, 2, 0, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, cost, weekly int64, raiseDay uint16, raiseCost, raiseWeekly int64, percent int, cap int64, data []byte) {
		r := Rule{Percent: percent, Cap: Money(cap)}
		sh := TimeSheet{Mentor: "m", Salaries: fuzzSalaries(cost, weekly, raiseDay, raiseCost, raiseWeekly)}
		for ; len(data) >= 3; data = data[3:] {
			m := NewMonth(2020, time.Month(1+int(data[0]%120)))
			sh.Entries = append(sh.Entries, TimeEntry{m, Hours(int64(data[1])<<8 | int64(data[2]))})
		}
		c, err := ActualCompensation(r, []TimeSheet{sh})
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			return
		}
		checkInvariants(t, r, c)
		maxCost := max(Money(cost), Money(raiseCost))
		if new(big.Rat).SetInt64(int64(c.Uncapped)).Cmp(upperBound(r, maxCost, len(sh.Entries))) > 0 {
			t.Fatalf("uncapped %s is more than %d%% of %s for %d months", c.Uncapped, r.Percent, maxCost, len(sh.Entries))
		}
		settled := Settle(c.Total, Money(cap/2))
		if settled < 0 || settled > max(Money(cap/2), 0) || settled > c.Total {
			t.Fatalf("settled %s of actual %s and awarded %s", settled, c.Total, Money(cap/2))
		}
	})
}

func TestValidatePlannedPeriod(t *testing.T) {
	west := time.FixedZone("west", -5*3600)
	tests := []struct {
		name       string
		start, end time.Time
		field      string
	}{
		{"one day", NewDate(2027, 1, 1), NewDate(2027, 1, 1), ""},
		{"four months", NewDate(2027, 1, 1), NewDate(2027, 4, 30), ""},
		{"the last day of five years", NewDate(2027, 1, 1), NewDate(2031, 12, 31), ""},
		{"the same UTC day read west of UTC", NewDate(2027, 1, 2).In(west), NewDate(2027, 1, 2), ""},
		{"the day before", NewDate(2027, 1, 2), NewDate(2027, 1, 1), "plannedEnd"},
		{"five years and a day", NewDate(2027, 1, 1), NewDate(2032, 1, 1), "plannedEnd"},
		{"no start", time.Time{}, NewDate(2027, 1, 1), "plannedStart"},
		{"no end", NewDate(2027, 1, 1), time.Time{}, "plannedEnd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidatePlannedPeriod(tt.start, tt.end)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantFieldError(t, err, tt.field, "")
		})
	}
}
