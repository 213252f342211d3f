// Package rule holds the named privacy rules of wisselaar. Each rule's name
// starts with its decision (Deny…, Allow…, Filter…), so a policy reads as the
// access matrix it implements. The viewer comes from the request context
// (package viewer); rules never look anywhere else for who is asking.
//
// Filter rules narrow a query to the rows a viewer may see. Because ent
// applies them to every query of the type, they cover lists, counts,
// node(id) and every edge without a check in any resolver.
package rule

import (
	"context"
	"errors"

	"entgo.io/ent"
	"entgo.io/ent/entql"

	"wisselaar/ent/privacy"
	"wisselaar/ent/viewer"
)

// DenyIfNoViewer denies any operation without a viewer in the context. Every
// request gets one (anonymous at least), so a missing viewer is a code path
// that forgot to say on whose behalf it acts.
func DenyIfNoViewer() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx) == nil {
			return privacy.Denyf("no viewer in context")
		}
		return privacy.Skip
	})
}

// AllowIfSystem allows what the system itself does (viewer.SystemContext).
func AllowIfSystem() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx).IsSystem() {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// AllowMutationIfMinistry allows the ministry to write.
func AllowMutationIfMinistry() privacy.MutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx).Has(viewer.Ministry) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// Policy is the policy of one entity: the base rules every entity shares
// come first (from BasePolicy), then the entity's own query and mutation
// rules, and finally a deny for anything no rule allowed. Deny by default
// is thereby built in, not remembered per entity.
type Policy struct {
	Query    privacy.QueryPolicy
	Mutation privacy.MutationPolicy
}

// EvalQuery implements ent.Policy.
func (p Policy) EvalQuery(ctx context.Context, q ent.Query) error {
	// privacy.QueryPolicy returns nil when no rule decided: that is a skip
	// here, not an allow.
	if err := p.Query.EvalQuery(ctx, q); err != nil && !errors.Is(err, privacy.Skip) {
		return err
	}
	if viewer.FromContext(ctx).IsAnonymous() {
		return privacy.Denyf("no rule allows this read")
	}
	// A signed-in viewer simply sees none of these rows: what a viewer may
	// not see is absent (an empty list, a null node, a null edge), rather
	// than an error that would reveal it exists.
	return seeNothing.EvalQuery(ctx, q)
}

var seeNothing = privacy.FilterFunc(func(_ context.Context, f privacy.Filter) error {
	f.Where(entql.FieldLT("id", 0))
	return privacy.Allow
})

// EvalMutation implements ent.Policy.
func (p Policy) EvalMutation(ctx context.Context, m ent.Mutation) error {
	if err := p.Mutation.EvalMutation(ctx, m); err != nil && !errors.Is(err, privacy.Skip) {
		return err
	}
	return privacy.Denyf("no rule allows this change")
}

// BasePolicy is put on every entity by a mixin and evaluated before the
// entity's own policy: no viewer is denied, the system is allowed. What the
// ministry reads is said with everyone else's, in the Readable… scopes.
func BasePolicy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{DenyIfNoViewer(), AllowIfSystem()},
		Mutation: privacy.MutationPolicy{DenyIfNoViewer(), AllowIfSystem()},
	}
}
