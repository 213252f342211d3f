package telemetry

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// GraphQL returns a gqlgen extension that gives each operation a span
// named after it ("query ViewerQuery"; "query" for an anonymous one) and
// each field with a resolver of its own a child span ("Call.budgetStatus").
// Nil when tracing is off.
func (t *Tracing) GraphQL() graphql.HandlerExtension {
	if t == nil {
		return nil
	}
	return graphqlTracing{t.tracer}
}

type graphqlTracing struct{ tracer trace.Tracer }

func (graphqlTracing) ExtensionName() string                   { return "Tracing" }
func (graphqlTracing) Validate(graphql.ExecutableSchema) error { return nil }

func (g graphqlTracing) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil {
		return next(ctx)
	}
	name := string(oc.Operation.Operation)
	if oc.Operation.Name != "" {
		name += " " + oc.Operation.Name
	}
	ctx, span := g.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(
			attribute.String("graphql.operation.type", string(oc.Operation.Operation)),
			attribute.String("graphql.operation.name", oc.Operation.Name)))
	defer span.End()
	resp := next(ctx)
	if resp != nil && len(resp.Errors) > 0 {
		span.SetStatus(codes.Error, resp.Errors[0].Message)
		if code, ok := resp.Errors[0].Extensions["code"].(string); ok {
			span.SetAttributes(attribute.String("graphql.error.code", code))
		}
	}
	return resp
}

func (g graphqlTracing) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !fc.IsResolver {
		return next(ctx)
	}
	ctx, span := g.tracer.Start(ctx, fc.Object+"."+fc.Field.Name,
		trace.WithAttributes(attribute.String("graphql.field.path", fc.Path().String())))
	defer span.End()
	res, err := next(ctx)
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	return res, err
}
