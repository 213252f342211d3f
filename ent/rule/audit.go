package rule

import (
	"context"

	"wisselaar/ent"
	"wisselaar/ent/predicate"
	"wisselaar/ent/privacy"
	"wisselaar/ent/viewer"
)

// ReadableAuditEvents: the audit trail is the ministry's (DOMAIN.md: the
// ministry reads the audit log); the system writes it.
func ReadableAuditEvents(v *viewer.Viewer) Scope[predicate.AuditEvent] {
	if readsAll(v) {
		return everything[predicate.AuditEvent]()
	}
	return Scope[predicate.AuditEvent]{}
}

// FilterAuditEvents narrows audit events to ReadableAuditEvents.
func FilterAuditEvents() privacy.QueryRule {
	return privacy.AuditEventQueryRuleFunc(func(ctx context.Context, q *ent.AuditEventQuery) error {
		return narrow(q.Where, ReadableAuditEvents(viewer.FromContext(ctx)))
	})
}

// MayReadAuditTrail reports whether the viewer reads the audit trail.
func MayReadAuditTrail(v *viewer.Viewer) bool { return ReadableAuditEvents(v).All() }

// DenyAuditEventChange denies every update and delete of an audit event,
// the system's included: the trail is append-only.
func DenyAuditEventChange() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(_ context.Context, m ent.Mutation) error {
		if !m.Op().Is(ent.OpCreate) {
			return privacy.Denyf("the audit trail is append-only")
		}
		return privacy.Skip
	})
}

// AllowAuditEventCreateIfSystem allows the system, and no one else, to
// append to the audit trail: the audit hook writes as the system.
func AllowAuditEventCreateIfSystem() privacy.MutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx).IsSystem() {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

func (readScopes) AuditEvent(ctx context.Context) predicate.AuditEvent {
	return predicateOf(ReadableAuditEvents(viewer.FromContext(ctx)))
}
