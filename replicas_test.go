package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wisselaar/domain"
	"wisselaar/ent"
	"wisselaar/ent/grant"
	"wisselaar/ent/municipality"
	"wisselaar/ent/trajectory"
	"wisselaar/ent/viewer"
	"wisselaar/internal/pgtest"
)

// balancer stands for the load balancer in front of the replicas: it
// sends each request to the replica its target says.
type balancer struct {
	*httptest.Server
	target atomic.Pointer[url.URL]
	mu     sync.Mutex
	served map[string]string // path → replica URL that answered it last
}

func newBalancer(t *testing.T) *balancer {
	b := &balancer{served: map[string]string{}}
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		u := b.target.Load()
		r.SetURL(u)
		r.Out.Host = r.In.Host // the replicas see the public host, as behind a real proxy
		b.mu.Lock()
		b.served[r.In.URL.Path] = u.String()
		b.mu.Unlock()
	}}
	b.Server = httptest.NewServer(proxy)
	t.Cleanup(b.Close)
	return b
}

func (b *balancer) sendTo(r *replica) {
	u, _ := url.Parse(r.url)
	b.target.Store(u)
}

func (b *balancer) servedBy(path string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.served[path]
}

// TestTwoReplicas runs two server processes on one database behind a load
// balancer: a browser sign-in started on one finishes on the other, the
// session works on both, and the first-come-first-served race of grant
// applications sent to both at once holds the budget.
func TestTwoReplicas(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	d := migrated(t, dsn)
	lb := newBalancer(t)
	idp := startIdentityProvider(t, lb.URL)
	env := map[string]string{
		"DATABASE_URL": dsn, "OIDC_ISSUER": idp.issuer, "PUBLIC_URL": lb.URL,
		// A public client (no secret): only the configured key lets
		// another replica open the login state.
		"LOGIN_STATE_KEY": "a shared key for the replicas of this test, 32+ chars",
	}
	a, b := startReplica(t, env), startReplica(t, env)

	t.Run("sign-in across replicas", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		browser := &http.Client{Jar: jar, Timeout: 30 * time.Second,
			CheckRedirect: func(req *http.Request, _ []*http.Request) error {
				if req.URL.Path == "/auth/callback" {
					lb.sendTo(b) // the balancer moves the browser to the other replica
				}
				return nil
			}}
		lb.sendTo(a)
		resp, err := browser.Get(lb.URL + "/auth/login?returnTo=" + url.QueryEscape(lb.URL+"/"))
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		action := regexp.MustCompile(`action="([^"]+)"`).FindSubmatch(page)
		reqID := regexp.MustCompile(`name="authRequestID" value="([^"]+)"`).FindSubmatch(page)
		if action == nil || reqID == nil {
			t.Fatalf("no login page at the provider (%d): %s", resp.StatusCode, page)
		}
		resp, err = browser.PostForm(strings.ReplaceAll(string(action[1]), "&amp;", "&"),
			url.Values{"authRequestID": {string(reqID[1])}, "login": {"mechelen"}})
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != lb.URL+"/" {
			t.Fatalf("sign-in ended at %s with %d, want %s/", resp.Request.URL, resp.StatusCode, lb.URL)
		}
		if lb.servedBy("/auth/login") != a.url || lb.servedBy("/auth/callback") != b.url {
			t.Fatalf("login served by %s and callback by %s, want %s and %s",
				lb.servedBy("/auth/login"), lb.servedBy("/auth/callback"), a.url, b.url)
		}
		for _, r := range []*replica{a, b} {
			lb.sendTo(r)
			req, _ := http.NewRequest(http.MethodPost, lb.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { subject } }"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-CSRF", "1")
			req.Header.Set("Origin", lb.URL)
			resp, err := browser.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), `"subject":"mechelen"`) {
				t.Errorf("the session on %s: %d %s", r.url, resp.StatusCode, body)
			}
		}
	})

	t.Run("first come, first served across replicas", func(t *testing.T) {
		const n, fit = 30, 10
		call := ledger(t, d.Client, n, fit)
		mechelen := idp.token(t, "mechelen")
		list := graphql(t, a.url, mechelen, `{ trajectories(first: 100) { edges { node { id } } } }`, nil)
		ids := regexp.MustCompile(`"id":"([^"]+)"`).FindAllStringSubmatch(list.body, -1)
		if len(ids) != n {
			t.Fatalf("%d trajectories listed, want %d: %s", len(ids), n, list.body)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, id := range ids {
			r := []*replica{a, b}[i%2]
			wg.Go(func() {
				<-start
				ans := graphql(t, r.url, mechelen, `mutation($id: ID!) { submitGrantApplication(input: {trajectoryID: $id}) { grant { status } } }`,
					map[string]any{"id": id[1]})
				if ans.status != 200 || ans.code() != "" {
					t.Errorf("submitting on %s: %d %s", r.url, ans.status, ans.body)
				}
			})
		}
		close(start)
		wg.Wait()
		grants := d.Client.Grant.Query().Where(grant.CallID(call.ID)).Order(grant.BySubmittedAt(), grant.ByID()).
			AllX(viewer.SystemContext(context.Background()))
		if len(grants) != n {
			t.Fatalf("%d grants, want %d", len(grants), n)
		}
		for i, g := range grants {
			want := grant.StatusRESERVED
			if i >= fit {
				want = grant.StatusWAITLISTED
			}
			if g.Status != want {
				t.Errorf("grant %d, number %d in submission order: %s, want %s", g.ID, i+1, g.Status, want)
			}
		}
	})
}

// ledger makes an open call whose budget covers exactly fit of n agreed
// trajectories from Mechelen to Leuven, each of which requests 500.00.
func ledger(t *testing.T, c *ent.Client, n, fit int) *ent.Call {
	t.Helper()
	ctx := viewer.SystemContext(context.Background())
	giving := c.Municipality.Query().Where(municipality.NisCode("12025")).OnlyX(ctx)
	receiving := c.Municipality.Query().Where(municipality.NisCode("24062")).OnlyX(ctx)
	cl := c.Call.Create().SetName("Race").SetYear(2027).
		SetOpensAt(time.Now().Add(-time.Hour)).SetClosesAt(time.Now().Add(24 * time.Hour)).
		SetBudget(domain.Euro(500) * domain.Money(fit)).SetPerProjectCap(domain.Euro(50_000)).SetCompensationPercent(50).
		SaveX(ctx)
	signed := time.Now().Add(-time.Minute)
	for i := range n {
		m := c.Mentor.Create().SetMunicipalityID(giving.ID).SetName(fmt.Sprintf("Mentor %d", i)).
			SetEmail(fmt.Sprintf("m%d@mechelen.be", i)).SaveX(ctx)
		c.Salary.Create().SetMentorID(m.ID).SetMonthlyCost(domain.Euro(2000)).
			SetWeeklyHours(domain.HoursOf(38)).SetValidFrom(domain.NewDate(2026, 1, 1)).ExecX(ctx)
		tr := c.Trajectory.Create().SetCallID(cl.ID).SetGivingID(giving.ID).SetReceivingID(receiving.ID).
			SetTitle(fmt.Sprintf("Exchange %d", i)).SetForm(trajectory.FormMENTORING).SetStatus(trajectory.StatusAGREED).
			SetPlannedStart(domain.NewDate(2027, 1, 1)).SetPlannedEnd(domain.NewDate(2027, 1, 31)).
			SetGivingSignedAt(signed).SetReceivingSignedAt(signed).SaveX(ctx)
		c.Assignment.Create().SetTrajectoryID(tr.ID).SetMentorID(m.ID).SetPlannedWeeklyHours(domain.HoursOf(19)).ExecX(ctx)
	}
	return cl
}
