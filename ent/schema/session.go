package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Session holds the schema definition for a signed-in browser session. The
// browser holds only an opaque random token in an HttpOnly cookie; the
// server keeps the hash of that token and who signed in, so that several
// replicas behind a load balancer share sessions. Sessions are never exposed
// through GraphQL.
type Session struct{ ent.Schema }

// Mixin of the Session.
func (Session) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Session.
func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").
			Unique().
			Immutable().
			Sensitive().
			Comment("SHA-256 of the session token, hex-encoded; the token itself is never stored."),
		field.String("subject").
			Immutable().
			Comment("The identity provider's subject of the person."),
		field.String("name").Default(""),
		field.String("email").Default(""),
		field.Strings("roles").
			Optional().
			Comment("The person's rights as role values, mapped at sign-in."),
		field.Text("id_token").
			Optional().
			Sensitive().
			Comment("The ID token, kept as id_token_hint for the provider's end-session endpoint."),
		field.Time("last_seen_at").
			Comment("The last request made with the session; idle expiry counts from here."),
		field.Time("expires_at").
			Immutable().
			Comment("The absolute expiry of the session."),
	}
}

// Indexes of the Session.
func (Session) Indexes() []ent.Index {
	return []ent.Index{index.Fields("expires_at")}
}

// Annotations of the Session.
func (Session) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
