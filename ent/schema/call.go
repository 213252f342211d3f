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

// Call holds the schema definition for a yearly call for projects: its
// budget, caps, compensation rate and application window. The rules of the
// programme are data on the call, never constants in code.
type Call struct{ ent.Schema }

// Mixin of the Call.
func (Call) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Call.
func (Call) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			Unique().
			Annotations(entgql.OrderField("NAME")).
			Comment("The call's name, such as \"De Wisselaar 2022\"."),
		field.Int("year").
			Range(2000, 2999).
			Annotations(entgql.OrderField("YEAR")).
			Comment("The project year the call funds."),
		field.Time("opens_at").
			Annotations(entgql.OrderField("OPENS_AT")).
			Comment("The first moment applications are accepted."),
		field.Time("closes_at").
			Comment("Closes the application window: applications are accepted up to and including the Europe/Brussels calendar day of this moment (the call says \"up to and including 31 October\"), whatever its time of day."),
		field.Int64("budget").GoType(domain.Money(0)).Annotations(gqlMoney).
			Min(0).
			Comment("The total the call can award, in euro."),
		field.Int64("per_project_cap").GoType(domain.Money(0)).Annotations(gqlMoney).
			Min(0).
			Comment("The most one trajectory can be awarded, in euro."),
		field.Int("compensation_percent").
			Range(1, 100).
			Comment("The share of the mentors' salary cost that is compensated, in percent (50 for 50 %)."),
		field.Enum("agreement_evidence").
			Values("PORTAL_SIGNATURES", "SIGNED_DOCUMENT").
			Default("PORTAL_SIGNATURES").
			Comment("What an application needs as proof of the agreement of both municipalities. PORTAL_SIGNATURES: both sides signed the agreement in the portal (the trajectory is AGREED). SIGNED_DOCUMENT: a signed agreement is attached to the trajectory as an AGREEMENT_SIGNED document; submitting then also records the agreement on the current version of the action plan when the sides did not sign it in the portal."),
	}
}

// Edges of the Call.
func (Call) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("trajectories", Trajectory.Type).
			Annotations(entgql.RelayConnection(), entsql.OnDelete(entsql.Restrict)).
			Comment("The trajectories matched under this call."),
		edge.To("grants", Grant.Type).
			Annotations(entgql.RelayConnection(), entsql.OnDelete(entsql.Restrict)).
			Comment("The grant applications submitted to this call."),
	}
}

// Annotations of the Call.
func (Call) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entsql.Checks(map[string]string{
			"call_window":  "closes_at > opens_at",
			"call_amounts": "budget >= 0 AND per_project_cap >= 0",
			"call_percent": "compensation_percent BETWEEN 1 AND 100",
		}),
	}
}
