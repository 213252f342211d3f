package domain

import (
	"errors"
	"testing"
)

func TestCommitment(t *testing.T) {
	g := func(s GrantStatus) GrantAmounts {
		return GrantAmounts{Status: s, Requested: Euro(30_000), Awarded: Euro(25_000), Settled: Euro(20_000)}
	}
	tests := []struct {
		status GrantStatus
		want   Money
	}{
		{GrantReserved, Euro(30_000)},
		{GrantWaitlisted, 0},
		{GrantApproved, Euro(25_000)},
		{GrantRejected, 0},
		{GrantWithdrawn, 0},
		{GrantSettled, Euro(20_000)},
		{GrantPaid, Euro(20_000)},
		{"", 0},
	}
	for _, tt := range tests {
		if got := g(tt.status).Commitment(); got != tt.want {
			t.Errorf("%s commits %s, want %s", tt.status, got, tt.want)
		}
	}
}

func TestNewBudgetStatus(t *testing.T) {
	// Year 1.0: four awards of Mechelen, one application waiting, one
	// rejected.
	grants := []GrantAmounts{
		{Status: GrantApproved, Requested: Euro(21_746), Awarded: Euro(21_746)},
		{Status: GrantApproved, Requested: Euro(20_000), Awarded: Euro(19_446)},
		{Status: GrantPaid, Requested: Euro(23_965), Awarded: Euro(23_965), Settled: Euro(23_965)},
		{Status: GrantSettled, Requested: Euro(25_000), Awarded: Euro(23_965), Settled: Euro(22_000)},
		{Status: GrantReserved, Requested: Euro(50_000)},
		{Status: GrantWaitlisted, Requested: Euro(50_000)},
		{Status: GrantRejected, Requested: Euro(40_000)},
	}
	got := NewBudgetStatus(Euro(250_000), grants)
	want := BudgetStatus{Budget: Euro(250_000), Committed: Euro(137_157), Remaining: Euro(112_843)}
	if got != want {
		t.Fatalf("NewBudgetStatus = %+v, want %+v", got, want)
	}
	if got := NewBudgetStatus(Euro(250_000), nil); got.Remaining != Euro(250_000) || got.Committed != 0 {
		t.Fatalf("no grants: %+v", got)
	}
}

func TestReserve(t *testing.T) {
	tests := []struct {
		name                 string
		remaining, requested Money
		waitlisted           int
		want                 GrantStatus
	}{
		{"fits", Euro(100_000), Euro(30_000), 0, GrantReserved},
		{"fits exactly", Euro(30_000), Euro(30_000), 0, GrantReserved},
		{"one cent short", Euro(30_000) - 1, Euro(30_000), 0, GrantWaitlisted},
		{"budget exhausted", 0, Euro(1), 0, GrantWaitlisted},
		{"fits, but others are waiting", Euro(100_000), Euro(1), 1, GrantWaitlisted},
		{"does not fit and others are waiting", 0, Euro(1), 3, GrantWaitlisted},
	}
	for _, tt := range tests {
		if got := Reserve(tt.remaining, tt.requested, tt.waitlisted); got != tt.want {
			t.Errorf("%s: Reserve = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestPromote(t *testing.T) {
	tests := []struct {
		name      string
		remaining Money
		line      []Money
		want      int
	}{
		{"empty line", Euro(100_000), nil, 0},
		{"nothing remains", 0, []Money{Euro(1)}, 0},
		{"all fit", Euro(100_000), []Money{Euro(30_000), Euro(40_000), Euro(30_000)}, 3},
		{"exactly", Euro(70_000), []Money{Euro(30_000), Euro(40_000)}, 2},
		{"the second does not fit", Euro(60_000), []Money{Euro(30_000), Euro(40_000)}, 1},
		{"no skipping: the first does not fit", Euro(30_000), []Money{Euro(40_000), Euro(10_000)}, 0},
		{"no skipping: stop at the first that does not fit", Euro(35_000), []Money{Euro(20_000), Euro(40_000), Euro(10_000)}, 1},
		{"one cent short", Euro(30_000) - 1, []Money{Euro(30_000)}, 0},
	}
	for _, tt := range tests {
		if got := Promote(tt.remaining, tt.line); got != tt.want {
			t.Errorf("%s: Promote = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestValidateAward(t *testing.T) {
	tests := []struct {
		requested, awarded Money
		ok                 bool
	}{
		{Euro(30_000), Euro(30_000), true},
		{Euro(30_000), Euro(21_746), true},
		{Euro(30_000), 1, true},
		{Euro(30_000), Euro(30_000) + 1, false},
		{Euro(30_000), 0, false},
		{Euro(30_000), -1, false},
	}
	for _, tt := range tests {
		err := ValidateAward(tt.requested, tt.awarded)
		if tt.ok {
			if err != nil {
				t.Errorf("ValidateAward(%s, %s) = %v", tt.requested, tt.awarded, err)
			}
			continue
		}
		wantFieldError(t, err, "awarded", "")
	}
}

func TestSettledStatus(t *testing.T) {
	tests := []struct {
		settled, paid Money
		want          GrantStatus
	}{
		{Euro(20_000), 0, GrantSettled},
		{Euro(20_000), Euro(10_000), GrantSettled},
		{Euro(20_000), Euro(20_000), GrantPaid},
		{Euro(20_000), Euro(25_000), GrantPaid}, // advances above the settled amount
		{0, 0, GrantPaid},                       // nothing to pay
	}
	for _, tt := range tests {
		if got := SettledStatus(tt.settled, tt.paid); got != tt.want {
			t.Errorf("SettledStatus(%s, %s) = %s, want %s", tt.settled, tt.paid, got, tt.want)
		}
	}
}

func TestPay(t *testing.T) {
	awarded, settled := Euro(25_000), Euro(20_000)
	tests := []struct {
		name         string
		status       GrantStatus
		paid, amount Money
		want         GrantStatus
		err          string // "conflict", a field name, or ""
	}{
		{"advance on an approved grant", GrantApproved, 0, Euro(10_000), GrantApproved, ""},
		{"advances up to the award", GrantApproved, Euro(10_000), Euro(15_000), GrantApproved, ""},
		{"advances above the award", GrantApproved, Euro(10_000), Euro(15_000) + 1, GrantApproved, "amount"},
		{"part of the settled amount", GrantSettled, 0, Euro(5_000), GrantSettled, ""},
		{"the rest of the settled amount", GrantSettled, Euro(15_000), Euro(5_000), GrantPaid, ""},
		{"all at once", GrantSettled, 0, settled, GrantPaid, ""},
		{"above the settled amount", GrantSettled, Euro(15_000), Euro(5_000) + 1, GrantSettled, "amount"},
		{"settled below advances", GrantSettled, Euro(21_000), 1, GrantSettled, "amount"},
		{"zero", GrantSettled, 0, 0, GrantSettled, "amount"},
		{"negative", GrantApproved, 0, -1, GrantApproved, "amount"},
		{"reserved", GrantReserved, 0, 1, GrantReserved, "conflict"},
		{"waitlisted", GrantWaitlisted, 0, 1, GrantWaitlisted, "conflict"},
		{"rejected", GrantRejected, 0, 1, GrantRejected, "conflict"},
		{"withdrawn", GrantWithdrawn, 0, 1, GrantWithdrawn, "conflict"},
		{"paid", GrantPaid, settled, 1, GrantPaid, "conflict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Pay(tt.status, awarded, settled, tt.paid, tt.amount)
			switch tt.err {
			case "":
				if err != nil {
					t.Fatal(err)
				}
			case "conflict":
				if !errors.Is(err, ErrConflict) {
					t.Fatalf("error = %v, want ErrConflict", err)
				}
			default:
				wantFieldError(t, err, tt.err, "")
			}
			if got != tt.want {
				t.Fatalf("status = %s, want %s", got, tt.want)
			}
		})
	}
}
