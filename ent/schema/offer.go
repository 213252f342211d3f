package schema

import (
	"wisselaar/domain"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Offer holds the schema definition for the expertise a municipality can
// lend: the themes, the forms it can host, the mentor hours a week it can
// give and the period it is available. The coordinator matches offers with
// needs.
type Offer struct{ ent.Schema }

// Mixin of the Offer.
func (Offer) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Offer.
func (Offer) Fields() []ent.Field {
	return []ent.Field{
		field.Text("description").
			NotEmpty().
			Comment("What the municipality can lend, and how it works, in its own words."),
		field.Strings("topics").
			Optional().
			Comment("Free topics beyond the call's themes, such as \"uithuiszetting\"."),
		// Shown as [TrajectoryForm!]! by a resolver (schema.graphql): ent
		// stores the list as JSON.
		field.Strings("forms").
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The forms the municipality can host: MENTORING, INTERNSHIP or both."),
		field.Int64("capacity_hours_per_week").GoType(domain.Hours(0)).Annotations(gqlHours).
			Min(1).
			Annotations(entgql.OrderField("CAPACITY")).
			Comment("The mentor hours a week the municipality can give, over all the trajectories it takes on from this offer."),
		field.Time("available_from").SchemaType(dateSchema).Annotations(gqlDate).
			Annotations(entgql.OrderField("AVAILABLE_FROM")).
			Comment("The first day the municipality can start a trajectory."),
		field.Time("available_until").SchemaType(dateSchema).Annotations(gqlDate).
			Annotations(entgql.OrderField("AVAILABLE_UNTIL")).
			Comment("The last day of the period the municipality is available; the offer expires after it."),
		field.Enum("status").
			Values("OPEN", "MATCHED", "WITHDRAWN", "EXPIRED").
			Default("OPEN").
			// Shown by a resolver (schema.graphql) that reads an open one
			// past its period as EXPIRED before the nightly sweep stores it.
			Annotations(entgql.OrderField("STATUS"), entgql.Type("MatchingStatus"), entgql.Skip(entgql.SkipType)).
			Comment("OPEN until its capacity is promised in accepted matches (MATCHED), the municipality withdraws it (WITHDRAWN), or its period ends (EXPIRED)."),
		field.Int("municipality_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The municipality that offers."),
	}
}

// Edges of the Offer.
func (Offer) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("municipality", Municipality.Type).
			Ref("offers").
			Field("municipality_id").
			Unique().
			Required().
			Comment("The municipality that offers."),
		edge.To("themes", Theme.Type).
			Comment("The themes of the expertise offered."),
		// Who could go is known to the offering municipality, the
		// coordinator and the ministry only (rule.MayReadOfferMentors):
		// not filterable, and shown by a resolver that asks the rule.
		edge.To("mentors", Mentor.Type).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("The mentors who could go. Visible to the offering municipality, the coordinator and the ministry only."),
		edge.To("trajectories", Trajectory.Type).
			Annotations(entsql.OnDelete(entsql.Restrict)).
			Comment("The trajectories proposed from this offer."),
	}
}

// Indexes of the Offer.
func (Offer) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("municipality_id"),
		index.Fields("status", "available_until"),
	}
}

// Annotations of the Offer.
func (Offer) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entsql.Checks(map[string]string{
			"offer_capacity": "capacity_hours_per_week > 0",
			"offer_period":   "available_until >= available_from",
		}),
	}
}
