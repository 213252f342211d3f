// Package scalar binds the API's custom scalars (ID, Money, Date and hours
// as Float) to Go values. It only converts: the rules for what a valid
// amount or number of hours is live in package domain.
package scalar

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"wisselaar/domain"
)

// InputError is a value a client sent that is not of the scalar's form.
// The error presenter reports it as BAD_USER_INPUT naming the input field,
// which it takes from the error's path.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

func inputError(format string, args ...any) error {
	return &InputError{Err: fmt.Errorf(format, args...)}
}

// idPrefix is encoded into every global ID, so that IDs look opaque to
// clients and cannot be confused with the numbers inside them.
const idPrefix = "wis:"

// MarshalID writes an entity's global ID as an opaque string. ent's global
// ID feature makes every ID unique across all types, so the number alone
// identifies the node.
func MarshalID(id int) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(EncodeID(id)))
	})
}

// EncodeID returns the opaque global ID of an entity ID.
func EncodeID(id int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(idPrefix + strconv.Itoa(id)))
}

// UnmarshalID reads an opaque global ID.
func UnmarshalID(v any) (int, error) {
	s, ok := v.(string)
	if !ok {
		return 0, inputError("an ID is a string")
	}
	return DecodeID(s)
}

// DecodeID returns the entity ID inside an opaque global ID.
func DecodeID(s string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, inputError("%q is not an ID of this API", s)
	}
	n, ok := strings.CutPrefix(string(b), idPrefix)
	if !ok {
		return 0, inputError("%q is not an ID of this API", s)
	}
	id, err := strconv.Atoi(n)
	if err != nil || id <= 0 {
		return 0, inputError("%q is not an ID of this API", s)
	}
	return id, nil
}

// MarshalMoney writes an amount as a decimal string with two decimals.
func MarshalMoney(m domain.Money) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(m.String()))
	})
}

// UnmarshalMoney reads an amount. A string ("1250.50") is the documented
// form; a JSON number is accepted only when its decimal text is a valid
// amount, so no value is ever rounded on the way in.
func UnmarshalMoney(v any) (domain.Money, error) {
	switch v := v.(type) {
	case string:
		return wrap(domain.ParseMoney(v))
	case json.Number:
		return wrap(domain.ParseMoney(v.String()))
	case int64:
		return wrap(domain.ParseMoney(strconv.FormatInt(v, 10)))
	case int:
		return wrap(domain.ParseMoney(strconv.Itoa(v)))
	}
	return 0, &InputError{Err: domain.ErrInvalidMoney}
}

// MarshalDate writes a calendar date as "2006-01-02".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.Format(time.DateOnly)))
	})
}

// UnmarshalDate reads a calendar date "2006-01-02" as midnight UTC.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, inputError("a date is a string such as \"2027-01-31\"")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, inputError("%q is not a date such as \"2027-01-31\"", s)
	}
	return t, nil
}

// MarshalHours writes hours as a JSON number with at most two decimals.
func MarshalHours(h domain.Hours) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, h.String())
	})
}

// UnmarshalHours reads hours from a number with at most two decimals,
// parsing its decimal text rather than a float so that 0.1 stays 0.1.
func UnmarshalHours(v any) (domain.Hours, error) {
	switch v := v.(type) {
	case json.Number:
		return wrap(domain.ParseHours(v.String()))
	case string:
		return wrap(domain.ParseHours(v))
	case int64:
		return wrap(domain.ParseHours(strconv.FormatInt(v, 10)))
	case int:
		return wrap(domain.ParseHours(strconv.Itoa(v)))
	case float64:
		return wrap(domain.ParseHours(strconv.FormatFloat(v, 'f', -1, 64)))
	}
	return 0, &InputError{Err: domain.ErrInvalidHours}
}

// wrap marks a parse error of a scalar value as the client's input error.
func wrap[T any](v T, err error) (T, error) {
	if err != nil {
		return v, &InputError{Err: err}
	}
	return v, nil
}

// MarshalTime writes a moment in RFC 3339.
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime reads a moment in RFC 3339.
func UnmarshalTime(v any) (time.Time, error) {
	t, err := graphql.UnmarshalTime(v)
	if err != nil {
		return t, inputError("not a moment in RFC 3339, such as \"2027-01-31T09:00:00+01:00\"")
	}
	return t, nil
}

// MarshalCursor writes a connection's cursor: opaque to clients (entgql's
// encoding of the row's ID and, when ordered by another field, its value).
func MarshalCursor(c entgql.Cursor[int]) graphql.Marshaler {
	return c
}

// UnmarshalCursor reads a cursor the server handed out. An empty string
// (what some clients send for an unset variable), a string that is not one
// of our cursors, or one altered after it was handed out is bad input, not a
// server error. Whether it fits the list and order it is used with is
// checked when the page is read (package pagecursor).
func UnmarshalCursor(v any) (entgql.Cursor[int], error) {
	var c entgql.Cursor[int]
	s, ok := v.(string)
	if !ok || s == "" {
		return c, inputError("a cursor is a non-empty string from edges.cursor or pageInfo of the same query")
	}
	if err := c.UnmarshalGQL(s); err != nil {
		return c, inputError("not a cursor this server handed out")
	}
	// A cursor reads back to the same string it was written as: anything
	// appended to or changed in it that still decodes is refused too.
	var again strings.Builder
	c.MarshalGQL(&again)
	if again.String() != strconv.Quote(s) {
		return c, inputError("not a cursor this server handed out")
	}
	return c, nil
}
