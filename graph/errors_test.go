package graph

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"
)

// TestTimeoutIsUnavailableNotInternal checks that an error raised once the
// request's deadline has passed (the database call was cancelled) is
// reported as UNAVAILABLE and not logged as an internal fault.
func TestTimeoutIsUnavailableNotInternal(t *testing.T) {
	var log bytes.Buffer
	present := ErrorPresenter(slog.New(slog.NewTextHandler(&log, nil)))
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	for _, err := range []error{errors.New("pq: canceling statement due to user request"), context.DeadlineExceeded} {
		if e := present(ctx, err); e.Extensions["code"] != "UNAVAILABLE" {
			t.Errorf("%v: code %v, want UNAVAILABLE", err, e.Extensions["code"])
		}
	}
	if log.Len() > 0 {
		t.Errorf("logged: %s", log.String())
	}
	if e := present(context.Background(), errors.New("boom")); e.Extensions["code"] != "INTERNAL" || log.Len() == 0 {
		t.Errorf("an error before the deadline: %v, log %q", e.Extensions, log.String())
	}
}
