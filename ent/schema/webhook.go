package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Webhook holds the schema definition for an endpoint of a partner tool or
// the ministry that hears about changes of trajectories and grants instead
// of polling. Only its owner (the subject that registered it) reads it.
type Webhook struct{ ent.Schema }

// Mixin of the Webhook.
func (Webhook) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Webhook.
func (Webhook) Fields() []ent.Field {
	return []ent.Field{
		field.String("owner_subject").
			Immutable().
			NotEmpty().
			Annotations(entgql.Skip()).
			Comment("The identity provider's subject of the client that registered the webhook."),
		field.String("url").
			Immutable().
			NotEmpty().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("The endpoint the events are POSTed to."),
		field.Strings("events").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("The event types sent to the endpoint, such as \"grant.changed\"."),
		field.String("secret").
			Immutable().
			Sensitive().
			Annotations(entgql.Skip()).
			Comment("The signing secret (whsec_…), shown once at registration."),
	}
}

// Edges of the Webhook.
func (Webhook) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("deliveries", WebhookDelivery.Type).
			Annotations(entgql.Skip(), entsql.OnDelete(entsql.Cascade)).
			Comment("The events for this endpoint, delivered or waiting."),
	}
}

// Indexes of the Webhook.
func (Webhook) Indexes() []ent.Index { return []ent.Index{index.Fields("owner_subject")} }

// Annotations of the Webhook.
func (Webhook) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}

// WebhookDelivery holds the schema definition for one event bound for one
// webhook: the outbox row written in the transaction of the change, and the
// log of its delivery.
type WebhookDelivery struct{ ent.Schema }

// Mixin of the WebhookDelivery.
func (WebhookDelivery) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the WebhookDelivery.
func (WebhookDelivery) Fields() []ent.Field {
	return []ent.Field{
		field.Int("webhook_id").
			Immutable().
			Annotations(entgql.Skip()).
			Comment("The webhook the event is for."),
		field.String("event_id").
			Immutable().
			NotEmpty().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("The event's identifier, sent as the webhook-id header; the same on every attempt, so a receiver can drop repeats."),
		field.String("event_type").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("The event type, such as \"trajectory.changed\"."),
		field.Text("payload").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("The JSON body sent: the event type, its time and the IDs and new status of what changed; never personal data."),
		field.Int("attempts").
			Default(0).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("How many times delivery was tried."),
		field.Int("status_code").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("The HTTP status the endpoint answered at the last attempt; null when it gave none (not reached, timed out) or before the first attempt."),
		field.String("error").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Why the last attempt failed; null when it succeeded or before the first attempt."),
		field.Time("attempted_at").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("When delivery was last tried."),
		field.Time("delivered_at").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("When the endpoint accepted the event (a 2xx answer); null while it waits."),
	}
}

// Edges of the WebhookDelivery.
func (WebhookDelivery) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("webhook", Webhook.Type).
			Ref("deliveries").
			Field("webhook_id").
			Unique().
			Required().
			Immutable().
			Annotations(entgql.Skip()).
			Comment("The webhook the event is for."),
	}
}

// Indexes of the WebhookDelivery: the waiting events of a webhook, oldest
// first, are what its delivery job reads.
func (WebhookDelivery) Indexes() []ent.Index {
	return []ent.Index{index.Fields("webhook_id", "delivered_at")}
}

// Annotations of the WebhookDelivery.
func (WebhookDelivery) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)}
}
