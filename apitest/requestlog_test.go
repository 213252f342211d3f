package apitest

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"wisselaar/internal/testutil"
)

// TestRequestLogLines: with JSON logs, every request is one line with its
// request ID (the one in the X-Request-ID header) and the viewer: subject
// and roles for a signed-in caller, "anonymous" otherwise.
func TestRequestLogLines(t *testing.T) {
	var log syncBuffer
	logger := slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s := testutil.NewServerWithLogger(t, testutil.SeededPostgres(t), nil, logger)
	send := func(login string) string {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", strings.NewReader(`{"query":"{ themes(first: 1) { totalCount } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if login != "" {
			req.Header.Set("Authorization", "Bearer "+s.Token(t, login))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("X-Request-ID")
	}
	signedIn, anonymous := send("mechelen"), send("")

	lines := map[string]map[string]any{} // request ID → its request line
	for _, l := range bytes.Split([]byte(log.String()), []byte("\n")) {
		var entry map[string]any
		if json.Unmarshal(l, &entry) == nil && entry["msg"] == "request" {
			id, _ := entry["request_id"].(string)
			lines[id] = entry
		}
	}
	line := lines[signedIn]
	v, _ := line["viewer"].(map[string]any)
	roles, _ := v["roles"].([]any)
	if line["path"] != "/graphql" || v["sub"] != "mechelen" || !slices.Contains(roles, any("municipality:12025")) || v["machine"] != true {
		t.Errorf("the signed-in request (%s) logged as %v", signedIn, line)
	}
	if line := lines[anonymous]; line["viewer"] != "anonymous" || line["status"] != float64(200) {
		t.Errorf("the anonymous request (%s) logged as %v", anonymous, line)
	}
}
