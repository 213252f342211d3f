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

// Mentor holds the schema definition for a staff member of a municipality
// who spends time on trajectories. Names and e-mail addresses are personal
// data.
type Mentor struct{ ent.Schema }

// Mixin of the Mentor.
func (Mentor) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Mentor.
func (Mentor) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").
			NotEmpty().
			// Not filterable: a where-filter on names would let viewers who
			// see trajectories but not mentors probe who works on them.
			Annotations(entgql.OrderField("NAME"), entgql.Skip(entgql.SkipWhereInput)).
			Comment("The mentor's full name."),
		field.String("email").
			NotEmpty().
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Match(emailPattern).
			Comment("The mentor's work e-mail address."),
		field.String("job_title").
			Default("").
			Comment("The mentor's job title, such as \"teamleider sociale dienst\"."),
		field.Int("municipality_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The municipality that employs the mentor."),
	}
}

// Edges of the Mentor.
func (Mentor) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("municipality", Municipality.Type).
			Ref("mentors").
			Field("municipality_id").
			Unique().
			Required().
			Comment("The municipality that employs the mentor."),
		edge.To("salaries", Salary.Type).
			Annotations(entsql.OnDelete(entsql.Restrict)).
			Comment("The mentor's salary cost over time. Visible only to the mentor's own municipality and the ministry."),
		edge.From("trajectories", Trajectory.Type).
			Ref("mentors").
			Through("assignments", Assignment.Type).
			Comment("The trajectories the mentor works on."),
		// Who could go on an offer is not for everyone who reads the mentor
		// (rule.MayReadOfferMentors): no edge of the API, no filter.
		edge.From("offers", Offer.Type).
			Ref("mentors").
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The offers the mentor could go on."),
		edge.To("time_entries", TimeEntry.Type).
			Annotations(entsql.OnDelete(entsql.Restrict)).
			Comment("The hours the mentor spent, per trajectory and month."),
	}
}

// Indexes of the Mentor.
func (Mentor) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("municipality_id", "email").Unique(),
	}
}

// Annotations of the Mentor.
func (Mentor) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.QueryField(), entgql.RelayConnection()}
}
