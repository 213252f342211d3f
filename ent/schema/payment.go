package schema

import (
	"wisselaar/domain"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Payment holds the schema definition for one payment of a grant to the
// giving municipality.
type Payment struct{ ent.Schema }

// Mixin of the Payment.
func (Payment) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Payment.
func (Payment) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("amount").GoType(domain.Money(0)).Annotations(gqlMoney).
			Min(1).
			Comment("The amount paid, in euro."),
		field.Time("paid_on").SchemaType(dateSchema).Annotations(gqlDate).
			Annotations(entgql.OrderField("PAID_ON")).
			Comment("The day the payment was made."),
		field.Int("grant_id").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The grant paid."),
	}
}

// Edges of the Payment.
func (Payment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("grant", Grant.Type).
			Ref("payments").
			Field("grant_id").
			Unique().
			Required().
			Immutable().
			Comment("The grant paid."),
	}
}

// Annotations of the Payment.
func (Payment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		// No where-input: a filter on personal data (or on the hours and
		// payments of one municipality) would be a subquery that privacy
		// never sees, and would let anyone who can see a parent probe it.
		entgql.Skip(entgql.SkipWhereInput),
		entsql.Checks(map[string]string{"payment_amount": "amount > 0"}),
	}
}
