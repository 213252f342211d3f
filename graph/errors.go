package graph

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"entgo.io/ent/dialect/sql/sqlgraph"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/privacy"
	"wisselaar/ent/viewer"
	"wisselaar/graph/model"
	"wisselaar/graph/scalar"
	"wisselaar/internal/apierr"
	"wisselaar/internal/db"
	"wisselaar/server/requestid"
)

// constraintFields names the input field behind each database constraint,
// so that a write the database refused is reported like the same mistake
// caught by validation. The database checks are the last line of defence:
// they hold even for a write path that forgot to validate.
var constraintFields = map[string]string{
	"trajectory_distinct_parties":    "receivingID",
	"trajectory_planned_period":      "plannedEnd",
	"call_window":                    "closesAt",
	"call_amounts":                   "budget",
	"call_percent":                   "compensationPercent",
	"salary_amounts":                 "monthlyCost",
	"salary_period":                  "validTo",
	"assignment_hours":               "plannedWeeklyHours",
	"time_entry_hours":               "hours",
	"payment_amount":                 "amount",
	"municipality_nis_code_format":   "nisCode",
	"municipality_kbo_number_format": "kboNumber",
	"grant_amounts":                  "amount",
	"grant_award_le_req":             "awarded",
	"grant_settle_le_aw":             "settled",
	"grant_paid_le_due":              "amount",
}

// ErrorPresenter turns every error a resolver returns into the documented
// shape: a message for the client's developer and extensions.code (and
// extensions.field for bad input). Errors the client did not cause are
// logged with the request ID and shown only as INTERNAL, so that no
// internals leak.
func ErrorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		// Errors gqlgen raised itself (parsing, validation, complexity)
		// already carry a code; keep them, with our name for complexity.
		if code, ok := gqlErr.Extensions["code"].(string); ok && gqlErr.Err == nil {
			switch code {
			case "COMPLEXITY_LIMIT_EXCEEDED":
				// Our costLimit refuses first, with the same limit; should
				// gqlgen's own extension ever run, its refusal says the same.
				gqlErr.Extensions["code"] = string(apierr.QueryTooComplex)
				gqlErr.Extensions["limit"] = "cost"
				gqlErr.Extensions["max"] = MaxComplexity
			case string(apierr.NotFound):
				// entgql's message for nodes(ids:) quotes the internal ID.
				gqlErr.Message = "not found"
			}
			if documented(code) {
				return gqlErr
			}
		}
		e := classify(ctx, err)
		// A value that is not of its scalar's form fails while gqlgen reads
		// the arguments; the error's path then ends in the input field.
		var inputErr *scalar.InputError
		if errors.As(err, &inputErr) {
			e = apierr.BadInput(lastField(gqlErr.Path), "%s", inputErr.Error())
		}
		if e.Code == apierr.Internal {
			rid := requestid.FromContext(ctx)
			logger.ErrorContext(ctx, "internal error", "err", err, "request_id", rid,
				"path", gqlErr.Path.String(), "viewer", viewer.FromContext(ctx))
			e.Message = "internal error; quote request ID " + rid + " when reporting it"
		}
		gqlErr.Message = e.Message
		gqlErr.Err = e
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		if !documented(string(e.Code)) {
			logger.ErrorContext(ctx, "error code missing from the schema's ErrorCode", "code", e.Code)
		}
		gqlErr.Extensions["code"] = string(e.Code)
		if e.Field != "" {
			gqlErr.Extensions["field"] = e.Field
		}
		return gqlErr
	}
}

// documented reports whether code is a value of the schema's ErrorCode
// enum, the list clients switch on. A code that is not (one a library
// raised) is reported as INTERNAL rather than passed on.
func documented(code string) bool { return model.ErrorCode(code).IsValid() }

// lastField returns the last field name in path.
func lastField(path ast.Path) string {
	for i := len(path) - 1; i >= 0; i-- {
		if name, ok := path[i].(ast.PathName); ok {
			return string(name)
		}
	}
	return ""
}

// classify maps an error to the documented code.
func classify(ctx context.Context, err error) *apierr.Error {
	if e, ok := apierr.As(err); ok {
		return e
	}
	var fe *domain.FieldError
	if errors.As(err, &fe) {
		return apierr.BadInput(fe.Field, "%s", fe.Message)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(ctx.Err(), context.DeadlineExceeded):
		// The request ran past REQUEST_TIMEOUT: the database call was
		// cancelled, which is no fault to log; the transport answers 503.
		return apierr.New(apierr.Unavailable, "the request ran past the server's time limit")
	case db.Unavailable(err):
		// The database is down, frozen or refused the statement's time or
		// lock wait: no fault of the client's, and none to log as a bug.
		return apierr.New(apierr.Unavailable, "the database is unavailable; try again later")
	case errors.Is(err, privacy.Deny):
		if viewer.FromContext(ctx).IsAnonymous() {
			return apierr.New(apierr.Unauthenticated, "sign in to see this")
		}
		return apierr.New(apierr.Forbidden, "you may not do this")
	case ent.IsNotFound(err):
		return apierr.New(apierr.NotFound, "not found")
	case ent.IsEmptyWhereInput(err):
		return apierr.BadInput("where", "a filter inside where is empty: give it a condition, or leave it out")
	case ent.IsValidationError(err):
		var ve *ent.ValidationError
		errors.As(err, &ve)
		return apierr.BadInput(camel(ve.Name), "%s is not valid", camel(ve.Name))
	case ent.IsConstraintError(err), sqlgraph.IsConstraintError(err):
		return constraint(err)
	case errors.Is(err, domain.ErrInvalidMoney), errors.Is(err, domain.ErrInvalidHours):
		return apierr.BadInput("", "%s", err.Error())
	case isDataException(err):
		return apierr.New(apierr.BadUserInput, "the database cannot hold or compare this value (a NUL character in a text, say)")
	}
	return &apierr.Error{Code: apierr.Internal}
}

// constraint reports a constraint the database enforced.
func constraint(err error) *apierr.Error {
	msg := err.Error()
	for name, field := range constraintFields {
		if strings.Contains(msg, name) {
			return apierr.BadInput(field, "the value breaks the rule %q", name)
		}
	}
	if strings.Contains(msg, "unique") || strings.Contains(msg, "UNIQUE") || strings.Contains(msg, "duplicate key") {
		return apierr.New(apierr.Conflict, "a record with these values already exists")
	}
	if strings.Contains(msg, "foreign key") || strings.Contains(msg, "FOREIGN KEY") {
		return apierr.New(apierr.Conflict, "the record is still in use, or refers to one that does not exist")
	}
	return apierr.New(apierr.BadUserInput, "the database refused the values")
}

// camel turns an ent field name (snake case) into its GraphQL name.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] == "id" {
			parts[i] = "ID"
			continue
		}
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// isDataException reports whether PostgreSQL refused a value the client
// sent (SQLSTATE class 22, "data exception": a NUL character in a text, a
// number out of range), which is the client's mistake, not the server's.
func isDataException(err error) bool {
	var state interface{ SQLState() string }
	return errors.As(err, &state) && strings.HasPrefix(state.SQLState(), "22")
}
