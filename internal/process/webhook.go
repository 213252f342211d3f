package process

import (
	"context"
	"slices"

	"wisselaar/ent"
	"wisselaar/ent/rule"
	"wisselaar/ent/webhook"
	"wisselaar/internal/apierr"
	webhooks "wisselaar/internal/webhook"
)

// RegisterWebhookInput is the input of registerWebhook.
type RegisterWebhookInput struct {
	URL    string
	Events []string
}

// DeleteWebhookInput is the input of deleteWebhook.
type DeleteWebhookInput struct {
	WebhookID int
}

// maxWebhooks bounds the webhooks of one client: every one of them gets a
// copy of every event.
const maxWebhooks = 10

// RegisterWebhook registers an endpoint of the viewer (a partner tool or
// the ministry) for the events asked, and returns it with its signing
// secret, which is never shown again. policy decides which URLs may
// receive events.
func RegisterWebhook(ctx context.Context, c *ent.Client, in RegisterWebhookInput, policy webhooks.Policy) (*ent.Webhook, string, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, "", err
	}
	if !rule.MayRegisterWebhooks(v) {
		return nil, "", apierr.New(apierr.Forbidden, "only partner tools and the ministry register webhooks")
	}
	if len(in.Events) == 0 {
		return nil, "", apierr.BadInput("events", "name at least one event type (%s)", eventTypes())
	}
	var events []string
	for _, e := range in.Events {
		if !slices.Contains(webhooks.EventTypes, e) {
			return nil, "", apierr.BadInput("events", "unknown event type %q (want %s)", e, eventTypes())
		}
		if !slices.Contains(events, e) {
			events = append(events, e)
		}
	}
	if err := policy.CheckURL(ctx, in.URL); err != nil {
		return nil, "", err
	}
	n, err := c.Webhook.Query().Count(ctx)
	if err != nil {
		return nil, "", err
	}
	if n >= maxWebhooks {
		return nil, "", apierr.New(apierr.Conflict, "a client has at most %d webhooks: delete one first", maxWebhooks)
	}
	secret := webhooks.NewSecret()
	h, err := c.Webhook.Create().
		SetOwnerSubject(v.Subject).
		SetURL(in.URL).
		SetEvents(events).
		SetSecret(secret).
		Save(ctx)
	if err != nil {
		return nil, "", err
	}
	return h, secret, nil
}

func eventTypes() string {
	return `"` + webhooks.TrajectoryChanged + `" or "` + webhooks.GrantChanged + `"`
}

// DeleteWebhook deletes one of the viewer's webhooks, with its delivery
// log. Another client's webhook is NOT_FOUND, as if it did not exist.
func DeleteWebhook(ctx context.Context, c *ent.Client, in DeleteWebhookInput) (int, error) {
	if _, err := signedIn(ctx); err != nil {
		return 0, err
	}
	ok, err := c.Webhook.Query().Where(webhook.ID(in.WebhookID)).Exist(ctx)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, apierr.New(apierr.NotFound, "webhook not found")
	}
	if err := c.Webhook.DeleteOneID(in.WebhookID).Exec(ctx); err != nil {
		return 0, err
	}
	return in.WebhookID, nil
}
