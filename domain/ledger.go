package domain

import "fmt"

// GrantAmounts is what the ledger needs to know of one grant.
type GrantAmounts struct {
	Status    GrantStatus
	Requested Money
	Awarded   Money
	Settled   Money
}

// Commitment returns the part of its call's budget the grant holds: the
// requested amount while RESERVED, the awarded amount once APPROVED, the
// settled amount once SETTLED or PAID, and nothing while WAITLISTED or after
// REJECTED or WITHDRAWN. In SQL:
//
//	CASE status WHEN 'RESERVED' THEN requested WHEN 'APPROVED' THEN awarded
//	            WHEN 'SETTLED' THEN settled WHEN 'PAID' THEN settled ELSE 0 END
func (g GrantAmounts) Commitment() Money {
	switch g.Status {
	case GrantReserved:
		return g.Requested
	case GrantApproved:
		return g.Awarded
	case GrantSettled, GrantPaid:
		return g.Settled
	default:
		return 0
	}
}

// BudgetStatus is the state of a call's budget (the API's budgetStatus).
type BudgetStatus struct {
	Budget    Money
	Committed Money
	Remaining Money
}

// NewBudgetStatus sums the commitments of a call's grants: remaining =
// budget − committed.
func NewBudgetStatus(budget Money, grants []GrantAmounts) BudgetStatus {
	var committed Money
	for _, g := range grants {
		committed += g.Commitment()
	}
	return BudgetStatus{Budget: budget, Committed: committed, Remaining: budget - committed}
}

// Reserve decides the status of an application submitted for requested
// while the call has remaining budget and waitlisted applications already
// waiting: RESERVED when the remaining budget covers it and nobody is
// waiting, WAITLISTED otherwise.
//
// An application that fits never overtakes one that is already waiting:
// the call is first come, first served, and the waiting line is promoted
// strictly in order (see Promote), so a newcomer joins the back of it. The
// caller must read remaining and the line in the same transaction that
// writes the new grant (with the call row locked), so that two applications
// submitted at the same time never together take more than the remaining
// budget.
func Reserve(remaining, requested Money, waitlisted int) GrantStatus {
	if waitlisted == 0 && requested <= remaining {
		return GrantReserved
	}
	return GrantWaitlisted
}

// Promote returns how many applications at the front of the waiting line to
// promote to RESERVED, given the remaining budget and the requested amounts
// of the waitlisted applications in submission order: the first in line is
// promoted while the remaining budget covers it, and promotion stops at the
// first that does not fit. Strict FIFO, no skipping: a small application
// behind a large one waits, because letting it pass would break first come,
// first served and could keep the large one waiting for ever. Call it after
// every return of money (reject, withdraw, approval below the requested
// amount, settlement below the awarded amount).
func Promote(remaining Money, waitlist []Money) int {
	n := 0
	for _, requested := range waitlist {
		if requested > remaining {
			break
		}
		remaining -= requested
		n++
	}
	return n
}

// ValidateAward checks the amount the ministry awards when it approves an
// application: more than 0 (a decision of nothing is a rejection) and not
// more than requested, which is what the budget reserved. The *FieldError
// names the decideGrant input field.
func ValidateAward(requested, awarded Money) error {
	switch {
	case awarded <= 0:
		return fieldError("awarded", "the awarded amount must be more than 0; reject the application instead")
	case awarded > requested:
		return fieldError("awarded", "the awarded amount may not exceed the requested "+requested.String())
	}
	return nil
}

// SettledStatus returns the status of a grant just settled for settled when
// paid has already been paid on it: PAID when the payments reach the settled
// amount (nothing to settle, or advances that cover it), SETTLED otherwise.
// When advances exceed the settled amount the grant is PAID and the excess
// is to be recovered, which the portal does not model.
func SettledStatus(settled, paid Money) GrantStatus {
	if paid >= settled {
		return GrantPaid
	}
	return GrantSettled
}

// Pay checks a payment of amount on a grant in status with the given
// awarded, settled and already paid amounts, and returns the grant's status
// after it. Payments may be made on an APPROVED grant (advances, at most the
// awarded amount in total; the status stays APPROVED) and on a SETTLED grant
// (at most the settled amount in total; the grant becomes PAID when the
// payments reach it). Any other status is an ErrConflict TransitionError; an
// amount that is not positive or too large is a *FieldError on "amount".
func Pay(status GrantStatus, awarded, settled, paid, amount Money) (GrantStatus, error) {
	var limit Money
	switch status {
	case GrantApproved:
		limit = awarded
	case GrantSettled:
		limit = settled
	default:
		return status, &TransitionError{Action: ActionPay, From: string(status), Side: Ministry, Err: ErrConflict}
	}
	if amount <= 0 {
		return status, fieldError("amount", "the payment must be more than 0")
	}
	if amount > limit-paid {
		return status, fieldError("amount", fmt.Sprintf("the payment of %s exceeds the %s that may still be paid", amount, max(limit-paid, 0)))
	}
	if status == GrantSettled && paid+amount == settled {
		return GrantPaid, nil
	}
	return status, nil
}
