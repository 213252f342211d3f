package domain

import (
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestStartOfDay(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string // UTC
	}{
		{NewDate(2022, 6, 14), "2022-06-13T22:00:00Z"},        // summer time, UTC+2
		{NewDate(2022, 10, 31), "2022-10-30T23:00:00Z"},       // winter time, UTC+1
		{NewDate(2022, 3, 27), "2022-03-26T23:00:00Z"},        // the day summer time starts
		{NewDate(2022, 10, 30), "2022-10-29T22:00:00Z"},       // the day summer time ends
		{utc("2022-06-14T21:59:59Z"), "2022-06-13T22:00:00Z"}, // 23:59:59 Brussels
		{utc("2022-06-14T22:00:00Z"), "2022-06-14T22:00:00Z"}, // 00:00 Brussels the next day
		{time.Date(2022, 6, 14, 9, 0, 0, 0, Brussels()), "2022-06-13T22:00:00Z"},
	}
	for _, tt := range tests {
		got := StartOfDay(tt.in)
		if got.UTC().Format(time.RFC3339) != tt.want {
			t.Errorf("StartOfDay(%v) = %v, want %s", tt.in, got.UTC(), tt.want)
		}
	}
}

func TestWindow(t *testing.T) {
	brussels := Brussels()
	call2022 := Window{OpensAt: StartOfDay(NewDate(2022, 6, 14)), ClosesAt: NewDate(2022, 10, 31)}
	tests := []struct {
		name string
		w    Window
		end  string // UTC
		at   []time.Time
		in   []bool
	}{
		{
			name: "De Wisselaar 2022: opening at midnight Brussels (summer time)",
			w:    call2022, end: "2022-10-31T23:00:00Z",
			at: []time.Time{utc("2022-06-13T21:59:59.999999999Z"), utc("2022-06-13T22:00:00Z"), time.Date(2022, 6, 14, 0, 0, 0, 0, brussels)},
			in: []bool{false, true, true},
		},
		{
			name: "De Wisselaar 2022: the whole closing day counts (winter time)",
			w:    call2022, end: "2022-10-31T23:00:00Z",
			at: []time.Time{
				time.Date(2022, 10, 31, 23, 59, 59, 999999999, brussels),
				utc("2022-10-31T22:59:59Z"),
				utc("2022-10-31T23:00:00Z"), // 00:00 Brussels on 1 November
				time.Date(2022, 11, 1, 0, 0, 0, 0, brussels),
				utc("2022-10-31T23:30:00Z"), // still 31 October in UTC, but not in Brussels
			},
			in: []bool{true, true, false, false, false},
		},
		{
			name: "closing given as an instant on the closing day",
			w:    Window{OpensAt: call2022.OpensAt, ClosesAt: time.Date(2022, 10, 31, 17, 0, 0, 0, brussels)},
			end:  "2022-10-31T23:00:00Z",
			at:   []time.Time{time.Date(2022, 10, 31, 18, 0, 0, 0, brussels)},
			in:   []bool{true},
		},
		{
			name: "closing on the 25-hour day summer time ends",
			w:    Window{OpensAt: call2022.OpensAt, ClosesAt: NewDate(2022, 10, 30)},
			end:  "2022-10-30T23:00:00Z",
			at: []time.Time{
				utc("2022-10-30T00:30:00Z"), // 02:30 CEST
				utc("2022-10-30T01:30:00Z"), // 02:30 CET, the hour that happens twice
				utc("2022-10-30T22:59:59Z"),
				utc("2022-10-30T23:00:00Z"),
			},
			in: []bool{true, true, true, false},
		},
		{
			name: "closing on the 23-hour day summer time starts",
			w:    Window{OpensAt: StartOfDay(NewDate(2022, 1, 1)), ClosesAt: NewDate(2022, 3, 27)},
			end:  "2022-03-27T22:00:00Z",
			at:   []time.Time{utc("2022-03-27T21:59:59Z"), utc("2022-03-27T22:00:00Z"), utc("2022-03-27T22:30:00Z")},
			in:   []bool{true, false, false},
		},
		{
			name: "closing the day before summer time starts",
			w:    Window{OpensAt: StartOfDay(NewDate(2022, 1, 1)), ClosesAt: NewDate(2022, 3, 26)},
			end:  "2022-03-26T23:00:00Z",
			at:   []time.Time{utc("2022-03-26T22:59:59Z"), utc("2022-03-26T23:00:00Z")},
			in:   []bool{true, false},
		},
		{
			name: "opening at an hour is honoured to the nanosecond",
			w:    Window{OpensAt: time.Date(2022, 6, 14, 9, 0, 0, 0, brussels), ClosesAt: NewDate(2022, 6, 14)},
			end:  "2022-06-14T22:00:00Z",
			at: []time.Time{
				time.Date(2022, 6, 14, 8, 59, 59, 999999999, brussels),
				time.Date(2022, 6, 14, 9, 0, 0, 0, brussels),
				time.Date(2022, 6, 14, 23, 59, 59, 0, brussels),
			},
			in: []bool{false, true, true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.End().UTC().Format(time.RFC3339); got != tt.end {
				t.Fatalf("End = %s, want %s", got, tt.end)
			}
			if err := tt.w.Validate(); err != nil {
				t.Fatal(err)
			}
			for i, at := range tt.at {
				if got := tt.w.Contains(at); got != tt.in[i] {
					t.Errorf("Contains(%v) = %v, want %v", at, got, tt.in[i])
				}
			}
		})
	}
}

func TestWindowValidate(t *testing.T) {
	opens := StartOfDay(NewDate(2022, 6, 14))
	tests := []struct {
		name  string
		w     Window
		field string
	}{
		{"valid", Window{opens, NewDate(2022, 10, 31)}, ""},
		{"one day", Window{opens, NewDate(2022, 6, 14)}, ""},
		{"no opening", Window{time.Time{}, NewDate(2022, 10, 31)}, "opensAt"},
		{"no closing", Window{opens, time.Time{}}, "closesAt"},
		{"closing the day before", Window{opens, NewDate(2022, 6, 13)}, "closesAt"},
		{"opening after the closing day", Window{StartOfDay(NewDate(2022, 6, 15)), NewDate(2022, 6, 14)}, "closesAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.w.Validate()
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
