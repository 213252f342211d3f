// Package labels holds the Dutch and English words for the values of the
// API's enums (statuses, forms, provinces, kinds), so that clients show
// them without a translation table of their own. The GraphQL fields
// …Label(lang:) read them here; a test checks that every value of every
// labelled enum has both.
package labels

// Language is a language labels are given in.
type Language string

// The languages.
const (
	NL Language = "NL"
	EN Language = "EN"
)

// text is a label in both languages.
type text struct{ nl, en string }

// form is shared by the two GraphQL enums of the forms.
var form = map[string]text{
	"MENTORING":  {"Mentoring", "Mentoring"},
	"INTERNSHIP": {"Stage", "Internship"},
}

// enums are the labels by GraphQL enum name and value.
var enums = map[string]map[string]text{
	"GrantStatus": {
		"RESERVED":   {"Gereserveerd", "Reserved"},
		"WAITLISTED": {"Op de wachtlijst", "Waitlisted"},
		"APPROVED":   {"Goedgekeurd", "Approved"},
		"REJECTED":   {"Afgewezen", "Rejected"},
		"WITHDRAWN":  {"Ingetrokken", "Withdrawn"},
		"SETTLED":    {"Afgerekend", "Settled"},
		"PAID":       {"Uitbetaald", "Paid"},
	},
	"TrajectoryStatus": {
		"PROPOSED":  {"Voorgesteld", "Proposed"},
		"MATCHED":   {"Gekoppeld", "Matched"},
		"AGREED":    {"Overeengekomen", "Agreed"},
		"RUNNING":   {"Lopend", "Running"},
		"COMPLETED": {"Afgerond", "Completed"},
		"DECLINED":  {"Geweigerd", "Declined"},
		"CANCELLED": {"Geannuleerd", "Cancelled"},
	},
	"MatchingStatus": {
		"OPEN":      {"Open", "Open"},
		"MATCHED":   {"Gekoppeld", "Matched"},
		"WITHDRAWN": {"Ingetrokken", "Withdrawn"},
		"EXPIRED":   {"Verlopen", "Expired"},
	},
	"TrajectoryForm":           form,
	"TrajectoryTrajectoryForm": form,
	"MunicipalityProvince": {
		"ANTWERPEN":       {"Antwerpen", "Antwerp"},
		"LIMBURG":         {"Limburg", "Limburg"},
		"OOST_VLAANDEREN": {"Oost-Vlaanderen", "East Flanders"},
		"VLAAMS_BRABANT":  {"Vlaams-Brabant", "Flemish Brabant"},
		"WEST_VLAANDEREN": {"West-Vlaanderen", "West Flanders"},
	},
	"CallAgreementEvidence": {
		"PORTAL_SIGNATURES": {"Ondertekend in het portaal", "Signed in the portal"},
		"SIGNED_DOCUMENT":   {"Ondertekend document", "Signed document"},
	},
	"DocumentKind": {
		"AGREEMENT_SIGNED": {"Ondertekende overeenkomst", "Signed agreement"},
		"ACTION_PLAN":      {"Actieplan", "Action plan"},
		"EVALUATION":       {"Evaluatie", "Evaluation"},
		"OTHER":            {"Ander document", "Other document"},
	},
}

// Of returns the label of value of the GraphQL enum in lang (Dutch for
// any language but English). A value without a label gives the value
// itself, so that a new value shows as its code rather than as nothing
// (a test keeps that from happening).
func Of[T ~string](enum string, value T, lang Language) string {
	t, ok := enums[enum][string(value)]
	if !ok {
		return string(value)
	}
	if lang == EN {
		return t.en
	}
	return t.nl
}

// Enums returns the labelled enums with their values, for tests.
func Enums() map[string][]string {
	out := map[string][]string{}
	for name, values := range enums {
		for v := range values {
			out[name] = append(out[name], v)
		}
	}
	return out
}
