package main

import (
	"database/sql"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"wisselaar/internal/pgtest"
)

const createCall = `mutation($name: String!) { createCall(input: {name: $name, year: 2031,
	opensAt: "2031-01-01T00:00:00Z", closesAt: "2031-03-01T00:00:00Z", budget: "1000.00",
	perProjectCap: "100.00", compensationPercent: 50}) { call { id } } }`

// TestFrozenDatabase freezes the server's PostgreSQL (every process
// stopped, connections open), then crashes and restarts it: /readyz says
// 503 within its 2 s, requests fail with 503 UNAVAILABLE at
// REQUEST_TIMEOUT, a mutation that timed out is never committed, and the
// server recovers by itself.
func TestFrozenDatabase(t *testing.T) {
	pg := pgtest.StartPrivate(t)
	d := migrated(t, pg.URL())
	idp := startIdentityProvider(t, "http://127.0.0.1:1")
	const timeout = 2 * time.Second
	srv := startReplica(t, map[string]string{
		"DATABASE_URL": pg.URL(), "OIDC_ISSUER": idp.issuer, "PUBLIC_URL": "http://127.0.0.1:1",
		"REQUEST_TIMEOUT": timeout.String(),
	})
	ministry := idp.token(t, "ministry")
	calls := func(name string) int {
		t.Helper()
		var n int
		if err := d.SQL.QueryRow(`SELECT count(*) FROM calls WHERE name = $1`, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	waitReady := func() {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			if st, _ := get(srv.url, "/readyz"); st == http.StatusOK {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("/readyz did not answer 200 within 30s of the database's return")
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	unavailable := func(what string, a answer) {
		t.Helper()
		if a.status != http.StatusServiceUnavailable || a.code() != "UNAVAILABLE" {
			t.Errorf("%s: status %d, %s; want 503 UNAVAILABLE", what, a.status, a.body)
		}
		if a.took > timeout+1500*time.Millisecond {
			t.Errorf("%s: answered after %s, want about REQUEST_TIMEOUT (%s)", what, a.took.Round(time.Millisecond), timeout)
		}
	}

	waitReady()
	if a := graphql(t, srv.url, ministry, `{ calls { totalCount } }`, nil); a.status != 200 || a.code() != "" {
		t.Fatalf("before: %d %s", a.status, a.body)
	}

	t.Run("a lock held past the time limit", func(t *testing.T) {
		// Another transaction holds the calls table: the mutation waits,
		// times out, and must not commit once the lock is released.
		lock, err := d.SQL.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lock.Exec(`LOCK TABLE calls IN ACCESS EXCLUSIVE MODE`); err != nil {
			t.Fatal(err)
		}
		a := graphql(t, srv.url, ministry, createCall, map[string]any{"name": "Locked out"})
		time.Sleep(500 * time.Millisecond)
		lock.Rollback()
		unavailable("createCall behind a lock", a)
		time.Sleep(time.Second)
		if n := calls("Locked out"); n != 0 {
			t.Errorf("the mutation that timed out was committed (%d rows)", n)
		}
	})

	t.Run("frozen", func(t *testing.T) {
		pg.Freeze()
		thawed := false
		defer func() {
			if !thawed {
				pg.Thaw()
			}
		}()
		if st, took := get(srv.url, "/readyz"); st != http.StatusServiceUnavailable || took > 2500*time.Millisecond {
			t.Errorf("/readyz on a frozen database: %d after %s, want 503 within 2s", st, took.Round(time.Millisecond))
		}
		unavailable("a query", graphql(t, srv.url, ministry, `{ calls { totalCount } }`, nil))
		unavailable("createCall", graphql(t, srv.url, ministry, createCall, map[string]any{"name": "Frozen"}))
		pg.Thaw()
		thawed = true
		waitReady()
		if a := graphql(t, srv.url, ministry, `{ calls { totalCount } }`, nil); a.status != 200 || a.code() != "" {
			t.Errorf("after thawing: %d %s", a.status, a.body)
		}
		time.Sleep(time.Second)
		if n := calls("Frozen"); n != 0 {
			t.Errorf("the mutation that timed out was committed (%d rows)", n)
		}
	})

	t.Run("restarted", func(t *testing.T) {
		pg.Stop()
		if st, took := get(srv.url, "/readyz"); st != http.StatusServiceUnavailable || took > 2500*time.Millisecond {
			t.Errorf("/readyz with the database down: %d after %s, want 503 within 2s", st, took.Round(time.Millisecond))
		}
		if a := graphql(t, srv.url, ministry, `{ calls { totalCount } }`, nil); a.status != http.StatusServiceUnavailable || a.code() != "UNAVAILABLE" {
			t.Errorf("a query with the database down: %d %s", a.status, a.body)
		}
		pg.Start()
		waitReady()
		a := graphql(t, srv.url, ministry, createCall, map[string]any{"name": "After the restart"})
		if a.status != 200 || a.code() != "" || !strings.Contains(a.body, `"id"`) {
			t.Errorf("after the restart: %d %s", a.status, a.body)
		}
	})
}

// TestShutdownDrains stops a server (SIGTERM) while a request waits on a
// lock: the request still gets its answer, new connections are refused,
// and the server exits cleanly.
func TestShutdownDrains(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	d := migrated(t, dsn)
	idp := startIdentityProvider(t, "http://127.0.0.1:1")
	srv := startReplica(t, map[string]string{
		"DATABASE_URL": dsn, "OIDC_ISSUER": idp.issuer, "PUBLIC_URL": "http://127.0.0.1:1",
		"REQUEST_TIMEOUT": "10s",
	})
	ministry := idp.token(t, "ministry")
	lock, err := d.SQL.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.Exec(`LOCK TABLE calls IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	done := make(chan answer, 1)
	go func() { done <- graphql(t, srv.url, ministry, createCall, map[string]any{"name": "In flight"}) }()
	waitBlocked(t, d.SQL)
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if st, _ := get(srv.url, "/healthz"); st != -1 {
		t.Errorf("a new request during the shutdown got %d, want the connection refused", st)
	}
	select {
	case <-srv.exited:
		t.Fatalf("the server exited with a request in flight (%v)", srv.err)
	default:
	}
	lock.Rollback()
	a := <-done
	if a.status != 200 || a.code() != "" || !strings.Contains(a.body, `"id"`) {
		t.Errorf("the request in flight: %d %s", a.status, a.body)
	}
	select {
	case <-srv.exited:
		if srv.err != nil {
			t.Errorf("the server exited with %v", srv.err)
		}
	case <-time.After(10 * time.Second):
		t.Error("the server did not exit after the last request")
	}
}

// waitBlocked waits until a statement waits for a lock.
func waitBlocked(t *testing.T, conn *sql.DB) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		conn.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'`).Scan(&n)
		if n > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the request never waited for the lock")
}
