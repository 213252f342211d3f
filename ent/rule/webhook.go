package rule

import (
	"context"

	"wisselaar/ent"
	"wisselaar/ent/predicate"
	"wisselaar/ent/privacy"
	"wisselaar/ent/viewer"
	"wisselaar/ent/webhook"
	"wisselaar/ent/webhookdelivery"
)

// MayRegisterWebhooks reports whether v may register webhooks: partner
// tools, which sync trajectory data, and the ministry. Both read every
// trajectory and grant, which is what the events speak of.
func MayRegisterWebhooks(v *viewer.Viewer) bool {
	return !v.IsAnonymous() && !v.IsSystem() && (v.Has(viewer.Partner) || v.Has(viewer.Ministry))
}

// ReadableWebhooks: a webhook, its URL and its delivery log are its
// owner's alone (the subject that registered it); not even the ministry
// reads another client's endpoints. The system delivers them all.
func ReadableWebhooks(v *viewer.Viewer) Scope[predicate.Webhook] {
	switch {
	case v.IsSystem():
		return everything[predicate.Webhook]()
	case MayRegisterWebhooks(v):
		return only(webhook.OwnerSubject(v.Subject))
	}
	return Scope[predicate.Webhook]{}
}

// ReadableWebhookDeliveries: the deliveries of the webhooks the viewer
// reads.
func ReadableWebhookDeliveries(v *viewer.Viewer) Scope[predicate.WebhookDelivery] {
	switch {
	case v.IsSystem():
		return everything[predicate.WebhookDelivery]()
	case MayRegisterWebhooks(v):
		return only(webhookdelivery.HasWebhookWith(webhook.OwnerSubject(v.Subject)))
	}
	return Scope[predicate.WebhookDelivery]{}
}

// FilterWebhooks narrows webhooks to ReadableWebhooks.
func FilterWebhooks() privacy.QueryRule {
	return privacy.WebhookQueryRuleFunc(func(ctx context.Context, q *ent.WebhookQuery) error {
		return narrow(q.Where, ReadableWebhooks(viewer.FromContext(ctx)))
	})
}

// FilterWebhookDeliveries narrows deliveries to ReadableWebhookDeliveries.
func FilterWebhookDeliveries() privacy.QueryRule {
	return privacy.WebhookDeliveryQueryRuleFunc(func(ctx context.Context, q *ent.WebhookDeliveryQuery) error {
		return narrow(q.Where, ReadableWebhookDeliveries(viewer.FromContext(ctx)))
	})
}

// AllowWebhookCreateIfOwner allows partner tools and the ministry to
// register a webhook of their own, never one in another's name.
func AllowWebhookCreateIfOwner() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.WebhookMutationRuleFunc(func(ctx context.Context, m *ent.WebhookMutation) error {
		v := viewer.FromContext(ctx)
		if owner, ok := m.OwnerSubject(); ok && MayRegisterWebhooks(v) && owner == v.Subject {
			return privacy.Allow
		}
		return privacy.Skip
	}), ent.OpCreate)
}

// AllowWebhookDeleteIfOwner allows the owner to delete its webhook (and so
// its delivery log).
func AllowWebhookDeleteIfOwner() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.WebhookMutationRuleFunc(func(ctx context.Context, m *ent.WebhookMutation) error {
		v := viewer.FromContext(ctx)
		id, ok := m.ID()
		if !ok || !MayRegisterWebhooks(v) {
			return privacy.Skip
		}
		return allowIf(m.Client().Webhook.Query().Where(webhook.ID(id), webhook.OwnerSubject(v.Subject)).Exist(ctx))
	}), ent.OpDeleteOne)
}

func (readScopes) Webhook(ctx context.Context) predicate.Webhook {
	return predicateOf(ReadableWebhooks(viewer.FromContext(ctx)))
}

func (readScopes) WebhookDelivery(ctx context.Context) predicate.WebhookDelivery {
	return predicateOf(ReadableWebhookDeliveries(viewer.FromContext(ctx)))
}
