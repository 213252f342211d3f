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

// Need holds the schema definition for what a municipality wants to
// introduce: the themes, the form it prefers and the period it wishes. Needs
// are read by their own municipality, the coordinator and the ministry only.
type Need struct{ ent.Schema }

// Mixin of the Need.
func (Need) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Need.
func (Need) Fields() []ent.Field {
	return []ent.Field{
		field.Text("description").
			NotEmpty().
			Comment("What the municipality wants to introduce, and why, in its own words."),
		field.Strings("topics").
			Optional().
			Comment("Free topics beyond the call's themes, such as \"voedselbedeling\"."),
		field.Enum("preferred_form").
			Values("MENTORING", "INTERNSHIP").
			Optional().
			Nillable().
			Annotations(entgql.Type("TrajectoryForm")).
			Comment("The form the municipality prefers; empty when either will do."),
		field.Time("desired_start").SchemaType(dateSchema).Annotations(gqlDate).
			Annotations(entgql.OrderField("DESIRED_START")).
			Comment("The first day of the period the municipality wishes the exchange in."),
		field.Time("desired_end").SchemaType(dateSchema).Annotations(gqlDate).
			Annotations(entgql.OrderField("DESIRED_END")).
			Comment("The last day of that period; the need expires after it."),
		field.Enum("status").
			Values("OPEN", "MATCHED", "WITHDRAWN", "EXPIRED").
			Default("OPEN").
			// Shown by a resolver (schema.graphql) that reads an open one
			// past its period as EXPIRED before the nightly sweep stores it.
			Annotations(entgql.OrderField("STATUS"), entgql.Type("MatchingStatus"), entgql.Skip(entgql.SkipType)).
			Comment("OPEN until a match is accepted by both sides (MATCHED), the municipality withdraws it (WITHDRAWN), or its period ends (EXPIRED)."),
		field.Int("municipality_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The municipality that needs."),
	}
}

// Edges of the Need.
func (Need) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("municipality", Municipality.Type).
			Ref("needs").
			Field("municipality_id").
			Unique().
			Required().
			Comment("The municipality that needs."),
		edge.To("themes", Theme.Type).
			Comment("The themes of the expertise needed."),
		edge.To("trajectories", Trajectory.Type).
			Annotations(entsql.OnDelete(entsql.Restrict)).
			Comment("The trajectories proposed for this need."),
	}
}

// Indexes of the Need.
func (Need) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("municipality_id"),
		index.Fields("status", "desired_end"),
	}
}

// Annotations of the Need.
func (Need) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entsql.Checks(map[string]string{"need_period": "desired_end >= desired_start"}),
	}
}
