package domain

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestNewDate(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2027, 1, 31, "2027-01-31"},
		{2027, 2, 29, "2027-03-01"}, // normalised like time.Date
		{2028, 2, 29, "2028-02-29"},
		{2027, 13, 1, "2028-01-01"},
		{2027, 3, 0, "2027-02-28"},
	}
	for _, tt := range tests {
		got := NewDate(tt.y, tt.m, tt.d)
		if FormatDate(got) != tt.want || got.Location() != time.UTC || got.Hour() != 0 {
			t.Errorf("NewDate(%d, %d, %d) = %v, want %s at midnight UTC", tt.y, tt.m, tt.d, got, tt.want)
		}
	}
}

func TestDateOf(t *testing.T) {
	brussels := Brussels()
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"midnight UTC", NewDate(2027, 1, 31), "2027-01-31"},
		{"later the same UTC day", time.Date(2027, 1, 31, 23, 59, 59, 999, time.UTC), "2027-01-31"},
		// A date stored as midnight UTC and handed back in Brussels
		// (01:00 local) or New York (19:00 the day before) is still the
		// same date.
		{"midnight UTC read in Brussels", NewDate(2027, 1, 31).In(brussels), "2027-01-31"},
		{"midnight UTC read west of UTC", NewDate(2027, 1, 31).In(time.FixedZone("EST", -5*3600)), "2027-01-31"},
		// The UTC day wins over the local day: that is the convention.
		{"midnight in Brussels is the UTC day before", time.Date(2027, 1, 31, 0, 0, 0, 0, brussels), "2027-01-30"},
	}
	for _, tt := range tests {
		got := DateOf(tt.in)
		if FormatDate(got) != tt.want || got.Location() != time.UTC || !got.Equal(NewDate(got.Year(), got.Month(), got.Day())) {
			t.Errorf("%s: DateOf(%v) = %v, want %s", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"2027-01-31", NewDate(2027, 1, 31), false},
		{"2028-02-29", NewDate(2028, 2, 29), false},
		{"0001-01-01", NewDate(1, 1, 1), false},
		{"9999-12-31", NewDate(9999, 12, 31), false},
		{"2027-02-29", time.Time{}, true},
		{"2027-13-01", time.Time{}, true},
		{"2027-1-31", time.Time{}, true},
		{"27-01-31", time.Time{}, true},
		{"2027-01-31T00:00:00Z", time.Time{}, true},
		{"31/01/2027", time.Time{}, true},
		{" 2027-01-31", time.Time{}, true},
		{"", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.err {
			if !errors.Is(err, ErrInvalidDate) {
				t.Errorf("ParseDate(%q) error = %v, want ErrInvalidDate", tt.in, err)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestDaysInclusive(t *testing.T) {
	tests := []struct {
		from, to time.Time
		want     int64
	}{
		{NewDate(2027, 1, 1), NewDate(2027, 1, 1), 1},
		{NewDate(2027, 1, 1), NewDate(2027, 1, 31), 31},
		{NewDate(2027, 1, 1), NewDate(2027, 12, 31), 365},
		{NewDate(2028, 1, 1), NewDate(2028, 12, 31), 366},
		{NewDate(2027, 3, 27), NewDate(2027, 3, 29), 3},    // across the Brussels DST change: no matter in UTC
		{NewDate(1969, 12, 31), NewDate(1970, 1, 1), 2},    // across the epoch
		{NewDate(1, 1, 1), NewDate(9999, 12, 31), 3652059}, // beyond time.Duration's 292 years
		{NewDate(2027, 1, 2), NewDate(2027, 1, 1), 0},
	}
	for _, tt := range tests {
		if got := daysInclusive(tt.from, tt.to); got != tt.want {
			t.Errorf("daysInclusive(%s, %s) = %d, want %d", FormatDate(tt.from), FormatDate(tt.to), got, tt.want)
		}
	}
}

func TestParseMonth(t *testing.T) {
	tests := []struct {
		in   string
		want Month
		err  bool
	}{
		{"2027-01", NewMonth(2027, time.January), false},
		{"2027-12", NewMonth(2027, time.December), false},
		{"0001-01", NewMonth(1, time.January), false},
		{"9999-12", NewMonth(9999, time.December), false},
		{"2027-00", Month{}, true},
		{"2027-13", Month{}, true},
		{"2027-1", Month{}, true},
		{"2027-001", Month{}, true},
		{"202-01", Month{}, true},
		{"2027/01", Month{}, true},
		{"2027-01-01", Month{}, true},
		{"+027-01", Month{}, true},
		{"2027-0a", Month{}, true},
		{"", Month{}, true},
	}
	for _, tt := range tests {
		got, err := ParseMonth(tt.in)
		if tt.err {
			if !errors.Is(err, ErrInvalidMonth) {
				t.Errorf("ParseMonth(%q) error = %v, want ErrInvalidMonth", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseMonth(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("ParseMonth(%q).String() = %q", tt.in, got.String())
		}
	}
}

func TestMonth(t *testing.T) {
	tests := []struct {
		month         Month
		next          string
		first, last   string
		days          int
		year          int
		monthOfYear   time.Month
		stringWritten string
	}{
		{NewMonth(2027, 1), "2027-02", "2027-01-01", "2027-01-31", 31, 2027, time.January, "2027-01"},
		{NewMonth(2027, 2), "2027-03", "2027-02-01", "2027-02-28", 28, 2027, time.February, "2027-02"},
		{NewMonth(2028, 2), "2028-03", "2028-02-01", "2028-02-29", 29, 2028, time.February, "2028-02"},
		{NewMonth(1900, 2), "1900-03", "1900-02-01", "1900-02-28", 28, 1900, time.February, "1900-02"},
		{NewMonth(2000, 2), "2000-03", "2000-02-01", "2000-02-29", 29, 2000, time.February, "2000-02"},
		{NewMonth(2027, 4), "2027-05", "2027-04-01", "2027-04-30", 30, 2027, time.April, "2027-04"},
		{NewMonth(2027, 12), "2028-01", "2027-12-01", "2027-12-31", 31, 2027, time.December, "2027-12"},
		{NewMonth(2026, 13), "2027-02", "2027-01-01", "2027-01-31", 31, 2027, time.January, "2027-01"},
		{NewMonth(2027, 0), "2027-01", "2026-12-01", "2026-12-31", 31, 2026, time.December, "2026-12"},
		{MonthOf(time.Date(2027, 5, 31, 23, 0, 0, 0, time.UTC)), "2027-06", "2027-05-01", "2027-05-31", 31, 2027, time.May, "2027-05"},
	}
	for _, tt := range tests {
		m := tt.month
		if got := m.String(); got != tt.stringWritten {
			t.Errorf("String = %s, want %s", got, tt.stringWritten)
		}
		if got := m.Next().String(); got != tt.next {
			t.Errorf("%s.Next() = %s, want %s", m, got, tt.next)
		}
		if got := FormatDate(m.FirstDay()); got != tt.first {
			t.Errorf("%s.FirstDay() = %s, want %s", m, got, tt.first)
		}
		if got := FormatDate(m.LastDay()); got != tt.last {
			t.Errorf("%s.LastDay() = %s, want %s", m, got, tt.last)
		}
		if got := m.Days(); got != tt.days {
			t.Errorf("%s.Days() = %d, want %d", m, got, tt.days)
		}
		if m.Year() != tt.year || m.Month() != tt.monthOfYear {
			t.Errorf("%s: Year, Month = %d, %v", m, m.Year(), m.Month())
		}
		if MonthOf(m.FirstDay()) != m || MonthOf(m.LastDay()) != m {
			t.Errorf("%s: MonthOf its own days differs", m)
		}
		if m.IsZero() {
			t.Errorf("%s.IsZero()", m)
		}
	}
	if !(Month{}).IsZero() {
		t.Error("Month{}.IsZero() = false")
	}
}

func TestMonthCompare(t *testing.T) {
	a, b, c := NewMonth(2026, 12), NewMonth(2027, 1), NewMonth(2027, 2)
	tests := []struct {
		x, y Month
		want int
	}{
		{a, b, -1}, {b, a, 1}, {b, b, 0}, {b, c, -1}, {c, b, 1}, {a, c, -1},
	}
	for _, tt := range tests {
		if got := tt.x.Compare(tt.y); got != tt.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tt.x, tt.y, got, tt.want)
		}
		if got := tt.x.Before(tt.y); got != (tt.want < 0) {
			t.Errorf("%s.Before(%s) = %v", tt.x, tt.y, got)
		}
	}
}

func TestMonthText(t *testing.T) {
	b, err := json.Marshal(struct{ M Month }{NewMonth(2027, 1)})
	if err != nil || string(b) != `{"M":"2027-01"}` {
		t.Fatalf("json = %s, %v", b, err)
	}
	var v struct{ M Month }
	if err := json.Unmarshal([]byte(`{"M":"2027-11"}`), &v); err != nil || v.M != NewMonth(2027, 11) {
		t.Fatalf("unmarshal = %v, %v", v.M, err)
	}
	if err := json.Unmarshal([]byte(`{"M":"2027-13"}`), &v); err == nil {
		t.Fatal("unmarshal of 2027-13 succeeded")
	}
}

func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2027-01", "2027-13", "0000-00", "9999-12", "", "2027-1", "٢٠٢٧-٠١"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMonth(s)
		if err != nil {
			return
		}
		if m.String() != s {
			t.Fatalf("ParseMonth(%q).String() = %q", s, m.String())
		}
		if m.Days() < 28 || m.Days() > 31 || MonthOf(m.LastDay()) != m || m.Next().FirstDay() != m.LastDay().AddDate(0, 0, 1) {
			t.Fatalf("%s: inconsistent days", m)
		}
	})
}

func TestEffectiveStatusAndOverlap(t *testing.T) {
	end := NewDate(2027, time.March, 31)
	tests := []struct {
		stored MatchingStatus
		today  time.Time
		want   MatchingStatus
	}{
		{MatchingOpen, NewDate(2027, time.March, 31), MatchingOpen},
		{MatchingOpen, NewDate(2027, time.April, 1), MatchingExpired},
		{MatchingMatched, NewDate(2027, time.April, 1), MatchingMatched},
		{MatchingWithdrawn, NewDate(2028, time.January, 1), MatchingWithdrawn},
	}
	for _, tt := range tests {
		if got := EffectiveStatus(tt.stored, end, tt.today); got != tt.want {
			t.Errorf("%s on %s: %s, want %s", tt.stored, FormatDate(tt.today), got, tt.want)
		}
	}
	// 23:30 UTC on 31 March is already 1 April in Brussels.
	if got := BrusselsDate(time.Date(2027, time.March, 31, 23, 30, 0, 0, time.UTC)); !got.Equal(NewDate(2027, time.April, 1)) {
		t.Errorf("Brussels date: %s", FormatDate(got))
	}
	from, to, ok := Overlap(NewDate(2027, 1, 1), NewDate(2027, 6, 30), NewDate(2027, 6, 1), NewDate(2027, 12, 31))
	if !ok || FormatDate(from) != "2027-06-01" || FormatDate(to) != "2027-06-30" {
		t.Errorf("overlap: %s – %s, %v", FormatDate(from), FormatDate(to), ok)
	}
	if _, _, ok := Overlap(NewDate(2027, 1, 1), NewDate(2027, 1, 31), NewDate(2027, 2, 1), NewDate(2027, 2, 28)); ok {
		t.Error("periods a day apart overlap")
	}
}
