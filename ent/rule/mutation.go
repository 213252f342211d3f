package rule

import (
	"context"
	"slices"

	"wisselaar/ent"
	"wisselaar/ent/grant"
	"wisselaar/ent/mentor"
	"wisselaar/ent/municipality"
	"wisselaar/ent/predicate"
	"wisselaar/ent/privacy"
	"wisselaar/ent/salary"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
)

// The mutation rules below say who may write what, as the last line of
// defence behind the process (package internal/process), which checks the
// state machine and the viewer's side first and reports FORBIDDEN or
// CONFLICT in words. A rule that does not apply skips; rule.Policy denies
// what no rule allowed. Bulk updates and deletes are allowed to no one but
// the system, because none of these rules looks at the rows they would hit.

// AllowMutationIfAnyRole allows viewers holding one of the roles to write.
// Combine it with privacy.OnMutationOperation to limit the operations.
func AllowMutationIfAnyRole(roles ...viewer.Role) privacy.MutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		v := viewer.FromContext(ctx)
		for _, r := range roles {
			if v.Has(r) {
				return privacy.Allow
			}
		}
		return privacy.Skip
	})
}

// allowIf turns the answer of an existence check into a decision.
func allowIf(ok bool, err error) error {
	switch {
	case err != nil:
		return privacy.Denyf("checking the viewer's rights: %v", err)
	case ok:
		return privacy.Allow
	}
	return privacy.Skip
}

// onlyFields reports whether a mutation sets or clears no field outside
// allowed (the mixin's updated_at is always allowed).
func onlyFields(m ent.Mutation, allowed ...string) bool {
	for _, f := range append(m.Fields(), m.ClearedFields()...) {
		if f != "updated_at" && !slices.Contains(allowed, f) {
			return false
		}
	}
	return true
}

// trajectoryOf returns the trajectory a create or update-one mutation is
// about: the one it sets, else the one the row already has.
func trajectoryOf(ctx context.Context, set func() (int, bool), old func(context.Context) (int, error)) (int, error) {
	if id, ok := set(); ok {
		return id, nil
	}
	return old(ctx)
}

// givenByStaff reports whether the viewer's municipality gives trajectory
// id. The query runs with the viewer's own read rights.
func givenByStaff(ctx context.Context, c *ent.Client, v *viewer.Viewer, id int) (bool, error) {
	return c.Trajectory.Query().Where(trajectory.ID(id), TrajectoryGivenByStaff(v)).Exist(ctx)
}

// AllowTrajectoryUpdateIfParty allows staff of the giving or the receiving
// municipality to update their trajectory (accept, sign, update the action
// plan, start, complete, decline), but never to change who takes part or
// the call. A side gives only its own consent: setting the giving side's
// acceptance or signature needs staff of the giving municipality, the
// receiving side's staff of the receiving one. Clearing a signature is
// open to both sides, because changing the plan withdraws both.
func AllowTrajectoryUpdateIfParty() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.TrajectoryMutationRuleFunc(func(ctx context.Context, m *ent.TrajectoryMutation) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		if !onlyFields(m, trajectory.FieldStatus, trajectory.FieldActionPlan,
			trajectory.FieldGivingAcceptedAt, trajectory.FieldReceivingAcceptedAt,
			trajectory.FieldGivingSignedAt, trajectory.FieldReceivingSignedAt,
			trajectory.FieldEvaluationReport, trajectory.FieldStartedAt,
			trajectory.FieldCompletedAt, trajectory.FieldEndedAt, trajectory.FieldDeclineReason,
			trajectory.FieldPlan, trajectory.FieldPlanVersion, trajectory.FieldAgreedPlanVersion,
			trajectory.FieldAgreedPlanSha256, trajectory.FieldIndicatorResults) {
			return privacy.Denyf("the parties may not change who takes part in a trajectory")
		}
		id, _ := m.ID()
		where := []predicate.Trajectory{trajectory.ID(id), TrajectoryOfStaff(v)}
		_, givingAccepts := m.GivingAcceptedAt()
		_, givingSigns := m.GivingSignedAt()
		if givingAccepts || givingSigns {
			where = append(where, TrajectoryGivenByStaff(v))
		}
		_, receivingAccepts := m.ReceivingAcceptedAt()
		_, receivingSigns := m.ReceivingSignedAt()
		if receivingAccepts || receivingSigns {
			where = append(where, trajectory.HasReceivingWith(staffOf(v)))
		}
		return allowIf(m.Client().Trajectory.Query().Where(where...).Exist(ctx))
	}), ent.OpUpdateOne)
}

// AllowDocumentCreateIfParty allows staff of the giving or the receiving
// municipality to attach a document to their trajectory. Documents are
// never changed once stored.
func AllowDocumentCreateIfParty() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.DocumentMutationRuleFunc(func(ctx context.Context, m *ent.DocumentMutation) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		id, _ := m.TrajectoryID()
		return allowIf(m.Client().Trajectory.Query().Where(trajectory.ID(id), TrajectoryOfStaff(v)).Exist(ctx))
	}), ent.OpCreate)
}

// AllowMentorCreateIfEmployer allows staff to register mentors of their own
// municipality.
func AllowMentorCreateIfEmployer() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.MentorMutationRuleFunc(func(ctx context.Context, m *ent.MentorMutation) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		id, _ := m.MunicipalityID()
		return allowIf(m.Client().Municipality.Query().Where(municipality.ID(id), staffOf(v)).Exist(ctx))
	}), ent.OpCreate)
}

// AllowSalaryCreateIfEmployer allows staff to record the salaries of their
// own municipality's mentors: salaries are the employer's personal data.
func AllowSalaryCreateIfEmployer() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.SalaryMutationRuleFunc(func(ctx context.Context, m *ent.SalaryMutation) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		id, _ := m.MentorID()
		return allowIf(m.Client().Mentor.Query().Where(mentor.ID(id), mentor.HasMunicipalityWith(staffOf(v))).Exist(ctx))
	}), ent.OpCreate)
}

// AllowSalaryCloseIfEmployer allows staff to close a salary record of their
// own municipality's mentor (set its last day), which recording the next
// salary does, and nothing else: amounts and the first day stay as
// recorded.
func AllowSalaryCloseIfEmployer() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.SalaryMutationRuleFunc(func(ctx context.Context, m *ent.SalaryMutation) error {
		v, ok := isStaff(ctx)
		if !ok || !onlyFields(m, salary.FieldValidTo) {
			return privacy.Skip
		}
		id, err := m.OldMentorID(ctx)
		if err != nil {
			return privacy.Denyf("finding the mentor: %v", err)
		}
		return allowIf(m.Client().Mentor.Query().Where(mentor.ID(id), mentor.HasMunicipalityWith(staffOf(v))).Exist(ctx))
	}), ent.OpUpdateOne)
}

// AllowAssignmentMutationIfGiving allows staff of the giving municipality
// to assign mentors to the trajectory and change their planned hours.
func AllowAssignmentMutationIfGiving() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.AssignmentMutationRuleFunc(func(ctx context.Context, m *ent.AssignmentMutation) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		id, err := trajectoryOf(ctx, m.TrajectoryID, m.OldTrajectoryID)
		if err != nil {
			return privacy.Denyf("finding the trajectory: %v", err)
		}
		return allowIf(givenByStaff(ctx, m.Client(), v, id))
	}), ent.OpCreate|ent.OpUpdateOne)
}

// AllowTimeEntryMutationIfGiving allows staff of the giving municipality to
// record the hours its mentors spent on the trajectory.
func AllowTimeEntryMutationIfGiving() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.TimeEntryMutationRuleFunc(func(ctx context.Context, m *ent.TimeEntryMutation) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		id, err := trajectoryOf(ctx, m.TrajectoryID, m.OldTrajectoryID)
		if err != nil {
			return privacy.Denyf("finding the trajectory: %v", err)
		}
		return allowIf(givenByStaff(ctx, m.Client(), v, id))
	}), ent.OpCreate|ent.OpUpdateOne)
}

// AllowGrantCreateIfGiving allows staff of the giving municipality to
// submit the grant application of their trajectory.
func AllowGrantCreateIfGiving() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.GrantMutationRuleFunc(func(ctx context.Context, m *ent.GrantMutation) error {
		v, ok := isStaff(ctx)
		if !ok {
			return privacy.Skip
		}
		id, _ := m.TrajectoryID()
		return allowIf(givenByStaff(ctx, m.Client(), v, id))
	}), ent.OpCreate)
}

// AllowGrantWithdrawIfGiving allows staff of the giving municipality to
// change the status of their own application (withdrawing it) and nothing
// else: the amounts are the calculation's and the ministry's.
func AllowGrantWithdrawIfGiving() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.GrantMutationRuleFunc(func(ctx context.Context, m *ent.GrantMutation) error {
		v, ok := isStaff(ctx)
		if !ok || !onlyFields(m, grant.FieldStatus) {
			return privacy.Skip
		}
		id, err := m.OldTrajectoryID(ctx)
		if err != nil {
			return privacy.Denyf("finding the trajectory: %v", err)
		}
		return allowIf(givenByStaff(ctx, m.Client(), v, id))
	}), ent.OpUpdateOne)
}

// AllowOfferMutationIfOwn allows staff to register an offer for their own
// municipality and to change their own offers (withdraw them), but not to
// move an offer to another municipality.
func AllowOfferMutationIfOwn() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.OfferMutationRuleFunc(func(ctx context.Context, m *ent.OfferMutation) error {
		return allowIfOwnMunicipality(ctx, m.Client(), m.Op(), m.MunicipalityID, m.OldMunicipalityID)
	}), ent.OpCreate|ent.OpUpdateOne)
}

// AllowNeedMutationIfOwn allows staff to register a need for their own
// municipality and to change their own needs (withdraw them).
func AllowNeedMutationIfOwn() privacy.MutationRule {
	return privacy.OnMutationOperation(privacy.NeedMutationRuleFunc(func(ctx context.Context, m *ent.NeedMutation) error {
		return allowIfOwnMunicipality(ctx, m.Client(), m.Op(), m.MunicipalityID, m.OldMunicipalityID)
	}), ent.OpCreate|ent.OpUpdateOne)
}

// allowIfOwnMunicipality allows staff a create or update-one mutation of a
// row that belongs to a municipality (an offer, a need) when that
// municipality is theirs: the one a create sets, the one the row has on an
// update, which may not move the row to another.
func allowIfOwnMunicipality(ctx context.Context, c *ent.Client, op ent.Op, set func() (int, bool), old func(context.Context) (int, error)) error {
	v, ok := isStaff(ctx)
	if !ok {
		return privacy.Skip
	}
	id, isSet := set()
	if op.Is(ent.OpUpdateOne) {
		was, err := old(ctx)
		if err != nil {
			return privacy.Denyf("finding the municipality: %v", err)
		}
		if isSet && id != was {
			return privacy.Denyf("a row stays with its municipality")
		}
		id = was
	}
	return allowIf(c.Municipality.Query().Where(municipality.ID(id), staffOf(v)).Exist(ctx))
}
