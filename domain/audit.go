package domain

// FieldChange is one field of an entity as a change left it: its value
// before and after, rendered as text (amounts in euro with two decimals,
// times in RFC 3339, structured values as JSON). Before is nil for a
// created entity, After for a deleted one; either is nil for a field that
// had no value.
type FieldChange struct {
	Field  string  `json:"field"`
	Before *string `json:"before,omitempty"`
	After  *string `json:"after,omitempty"`
}

// The actions of the audit trail that are not the name of a GraphQL
// mutation.
const (
	// ActionReadSalary is a read of a mentor's salary cost: a salary's
	// amount or a calculation line that shows it.
	ActionReadSalary = "READ_SALARY"
	// ActionAnonymise is the anonymisation of a mentor of a settled
	// trajectory (the anonymise command).
	ActionAnonymise = "ANONYMISE"
	// ActionExpire is the nightly expiry of offers and needs.
	ActionExpire = "EXPIRE"
	// ActionSystem is a change the system made outside any of the above.
	ActionSystem = "SYSTEM"
)

// SystemActor is the actor of changes made by the server itself (jobs,
// commands) rather than by a signed-in person or client.
const SystemActor = "system"

// salaryFields are the fields of the audited entities that hold salary
// costs, or values computed line by line from them.
var salaryFields = map[string]map[string]bool{
	"Salary": {"monthly_cost": true, "weekly_hours": true},
	"Grant":  {"calculation": true, "settlement_calculation": true},
}

// SalaryField reports whether the field of an entity type holds salary
// data: its values in the audit trail are for those who may read salaries.
func SalaryField(entityType, field string) bool { return salaryFields[entityType][field] }
