package report

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/grant"
	"wisselaar/ent/viewer"
)

// Committed returns what a call's grants commit of its budget: requested of
// reserved, awarded of approved, settled of settled and paid grants
// (DOMAIN.md, "The budget ledger"). It sums in the database; the same rule
// in Go is domain.GrantAmounts.Commitment, and a test holds the two together.
//
// It reads as the system: a call's budget status is public (the amounts per
// trajectory are published), even to viewers who may not see the grants
// one by one.
func Committed(ctx context.Context, client *ent.Client, callID int) (domain.Money, error) {
	var rows []struct{ Committed int64 }
	err := client.Grant.Query().
		Where(grant.CallID(callID)).
		Modify(func(s *sql.Selector) {
			s.Select(sql.As("COALESCE(SUM(CASE "+s.C(grant.FieldStatus)+
				" WHEN 'RESERVED' THEN "+s.C(grant.FieldRequested)+
				" WHEN 'APPROVED' THEN "+s.C(grant.FieldAwarded)+
				" WHEN 'SETTLED' THEN "+s.C(grant.FieldSettled)+
				" WHEN 'PAID' THEN "+s.C(grant.FieldSettled)+
				" ELSE 0 END), 0)", "committed"))
		}).
		Scan(viewer.SystemContext(ctx), &rows)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	return domain.Money(rows[0].Committed), nil
}
