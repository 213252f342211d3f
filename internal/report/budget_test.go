package report_test

import (
	"context"
	"testing"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/grant"
	"wisselaar/ent/viewer"
	"wisselaar/internal/db"
	"wisselaar/internal/pgtest"
	"wisselaar/internal/report"
	"wisselaar/internal/seed"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestCommittedAgreesWithTheDomain checks that the ledger sum computed in
// SQL is the domain's rule (domain.GrantAmounts.Commitment): the rule is
// written twice, once for the database and once in plain Go, and this test
// holds the two together for grants in every status, on both databases.
func TestCommittedAgreesWithTheDomain(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) (*db.DB, error){
		"postgres": func(t *testing.T) (*db.DB, error) { return db.Open(context.Background(), pgtest.NewDatabase(t), "") },
		"sqlite":   func(t *testing.T) (*db.DB, error) { return db.Open(context.Background(), "", t.TempDir()) },
	} {
		t.Run(name, func(t *testing.T) {
			d, err := open(t)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			ctx := viewer.SystemContext(context.Background())
			if err := db.Migrate(ctx, d); err != nil {
				t.Fatal(err)
			}
			if err := seed.Load(ctx, d.Client); err != nil {
				t.Fatal(err)
			}
			// Give the demo grants every status, with amounts that differ
			// per status, so that a wrong column in any branch shows.
			grants := d.Client.Grant.Query().Order(grant.ByID()).AllX(ctx)
			statuses := []grant.Status{grant.StatusRESERVED, grant.StatusWAITLISTED, grant.StatusAPPROVED,
				grant.StatusREJECTED, grant.StatusWITHDRAWN, grant.StatusSETTLED, grant.StatusPAID}
			for i, g := range grants {
				st := statuses[i%len(statuses)]
				u := g.Update().SetStatus(st)
				switch st {
				case grant.StatusRESERVED, grant.StatusWAITLISTED, grant.StatusREJECTED, grant.StatusWITHDRAWN:
					u.ClearAwarded().ClearSettled().SetPaid(0)
				case grant.StatusAPPROVED:
					u.SetAwarded(*g.Awarded - 100).ClearSettled().SetPaid(0)
				case grant.StatusSETTLED:
					u.SetSettled(*g.Awarded - 200).SetPaid(0)
				}
				u.ExecX(ctx)
			}
			for _, c := range d.Client.Call.Query().AllX(ctx) {
				var amounts []domain.GrantAmounts
				for _, g := range c.QueryGrants().AllX(ctx) {
					amounts = append(amounts, amountsOf(g))
				}
				want := domain.NewBudgetStatus(c.Budget, amounts).Committed
				got, err := report.Committed(ctx, d.Client, c.ID)
				if err != nil || got != want {
					t.Errorf("%s: SQL committed %s (err %v), domain %s", c.Name, got, err, want)
				}
			}
		})
	}
}

func amountsOf(g *ent.Grant) domain.GrantAmounts {
	a := domain.GrantAmounts{Status: domain.GrantStatus(g.Status), Requested: g.Requested}
	if g.Awarded != nil {
		a.Awarded = *g.Awarded
	}
	if g.Settled != nil {
		a.Settled = *g.Settled
	}
	return a
}
