package graph

import (
	"context"
	"reflect"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"wisselaar/ent"
	"wisselaar/ent/audit"
	"wisselaar/graph/scalar"
	"wisselaar/internal/grantcalc"
	"wisselaar/server/requestid"
)

// auditRootField puts into the context of each root field what the audit
// trail records about it (package audit): for a mutation, its name, the
// viewer and the request ID, so that every change it makes is recorded as
// this mutation's; for any operation, the set of mentors whose salary reads
// it has recorded already.
func auditRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	ctx = audit.WithReads(ctx)
	if oc := graphql.GetOperationContext(ctx); oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
		if rf := graphql.GetRootFieldContext(ctx); rf != nil && rf.Field.Field != nil {
			ctx = audit.WithAction(ctx, rf.Field.Name, requestid.FromContext(ctx))
		}
	}
	return next(ctx)
}

// auditSalaryReads records a READ_SALARY event when a salary's amount or
// hours, or a calculation line (which shows them), is given to the viewer:
// once per mentor and root field, in the mutation's transaction when there
// is one. Only those who may read the salary get here: the fields belong
// to rows the privacy rules let through.
func auditSalaryReads(client *ent.Client) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		res, err := next(ctx)
		if err != nil {
			return res, err
		}
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || fc.Parent == nil {
			return res, nil
		}
		mentor := 0
		switch {
		case fc.Object == "Salary" && (fc.Field.Name == "monthlyCost" || fc.Field.Name == "weeklyHours"):
			if s, ok := unwrap[ent.Salary](fc.Parent.Result); ok {
				mentor = s.MentorID
			}
		case fc.Object == "CalculationLine" && (fc.Field.Name == "monthlyCost" || fc.Field.Name == "weeklyHours"):
			if l, ok := unwrap[grantcalc.Line](fc.Parent.Result); ok {
				mentor = l.MentorID
			}
		}
		if mentor == 0 {
			return res, nil
		}
		c := ent.FromContext(ctx)
		if c == nil {
			c = client
		}
		return res, audit.RecordSalaryRead(ctx, c, mentor, requestid.FromContext(ctx))
	}
}

// unwrap finds a T behind the pointers gqlgen keeps a field's parent in.
func unwrap[T any](v any) (*T, bool) {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer && !rv.IsNil() {
		if t, ok := rv.Interface().(*T); ok {
			return t, true
		}
		rv = rv.Elem()
	}
	if rv.IsValid() && rv.CanAddr() {
		if t, ok := rv.Addr().Interface().(*T); ok {
			return t, true
		}
	}
	return nil, false
}

// globalReference shows the value of a reference to another entity (a
// field such as municipality_id) in an audit event's changes as the global
// ID that the API uses everywhere else, so that a client can look the
// entity up with node(id); the trail itself keeps the number.
func globalReference(field string, v *string) *string {
	if v == nil || !strings.HasSuffix(field, "_id") {
		return v
	}
	n, err := strconv.Atoi(*v)
	if err != nil {
		return v
	}
	id := scalar.EncodeID(n)
	return &id
}
