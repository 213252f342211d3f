package apitest

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"wisselaar/domain"
	"wisselaar/internal/testutil"
)

// scrape fetches /metrics with the given Authorization header ("" for
// none): its status and body.
func scrape(t *testing.T, s *testutil.Server, auth string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/metrics", nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// sample returns the value of the series name{labels…} whose labels
// include all of want, and whether there is one.
func sample(body, name string, want map[string]string) (float64, bool) {
	line := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `\{([^}]*)\} (\S+)$`)
	label := regexp.MustCompile(`(\w+)="((?:[^"\\]|\\.)*)"`)
	for _, m := range line.FindAllStringSubmatch(body, -1) {
		labels := map[string]string{}
		for _, l := range label.FindAllStringSubmatch(m[1], -1) {
			labels[l[1]] = l[2]
		}
		match := true
		for k, v := range want {
			match = match && labels[k] == v
		}
		if match {
			v, err := strconv.ParseFloat(m[2], 64)
			return v, err == nil
		}
	}
	return 0, false
}

// TestMetrics: /metrics shows the ledger of the demo data's open call,
// equal to what budgetStatus answers, GraphQL operations by name and
// outcome, and the database pool.
func TestMetrics(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), nil)
	// A second open call: one grant approved for 7,500.00 with an advance
	// of 1,000.00 paid, one application of 7,500.00 reserved.
	f := newFixtureOn(t, s)
	call := f.openCall()
	approved := f.approve(f.submit(f.agreed(call)))
	f.must("ministry", registerPaymentOp, map[string]any{"grantID": approved, "amount": "1000.00", "paidOn": "2027-01-15"})
	f.submit(f.agreed(call))
	_, body := scrape(t, s, "")
	for kind, want := range map[string]float64{
		"budget": 100_000_00, "reserved": 7_500_00, "awarded": 7_500_00, "paid": 1_000_00,
		"committed": 15_000_00, "remaining": 85_000_00,
	} {
		if got, ok := sample(body, "wisselaar_call_ledger_cents", map[string]string{"name": "Precondition call 1", "kind": kind}); got != want || !ok {
			t.Errorf("the new call's %s: %v cents (present: %v), want %v", kind, got, ok, want)
		}
	}

	var calls struct {
		Calls struct {
			Edges []struct {
				Node struct {
					Name         string
					BudgetStatus struct{ Budget, Committed, Remaining string }
				}
			}
		}
	}
	s.Query(t, "ministry", `query OpenCallLedger { calls(first: 50) { edges { node { name budgetStatus { budget committed remaining } } } } }`, nil).
		Decode(t, &calls)
	if r := s.Query(t, "ministry", `query BadCursor { calls(first: 1, after: "nope") { totalCount } }`, nil); r.Code() != "BAD_USER_INPUT" {
		t.Fatalf("a bad cursor: %+v", r.Errors)
	}

	status, body := scrape(t, s, "")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: %d", status)
	}
	open := 0
	for _, e := range calls.Calls.Edges {
		c := e.Node
		budget, ok := sample(body, "wisselaar_call_ledger_cents", map[string]string{"name": c.Name, "kind": "budget"})
		if !ok {
			continue // a closed call: no ledger in the metrics
		}
		open++
		for kind, amount := range map[string]string{"budget": c.BudgetStatus.Budget, "committed": c.BudgetStatus.Committed, "remaining": c.BudgetStatus.Remaining} {
			want, err := domain.ParseMoney(amount)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := sample(body, "wisselaar_call_ledger_cents", map[string]string{"name": c.Name, "kind": kind}); got != float64(want) {
				t.Errorf("%s: %s %v cents in the metrics, budgetStatus says %s", c.Name, kind, got, amount)
			}
		}
		for _, kind := range []string{"reserved", "awarded", "paid"} {
			if got, ok := sample(body, "wisselaar_call_ledger_cents", map[string]string{"name": c.Name, "kind": kind}); !ok || got < 0 || got > budget {
				t.Errorf("%s: %s %v (present: %v), want between 0 and the budget", c.Name, kind, got, ok)
			}
		}
	}
	if open != 2 {
		t.Errorf("%d open calls in the metrics, want the demo data's and the new one:\n%s", open, grep(body, "wisselaar_call_ledger"))
	}
	for _, want := range []map[string]string{
		{"operation": "OpenCallLedger", "type": "query", "outcome": "ok"},
		{"operation": "BadCursor", "type": "query", "outcome": "BAD_USER_INPUT"},
	} {
		if n, _ := sample(body, "wisselaar_graphql_operations_total", want); n != 1 {
			t.Errorf("operations %v: %v, want 1:\n%s", want, n, grep(body, "wisselaar_graphql_operations_total"))
		}
	}
	if _, ok := sample(body, "go_sql_max_open_connections", map[string]string{"db_name": "wisselaar"}); !ok {
		t.Errorf("no connection pool metrics:\n%s", grep(body, "go_sql"))
	}
}

// TestMetricsToken: with METRICS_TOKEN, /metrics answers only requests
// that carry it.
func TestMetricsToken(t *testing.T) {
	const token = "a-metrics-token-of-the-test"
	s := testutil.NewServer(t, testutil.SeededPostgres(t), map[string]string{"METRICS_TOKEN": token})
	for auth, want := range map[string]int{
		"":                          http.StatusUnauthorized,
		"Bearer wrong-token-123456": http.StatusUnauthorized,
		"Basic " + token:            http.StatusUnauthorized,
		"Bearer " + token:           http.StatusOK,
	} {
		status, body := scrape(t, s, auth)
		if status != want {
			t.Errorf("Authorization %q: %d, want %d", auth, status, want)
		}
		if status != http.StatusOK && strings.Contains(body, "wisselaar_") {
			t.Errorf("Authorization %q: metrics given away:\n%.500s", auth, body)
		}
	}
}

func grep(body, prefix string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestNoOpenMetricsInProduction: a server with a real issuer and neither
// METRICS_ADDR nor METRICS_TOKEN does not answer /metrics.
func TestNoOpenMetricsInProduction(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), map[string]string{"OIDC_ISSUER": "http://127.0.0.1:1/issuer"})
	if status, body := scrape(t, s, ""); status != http.StatusNotFound || strings.Contains(body, "wisselaar_") {
		t.Errorf("GET /metrics: %d, want 404:\n%.500s", status, body)
	}
}
