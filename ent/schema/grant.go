package schema

import (
	"wisselaar/domain"
	"wisselaar/ent/outbox"
	"wisselaar/ent/synctime"
	"wisselaar/internal/grantcalc"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Grant holds the schema definition for the application for, and the
// decision on, the compensation of one trajectory.
type Grant struct{ ent.Schema }

// Mixin of the Grant.
func (Grant) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Hooks of the Grant: a change to a grant is a change to its trajectory
// for those who sync trajectories.
func (Grant) Hooks() []ent.Hook { return []ent.Hook{synctime.GrantHook(), outbox.GrantHook()} }

// Fields of the Grant.
func (Grant) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("status").
			Values("RESERVED", "WAITLISTED", "APPROVED", "REJECTED", "WITHDRAWN", "SETTLED", "PAID").
			Annotations(entgql.OrderField("STATUS")).
			Comment("RESERVED: submitted, budget reserved. WAITLISTED: submitted, waiting for budget. APPROVED or REJECTED by the ministry, or WITHDRAWN by the giving side. SETTLED on the hours actually spent. PAID when payments reach the settled amount."),
		field.Time("submitted_at").
			Immutable().
			Annotations(entgql.OrderField("SUBMITTED_AT")).
			Comment("When the application was submitted; applications are handled first come, first served in this order."),
		field.Int64("requested").GoType(domain.Money(0)).Annotations(gqlMoney).
			Min(0).
			Annotations(entgql.OrderField("REQUESTED")).
			Comment("The compensation asked for, computed from the planned hours and salaries, capped per project."),
		field.Int64("awarded").GoType(domain.Money(0)).Annotations(gqlMoney).
			Optional().
			Nillable().
			Min(0).
			Annotations(entgql.OrderField("AWARDED")).
			Comment("The amount the ministry awarded, once approved. Public information."),
		field.Int64("settled").GoType(domain.Money(0)).Annotations(gqlMoney).
			Optional().
			Nillable().
			Min(0).
			Comment("The compensation on the hours actually spent, never above the awarded amount, once settled."),
		field.Int64("paid").GoType(domain.Money(0)).Annotations(gqlMoney).
			Default(0).
			Min(0).
			Comment("The total paid so far."),
		field.Text("decision_reason").
			Optional().
			Comment("The ministry's reason for its decision, required for a rejection."),
		field.Time("decided_at").
			Optional().
			Nillable().
			Comment("When the ministry decided."),
		field.Time("settled_at").
			Optional().
			Nillable().
			Comment("When the ministry settled the grant on the hours actually spent."),
		// The calculations are records of the moment (see package
		// grantcalc). They hold salaries, so they are not GraphQL fields of
		// their own: the process's calculation resolvers show their lines
		// only to viewers allowed to read the salaries.
		field.JSON("calculation", grantcalc.Calculation{}).
			Optional().
			Sensitive().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The calculation of the requested amount, made at submission."),
		field.JSON("settlement_calculation", grantcalc.Calculation{}).
			Optional().
			Sensitive().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The calculation of the settled amount on the hours actually spent, made at settlement."),
		field.JSON("submission_ledger", grantcalc.LedgerPosition{}).
			Optional().
			Sensitive().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Where the call's ledger stood when the application was submitted, for the application file."),
		field.Int("trajectory_id").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The trajectory the grant is for."),
		field.Int("call_id").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The call whose budget the grant draws on."),
	}
}

// Edges of the Grant.
func (Grant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("trajectory", Trajectory.Type).
			Ref("grant").
			Field("trajectory_id").
			Unique().
			Required().
			Immutable().
			Comment("The trajectory the grant is for."),
		edge.From("call", Call.Type).
			Ref("grants").
			Field("call_id").
			Unique().
			Required().
			Immutable().
			Comment("The call whose budget the grant draws on."),
		edge.To("payments", Payment.Type).
			Annotations(entsql.OnDelete(entsql.Restrict)).
			Comment("The payments made on the grant."),
	}
}

// Indexes of the Grant.
func (Grant) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("call_id", "status", "submitted_at"),
	}
}

// Annotations of the Grant.
func (Grant) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.QueryField(),
		entgql.RelayConnection(),
		entsql.Checks(map[string]string{
			"grant_amounts":      "requested >= 0 AND (awarded IS NULL OR awarded >= 0) AND (settled IS NULL OR settled >= 0) AND paid >= 0",
			"grant_award_le_req": "awarded IS NULL OR awarded <= requested",
			"grant_settle_le_aw": "settled IS NULL OR (awarded IS NOT NULL AND settled <= awarded)",
			"grant_paid_le_due":  "paid <= COALESCE(settled, awarded, 0)",
		}),
	}
}
