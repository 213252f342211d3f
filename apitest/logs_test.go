package apitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"

	"wisselaar/internal/testutil"
)

// syncBuffer is a log destination that handlers on several goroutines may
// write to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Operations of the story that the mutation matrix does not define.
const (
	settleGrantOp     = `mutation($input: SettleGrantInput!) { settleGrant(input: $input) { grant { status settled } } }`
	registerPaymentOp = `mutation($input: RegisterPaymentInput!) { registerPayment(input: $input) { grant { status paid } } }`
)

// TestLogsHoldNoPersonalDataOrRequestContent runs a whole grant story, the
// reads of salaries and e-mail addresses, and the requests an attacker
// sends, with the server logging at debug level; then it checks that no
// salary amount, no mentor's e-mail address and nothing of a request body
// reached the log.
func TestLogsHoldNoPersonalDataOrRequestContent(t *testing.T) {
	var log syncBuffer
	logger := slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := testutil.NewServerWithLogger(t, testutil.SeededPostgres(t), nil, logger)
	f := newFixtureOn(t, s)

	// Text that exists only in request bodies.
	const report = "Confidential evaluation 7f3c: the mentor's health improved."
	secrets := []string{report, "7f3c", "LogProbeOperation", "probe-value-91d2"}

	// The story: a call, an agreement with a mentor earning 7,500.00 a
	// month, application, approval, hours, completion, settlement, payment.
	call := f.openCall()
	tr := f.agreed(call)
	g := f.approve(f.submit(tr))
	f.start(tr)
	var entries []map[string]any
	for m := 1; m <= 4; m++ {
		entries = append(entries, map[string]any{"mentorID": f.mentorID, "month": fmt.Sprintf("2027-%02d", m), "hours": 80})
	}
	f.must("mechelen", recordTimeEntriesOp, map[string]any{"trajectoryID": tr, "entries": entries})
	f.must("leuven", completeTrajectoryOp, map[string]any{"trajectoryID": tr, "evaluationReport": report})
	settled := f.must("ministry", settleGrantOp, map[string]any{"grantID": g}).str(t, "settleGrant.grant.settled")
	f.must("ministry", registerPaymentOp, map[string]any{"grantID": g, "amount": settled, "paidOn": "2027-10-01"})

	// Everything personal the ministry may read, to look for in the log.
	var people struct {
		Mentors struct {
			Edges []struct {
				Node struct {
					Email    string
					Salaries []struct{ MonthlyCost string }
				}
			}
		}
	}
	s.Query(t, "ministry", `query LogProbeOperation { mentors(first: 500) { edges { node { email salaries { monthlyCost } } } } }`, nil).Decode(t, &people)
	s.Query(t, "mechelen", `query($id: ID!) { node(id: $id) { ... on Grant { calculation { lines { monthlyCost amount } } } } }`, map[string]any{"id": g})
	var amounts, emails []string
	for _, e := range people.Mentors.Edges {
		emails = append(emails, e.Node.Email)
		for _, sal := range e.Node.Salaries {
			amounts = append(amounts, sal.MonthlyCost)
		}
	}
	amounts = append(amounts, "7500.00", settled)
	if len(emails) < 2 || len(amounts) < 3 {
		t.Fatalf("the ministry read %d e-mail addresses and %d amounts", len(emails), len(amounts))
	}

	// Refused requests, each carrying personal data or a marker.
	probe := fmt.Sprintf(`{"query":"query LogProbeOperation { viewer { subject } }","variables":{"email":%q,"salary":"7500.00","x":"probe-value-91d2"}`, emails[0])
	for _, r := range []struct{ method, target, contentType, body string }{
		{http.MethodPost, "/graphql", "application/json", probe},                         // not JSON: no closing brace
		{http.MethodPost, "/graphql", "application/json", "[" + probe + "}]"},            // a batch
		{http.MethodPost, "/graphql", "application/json", probe + "} trailing"},          // trailing data
		{http.MethodPost, "/graphql", "application/x-www-form-urlencoded", "q=" + probe}, // a form
		{http.MethodPost, "/graphql", "application/json", probe + strings.Repeat(" ", 2<<20) + "}"},
		{http.MethodGet, "/graphql?query=" + url.QueryEscape("query LogProbeOperation { viewer { subject } }") +
			"&variables=" + url.QueryEscape(`{"email":"`+emails[0]+`"}`), "", ""},
		{http.MethodGet, "/graphql?query=" + url.QueryEscape("mutation LogProbeOperation { __typename }"), "", ""},
	} {
		req, _ := http.NewRequest(r.method, s.URL+r.target, strings.NewReader(r.body))
		if r.contentType != "" {
			req.Header.Set("Content-Type", r.contentType)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("%s %.60s: %d, want a refusal", r.method, r.body, resp.StatusCode)
		}
	}
	for _, q := range []string{aliasQuery(), "query LogProbeOperation { " + strings.Repeat("__typename ", 500) + "}",
		`query LogProbeOperation { nope(x: "probe-value-91d2") }`, `qwerty LogProbeOperation { abc }`} {
		s.Query(t, "ministry", q, map[string]any{"email": emails[1], "x": "probe-value-91d2"})
	}
	// Bad input, whose message quotes the value back to the client only.
	s.Query(t, "mechelen", recordSalaryOp, map[string]any{"input": map[string]any{
		"mentorID": f.mentorID, "monthlyCost": "7500.001", "weeklyHours": 38, "validFrom": "2028-01-01"}})

	text := log.String()
	if !strings.Contains(text, `"level":"DEBUG"`) || !strings.Contains(text, "graphql request refused") {
		t.Fatalf("the log is not at debug level, or refusals are not in it:\n%.3000s", text)
	}
	for _, group := range []struct {
		what   string
		values []string
	}{{"salary amount", amounts}, {"e-mail address", emails}, {"request content", secrets}} {
		for _, v := range group.values {
			if v != "" && strings.Contains(text, v) {
				i := strings.Index(text, v)
				t.Errorf("a %s (%s) is in the log: …%s…", group.what, v, text[max(0, i-300):min(len(text), i+100)])
			}
		}
	}
	// (Amounts are looked for with their decimals: durations are logged in
	// nanoseconds, and "1875000" holds "7500".)
	for _, word := range []string{"panic", "mechelen.example"} {
		if strings.Contains(text, word) {
			i := strings.Index(text, word)
			t.Errorf("%q is in the log: …%s…", word, text[max(0, i-300):min(len(text), i+100)])
		}
	}
}

// TestRefusalsAllocateLittle checks that memory stays flat when a client
// sends what the limits refuse: a body of 2 MB (twice the limit), a
// document of 1,000 aliases, and one of 12,000 (740 kB).
func TestRefusalsAllocateLittle(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	aliases := func(n int, field string) []byte {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " alias%d: %s", i, field)
		}
		b.WriteString(" }")
		body, _ := json.Marshal(map[string]string{"query": b.String()})
		return body
	}
	big := append([]byte(`{"query":"{ __typename }","variables":{"x":"`), bytes.Repeat([]byte("a"), 2<<20)...)
	big = append(big, `"}}`...)
	for _, tt := range []struct {
		name   string
		body   []byte
		status int
		code   string
		limit  uint64
	}{
		{"2 MB body", big, 413, "REQUEST_TOO_LARGE", 5 << 19},
		{"1,000 aliases", aliases(1000, "__typename"), 200, "QUERY_TOO_COMPLEX", 1 << 20},
		{"12,000 aliases", aliases(12000, "municipalities(first: 10) { edges { node { id } } }"), 200, "QUERY_TOO_COMPLEX", 3 << 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			client := &http.Client{Transport: &http.Transport{}}
			defer client.CloseIdleConnections()
			// One request beforehand, so that the connection and the
			// server's pools exist before measuring.
			send := func(body []byte) (int, []byte) {
				req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				out, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, out
			}
			send([]byte(`{"query":"{ __typename }"}`))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			status, out := send(tt.body)
			runtime.ReadMemStats(&after)
			if status != tt.status || !strings.Contains(string(out), tt.code) {
				t.Fatalf("got %d %.300s, want %d %s", status, out, tt.status, tt.code)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > tt.limit {
				t.Errorf("refusing it allocated %.1f MB, want at most %.1f MB", float64(got)/(1<<20), float64(tt.limit)/(1<<20))
			} else {
				t.Logf("allocated %.2f MB for a body of %.2f MB", float64(got)/(1<<20), float64(len(tt.body))/(1<<20))
			}
		})
	}
}
