// Package apierr defines the errors the API reports to clients, each with
// one of the documented codes (extensions.code). Code anywhere in the
// server returns these for conditions a client caused; anything else is an
// internal error, logged and never shown.
package apierr

import (
	"errors"
	"fmt"
)

// Code is a documented error code.
type Code string

// The documented error codes.
const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	NotFound        Code = "NOT_FOUND"
	BadUserInput    Code = "BAD_USER_INPUT"
	Conflict        Code = "CONFLICT"
	BudgetExhausted Code = "BUDGET_EXHAUSTED"
	WindowClosed    Code = "WINDOW_CLOSED"
	QueryTooComplex Code = "QUERY_TOO_COMPLEX"
	Internal        Code = "INTERNAL"
	// BadRequest is a request the GraphQL-over-HTTP transport cannot read:
	// a body that is not JSON, batching, a wrong method or media type.
	BadRequest Code = "BAD_REQUEST"
	// RequestTooLarge is a body over the server's limit.
	RequestTooLarge Code = "REQUEST_TOO_LARGE"
	// RateLimited is a request over the viewer's rate limit.
	RateLimited Code = "RATE_LIMITED"
	// Unavailable is a request the server could not answer in time.
	Unavailable Code = "UNAVAILABLE"
)

// Error is an error a client caused, with a message written for the
// client's developer.
type Error struct {
	Code    Code
	Message string
	// Field names the input field at fault, for BAD_USER_INPUT.
	Field string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// New returns an error with code and message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// BadInput returns a BAD_USER_INPUT error naming the field at fault.
func BadInput(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
