package jobs

import (
	"context"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/riverqueue/river"

	"wisselaar/ent"
	"wisselaar/ent/viewer"
	"wisselaar/ent/webhook"
	"wisselaar/ent/webhookdelivery"
	webhooks "wisselaar/internal/webhook"
)

type httpDoer = *http.Client

// deliverArgs is the job that sends a webhook's waiting events, oldest
// first.
type deliverArgs struct {
	WebhookID int `json:"webhook_id"`
}

// Kind names the job in River's table.
func (deliverArgs) Kind() string { return "webhook_deliver" }

// InsertOpts puts deliveries in their own queue.
func (deliverArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: queueWebhooks} }

// deliverWorker sends the events of one webhook in order. A delivery that
// fails fails the job, which River retries with exponential backoff
// (NextRetry); later events wait behind it, so that the endpoint gets them
// in the order they happened.
type deliverWorker struct {
	river.WorkerDefaults[deliverArgs]
	q *Queue
}

// NextRetry doubles the wait after every failed attempt.
func (w *deliverWorker) NextRetry(job *river.Job[deliverArgs]) time.Time {
	return time.Now().Add(backoff(w.q.cfg.RetryBase, w.q.cfg.RetryMax, job.Attempt))
}

// Work sends the webhook's waiting events until none is left or one fails.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[deliverArgs]) error {
	for {
		done, err := w.q.deliverNext(ctx, job.Args.WebhookID)
		if err != nil || done {
			return err
		}
	}
}

// deliverNext sends the oldest waiting event of a webhook and logs the
// attempt on its delivery row. It holds the webhook's row lock while it
// sends, so that two jobs of one webhook (one queued while another ran)
// never send out of order; the lock waits at most lock_timeout, after
// which the job is simply retried.
func (q *Queue) deliverNext(ctx context.Context, webhookID int) (done bool, err error) {
	// The delivery job acts for no viewer: it sends what the outbox holds.
	sys := viewer.SystemContext(ctx)
	tx, err := q.client.Tx(sys)
	if err != nil {
		return false, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	h, err := tx.Webhook.Query().Where(webhook.ID(webhookID)).Modify(forUpdate).Only(sys)
	if ent.IsNotFound(err) {
		return true, tx.Commit() // deleted: its deliveries went with it
	}
	if err != nil {
		return false, err
	}
	d, err := tx.WebhookDelivery.Query().
		Where(webhookdelivery.WebhookID(webhookID), webhookdelivery.DeliveredAtIsNil()).
		Order(ent.Asc(webhookdelivery.FieldID)).First(sys)
	if ent.IsNotFound(err) {
		return true, tx.Commit()
	}
	if err != nil {
		return false, err
	}
	now := time.Now()
	status, sendErr := webhooks.Send(ctx, q.http, h.URL, h.Secret, webhooks.Message{ID: d.EventID, Timestamp: now, Body: []byte(d.Payload)})
	u := tx.WebhookDelivery.UpdateOne(d).AddAttempts(1).SetAttemptedAt(now)
	if status > 0 {
		u.SetStatusCode(status)
	} else {
		u.ClearStatusCode()
	}
	if sendErr != nil {
		u.SetError(truncate(sendErr.Error(), 500))
	} else {
		u.ClearError().SetDeliveredAt(now)
	}
	if err := u.Exec(sys); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	if sendErr != nil {
		return false, fmt.Errorf("webhook %d, event %s: %w", webhookID, d.EventID, sendErr)
	}
	return false, nil
}

func forUpdate(s *entsql.Selector) {
	if s.Dialect() == dialect.Postgres {
		s.ForUpdate()
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
