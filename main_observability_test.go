package main

import (
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"wisselaar/internal/pgtest"
)

// otlpReceiver is an OTLP/HTTP trace receiver: it decodes what exporters
// send to /v1/traces and keeps the spans.
type otlpReceiver struct {
	*httptest.Server
	mu    sync.Mutex
	spans []receivedSpan
}

type receivedSpan struct {
	name, traceID, service string
}

func newOTLPReceiver(t *testing.T) *otlpReceiver {
	r := &otlpReceiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var export collectortrace.ExportTraceServiceRequest
		if req.URL.Path != "/v1/traces" || req.Header.Get("Content-Type") != "application/x-protobuf" || proto.Unmarshal(body, &export) != nil {
			http.Error(w, "want OTLP protobuf at /v1/traces", http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		for _, rs := range export.ResourceSpans {
			service := ""
			for _, a := range rs.GetResource().GetAttributes() {
				if a.Key == "service.name" {
					service = a.GetValue().GetStringValue()
				}
			}
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					r.spans = append(r.spans, receivedSpan{name: s.Name, traceID: hex.EncodeToString(s.TraceId), service: service})
				}
			}
		}
		r.mu.Unlock()
		b, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.Write(b)
	}))
	t.Cleanup(r.Close)
	return r
}

// trace returns the spans of the trace that has a span named name.
func (r *otlpReceiver) trace(name string) []receivedSpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.spans {
		if s.name == name {
			var out []receivedSpan
			for _, o := range r.spans {
				if o.traceID == s.traceID {
					out = append(out, o)
				}
			}
			return out
		}
	}
	return nil
}

// TestTracing: with OTEL_EXPORTER_OTLP_ENDPOINT set, a GraphQL request
// reaches an OTLP receiver as one trace: the HTTP request, the operation
// named after it, its resolvers and its PostgreSQL queries.
func TestTracing(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	migrated(t, dsn)
	receiver := newOTLPReceiver(t)
	srv := startReplica(t, map[string]string{
		"DATABASE_URL":                dsn,
		"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.URL,
		"OTEL_BSP_SCHEDULE_DELAY":     "100", // export every 100 ms instead of 5 s
		"LOG_LEVEL":                   "info",
		"LOG_FORMAT":                  "json",
	})
	resp, err := http.Post(srv.url+"/graphql", "application/json",
		strings.NewReader(`{"query":"query TracedMunicipalities { municipalities(first: 5) { totalCount edges { node { name } } } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"totalCount":2`) {
		t.Fatalf("the query: %d %s", resp.StatusCode, body)
	}
	var spans []receivedSpan
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if spans = receiver.trace("query TracedMunicipalities"); hasSpans(spans, "POST /graphql", "db.query") {
			break
		}
	}
	if !hasSpans(spans, "query TracedMunicipalities", "POST /graphql", "db.query", "Query.municipalities") {
		t.Fatalf("the trace of the query: %+v", spans)
	}
	if spans[0].service != "wisselaar" {
		t.Errorf("service.name %q, want wisselaar", spans[0].service)
	}
	logMu <- struct{}{}
	log := srv.log.String()
	<-logMu
	if !strings.Contains(log, `"path":"/graphql"`) || !strings.Contains(log, `"trace_id":"`+spans[0].traceID+`"`) {
		t.Errorf("no request line with the trace ID %s:\n%s", spans[0].traceID, log)
	}
}

func hasSpans(spans []receivedSpan, names ...string) bool {
	for _, n := range names {
		found := false
		for _, s := range spans {
			found = found || s.name == n
		}
		if !found {
			return false
		}
	}
	return true
}
