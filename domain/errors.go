package domain

// FieldError reports invalid input. Field is the name of the API input field
// at fault, exactly as the GraphQL input spells it ("plannedEnd", "hours",
// "monthlyCost"), so the API can answer BAD_USER_INPUT with
// extensions.field = Field. Message is a sentence for the person who typed
// the value; it never contains internals.
type FieldError struct {
	Field   string
	Message string
}

// Error returns "field: message".
func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

func fieldError(field, message string) *FieldError {
	return &FieldError{Field: field, Message: message}
}
