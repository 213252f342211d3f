package domain

import (
	"errors"
	"testing"
	"time"
)

func TestSettledTrajectory(t *testing.T) {
	for _, c := range []struct {
		trajectory, grant string
		want              bool
	}{
		{"COMPLETED", "PAID", true},
		{"COMPLETED", "", true},
		{"COMPLETED", "SETTLED", false},
		{"COMPLETED", "APPROVED", false},
		{"CANCELLED", "WITHDRAWN", true},
		{"CANCELLED", "REJECTED", true},
		{"CANCELLED", "", true},
		{"DECLINED", "", true},
		{"RUNNING", "APPROVED", false},
		{"RUNNING", "", false},
		{"AGREED", "RESERVED", false},
		{"AGREED", "WAITLISTED", false},
		{"MATCHED", "", false},
		{"PROPOSED", "", false},
	} {
		if got := SettledTrajectory(c.trajectory, c.grant); got != c.want {
			t.Errorf("SettledTrajectory(%s, %q) = %v, want %v", c.trajectory, c.grant, got, c.want)
		}
	}
}

func TestCheckAnonymiseBefore(t *testing.T) {
	today := NewDate(2027, 3, 10)
	for _, c := range []struct {
		before time.Time
		ok     bool
	}{
		{NewDate(2027, 3, 10), true},
		{NewDate(2020, 1, 1), true},
		{NewDate(2027, 3, 11), false},
		{NewDate(2030, 1, 1), false},
	} {
		err := CheckAnonymiseBefore(c.before, today)
		var fe *FieldError
		if c.ok != (err == nil) || (err != nil && (!errors.As(err, &fe) || fe.Field != "before")) {
			t.Errorf("CheckAnonymiseBefore(%s): %v", c.before.Format("2006-01-02"), err)
		}
	}
	if AnonymisedMentorEmail(7) == AnonymisedMentorEmail(8) || !emailLike(AnonymisedMentorEmail(7)) {
		t.Errorf("anonymised addresses: %s, %s", AnonymisedMentorEmail(7), AnonymisedMentorEmail(8))
	}
}

func emailLike(s string) bool {
	at := 0
	for i, r := range s {
		if r == '@' {
			at = i
		}
	}
	return at > 0 && at < len(s)-1
}
