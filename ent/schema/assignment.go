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

// Assignment holds the schema definition for a mentor working on a
// trajectory, with the hours per week planned for it.
type Assignment struct{ ent.Schema }

// Mixin of the Assignment.
func (Assignment) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Assignment.
func (Assignment) Fields() []ent.Field {
	return []ent.Field{
		field.Int("trajectory_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The trajectory."),
		field.Int("mentor_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The mentor."),
		field.Int64("planned_weekly_hours").GoType(domain.Hours(0)).Annotations(gqlHours).
			Min(1).
			Comment("The hours per week the mentor is planned to spend on the trajectory."),
	}
}

// Edges of the Assignment.
func (Assignment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("trajectory", Trajectory.Type).
			Field("trajectory_id").
			Unique().
			Required().
			Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("mentor", Mentor.Type).
			Field("mentor_id").
			Unique().
			Required().
			Annotations(entsql.OnDelete(entsql.Restrict)),
	}
}

// Indexes of the Assignment.
func (Assignment) Indexes() []ent.Index {
	return []ent.Index{index.Fields("trajectory_id", "mentor_id").Unique()}
}

// Annotations of the Assignment.
func (Assignment) Annotations() []schema.Annotation {
	return []schema.Annotation{
		// No where-input: a filter on personal data (or on the hours and
		// payments of one municipality) would be a subquery that privacy
		// never sees, and would let anyone who can see a parent probe it.
		entgql.Skip(entgql.SkipWhereInput),
		entsql.Checks(map[string]string{"assignment_hours": "planned_weekly_hours > 0"}),
	}
}
