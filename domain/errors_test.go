package domain

import (
	"errors"
	"fmt"
	"testing"
)

func TestFieldError(t *testing.T) {
	err := fmt.Errorf("recordTimeEntries: %w", fieldError("hours", "too many"))
	if got, want := err.Error(), "recordTimeEntries: hours: too many"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "hours" || fe.Message != "too many" {
		t.Errorf("errors.As = %+v", fe)
	}
}
