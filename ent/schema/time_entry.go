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

// TimeEntry holds the schema definition for the hours a mentor actually
// spent on a trajectory in one month; settlement is computed from these.
type TimeEntry struct{ ent.Schema }

// Mixin of the TimeEntry.
func (TimeEntry) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the TimeEntry.
func (TimeEntry) Fields() []ent.Field {
	return []ent.Field{
		field.String("month").
			Match(monthPattern).
			Annotations(entgql.OrderField("MONTH")).
			Comment("The calendar month, such as \"2027-01\"."),
		field.Int64("hours").GoType(domain.Hours(0)).Annotations(gqlHours).
			Min(0).
			Comment("The hours spent on the trajectory in that month."),
		field.Int("trajectory_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The trajectory."),
		field.Int("mentor_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The mentor."),
	}
}

// Edges of the TimeEntry.
func (TimeEntry) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("trajectory", Trajectory.Type).
			Ref("time_entries").
			Field("trajectory_id").
			Unique().
			Required().
			Comment("The trajectory the hours were spent on."),
		edge.From("mentor", Mentor.Type).
			Ref("time_entries").
			Field("mentor_id").
			Unique().
			Required().
			Comment("The mentor who spent them."),
	}
}

// Indexes of the TimeEntry.
func (TimeEntry) Indexes() []ent.Index {
	return []ent.Index{index.Fields("trajectory_id", "mentor_id", "month").Unique()}
}

// Annotations of the TimeEntry.
func (TimeEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{
		// No where-input: a filter on personal data (or on the hours and
		// payments of one municipality) would be a subquery that privacy
		// never sees, and would let anyone who can see a parent probe it.
		entgql.Skip(entgql.SkipWhereInput),
		entsql.Checks(map[string]string{"time_entry_hours": "hours >= 0"}),
	}
}
