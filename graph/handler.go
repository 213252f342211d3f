package graph

import (
	"context"
	"database/sql/driver"
	"fmt"
	"log/slog"
	"net/http"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"wisselaar/ent"
	"wisselaar/ent/synctime"
	"wisselaar/internal/dossier"
	"wisselaar/internal/webhook"
)

// Options configure the GraphQL endpoint.
type Options struct {
	// Introspection answers __schema and __type queries and lets
	// validation errors suggest names ("Did you mean ...?"). Both help
	// people exploring the API and help an attacker map it just as much,
	// so a production server turns them off (GRAPHQL_INTROSPECTION).
	Introspection bool
	// Documents is the document store uploads go to; nil refuses them.
	Documents *dossier.Store
	// MaxUploadBytes bounds a multipart request (the file and the rest of
	// the request); 0 takes no multipart requests.
	MaxUploadBytes int64
	// Extensions run around every operation before all others (metrics,
	// tracing), so that they see every request, refused ones included.
	Extensions []graphql.HandlerExtension
	// Webhooks decides which URLs may receive webhook events.
	Webhooks webhook.Policy
	// OpenTx opens the transaction of a mutation; nil is synctime.OpenTx.
	// The job queue's (jobs.Queue.OpenTx) also writes the outbox of the
	// mutation: its webhook events and e-mail.
	OpenTx func(context.Context, *ent.Client) (context.Context, *ent.Tx, error)
}

// NewHandler returns the GraphQL endpoint: GraphQL over HTTP (POST, and
// GET for queries) through our own transport, with the shape limits, the
// page and cost limits, the error presenter, and one transaction per
// mutation.
func NewHandler(client *ent.Client, logger *slog.Logger, opts Options) http.Handler {
	shape := newShapeCheck(opts.Introspection)
	srv := handler.New(newSchema(client, opts))
	srv.AddTransport(&httpTransport{shape: shape, logger: logger, maxUpload: opts.MaxUploadBytes})
	srv.AddTransport(noWebsocket{})
	for _, ext := range opts.Extensions {
		srv.Use(ext)
	}
	srv.SetParserTokenLimit(MaxTokens)
	srv.SetQueryCache(boundedCache{lru.New[*ast.QueryDocument](1000)})
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		// gqlgen swaps in the FieldsOnCorrectType and ScalarLeafs rules
		// without suggestions by itself; the others are swapped here.
		srv.SetDisableSuggestion(true)
		srv.SetValidationRulesFn(rulesWithoutSuggestions)
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	// After the persisted queries extension: a query taken from its cache
	// is held to the shape limits too.
	srv.Use(shape)
	srv.Use(pageLimit{})
	srv.Use(&costLimit{})
	srv.AroundFields(pageSize)
	// Every mutation runs in one transaction: resolvers take the client
	// from ent.FromContext, and a failed mutation changes nothing.
	// Trajectories it changes are stamped in commit order, so that partner
	// tools syncing on updatedAt miss nothing (package synctime).
	openTx := opts.OpenTx
	if openTx == nil {
		openTx = synctime.OpenTx
	}
	srv.Use(entgql.Transactioner{TxOpener: entgql.TxOpenerFunc(func(ctx context.Context) (context.Context, driver.Tx, error) {
		return openTx(ctx, client)
	})})
	// The audit trail: mutations are recorded under their names, reads of
	// salary data as READ_SALARY (graph/audit.go).
	srv.AroundRootFields(auditRootField)
	srv.AroundFields(auditSalaryReads(client))
	srv.SetErrorPresenter(ErrorPresenter(logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		return fmt.Errorf("panic: %v", p)
	})
	return srv
}

// rulesWithoutSuggestions are gqlparser's validation rules with every rule
// that suggests names ("Did you mean ...?") replaced by its variant that
// does not, so that a server without introspection does not give its
// schema away one typo at a time.
func rulesWithoutSuggestions() *rules.Rules {
	r := rules.NewDefaultRules()
	for _, swap := range []struct{ with, without core.Rule }{
		{rules.FieldsOnCorrectTypeRule, rules.FieldsOnCorrectTypeRuleWithoutSuggestions},
		{rules.ScalarLeafsRule, rules.ScalarLeafsRuleWithoutSuggestions},
		{rules.KnownArgumentNamesRule, rules.KnownArgumentNamesRuleWithoutSuggestions},
		{rules.KnownTypeNamesRule, rules.KnownTypeNamesRuleWithoutSuggestions},
		{rules.ValuesOfCorrectTypeRule, rules.ValuesOfCorrectTypeRuleWithoutSuggestions},
	} {
		r.RemoveRule(swap.with.Name)
		r.AddRule(swap.without.Name, swap.without.RuleFunc)
	}
	return r
}

// boundedCache is gqlgen's cache of parsed and validated documents, minus
// the documents too long to be worth keeping: the cache holds 1,000
// documents and keys them by their text, and a document of few tokens can
// still be most of a megabyte of string literal.
type boundedCache struct {
	graphql.Cache[*ast.QueryDocument]
}

// maxCachedQuery is the longest document kept; GraphiQL's introspection
// query is about 2 kB.
const maxCachedQuery = 32 << 10

// Add keeps doc unless query is longer than maxCachedQuery.
func (c boundedCache) Add(ctx context.Context, query string, doc *ast.QueryDocument) {
	if len(query) <= maxCachedQuery {
		c.Cache.Add(ctx, query, doc)
	}
}

// NewSchema returns the executable schema with its resolvers and the cost
// of each connection.
func NewSchema(client *ent.Client) graphql.ExecutableSchema { return newSchema(client, Options{}) }

func newSchema(client *ent.Client, opts Options) graphql.ExecutableSchema {
	cfg := Config{Resolvers: NewResolver(client, opts)}
	setComplexity(&cfg.Complexity)
	return NewExecutableSchema(cfg)
}
