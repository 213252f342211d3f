package metrics

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/call"
	"wisselaar/ent/grant"
	"wisselaar/ent/viewer"
)

// ledger reports the budget ledger of every open call at each scrape,
// computed by the domain's rules (domain.NewBudgetStatus) from the call's
// grants. Amounts are euro cents: whole numbers, exact in a float64 far
// beyond any budget.
type ledger struct {
	client *ent.Client
	logger *slog.Logger
	now    func() time.Time
	desc   *prometheus.Desc
}

// Ledger returns the collector of the open calls' ledgers: one gauge per
// call and kind (budget, reserved, awarded, paid, committed, remaining).
func Ledger(client *ent.Client, logger *slog.Logger) prometheus.Collector {
	return &ledger{client: client, logger: logger, now: time.Now, desc: prometheus.NewDesc(
		"wisselaar_call_ledger_cents",
		"The budget ledger of each open call in euro cents: budget; reserved (requested by RESERVED grants); "+
			"awarded (by APPROVED, SETTLED and PAID grants); paid (payments made); committed (what the budget "+
			"holds for the grants, as budgetStatus); remaining (budget − committed).",
		[]string{"call", "name", "kind"}, nil)}
}

func (l *ledger) Describe(ch chan<- *prometheus.Desc) { ch <- l.desc }

func (l *ledger) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	// As the system: the ledger is public (budgetStatus), and the metrics
	// show sums only, never a grant.
	ctx = viewer.SystemContext(ctx)
	now := l.now()
	// A call is open from OpensAt through its closing date in Brussels
	// (domain.Window); calls that closed more than two days ago cannot be.
	calls, err := l.client.Call.Query().
		Where(call.OpensAtLTE(now), call.ClosesAtGT(now.Add(-48*time.Hour))).
		Order(call.ByID()).All(ctx)
	if err != nil {
		l.logger.Warn("metrics: reading open calls", "err", err)
		return
	}
	for _, c := range calls {
		if !(domain.Window{OpensAt: c.OpensAt, ClosesAt: c.ClosesAt}).Contains(now) {
			continue
		}
		grants, err := l.client.Grant.Query().Where(grant.CallID(c.ID)).
			Select(grant.FieldStatus, grant.FieldRequested, grant.FieldAwarded, grant.FieldSettled, grant.FieldPaid).
			All(ctx)
		if err != nil {
			l.logger.Warn("metrics: reading a call's grants", "call", c.ID, "err", err)
			return
		}
		amounts := make([]domain.GrantAmounts, len(grants))
		var reserved, awarded, paid domain.Money
		for i, g := range grants {
			status := domain.GrantStatus(g.Status)
			amounts[i] = domain.GrantAmounts{Status: status, Requested: g.Requested, Awarded: deref(g.Awarded), Settled: deref(g.Settled)}
			switch status {
			case domain.GrantReserved:
				reserved += g.Requested
			case domain.GrantApproved, domain.GrantSettled, domain.GrantPaid:
				awarded += deref(g.Awarded)
			}
			paid += g.Paid
		}
		status := domain.NewBudgetStatus(c.Budget, amounts)
		id := strconv.Itoa(c.ID)
		for kind, v := range map[string]domain.Money{
			"budget": status.Budget, "reserved": reserved, "awarded": awarded, "paid": paid,
			"committed": status.Committed, "remaining": status.Remaining,
		} {
			ch <- prometheus.MustNewConstMetric(l.desc, prometheus.GaugeValue, float64(v), id, c.Name, kind)
		}
	}
}

func deref(m *domain.Money) domain.Money {
	if m == nil {
		return 0
	}
	return *m
}
