package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Document holds the schema definition for a file attached to a
// trajectory: the signed agreement, the action plan, the evaluation, or
// another document. The bytes live in the document store (package
// internal/dossier); the row keeps what is known about them.
type Document struct{ ent.Schema }

// Mixin of the Document.
func (Document) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, BasePolicyMixin{}} }

// Fields of the Document.
func (Document) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("kind").
			Values("AGREEMENT_SIGNED", "ACTION_PLAN", "EVALUATION", "OTHER").
			Comment("What the document is: AGREEMENT_SIGNED (the agreement signed by both municipalities), ACTION_PLAN, EVALUATION, or OTHER."),
		field.String("filename").
			NotEmpty().
			MaxLen(255).
			Comment("The file name the document was uploaded with."),
		field.String("content_type").
			NotEmpty().
			Comment("The media type the server detected in the file's content (not the one the uploader claimed)."),
		field.Int64("size").
			NonNegative().
			Comment("The file's size in bytes."),
		field.String("sha256").
			NotEmpty().
			Comment("The lower-case hex SHA-256 of the file's bytes."),
		field.String("storage_key").
			NotEmpty().
			Immutable().
			Sensitive().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Where the bytes are in the document store: a random key, so that knowing one file's place says nothing of another's."),
		field.String("uploaded_by").
			Default("").
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The subject of the viewer who uploaded the document."),
		field.Int("trajectory_id").
			Immutable().
			Annotations(entgql.Skip(entgql.SkipType)).
			Comment("The trajectory the document belongs to."),
	}
}

// Edges of the Document.
func (Document) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("trajectory", Trajectory.Type).
			Ref("documents").
			Field("trajectory_id").
			Unique().
			Required().
			Immutable().
			Comment("The trajectory the document belongs to."),
	}
}

// Indexes of the Document.
func (Document) Indexes() []ent.Index {
	return []ent.Index{index.Fields("trajectory_id", "kind")}
}

// Annotations of the Document.
func (Document) Annotations() []schema.Annotation {
	return []schema.Annotation{
		// No where-input and no root field: documents are read through their
		// trajectory, whose readers they share.
		entgql.Skip(entgql.SkipWhereInput),
	}
}
