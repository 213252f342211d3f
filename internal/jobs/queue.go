package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"

	"wisselaar/ent"
	"wisselaar/ent/grant"
	"wisselaar/ent/outbox"
	"wisselaar/ent/synctime"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/ent/webhook"
	"wisselaar/graph/scalar"
	"wisselaar/internal/db"
	webhooks "wisselaar/internal/webhook"
)

// Migrate creates or updates the job queue's own tables (River's) in a
// PostgreSQL database. It is part of bringing the schema up to date.
func Migrate(ctx context.Context, database *sql.DB) error {
	m, err := rivermigrate.New(riverdatabasesql.New(database), nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrating the job queue: %w", err)
	}
	return nil
}

// Config configures the Queue.
type Config struct {
	Logger *slog.Logger
	// Webhooks decides which endpoints deliveries may connect to.
	Webhooks webhooks.Policy
	// Mail sends e-mail; nil sends none (SMTP not configured), and no
	// e-mail job is queued.
	Mail *Mailer
	// RetryBase is the wait before the first retry of a failed delivery;
	// each next wait doubles, up to RetryMax. Zero means 2s.
	RetryBase time.Duration
	// RetryMax caps the wait between retries. Zero means an hour.
	RetryMax time.Duration
	// MaxAttempts is how often a job is tried before River gives it up.
	// Zero means 25 (about a day with the defaults).
	MaxAttempts int
}

// Queue is the durable job queue (River, in PostgreSQL): jobs are inserted
// in the transaction of the change that caused them and run by workers in
// every replica, each job by one of them.
type Queue struct {
	river  *river.Client[*sql.Tx]
	client *ent.Client
	cfg    Config
	http   httpDoer
}

// The queues of the jobs: deliveries hold a database connection while
// they wait for an endpoint, so few run at once, and never at the cost of
// e-mail.
const (
	queueWebhooks = "webhooks"
	queueMail     = "mail"
)

// New returns the queue over a PostgreSQL database. Start runs its
// workers; without Start, it only inserts.
func New(database *db.DB, cfg Config) (*Queue, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 2 * time.Second
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = time.Hour
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 25
	}
	q := &Queue{client: database.Client, cfg: cfg, http: cfg.Webhooks.HTTPClient()}
	workers := river.NewWorkers()
	river.AddWorker(workers, &deliverWorker{q: q})
	river.AddWorker(workers, &mailWorker{q: q})
	rc, err := river.NewClient(riverdatabasesql.New(database.SQL), &river.Config{
		Logger:      cfg.Logger,
		MaxAttempts: cfg.MaxAttempts,
		Queues: map[string]river.QueueConfig{
			queueWebhooks: {MaxWorkers: 4},
			queueMail:     {MaxWorkers: 2},
		},
		Workers:           workers,
		FetchPollInterval: 500 * time.Millisecond,
		JobTimeout:        5 * time.Minute,
		// Completed jobs are kept a day for inspection; the deliveries
		// keep their own log.
		CompletedJobRetentionPeriod: 24 * time.Hour,
	})
	if err != nil {
		return nil, err
	}
	q.river = rc
	return q, nil
}

// Start runs the workers until ctx is done or Stop.
func (q *Queue) Start(ctx context.Context) error { return q.river.Start(ctx) }

// Stop waits for running jobs to finish, up to ctx's deadline.
func (q *Queue) Stop(ctx context.Context) error { return q.river.Stop(ctx) }

// OpenTx opens a mutation's transaction (synctime.OpenTx) that also writes,
// at commit and in the same transaction, the outbox rows and jobs of what
// the mutation changed: webhook events and e-mail.
func (q *Queue) OpenTx(ctx context.Context, client *ent.Client) (context.Context, *ent.Tx, error) {
	ctx, sqlTx := db.CaptureSQLTx(ctx)
	ctx, changes := outbox.Track(ctx)
	ctx, tx, err := synctime.OpenTx(ctx, client)
	if err != nil {
		return nil, nil, err
	}
	raw := sqlTx()
	if raw == nil {
		tx.Rollback()
		return nil, nil, errors.New("the job queue needs a client opened by package db")
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			if err := q.flush(ctx, tx, raw, changes); err != nil {
				return fmt.Errorf("queueing notifications: %w", err)
			}
			return next.Commit(ctx, tx)
		})
	})
	return ctx, tx, nil
}

// event is one webhook event: its type and its data (IDs and statuses,
// never personal data).
type event struct {
	Type string
	Data map[string]string
}

// flush writes the outbox of one transaction: a delivery row per event and
// webhook that asked for it, a delivery job per webhook, and the e-mail
// jobs. It runs under synctime's commit lock, so delivery rows are numbered
// in commit order, which is the order they are sent in.
func (q *Queue) flush(ctx context.Context, tx *ent.Tx, raw *sql.Tx, ch *outbox.Changes) error {
	if ch.Empty() {
		return nil
	}
	// The outbox is bookkeeping of a permitted mutation: the system reads
	// the changed rows and the webhooks.
	sys := viewer.SystemContext(ctx)
	c := tx.Client()
	events, err := eventsOf(sys, c, ch)
	if err != nil {
		return err
	}
	var inserts []river.InsertManyParams
	if len(events) > 0 {
		hooks, err := c.Webhook.Query().Order(ent.Asc(webhook.FieldID)).All(sys)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		var rows []*ent.WebhookDeliveryCreate
		ids := make([]string, len(events))
		bodies := make([]string, len(events))
		for i, e := range events {
			ids[i] = newEventID()
			body, err := json.Marshal(map[string]any{"type": e.Type, "timestamp": now.Format(time.RFC3339Nano), "data": e.Data})
			if err != nil {
				return err
			}
			bodies[i] = string(body)
		}
		for _, h := range hooks {
			n := len(rows)
			for i, e := range events {
				if slices.Contains(h.Events, e.Type) {
					rows = append(rows, c.WebhookDelivery.Create().SetWebhookID(h.ID).
						SetEventID(ids[i]).SetEventType(e.Type).SetPayload(bodies[i]))
				}
			}
			if len(rows) > n {
				inserts = append(inserts, river.InsertManyParams{Args: deliverArgs{WebhookID: h.ID}})
			}
		}
		if len(rows) > 0 {
			if err := c.WebhookDelivery.CreateBulk(rows...).Exec(sys); err != nil {
				return err
			}
		}
	}
	if q.cfg.Mail != nil {
		mails, err := q.cfg.Mail.mailsOf(sys, c, ch)
		if err != nil {
			return err
		}
		for _, m := range mails {
			inserts = append(inserts, river.InsertManyParams{Args: m})
		}
	}
	if len(inserts) == 0 {
		return nil
	}
	_, err = q.river.InsertManyTx(ctx, raw, inserts)
	return err
}

// eventsOf turns the noted changes into webhook events: trajectories whose
// status changed first, then grants, each in the order noted.
func eventsOf(ctx context.Context, c *ent.Client, ch *outbox.Changes) ([]event, error) {
	var out []event
	if ids := ch.Trajectories(); len(ids) > 0 {
		ts, err := c.Trajectory.Query().Where(trajectory.IDIn(ids...)).Order(ent.Asc(trajectory.FieldID)).All(ctx)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			out = append(out, event{Type: webhooks.TrajectoryChanged, Data: map[string]string{
				"trajectoryID": scalar.EncodeID(t.ID),
				"callID":       scalar.EncodeID(t.CallID),
				"givingID":     scalar.EncodeID(t.GivingID),
				"receivingID":  scalar.EncodeID(t.ReceivingID),
				"status":       string(t.Status),
			}})
		}
	}
	for _, g := range ch.Grants() {
		gr, err := c.Grant.Query().Where(grant.ID(g.ID)).Only(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, event{Type: webhooks.GrantChanged, Data: map[string]string{
			"grantID":      scalar.EncodeID(gr.ID),
			"trajectoryID": scalar.EncodeID(gr.TrajectoryID),
			"callID":       scalar.EncodeID(gr.CallID),
			"status":       string(gr.Status),
		}})
	}
	return out, nil
}

// newEventID returns a fresh event ID (the webhook-id header): msg_ and 16
// random bytes in hex.
func newEventID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "msg_" + hex.EncodeToString(b)
}

// backoff is the wait before retry n (n ≥ 1): base doubled n-1 times, at
// most max.
func backoff(base, max time.Duration, n int) time.Duration {
	d := float64(base) * math.Pow(2, float64(n-1))
	if d > float64(max) || math.IsInf(d, 0) {
		return max
	}
	return time.Duration(d)
}
