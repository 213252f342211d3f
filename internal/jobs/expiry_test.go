package jobs

import (
	"testing"
	"time"

	"wisselaar/domain"
)

func TestNextSweepIsAfterMidnightInBrussels(t *testing.T) {
	tests := []struct{ now, want string }{
		{"2027-03-10T12:00:00Z", "2027-03-11T00:01:00+01:00"},
		// 23:30 UTC is already the next day in Brussels.
		{"2027-03-10T23:30:00Z", "2027-03-12T00:01:00+01:00"},
		// The night clocks go forward: still a minute past midnight.
		{"2027-03-27T12:00:00Z", "2027-03-28T00:01:00+01:00"},
		{"2027-06-30T21:59:00Z", "2027-07-01T00:01:00+02:00"},
	}
	for _, tt := range tests {
		now, _ := time.Parse(time.RFC3339, tt.now)
		want, _ := time.Parse(time.RFC3339, tt.want)
		if got := nextSweep(now); !got.Equal(want) || !got.After(now) {
			t.Errorf("after %s: %s, want %s", tt.now, got.In(domain.Brussels()).Format(time.RFC3339), tt.want)
		}
	}
}
