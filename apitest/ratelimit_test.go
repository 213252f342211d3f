package apitest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"wisselaar/internal/testutil"
)

// TestRateLimitPerViewer checks that a viewer over RATE_LIMIT is answered
// 429 with Retry-After and RATE_LIMITED, and that the limit is the
// viewer's own: another viewer, and an anonymous caller, still get in.
func TestRateLimitPerViewer(t *testing.T) {
	s := testutil.NewServer(t, testutil.SeededPostgres(t), map[string]string{"RATE_LIMIT": "3/1m"})
	// Tokens first: the development provider is not rate limited, but
	// fetching them in the middle would blur what is counted.
	s.Token(t, "leuven")
	s.Token(t, "mechelen")
	ask := func(login string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { subject } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if login != "" {
			req.Header.Set("Authorization", "Bearer "+s.Token(t, login))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	for i := range 3 {
		if resp, body := ask("leuven"); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	resp, body := ask("leuven")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the fourth request: %d %s, want 429", resp.StatusCode, body)
	}
	if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || secs <= 0 || secs > 60 {
		t.Errorf("Retry-After %q, want seconds up to the window", resp.Header.Get("Retry-After"))
	}
	var out struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "RATE_LIMITED" {
		t.Errorf("the refusal: %s, want one error with code RATE_LIMITED", body)
	}
	if resp, body := ask("mechelen"); resp.StatusCode != 200 {
		t.Errorf("another viewer is limited too: %d %s", resp.StatusCode, body)
	}
	if resp, body := ask(""); resp.StatusCode != 200 {
		t.Errorf("an anonymous caller is limited by a viewer's requests: %d %s", resp.StatusCode, body)
	}
	// Anonymous callers are counted by their address.
	ask("")
	ask("")
	if resp, body := ask(""); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the fourth anonymous request: %d %s, want 429", resp.StatusCode, body)
	}
}
