package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"wisselaar/domain"
)

// AuditEvent holds the schema definition for one entry of the audit trail:
// a change that a mutation (or a job, or a command) made to one entity, or
// a read of a mentor's salary. Entries are written by the hook of package
// audit in the same transaction as the change, and never change again: the
// policy allows no update or delete, and in PostgreSQL a trigger refuses
// them as well (internal/db).
type AuditEvent struct{ ent.Schema }

// Fields of the AuditEvent.
func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Time("occurred_at").
			Immutable().
			Default(time.Now).
			Annotations(entgql.OrderField("OCCURRED_AT")).
			Comment("When it happened."),
		field.String("actor_subject").
			Immutable().
			Comment(`Who did it: the identity provider's subject of the person or client, or "system" for the server's own jobs and commands.`),
		field.Strings("actor_roles").
			Immutable().
			Comment("The actor's rights at that moment, as role values (ministry, coordinator, municipality:<NIS code>, ...)."),
		field.String("on_behalf_of").
			Immutable().
			Optional().
			Nillable().
			Comment("The NIS code of the municipality the actor acted for, when the actor is staff of a municipality (several, separated by commas, for staff of more than one); null for the ministry, the coordinator, other roles and the system."),
		field.String("action").
			Immutable().
			Comment("What was done: the name of the GraphQL mutation (such as decideGrant), READ_SALARY for a read of salary data, ANONYMISE, EXPIRE or SYSTEM for the server's own work."),
		field.String("entity_type").
			Immutable().
			Comment("The type of the entity changed or read, as in the GraphQL schema (Grant, Salary, Mentor, ...)."),
		field.Int("entity_id").
			Immutable().
			Annotations(entgql.Type("ID")).
			Comment("The global ID of the entity changed or read (for READ_SALARY: the mentor)."),
		field.JSON("changes", []domain.FieldChange{}).
			Immutable().
			Optional().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The fields changed, with their values before and after."),
		field.String("request_id").
			Immutable().
			Default("").
			Comment("The ID of the HTTP request (X-Request-ID) that made the change; empty for jobs and commands."),
	}
}

// Indexes of the AuditEvent: the filters of auditEvents.
func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("occurred_at"),
		index.Fields("entity_type", "entity_id"),
		index.Fields("actor_subject"),
	}
}

// Annotations of the AuditEvent.
func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		// The root field auditEvents is written by hand (schema.graphql),
		// with the filters the ministry needs and newest first.
		entgql.Skip(entgql.SkipWhereInput),
	}
}
