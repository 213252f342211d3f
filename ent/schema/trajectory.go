package schema

import (
	"wisselaar/domain"
	"wisselaar/ent/outbox"
	"wisselaar/ent/synctime"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Trajectory holds the schema definition for one exchange between a giving
// and a receiving municipality under a call.
type Trajectory struct{ ent.Schema }

// Mixin of the Trajectory.
func (Trajectory) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Hooks of the Trajectory: its changes are stamped in commit order for
// those who sync trajectories.
func (Trajectory) Hooks() []ent.Hook {
	return []ent.Hook{synctime.TrajectoryHook(), outbox.TrajectoryHook()}
}

// Fields of the Trajectory.
func (Trajectory) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").
			NotEmpty().
			Annotations(entgql.OrderField("TITLE")).
			Comment("A short title of the exchange."),
		field.Text("description").
			Default("").
			Comment("What the receiving municipality wants to introduce, and how."),
		field.Enum("form").
			Values("MENTORING", "INTERNSHIP").
			Comment("MENTORING: a mentor of the giving municipality works at the receiving one. INTERNSHIP: staff of the receiving municipality work at the giving one, coached by its mentors."),
		field.Enum("status").
			Values("PROPOSED", "MATCHED", "AGREED", "RUNNING", "COMPLETED", "DECLINED", "CANCELLED").
			Default("MATCHED").
			Annotations(entgql.OrderField("STATUS")).
			Comment("Where the exchange stands: PROPOSED → MATCHED → AGREED (both signed) → RUNNING → COMPLETED; DECLINED and CANCELLED end it early."),
		field.Strings("topics").
			Optional().
			Comment("Free topics beyond the call's themes, such as \"eviction prevention\"."),
		field.Time("planned_start").SchemaType(dateSchema).Annotations(gqlDate).
			Annotations(entgql.OrderField("PLANNED_START")).
			Comment("The first day the exchange is planned to run."),
		field.Time("planned_end").SchemaType(dateSchema).Annotations(gqlDate).
			Comment("The last day the exchange is planned to run (inclusive)."),
		field.Text("action_plan").
			Optional().
			// Not filterable: analysts and partner tools see trajectories
			// but not their texts (rule.MayReadTrajectoryTexts).
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("The action plan's text (its introduction), which both municipalities drew up."),
		// The structured plan and the evaluation's results are texts of the
		// parties like the action plan: their resolvers answer null to
		// viewers who may not read them (rule.MayReadTrajectoryTexts), and
		// they are no filters or sort orders.
		field.JSON("plan", domain.ActionPlan{}).
			Optional().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The action plan's goals, actions and indicators."),
		field.Int("plan_version").
			Default(0).
			NonNegative().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The version of the action plan: 0 before the first, one more with every change."),
		field.Int("agreed_plan_version").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The version of the action plan the agreement was signed on; set when both sides have signed."),
		field.String("agreed_plan_sha256").
			Optional().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The SHA-256 of the canonical encoding of the signed version of the action plan."),
		field.JSON("indicator_results", []domain.IndicatorResult{}).
			Optional().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The result of each indicator of the signed plan, recorded in the evaluation at completion."),
		field.Time("giving_accepted_at").
			Optional().
			Nillable().
			Comment("When the giving municipality accepted the match the coordinator proposed; empty for a trajectory created MATCHED."),
		field.Time("receiving_accepted_at").
			Optional().
			Nillable().
			Comment("When the receiving municipality accepted the match the coordinator proposed; empty for a trajectory created MATCHED."),
		field.Time("giving_signed_at").
			Optional().
			Nillable().
			Comment("When the giving municipality signed the agreement."),
		field.Time("receiving_signed_at").
			Optional().
			Nillable().
			Comment("When the receiving municipality signed the agreement."),
		field.Text("evaluation_report").
			Optional().
			// Not filterable, like the action plan.
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("The final evaluation of the exchange and its outcomes."),
		field.Time("started_at").
			Optional().
			Nillable().
			Comment("When the exchange started running."),
		field.Time("completed_at").
			Optional().
			Nillable().
			Comment("When the exchange was completed with its evaluation report."),
		field.Time("ended_at").
			Optional().
			Nillable().
			Comment("When the exchange was declined or cancelled."),
		field.Text("decline_reason").
			Optional().
			// A text of the parties, like the action plan.
			Annotations(entgql.Skip(entgql.SkipWhereInput)).
			Comment("Why a side declined the match."),
		field.Text("public_summary").
			Optional().
			Comment("The summary the coordinator writes for the public catalogue and the open-data feed: what was exchanged and what came of it, naming no one. Public once the trajectory is published."),
		field.Time("published_at").
			Optional().
			Nillable().
			Comment("When the coordinator published the trajectory in the public catalogue and the open-data feed (publishTrajectory); empty while it is not published."),
		field.Int64("offer_hours_per_week").GoType(domain.Hours(0)).Annotations(gqlHours).
			Optional().
			Nillable().
			Comment("The hours a week of the offer that the match promises; they count against the offer's capacity once both sides accepted."),
		field.Int("offer_id").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The offer the coordinator matched, for a trajectory proposed from an offer and a need."),
		field.Int("need_id").
			Optional().
			Nillable().
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The need the coordinator matched."),
		field.Int("giving_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The giving municipality."),
		field.Int("receiving_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The receiving municipality."),
		field.Int("call_id").
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The call the exchange is funded under."),
	}
}

// Edges of the Trajectory.
func (Trajectory) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("giving", Municipality.Type).
			Ref("giving_trajectories").
			Field("giving_id").
			Unique().
			Required().
			Comment("The municipality that lends its expertise and receives the compensation."),
		edge.From("receiving", Municipality.Type).
			Ref("receiving_trajectories").
			Field("receiving_id").
			Unique().
			Required().
			Comment("The municipality that is helped to introduce the approach."),
		edge.From("call", Call.Type).
			Ref("trajectories").
			Field("call_id").
			Unique().
			Required().
			Comment("The call the exchange is funded under."),
		edge.From("offer", Offer.Type).
			Ref("trajectories").
			Field("offer_id").
			Unique().
			Comment("The offer the coordinator matched, if the trajectory came from one."),
		edge.From("need", Need.Type).
			Ref("trajectories").
			Field("need_id").
			Unique().
			Comment("The need the coordinator matched, if the trajectory came from one."),
		edge.To("themes", Theme.Type).
			Comment("The call's themes the exchange is about."),
		edge.To("mentors", Mentor.Type).
			Through("assignments", Assignment.Type).
			Comment("The mentors of the giving municipality who work on the exchange."),
		edge.To("grant", Grant.Type).
			Unique().
			Annotations(entsql.OnDelete(entsql.Restrict)).
			Comment("The grant application for the exchange, once submitted."),
		edge.To("documents", Document.Type).
			Annotations(entsql.OnDelete(entsql.Restrict)).
			Comment("The documents attached to the trajectory: the signed agreement, the action plan, the evaluation, others."),
		edge.To("time_entries", TimeEntry.Type).
			Annotations(entsql.OnDelete(entsql.Restrict)).
			Comment("The hours the mentors actually spent, per month."),
	}
}

// Indexes of the Trajectory.
func (Trajectory) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("giving_id"),
		index.Fields("receiving_id"),
		index.Fields("call_id"),
		index.Fields("updated_at"),
		// The portal's list, newest first (scanned backwards).
		index.Fields("created_at"),
		index.Fields("offer_id"),
		index.Fields("need_id"),
	}
}

// Annotations of the Trajectory.
func (Trajectory) Annotations() []schema.Annotation {
	return []schema.Annotation{
		// The root field is in schema.graphql: it also takes a search.
		entgql.RelayConnection(),
		entsql.Checks(map[string]string{
			"trajectory_distinct_parties": "giving_id <> receiving_id",
			"trajectory_planned_period":   "planned_end >= planned_start",
		}),
	}
}
