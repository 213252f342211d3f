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

// Salary holds the schema definition for a mentor's salary cost in a period.
// Salaries are personal data: only the mentor's own municipality and the
// ministry may read them.
type Salary struct{ ent.Schema }

// Mixin of the Salary.
func (Salary) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Salary.
func (Salary) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("monthly_cost").GoType(domain.Money(0)).Annotations(gqlMoney).
			Min(0).
			Comment("The monthly salary cost: gross salary plus employer contributions, in euro."),
		field.Int64("weekly_hours").GoType(domain.Hours(0)).Annotations(gqlHours).
			Min(1).
			Comment("The contractual hours per week (38 for a full-time job)."),
		field.Time("valid_from").SchemaType(dateSchema).Annotations(gqlDate).
			Annotations(entgql.OrderField("VALID_FROM")).
			Comment("The first day this salary applies."),
		field.Time("valid_to").SchemaType(dateSchema).Annotations(gqlDate).
			Optional().
			Nillable().
			Comment("The last day this salary applies (inclusive); empty while it still applies."),
		field.Int("mentor_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The mentor this salary is of."),
	}
}

// Edges of the Salary.
func (Salary) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("mentor", Mentor.Type).
			Ref("salaries").
			Field("mentor_id").
			Unique().
			Required().
			Comment("The mentor this salary is of."),
	}
}

// Indexes of the Salary.
func (Salary) Indexes() []ent.Index {
	return []ent.Index{index.Fields("mentor_id", "valid_from").Unique()}
}

// Annotations of the Salary.
func (Salary) Annotations() []schema.Annotation {
	return []schema.Annotation{
		// No where-input: a filter on personal data (or on the hours and
		// payments of one municipality) would be a subquery that privacy
		// never sees, and would let anyone who can see a parent probe it.
		entgql.Skip(entgql.SkipWhereInput),
		entsql.Checks(map[string]string{
			"salary_amounts": "monthly_cost >= 0 AND weekly_hours > 0",
			"salary_period":  "valid_to IS NULL OR valid_to >= valid_from",
		}),
	}
}
