// Package graph holds the GraphQL resolvers of wisselaar. Resolvers are
// thin: reads are one ent call (privacy decides what the viewer sees),
// mutations call the process in package domain through ent.
package graph

import (
	"context"
	"strings"

	"wisselaar/ent"
	"wisselaar/internal/dossier"
	"wisselaar/internal/webhook"
)

// Resolver holds the resolvers' dependencies.
type Resolver struct {
	client *ent.Client
	// documents is the document store; nil refuses uploads.
	documents *dossier.Store
	// webhooks decides which URLs may receive webhook events.
	webhooks webhook.Policy
}

// NewResolver returns the root resolver over client.
func NewResolver(client *ent.Client, opts Options) *Resolver {
	return &Resolver{client: client, documents: opts.Documents, webhooks: opts.Webhooks}
}

// ent returns the client to use: the mutation's transaction when there is
// one (entgql.Transactioner puts it in the context), so that a mutation's
// payload reads its own writes, else the root client.
func (r *Resolver) ent(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return r.client
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// textFor answers a field that fewer viewers may read than its row: the
// text when the rule allowed it, null otherwise.
func textFor(ok bool, err error) func(string) (*string, error) {
	return func(s string) (*string, error) {
		if err != nil || !ok {
			return nil, err
		}
		return &s, nil
	}
}

// searchText returns the search argument of a list, trimmed: "" for none.
func searchText(search *string) string {
	if search == nil {
		return ""
	}
	return strings.TrimSpace(*search)
}
