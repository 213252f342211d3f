package apitest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wisselaar/internal/jobs"
	"wisselaar/internal/testutil"
	"wisselaar/internal/webhook"
)

const (
	registerWebhookOp = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret webhook { id url events } } }`
	deleteWebhookOp   = `mutation($input: DeleteWebhookInput!) { deleteWebhook(input: $input) { deletedID } }`
	webhooksQuery     = `{ webhooks { id url events deliveries(first: 100) { eventID eventType payload attempts statusCode error attemptedAt deliveredAt } } }`
)

// receivedEvent is an event as a receiver saw it, after checking its
// signature.
type receivedEvent struct {
	ID   string
	Type string
	Data map[string]string
}

// receiver is a partner tool's webhook endpoint: it verifies every request
// the way the Standard Webhooks convention tells receivers to (HMAC-SHA256
// of "id.timestamp.body" under the base64 key after "whsec_", a recent
// timestamp), keeps each event once (by webhook-id), and can be down.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	secret atomic.Value // string
	down   atomic.Bool
	failed atomic.Int32 // requests answered while down

	mu     sync.Mutex
	events []receivedEvent
	bad    []string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if r.down.Load() {
		r.failed.Add(1)
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	secret, _ := r.secret.Load().(string)
	id, ts, sigs := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), req.Header.Get("webhook-signature")
	r.mu.Lock()
	defer r.mu.Unlock()
	fail := func(why string) {
		r.bad = append(r.bad, why)
		http.Error(w, why, http.StatusBadRequest)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || !strings.HasPrefix(secret, "whsec_") {
		fail("secret")
		return
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		fail("timestamp " + ts)
		return
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	ok := false
	for _, s := range strings.Fields(sigs) {
		if v, sig, _ := strings.Cut(s, ","); v == "v1" && hmac.Equal([]byte(sig), []byte(want)) {
			ok = true
		}
	}
	if !ok {
		fail("signature " + sigs)
		return
	}
	var e struct {
		Type      string
		Timestamp string
		Data      map[string]string
	}
	if err := json.Unmarshal(body, &e); err != nil {
		fail("body " + string(body))
		return
	}
	for _, seen := range r.events {
		if seen.ID == id {
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	r.events = append(r.events, receivedEvent{ID: id, Type: e.Type, Data: e.Data})
	w.WriteHeader(http.StatusNoContent)
}

// wait returns the events once n have arrived, or fails after a minute.
func (r *receiver) wait(n int) []receivedEvent {
	r.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		r.mu.Lock()
		got := append([]receivedEvent(nil), r.events...)
		bad := append([]string(nil), r.bad...)
		r.mu.Unlock()
		if len(bad) > 0 {
			r.t.Fatalf("the receiver refused requests: %v", bad)
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%d events arrived, want %d: %+v", len(got), n, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestWebhookDeliversSignedEventsInOrder is a partner tool that registers a
// webhook and follows a grant through it: the events arrive signed, in the
// order of the changes, with IDs and statuses only; while its endpoint is
// down the mutations go on as usual, the failed attempts are in its
// delivery log, and once it is back everything arrives, still in order.
func TestWebhookDeliversSignedEventsInOrder(t *testing.T) {
	s, _ := testutil.NewServerWithQueue(t, testutil.SeededPostgres(t), nil,
		jobs.Config{RetryBase: 100 * time.Millisecond, RetryMax: time.Second, Webhooks: webhook.Policy{Local: true}})
	rcv := newReceiver(t)
	f := newFixtureOn(t, s)

	d := f.must("partner", registerWebhookOp, map[string]any{"url": rcv.srv.URL + "/hooks", "events": []string{"trajectory.changed", "grant.changed", "grant.changed"}})
	secret := d.str(t, "registerWebhook.secret")
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret %q, want whsec_…", secret)
	}
	rcv.secret.Store(secret)
	f.expect(d, "registerWebhook.webhook.url", rcv.srv.URL+"/hooks")
	if ev := d.at("registerWebhook.webhook.events").([]any); len(ev) != 2 {
		t.Errorf("events %v, want the two asked once each", ev)
	}
	webhookID := d.str(t, "registerWebhook.webhook.id")

	call := f.openCall() // calls are no event
	rcv.down.Store(true)
	start := time.Now()
	tr := f.agreed(call) // MATCHED, then AGREED
	grant := f.submit(tr)
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("the mutations took %s with the endpoint down", took)
	}
	// The endpoint is down: attempts fail and are logged, nothing is lost.
	deadline := time.Now().Add(30 * time.Second)
	for rcv.failed.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if rcv.failed.Load() < 2 {
		t.Fatalf("no retries while the endpoint was down (%d attempts)", rcv.failed.Load())
	}
	var log struct {
		Webhooks []struct {
			ID         string
			Deliveries []struct {
				EventID, EventType, Payload string
				Attempts                    int
				StatusCode                  *int
				Error, AttemptedAt          *string
				DeliveredAt                 *string
			}
		}
	}
	s.Query(t, "partner", webhooksQuery, nil).Decode(t, &log)
	if len(log.Webhooks) != 1 || len(log.Webhooks[0].Deliveries) != 3 {
		t.Fatalf("partner's webhooks: %+v", log.Webhooks)
	}
	oldest := log.Webhooks[0].Deliveries[2]
	if oldest.Attempts < 1 || oldest.StatusCode == nil || *oldest.StatusCode != 503 || oldest.Error == nil || oldest.DeliveredAt != nil {
		t.Errorf("the first event's log while the endpoint is down: %+v", oldest)
	}

	rcv.down.Store(false)
	f.approve(grant)
	got := rcv.wait(4)
	want := []struct{ typ, status, id string }{
		{"trajectory.changed", "MATCHED", tr},
		{"trajectory.changed", "AGREED", tr},
		{"grant.changed", "RESERVED", grant},
		{"grant.changed", "APPROVED", grant},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		e := got[i]
		key := "trajectoryID"
		if strings.HasPrefix(w.typ, "grant") {
			key = "grantID"
		}
		if e.Type != w.typ || e.Data["status"] != w.status || e.Data[key] != w.id || e.Data["callID"] != call {
			t.Errorf("event %d: %+v, want %s %s of %s", i, e, w.typ, w.status, w.id)
		}
		for k := range e.Data {
			switch k {
			case "trajectoryID", "grantID", "callID", "givingID", "receivingID", "status":
			default:
				t.Errorf("event %d carries %q", i, k)
			}
		}
	}
	// The log says what happened: all delivered, the first after retries.
	s.Query(t, "partner", webhooksQuery, nil).Decode(t, &log)
	dl := log.Webhooks[0].Deliveries
	if len(dl) != 4 {
		t.Fatalf("%d deliveries logged, want 4", len(dl))
	}
	for i, x := range dl {
		if x.DeliveredAt == nil || x.StatusCode == nil || *x.StatusCode != 204 || x.Error != nil {
			t.Errorf("delivery %d: %+v", i, x)
		}
	}
	if first := dl[3]; first.Attempts < 2 || first.EventID != got[0].ID {
		t.Errorf("the first event: %+v, want several attempts and id %s", first, got[0].ID)
	}

	// Without SMTP configured no e-mail is queued, though the story had
	// steps that wait for someone.
	var mails int
	if err := s.DB.SQL.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'mail'`).Scan(&mails); err != nil || mails != 0 {
		t.Errorf("%d e-mail jobs without SMTP (%v)", mails, err)
	}

	// The webhook and its log are the partner's alone.
	for _, login := range []string{"ministry", "analyst", "vvsg", "mechelen"} {
		var other struct{ Webhooks []struct{ ID string } }
		s.Query(t, login, webhooksQuery, nil).Decode(t, &other)
		if len(other.Webhooks) != 0 {
			t.Errorf("%s sees %d webhooks of the partner", login, len(other.Webhooks))
		}
		var node struct{ Node *struct{ ID string } }
		s.Query(t, login, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": webhookID}).Decode(t, &node)
		if node.Node != nil {
			t.Errorf("%s reads the partner's webhook through node", login)
		}
		if r := s.Query(t, login, deleteWebhookOp, map[string]any{"input": map[string]any{"webhookID": webhookID}}); r.Code() != "NOT_FOUND" {
			t.Errorf("%s deletes the partner's webhook: %+v", login, r.Errors)
		}
	}
	if r := s.Query(t, "", webhooksQuery, nil); r.Code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous webhooks: %+v", r.Errors)
	}
	for _, login := range []string{"mechelen", "vvsg", "analyst"} {
		r := s.Query(t, login, registerWebhookOp, map[string]any{"input": map[string]any{"url": rcv.srv.URL, "events": []string{"grant.changed"}}})
		if r.Code() != "FORBIDDEN" {
			t.Errorf("%s registers a webhook: %+v", login, r.Errors)
		}
	}
	f.must("partner", deleteWebhookOp, map[string]any{"webhookID": webhookID})
	if n := countRows(t, s, "webhook_deliveries"); n != 0 {
		t.Errorf("%d deliveries left after deleting the webhook", n)
	}
}

// TestWebhookURLsRefused: outside local development a webhook goes to an
// https URL of a public address, and the event types must be known; else
// BAD_USER_INPUT naming the field, and nothing is registered.
func TestWebhookURLsRefused(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), map[string]string{"WEBHOOK_LOCAL_URLS": "false"})
	a := api{t, s}
	events := []string{"grant.changed"}
	for _, tc := range []struct {
		url    string
		events []string
		field  string
	}{
		{"http://93.184.215.14/hooks", events, "url"},     // not https
		{"https://127.0.0.1/hooks", events, "url"},        // loopback
		{"https://[::1]:8443/hooks", events, "url"},       // loopback
		{"https://10.1.2.3/hooks", events, "url"},         // private
		{"https://192.168.0.10/hooks", events, "url"},     // private
		{"https://169.254.169.254/latest", events, "url"}, // link-local: cloud metadata
		{"https://localhost/hooks", events, "url"},
		{"https://[::ffff:127.0.0.1]/hooks", events, "url"},
		{"https://user:pw@93.184.215.14/hooks", events, "url"},
		{"not a url", events, "url"},
		{"https://93.184.215.14/hooks", nil, "events"},
		{"https://93.184.215.14/hooks", []string{"mentor.changed"}, "events"},
	} {
		in := map[string]any{"url": tc.url, "events": tc.events}
		if tc.events == nil {
			in["events"] = []string{}
		}
		a.refused("partner", registerWebhookOp, map[string]any{"input": in}, "BAD_USER_INPUT", tc.field)
	}
	if n := countRows(t, s, "webhooks"); n != 0 {
		t.Fatalf("%d webhooks registered from bad input", n)
	}
	// A public address is fine (no delivery is tried: no queue runs here).
	d := a.do("ministry", registerWebhookOp, map[string]any{"input": map[string]any{"url": "https://93.184.215.14/hooks", "events": events}})
	if d.str(t, "registerWebhook.webhook.url") != "https://93.184.215.14/hooks" {
		t.Errorf("registered: %v", d)
	}
}
