package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Theme holds the schema definition for an area of expertise named by a call.
type Theme struct{ ent.Schema }

// Mixin of the Theme.
func (Theme) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Theme.
func (Theme) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").
			Unique().
			Match(codePattern).
			Annotations(entgql.OrderField("CODE")).
			Comment("A stable machine-readable code, such as \"LOCAL_COORDINATION\"."),
		field.String("name").
			NotEmpty().
			// The GraphQL field is name(lang:), in graph/labels.graphql.
			Annotations(entgql.OrderField("NAME"), entgql.Skip(entgql.SkipType)).
			Comment("The theme's name in Dutch, as the call words it."),
		field.String("name_en").
			NotEmpty().
			Comment("The theme's name in English."),
	}
}

// Edges of the Theme.
func (Theme) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("trajectories", Trajectory.Type).
			Ref("themes").
			Annotations(entgql.RelayConnection()).
			Comment("Trajectories that exchange expertise on this theme."),
		// The offers and needs on a theme are counted by the expertise map
		// and listed through offers and needs; no edge of the API.
		edge.From("offers", Offer.Type).
			Ref("themes").
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Offers of expertise on this theme."),
		edge.From("needs", Need.Type).
			Ref("themes").
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Needs of expertise on this theme."),
	}
}

// Annotations of the Theme.
func (Theme) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
