// Package schemadoc holds the GraphQL descriptions of what entgql generates
// from ent/schema but cannot describe from it: the entity types, the values
// of their enums and the edges without a Comment. ent/entc.go puts them into
// graph/ent.graphql (and describes the purely mechanical parts, where-input
// predicates, order fields and connection arguments, by rule).
// TestEverythingInTheSchemaIsDescribed fails on anything left out.
//
// It imports nothing, so that code generation can use it even while the
// generated code does not compile.
package schemadoc

// Types describes the entity types and their enums, by GraphQL name.
var Types = map[string]string{
	"Assignment":               "A mentor planned on a trajectory, with her planned hours a week (for those who may read planned hours).",
	"Call":                     "A yearly call for projects (projectoproep): its budget, cap per project, compensation rate and application window.",
	"Grant":                    "The application for, and the decision on, the compensation of one trajectory, paid to the giving municipality.",
	"Mentor":                   "A staff member of a giving municipality who spends time on trajectories; her salaries are personal data.",
	"Municipality":             "A local government (lokaal bestuur), identified by its NIS code; giving or receiving only in a trajectory.",
	"Need":                     "What a municipality needs help with: themes, topics and the period it would like a trajectory in.",
	"Offer":                    "What a municipality can lend: themes, topics, forms, mentor hours a week and the period it is available.",
	"Payment":                  "A payment of a grant by the ministry.",
	"Webhook":                  "An endpoint of a partner tool or the ministry that hears about changes of trajectories and grants (registerWebhook). Only the client that registered it reads it.",
	"WebhookDelivery":          "One event for a webhook, with the outcome of its delivery: the delivery log.",
	"AuditEvent":               "One entry of the audit trail: a change of one entity (by a mutation, a job or a command), or a read of a mentor's salary data. For the ministry; never changed or removed.",
	"Salary":                   "A mentor's monthly salary cost (gross plus employer contributions) over a period: personal data.",
	"Document":                 "A file attached to a trajectory (the signed agreement, the action plan, the evaluation, or another), readable by the two municipalities, the coordinator and the ministry.",
	"DocumentKind":             "What a document is.",
	"CallAgreementEvidence":    "What a call accepts as proof that both municipalities agreed on the action plan.",
	"Theme":                    "An area of poverty policy that expertise is exchanged on.",
	"TimeEntry":                "The hours a mentor actually spent on a trajectory in a month.",
	"Trajectory":               "One exchange between a giving and a receiving municipality in a call: its parties, themes, plan, mentors and grant.",
	"GrantStatus":              "Where a grant application stands, in the order of the process.",
	"MatchingStatus":           "Where an offer or a need stands.",
	"MunicipalityProvince":     "The Flemish provinces.",
	"TrajectoryForm":           "The form of an exchange.",
	"TrajectoryTrajectoryForm": "The form of a trajectory (the same values as TrajectoryForm).",
	"TrajectoryStatus":         "Where a trajectory stands, in the order of the process.",
	"Query": "What can be read. Anonymous callers may read municipalities, themes, calls and the expertise map; " +
		"every other field answers UNAUTHENTICATED to them. Lists hold only what the viewer may read.",
}

var forms = map[string]string{
	"MENTORING":  "A mentor of the giving municipality works (part-time) at the receiving municipality.",
	"INTERNSHIP": "A staff member of the receiving municipality works for a while at the giving municipality, coached by its mentors.",
}

// EnumValues describes the values of the entity enums.
var EnumValues = map[string]map[string]string{
	"GrantStatus": {
		"RESERVED":   "Submitted, with the requested amount reserved against the call's budget.",
		"WAITLISTED": "Submitted and waiting in line for budget, in submission order.",
		"APPROVED":   "The ministry awarded an amount (at most the requested amount).",
		"REJECTED":   "The ministry rejected the application, with a reason.",
		"WITHDRAWN":  "The giving side withdrew the application.",
		"SETTLED":    "Recomputed on the hours actually spent, never above the award.",
		"PAID":       "Payments reached the settled amount.",
	},
	"CallAgreementEvidence": {
		"PORTAL_SIGNATURES": "Both municipalities sign the action plan in the portal.",
		"SIGNED_DOCUMENT":   "The giving municipality uploads the agreement signed by both (an AGREEMENT_SIGNED document).",
	},
	"DocumentKind": {
		"AGREEMENT_SIGNED": "The agreement, signed by both municipalities.",
		"ACTION_PLAN":      "The action plan as a document.",
		"EVALUATION":       "The evaluation of the trajectory.",
		"OTHER":            "Any other document of the trajectory.",
	},
	"MatchingStatus": {
		"OPEN":      "Open for matching.",
		"MATCHED":   "Promised in accepted matches (an offer: all its hours; a need: a match accepted by both sides).",
		"WITHDRAWN": "Withdrawn by its municipality.",
		"EXPIRED":   "Its period ended (from the day after it, Brussels time).",
	},
	"MunicipalityProvince": {
		"ANTWERPEN":       "Antwerp.",
		"LIMBURG":         "Limburg.",
		"OOST_VLAANDEREN": "East Flanders.",
		"VLAAMS_BRABANT":  "Flemish Brabant.",
		"WEST_VLAANDEREN": "West Flanders.",
	},
	"TrajectoryForm":           forms,
	"TrajectoryTrajectoryForm": forms,
	"TrajectoryStatus": {
		"PROPOSED":  "The coordinator proposed a match; both sides must accept it.",
		"MATCHED":   "Both sides accepted (or the coordinator created it matched); the action plan and agreement are drawn up.",
		"AGREED":    "Both sides signed the agreement; the giving side can apply for the grant.",
		"RUNNING":   "The exchange is under way.",
		"COMPLETED": "The evaluation report is in.",
		"DECLINED":  "A side declined the match (with a reason).",
		"CANCELLED": "The coordinator ended the trajectory before it ran.",
	},
}

// Fields describes fields of the entity types that have no Comment in
// ent/schema, as "Type.field".
var Fields = map[string]string{
	"Assignment.mentor":                  "The mentor planned.",
	"Assignment.trajectory":              "The trajectory she is planned on.",
	"Call.grants":                        "The grant applications to the call that the viewer may read.",
	"Call.trajectories":                  "The trajectories of the call that the viewer may read.",
	"Mentor.assignments":                 "The trajectories she is planned on, with her planned hours (for those who may read them).",
	"Municipality.givingTrajectories":    "The trajectories in which the municipality lends a mentor, that the viewer may read.",
	"Municipality.receivingTrajectories": "The trajectories in which the municipality is helped, that the viewer may read.",
	"Municipality.mentors":               "The municipality's mentors that the viewer may read.",
	"Municipality.needs":                 "The municipality's needs that the viewer may read.",
	"Municipality.offers":                "The municipality's offers that the viewer may read.",
	"Theme.trajectories":                 "The trajectories on the theme that the viewer may read.",
	"Query.calls":                        "The yearly calls (public).",
	"Query.grants":                       "The grant applications the viewer may read.",
	"Query.mentors":                      "The mentors the viewer may read.",
	"Query.municipalities":               "The municipalities (public).",
	"Query.themes":                       "The themes (public).",
	"Trajectory.assignments":             "The mentors planned, with their planned hours (for those who may read them).",
}
