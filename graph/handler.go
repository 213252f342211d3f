package graph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"wisselaar/ent"
)

// Limits on what one GraphQL request may ask, so that no client can make
// the server do unbounded work.
const (
	// MaxComplexity bounds the cost of one operation: every field costs 1,
	// and a connection multiplies the cost of its nodes by the page size.
	MaxComplexity = 50000
	// DefaultPageSize is the page size assumed for cost when a client asks
	// a connection without first or last.
	DefaultPageSize = 100
)

// NewHandler returns the GraphQL endpoint: POST (application/json,
// application/graphql-response+json) and GET for queries, with the error
// presenter, the complexity limit, and one transaction per mutation.
func NewHandler(client *ent.Client, logger *slog.Logger) http.Handler {
	srv := handler.New(NewSchema(client))
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(extension.FixedComplexityLimit(MaxComplexity))
	srv.Use(depthLimit{})
	srv.AroundFields(pageSize)
	// Every mutation runs in one transaction: resolvers take the client
	// from ent.FromContext, and a failed mutation changes nothing.
	srv.Use(entgql.Transactioner{TxOpener: client})
	srv.SetErrorPresenter(ErrorPresenter(logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		return fmt.Errorf("panic: %v", p)
	})
	return srv
}

// NewSchema returns the executable schema with its resolvers and the cost
// of each connection.
func NewSchema(client *ent.Client) graphql.ExecutableSchema {
	cfg := Config{Resolvers: NewResolver(client)}
	setComplexity(&cfg.Complexity)
	return NewExecutableSchema(cfg)
}
