package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/mixin"

	"wisselaar/ent/audit"
	"wisselaar/ent/privacy"
	"wisselaar/ent/rule"
	"wisselaar/ent/viewer"
)

// BasePolicyMixin puts the rules every entity shares in front of the
// entity's own policy (see rule.BasePolicy).
type BasePolicyMixin struct{ mixin.Schema }

// Policy of the BasePolicyMixin.
func (BasePolicyMixin) Policy() ent.Policy { return rule.BasePolicy() }

// Hooks of the BasePolicyMixin: every entity under the base policy is
// audited, so that no write escapes the audit trail (package audit).
func (BasePolicyMixin) Hooks() []ent.Hook { return []ent.Hook{audit.Hook()} }

// Hooks of the BasePolicyMixin: every entity under the base policy is
// audited, so that no write escapes the audit trail (package audit).

// The policies of the entities, in one place. Who may read which rows is
// said once, in the Readable… scopes of package rule (ent/rule/scope.go),
// which the Filter… rules apply here and rule.WhereScope applies inside
// where-filters. Each policy ends in a deny (rule.Policy). Writes other than
// by the system are allowed by the process's mutations, entity by entity,
// where the process needs them.

// Policy of the Municipality: the list of municipalities is public.
func (Municipality) Policy() ent.Policy {
	return rule.Policy{
		Query:    privacy.QueryPolicy{rule.FilterMunicipalities()},
		Mutation: privacy.MutationPolicy{rule.AllowMutationIfMinistry()},
	}
}

// Policy of the Theme: the themes are public.
func (Theme) Policy() ent.Policy {
	return rule.Policy{
		Query:    privacy.QueryPolicy{rule.FilterThemes()},
		Mutation: privacy.MutationPolicy{rule.AllowMutationIfMinistry()},
	}
}

// Policy of the Call: calls are public.
func (Call) Policy() ent.Policy {
	return rule.Policy{
		Query:    privacy.QueryPolicy{rule.FilterCalls()},
		Mutation: privacy.MutationPolicy{rule.AllowMutationIfMinistry()},
	}
}

// Policy of the Trajectory: the coordinator, analysts and partner tools
// see all trajectories (their non-personal data); staff see the ones their
// municipality takes part in.
func (Trajectory) Policy() ent.Policy {
	return rule.Policy{
		Query: privacy.QueryPolicy{rule.FilterTrajectories()},
		// The coordinator matches (creates) and cancels trajectories; the
		// parties sign, plan, start and complete them.
		Mutation: privacy.MutationPolicy{
			privacy.OnMutationOperation(rule.AllowMutationIfAnyRole(viewer.Coordinator), ent.OpCreate|ent.OpUpdateOne),
			rule.AllowTrajectoryUpdateIfParty(),
		},
	}
}

// Policy of the Assignment: planned hours of a mentor on a trajectory,
// visible with the trajectory, but not to analysts and partners: an
// assignment leads to a person.
func (Assignment) Policy() ent.Policy {
	return rule.Policy{
		Query:    privacy.QueryPolicy{rule.FilterAssignments()},
		Mutation: privacy.MutationPolicy{rule.AllowAssignmentMutationIfGiving()},
	}
}

// Policy of the Mentor: names and e-mails are personal data. The
// coordinator follows the trajectories and sees who works on them; staff see
// their colleagues and the mentors who come to them.
func (Mentor) Policy() ent.Policy {
	return rule.Policy{
		Query:    privacy.QueryPolicy{rule.FilterMentors()},
		Mutation: privacy.MutationPolicy{rule.AllowMentorCreateIfEmployer()},
	}
}

// Policy of the Salary: only the mentor's own municipality and the ministry.
func (Salary) Policy() ent.Policy {
	return rule.Policy{
		Query: privacy.QueryPolicy{rule.FilterSalaries()},
		// The employer records a salary, closing the current record
		// when a new one takes over from it.
		Mutation: privacy.MutationPolicy{rule.AllowSalaryCreateIfEmployer(), rule.AllowSalaryCloseIfEmployer()},
	}
}

// Policy of the Grant: grant amounts are public information about
// trajectories, so a grant is visible to whoever sees its trajectory.
func (Grant) Policy() ent.Policy {
	return rule.Policy{
		Query: privacy.QueryPolicy{rule.FilterGrants()},
		// The giving side submits and withdraws; the ministry decides and
		// settles. Promoting the waiting line is the system's doing.
		Mutation: privacy.MutationPolicy{
			rule.AllowGrantCreateIfGiving(),
			rule.AllowGrantWithdrawIfGiving(),
			privacy.OnMutationOperation(rule.AllowMutationIfAnyRole(viewer.Ministry), ent.OpUpdateOne),
		},
	}
}

// Policy of the TimeEntry: the giving side's record of hours; the
// coordinator follows progress.
func (TimeEntry) Policy() ent.Policy {
	return rule.Policy{
		Query:    privacy.QueryPolicy{rule.FilterTimeEntries()},
		Mutation: privacy.MutationPolicy{rule.AllowTimeEntryMutationIfGiving()},
	}
}

// Policy of the Payment: the ministry pays the giving municipality; the
// coordinator follows the money of the programme.
func (Payment) Policy() ent.Policy {
	return rule.Policy{
		Query: privacy.QueryPolicy{rule.FilterPayments()},
		Mutation: privacy.MutationPolicy{
			privacy.OnMutationOperation(rule.AllowMutationIfAnyRole(viewer.Ministry), ent.OpCreate),
		},
	}
}

// Policy of the Offer: staff register and withdraw offers for their own
// municipality. The status moves with matches as the system's bookkeeping
// of a permitted step (accepting, declining, the nightly expiry).
func (Offer) Policy() ent.Policy {
	return rule.Policy{
		Query:    privacy.QueryPolicy{rule.FilterOffers()},
		Mutation: privacy.MutationPolicy{rule.AllowOfferMutationIfOwn()},
	}
}

// Policy of the Need: staff register and withdraw needs for their own
// municipality.
func (Need) Policy() ent.Policy {
	return rule.Policy{
		Query:    privacy.QueryPolicy{rule.FilterNeeds()},
		Mutation: privacy.MutationPolicy{rule.AllowNeedMutationIfOwn()},
	}
}

// Policy of the Document: read by those who read the trajectory's texts
// (the parties, the coordinator, the ministry), since a document, like the
// action plan, may name people; uploaded by the parties.
func (Document) Policy() ent.Policy {
	return rule.Policy{
		Query:    privacy.QueryPolicy{rule.FilterDocuments()},
		Mutation: privacy.MutationPolicy{rule.AllowDocumentCreateIfParty()},
	}
}

// Policy of the Session: only the system reads and writes sessions.
func (Session) Policy() ent.Policy {
	return rule.Policy{Query: privacy.QueryPolicy{rule.FilterSessions()}}
}

// Policy of the Webhook: its owner reads and deletes it; partner tools and
// the ministry register their own; deliveries are the system's.
func (Webhook) Policy() ent.Policy {
	return rule.Policy{
		Query:    privacy.QueryPolicy{rule.FilterWebhooks()},
		Mutation: privacy.MutationPolicy{rule.AllowWebhookCreateIfOwner(), rule.AllowWebhookDeleteIfOwner()},
	}
}

// Policy of the WebhookDelivery: read by the webhook's owner; written by
// the system only (the outbox at a mutation's commit, and the delivery
// job).
func (WebhookDelivery) Policy() ent.Policy {
	return rule.Policy{Query: privacy.QueryPolicy{rule.FilterWebhookDeliveries()}}
}

// Policy of the AuditEvent: read by the ministry; appended by the system
// (the audit hook) and never changed or deleted, not even by the system.
// It does not take the BasePolicyMixin, whose allowance for the system
// would come before the deny.
func (AuditEvent) Policy() ent.Policy {
	return rule.Policy{
		Query: privacy.QueryPolicy{rule.DenyIfNoViewer(), rule.AllowIfSystem(), rule.FilterAuditEvents()},
		Mutation: privacy.MutationPolicy{
			rule.DenyIfNoViewer(),
			rule.DenyAuditEventChange(),
			rule.AllowAuditEventCreateIfSystem(),
		},
	}
}
