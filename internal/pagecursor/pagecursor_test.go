package pagecursor

import (
	"errors"
	"testing"
	"time"

	"entgo.io/contrib/entgql"

	"wisselaar/internal/apierr"
)

func TestFit(t *testing.T) {
	text := func() (any, error) { return "", nil }
	moment := func() (any, error) { return time.Time{}, nil }
	cents := func() (any, error) { return int64(0), nil }
	cursor := func(id int, v any) *entgql.Cursor[int] { return &entgql.Cursor[int]{ID: id, Value: v} }
	cases := []struct {
		name          string
		after, before *entgql.Cursor[int]
		byID          bool
		sample        func() (any, error)
		bad           string
	}{
		{"no cursors", nil, nil, false, text, ""},
		{"ID order, ID cursor", cursor(3, nil), nil, true, nil, ""},
		{"ID order, cursor with a value", cursor(3, "a"), nil, true, nil, "after"},
		{"title order, title cursor", cursor(3, "Ommekeer"), nil, false, text, ""},
		{"title order, ID cursor", nil, cursor(3, nil), false, text, "before"},
		{"date order, title cursor", cursor(3, "Ommekeer"), nil, false, moment, "after"},
		{"date order, date cursor", cursor(3, time.Now()), nil, false, moment, ""},
		{"amount order, small integer", cursor(3, int8(5)), nil, false, cents, ""},
		{"amount order, text", cursor(3, "5.00"), nil, false, cents, "after"},
		{"no ID", cursor(0, nil), nil, true, nil, "after"},
		{"negative ID", nil, cursor(-1, "a"), false, text, "before"},
	}
	for _, c := range cases {
		err := Fit(c.after, c.before, c.byID, c.sample)
		var e *apierr.Error
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.bad != "" && (!errors.As(err, &e) || e.Code != apierr.BadUserInput || e.Field != c.bad):
			t.Errorf("%s: got %v, want BAD_USER_INPUT on %s", c.name, err, c.bad)
		}
	}
}
