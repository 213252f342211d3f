// Package domain holds the rules of De Wisselaar in plain Go: money, hours,
// dates, compensation, the application window, the budget ledger and the
// state machines of trajectories and grants. It knows nothing of databases
// or GraphQL, so every rule can be tested exhaustively with tables; ent hooks
// call it and resolvers never re-implement it.
//
// # Numbers
//
// Money is int64 euro cents and Hours is int64 hundredths of an hour, so
// inputs are exact. Everything computed from them (time shares, pro rata
// months, the percentage) is exact rational arithmetic with math/big.Rat.
// A calculation rounds exactly once, half up to the cent, at the end of the
// total, and applies the per-project cap after that rounding, as the call
// prescribes.
//
// # Dates
//
// A date (plannedStart, validFrom, a payment date) is a time.Time at
// midnight UTC. Functions that take a date read its UTC calendar day (see
// DateOf), so a date that went through a database and came back in another
// location still means the same day. Build dates with NewDate or ParseDate.
// Month is a calendar month ("2027-01"), the unit in which hours are
// recorded. Instants that matter to the law, such as the end of the
// application window, are computed in Europe/Brussels time (see Brussels).
//
// # Errors
//
// Invalid input is reported as a *FieldError that names the API input field
// at fault, so the API can answer BAD_USER_INPUT with extensions.field. The
// state machines answer errors that wrap ErrConflict (the state does not
// allow the action) or ErrForbidden (this side may not take it).
package domain
