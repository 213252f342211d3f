package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"wisselaar/ent"
	"wisselaar/ent/municipality"
	"wisselaar/ent/viewer"
	"wisselaar/internal/db"
	"wisselaar/internal/pgtest"
	"wisselaar/server/httplog"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Test municipalities. The KBO numbers are test data.
var testMunicipalities = []struct {
	nis, kbo, name string
	province       municipality.Province
}{
	{"12025", "0207451227", "Mechelen", municipality.ProvinceAntwerpen},
	{"24062", "0207521700", "Leuven", municipality.ProvinceVlaamsBrabant},
	{"34022", "", "Kortrijk", municipality.ProvinceWestVlaanderen},
}

// newClient returns a client on a fresh PostgreSQL database with the
// schema and the test municipalities.
func newClient(t *testing.T) *ent.Client {
	t.Helper()
	dsn := pgtest.NewDatabaseFromTemplate(t, "auth", func(dsn string) error {
		ctx := context.Background()
		d, err := db.Open(ctx, dsn, "")
		if err != nil {
			return err
		}
		defer d.Close()
		if err := db.Migrate(ctx, d); err != nil {
			return err
		}
		for _, m := range testMunicipalities {
			c := d.Client.Municipality.Create().SetNisCode(m.nis).SetName(m.name).SetProvince(m.province)
			if m.kbo != "" {
				c.SetKboNumber(m.kbo)
			}
			if err := c.Exec(viewer.SystemContext(ctx)); err != nil {
				return err
			}
		}
		return nil
	})
	d, err := db.Open(t.Context(), dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d.Client
}

// logBuffer collects log output for assertions; safe for the server's
// goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newLogger(t *testing.T) (*slog.Logger, *logBuffer) {
	var b logBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", b.String())
		}
	})
	return slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})), &b
}

// clock is a settable clock for expiry tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// echoed is what the echo handler answers: the viewer the middleware
// decided on.
type echoed struct {
	Anonymous      bool     `json:"anonymous"`
	Subject        string   `json:"subject"`
	Name           string   `json:"name"`
	Roles          []string `json:"roles"`
	Municipalities []string `json:"municipalities"`
	Machine        bool     `json:"machine"`
}

// echoViewer stands in for the GraphQL handler behind the middleware.
var echoViewer = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	v := viewer.FromContext(r.Context())
	if v == nil {
		http.Error(w, "no viewer", http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, echoed{
		Anonymous: v.IsAnonymous(), Subject: v.Subject, Name: v.Name,
		Roles: v.RoleValues(), Municipalities: v.Municipalities, Machine: v.Machine,
	})
})

// testHandler is the server as far as authentication goes: the auth
// routes, and the echo handler at /graphql behind the middleware.
func testHandler(a *Authenticator, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	a.Register(mux)
	mux.Handle("/graphql", a.Middleware(echoViewer))
	return httplog.Middleware(logger, mux)
}

// gqlError is the error shape of every refusal.
type gqlError struct {
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// errorCode returns the one error code of a refusal, or fails.
func errorCode(t *testing.T, rec *httptest.ResponseRecorder) (code, message string) {
	t.Helper()
	var e gqlError
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || len(e.Errors) != 1 {
		t.Fatalf("not an error answer: %s", rec.Body.String())
	}
	return e.Errors[0].Extensions.Code, e.Errors[0].Message
}

func decodeEcho(t *testing.T, rec *httptest.ResponseRecorder) echoed {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	var e echoed
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("%v: %s", err, rec.Body.String())
	}
	return e
}
