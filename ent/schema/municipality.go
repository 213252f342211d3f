package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Municipality holds the schema definition for a local government.
type Municipality struct{ ent.Schema }

// Mixin of the Municipality.
func (Municipality) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Municipality.
func (Municipality) Fields() []ent.Field {
	return []ent.Field{
		field.String("nis_code").
			Unique().
			Match(nisPattern).
			Annotations(entgql.OrderField("NIS_CODE")).
			Comment("The NIS code of the municipality: exactly 5 digits, such as \"12025\" for Mechelen."),
		field.String("kbo_number").
			Optional().
			Nillable().
			Unique().
			Match(kboPattern).
			Comment("The KBO enterprise number (10 digits, no dots), the key the Flemish identity provider uses for a local government."),
		field.String("name").
			NotEmpty().
			Annotations(entgql.OrderField("NAME")).
			Comment("The official name, such as \"Mechelen\"."),
		field.Enum("province").
			NamedValues(
				"Antwerpen", "ANTWERPEN",
				"Limburg", "LIMBURG",
				"OostVlaanderen", "OOST_VLAANDEREN",
				"VlaamsBrabant", "VLAAMS_BRABANT",
				"WestVlaanderen", "WEST_VLAANDEREN",
			).
			Annotations(entgql.OrderField("PROVINCE")).
			Comment("The Flemish province the municipality lies in."),
		field.String("contact_email").
			Optional().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The functional mailbox (such as sociaal@…) that hears when a step of a trajectory waits for the municipality; empty for none. Not part of the API."),
	}
}

// Edges of the Municipality.
func (Municipality) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("giving_trajectories", Trajectory.Type).
			Annotations(entgql.RelayConnection(), entsql.OnDelete(entsql.Restrict)).
			Comment("Trajectories in which this municipality lends its expertise."),
		edge.To("receiving_trajectories", Trajectory.Type).
			Annotations(entgql.RelayConnection(), entsql.OnDelete(entsql.Restrict)).
			Comment("Trajectories in which this municipality is helped."),
		edge.To("mentors", Mentor.Type).
			Annotations(entgql.RelayConnection(), entsql.OnDelete(entsql.Restrict)).
			Comment("Staff members of this municipality who mentor in trajectories."),
		edge.To("offers", Offer.Type).
			Annotations(entgql.RelayConnection(), entsql.OnDelete(entsql.Restrict)).
			Comment("The expertise this municipality offers."),
		edge.To("needs", Need.Type).
			Annotations(entgql.RelayConnection(), entsql.OnDelete(entsql.Restrict)).
			Comment("The expertise this municipality needs. Visible to the municipality itself, the coordinator and the ministry."),
	}
}

// Annotations of the Municipality.
func (Municipality) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entsql.Checks(map[string]string{
			"municipality_nis_code_format":   digits("nis_code", 5),
			"municipality_kbo_number_format": "kbo_number IS NULL OR (" + digits("kbo_number", 10) + ")",
		}),
	}
}
