// Package jobs runs the work that no request does: sweeps on a schedule.
package jobs

import (
	"context"
	"log/slog"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/audit"
	"wisselaar/ent/viewer"
	"wisselaar/internal/process"
)

// RunExpiry stores EXPIRED on the open offers and needs whose period has
// ended (process.ExpireOffersAndNeeds): once at once, then a minute after
// every midnight in Brussels, when periods end, until ctx is done. Reads
// show the right status in between anyway (domain.EffectiveStatus); the
// sweep keeps filters on the stored status exact. Every replica may run
// it: the update is idempotent.
func RunExpiry(ctx context.Context, client *ent.Client, logger *slog.Logger) {
	for {
		now := time.Now()
		// Recorded in the audit trail as the system's nightly expiry.
		jobCtx := audit.WithAction(viewer.SystemContext(ctx), domain.ActionExpire, "")
		n, err := expire(jobCtx, client, now)
		switch {
		case err != nil && ctx.Err() == nil:
			logger.Warn("expiring offers and needs", "err", err)
		case n > 0:
			logger.Info("offers and needs expired", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(nextSweep(now).Sub(now)):
		}
	}
}

// nextSweep is a minute after the next midnight in Brussels after now.
func nextSweep(now time.Time) time.Time {
	b := now.In(domain.Brussels())
	return time.Date(b.Year(), b.Month(), b.Day()+1, 0, 1, 0, 0, domain.Brussels())
}

// expire runs one sweep in one transaction, so that the changes and their
// audit events are written together.
func expire(ctx context.Context, client *ent.Client, now time.Time) (int, error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return 0, err
	}
	n, err := process.ExpireOffersAndNeeds(ctx, tx.Client(), domain.BrusselsDate(now))
	if err != nil {
		tx.Rollback()
		return 0, err
	}
	return n, tx.Commit()
}
