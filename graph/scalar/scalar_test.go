package scalar

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// marshal writes m as gqlgen would and decodes the JSON it wrote.
func marshal(t *testing.T, m graphql.Marshaler) any {
	t.Helper()
	var buf bytes.Buffer
	m.MarshalGQL(&buf)
	var v any
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("the scalar wrote invalid JSON %q: %v", buf.String(), err)
	}
	return v
}

// moneyForm is what a Money input may look like: digits, and at most two
// decimals; no sign, exponent or separator.
var moneyForm = regexp.MustCompile(`^[0-9]+(\.[0-9]{1,2})?$`)

// FuzzMoney checks that whatever Money accepts, as a string or a JSON
// number, is of the documented form and formats back to a value that
// reads as the same amount.
func FuzzMoney(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		m, err := UnmarshalMoney(s)
		n, nerr := UnmarshalMoney(json.Number(s))
		if (err == nil) != (nerr == nil) || m != n {
			t.Fatalf("%q reads as %v, %v as a string and %v, %v as a number", s, m, err, n, nerr)
		}
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("%q: the error %v is not an input error", s, err)
			}
			return
		}
		if !moneyForm.MatchString(s) || m < 0 {
			t.Fatalf("%q was accepted as %d cents", s, int64(m))
		}
		out, ok := marshal(t, MarshalMoney(m)).(string)
		if !ok || !moneyForm.MatchString(out) || len(out) < 4 || out[len(out)-3] != '.' {
			t.Fatalf("%q formats as %v, not a string with two decimals", s, out)
		}
		back, err := UnmarshalMoney(out)
		if err != nil || back != m {
			t.Fatalf("%q → %q → %v, %v", s, out, back, err)
		}
	})
}

// FuzzDate checks that whatever Date accepts formats back to the same
// text and the same day.
func FuzzDate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := UnmarshalDate(s)
		if err != nil {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("%q reads as %v, not midnight UTC", s, d)
		}
		out, ok := marshal(t, MarshalDate(d)).(string)
		if !ok {
			t.Fatalf("%q formats as %v", s, out)
		}
		back, err := UnmarshalDate(out)
		if err != nil || !back.Equal(d) {
			t.Fatalf("%q → %q → %v, %v", s, out, back, err)
		}
		if out != s {
			t.Fatalf("%q formats as %q", s, out)
		}
	})
}

// FuzzID checks that whatever ID accepts names a positive entity ID whose
// global ID reads back as the same, and that every positive entity ID
// survives the round trip.
func FuzzID(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, n int) {
		if id, err := UnmarshalID(s); err == nil {
			if id <= 0 {
				t.Fatalf("%q reads as %d", s, id)
			}
			out, ok := marshal(t, MarshalID(id)).(string)
			if !ok {
				t.Fatalf("%d formats as %v", id, out)
			}
			if back, err := UnmarshalID(out); err != nil || back != id {
				t.Fatalf("%q → %d → %q → %d, %v", s, id, out, back, err)
			}
		}
		if n > 0 {
			if back, err := DecodeID(EncodeID(n)); err != nil || back != n {
				t.Fatalf("%d → %q → %d, %v", n, EncodeID(n), back, err)
			}
		}
		// A bare number is no ID of this API: IDs are opaque, so that a
		// client cannot take one for the number inside it.
		if _, err := UnmarshalID(strconv.Itoa(n)); err == nil {
			t.Fatalf("the bare number %d was accepted as an ID", n)
		}
	})
}
